"""Session engine + supervisor: HR faults, HR-lost ramp, ceiling, device faults, recording."""

from __future__ import annotations

from dataclasses import replace

import pytest

from runningroom.devices import DeviceEvent, DeviceEventKind, DeviceRole, SensorContact
from runningroom.session.model import (
    AcceptHrFailover,
    AlarmKind,
    HrQuality,
    ManualIncline,
    ManualSpeed,
    ResumeController,
    ResumeSession,
    SessionState,
    SetInclineCommand,
    SetSpeedCommand,
    SkipPhase,
    StartBeltCommand,
    StopBeltCommand,
)
from tests.core.engine_fakes import CAPS, GreedyController, Rig

S = SessionState
TM = DeviceRole.TREADMILL


def main_rig(**kwargs: object) -> Rig:
    rig = Rig(**kwargs)  # type: ignore[arg-type]
    rig.start()
    rig.step()
    rig.command(SkipPhase())
    rig.run(400)  # settle in the zone at about 6.3 km/h
    assert rig.engine.state is S.MAIN
    return rig


def active(rig: Rig) -> set[AlarmKind]:
    return {a.kind for a in rig.engine.active_alarms() if a.cleared_t_s is None}


@pytest.mark.parametrize(
    ("name", "override", "contact", "quality"),
    [
        ("zero", lambda t, hr: 0, SensorContact.CONTACT, HrQuality.ZERO),
        ("low", lambda t, hr: 25, SensorContact.CONTACT, HrQuality.OUT_OF_RANGE),
        ("high", lambda t, hr: 240, SensorContact.CONTACT, HrQuality.OUT_OF_RANGE),
        ("contact", None, SensorContact.NO_CONTACT, HrQuality.NO_CONTACT),
        ("stale", lambda t, hr: None, SensorContact.CONTACT, HrQuality.STALE),
        ("jump", lambda t, hr: hr + 40 if int(t) % 2 else hr, SensorContact.CONTACT, None),
    ],
)
def test_untrusted_hr_never_accelerates(
    name: str, override: object, contact: SensorContact, quality: HrQuality | None
) -> None:
    rig = Rig(controller=GreedyController())
    rig.start()
    rig.step()
    rig.run(5)
    rig.hr_override = override
    rig.contact = contact
    if name == "stale":
        rig.run(3)  # the last sample is acted on for up to hr_hold_after_s (2.5 s)
    speed = rig.engine.speed_cmd_kmh
    n_updates = len(rig.controller.updates)
    qualities = set()
    prev = speed
    for _ in range(50):
        rig.step()
        snap = rig.engine.snapshot()
        qualities.add(snap.hr_quality)
        if not snap.hr_quality.trusted:
            assert rig.engine.speed_cmd_kmh <= prev
        prev = rig.engine.speed_cmd_kmh
    if quality is not None:
        assert quality in qualities
    if name == "jump":
        assert HrQuality.JUMP in qualities
    else:
        assert len(rig.controller.updates) == n_updates  # controller not run on bad HR
        if name == "high":  # above the ceiling: acted on as real, stepped down
            assert rig.engine.speed_cmd_kmh < speed
        else:
            assert rig.engine.speed_cmd_kmh == speed  # speed held
        assert active(rig) & {AlarmKind.HR_LOST, AlarmKind.HR_UNTRUSTED}


def test_frozen_strap_detected_and_speed_held() -> None:
    rig = main_rig()
    frozen_at = rig.now_s
    rig.hr_override = lambda t, hr: 117
    rig.run(3)
    rig.command(ManualSpeed(5.0))  # a speed change while the value stays identical
    for _ in range(32):
        rig.step()
    assert rig.engine.snapshot().hr_quality is HrQuality.FROZEN
    q_event = [e for e in rig.sink.kinds("hr_quality") if e.data["quality"] == "frozen"]
    assert q_event and q_event[0].t_s + 100 - frozen_at <= 31


