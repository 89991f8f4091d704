"""Session engine: every state transition, overrides, pause/resume, e-stop from every state."""

from __future__ import annotations

import itertools

import pytest

from runningroom.session.engine import TRANSITIONS
from runningroom.session.model import (
    AcknowledgeAlarm,
    AdjustTarget,
    AlarmKind,
    Annotate,
    EmergencyStop,
    HoldController,
    Intent,
    ManualIncline,
    ManualSpeed,
    PauseSession,
    RateFeeling,
    RateRpe,
    ResumeController,
    ResumeSession,
    SessionState,
    SetInclineCommand,
    SetSpeedCommand,
    SkipPhase,
    StartBeltCommand,
    StartSession,
    StopBeltCommand,
    StopSession,
)
from tests.core.engine_fakes import TEMPLATE, Rig

S = SessionState


def rig_in(state: SessionState) -> Rig:
    rig = Rig()
    if state is S.IDLE:
        return rig
    if state is S.PREFLIGHT:
        rig.hr_override = lambda t, hr: None
        rig.start()
        rig.step()
        assert rig.engine.state is S.PREFLIGHT
        return rig
    rig.start()
    rig.step()
    assert rig.engine.state is S.WARMUP
    if state is S.WARMUP:
        return rig
    if state is S.PAUSED:
        rig.command(PauseSession())
        return rig
    if state is S.STOPPED:
        rig.command(StopSession())
        return rig
    if state is S.EMERGENCY_STOPPED:
        rig.command(EmergencyStop())
        return rig
    for target in (S.MAIN, S.COOLDOWN, S.FINISHED):
        rig.command(SkipPhase())
        rig.step()
        if state is target:
            break
    assert rig.engine.state is state
    return rig


def test_transition_table_is_closed_and_terminals_have_no_exit() -> None:
    for frm, tos in TRANSITIONS.items():
        assert frm not in tos
        if frm.is_terminal:
            assert not tos
        else:
            assert S.EMERGENCY_STOPPED in tos and S.STOPPED in tos


def test_timer_transitions_with_causes_and_timestamps() -> None:
    rig = Rig()
    rig.start()
    rig.run_until(lambda: rig.engine.state.is_terminal)
    evs = rig.sink.kinds("state")
    assert [(e.data["to"], e.cause) for e in evs] == [
        ("preflight", "therapist"),
        ("warmup", "system"),
        ("main", "timer"),
        ("cooldown", "timer"),
        ("finished", "system"),  # HR recovered below the recovery threshold
    ]
    t_warm, t_main, t_cool = evs[1].t_s, evs[2].t_s, evs[3].t_s
    assert t_warm == pytest.approx(1.0)
    assert t_main - t_warm == pytest.approx(TEMPLATE.warmup.duration_s, abs=1.0)
    assert t_cool - t_main == pytest.approx(TEMPLATE.main.duration_s, abs=1.0)
    # the belt was stopped at the end
    assert isinstance(rig.sent[-1][1], StopBeltCommand)
    assert not rig.belt_running


def test_cooldown_ends_on_duration_if_hr_stays_high() -> None:
    rig = rig_in(S.COOLDOWN)
    rig.hr_override = lambda t, hr: 125  # never recovers
    start = rig.now_s
    rig.run_until(lambda: rig.engine.state.is_terminal)
    assert rig.engine.state is S.FINISHED
    assert rig.now_s - start == pytest.approx(TEMPLATE.cooldown.duration_s, abs=1.5)
    assert rig.sink.kinds("state")[-1].cause == "timer"


