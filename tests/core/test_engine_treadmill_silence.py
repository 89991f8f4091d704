"""Treadmill silences: no false alarm after a reconnection, a silent cable pauses, stale speed."""

from __future__ import annotations

import math

from runningroom.devices import DeviceEvent, DeviceEventKind, DeviceRole
from runningroom.session.model import AlarmKind, SessionState, SkipPhase
from tests.core.engine_fakes import Rig

TM = DeviceRole.TREADMILL


def _main_rig() -> Rig:
    rig = Rig()
    rig.start()
    rig.run_until(lambda: rig.engine.state is SessionState.WARMUP, max_s=60)
    rig.command(SkipPhase())
    rig.run(60)
    assert rig.engine.state is SessionState.MAIN
    return rig


def _raised(rig: Rig, kind: AlarmKind) -> list[str]:
    return [a.message for a in rig.engine.alarms if a.kind is kind]


def test_no_treadmill_not_responding_alarm_right_after_a_reconnection() -> None:
    rig = _main_rig()
    rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.DISCONNECTED))
    rig.silent_treadmill = True
    rig.run(8)  # an outage shorter than the grace period
    rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.RECONNECTED))
    rig.step(0.3)  # a tick before the first measurement after the reconnection
    rig.silent_treadmill = False
    rig.run(10)
    assert _raised(rig, AlarmKind.TREADMILL_NOT_RESPONDING) == []
    assert rig.engine.state is SessionState.MAIN


def test_silent_treadmill_pauses_the_session_and_says_to_stop_the_belt_at_the_machine() -> None:
    rig = _main_rig()
    rig.silent_treadmill = True
    rig.run(6)
    assert _raised(rig, AlarmKind.TREADMILL_NOT_RESPONDING)  # the silence is noticed
    assert rig.engine.state is SessionState.MAIN
    rig.run_until(lambda: rig.engine.state is SessionState.PAUSED, max_s=20)
    (message,) = _raised(rig, AlarmKind.DEVICE_DISCONNECTED)
    assert "may still be running" in message
    pauses = [e for e in rig.sink.kinds("state") if e.data["to"] == "paused"]
    assert pauses and "stop the belt at the treadmill" in pauses[-1].message


def test_measured_speed_is_not_recorded_as_live_during_an_outage() -> None:
    rig = _main_rig()
    assert rig.engine.snapshot().speed_meas_kmh is not None
    rig.silent_treadmill = True
    rig.run(8)
    assert rig.engine.snapshot().speed_meas_kmh is None
    assert rig.sink.samples[-1].speed_meas_kmh is None
    assert rig.sink.samples[-1].speed_cmd_kmh is not None


def test_treadmill_ignoring_speed_corrections_is_alarmed_once_and_no_longer_corrected() -> None:
    rig = _main_rig()
    rig.follow_commands = False  # the belt keeps whatever the console set
    rig.hr_override = lambda t, hr: round(117 + 3 * math.sin(t / 7))  # HR stays in the zone
    top_kmh = rig.engine.limits.max_speed_kmh + 3.0
    sent_at_alarm: int | None = None
    for _ in range(20):  # the console keeps reporting a speed above the patient's limit
        rig.speed_kmh = top_kmh
        rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.CONSOLE_SPEED_CHANGED, value=top_kmh))
        rig.run(5)
        if sent_at_alarm is None and _ignoring_alarms(rig):
            sent_at_alarm = len(rig.speed_commands())
    corrections = [e for e in rig.sink.kinds("safety") if e.data.get("rule") == "speed_limit"]
    assert len(corrections) == 20  # every console change is still recorded
    (message,) = _ignoring_alarms(rig)
    assert "not followed" in message
    assert sent_at_alarm is not None
    assert len(rig.speed_commands()) == sent_at_alarm  # no command since the alarm
    assert rig.engine.controller_suspended


def _ignoring_alarms(rig: Rig) -> list[str]:
    return [a.message for a in rig.engine.alarms if "ignores speed commands" in a.message]


def test_stop_failing_through_an_outage_is_recorded_once_with_its_outcome() -> None:
    rig = _main_rig()
    rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.DISCONNECTED))
    rig.silent_treadmill = True
    rig.fail_commands = True
    rig.run(40)  # past the grace: the session pauses and the Stop keeps failing
    assert rig.engine.state is SessionState.PAUSED
    failed = [e for e in rig.sink.kinds("command") if e.data["command"] == "StopBeltCommand"]
    assert len(failed) == 1 and failed[0].data["ok"] is False
    assert _raised(rig, AlarmKind.TREADMILL_NOT_RESPONDING) == []
    rig.fail_commands = False
    rig.silent_treadmill = False
    rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.RECONNECTED))
    rig.run(3)
    outcome = [e for e in rig.sink.kinds("command") if e.data["command"] == "StopBeltCommand"]
    assert [e.data["ok"] for e in outcome] == [False, True]


def test_watchdog_stop_is_recorded_as_the_devices_not_the_patients() -> None:
    rig = _main_rig()
    rig.event(
        DeviceEvent(
            rig.now_s,
            TM,
            DeviceEventKind.STOPPED_BY_WATCHDOG,
            "belt stopped by the host watchdog after a 12.0 s outage",
            value=12.0,
        )
    )
    (event,) = [
        e for e in rig.sink.kinds("device") if e.data["device_kind"] == "stopped_by_watchdog"
    ]
    assert event.cause == "device"
    assert rig.engine.state is SessionState.PAUSED
    assert _raised(rig, AlarmKind.DEVICE_DISCONNECTED)


def test_one_late_tick_after_a_stalled_loop_is_not_a_silent_treadmill() -> None:
    rig = _main_rig()
    rig.silent_treadmill = True
    rig.step(40.0)  # the loop stalled: one tick 40 s after the last, before any data
    rig.silent_treadmill = False
    rig.run(5)
    assert _raised(rig, AlarmKind.TREADMILL_NOT_RESPONDING) == []
    assert _raised(rig, AlarmKind.DEVICE_DISCONNECTED) == []
    assert rig.engine.state is SessionState.MAIN