def test_hr_lost_hold_then_ramp_down_after_60_s_and_therapist_resume() -> None:
    rig = main_rig()
    speed0 = rig.engine.speed_cmd_kmh
    assert speed0 > 5.0
    lost_at = rig.now_s
    rig.hr_override = lambda t, hr: None
    speeds: list[tuple[float, float]] = []
    for _ in range(120):
        rig.step()
        speeds.append((rig.now_s - lost_at, rig.engine.speed_cmd_kmh))
    # held (exactly) until 60 s after the last sample (stale after 5 s, ramp 60 s later
    # than the first untrusted tick), never above the starting speed
    held = [v for t, v in speeds if t < 60]
    assert all(v == speed0 for v in held)
    first_drop = next(t for t, v in speeds if v < speed0)
    assert 60 <= first_drop <= 67
    assert AlarmKind.HR_LOST in active(rig)
    # ramp at about 0.1 km/h/s down to 3.0 km/h and no lower
    ramp = [v for t, v in speeds if t >= first_drop]
    assert min(ramp) == pytest.approx(3.0)
    t_reach = next(t for t, v in speeds if v <= 3.0 + 1e-9)
    assert t_reach - first_drop == pytest.approx((speed0 - 3.0) / 0.1, abs=3)
    assert rig.engine.controller_suspended
    safety = [e for e in rig.sink.kinds("safety") if e.data["rule"] == "hr_lost_ramp_down"]
    assert len(safety) == 1 and safety[0].cause == "safety"
    # the therapist cannot resume before HR is trusted
    rig.command(ResumeController())
    assert rig.sink.kinds("rejected")[-1].data["reason"] == "HR is not trusted yet"
    # HR comes back: alarm cleared, controller stays suspended
    rig.hr_override = None
    n_updates = len(rig.controller.updates)
    rig.run(20)
    assert AlarmKind.HR_LOST not in active(rig)
    assert rig.engine.controller_suspended
    assert len(rig.controller.updates) == n_updates
    assert rig.engine.speed_cmd_kmh == pytest.approx(3.0)
    rig.command(ResumeController())
    assert not rig.engine.controller_suspended
    assert rig.controller.reseeds[-1][1] == pytest.approx(3.0)
    rig.run(5)
    assert len(rig.controller.updates) == n_updates + 5
    assert rig.engine.speed_cmd_kmh > 3.0


def test_hr_lost_ramp_respects_patient_minimum_speed() -> None:
    from runningroom.model import PatientLimits
    from tests.core.engine_fakes import PROFILE

    profile = replace(PROFILE, limits=PatientLimits(min_speed_kmh=3.5))
    rig = main_rig(profile=profile)
    rig.hr_override = lambda t, hr: None
    rig.run(150)
    assert rig.engine.speed_cmd_kmh == pytest.approx(3.5)


def rising(t0: float, top: int) -> object:
    """HR rising 3 bpm/s from 117 to ``top`` (a jump would be rejected as a spike)."""
    return lambda t, hr: int(min(top, 117 + 3 * (t - t0))) + int(t) % 2


def test_ceiling_step_down_restep_and_cooldown_after_30_s() -> None:
    rig = main_rig()
    rig.command(ManualSpeed(6.5))
    rig.command(ManualIncline(2.0))
    rig.step()
    speed = rig.engine.speed_cmd_kmh
    assert rig.engine.incline_cmd_pct == 2.0
    rig.hr_override = rising(rig.now_s, 160)
    cmds: list[object] = []
    before = speed
    while AlarmKind.HR_ABOVE_CEILING not in active(rig):
        before = rig.engine.speed_cmd_kmh
        cmds = rig.step()
        assert rig.engine.speed_cmd_kmh <= speed
    # the step happens on the tick the filtered HR crosses the ceiling
    assert rig.engine.snapshot().hr_filtered_bpm > 153
    assert SetSpeedCommand(round(before - 0.5, 6)) in cmds
    assert SetInclineCommand(0.0) in cmds
    alarm = next(a for a in rig.engine.alarms if a.kind is AlarmKind.HR_ABOVE_CEILING)
    assert "stepped down" in alarm.action
    # no increase allowed, not even by hand
    rig.command(ManualSpeed(7.0))
    assert rig.sink.kinds("rejected")[-1].data["command"] == "ManualSpeed"
    t_alarm = rig.now_s
    rig.run_until(lambda: rig.engine.state is S.COOLDOWN, max_s=40)
    assert rig.now_s - t_alarm == pytest.approx(30, abs=1.5)
    assert rig.sink.kinds("state")[-1].cause == "safety"
    steps = [e for e in rig.sink.kinds("safety") if e.data["rule"] == "ceiling_step_down"]
    gaps = [round(b.t_s - steps[0].t_s) for b in steps]
    assert gaps[:3] == [0, 15, 30]  # immediate, then every 15 s while above
    assert rig.engine.speed_cmd_kmh <= speed - 1.0 + 1e-9