def test_cooldown_ramps_speed_down_to_end_speed() -> None:
    rig = rig_in(S.WARMUP)
    rig.command(ManualSpeed(6.0))
    rig.command(SkipPhase())
    rig.command(SkipPhase())
    assert rig.engine.state is S.COOLDOWN
    rig.hr_override = lambda t, hr: 125
    speeds = []
    for _ in range(int(TEMPLATE.cooldown.duration_s * 0.6) + 5):
        rig.step()
        speeds.append(rig.engine.speed_cmd_kmh)
    assert all(b <= a + 1e-9 for a, b in itertools.pairwise(speeds))
    assert speeds[-1] == pytest.approx(TEMPLATE.cooldown.end_speed_kmh)


def test_preflight_waits_for_hr_then_alarms_and_skip_starts_warmup() -> None:
    rig = rig_in(S.PREFLIGHT)
    rig.run(40)
    assert rig.engine.state is S.PREFLIGHT
    assert not any(isinstance(c, StartBeltCommand) for _, c in rig.sent)
    assert AlarmKind.HR_LOST in {a.kind for a in rig.engine.active_alarms()}
    cmds = rig.command(SkipPhase())
    assert rig.engine.state is S.WARMUP
    assert isinstance(cmds[0], StartBeltCommand)
    assert SetSpeedCommand(2.5) in cmds


def test_preflight_to_warmup_when_hr_arrives() -> None:
    rig = rig_in(S.PREFLIGHT)
    rig.hr_override = None
    rig.step()
    assert rig.engine.state is S.WARMUP


@pytest.mark.parametrize(
    "state", [s for s in SessionState if s is not S.ABORTED], ids=lambda s: s.value
)
def test_emergency_stop_from_every_state(state: SessionState) -> None:
    rig = rig_in(state)
    before = len(rig.sink.events)
    cmds = rig.command(EmergencyStop())
    assert cmds == [StopBeltCommand()]
    new = rig.sink.events[before:]
    assert any(e.kind == "override" and e.data.get("command") == "emergency_stop" for e in new)
    if state.is_terminal:
        assert rig.engine.state is state
    else:
        assert rig.engine.state is S.EMERGENCY_STOPPED
        assert new[-1].kind == "state" and new[-1].data["to"] == "emergency_stopped"
    assert not rig.belt_running
    # nothing moves the belt afterwards
    rig.sent.clear()
    rig.run(5)
    assert not any(isinstance(c, StartBeltCommand | SetSpeedCommand) for _, c in rig.sent)


@pytest.mark.parametrize(
    "state",
    [S.IDLE, S.PREFLIGHT, S.WARMUP, S.MAIN, S.COOLDOWN, S.PAUSED],
    ids=lambda s: s.value,
)
def test_stop_from_every_non_terminal_state(state: SessionState) -> None:
    rig = rig_in(state)
    cmds = rig.command(StopSession())
    assert rig.engine.state is S.STOPPED
    assert cmds == [StopBeltCommand()]
    assert rig.sink.kinds("state")[-1].cause == "therapist"


@pytest.mark.parametrize("phase", [S.WARMUP, S.MAIN, S.COOLDOWN], ids=lambda s: s.value)
def test_pause_and_resume_each_phase(phase: SessionState) -> None:
    rig = rig_in(phase)
    rig.run(20)
    speed_before = rig.engine.speed_cmd_kmh
    elapsed_before = rig.engine.phase_elapsed_s(rig.now_s)
    cmds = rig.command(PauseSession())
    assert rig.engine.state is S.PAUSED and rig.engine.phase is phase
    assert cmds == [StopBeltCommand()]
    rig.run(120)  # phase clock stands still
    assert rig.engine.phase_elapsed_s(rig.now_s) == pytest.approx(elapsed_before)
    assert rig.engine.state is S.PAUSED
    assert rig.sink.samples[-1].phase == "paused"
    cmds = rig.command(ResumeSession())
    assert rig.engine.state is phase
    assert cmds[0] == StartBeltCommand()
    assert SetSpeedCommand(speed_before) in cmds
    assert rig.controller.reseeds[-1][1] == speed_before


