"""Belt physics: latency, acceleration limits, quantisation, distance, stops."""

from __future__ import annotations

import pytest

from drivers.sim.treadmill import SIM_CAPABILITIES, BeltConfig, BeltPhysics


def _belt(**kwargs: float) -> BeltPhysics:
    return BeltPhysics(BeltConfig(**kwargs))  # type: ignore[arg-type]


def test_command_takes_effect_after_latency_and_ramps_at_the_limit() -> None:
    belt = _belt(latency_s=1.5, accel_kmh_per_s=0.25)
    belt.command_speed(0.0, 5.0)
    belt.advance(1.5)
    assert belt.speed_kmh == 0.0
    belt.advance(5.5)
    assert belt.speed_kmh == pytest.approx(1.0)
    belt.advance(30.0)
    assert belt.speed_kmh == pytest.approx(5.0)


def test_deceleration_limit_and_exact_distance() -> None:
    belt = _belt(latency_s=0.0, accel_kmh_per_s=0.5, decel_kmh_per_s=0.5)
    belt.command_speed(0.0, 3.6)
    belt.advance(7.2)  # ramp 0 -> 3.6 km/h in 7.2 s: 3.6 m
    assert belt.distance_m == pytest.approx(3.6)
    belt.advance(17.2)  # 10 s at 1 m/s
    assert belt.distance_m == pytest.approx(13.6)
    belt.command_speed(17.2, 1.6)
    belt.advance(19.2)
    assert belt.speed_kmh == pytest.approx(2.6)


def test_targets_are_clamped_and_quantised() -> None:
    belt = _belt(latency_s=0.0)
    assert belt.command_speed(0.0, 5.04) == pytest.approx(5.0)
    assert belt.command_speed(0.0, 99.0) == SIM_CAPABILITIES.max_speed_kmh
    assert belt.command_incline(0.0, 2.3) == pytest.approx(2.5)
    assert belt.command_incline(0.0, -4.0) == 0.0


def test_incline_moves_at_motor_speed() -> None:
    belt = _belt(latency_s=0.0, incline_rate_pct_per_s=0.2)
    belt.command_incline(0.0, 4.0)
    belt.advance(10.0)
    assert belt.incline_pct == pytest.approx(2.0)
    belt.advance(60.0)
    assert belt.incline_pct == pytest.approx(4.0)


def test_start_goes_to_min_speed_and_stop_to_standstill() -> None:
    belt = _belt(latency_s=1.0)
    belt.start(0.0)
    belt.advance(20.0)
    assert belt.running and belt.speed_kmh == pytest.approx(SIM_CAPABILITIES.min_speed_kmh)
    belt.command_speed(20.0, 6.0)
    belt.advance(60.0)
    belt.stop(60.0)
    belt.advance(60.9)
    assert belt.speed_kmh == pytest.approx(6.0)
    belt.advance(80.0)
    assert belt.stopped


def test_emergency_stop_is_immediate_and_hard() -> None:
    belt = _belt(latency_s=1.0, emergency_decel_kmh_per_s=3.0)
    belt.command_speed(0.0, 6.0)
    belt.command_speed(30.0, 7.0)
    belt.advance(30.0)
    belt.stop(30.0, emergency=True)
    assert belt.pending_commands == 0
    belt.advance(32.0)
    assert belt.speed_kmh == pytest.approx(0.0)
    assert belt.stopped
