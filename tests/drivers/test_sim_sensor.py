"""Simulated HR sensor: integer readings, error sizes, seeded and switchable faults."""

from __future__ import annotations

import itertools
import statistics

import numpy as np

from drivers.sim.sensor import FaultConfig, FaultPlan, HrSensor, SensorKind, Spike, SpikeKind


def _read(sensor: HrSensor, true_bpm: float = 120.0, n: int = 2700) -> list[int | None]:
    return [sensor.read(float(t), true_bpm, 5.0) for t in range(n)]


def test_chest_strap_reports_integers_with_small_error() -> None:
    values = _read(HrSensor(SensorKind.CHEST, seed=1), 120.3)
    assert all(isinstance(v, int) for v in values)
    errors = [v - 120.3 for v in values if v is not None]
    assert abs(statistics.mean(errors)) < 0.1
    assert 0.45 <= statistics.pstdev(errors) <= 0.7  # 0.5 bpm plus rounding


def test_optical_sensor_is_worse_with_outliers() -> None:
    errors = []
    for seed in range(6):
        values = _read(HrSensor(SensorKind.OPTICAL, seed=seed), 120.0)
        errors.extend(v - 120.0 for v in values if v is not None)
    mae = statistics.mean(abs(e) for e in errors)
    off = sum(abs(e) > 10 for e in errors) / len(errors)
    assert 1.8 <= mae <= 4.5
    assert 0.02 <= off <= 0.10


def test_fault_plan_is_seeded_and_within_reference_counts() -> None:
    config = FaultConfig()
    assert FaultPlan.draw(config, 5) == FaultPlan.draw(config, 5)
    plans = [FaultPlan.draw(config, s) for s in range(300)]
    assert len(set(plans)) > 250
    assert all(len(p.gaps) <= 3 and len(p.zeros) <= 5 and len(p.spikes) <= 3 for p in plans)
    assert all(1 <= d <= 10 for p in plans for _, d in p.gaps)
    assert all(t >= config.start_after_s for p in plans for t in p.zeros)
    frozen_share = sum(bool(p.frozen) for p in plans) / len(plans)
    assert 0.05 <= frozen_share <= 0.16
    assert all(60 <= d <= 180 for p in plans for _, d in p.frozen)
    assert FaultPlan.draw(FaultConfig.none(), 5).empty


def test_faults_appear_in_the_readings() -> None:
    plan = FaultPlan(
        gaps=((100.0, 5.0),),
        zeros=(200.0,),
        frozen=((300.0, 60.0),),
        spikes=(Spike(500.0, SpikeKind.DOUBLE), Spike(600.0, SpikeKind.OFFSET, 30.0)),
    )
    sensor = HrSensor(SensorKind.CHEST, seed=2, faults=plan)
    values = [sensor.read(float(t), 100.0 + t / 20.0) for t in range(700)]
    assert values[99] is not None and all(v is None for v in values[100:105])
    assert values[105] is not None
    assert values[200] == 0
    assert len(set(values[300:360])) == 1 and values[300] == values[299]
    assert values[361] is not None and values[361] >= values[299] + 2
    assert values[500] is not None and values[500] > 190
    assert values[600] is not None and values[600] - 130 >= 28


def test_faults_can_be_switched_off() -> None:
    plan = FaultPlan(zeros=(10.0,), gaps=((20.0, 5.0),))
    sensor = HrSensor(SensorKind.CHEST, seed=2, faults=plan)
    sensor.faults_enabled = False
    values = _read(sensor, 110.0, 40)
    assert all(v is not None and v > 100 for v in values)


def test_readings_are_reproducible() -> None:
    a = _read(HrSensor(SensorKind.OPTICAL, seed=9, faults=FaultConfig()), 130.0)
    b = _read(HrSensor(SensorKind.OPTICAL, seed=9, faults=FaultConfig()), 130.0)
    c = _read(HrSensor(SensorKind.OPTICAL, seed=10, faults=FaultConfig()), 130.0)
    assert a == b
    assert a != c
    assert np.isfinite([v for v in a if v is not None]).all()


def test_optical_cadence_lock_drifts_onto_the_cadence_without_a_jump() -> None:
    from drivers.sim.sensor import cadence_spm

    plan = FaultPlan(cadence_locks=((100.0, 60.0),))
    sensor = HrSensor(SensorKind.OPTICAL, seed=3, faults=plan)
    values = [sensor.read(float(t), 95.0, 5.0) for t in range(260)]
    cadence = cadence_spm(5.0)
    assert cadence - 95.0 > 15
    entering = [v for v in values[101:130] if v is not None]
    assert max(abs(b - a) for a, b in itertools.pairwise(entering)) < 12
    locked = [v for v in values[140:160] if v is not None]
    assert all(abs(v - cadence) <= 8 for v in locked)
    before = [v for v in values[60:100] if v is not None]
    assert all(abs(v - 95) <= 20 for v in before)
    assert all(abs(v - 95) <= 20 for v in values[220:] if v is not None)
    chest = HrSensor(SensorKind.CHEST, seed=3, faults=plan)
    assert chest.plan.empty


def test_cadence_locks_are_drawn_only_as_faults() -> None:
    plans = [FaultPlan.draw(FaultConfig(), s) for s in range(200)]
    share = sum(bool(p.cadence_locks) for p in plans) / len(plans)
    assert 0.3 <= share <= 0.5  # Poisson mean 0.5: P(>=1) = 0.39
    quiet = HrSensor(SensorKind.OPTICAL, seed=1, faults=FaultPlan(cadence_locks=((0.0, 9e9),)))
    quiet.faults_enabled = False
    assert all(abs((v or 0) - 95) < 20 for v in _read(quiet, 95.0, 300))
