"""Device address parsing, factories and the ``devices scan`` command."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Coroutine
from typing import Any

import pytest

import drivers.ble.scanner as scanner_module
from drivers.addresses import DeviceAddress, open_hr_source, open_treadmill, parse_address
from drivers.ble.ftms import FtmsTreadmill
from drivers.ble.heart_rate import BleHeartRateStrap
from drivers.ble.link import BleOptions
from drivers.ble.scanner import ScanResult
from runningroom.clock import ManualClock
from runningroom.errors import ValidationError
from runningroom_app.cli import main
from testkit.ble.fake_backend import FakeRadio
from testkit.ble.peripherals import SimFtmsTreadmill, SimHrStrap
from tests.drivers.ble_helpers import FTMS_ADDRESS, HR_ADDRESS, fast_options


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ble:aa:bb:cc:dd:ee:ff", DeviceAddress("ble", "AA:BB:CC:DD:EE:FF")),
        (
            "ble:AA:BB:CC:DD:EE:FF?adapter=hci1",
            DeviceAddress("ble", "AA:BB:CC:DD:EE:FF", {"adapter": "hci1"}),
        ),
        (
            "BLE:12345678-1234-1234-1234-123456789abc",
            DeviceAddress("ble", "12345678-1234-1234-1234-123456789ABC"),
        ),
        (
            "serial:/dev/ttyUSB0?protocol=CSAFE",
            DeviceAddress("serial", "/dev/ttyUSB0", {"protocol": "csafe"}),
        ),
        (
            "serial:/dev/ttyS1?protocol=woodway",
            DeviceAddress("serial", "/dev/ttyS1", {"protocol": "woodway"}),
        ),
        ("sim:", DeviceAddress("sim", "")),
        ("sim:?seed=3&faults=1", DeviceAddress("sim", "", {"seed": "3", "faults": "1"})),
    ],
)
def test_parse_valid(text: str, expected: DeviceAddress) -> None:
    parsed = parse_address(text)
    assert parsed == expected
    assert parse_address(str(parsed)) == parsed  # stable round trip


@pytest.mark.parametrize(
    "text",
    [
        "",
        "AA:BB:CC:DD:EE:FF",
        "bt:AA:BB:CC:DD:EE:FF",
        "ble:AA:BB:CC:DD:EE",
        "ble:AA:BB:CC:DD:EE:GG",
        "ble:AA:BB:CC:DD:EE:FF?foo=1",
        "serial:/dev/ttyUSB0",
        "serial:/dev/ttyUSB0?protocol=modbus",
        "serial:?protocol=csafe",
        "sim:x",
        "sim:?seed=abc",
    ],
)
def test_parse_invalid(text: str) -> None:
    with pytest.raises(ValidationError, match="ble:AA:BB"):
        parse_address(text)


def test_factories_build_ble_devices_with_adapter() -> None:
    clock = ManualClock()
    treadmill = open_treadmill("ble:aa:bb:cc:dd:ee:01?adapter=hci1", clock)
    assert isinstance(treadmill, FtmsTreadmill)
    assert treadmill.address == "ble:AA:BB:CC:DD:EE:01"
    assert treadmill.link._options.adapter == "hci1"
    strap = open_hr_source("ble:aa:bb:cc:dd:ee:02", clock)
    assert isinstance(strap, BleHeartRateStrap)
    assert strap.link._options.adapter is None


def test_factories_build_sim_devices_and_couple_them() -> None:
    from drivers.sim.devices import SimHrStrap as SimStrap
    from drivers.sim.devices import SimTreadmill

    clock = ManualClock()
    treadmill = open_treadmill("sim:", clock)
    assert isinstance(treadmill, SimTreadmill)
    strap = open_hr_source("sim:?seed=4", clock, treadmill=treadmill)
    assert isinstance(strap, SimStrap)
    assert strap.treadmill is treadmill
    assert strap.address == "sim:?seed=4"


def test_serial_protocols_go_to_the_right_device_kind() -> None:
    from drivers.serial import CsafeTreadmill
    from drivers.serial.ant_hr import AntHrReceiver as AntHrReceiverType

    clock = ManualClock()
    assert isinstance(open_treadmill("serial:/dev/ttyUSB0?protocol=csafe", clock), CsafeTreadmill)
    assert isinstance(open_hr_source("serial:/dev/ttyUSB0?protocol=ant", clock), AntHrReceiverType)
    with pytest.raises(ValidationError, match="heart-rate"):
        open_hr_source("serial:/dev/ttyUSB0?protocol=csafe", clock)
    with pytest.raises(ValidationError, match="treadmill protocol"):
        open_treadmill("serial:/dev/ttyUSB0?protocol=ant", clock)


def test_sim_addresses_do_not_import_bleak() -> None:
    code = (
        "import sys; from drivers.addresses import open_treadmill;"
        "from runningroom.clock import ManualClock; open_treadmill('sim:', ManualClock());"
        "print('bleak' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _patch_scan(monkeypatch: pytest.MonkeyPatch, radio: FakeRadio) -> None:
    real_scan = scanner_module.scan

    def fake_scan(
        timeout_s: float, *, options: BleOptions | None = None
    ) -> Coroutine[Any, Any, list[ScanResult]]:
        return real_scan(min(timeout_s, 0.1), options=fast_options(radio))

    monkeypatch.setattr(scanner_module, "scan", fake_scan)


def test_devices_scan_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    radio = FakeRadio()
    radio.add(SimFtmsTreadmill(address=FTMS_ADDRESS))
    radio.add(SimHrStrap(address=HR_ADDRESS))
    _patch_scan(monkeypatch, radio)
    assert main(["devices", "scan", "--timeout", "1", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["kind"], r["address"], r["name"]) for r in rows] == [
        ("treadmill", f"ble:{FTMS_ADDRESS}", "SIM-FTMS"),
        ("hr", f"ble:{HR_ADDRESS}", "SIM-HRM"),
    ]
    assert rows[0]["rssi_dbm"] == -55


def test_devices_scan_table(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    radio = FakeRadio()
    radio.add(SimHrStrap(address=HR_ADDRESS))
    _patch_scan(monkeypatch, radio)
    assert main(["devices", "scan", "--timeout", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["KIND", "ADDRESS", "RSSI", "NAME"]
    assert out[1].split() == ["hr", f"ble:{HR_ADDRESS}", "-55", "SIM-HRM"]


def test_devices_scan_without_adapter_is_one_line_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    radio = FakeRadio()
    radio.adapter_present = False
    _patch_scan(monkeypatch, radio)
    assert main(["devices", "scan", "--timeout", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no Bluetooth adapter" in err


def test_devices_scan_without_bluetooth_stack_real_bleak(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    env_bus = f"unix:path={tmp_path}/no-such-bus"
    proc = subprocess.run(
        [sys.executable, "-m", "runningroom_app", "devices", "scan", "--timeout", "0.5"],
        capture_output=True,
        text=True,
        env={"DBUS_SYSTEM_BUS_ADDRESS": env_bus, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("runningroom devices scan: no Bluetooth adapter")
    assert proc.stderr.count("\n") == 1