def test_ceiling_episode_end_clears_alarm_and_reseeds() -> None:
    rig = main_rig()
    rig.hr_override = rising(rig.now_s, 158)
    rig.run(20)
    assert AlarmKind.HR_ABOVE_CEILING in active(rig)
    rig.hr_override = lambda t, hr: 145
    n = len(rig.controller.reseeds)
    rig.run(5)
    assert AlarmKind.HR_ABOVE_CEILING not in active(rig)
    assert len(rig.controller.reseeds) == n + 1
    assert rig.engine.state is S.MAIN


@pytest.mark.parametrize(
    ("kind", "alarm"),
    [
        (DeviceEventKind.SAFETY_KEY, AlarmKind.SAFETY_KEY),
        (DeviceEventKind.STOPPED_BY_USER, AlarmKind.TREADMILL_STOPPED),
        (DeviceEventKind.PAUSED_BY_USER, AlarmKind.TREADMILL_STOPPED),
    ],
)
def test_treadmill_stop_events_pause_the_session(kind: DeviceEventKind, alarm: AlarmKind) -> None:
    rig = main_rig()
    speed = rig.engine.speed_cmd_kmh
    cmds = rig.event(DeviceEvent(rig.now_s, TM, kind, "test"))
    assert rig.engine.state is S.PAUSED
    assert cmds == [StopBeltCommand()]
    assert alarm in active(rig)
    dev = rig.sink.kinds("device")[-1]
    assert dev.data["device_kind"] == kind.value
    cmds = rig.command(ResumeSession())
    assert rig.engine.state is S.MAIN
    assert cmds[0] == StartBeltCommand() and SetSpeedCommand(speed) in cmds


@pytest.mark.parametrize(
    ("kind", "alarm"),
    [
        (DeviceEventKind.NOT_RESPONDING, AlarmKind.TREADMILL_NOT_RESPONDING),
        (DeviceEventKind.CONTROL_LOST, AlarmKind.CONTROL_LOST),
        (DeviceEventKind.DISCONNECTED, AlarmKind.DEVICE_DISCONNECTED),
    ],
)
def test_treadmill_faults_suspend_the_controller(kind: DeviceEventKind, alarm: AlarmKind) -> None:
    rig = main_rig()
    speed = rig.engine.speed_cmd_kmh
    n = len(rig.controller.updates)
    rig.event(DeviceEvent(rig.now_s, TM, kind, "test"))
    assert alarm in active(rig)
    assert rig.engine.controller_suspended
    rig.run(5)
    assert len(rig.controller.updates) == n
    assert rig.engine.speed_cmd_kmh == speed
    ev = [e for e in rig.sink.kinds("controller") if e.data["action"] == "suspended"]
    assert ev and ev[-1].cause == "device"


def test_control_granted_clears_control_lost() -> None:
    rig = main_rig()
    rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.CONTROL_LOST))
    rig.event(DeviceEvent(rig.now_s + 1, TM, DeviceEventKind.CONTROL_GRANTED))
    assert AlarmKind.CONTROL_LOST not in active(rig)
    assert rig.engine.controller_suspended  # the therapist resumes
    rig.command(ResumeController())
    assert not rig.engine.controller_suspended


def test_reconnect_within_grace_resumes_safe_state() -> None:
    rig = main_rig()
    speed = rig.engine.speed_cmd_kmh
    rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.DISCONNECTED))
    rig.run(8)
    assert rig.engine.state is S.MAIN
    cmds = rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.RECONNECTED))
    assert SetSpeedCommand(speed) in cmds
    assert AlarmKind.DEVICE_DISCONNECTED not in active(rig)
    assert not rig.engine.controller_suspended
    assert rig.engine.state is S.MAIN