def test_pause_rejected_outside_exercise_and_resume_rejected_when_not_paused() -> None:
    rig = rig_in(S.PREFLIGHT)
    assert rig.command(PauseSession()) == []
    assert rig.engine.state is S.PREFLIGHT
    assert rig.command(ResumeSession()) == []
    rejected = rig.sink.kinds("rejected")
    assert [e.data["command"] for e in rejected] == ["PauseSession", "ResumeSession"]


def test_start_twice_is_rejected_and_commands_after_end_are_rejected() -> None:
    rig = rig_in(S.WARMUP)
    rig.command(StartSession())
    assert rig.engine.state is S.WARMUP
    rig.command(StopSession())
    rig.command(ResumeSession())
    rig.command(SkipPhase())
    assert rig.engine.state is S.STOPPED
    assert len(rig.sink.kinds("rejected")) == 3


@pytest.mark.parametrize(
    ("state", "nxt"),
    [(S.PREFLIGHT, S.WARMUP), (S.WARMUP, S.MAIN), (S.MAIN, S.COOLDOWN), (S.COOLDOWN, S.FINISHED)],
    ids=lambda s: s.value,
)
def test_skip_phase(state: SessionState, nxt: SessionState) -> None:
    rig = rig_in(state)
    rig.command(SkipPhase())
    assert rig.engine.state is nxt
    ev = rig.sink.kinds("state")[-1]
    assert ev.cause == "therapist" and ev.data["to"] == nxt.value
    assert rig.sink.kinds("override")[-1].data["command"] == "skip_phase"


def test_adjust_target_shifts_control_target_cumulatively() -> None:
    rig = rig_in(S.MAIN)
    rig.step()
    base = rig.controller.updates[-1].target_bpm
    rig.command(AdjustTarget(+5))
    rig.command(AdjustTarget(-2))
    rig.step()
    assert rig.controller.updates[-1].target_bpm == pytest.approx(base + 3)
    assert rig.engine.snapshot().target_offset_bpm == 3
    ovs = rig.sink.kinds("override")
    assert [e.data["command"] for e in ovs[-2:]] == ["adjust_target", "adjust_target"]
    assert all(e.cause == "therapist" for e in ovs)


def test_target_never_above_ceiling_margin() -> None:
    rig = rig_in(S.MAIN)
    rig.command(AdjustTarget(+100))
    rig.step()
    assert rig.controller.updates[-1].target_bpm <= 153 - 5


def test_square_wave_target_steps() -> None:
    from dataclasses import replace

    from runningroom.model import PhaseKind, PhaseSpec

    template = replace(
        TEMPLATE,
        main=PhaseSpec(PhaseKind.MAIN, 1800, target_offset_bpm=6, target_step_period_s=300),
    )
    rig = Rig(template=template)
    rig.start()
    rig.step()
    rig.command(SkipPhase())
    t0 = rig.now_s
    assert rig.engine.target_bpm(t0 + 10) == pytest.approx(117 + 6)
    assert rig.engine.target_bpm(t0 + 310) == pytest.approx(117 - 6)
    assert rig.engine.target_bpm(t0 + 610) == pytest.approx(117 + 6)


def test_warmup_target_ramps_to_lower_zone_edge_in_identify_mode() -> None:
    rig = rig_in(S.WARMUP)
    rig.run(10)
    first = rig.controller.updates[0]
    assert first.identify
    assert first.target_bpm < 108
    rig.run(int(TEMPLATE.warmup.duration_s * 0.8))
    assert rig.controller.updates[-1].target_bpm == pytest.approx(108)
    assert rig.controller.updates[-1].zone_low_bpm == 108


