"""Property test: random HR, device events and operator commands never break the invariants."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runningroom.devices import DeviceEvent, DeviceEventKind, DeviceRole, HrSample, SensorContact
from runningroom.session.model import (
    AcceptHrFailover,
    AcknowledgeAlarm,
    AdjustTarget,
    EmergencyStop,
    HoldController,
    ManualIncline,
    ManualSpeed,
    PauseSession,
    RateRpe,
    ResumeController,
    ResumeSession,
    SetInclineCommand,
    SetSpeedCommand,
    SkipPhase,
    StartBeltCommand,
    StopSession,
)
from tests.core.engine_fakes import GreedyController, Rig

operator = st.sampled_from(
    [
        PauseSession(),
        ResumeSession(),
        SkipPhase(),
        AdjustTarget(5),
        AdjustTarget(-5),
        HoldController(True),
        HoldController(False),
        ResumeController(),
        ManualSpeed(4.0),
        ManualSpeed(20.0),
        ManualIncline(3.0),
        RateRpe(13),
        AcknowledgeAlarm(1),
        AcceptHrFailover(True),
        StopSession(),
        EmergencyStop(),
    ]
)
device = st.sampled_from(
    [
        DeviceEventKind.SAFETY_KEY,
        DeviceEventKind.STOPPED_BY_USER,
        DeviceEventKind.NOT_RESPONDING,
        DeviceEventKind.DISCONNECTED,
        DeviceEventKind.RECONNECTED,
        DeviceEventKind.CONTROL_LOST,
        DeviceEventKind.CONTROL_GRANTED,
        DeviceEventKind.CONSOLE_SPEED_CHANGED,
        DeviceEventKind.BATTERY,
    ]
)
hr_value = st.one_of(
    st.none(), st.sampled_from([0, 20, 250]), st.integers(min_value=60, max_value=170)
)
action = st.one_of(
    st.tuples(st.just("tick"), st.integers(min_value=1, max_value=30), hr_value),
    st.tuples(st.just("op"), operator),
    st.tuples(st.just("dev"), device),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(action, min_size=1, max_size=60))
def test_random_sessions_keep_safety_invariants(actions: list[Any]) -> None:
    rig = Rig(controller=GreedyController())
    eng = rig.engine
    lim = eng.limits
    rig.start()
    last_hr_t = rig.now_s
    for act in actions:
        if act[0] == "op":
            rig.command(act[1])
            continue
        if act[0] == "dev":
            if act[1] is DeviceEventKind.CONSOLE_SPEED_CHANGED and rig.belt_running:
                rig.speed_kmh = 4.2
            rig.event(DeviceEvent(rig.now_s, DeviceRole.TREADMILL, act[1], value=4.2))
            continue
        _, n, hr = act
        for _ in range(n):
            before = eng.speed_cmd_kmh
            incline_before = eng.incline_cmd_pct
            was_terminal = eng.state.is_terminal
            rig.now_s += 1.0
            if hr is not None:
                eng.on_hr(HrSample(rig.now_s, hr, contact=SensorContact.CONTACT))
                last_hr_t = rig.now_s
            rig.feed_measurement_only()
            snap_before = eng.snapshot()
            # a console change is adopted when the measured speed confirms it
            before = snap_before.speed_cmd_kmh
            cmds = eng.tick(rig.now_s)
            rig.apply(cmds)
            for c in cmds:
                if isinstance(c, SetSpeedCommand):
                    assert lim.min_speed_kmh - 1e-9 <= c.speed_kmh <= lim.max_speed_kmh + 1e-9
                if isinstance(c, SetInclineCommand):
                    assert c.incline_pct <= 10.0 + 1e-9
                if was_terminal:
                    assert not isinstance(c, SetSpeedCommand | StartBeltCommand)
            started = any(isinstance(c, StartBeltCommand) for c in cmds)
            sent = [c.speed_kmh for c in cmds if isinstance(c, SetSpeedCommand)]
            if not started and before > 0 and sent:
                # a tick never commands a speed-up on untrusted or old HR, and never a
                # step above 0.3 km/h (the engine may adopt a measured speed: no command)
                old = rig.now_s - last_hr_t > eng.config.hr_hold_after_s
                bad = hr is not None and not 30 <= hr <= 230
                if not snap_before.hr_quality.trusted or old or bad:
                    assert max(sent) <= before + 1e-9
                    assert eng.incline_cmd_pct <= incline_before + 1e-9
                assert max(sent) - before <= 0.3 + 1e-9
    eng.summary().to_dict()  # always computable
