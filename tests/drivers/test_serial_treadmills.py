"""Serial treadmills through real pyserial against pty simulators: protocol-specific
behaviour beyond the contract (watchdog, console events, refusals, timeouts)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.protocols.csafe import CsafeState
from drivers.serial import CsafeTreadmill, TrackmasterTreadmill, open_serial_treadmill
from runningroom.clock import ManualClock, SystemClock
from runningroom.devices import BeltState, DeviceEvent, DeviceEventKind, TreadmillMeasurement
from runningroom.errors import (
    ControlNotPermittedError,
    DeviceError,
    DeviceNotFoundError,
    DeviceTimeoutError,
)
from testkit.serial.simulators import (
    BeltSim,
    CsafeTreadmillSimulator,
    PtySerialSimulator,
    TrackmasterTreadmillSimulator,
)
from tests.drivers.serial_helpers import wait_for

pytestmark = pytest.mark.serial_e2e


def fast_belt(min_speed_kmh: float = 0.8) -> BeltSim:
    return BeltSim(accel_kmh_per_s=25.0, decel_kmh_per_s=25.0, incline_rate_pct_per_s=40.0,
                   min_speed_kmh=min_speed_kmh)  # fmt: skip


class Recorder:
    def __init__(self, treadmill: Any) -> None:
        self.measurements: list[TreadmillMeasurement] = []
        self.events: list[DeviceEvent] = []
        treadmill.add_measurement_listener(self.measurements.append)
        treadmill.add_event_listener(self.events.append)

    def kinds(self) -> list[DeviceEventKind]:
        return [e.kind for e in self.events]


@pytest.fixture
def sims() -> Iterator[list[PtySerialSimulator]]:
    started: list[PtySerialSimulator] = []
    yield started
    for sim in started:
        sim.close()


def serve(sims: list[PtySerialSimulator], sim: PtySerialSimulator) -> PtySerialSimulator:
    sims.append(sim.start())
    return sim


@pytest.fixture
async def cleanup() -> AsyncIterator[list[Any]]:
    devices: list[Any] = []
    yield devices
    for dev in devices:
        await dev.disconnect()


# -- Woodway watchdog ------------------------------------------------------------------------


async def test_woodway_starts_with_hardware_watchdog_and_belt_stops_when_host_goes_silent(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim = serve(sims, TrackmasterTreadmillSimulator("woodway", fast_belt(), watchdog_s=0.3))
    assert isinstance(sim, TrackmasterTreadmillSimulator)
    tmill = TrackmasterTreadmill(
        sim.port, SystemClock(), "woodway", poll_period_s=0.1, timeout_s=0.2
    )
    cleanup.append(tmill)
    await tmill.connect()
    await tmill.set_speed(6.0)
    assert 0xA0 in sim.received  # the watchdog start
    assert await wait_for(lambda: sim.belt_speed_kmh > 5.5)
    # polling feeds the watchdog: the belt keeps running well past watchdog_s
    await asyncio.sleep(0.8)
    assert sim.belt_speed_kmh > 5.5 and not sim.watchdog_tripped
    # the host "crashes": polling stops, nobody stops the belt
    await tmill.disconnect()
    assert await wait_for(lambda: sim.belt_speed_kmh == 0.0)
    assert sim.watchdog_tripped
    # a new connection gets the trip reported once and carries on
    again = TrackmasterTreadmill(
        sim.port, SystemClock(), "woodway", poll_period_s=0.1, timeout_s=0.2
    )
    cleanup.append(again)
    rec = Recorder(again)
    await again.connect()
    assert DeviceEventKind.NOT_RESPONDING in rec.kinds()
    assert rec.measurements[-1].belt is BeltState.STOPPED


async def test_woodway_without_watchdog_uses_plain_start(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim = serve(sims, TrackmasterTreadmillSimulator("woodway", fast_belt(), watchdog_s=0.2))
    assert isinstance(sim, TrackmasterTreadmillSimulator)
    tmill = open_serial_treadmill(
        sim.port, "woodway", SystemClock(), watchdog=False, poll_period_s=0.1
    )
    cleanup.append(tmill)
    await tmill.connect()
    await tmill.start()
    assert 0xA9 in sim.received and 0xA0 not in sim.received
    assert not sim.watchdog_armed


# -- Trackmaster ------------------------------------------------------------------------------


async def test_trackmaster_reports_console_changes_and_stop(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim = serve(sims, TrackmasterTreadmillSimulator("trackmaster", fast_belt(0.32)))
    tmill = TrackmasterTreadmill(sim.port, SystemClock(), poll_period_s=0.1, timeout_s=0.2)
    cleanup.append(tmill)
    rec = Recorder(tmill)
    await tmill.connect()
    await tmill.set_speed(4.0)
    assert await wait_for(lambda: sim.belt_speed_kmh > 3.8)
    sim.console_set_speed(8.0)
    assert await wait_for(lambda: DeviceEventKind.CONSOLE_SPEED_CHANGED in rec.kinds())
    event = next(e for e in rec.events if e.kind is DeviceEventKind.CONSOLE_SPEED_CHANGED)
    assert event.value == pytest.approx(8.0, abs=0.1)
    sim.press_stop()
    assert await wait_for(lambda: DeviceEventKind.STOPPED_BY_USER in rec.kinds())
    assert await wait_for(lambda: rec.measurements[-1].belt is BeltState.STOPPED)


async def test_trackmaster_speed_is_sent_in_tenths_of_mph(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim = serve(sims, TrackmasterTreadmillSimulator("trackmaster", fast_belt(0.32)))
    tmill = TrackmasterTreadmill(sim.port, SystemClock(), poll_period_s=0.2, timeout_s=0.2)
    cleanup.append(tmill)
    await tmill.connect()
    await tmill.set_speed(5.633)  # 3.5 mph
    assert b"\xa30035" in bytes(sim.received)
    assert b"\xa1" in bytes(sim.received)  # a stopped belt is started after the speed
    await tmill.set_incline(5.0)
    assert b"\xa40050" in bytes(sim.received)


async def test_device_error_bytes_become_device_errors(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim = serve(sims, TrackmasterTreadmillSimulator("trackmaster", fast_belt(0.32)))
    tmill = TrackmasterTreadmill(sim.port, SystemClock(), poll_period_s=0.2, timeout_s=0.2)
    cleanup.append(tmill)
    await tmill.connect()
    with pytest.raises(DeviceError, match="out of range"):
        await tmill.command(b"\xa3" + b"0999")  # 99.9 mph: the device answers BE
    msg = await tmill.command(b"\xc4")
    assert msg.kind == "status_reply"


async def test_illegal_command_byte_gets_bf(sims: list[PtySerialSimulator]) -> None:
    sim = serve(sims, TrackmasterTreadmillSimulator("trackmaster"))
    import serial

    with serial.Serial(sim.port, 4800, timeout=0.5) as port:
        port.write(b"\xa5")
        assert port.read(1) == b"\xbf"
        port.write(b"\xc1")
        assert port.read(5) == b"\xd10000"


# -- CSAFE -------------------------------------------------------------------------------------


async def test_csafe_relays_hr_elapsed_and_distance(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim = serve(sims, CsafeTreadmillSimulator(fast_belt(), hr_bpm=123))
    tmill = CsafeTreadmill(sim.port, SystemClock(), poll_period_s=0.1, timeout_s=0.2)
    cleanup.append(tmill)
    rec = Recorder(tmill)
    caps = await tmill.connect()
    assert caps.reports_hr
    assert tmill.version["model"] == 42
    await tmill.set_speed(10.0)
    assert await wait_for(lambda: (rec.measurements[-1].distance_m or 0) >= 2)
    last = rec.measurements[-1]
    assert last.hr_bpm == 123
    assert last.belt is BeltState.RUNNING
    assert last.elapsed_s is not None and last.elapsed_s >= 0


async def test_csafe_safety_key_and_pause_events(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim = serve(sims, CsafeTreadmillSimulator(fast_belt()))
    assert isinstance(sim, CsafeTreadmillSimulator)
    tmill = CsafeTreadmill(sim.port, SystemClock(), poll_period_s=0.1, timeout_s=0.2)
    cleanup.append(tmill)
    rec = Recorder(tmill)
    await tmill.connect()
    await tmill.set_speed(5.0)
    sim.press_pause()
    assert await wait_for(lambda: DeviceEventKind.PAUSED_BY_USER in rec.kinds())
    await tmill.set_speed(5.0)  # resumes (GoInUse + SetSpeed)
    assert await wait_for(lambda: sim.belt_speed_kmh > 4.5)
    sim.pull_safety_key()
    assert await wait_for(lambda: DeviceEventKind.SAFETY_KEY in rec.kinds())
    assert sim.belt_speed_kmh == 0.0
    with pytest.raises(ControlNotPermittedError):
        await tmill.set_speed(5.0)  # GoReady/GoInUse are rejected while the key is out
    assert DeviceEventKind.COMMAND_FAILED in rec.kinds()
    sim.insert_safety_key()
    await tmill.set_speed(5.0)  # Error -> GoReady -> GoIdle -> GoHaveID -> GoInUse
    assert await wait_for(lambda: sim.belt_speed_kmh > 4.5)


async def test_csafe_walks_the_state_diagram_to_in_use(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim = serve(sims, CsafeTreadmillSimulator(fast_belt(), strict=True))
    assert isinstance(sim, CsafeTreadmillSimulator)
    tmill = CsafeTreadmill(sim.port, SystemClock(), poll_period_s=0.1, timeout_s=0.2)
    cleanup.append(tmill)
    await tmill.connect()
    await tmill.start()
    received = bytes(sim.received)
    assert bytes([0x82, 0x83, 0x85]) in received  # GoIdle, GoHaveID, GoInUse from Ready
    assert sim.state.name == "IN_USE"
    sim.press_stop()  # Finished
    assert await wait_for(lambda: tmill._state is not None and tmill._state.name == "FINISHED")
    await tmill.set_speed(6.0)
    assert bytes([0x87, 0x82, 0x83, 0x85]) in bytes(sim.received)  # GoReady first
    assert await wait_for(lambda: sim.belt_speed_kmh > 5.5)
    await tmill.stop()
    assert sim.state.name == "FINISHED"


async def test_csafe_machine_that_ignores_set_speed_is_refused(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim = serve(sims, CsafeTreadmillSimulator(fast_belt(), honours_set_speed=False))
    tmill = CsafeTreadmill(sim.port, SystemClock(), poll_period_s=0.2, timeout_s=0.2)
    cleanup.append(tmill)
    await tmill.connect()
    with pytest.raises(ControlNotPermittedError):
        await tmill.set_speed(5.0)


async def test_csafe_english_units_machine(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim = serve(sims, CsafeTreadmillSimulator(fast_belt(), english_units=True))
    tmill = CsafeTreadmill(sim.port, SystemClock(), poll_period_s=0.1, timeout_s=0.2)
    cleanup.append(tmill)
    rec = Recorder(tmill)
    await tmill.connect()
    assert tmill.english_units
    await tmill.set_speed(8.0)
    assert bytes([0x25, 0x03, 50, 0, 0x11]) in bytes(sim.received)  # 5.0 mph in 0.1 mph
    assert await wait_for(lambda: abs((rec.measurements[-1].speed_kmh or 0) - 8.05) < 0.1)


# -- timeouts, missing ports, protocol names -------------------------------------------------


async def test_silent_device_times_out_quickly_and_is_reported(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim = serve(sims, CsafeTreadmillSimulator(fast_belt()))
    tmill = CsafeTreadmill(sim.port, SystemClock(), poll_period_s=0.1, timeout_s=0.15)
    cleanup.append(tmill)
    rec = Recorder(tmill)
    await tmill.connect()
    sim.silent = True
    with pytest.raises(DeviceTimeoutError):
        await tmill.set_speed(5.0)  # a silent machine gives a timeout, not a hang
    assert await wait_for(lambda: DeviceEventKind.NOT_RESPONDING in rec.kinds())
    sim.silent = False
    assert await wait_for(lambda: DeviceEventKind.RECONNECTED in rec.kinds())


async def test_connect_to_silent_device_raises_timeout(sims: list[PtySerialSimulator]) -> None:
    sim = serve(sims, TrackmasterTreadmillSimulator("woodway"))
    sim.silent = True
    tmill = TrackmasterTreadmill(sim.port, SystemClock(), "woodway", timeout_s=0.1)
    with pytest.raises(DeviceTimeoutError):
        await tmill.connect()
    assert not tmill.link.is_open
    await tmill.stop()  # safe after a failed connect


async def test_missing_port_is_device_not_found() -> None:
    tmill = open_serial_treadmill("/dev/runningroom-missing", "csafe", ManualClock())
    with pytest.raises(DeviceNotFoundError):
        await tmill.connect()


def test_factory_rejects_unknown_protocol_and_slow_polling() -> None:
    with pytest.raises(ValueError, match="unknown serial treadmill protocol"):
        open_serial_treadmill("/dev/null", "coscom", ManualClock())
    with pytest.raises(ValueError):
        open_serial_treadmill("/dev/null", "csafe", ManualClock(), poll_period_s=2.0)
    assert isinstance(
        open_serial_treadmill("/dev/null", "Woodway", ManualClock()), TrackmasterTreadmill
    )


def test_simulator_command_line_serves_a_pty() -> None:
    import subprocess
    import sys

    import serial

    proc = subprocess.Popen(
        [sys.executable, "-m", "testkit.serial.simulators", "trackmaster"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        port_path = proc.stdout.readline().strip()
        assert port_path.startswith("/dev/")
        with serial.Serial(port_path, 4800, timeout=1.0) as port:
            port.write(b"\xc0")
            assert port.read(2) == b"\xd01"
    finally:
        proc.terminate()
        proc.wait(timeout=5)
        if proc.stdout is not None:
            proc.stdout.close()


# -- port failure: reopen with backoff ------------------------------------------------------


@pytest.mark.parametrize("protocol", ["csafe", "woodway"])
async def test_unplugged_port_is_reopened_with_backoff_and_a_pending_stop_sent(
    protocol: str, tmp_path: Any, sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    def make(belt_kmh: float = 0.0) -> PtySerialSimulator:
        belt = fast_belt()
        if belt_kmh > 0:
            belt.set_speed(belt_kmh)
            belt.start()
        if protocol == "csafe":
            csafe_sim = CsafeTreadmillSimulator(belt)
            if belt_kmh > 0:
                csafe_sim.state = CsafeState.IN_USE  # the console never noticed the unplug
            return serve(sims, csafe_sim)
        return serve(sims, TrackmasterTreadmillSimulator("woodway", belt))

    # a stable device name, like /dev/serial/by-id/... for a USB adapter
    link = tmp_path / "ttyRR"
    first = make()
    link.symlink_to(first.port)
    tmill = open_serial_treadmill(
        str(link), protocol, SystemClock(), poll_period_s=0.1, timeout_s=0.2
    )
    tmill.reopen_backoff_s = (0.05, 0.1)
    cleanup.append(tmill)
    rec = Recorder(tmill)
    await tmill.connect()
    await tmill.start()
    await tmill.set_speed(5.0)
    assert await wait_for(lambda: first.belt_speed_kmh > 4.5)

    first.close()  # the USB adapter is unplugged: the port itself fails
    assert await wait_for(lambda: rec.kinds().count(DeviceEventKind.RECONNECTING) >= 2)
    assert DeviceEventKind.DISCONNECTED in rec.kinds()
    attempts = [e.value for e in rec.events if e.kind is DeviceEventKind.RECONNECTING]
    assert attempts[:2] == [1.0, 2.0]
    with pytest.raises(DeviceError, match="sent when it is back"):
        await tmill.stop()  # remembered, the station alarms meanwhile

    # plugged in again (a new pty behind the same name); the belt kept running
    second = make(belt_kmh=5.0)
    if link.resolve() != Path(second.port):  # the kernel may reuse the pty number
        link.unlink()
        link.symlink_to(second.port)
    assert await wait_for(lambda: DeviceEventKind.RECONNECTED in rec.kinds(), 5.0)
    reconnected = next(e for e in rec.events if e.kind is DeviceEventKind.RECONNECTED)
    assert reconnected.value is not None and reconnected.value > 0
    assert await wait_for(lambda: second.belt_speed_kmh == 0.0)  # the pending stop
    count = len(rec.measurements)
    assert await wait_for(lambda: len(rec.measurements) > count + 2)  # polling resumed