def test_disconnect_longer_than_grace_pauses_and_stops_on_reconnect() -> None:
    rig = main_rig()
    rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.DISCONNECTED))
    rig.run(9)
    assert rig.engine.state is S.MAIN
    rig.run(2)
    assert rig.engine.state is S.PAUSED
    assert rig.sink.kinds("state")[-1].cause == "device"
    cmds = rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.RECONNECTED))
    assert cmds == [StopBeltCommand()]


def test_console_speed_change_event_reseeds_without_fighting() -> None:
    rig = main_rig()
    rig.speed_kmh = 4.0  # set on the console
    rig.follow_commands = False
    cmds = rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.CONSOLE_SPEED_CHANGED, value=4.0))
    assert cmds == []
    cmds = rig.step()  # the measured belt speed confirms the change
    assert not any(isinstance(c, SetSpeedCommand) for c in cmds)
    assert rig.engine.speed_cmd_kmh == 4.0
    assert rig.controller.reseeds[-1][1] == 4.0
    ev = rig.sink.kinds("controller")[-1]
    assert ev.data["action"] == "reseed" and ev.cause == "device"


def test_measured_speed_divergence_is_treated_as_console_change() -> None:
    rig = main_rig()
    rig.follow_commands = False  # someone else drives the belt
    rig.speed_kmh = 4.5
    n = len(rig.controller.reseeds)
    rig.run(12)
    assert len(rig.controller.reseeds) == n + 1
    assert rig.controller.reseeds[-1][1] == 4.5
    assert any(
        e.data.get("device_kind") == "console_speed_changed" for e in rig.sink.kinds("device")
    )


def test_belt_stopped_without_event_pauses() -> None:
    rig = main_rig()
    rig.follow_commands = False
    rig.belt_running = False
    rig.speed_kmh = 0.0
    rig.run(8)
    assert rig.engine.state is S.PAUSED
    assert AlarmKind.TREADMILL_STOPPED in active(rig)


def test_failed_commands_are_resent_then_not_responding_alarm() -> None:
    rig = main_rig()
    rig.fail_commands = True
    rig.command(ManualSpeed(5.0))
    cmds = rig.step()
    assert SetSpeedCommand(5.0) in cmds  # re-sent
    rig.step()
    assert AlarmKind.TREADMILL_NOT_RESPONDING in active(rig)
    assert rig.engine.controller_suspended
    assert len(rig.sink.kinds("command")) >= 3
    rig.fail_commands = False
    rig.step()
    assert AlarmKind.TREADMILL_NOT_RESPONDING not in active(rig)


def test_recording_failure_raises_alarm_keeps_running_and_retries() -> None:
    rig = main_rig()
    n_samples = len(rig.sink.samples)
    rig.sink.fail = True
    rig.run(10)
    assert rig.engine.state is S.MAIN
    assert AlarmKind.RECORDING_FAILED in active(rig)
    assert len(rig.sink.samples) == n_samples
    rig.sink.fail = False
    rig.run(2)
    assert AlarmKind.RECORDING_FAILED not in active(rig)
    ts = [s.t_s for s in rig.sink.samples]
    assert len(ts) == n_samples + 12 and ts == sorted(ts)
    kinds = [e.data.get("stage") for e in rig.sink.kinds("alarm")]
    assert kinds[-2:] == ["raised", "cleared"]


def test_hr_failover_offered_then_accepted_then_strap_back() -> None:
    rig = main_rig(caps=replace(CAPS, reports_hr=True))
    rig.treadmill_hr = 118
    rig.hr_override = lambda t, hr: None
    rig.run(8)
    snap = rig.engine.snapshot()
    assert snap.hr_quality is HrQuality.STALE and snap.hr_failover_available
    offers = [e for e in rig.sink.kinds("hr_quality") if e.data.get("offer")]
    assert len(offers) == 1
    rig.command(AcceptHrFailover(True))
    rig.run(3)
    snap = rig.engine.snapshot()
    assert snap.hr_failover_active and snap.hr_quality is HrQuality.LOW_QUALITY_SOURCE
    assert snap.hr_bpm == 118
    assert AlarmKind.HR_LOST not in active(rig)
    rig.hr_override = None
    rig.run(2)
    snap = rig.engine.snapshot()
    assert not snap.hr_failover_active and snap.hr_quality is HrQuality.OK


