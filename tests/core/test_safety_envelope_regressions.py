"""Named regressions: operating-point changes that once escaped the safety rules.

Each test drives the public engine API through :class:`tests.core.engine_fakes.Rig` and
asserts on the treadmill commands the engine returned.
"""

from __future__ import annotations

from runningroom.devices import DeviceEvent, DeviceEventKind, DeviceRole
from runningroom.session.model import (
    AlarmKind,
    ContinueWithoutHr,
    ManualSpeed,
    PauseSession,
    ResumeController,
    ResumeSession,
    SessionState,
    SetSpeedCommand,
    SkipPhase,
    StartBeltCommand,
    StopBeltCommand,
    TreadmillCommand,
)
from tests.core.engine_fakes import Rig

S = SessionState
TM = DeviceRole.TREADMILL
SAFE_WALK_KMH = 3.0


def main_rig(**kwargs: object) -> Rig:
    rig = Rig(**kwargs)  # type: ignore[arg-type]
    rig.start()
    rig.step()
    rig.command(SkipPhase())
    rig.run(400)  # settles in the zone at about 6.3 km/h
    assert rig.engine.state is S.MAIN
    return rig


def lose_hr(rig: Rig) -> None:
    rig.hr_override = lambda t, hr: None


def speeds(cmds: list[TreadmillCommand]) -> list[float]:
    return [c.speed_kmh for c in cmds if isinstance(c, SetSpeedCommand)]


def sent_speeds_since(rig: Rig, t0_s: float) -> list[float]:
    return [c.speed_kmh for t, c in rig.sent if t >= t0_s and isinstance(c, SetSpeedCommand)]


def test_slow_belt_does_not_cancel_the_hr_lost_ramp() -> None:
    """A belt that follows commands at 0.05 km/h/s looked like a console change."""
    rig = main_rig()
    assert rig.engine.speed_cmd_kmh > 5.0
    rig.follow_commands = False
    lose_hr(rig)
    target = rig.speed_kmh
    for _ in range(400):
        for _, cmd in rig.sent[-3:]:
            if isinstance(cmd, SetSpeedCommand):
                target = cmd.speed_kmh
        if rig.speed_kmh > target:
            rig.speed_kmh = max(target, rig.speed_kmh - 0.05)
        rig.step()
    assert rig.engine.speed_cmd_kmh <= SAFE_WALK_KMH + 1e-9
    assert rig.speed_kmh <= SAFE_WALK_KMH + 0.05


def test_hr_lost_during_pause_keeps_its_clock_and_resume_is_at_walking_speed() -> None:
    rig = main_rig()
    before = rig.engine.speed_cmd_kmh
    assert before > SAFE_WALK_KMH + 1
    lose_hr(rig)
    rig.run(10)
    rig.command(PauseSession())
    rig.run(80)  # 90 s without HR, most of it paused
    t0 = rig.now_s
    cmds = rig.command(ResumeSession())
    assert StartBeltCommand() in cmds
    rig.run(3)
    assert max(sent_speeds_since(rig, t0)) <= SAFE_WALK_KMH + 1e-9


def test_hr_back_after_a_loss_spanning_a_pause_needs_the_therapist() -> None:
    rig = main_rig()
    lose_hr(rig)
    rig.run(20)
    rig.command(PauseSession())
    rig.run(30)
    rig.command(ResumeSession())
    rig.run(25)  # 75 s after the loss
    rig.hr_override = None  # HR back
    rig.run(60)
    assert rig.engine.controller_suspended
    assert rig.engine.speed_cmd_kmh <= SAFE_WALK_KMH + 1e-9
    rig.command(ResumeController())
    assert not rig.engine.controller_suspended


def test_manual_speed_with_hr_still_lost_is_not_an_increase_and_is_ramped_down() -> None:
    rig = main_rig()
    lose_hr(rig)
    rig.run(150)
    assert rig.engine.speed_cmd_kmh <= SAFE_WALK_KMH + 1e-9
    t0 = rig.now_s
    rig.command(ManualSpeed(7.5))
    rig.run(120)
    assert max(sent_speeds_since(rig, t0), default=0.0) <= SAFE_WALK_KMH + 1e-9
    assert any(e.data.get("rule", "").startswith("E") for e in rig.sink.kinds("safety"))


def test_manual_speed_sticks_once_the_therapist_continues_without_hr() -> None:
    rig = main_rig()
    lose_hr(rig)
    rig.run(150)
    rig.command(ContinueWithoutHr(True))
    assert rig.sink.kinds("override")[-1].data["command"] == "continue_without_hr"
    cmds = rig.command(ManualSpeed(5.0))
    assert speeds(cmds) == [5.0]
    rig.run(120)
    assert rig.engine.speed_cmd_kmh == 5.0


