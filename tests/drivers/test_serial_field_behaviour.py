"""Serial treadmills as real machines behave, through real pyserial on pty simulators:
the safety key as Offline, phantom console changes, lost and refused commands, late
replies and mph machines. Each behaviour is switched on in the simulator."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from drivers.protocols.csafe import Cmd, CsafeState
from drivers.protocols.trackmaster import KMH_PER_MPH
from drivers.serial import CsafeTreadmill, TrackmasterTreadmill
from runningroom.clock import SystemClock
from runningroom.devices import BeltState, DeviceEventKind, TreadmillCapabilities
from runningroom.errors import ControlNotPermittedError, DeviceError
from testkit.serial.simulators import (
    CsafeTreadmillSimulator,
    PtySerialSimulator,
    TrackmasterTreadmillSimulator,
)
from tests.drivers.serial_helpers import Recorder, fast_belt, wait_for

pytestmark = pytest.mark.serial_e2e


@pytest.fixture
def sims() -> Iterator[list[PtySerialSimulator]]:
    started: list[PtySerialSimulator] = []
    yield started
    for sim in started:
        sim.close()


@pytest.fixture
async def cleanup() -> AsyncIterator[list[Any]]:
    devices: list[Any] = []
    yield devices
    for dev in devices:
        await dev.disconnect()


#: Reply timeout of the drivers under test: long enough that a busy machine does not
#: time out by itself (the scenarios make their own timeouts)
TIMEOUT_S = 1.0


def csafe_pair(
    sims: list[PtySerialSimulator],
    cleanup: list[Any],
    *,
    timeout_s: float = TIMEOUT_S,
    **options: Any,
) -> tuple[CsafeTreadmillSimulator, CsafeTreadmill, Recorder]:
    sim = CsafeTreadmillSimulator(fast_belt(), **options)
    sims.append(sim.start())
    tmill = CsafeTreadmill(sim.port, SystemClock(), poll_period_s=0.1, timeout_s=timeout_s)
    cleanup.append(tmill)
    return sim, tmill, Recorder(tmill)


# -- CSAFE safety key and every state that means the belt stopped ------------------------


async def test_csafe_offline_safety_key_is_a_safety_key_event_with_zero_speed(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim, tmill, rec = csafe_pair(sims, cleanup, safety_key_state=CsafeState.OFFLINE)
    await tmill.connect()
    await tmill.set_speed(5.8)
    assert await wait_for(lambda: (rec.measurements[-1].speed_kmh or 0) > 5.5)
    sim.pull_safety_key()  # Offline; the console keeps answering 5.8 km/h
    assert await wait_for(lambda: DeviceEventKind.SAFETY_KEY in rec.kinds())
    assert DeviceEventKind.NOT_RESPONDING not in rec.kinds()
    after = len(rec.measurements)
    assert await wait_for(lambda: len(rec.measurements) >= after + 3)
    assert [m.speed_kmh for m in rec.measurements[after:]] == [0.0] * len(rec.measurements[after:])
    assert rec.measurements[-1].belt is BeltState.STOPPED
    sim.insert_safety_key()
    assert await wait_for(lambda: any(e.value == 1.0 for e in rec.of(DeviceEventKind.SAFETY_KEY)))
    await tmill.set_speed(4.0)  # Ready -> InUse again
    assert await wait_for(lambda: sim.belt_speed_kmh > 3.5)


@pytest.mark.parametrize(
    ("state", "kind"),
    [
        (CsafeState.ERROR, DeviceEventKind.SAFETY_KEY),
        (CsafeState.OFFLINE, DeviceEventKind.SAFETY_KEY),
        (CsafeState.FINISHED, DeviceEventKind.STOPPED_BY_USER),
        (CsafeState.READY, DeviceEventKind.STOPPED_BY_USER),
        (CsafeState.IDLE, DeviceEventKind.STOPPED_BY_USER),
        (CsafeState.HAVE_ID, DeviceEventKind.STOPPED_BY_USER),
    ],
)
async def test_csafe_every_state_that_stops_the_belt_is_reported_as_a_stop(
    state: CsafeState,
    kind: DeviceEventKind,
    sims: list[PtySerialSimulator],
    cleanup: list[Any],
) -> None:
    sim, tmill, rec = csafe_pair(sims, cleanup)
    await tmill.connect()
    await tmill.set_speed(5.0)
    assert await wait_for(lambda: sim.belt_speed_kmh > 4.5)
    sim.enter_state(state)
    assert await wait_for(lambda: kind in rec.kinds())
    assert DeviceEventKind.NOT_RESPONDING not in rec.kinds()
    assert await wait_for(lambda: rec.measurements[-1].speed_kmh == 0.0)
    assert rec.measurements[-1].belt is BeltState.STOPPED


# -- mph machines: what was sent, converted once ------------------------------------------


async def test_csafe_mph_machine_reports_the_kmh_of_the_mph_value_sent(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim, tmill, _rec = csafe_pair(sims, cleanup, english_units=True)
    caps = await tmill.connect()
    step_kmh = 0.1 * KMH_PER_MPH
    # the engine plans on the grid the machine takes: whole 0.1 mph steps
    assert caps.speed_increment_kmh == pytest.approx(step_kmh, abs=1e-6)
    assert caps.min_speed_kmh / step_kmh == pytest.approx(round(caps.min_speed_kmh / step_kmh))
    await tmill.set_speed(5.0)  # 3.107 mph: 3.1 mph goes on the wire
    assert bytes([0x25, 0x03, 31, 0, 0x11]) in bytes(sim.received)
    assert tmill.commanded_speed_kmh == pytest.approx(3.1 * KMH_PER_MPH, abs=1e-6)
    assert sim.belt.setpoint_speed_kmh == pytest.approx(tmill.commanded_speed_kmh, abs=1e-3)


async def test_trackmaster_reports_the_kmh_of_the_mph_value_sent(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim = TrackmasterTreadmillSimulator("trackmaster", fast_belt(0.32))
    sims.append(sim.start())
    metric = TreadmillCapabilities(min_speed_kmh=0.5, max_speed_kmh=20.0)  # a km/h grid
    tmill = TrackmasterTreadmill(
        sim.port, SystemClock(), capabilities=metric, poll_period_s=0.1, timeout_s=TIMEOUT_S
    )
    cleanup.append(tmill)
    await tmill.connect()
    await tmill.set_speed(5.0)
    assert b"\xa30031" in bytes(sim.received)
    assert tmill.commanded_speed_kmh == pytest.approx(3.1 * KMH_PER_MPH, abs=1e-6)
    await tmill.stop()
    assert tmill.commanded_speed_kmh == 0.0


# -- Trackmaster: our own command is no console change --------------------------------------


async def test_trackmaster_speed_command_during_a_poll_is_no_console_change(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim = TrackmasterTreadmillSimulator("trackmaster", fast_belt(0.32))
    sims.append(sim.start())
    tmill = TrackmasterTreadmill(sim.port, SystemClock(), poll_period_s=0.1, timeout_s=1.0)
    cleanup.append(tmill)
    rec = Recorder(tmill)
    await tmill.connect()
    await tmill.set_speed(4.0)
    assert await wait_for(lambda: sim.belt_speed_kmh > 3.8)
    for target_kmh in (6.0, 4.0, 6.0):
        sim.hold_reply_to = 0xC3  # the poll reads the old setpoint ...
        assert await wait_for(sim.holding_reply.is_set)
        command = asyncio.create_task(tmill.set_speed(target_kmh))
        for _ in range(5):
            await asyncio.sleep(0)  # ... while our command queues behind it
        mark = len(sim.received)
        sim.release_reply()
        await command
        # the command went out in the middle of the poll: between C3 and C4
        assert bytes(sim.received[mark:]).startswith(b"\xa3")
        assert await rec.more_measurements(3)
    assert DeviceEventKind.CONSOLE_SPEED_CHANGED not in rec.kinds()
    # a real console change is still reported
    sim.console_set_speed(8.0)
    assert await wait_for(lambda: DeviceEventKind.CONSOLE_SPEED_CHANGED in rec.kinds())
    assert rec.of(DeviceEventKind.CONSOLE_SPEED_CHANGED)[0].value == pytest.approx(8.0, abs=0.1)


# -- late replies: the toggle bit ---------------------------------------------------------


async def test_csafe_late_reply_is_dropped_not_taken_for_the_next_request(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim, tmill, rec = csafe_pair(sims, cleanup)
    await tmill.connect()
    await tmill.set_speed(5.0)
    assert await wait_for(lambda: (rec.measurements[-1].speed_kmh or 0) > 4.5)
    sim.late_reply_to = Cmd.SET_SPEED  # its reply comes after the timeout
    after = len(rec.measurements)
    with contextlib.suppress(DeviceError):
        await tmill.set_speed(6.0)
    assert await rec.more_measurements(5)
    # the late, empty SetSpeed reply is not taken as the next poll's answer
    assert all(m.speed_kmh is not None for m in rec.measurements[after:])
    assert tmill.replies.stale_dropped == 1
    sim.late_reply_to = Cmd.GET_SPEED  # a late poll reply
    assert await wait_for(lambda: tmill.replies.stale_dropped == 2)
    assert await rec.more_measurements(3)
    assert all(m.speed_kmh is not None for m in rec.measurements[after:])


async def test_trackmaster_late_reply_is_dropped_not_taken_for_the_next_request(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim, tmill, rec = trackmaster_pair(sims, cleanup)
    await tmill.connect()
    await tmill.set_speed(5.0)
    assert await rec.more_measurements(2)
    sim.late_reply_to = 0xC3  # the setpoint reading comes after the timeout
    assert await wait_for(lambda: sim.late_reply_to is None)
    assert await rec.more_measurements(5)
    # one poll failed (its reply was late); the next one is not failed by the late reply
    assert DeviceEventKind.NOT_RESPONDING not in rec.kinds()
    assert DeviceEventKind.CONSOLE_SPEED_CHANGED not in rec.kinds()
    assert tmill.stale_replies_dropped == 1


# -- lost and refused commands --------------------------------------------------------------


def trackmaster_pair(
    sims: list[PtySerialSimulator], cleanup: list[Any], **options: Any
) -> tuple[TrackmasterTreadmillSimulator, TrackmasterTreadmill, Recorder]:
    sim = TrackmasterTreadmillSimulator("trackmaster", fast_belt(0.32), **options)
    sims.append(sim.start())
    tmill = TrackmasterTreadmill(sim.port, SystemClock(), poll_period_s=0.1, timeout_s=TIMEOUT_S)
    cleanup.append(tmill)
    return sim, tmill, Recorder(tmill)


async def test_trackmaster_speed_with_a_corrupted_ack_is_read_back_not_failed(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim, tmill, rec = trackmaster_pair(sims, cleanup)
    await tmill.connect()
    await tmill.set_speed(4.0)
    sim.corrupt_reply_to = 0xA3
    mark = len(sim.received)
    await tmill.set_speed(6.0)  # applied; its acknowledgement arrives as noise
    assert DeviceEventKind.COMMAND_FAILED not in rec.kinds()
    assert bytes(sim.received[mark:]).count(b"\xa3") == 1  # read back (C3), not re-sent
    assert b"\xc3" in bytes(sim.received[mark:])
    assert await wait_for(lambda: sim.belt_speed_kmh > 5.8)


async def test_csafe_speed_with_a_corrupted_reply_is_not_logged_as_failed(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim, tmill, rec = csafe_pair(sims, cleanup)
    await tmill.connect()
    await tmill.set_speed(4.0)
    sim.corrupt_reply_to = Cmd.SET_SPEED
    await tmill.set_speed(6.0)
    assert DeviceEventKind.COMMAND_FAILED not in rec.kinds()
    assert tmill.commanded_speed_kmh == pytest.approx(6.0)
    assert await wait_for(lambda: sim.belt_speed_kmh > 5.8)


@pytest.mark.parametrize("protocol", ["csafe", "trackmaster"])
async def test_start_with_a_corrupted_reply_on_a_running_belt_is_not_sent_again(
    protocol: str, sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    tmill: CsafeTreadmill | TrackmasterTreadmill
    if protocol == "csafe":
        csim, tmill, rec = csafe_pair(sims, cleanup)
        csim.corrupt_reply_to = Cmd.GO_IN_USE
        start_byte = bytes([Cmd.GO_IN_USE])
        sim: PtySerialSimulator = csim
    else:
        tsim, tmill, rec = trackmaster_pair(sims, cleanup)
        tsim.corrupt_reply_to = 0xA1
        start_byte = b"\xa1"
        sim = tsim
    await tmill.connect()
    await tmill.start()  # the belt starts; the reply is corrupted
    assert DeviceEventKind.COMMAND_FAILED not in rec.kinds()
    assert bytes(sim.received).count(start_byte) == 1
    await tmill.set_speed(5.0)
    assert await wait_for(lambda: sim.belt_speed_kmh > 4.8)
    assert bytes(sim.received).count(start_byte) == 1


async def test_start_repeated_after_a_failed_start_is_not_sent_again_on_a_running_belt(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim, tmill, _rec = trackmaster_pair(sims, cleanup)
    await tmill.connect()
    sim.corrupt_reply_to = 0xA1  # the start is applied, its ack lost ...
    sim.hold_reply_to = 0xC0  # ... and the read-back gets no answer in time
    with pytest.raises(DeviceError):
        await tmill.start()
    sim.release_reply()
    assert await wait_for(lambda: sim.belt_speed_kmh > 0.3)
    mark = len(sim.received)
    await tmill.start()  # the engine asks again: the belt already runs
    sent = bytes(sim.received[mark:])
    assert b"\xa1" not in sent and b"\xa3" not in sent
    assert sim.belt.running


async def test_trackmaster_speed_above_the_machines_limit_is_clamped_and_refused_once(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim, tmill, rec = trackmaster_pair(sims, cleanup, max_speed_kmh=10.0)
    await tmill.connect()
    await tmill.set_speed(8.0)
    await tmill.set_speed(12.0)  # refused by the machine (BE): clamped to its limit
    limit_kmh = 6.2 * KMH_PER_MPH  # the highest 0.1 mph step <= 10 km/h
    assert tmill.speed_limit_kmh == pytest.approx(limit_kmh, abs=1e-3)
    assert tmill.commanded_speed_kmh == pytest.approx(limit_kmh, abs=1e-3)
    assert sim.belt.setpoint_speed_kmh == pytest.approx(limit_kmh, abs=1e-3)
    refusals = rec.of(DeviceEventKind.COMMAND_FAILED)
    assert len(refusals) == 1 and "refused" in refusals[0].message
    assert refusals[0].value == pytest.approx(limit_kmh, abs=1e-3)
    mark = len(sim.received)
    for _ in range(3):
        await tmill.set_speed(12.0)  # clamped without asking again
    assert bytes(sim.received[mark:]).count(b"\xa3") == 3
    assert b"\xa30062" in bytes(sim.received[mark:])
    assert len(rec.of(DeviceEventKind.COMMAND_FAILED)) == 1
    assert DeviceEventKind.NOT_RESPONDING not in rec.kinds()


async def test_csafe_refusal_reported_in_the_next_reply_is_noticed_and_clamped(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim, tmill, rec = csafe_pair(sims, cleanup, max_speed_kmh=10.0, verdict_in_next_reply=True)
    await tmill.connect()
    await tmill.set_speed(8.0)
    assert await wait_for(lambda: sim.belt_speed_kmh > 7.8)
    await tmill.set_speed(12.0)  # rejected: the reject comes in the next reply's status
    assert tmill.speed_limit_kmh == pytest.approx(10.0)
    assert sim.belt.setpoint_speed_kmh == pytest.approx(10.0)
    refusals = rec.of(DeviceEventKind.COMMAND_FAILED)
    assert len(refusals) == 1 and "refused" in refusals[0].message
    await tmill.set_speed(12.0)
    assert len(rec.of(DeviceEventKind.COMMAND_FAILED)) == 1
    assert DeviceEventKind.NOT_RESPONDING not in rec.kinds()


async def test_csafe_machine_refusing_set_speed_in_the_next_reply_is_refused(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    _sim, tmill, rec = csafe_pair(
        sims, cleanup, honours_set_speed=False, verdict_in_next_reply=True
    )
    await tmill.connect()
    with pytest.raises(ControlNotPermittedError):
        await tmill.start()  # GoInUse + SetSpeed: the reject comes in the next reply
    assert DeviceEventKind.COMMAND_FAILED in rec.kinds()


async def rec_failed_polls(tmill: CsafeTreadmill | TrackmasterTreadmill, count: int) -> bool:
    """Wait until ``count`` polls in a row have failed."""
    return await wait_for(lambda: tmill._failed_polls >= count)


# -- a silent host: what the belt does (documented in drivers/README.md) ----------------------


@pytest.mark.parametrize("protocol", ["csafe", "trackmaster", "woodway"])
async def test_silent_cable_belt_keeps_running_unless_woodway_watchdog(
    protocol: str, sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim: PtySerialSimulator
    tmill: CsafeTreadmill | TrackmasterTreadmill
    if protocol == "csafe":
        sim, tmill, rec = csafe_pair(sims, cleanup, timeout_s=0.2)
    else:
        sim = TrackmasterTreadmillSimulator(protocol, fast_belt(0.8), watchdog_s=0.5)
        sims.append(sim.start())
        tmill = TrackmasterTreadmill(
            sim.port, SystemClock(), protocol, poll_period_s=0.1, timeout_s=0.2
        )
        cleanup.append(tmill)
        rec = Recorder(tmill)
    await tmill.connect()
    assert tmill.stops_when_host_silent is (protocol == "woodway")
    await tmill.set_speed(6.0)
    assert await wait_for(lambda: sim.belt_speed_kmh > 5.8)
    sim.cable_out = True  # the machine hears nothing from the host
    assert await wait_for(lambda: DeviceEventKind.NOT_RESPONDING in rec.kinds())
    if protocol == "woodway":
        assert await wait_for(lambda: sim.belt_speed_kmh == 0.0)  # its watchdog stops it
    else:
        # well past a watchdog's 0.5 s, measured in host polls that went unheard
        assert await rec_failed_polls(tmill, 10)
        assert sim.belt_speed_kmh > 5.8  # no watchdog: the belt keeps running
    sim.cable_out = False  # plugged back on the same path
    assert await wait_for(lambda: DeviceEventKind.RECONNECTED in rec.kinds())