def test_hold_controller_freezes_speed_and_release_reseeds() -> None:
    rig = rig_in(S.WARMUP)
    rig.run(30)
    rig.command(HoldController(True))
    n_updates = len(rig.controller.updates)
    speed = rig.engine.speed_cmd_kmh
    rig.run(60)
    assert len(rig.controller.updates) == n_updates
    assert rig.engine.speed_cmd_kmh == speed
    assert rig.engine.snapshot().controller_held
    rig.command(HoldController(False))
    assert rig.controller.reseeds[-1][1:] == (speed, rig.engine.incline_cmd_pct)
    rig.step()
    assert len(rig.controller.updates) == n_updates + 1
    assert [e.data["command"] for e in rig.sink.kinds("override")] == ["hold", "hold"]


def test_manual_speed_and_incline_reseed_and_may_jump_more_than_rate_limit() -> None:
    rig = rig_in(S.MAIN)
    cmds = rig.command(ManualSpeed(5.0))
    assert cmds == [SetSpeedCommand(5.0)]
    assert rig.controller.reseeds[-1][1] == 5.0
    cmds = rig.command(ManualIncline(2.0))
    assert cmds == [SetInclineCommand(2.0)]
    assert rig.controller.reseeds[-1][1:] == (5.0, 2.0)
    ctrl_events = [e for e in rig.sink.kinds("controller") if e.data["action"] == "reseed"]
    assert len(ctrl_events) == 2 and all(e.cause == "therapist" for e in ctrl_events)
    # clamped to the patient's limits (profile default max 8 km/h)
    rig.command(ManualSpeed(30.0))
    assert rig.engine.speed_cmd_kmh == 8.0


def test_manual_speed_while_paused_sets_resume_speed() -> None:
    rig = rig_in(S.WARMUP)
    rig.command(PauseSession())
    assert rig.command(ManualSpeed(4.0)) == []
    cmds = rig.command(ResumeSession())
    assert SetSpeedCommand(4.0) in cmds


def test_ratings_annotation_and_validation() -> None:
    rig = rig_in(S.MAIN)
    rig.command(RateRpe(13))
    rig.command(RateRpe(25))
    rig.command(RateFeeling(-2))
    rig.command(RateFeeling(6))
    rig.command(Annotate("patient reports calf pain"))
    assert [e.data["value"] for e in rig.sink.kinds("rpe")] == [13]
    assert [e.data["value"] for e in rig.sink.kinds("feeling")] == [-2]
    assert rig.sink.kinds("annotation")[0].data["text"] == "patient reports calf pain"
    assert len(rig.sink.kinds("rejected")) == 2
    snap = rig.engine.snapshot()
    assert snap.rpe == 13 and snap.feeling == -2
    s = rig.engine.summary()
    assert [v for _, v in s.rpe] == [13] and [v for _, v in s.feeling] == [-2]


def test_acknowledge_alarm_records_times() -> None:
    rig = rig_in(S.MAIN)
    rig.hr_override = lambda t, hr: 0
    rig.run(10)
    alarm = next(a for a in rig.engine.alarms if a.kind is AlarmKind.HR_UNTRUSTED)
    assert alarm.raised_t_s > 0 and not alarm.acknowledged
    rig.command(AcknowledgeAlarm(alarm.alarm_id))
    assert alarm.acknowledged_t_s == pytest.approx(rig.now_s - 100)
    rig.hr_override = None
    rig.run(3)
    assert alarm.cleared_t_s is not None
    assert alarm not in rig.engine.active_alarms()
    stages = [
        e.data["stage"] for e in rig.sink.kinds("alarm") if e.data["alarm_id"] == alarm.alarm_id
    ]
    assert stages == ["raised", "acknowledged", "cleared"]
    rig.command(AcknowledgeAlarm(999))
    assert rig.sink.kinds("rejected")[-1].data["command"] == "AcknowledgeAlarm"


def test_resume_controller_rejected_when_not_suspended() -> None:
    rig = rig_in(S.MAIN)
    rig.command(ResumeController())
    assert rig.sink.kinds("rejected")[-1].data["reason"] == "controller is not suspended"


