"""One full session each for an FTMS treadmill and an HR strap: unmodified bleak on
BlueZoo's hci0, simulated peripherals served over the BlueZ D-Bus API on hci1."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from drivers.ble.ftms import FtmsTreadmill
from drivers.ble.heart_rate import BleHeartRateStrap
from drivers.ble.link import BleOptions
from drivers.ble.scanner import FoundKind, scan
from drivers.protocols import uuids
from runningroom.clock import SystemClock
from runningroom.devices import (
    BeltState,
    DeviceEvent,
    DeviceEventKind,
    HrSample,
    SensorContact,
    TreadmillMeasurement,
)
from testkit.ble import captures
from tests.ble_e2e.conftest import APP_ADAPTER, BluezWorld

pytestmark = pytest.mark.ble_e2e

OPTIONS = BleOptions(adapter=APP_ADAPTER, scan_timeout_s=8.0, connect_timeout_s=8.0)


async def _wait(predicate: Callable[[], bool], timeout_s: float = 8.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def test_ftms_treadmill_session_over_bluez(bluez_world: BluezWorld) -> None:
    address = bluez_world.start_peripheral("ftms")
    treadmill = FtmsTreadmill(address, SystemClock(), options=OPTIONS, request_timeout_s=3.0)
    measurements: list[TreadmillMeasurement] = []
    events: list[DeviceEvent] = []
    treadmill.add_measurement_listener(measurements.append)
    treadmill.add_event_listener(events.append)
    try:
        caps = await treadmill.connect()
        assert caps.can_control_speed and caps.can_control_incline
        assert caps.min_speed_kmh == pytest.approx(0.8)
        assert caps.max_speed_kmh == pytest.approx(18.0)
        assert caps.min_incline_pct == pytest.approx(-3.0)
        assert caps.model.startswith("FTMS treadmill")
        assert [e.kind for e in events] == [
            DeviceEventKind.CONTROL_GRANTED,
            DeviceEventKind.CONNECTED,
        ]
        # the replayed real captures (split, truncated) arrive merged and decoded
        n = len(captures.TREADMILL_DATA_REPLAY_SPEEDS_KMH)
        await _wait(lambda: len(measurements) >= n)
        assert [m.speed_kmh for m in measurements[:n]] == pytest.approx(
            list(captures.TREADMILL_DATA_REPLAY_SPEEDS_KMH)
        )
        # control point: indications, one request at a time
        await treadmill.start()
        await treadmill.set_incline(2.0)
        await treadmill.set_speed(6.0)
        await _wait(
            lambda: (
                measurements[-1].speed_kmh == pytest.approx(6.0)
                and measurements[-1].incline_pct == pytest.approx(2.0)
            )
        )
        assert measurements[-1].belt == BeltState.RUNNING
        await treadmill.stop()
        await _wait(lambda: measurements[-1].speed_kmh == 0.0)
        assert DeviceEventKind.CONSOLE_SPEED_CHANGED not in [e.kind for e in events]
    finally:
        await treadmill.disconnect()


async def test_hr_strap_session_over_bluez(bluez_world: BluezWorld) -> None:
    address = bluez_world.start_peripheral("hr")
    found = await scan(1.5, options=OPTIONS)
    assert [(r.kind, r.address, r.name) for r in found] == [
        (FoundKind.HR, f"ble:{address}", "SIM-HRM")
    ]
    strap = BleHeartRateStrap(address, SystemClock(), options=OPTIONS)
    samples: list[HrSample] = []
    strap.add_sample_listener(samples.append)
    try:
        await strap.connect()
        assert strap.body_location == "chest"
        n = len(captures.HEART_RATE_REPLAY_BPM)
        await _wait(lambda: len(samples) >= n + 2)
        assert [s.hr_bpm for s in samples[:n]] == list(captures.HEART_RATE_REPLAY_BPM)
        assert samples[3].contact == SensorContact.NOT_SUPPORTED
        assert len(samples[1].rr_ms) == 2
        assert samples[n].hr_bpm == 72 and len(samples[n].rr_ms) == 1
    finally:
        await strap.disconnect()


async def test_start_required_treadmill_is_driven_over_bluez(bluez_world: BluezWorld) -> None:
    # A machine that answers Set Target Speed with Control Not Permitted until Start/Resume
    address = bluez_world.start_peripheral("ftms", faults=("start_required",))
    treadmill = FtmsTreadmill(address, SystemClock(), options=OPTIONS, request_timeout_s=3.0)
    measurements: list[TreadmillMeasurement] = []
    treadmill.add_measurement_listener(measurements.append)
    try:
        caps = await treadmill.connect()
        # controllable, told before Start, and the standing belt was not commanded
        assert caps.can_control_speed and not caps.monitor_only
        assert caps.model.endswith("control: start-required")
        await treadmill.start()
        await treadmill.set_speed(5.0)
        await _wait(lambda: bool(measurements) and measurements[-1].speed_kmh == 5.0)
        assert treadmill.control_mode == "full"
        await treadmill.stop()
        await _wait(lambda: measurements[-1].speed_kmh == 0.0)
    finally:
        await treadmill.disconnect()
    cp = uuids.FITNESS_MACHINE_CONTROL_POINT
    writes = [
        line.split()[2]
        for line in bluez_world.peripheral_output("ftms").splitlines()
        if line.startswith(f"WRITE {cp} ")
    ]
    assert writes[:3] == ["00", "07", "025000"]  # Request Control, Start, then 0.8 km/h
    assert writes[-1] == "0801"
