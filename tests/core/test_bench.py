"""Benchmark metrics on hand-made series and a tiny benchmark run on the stand-in plant."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from runningroom.bench import metrics
from runningroom.bench.plant import FopdtCohortFactory
from runningroom.bench.runner import (
    BENCH_CONTROLLERS,
    BenchProtocol,
    run_cohort,
    run_session,
    summarise,
    target_at,
)
from runningroom.control import make_controller

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


def test_target_profile_warmup_ramp_main_and_square_wave() -> None:
    case = FopdtCohortFactory(seed=2)(0)
    proto = BenchProtocol()
    assert target_at(case, proto, 0.0, False, hr0_bpm=80.0) == pytest.approx(80.0)
    end_ramp = proto.warmup_s * proto.warmup_ramp_fraction
    assert target_at(case, proto, end_ramp, False, 80.0) == pytest.approx(case.zone_low_bpm)
    main_t = proto.warmup_s + 10.0
    assert target_at(case, proto, main_t, False) == pytest.approx(case.target_bpm)
    up = target_at(case, proto, main_t, True)
    down = target_at(case, proto, main_t + proto.step_half_period_s, True)
    assert up - down == pytest.approx(2 * proto.step_amplitude_bpm)


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
    assert len(trace.t_s) == int(proto.warmup_s + proto.main_s + proto.cooldown_s)
    assert int(trace.main.sum()) == int(proto.main_s)
    assert trace.speed_kmh[-1] <= trace.speed_kmh[int(proto.warmup_s + proto.main_s) - 1]
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