def test_failed_start_is_not_resent_after_the_therapist_paused() -> None:
    rig = main_rig()
    rig.command(PauseSession())
    rig.fail_commands = True
    rig.command(ResumeSession())  # the StartBelt fails
    rig.fail_commands = False
    n_sent = len(rig.sent)
    rig.command(PauseSession())
    rig.run(10)
    assert not [c for _, c in rig.sent[n_sent:] if isinstance(c, StartBeltCommand)]


def test_no_start_after_a_stop_in_the_same_state() -> None:
    """A link drop during resume emitted Stop then Start in one tick."""
    rig = main_rig()
    rig.command(PauseSession())
    rig.run(2)
    rig.fail_commands = True
    rig.command(ResumeSession())  # Start fails: to be re-sent
    rig.fail_commands = False
    rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.DISCONNECTED))
    rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.STOPPED_BY_USER))
    t0 = rig.now_s
    for _ in range(15):
        cmds = rig.step()
        if StopBeltCommand() in cmds:
            assert StartBeltCommand() not in cmds[cmds.index(StopBeltCommand()) :]
    assert rig.engine.state is S.PAUSED
    assert not [c for t, c in rig.sent if t > t0 and isinstance(c, StartBeltCommand)]


def test_reconnect_while_paused_never_starts_the_belt() -> None:
    rig = main_rig()
    rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.DISCONNECTED))
    rig.silent_treadmill = True
    rig.run(12)
    assert rig.engine.state is S.PAUSED
    rig.silent_treadmill = False
    cmds = rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.RECONNECTED))
    rig.run(5)
    assert StartBeltCommand() not in cmds
    assert cmds == [StopBeltCommand()]


def test_garbage_console_speed_of_50_kmh_never_accelerates() -> None:
    rig = main_rig()
    before = rig.engine.speed_cmd_kmh
    lose_hr(rig)
    t0 = rig.now_s
    rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.CONSOLE_SPEED_CHANGED, value=50.0))
    rig.run(30)
    assert max(sent_speeds_since(rig, t0), default=0.0) <= before + 1e-9
    # with a trusted HR the unconfirmed report is ignored as well
    rig2 = main_rig()
    before2 = rig2.engine.speed_cmd_kmh
    cmds = rig2.event(
        DeviceEvent(rig2.now_s, TM, DeviceEventKind.CONSOLE_SPEED_CHANGED, value=50.0)
    )
    rig2.step()
    assert not speeds(cmds)
    assert rig2.engine.speed_cmd_kmh <= before2 + 0.6
    rig2.run(20)
    assert any("never confirmed" in e.message for e in rig2.sink.kinds("device"))


def test_stuck_speed_reading_is_not_adopted_above_the_belt() -> None:
    """A reading stuck at 11 km/h (belt at 6.3) became the HR-lost ramp's start."""
    rig = main_rig()
    real = rig.engine.speed_cmd_kmh
    rig.follow_commands = False
    rig.speed_kmh = 11.0  # what the treadmill reports; the belt stays at ``real``
    lose_hr(rig)
    t0 = rig.now_s
    rig.run(200)
    assert max(sent_speeds_since(rig, t0), default=0.0) <= real + 1e-9
    assert rig.engine.speed_cmd_kmh <= SAFE_WALK_KMH + 1e-9


def test_hr_lost_alarm_and_ramp_still_happen_with_the_envelope() -> None:
    rig = main_rig()
    lose_hr(rig)
    rig.run(7)
    assert AlarmKind.HR_LOST in {a.kind for a in rig.engine.active_alarms()}
    rig.run(150)
    assert rig.engine.speed_cmd_kmh <= SAFE_WALK_KMH + 1e-9


def test_manual_speed_sticks_until_the_therapist_hands_it_back() -> None:
    rig = main_rig()
    rig.command(ManualSpeed(4.0))
    assert rig.engine.snapshot().speed_manual
    rig.run(120)  # the controller would have taken the speed back within a minute
    assert rig.engine.speed_cmd_kmh == 4.0
    rig.command(ResumeController())
    assert not rig.engine.snapshot().speed_manual
    rig.run(120)
    assert rig.engine.speed_cmd_kmh > 4.0


def test_manual_speed_still_obeys_the_ceiling_step_down() -> None:
    rig = main_rig()
    rig.command(ManualSpeed(6.0))
    t0 = rig.now_s
    rig.hr_override = lambda t, hr: min(160, hr + round(4 * (t - t0)))  # to above 153
    rig.run(30)
    assert any(e.data.get("rule") == "ceiling_step_down" for e in rig.sink.kinds("safety"))
    assert rig.engine.speed_cmd_kmh < 6.0
