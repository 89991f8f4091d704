"""``runningroom bench``: the CLI over the drivers.sim cohort (tiny run)."""

from __future__ import annotations

import json

import pytest

from runningroom_app.cli import main
from runningroom_app.cli.bench import SimCohortFactory, format_table

KEYS = {
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


def test_bench_json_on_two_simulated_patients(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--patients", "2", "--seed", "3", "--json", "--workers", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [obj["controller"] for obj in out] == ["model", "fixed-step", "fixed-speed", "oracle"]
    for obj in out:
        assert obj.keys() >= KEYS
        assert obj["patients"] == 2
        assert 0.0 < obj["rmse_median_bpm"] < 40.0
    assert out[0]["max_speed_step_kmh"] <= 0.3
    assert out[3]["oracle_ratio_median"] == pytest.approx(1.0)


def test_bench_table_and_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bench", "--patients", "1", "--workers", "1", "--controllers", "model,oracle"])
    assert code == 0
    text = capsys.readouterr().out
    assert "RMSE med" in text and "oracle" in text and "1 patients" in text
    assert main(["bench", "--controllers", "pid"]) == 2
    assert "unknown controller" in capsys.readouterr().err
    assert format_table([]).startswith("controller")


def test_cohort_factory_is_reproducible_and_prescribes_sensibly() -> None:
    factory = SimCohortFactory(10, 1)
    a, b = factory(4), factory(4)
    assert a.target_bpm == b.target_bpm
    for i in range(10):
        case = factory(i)
        assert case.hr_rest_bpm < case.zone_low_bpm < case.target_bpm < case.zone_high_bpm
        assert case.ceiling_bpm >= case.zone_high_bpm + 10.0
        assert case.oracle_plant.tau_s is not None and case.oracle_plant.gain_bpm_per_kmh > 0
        p1, p2 = case.new_patient(), case.new_patient()
        p1.reset(0.0, 0.0)
        p2.reset(0.0, 0.0)
        assert p1.step(1.0, 3.0, 0.0) == p2.step(1.0, 3.0, 0.0)


def test_bench_through_the_real_engine(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "bench",
            "--engine",
            "--patients",
            "1",
            "--json",
            "--workers",
            "1",
            "--controllers",
            "model",
        ]
    )
    assert code == 0
    (obj,) = json.loads(capsys.readouterr().out)
    assert obj["controller"] == "model"
    assert obj.keys() >= KEYS
    assert 0.0 < obj["rmse_median_bpm"] < 10.0
    assert obj["max_speed_step_kmh"] <= 0.3 + 1e-9