def test_advisory_mode_returns_no_speed_commands() -> None:
    caps = replace(CAPS, can_control_speed=False, can_control_incline=False)
    rig = Rig(caps=caps)
    rig.start()
    rig.step()
    rig.belt_running = True
    for _ in range(200):
        rig.speed_kmh = rig.engine.speed_cmd_kmh  # the therapist follows the advice
        rig.step()
    assert not [c for _, c in rig.sent if not isinstance(c, StopBeltCommand)]
    snap = rig.engine.snapshot()
    assert snap.advisory_mode and snap.advised_speed_kmh is not None
    assert snap.advised_speed_kmh > 2.5


def test_treadmill_data_timeout_raises_not_responding_and_recovers() -> None:
    rig = main_rig()
    rig.silent_treadmill = True
    rig.run(5)
    assert AlarmKind.TREADMILL_NOT_RESPONDING not in active(rig)
    rig.run(2)
    assert AlarmKind.TREADMILL_NOT_RESPONDING in active(rig)
    assert rig.engine.controller_suspended
    rig.silent_treadmill = False
    rig.step()
    assert AlarmKind.TREADMILL_NOT_RESPONDING not in active(rig)
    assert rig.engine.controller_suspended  # the therapist resumes the controller
    rig.command(ResumeController())
    assert not rig.engine.controller_suspended


def test_console_speed_above_patient_limit_is_commanded_back() -> None:
    rig = main_rig()
    rig.speed_kmh = 10.0
    rig.follow_commands = False
    cmds = rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.CONSOLE_SPEED_CHANGED, value=10.0))
    assert cmds == []  # believed once the measured belt speed confirms it
    rig.follow_commands = True
    cmds = rig.step()
    speeds = [c.speed_kmh for c in cmds if isinstance(c, SetSpeedCommand)]
    # commanded back within the profile's max speed (8.0); the envelope never lets the
    # software jump above the last speed it sent by more than one step
    assert speeds and speeds[-1] <= 8.0
    assert rig.engine.speed_cmd_kmh == speeds[-1]
    assert any(e.data["rule"] == "speed_limit" for e in rig.sink.kinds("safety"))
    n_dev = len(rig.sink.kinds("device"))
    rig.run(30)
    # the belt follows: no repeated divergence events
    assert len(rig.sink.kinds("device")) == n_dev


def test_auto_resume_only_when_configured() -> None:
    from runningroom.session.engine import EngineConfig

    rig = main_rig(config=EngineConfig(auto_resume_controller_s=20.0))
    rig.hr_override = lambda t, hr: None
    rig.run(100)
    assert rig.engine.controller_suspended
    rig.hr_override = None
    rig.run(15)
    assert rig.engine.controller_suspended
    rig.run(10)
    assert not rig.engine.controller_suspended
    ev = rig.sink.kinds("controller")[-1]
    assert ev.data["action"] == "resumed" and ev.cause == "system"


@pytest.mark.parametrize(
    "kind", [DeviceEventKind.CONSOLE_SPEED_CHANGED, DeviceEventKind.CONSOLE_INCLINE_CHANGED]
)
def test_console_change_with_non_finite_value_is_ignored(kind: DeviceEventKind) -> None:
    rig = main_rig()
    speed, incline = rig.engine.speed_cmd_kmh, rig.engine.incline_cmd_pct
    assert rig.event(DeviceEvent(t_s=rig.now_s, role=TM, kind=kind, value=float("nan"))) == []
    assert (rig.engine.speed_cmd_kmh, rig.engine.incline_cmd_pct) == (speed, incline)
    rig.run(5)
    assert rig.engine.state is S.MAIN and not rig.engine.controller_suspended
