"""Session engine: full sessions in virtual time, transitions, recording."""

from __future__ import annotations

import itertools

from runningroom.session.model import SessionState, SetSpeedCommand, StartBeltCommand
from tests.core.engine_fakes import Rig


def test_full_session_reaches_zone_and_finishes() -> None:
    # virtual time: the speed of a whole session is a benchmark figure, not a test
    rig = Rig()
    rig.start()
    rig.run_until(lambda: rig.engine.state.is_terminal, max_s=3000)
    assert rig.engine.state is SessionState.FINISHED
    states = [(f, t) for f, t, _ in rig.sink.states()]
    assert states == [
        ("idle", "preflight"),
        ("preflight", "warmup"),
        ("warmup", "main"),
        ("main", "cooldown"),
        ("cooldown", "finished"),
    ]
    s = rig.engine.summary()
    assert s.entry_time_s is not None and s.entry_time_s < 300
    assert s.time_in_zone_pct_after_entry is not None and s.time_in_zone_pct_after_entry > 95
    assert s.rmse_bpm is not None and s.rmse_bpm < 3.0
    speeds = rig.speed_commands()  # the first is the warm-up start speed
    assert max(abs(b - a) for a, b in itertools.pairwise(speeds)) <= 0.3 + 1e-9
    assert isinstance(rig.sent[0][1], StartBeltCommand)
    assert isinstance(rig.sent[1][1], SetSpeedCommand)
    # 1 Hz samples, t_s since session start, no gaps
    ts = [x.t_s for x in rig.sink.samples]
    assert len(ts) >= 2400
    assert all(abs((b - a) - 1.0) < 1e-6 for a, b in itertools.pairwise(ts))


def test_actuator_limits_intersect_patient_template_and_device() -> None:
    from dataclasses import replace

    from runningroom.model import Actuator, PatientLimits
    from runningroom.session.engine import actuator_limits
    from tests.core.engine_fakes import CAPS, PROFILE, TEMPLATE

    profile = replace(
        PROFILE,
        preferred_actuator=Actuator.BOTH,
        limits=PatientLimits(max_speed_kmh=9.0, max_incline_pct=6.0, min_speed_kmh=0.5),
    )
    lim = actuator_limits(profile, TEMPLATE, replace(CAPS, min_speed_kmh=0.8, max_incline_pct=5.0))
    assert (lim.min_speed_kmh, lim.max_speed_kmh) == (0.8, 9.0)
    assert lim.use_speed and lim.use_incline and lim.max_incline_pct == 5.0
    assert lim.max_speed_step_kmh == 0.3
    walking = replace(TEMPLATE, walk_only=True)
    assert actuator_limits(profile, walking, CAPS).max_speed_kmh == 6.0
    no_incline = actuator_limits(profile, TEMPLATE, replace(CAPS, can_control_incline=False))
    assert not no_incline.use_incline and no_incline.max_incline_pct == 0.0
    incline_only = actuator_limits(
        replace(profile, preferred_actuator=Actuator.INCLINE), TEMPLATE, CAPS
    )
    assert not incline_only.use_speed and incline_only.use_incline


def test_snapshot_in_idle_preflight_and_session() -> None:
    from runningroom.session.model import HrQuality, Intent, PauseSession, StartSession

    rig = Rig()
    snap = rig.engine.snapshot()
    assert snap.state is SessionState.IDLE and snap.phase is None
    assert snap.hr_quality is HrQuality.NO_SIGNAL and snap.hr_bpm is None
    assert snap.planned_duration_s == 2700 and snap.controller_name == "test-pi"
    rig.feed()
    rig.command(StartSession())
    assert rig.engine.snapshot().state is SessionState.PREFLIGHT
    rig.run(60)
    snap = rig.engine.snapshot()
    assert snap.state is SessionState.WARMUP and snap.phase is SessionState.WARMUP
    assert snap.phase_elapsed_s == 59 and snap.phase_remaining_s == 480 - 59
    assert snap.session_elapsed_s == 60
    assert snap.hr_quality is HrQuality.OK and snap.hr_filtered_bpm is not None
    # the measurement is fed before the tick: it lags a command of this tick by one step
    assert snap.speed_meas_kmh is not None and snap.distance_m > 0
    assert abs(snap.speed_cmd_kmh - snap.speed_meas_kmh) <= 0.3 + 1e-9
    assert snap.zone_low_bpm == 108 and snap.ceiling_bpm == 153
    assert not snap.advisory_mode and snap.advised_speed_kmh is None
    rig.command(PauseSession())
    snap = rig.engine.snapshot()
    assert snap.state is SessionState.PAUSED and snap.phase is SessionState.WARMUP
    assert snap.intent is Intent.NONE and snap.speed_cmd_kmh == 0.0
