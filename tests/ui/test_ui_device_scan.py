"""The console scans for devices only through the scan the composition root injects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class _Found:
    address: str
    name: str
    kind: str
    rssi_dbm: int | None


def test_scan_uses_the_injected_device_scan(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    asked: list[float] = []

    async def scan(timeout_s: float) -> Sequence[Any]:
        asked.append(timeout_s)
        return [_Found("ble:F0:00:00:00:00:01", "SIM-FTMS", "treadmill", -40)]

    window.device_scan = scan
    window.scan_devices()
    qtbot.waitUntil(lambda: "SIM-FTMS" in window.devices.scan_results.text(), timeout=15000)
    assert asked == [5.0]
    combo = window.devices.treadmill_address
    assert combo.findText("ble:F0:00:00:00:00:01") >= 0


def test_scan_without_an_injected_scan_says_it_is_not_available(make_window: Any) -> None:
    window = make_window()
    assert window.device_scan is None
    window.scan_devices()
    assert window.devices.scan_results.text() == "Bluetooth scanning is not available"


def test_desktop_window_gets_the_ble_scan() -> None:
    from drivers.ble.scanner import scan
    from runningroom_app.desktop import ble_device_scan

    assert ble_device_scan() is scan
