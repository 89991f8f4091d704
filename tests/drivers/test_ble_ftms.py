"""FtmsTreadmill through unmodified bleak over the project's fake backend."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest

from drivers.ble.ftms import CONTROL_REFUSED_AT_START, FtmsTreadmill
from runningroom.clock import ManualClock
from runningroom.devices import (
    BeltState,
    DeviceEvent,
    DeviceEventKind,
    TreadmillMeasurement,
)
from runningroom.errors import (
    ControlNotPermittedError,
    DeviceError,
    DeviceNotFoundError,
    DeviceTimeoutError,
)
from testkit.ble import captures
from testkit.ble.fake_backend import FakeRadio
from testkit.ble.peripherals import SimFtmsTreadmill
from tests.drivers.ble_helpers import FTMS_ADDRESS, fast_options, kinds, wait_for


class Rig:
    def __init__(self, *, replay: bool = False, **sim_kwargs: object) -> None:
        self.radio = FakeRadio()
        self.sim = self.radio.add(
            SimFtmsTreadmill(
                address=FTMS_ADDRESS, period_s=0.02, replay_captures=replay, **sim_kwargs
            )  # type: ignore[arg-type]
        )
        self.clock = ManualClock()
        self.treadmill = FtmsTreadmill(
            FTMS_ADDRESS,
            self.clock,
            options=fast_options(self.radio),
            request_timeout_s=1.0,
            data_timeout_s=0.5,
        )
        self.events: list[DeviceEvent] = []
        self.measurements: list[TreadmillMeasurement] = []
        self.treadmill.add_event_listener(self.events.append)
        self.treadmill.add_measurement_listener(self.measurements.append)


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    r = Rig()
    yield r
    await r.treadmill.disconnect()
    await r.sim.aclose()


async def test_connect_reads_ranges_and_takes_control(rig: Rig) -> None:
    caps = await rig.treadmill.connect()
    assert caps.min_speed_kmh == pytest.approx(0.8)
    assert caps.max_speed_kmh == pytest.approx(18.0)
    assert caps.speed_increment_kmh == pytest.approx(0.1)
    assert caps.min_incline_pct == pytest.approx(-3.0)
    assert caps.incline_increment_pct == pytest.approx(0.5)
    assert caps.can_control_speed and caps.can_control_incline
    assert caps.reports_hr
    assert rig.sim.control_granted
    assert rig.sim.control_point_log[0] == b"\x00"
    assert kinds(rig.events) == [DeviceEventKind.CONTROL_GRANTED, DeviceEventKind.CONNECTED]
    assert rig.treadmill.address == f"ble:{FTMS_ADDRESS}"


async def test_speed_incline_start_stop_round_trip(rig: Rig) -> None:
    await rig.treadmill.connect()
    await rig.treadmill.start()
    await rig.treadmill.set_speed(6.04)  # quantised to 6.0
    await rig.treadmill.set_incline(2.3)  # quantised to 2.5
    assert rig.sim.control_point_log[-2:] == [b"\x02\x58\x02", b"\x03\x19\x00"]
    await wait_for(lambda: any(m.speed_kmh == pytest.approx(6.0) for m in rig.measurements))
    last = rig.measurements[-1]
    assert last.incline_pct == pytest.approx(2.5)
    assert last.belt == BeltState.RUNNING
    await rig.treadmill.stop()
    assert rig.sim.control_point_log[-1] == b"\x08\x01"
    await wait_for(lambda: rig.measurements[-1].speed_kmh == 0.0)
    # our own commands echoed on Fitness Machine Status are not console changes
    assert DeviceEventKind.CONSOLE_SPEED_CHANGED not in kinds(rig.events)
    assert DeviceEventKind.STOPPED_BY_USER not in kinds(rig.events)


async def test_targets_are_clamped_to_advertised_ranges(rig: Rig) -> None:
    await rig.treadmill.connect()
    await rig.treadmill.set_speed(30.0)
    assert rig.sim.target_speed_kmh == pytest.approx(18.0)
    await rig.treadmill.set_speed(0.2)
    assert rig.sim.target_speed_kmh == pytest.approx(0.8)
    await rig.treadmill.set_incline(-10)
    assert rig.sim.incline_pct == pytest.approx(-3.0)


async def test_split_and_truncated_captures_are_merged() -> None:
    r = Rig(replay=True)
    try:
        await r.treadmill.connect()
        n = len(captures.TREADMILL_DATA_REPLAY_SPEEDS_KMH)
        await wait_for(lambda: len(r.measurements) >= n)
        speeds = [m.speed_kmh for m in r.measurements[:n]]
        assert speeds == pytest.approx(list(captures.TREADMILL_DATA_REPLAY_SPEEDS_KMH))
        life_fitness = r.measurements[3]
        assert life_fitness.incline_pct == pytest.approx(6.0)
        assert life_fitness.distance_m == pytest.approx(37.0)
        assert life_fitness.elapsed_s == pytest.approx(31.0)
    finally:
        await r.treadmill.disconnect()
        await r.sim.aclose()


async def test_truncated_live_packets_still_give_speed(rig: Rig) -> None:
    rig.sim.faults.truncate_data = True
    await rig.treadmill.connect()
    await rig.treadmill.start()
    await rig.treadmill.set_speed(5.0)
    await wait_for(lambda: any(m.speed_kmh == pytest.approx(5.0) for m in rig.measurements))


async def test_control_refused_gives_monitor_only(rig: Rig) -> None:
    rig.sim.faults.refuse_control = True
    caps = await rig.treadmill.connect()
    assert caps.monitor_only and not caps.can_control_incline
    assert DeviceEventKind.CONTROL_LOST in kinds(rig.events)
    with pytest.raises(ControlNotPermittedError):
        await rig.treadmill.set_speed(5.0)
    report = await rig.treadmill.preflight()
    assert report.monitor_only and not report.speed_command_accepted


async def test_missing_control_point_is_monitor_only() -> None:
    r = Rig(with_control_point=False)
    try:
        caps = await r.treadmill.connect()
        assert caps.monitor_only
        await r.treadmill.stop()  # safe, only logs
        report = await r.treadmill.preflight()
        assert report.monitor_only and "monitor only" in report.reason
        with pytest.raises(ControlNotPermittedError):
            await r.treadmill.set_speed(4.0)
    finally:
        await r.treadmill.disconnect()
        await r.sim.aclose()


async def test_connect_does_not_move_a_standing_belt(rig: Rig) -> None:
    # a machine that starts on a speed target: any "test" speed command moves the belt
    rig.sim.faults.speed_starts_belt = True
    caps = await rig.treadmill.connect()
    assert caps.can_control_speed
    assert rig.sim.control_point_log == [b"\x00"]  # Request Control only
    assert not rig.sim.running and rig.sim.speed_kmh == 0.0
    assert rig.treadmill.control_mode == "start-required"
    assert caps.model.endswith("control: start-required")
    report = rig.treadmill.preflight_report
    assert report is not None and not report.monitor_only
    assert report.control_mode == "start-required"


async def test_start_required_treadmill_is_driven_after_start(rig: Rig) -> None:
    rig.sim.faults.start_required = True
    caps = await rig.treadmill.connect()
    assert caps.can_control_speed and not caps.monitor_only
    await rig.treadmill.start()
    assert rig.sim.control_point_log[-2:] == [b"\x07", b"\x02\x50\x00"]  # Start, 0.8 km/h
    assert rig.sim.running
    await rig.treadmill.set_speed(5.0)
    assert rig.sim.target_speed_kmh == pytest.approx(5.0)
    await wait_for(lambda: any(m.speed_kmh == pytest.approx(5.0) for m in rig.measurements))
    assert rig.treadmill.control_mode == "full"
    assert rig.treadmill.capabilities is not None
    assert rig.treadmill.capabilities.model.endswith("control: full")
    assert DeviceEventKind.CONTROL_LOST not in kinds(rig.events)


@pytest.mark.parametrize("result", [0x05, 0x04])
async def test_speed_refused_after_start_is_reported_as_advisory(rig: Rig, result: int) -> None:
    original = rig.sim._execute

    def refuse_speed(opcode: int, param: bytes) -> tuple[int, bytes | None]:
        if opcode == 0x02:
            return result, None  # Control Not Permitted / Operation Failed, even running
        return original(opcode, param)

    rig.sim._execute = refuse_speed  # type: ignore[method-assign]
    caps = await rig.treadmill.connect()
    assert not caps.monitor_only  # not knowable without moving the belt
    await rig.treadmill.start()  # the Start itself worked: no exception
    assert rig.treadmill.control_mode == "advisory"
    assert rig.treadmill.monitor_only
    assert rig.treadmill.capabilities is not None
    assert rig.treadmill.capabilities.model.endswith("control: advisory")
    lost = [e for e in rig.events if e.kind == DeviceEventKind.CONTROL_LOST]
    assert len(lost) == 1 and lost[0].value == CONTROL_REFUSED_AT_START
    assert "advisory" in lost[0].message
    with pytest.raises(ControlNotPermittedError):
        await rig.treadmill.set_speed(5.0)


async def test_missing_response_times_out_and_rereads_state(rig: Rig) -> None:
    await rig.treadmill.connect()
    rig.sim.faults.drop_responses = 1
    with pytest.raises(DeviceTimeoutError):
        await rig.treadmill.set_speed(5.0)
    assert DeviceEventKind.NOT_RESPONDING in kinds(rig.events)
    assert rig.treadmill.training_status is not None
    assert rig.treadmill.belt == BeltState.UNKNOWN
    # next request works again (one at a time, no stale pending request)
    await rig.treadmill.set_speed(5.5)
    assert rig.sim.target_speed_kmh == pytest.approx(5.5)


async def test_concurrent_requests_go_to_the_control_point_one_at_a_time(rig: Rig) -> None:
    # The simulated machine answers a write made while a procedure is still running with
    # ATT 0xFE "Procedure Already In Progress"; the driver must queue its requests.
    await rig.treadmill.connect()
    rig.sim.faults.response_delay_s = 0.05
    before = len(rig.sim.control_point_log)
    await asyncio.gather(
        rig.treadmill.start(),
        rig.treadmill.set_incline(2.0),
        rig.treadmill.set_speed(6.0),
        rig.treadmill.set_incline(3.0),
    )
    assert rig.sim.control_point_log[before:] == [
        b"\x07",
        b"\x02\x58\x02",  # Start proves the speed command (latest commanded: 6.0)
        b"\x03\x14\x00",
        b"\x02\x58\x02",
        b"\x03\x1e\x00",
    ]
    assert rig.sim.target_speed_kmh == pytest.approx(6.0)
    assert rig.sim.incline_pct == pytest.approx(3.0)
    assert DeviceEventKind.COMMAND_FAILED not in kinds(rig.events)


async def test_slow_response_within_timeout_succeeds(rig: Rig) -> None:
    await rig.treadmill.connect()
    rig.sim.faults.response_delay_s = 0.1
    await rig.treadmill.set_speed(3.0)
    assert rig.sim.target_speed_kmh == pytest.approx(3.0)


async def test_failed_start_is_a_device_error(rig: Rig) -> None:
    await rig.treadmill.connect()
    rig.sim.faults.fail_start = True
    with pytest.raises(DeviceError, match="operation_failed"):
        await rig.treadmill.start()


async def test_console_changes_and_safety_events(rig: Rig) -> None:
    await rig.treadmill.connect()
    await rig.treadmill.start()
    await rig.treadmill.set_speed(5.0)
    rig.sim.console_set_speed(7.5)
    await wait_for(lambda: DeviceEventKind.CONSOLE_SPEED_CHANGED in kinds(rig.events))
    ev = next(e for e in rig.events if e.kind == DeviceEventKind.CONSOLE_SPEED_CHANGED)
    assert ev.value == pytest.approx(7.5)
    rig.sim.pull_safety_key()
    await wait_for(lambda: DeviceEventKind.SAFETY_KEY in kinds(rig.events))
    rig.sim.console_stop()
    await wait_for(lambda: DeviceEventKind.STOPPED_BY_USER in kinds(rig.events))


async def test_control_permission_lost_then_regained_on_next_command(rig: Rig) -> None:
    await rig.treadmill.connect()
    rig.sim.revoke_control()
    await wait_for(lambda: DeviceEventKind.CONTROL_LOST in kinds(rig.events))
    assert not rig.treadmill.control_granted
    await rig.treadmill.set_speed(4.0)  # re-requests control first
    assert rig.sim.control_point_log[-2:] == [b"\x00", b"\x02\x90\x01"]
    rig.sim.faults.refuse_control = True
    rig.sim.revoke_control()
    await wait_for(lambda: not rig.treadmill.control_granted)
    with pytest.raises(ControlNotPermittedError):
        await rig.treadmill.set_speed(4.5)


async def test_not_found_and_no_adapter() -> None:
    radio = FakeRadio()
    t = FtmsTreadmill(
        "AA:AA:AA:AA:AA:AA", ManualClock(), options=fast_options(radio, scan_timeout_s=0.1)
    )
    with pytest.raises(DeviceNotFoundError):
        await t.connect()
    await t.stop()  # safe after a failed connect
    radio.adapter_present = False
    with pytest.raises(DeviceNotFoundError, match="adapter"):
        await t.connect()


async def test_link_loss_reconnects_and_restores_commanded_state(rig: Rig) -> None:
    await rig.treadmill.connect()
    await rig.treadmill.start()
    await rig.treadmill.set_incline(4.0)
    await rig.treadmill.set_speed(6.0)
    rig.radio.set_reachable(FTMS_ADDRESS, False)
    assert rig.radio.drop_link(FTMS_ADDRESS) == 1
    await wait_for(lambda: DeviceEventKind.RECONNECTING in kinds(rig.events))
    assert DeviceEventKind.DISCONNECTED in kinds(rig.events)
    # the treadmill "forgot" everything while the link was down
    rig.sim.target_speed_kmh = 0.0
    rig.sim.incline_pct = 0.0
    rig.clock.advance(4.0)
    rig.radio.set_reachable(FTMS_ADDRESS, True)
    await wait_for(lambda: DeviceEventKind.RECONNECTED in kinds(rig.events))
    await wait_for(lambda: rig.sim.target_speed_kmh == pytest.approx(6.0))
    assert rig.sim.incline_pct == pytest.approx(4.0)
    reconnected = next(e for e in rig.events if e.kind == DeviceEventKind.RECONNECTED)
    assert reconnected.value == pytest.approx(4.0)
    assert rig.treadmill.link.reconnect_count == 1
    assert rig.treadmill.connected


async def test_long_outage_stops_the_belt_on_reconnection(rig: Rig) -> None:
    await rig.treadmill.connect()
    await rig.treadmill.start()
    await rig.treadmill.set_speed(6.0)
    rig.radio.set_reachable(FTMS_ADDRESS, False)
    rig.radio.drop_link(FTMS_ADDRESS)
    await wait_for(lambda: DeviceEventKind.RECONNECTING in kinds(rig.events))
    rig.clock.advance(11.0)
    rig.radio.set_reachable(FTMS_ADDRESS, True)
    # the event follows the Stop's response: wait for it, not for the write alone
    await wait_for(
        lambda: any(
            e.kind == DeviceEventKind.STOPPED_BY_WATCHDOG and "watchdog" in e.message
            for e in rig.events
        )
    )
    assert rig.sim.control_point_log[-1] == b"\x08\x01"
    assert not rig.sim.running


async def test_disconnect_stops_reconnecting(rig: Rig) -> None:
    await rig.treadmill.connect()
    rig.radio.set_reachable(FTMS_ADDRESS, False)
    rig.radio.drop_link(FTMS_ADDRESS)
    await wait_for(lambda: rig.treadmill.link.reconnecting)
    await rig.treadmill.disconnect()
    attempts = rig.radio.connect_attempts[FTMS_ADDRESS]
    rig.radio.set_reachable(FTMS_ADDRESS, True)
    await asyncio.sleep(0.15)
    assert not rig.treadmill.link.reconnecting
    assert rig.radio.connect_attempts[FTMS_ADDRESS] == attempts


async def test_silent_treadmill_data_is_reported_once(rig: Rig) -> None:
    await rig.treadmill.connect()
    await wait_for(lambda: len(rig.measurements) >= 2)
    assert DeviceEventKind.NOT_RESPONDING not in kinds(rig.events)
    rig.sim.faults.silent = True
    await wait_for(lambda: DeviceEventKind.NOT_RESPONDING in kinds(rig.events))
    await asyncio.sleep(0.7)
    assert kinds(rig.events).count(DeviceEventKind.NOT_RESPONDING) == 1
    rig.sim.faults.silent = False
    count = len(rig.measurements)
    await wait_for(lambda: len(rig.measurements) > count)


async def test_late_status_echoes_are_not_console_actions(rig: Rig) -> None:
    rig.sim.faults.status_delay_s = 0.05  # status arrives after the next request went out
    await rig.treadmill.connect()
    await rig.treadmill.start()
    await rig.treadmill.set_speed(5.0)
    await rig.treadmill.set_speed(6.0)
    await rig.treadmill.set_incline(1.0)
    await rig.treadmill.set_incline(2.0)
    await rig.treadmill.stop()
    await asyncio.sleep(0.2)
    console = {
        DeviceEventKind.CONSOLE_SPEED_CHANGED,
        DeviceEventKind.CONSOLE_INCLINE_CHANGED,
        DeviceEventKind.STOPPED_BY_USER,
        DeviceEventKind.STARTED_BY_USER,
    }
    assert not console & set(kinds(rig.events))
    assert rig.treadmill.commanded_speed_kmh == 0.0


async def test_unanswered_speed_after_start_means_advisory(rig: Rig) -> None:
    original = rig.sim._execute

    def drop_speed(opcode: int, param: bytes) -> tuple[int, bytes | None]:
        if opcode == 0x02:
            rig.sim.faults.drop_responses = 1
        return original(opcode, param)

    rig.sim._execute = drop_speed  # type: ignore[method-assign]
    caps = await rig.treadmill.connect()
    assert not caps.monitor_only
    assert b"\x02" not in [p[:1] for p in rig.sim.control_point_log]  # nothing sent yet
    await rig.treadmill.start()
    assert rig.treadmill.monitor_only and rig.treadmill.control_mode == "advisory"
    assert DeviceEventKind.CONTROL_LOST in kinds(rig.events)


async def test_preflight_with_running_belt_keeps_its_speed(rig: Rig) -> None:
    rig.treadmill._preflight_on_connect = False
    await rig.treadmill.connect()
    await rig.treadmill.start()
    await rig.treadmill.set_speed(4.0)
    await wait_for(lambda: bool(rig.measurements) and rig.measurements[-1].speed_kmh == 4.0)
    report = await rig.treadmill.preflight()
    assert report.speed_command_accepted
    assert rig.sim.control_point_log[-1] == b"\x02\x90\x01"  # 4.0 km/h re-commanded
    assert rig.sim.running


async def test_stop_during_outage_raises_and_is_sent_on_reconnection(rig: Rig) -> None:
    await rig.treadmill.connect()
    await rig.treadmill.start()
    await rig.treadmill.set_speed(6.0)
    rig.radio.set_reachable(FTMS_ADDRESS, False)
    rig.radio.drop_link(FTMS_ADDRESS)
    await wait_for(lambda: rig.treadmill.link.reconnecting)
    with pytest.raises(DeviceError, match="reconnection"):
        await rig.treadmill.stop()
    rig.radio.set_reachable(FTMS_ADDRESS, True)
    await wait_for(lambda: rig.sim.control_point_log[-1] == b"\x08\x01")
    assert not rig.sim.running


async def test_connect_again_after_disconnect(rig: Rig) -> None:
    await rig.treadmill.connect()
    await rig.treadmill.disconnect()
    assert not rig.treadmill.connected and not rig.sim.connected
    count = len(rig.measurements)
    caps = await rig.treadmill.connect()
    assert caps.can_control_speed and rig.treadmill.control_granted
    await wait_for(lambda: len(rig.measurements) > count)
    assert kinds(rig.events).count(DeviceEventKind.CONNECTED) == 2


async def test_stop_retried_through_an_outage_is_logged_once_with_its_outcome(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    await rig.treadmill.connect()
    await rig.treadmill.start()
    await rig.treadmill.set_speed(6.0)
    rig.radio.set_reachable(FTMS_ADDRESS, False)
    rig.radio.drop_link(FTMS_ADDRESS)
    await wait_for(lambda: rig.treadmill.link.reconnecting)
    await asyncio.sleep(0)  # deliver a notification already in flight
    count = len(rig.measurements)
    caplog.set_level(logging.DEBUG, logger="drivers.ble.ftms")
    for _ in range(20):  # the station re-sends the failed Stop every tick
        with pytest.raises(DeviceError, match="reconnection"):
            await rig.treadmill.stop()
    assert len(rig.measurements) == count  # nothing re-emitted as live during the outage
    rig.radio.set_reachable(FTMS_ADDRESS, True)
    await wait_for(lambda: any("requests during the outage" in r.message for r in caplog.records))
    stop_logs = [r for r in caplog.records if "Stop deferred" in r.getMessage()]
    assert [r.levelno for r in stop_logs] == [logging.WARNING, logging.INFO]
    assert "20 requests during the outage) sent, belt stopped" in stop_logs[1].getMessage()
    assert rig.sim.control_point_log[-1] == b"\x08\x01"