def test_greedy_controller_is_rate_limited_and_clamped() -> None:
    from tests.core.engine_fakes import GreedyController

    rig = Rig(controller=GreedyController())
    rig.start()
    rig.run(200)
    speeds = rig.speed_commands()
    assert speeds[0] == 2.5
    steps = [b - a for a, b in itertools.pairwise(speeds)]
    assert max(steps) <= 0.3 + 1e-9
    assert max(speeds) <= 8.0  # profile limit
    # speed-only patient: the incline is never raised by the controller
    assert rig.engine.incline_cmd_pct == 0.0


def test_controller_exception_suspends_controller_and_holds_speed() -> None:
    from tests.core.engine_fakes import PiController

    class Broken(PiController):
        def update(self, inp):  # type: ignore[no-untyped-def]
            raise ValueError("boom")

    rig = Rig(controller=Broken())
    rig.start()
    rig.run(10)
    assert rig.engine.state is S.WARMUP
    assert rig.engine.controller_suspended
    assert rig.engine.speed_cmd_kmh == 2.5
    ev = [e for e in rig.sink.kinds("controller") if e.data["action"] == "suspended"]
    assert len(ev) == 1 and ev[0].cause == "controller"


def test_hr_alarm_clears_while_paused_when_hr_returns() -> None:
    rig = rig_in(S.MAIN)
    rig.hr_override = lambda t, hr: None
    rig.run(8)
    assert AlarmKind.HR_LOST in {a.kind for a in rig.engine.alarms if a.cleared_t_s is None}
    rig.command(PauseSession())
    rig.hr_override = None
    rig.run(3)
    assert all(a.cleared_t_s is not None for a in rig.engine.alarms)
    assert rig.engine.state is S.PAUSED


@pytest.mark.parametrize(
    "cmd",
    [
        AdjustTarget(float("nan")),
        AdjustTarget(float("inf")),
        ManualSpeed(float("nan")),
        ManualSpeed(float("inf")),
        ManualIncline(float("nan")),
        ManualIncline(float("-inf")),
    ],
    ids=repr,
)
def test_non_finite_operator_values_are_rejected_and_change_nothing(
    cmd: AdjustTarget | ManualSpeed | ManualIncline,
) -> None:
    rig = rig_in(S.MAIN)
    rig.step()
    speed, incline = rig.engine.speed_cmd_kmh, rig.engine.incline_cmd_pct
    target = rig.engine.target_bpm(rig.now_s)
    assert rig.command(cmd) == []
    assert rig.sink.kinds("rejected")[-1].data["command"] == type(cmd).__name__
    assert rig.engine.speed_cmd_kmh == speed and rig.engine.incline_cmd_pct == incline
    rig.run(5)
    assert rig.engine.target_bpm(rig.now_s) == pytest.approx(target)
    assert not rig.engine.controller_suspended  # the controller never saw a NaN
    assert rig.engine.state is S.MAIN


def test_cooldown_intent_says_slower_for_the_whole_ramp() -> None:
    """The patient screen's cue follows the intent: it must not flicker while the belt
    ramps down in steps of one increment every few ticks."""
    rig = rig_in(S.WARMUP)
    rig.command(ManualSpeed(6.0))
    rig.command(SkipPhase())
    rig.command(SkipPhase())
    assert rig.engine.state is S.COOLDOWN
    rig.hr_override = lambda t, hr: 110
    intents = []
    speeds = []
    for _ in range(int(TEMPLATE.cooldown.duration_s * 0.6) + 5):
        rig.step()
        intents.append(rig.engine.snapshot().intent)
        speeds.append(rig.engine.speed_cmd_kmh)
    ramping = [
        i for i, v in zip(intents, speeds, strict=True) if v > TEMPLATE.cooldown.end_speed_kmh
    ]
    assert ramping and all(i is Intent.SLOWER for i in ramping)
    assert intents[-1] is not Intent.SLOWER  # at the end speed the belt keeps its pace
