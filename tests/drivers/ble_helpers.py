"""Shared helpers for the BLE driver tests over the fake bleak backend."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from drivers.ble.link import BleOptions
from runningroom.devices import DeviceEvent, DeviceEventKind
from testkit.ble.fake_backend import FakeRadio

FTMS_ADDRESS = "F0:00:00:00:00:01"
HR_ADDRESS = "C0:00:00:00:00:02"


def fast_options(radio: FakeRadio, **overrides: object) -> BleOptions:
    """Options routing bleak to ``radio`` with short timeouts and backoff."""
    values: dict[str, object] = {
        "client_backend": radio.client_backend,
        "scanner_backend": radio.scanner_backend,
        "scan_timeout_s": 1.0,
        "connect_timeout_s": 1.0,
        "reconnect_backoff_s": (0.02, 0.05),
    }
    values.update(overrides)
    return BleOptions(**values)  # type: ignore[arg-type]


async def wait_for(predicate: Callable[[], bool], timeout_s: float = 30.0) -> None:
    """Poll ``predicate`` until true; fail the test after ``timeout_s``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.005)


def kinds(events: list[DeviceEvent]) -> list[DeviceEventKind]:
    """The kinds of ``events`` in order."""
    return [e.kind for e in events]
