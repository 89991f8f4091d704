"""The snapshot's per-phase target band and session time left, and the per-phase summary.

In the warm-up and the cool-down the HR is meant to move towards (or away from) the
zone, so "on target" there is the phase's own band, not the main zone; the summary
reports a warm-up and a cool-down by their duration and HR change, not by time in the
main zone.
"""

from __future__ import annotations

from runningroom.session.model import SessionState, SkipPhase
from runningroom.session.phase_plan import PhasePlan
from runningroom.session.summary import summarise
from tests.core.engine_fakes import PRESCRIPTION, TEMPLATE, Rig


def _plan() -> PhasePlan:
    return PhasePlan(
        TEMPLATE, PRESCRIPTION, warmup_target_ramp_fraction=0.75, target_ceiling_margin_bpm=5.0
    )


def test_main_phase_band_is_the_prescribed_zone() -> None:
    assert _plan().target_band(SessionState.MAIN, 117.0) == (108.0, 126.0)


def test_warmup_band_runs_from_below_the_ramp_target_to_the_top_of_the_zone() -> None:
    low, high = _plan().target_band(SessionState.WARMUP, 90.0)
    assert low == 90.0 - 9.0  # half the zone's width below the ramp target
    assert high == PRESCRIPTION.zone_high_bpm
    # at the end of the ramp the band reaches the zone's lower edge, never above it
    low_end, _ = _plan().target_band(SessionState.WARMUP, 130.0)
    assert low_end == PRESCRIPTION.zone_low_bpm


def test_cooldown_band_reaches_from_rest_to_the_top_of_the_zone() -> None:
    low, high = _plan().target_band(SessionState.COOLDOWN, _plan().recovery_bpm)
    assert high == PRESCRIPTION.zone_high_bpm
    assert low == min(PRESCRIPTION.resting_hr_bpm, _plan().recovery_bpm)
    assert low < _plan().recovery_bpm < high


def test_session_remaining_counts_every_later_phase() -> None:
    plan = _plan()
    total = 480.0 + 1800.0 + 420.0
    assert plan.session_remaining_s(None, 0.0) == total
    assert plan.session_remaining_s(SessionState.WARMUP, 100.0) == 100.0 + 1800.0 + 420.0
    assert plan.session_remaining_s(SessionState.COOLDOWN, 60.0) == 60.0
    assert plan.session_remaining_s(SessionState.FINISHED, 60.0) == 0.0


def test_snapshot_carries_the_current_phase_band_and_time_left() -> None:
    rig = Rig()
    rig.start()
    rig.run_until(lambda: rig.engine.state is SessionState.WARMUP, max_s=120)
    rig.run(60)
    snap = rig.engine.snapshot()
    assert snap.phase_target_low_bpm is not None and snap.phase_target_high_bpm is not None
    assert snap.phase_target_low_bpm < snap.target_bpm + 1e-9
    assert snap.phase_target_high_bpm == PRESCRIPTION.zone_high_bpm
    assert snap.session_remaining_s is not None
    assert abs(snap.session_remaining_s - (snap.phase_remaining_s + 1800.0 + 420.0)) < 1e-6

    rig.command(SkipPhase())
    rig.run(5)
    snap = rig.engine.snapshot()
    assert snap.state is SessionState.MAIN
    assert (snap.phase_target_low_bpm, snap.phase_target_high_bpm) == (108.0, 126.0)

    rig.command(SkipPhase())
    rig.run(5)
    snap = rig.engine.snapshot()
    assert snap.state is SessionState.COOLDOWN
    assert snap.phase_target_high_bpm == PRESCRIPTION.zone_high_bpm
    assert snap.phase_target_low_bpm is not None
    assert snap.phase_target_low_bpm <= snap.target_bpm <= snap.phase_target_high_bpm

    rig.run_until(lambda: rig.engine.state.is_terminal, max_s=600)
    assert rig.engine.snapshot().session_remaining_s == 0.0


def test_summary_reports_warmup_and_cooldown_by_hr_change() -> None:
    rig = Rig()
    rig.start()
    rig.run_until(lambda: rig.engine.state.is_terminal, max_s=4000)
    summary = summarise(rig.sink.samples, rig.sink.events, status="finished")
    warmup = summary.phases["warmup"]
    cooldown = summary.phases["cooldown"]
    assert warmup.hr_start_bpm is not None and warmup.hr_end_bpm is not None
    assert warmup.hr_end_bpm > warmup.hr_start_bpm  # the warm-up brought HR up
    assert cooldown.hr_start_bpm is not None and cooldown.hr_end_bpm is not None
    assert cooldown.hr_end_bpm < cooldown.hr_start_bpm  # and the cool-down down again
    assert "hr_start_bpm" in summary.to_dict()["phases"]["main"]
