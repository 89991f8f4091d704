"""Benchmark metrics on hand-made series and a tiny benchmark run on the stand-in plant."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace

import numpy as np
import pytest

from runningroom.bench import metrics
from runningroom.bench.case import HrReader
from runningroom.bench.loop import drive_session, trace_from_ticks
from runningroom.bench.plant import FopdtCohortFactory
from runningroom.bench.runner import (
    BENCH_CONTROLLERS,
    BenchProtocol,
    run_cohort,
    run_session,
    summarise,
)
from runningroom.control import make_controller
from runningroom.session.model import SessionState
from runningroom.session.supervisor import SupervisorConfig

REQUIRED_KEYS = {
    "controller",
    "patients",
    "rmse_median_bpm",
    "rmse_p90_bpm",
    "step_rmse_median_bpm",
    "oracle_ratio_median",
    "time_in_zone_pct_median",
    "entry_time_median_s",
    "overshoot_p90_bpm",
    "ceiling_violations",
    "speed_change_per_min_median",
    "max_speed_step_kmh",
}

SHORT = BenchProtocol(warmup_s=240.0, main_s=600.0)


# ---- metrics ----------------------------------------------------------------------------


def test_rmse_and_bias() -> None:
    assert metrics.rmse_bpm([100.0, 102.0, 98.0, 100.0], [100.0] * 4) == pytest.approx(
        math.sqrt(2.0)
    )
    assert metrics.bias_bpm([101.0, 103.0], [100.0, 100.0]) == pytest.approx(2.0)
    assert math.isnan(metrics.rmse_bpm([], []))


def test_entry_index_needs_a_sustained_run() -> None:
    inside = [False] * 5 + [True] * 3 + [False] * 2 + [True] * 40
    assert metrics.entry_index(inside, sustain_samples=30) == 10
    assert metrics.entry_index(inside, sustain_samples=3) == 5
    assert metrics.entry_index([False] * 10, 3) is None
    assert metrics.entry_index([False, False, True, True], 30) == 2  # run reaches the end


def test_zone_overshoot_and_ceiling() -> None:
    hr = [95.0, 100.0, 110.0, 121.0, 119.0, 131.0]
    assert metrics.time_in_zone_pct(hr, 100.0, 120.0) == pytest.approx(50.0)
    assert metrics.overshoot_bpm(hr, 120.0) == pytest.approx(11.0)
    assert metrics.overshoot_bpm([100.0], 120.0) == 0.0
    assert metrics.seconds_above(hr, 125.0) == 1.0


def test_command_smoothness_metrics() -> None:
    speeds = [5.0, 5.0, 5.2, 5.2, 5.0, 5.3, 5.3]
    assert metrics.command_changes(speeds) == 3
    assert metrics.max_step(speeds) == pytest.approx(0.3)
    assert metrics.reversals(speeds) == 2
    assert metrics.total_variation_per_min(speeds) == pytest.approx(0.7 / (6 / 60))
    assert metrics.max_step([5.0]) == 0.0


def test_percentiles_ignore_nan() -> None:
    assert metrics.median([1.0, math.nan, 3.0]) == pytest.approx(2.0)
    assert math.isnan(metrics.percentile([math.nan], 90))


# ---- protocol and loop ------------------------------------------------------------------


def test_trace_carries_the_engines_target_constant_and_square_wave() -> None:
    case = FopdtCohortFactory(seed=2)(0)
    const = run_session(case, make_controller("model"), SHORT)
    steps = run_session(case, make_controller("model"), SHORT, steps=True)
    assert int(const.main.sum()) == int(SHORT.main_s)
    np.testing.assert_allclose(const.target_bpm[const.main], case.target_bpm)
    main_targets = steps.target_bpm[steps.main]
    half = int(SHORT.step_half_period_s)
    assert main_targets[0] == pytest.approx(case.target_bpm + SHORT.step_amplitude_bpm)
    assert main_targets[half + 1] == pytest.approx(case.target_bpm - SHORT.step_amplitude_bpm)
    warm = const.target_bpm[: int(SHORT.warmup_s)]
    assert warm[-1] == pytest.approx(case.zone_low_bpm)  # the engine's warm-up ramp
    assert np.all(np.diff(warm) >= -1e-9)


def test_same_noise_for_every_controller() -> None:
    case = FopdtCohortFactory(seed=4)(1)
    a = run_session(case, make_controller("fixed-speed"), SHORT)
    b = run_session(case, make_controller("fixed-speed"), SHORT)
    np.testing.assert_array_equal(a.hr_true_bpm, b.hr_true_bpm)


def test_model_session_respects_limits_and_tracks() -> None:
    case = FopdtCohortFactory(seed=5)(3)
    trace = run_session(case, make_controller("model"), BenchProtocol())
    steps = np.abs(np.diff(trace.speed_kmh))
    assert float(steps.max()) <= 0.3 + 1e-9
    lim = case.limits
    assert trace.speed_kmh.min() >= lim.min_speed_kmh - 1e-9
    assert trace.speed_kmh.max() <= lim.max_speed_kmh + 1e-9
    proto = BenchProtocol()
    n_warm = int(np.argmax(trace.main))
    assert n_warm == pytest.approx(proto.warmup_s, abs=1)
    assert int(trace.main.sum()) == int(proto.main_s)
    end_main = n_warm + int(proto.main_s)
    assert len(trace.t_s) > end_main + 60  # the cool-down is in the trace
    assert trace.speed_kmh[-1] < trace.speed_kmh[end_main - 1]  # the engine ramps it down
    main = trace.hr_true_bpm[trace.main][300:]
    assert metrics.rmse_bpm(main, [case.target_bpm] * len(main)) < 3.0


# ---- tiny benchmark ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_summary() -> list[dict[str, object]]:
    rows = run_cohort(FopdtCohortFactory(seed=1), 3, protocol=SHORT, workers=1)
    assert len(rows) == 3 * 2 * len(BENCH_CONTROLLERS)
    return summarise(rows, SHORT)


def test_tiny_bench_has_the_keys_and_sane_values(
    tiny_summary: list[dict[str, object]],
) -> None:
    assert [obj["controller"] for obj in tiny_summary] == list(BENCH_CONTROLLERS)
    json.dumps(tiny_summary)  # JSON-serialisable
    for obj in tiny_summary:
        assert obj.keys() >= REQUIRED_KEYS
        assert obj["patients"] == 3
        rmse = obj["rmse_median_bpm"]
        assert isinstance(rmse, float) and 0.0 < rmse < 30.0
        step = obj["max_speed_step_kmh"]
        assert isinstance(step, float) and step <= 0.3 + 1e-9
    by_name = {obj["controller"]: obj for obj in tiny_summary}
    assert by_name["oracle"]["oracle_ratio_median"] == pytest.approx(1.0)
    model, fixed = by_name["model"], by_name["fixed-step"]
    assert isinstance(model["rmse_median_bpm"], float)
    assert isinstance(fixed["rmse_median_bpm"], float)
    assert model["rmse_median_bpm"] < fixed["rmse_median_bpm"]
    assert model["ceiling_violations"] == 0


def test_two_workers_give_the_same_rows_as_one() -> None:
    factory = FopdtCohortFactory(seed=9)
    proto = BenchProtocol(warmup_s=120.0, main_s=120.0)
    one = run_cohort(factory, 2, controllers=("model",), protocol=proto, workers=1)
    two = run_cohort(factory, 2, controllers=("model",), protocol=proto, workers=2)
    key = ("patient_id", "variant", "controller")
    one.sort(key=lambda r: tuple(r[k] for k in key))
    assert [r["rmse_main_bpm"] for r in one] == [r["rmse_main_bpm"] for r in two]


@dataclass
class _DropoutSensor:
    """Reports the rounded true HR except for no samples in [lost_from_s, lost_until_s)."""

    lost_from_s: float
    lost_until_s: float

    def read(self, t_s: float, true_hr_bpm: float, speed_kmh: float = 0.0) -> int | None:
        if self.lost_from_s <= t_s < self.lost_until_s:
            return None
        return round(true_hr_bpm)


def test_lean_bench_and_engine_bench_use_the_same_engine() -> None:
    """HR lost in the lean bench: the engine's hold, E6 ramp and therapist resume act."""
    lost_from_s, lost_until_s = 600.0, 750.0

    def sensor() -> HrReader:
        return _DropoutSensor(lost_from_s, lost_until_s)

    case = replace(FopdtCohortFactory(seed=5)(9), new_sensor=sensor)
    engine, ticks = drive_session(case, make_controller("model"), SHORT)
    cfg = SupervisorConfig()
    t = np.array([snap.t_s for snap, _ in ticks])
    speed = np.array([snap.speed_cmd_kmh for snap, _ in ticks])
    at_loss = float(speed[np.searchsorted(t, lost_from_s) - 1])
    assert at_loss > cfg.safe_walk_speed_kmh + 1.0  # a ramp worth seeing
    # held (never increased) while the HR is missing, through the 60 s grace
    lost = (t >= lost_from_s) & (t < lost_until_s)
    assert float(speed[lost].max()) <= at_loss + 1e-9
    # 60 s after the HR became untrusted, the engine's deadline ramp: 0.1 km/h/s down to
    # the safe walking speed
    untrusted_s = float(t[lost & ~np.array([s.hr_quality.trusted for s, _ in ticks])][0])
    assert untrusted_s - lost_from_s <= cfg.stale_after_s + 1.0
    ramp_start_s = untrusted_s + cfg.hr_lost_ramp_after_s
    assert speed[(t >= lost_from_s) & (t < ramp_start_s - 1.0)] == pytest.approx(at_loss)
    for ti, vi in zip(t[lost], speed[lost], strict=True):
        cap = at_loss - cfg.ramp_down_kmh_per_s * (ti - ramp_start_s + 1.0)
        assert vi <= max(cfg.safe_walk_speed_kmh, cap + 0.1) + 1e-6, (ti, vi, cap)
    reach_s = ramp_start_s + (at_loss - cfg.safe_walk_speed_kmh) / cfg.ramp_down_kmh_per_s + 1
    assert reach_s < lost_until_s
    assert speed[(t >= reach_s) & (t < lost_until_s)] == pytest.approx(cfg.safe_walk_speed_kmh)
    # the lean loop ran the engine's rules, recorded by the engine itself
    rules = {e.data.get("rule") for e in engine.events if e.kind == "safety"}
    assert "hr_lost_ramp_down" in rules
    # the virtual therapist resumed the controller with ResumeController, after the HR
    # had been trusted for resume_after_s; the controller then took the belt back up
    overrides = [
        e
        for e in engine.events
        if e.kind == "override" and e.data.get("command") == "resume_controller"
    ]
    assert len(overrides) == 1
    assert overrides[0].t_s >= lost_until_s + SHORT.resume_after_s
    suspended = np.array([snap.controller_suspended for snap, _ in ticks])
    assert suspended[(t > ramp_start_s + 1) & (t < lost_until_s)].all()
    assert not suspended[t > overrides[0].t_s].any()
    after = speed[
        (t > overrides[0].t_s) & np.array([s.state is SessionState.MAIN for s, _ in ticks])
    ]
    assert float(after.max()) > cfg.safe_walk_speed_kmh + 0.5
    trace = trace_from_ticks(ticks, SHORT)
    assert int(trace.main.sum()) == int(SHORT.main_s)
