"""The safety envelope at the exact edges of its numbers (each test can tell a changed
comparison, bound or constant from the specified behaviour)."""

from __future__ import annotations

import math

import pytest

from runningroom.devices import HrSample, SensorContact
from runningroom.session.envelope import EnvelopeLimits, Origin, Rule, SafetyEnvelope
from runningroom.session.model import (
    SessionState,
    SetInclineCommand,
    SetSpeedCommand,
    StartBeltCommand,
)

S = SessionState
LIMITS = EnvelopeLimits(
    min_speed_kmh=1.0,
    max_speed_kmh=10.0,
    speed_step_kmh=0.1,
    min_incline_pct=0.0,
    max_incline_pct=8.0,
    incline_step_pct=0.5,
    safe_walk_speed_kmh=3.0,
    ceiling_bpm=150.0,
)


def hr(env: SafetyEnvelope, t_s: float, bpm: float, *, gate: bool = True) -> None:
    env.observe_hr(HrSample(t_s=t_s, hr_bpm=bpm, contact=SensorContact.CONTACT))  # type: ignore[arg-type]
    tick(env, t_s, gate=gate)


def tick(env: SafetyEnvelope, now_s: float, *, gate: bool = True, cwh: bool = False) -> None:
    env.observe_tick(now_s, gate_trusted=gate, gate_permits_increase=gate, continue_without_hr=cwh)


def running(
    speed_kmh: float = 5.0, incline_pct: float = 0.0, limits: EnvelopeLimits = LIMITS
) -> SafetyEnvelope:
    """An envelope in MAIN, HR trusted at t=0, belt started and at ``speed_kmh``."""
    env = SafetyEnvelope(limits)
    env.observe_state(S.MAIN)
    hr(env, 0.0, 120)
    assert env.check(StartBeltCommand(), 0.0).command == StartBeltCommand()
    assert env.check(SetSpeedCommand(speed_kmh), 0.0, origin=Origin.THERAPIST).rule is None
    if incline_pct:
        assert env.check(SetInclineCommand(incline_pct), 0.0, origin=Origin.THERAPIST).rule is None
    return env


def lost_since(env: SafetyEnvelope, t_s: float) -> None:
    """The HR is trusted up to ``t_s`` and untrusted from then on."""
    tick(env, t_s)
    tick(env, t_s, gate=False)


# ---------------------------------------------------------------- cut values on the grid


def test_step_cut_from_an_off_grid_speed_is_floored_to_the_speed_grid() -> None:
    env = running(5.05)
    v = env.check(SetSpeedCommand(9.0), 1.0)
    assert v.command == SetSpeedCommand(5.5) and v.rule is Rule.STEP


def test_step_cut_landing_on_the_grid_stays_on_that_grid_point() -> None:
    env = running(2.8)  # 2.8 + 0.5 = 3.3: (3.3 - 1.0) / 0.1 is 22.999999999999996 in floats
    v = env.check(SetSpeedCommand(9.0), 1.0)
    assert v.command == SetSpeedCommand(3.3) and v.rule is Rule.STEP


def test_cut_value_is_rounded_to_micro_units() -> None:
    env = running(2.9)  # 2.9 + 0.5 in floats is 3.4000000000000004
    v = env.check(SetSpeedCommand(9.0), 1.0)
    assert v.command is not None
    assert isinstance(v.command, SetSpeedCommand) and v.command.speed_kmh == 3.4


def test_without_a_device_grid_a_cut_value_is_kept_as_computed() -> None:
    limits = EnvelopeLimits(
        min_speed_kmh=1.0,
        max_speed_kmh=10.0,
        speed_step_kmh=0.0,
        min_incline_pct=0.0,
        max_incline_pct=8.0,
        incline_step_pct=0.0,
        safe_walk_speed_kmh=3.0,
        ceiling_bpm=150.0,
    )
    env = running(5.05, incline_pct=1.25, limits=limits)
    assert env.check(SetSpeedCommand(9.0), 1.0).command == SetSpeedCommand(5.55)
    assert env.check(SetInclineCommand(7.0), 1.0).command == SetInclineCommand(2.25)


def test_incline_step_cut_is_floored_to_the_incline_grid() -> None:
    env = running(5.0, incline_pct=1.2)
    v = env.check(SetInclineCommand(6.0), 1.0)
    assert v.command == SetInclineCommand(2.0) and v.rule is Rule.STEP


# ---------------------------------------------------------------- E1 range edges


def test_speed_exactly_at_device_maximum_passes() -> None:
    env = running(9.8)
    v = env.check(SetSpeedCommand(10.0), 1.0)
    assert v.command == SetSpeedCommand(10.0) and v.rule is None


def test_speed_exactly_at_device_minimum_passes() -> None:
    env = running(5.0)
    v = env.check(SetSpeedCommand(1.0), 1.0)
    assert v.command == SetSpeedCommand(1.0) and v.rule is None


def test_speed_just_above_device_maximum_is_clamped() -> None:
    env = running(9.8)
    v = env.check(SetSpeedCommand(10.05), 1.0)
    assert v.command == SetSpeedCommand(10.0) and v.rule is Rule.RANGE


def test_incline_exactly_at_device_maximum_passes() -> None:
    env = running(5.0, incline_pct=7.5)
    v = env.check(SetInclineCommand(8.0), 1.0)
    assert v.command == SetInclineCommand(8.0) and v.rule is None


def test_incline_exactly_at_device_minimum_passes() -> None:
    env = running(5.0, incline_pct=2.0)
    v = env.check(SetInclineCommand(0.0), 1.0)
    assert v.command == SetInclineCommand(0.0) and v.rule is None


def test_incline_just_below_minimum_is_clamped_to_the_minimum() -> None:
    env = running(5.0, incline_pct=2.0)
    v = env.check(SetInclineCommand(-0.05), 1.0)
    assert v.command == SetInclineCommand(0.0) and v.rule is Rule.RANGE
    assert env.last_incline_pct == 0.0


def test_incline_just_above_maximum_is_clamped_to_the_maximum() -> None:
    env = running(5.0, incline_pct=7.5)
    v = env.check(SetInclineCommand(8.05), 1.0, origin=Origin.THERAPIST)
    assert v.command == SetInclineCommand(8.0) and v.rule is Rule.RANGE


def test_incline_in_range_passes_as_the_same_command_object() -> None:
    env = running(5.0)
    cmd = SetInclineCommand(0.5)
    v = env.check(cmd, 1.0)
    assert v.command is cmd and v.requested is cmd and v.rule is None


def test_speed_in_range_passes_as_the_same_command_object() -> None:
    env = running(5.0)
    cmd = SetSpeedCommand(5.2)
    v = env.check(cmd, 1.0)
    assert v.command is cmd and v.requested is cmd and v.rule is None


def test_incline_increase_by_exactly_one_step_passes() -> None:
    env = running(5.0, incline_pct=1.0)
    v = env.check(SetInclineCommand(2.0), 1.0)
    assert v.command == SetInclineCommand(2.0) and v.rule is None


def test_speed_increase_by_exactly_one_step_passes() -> None:
    env = running(5.0)
    v = env.check(SetSpeedCommand(5.5), 1.0)
    assert v.command == SetSpeedCommand(5.5) and v.rule is None


def test_therapist_incline_jump_passes_with_trusted_hr() -> None:
    env = running(5.0)
    v = env.check(SetInclineCommand(6.0), 1.0, origin=Origin.THERAPIST)
    assert v.command == SetInclineCommand(6.0) and v.rule is None


def test_incline_increase_without_trusted_hr_is_held_at_the_last_incline() -> None:
    env = running(5.0, incline_pct=1.0)
    tick(env, 1.0, gate=False)
    v = env.check(SetInclineCommand(3.0), 1.0, origin=Origin.THERAPIST)
    assert v.command == SetInclineCommand(1.0) and v.rule is Rule.NO_INCREASE


def test_incline_increase_during_a_ceiling_episode_names_the_ceiling_rule() -> None:
    env = running(5.0, incline_pct=1.0)
    hr(env, 1.0, 160)
    v = env.check(SetInclineCommand(3.0), 1.0, origin=Origin.THERAPIST)
    assert v.command == SetInclineCommand(1.0) and v.rule is Rule.CEILING


# ---------------------------------------------------------------- measured belt and adoption


def test_belt_reading_with_a_non_finite_time_is_ignored() -> None:
    env = running(5.0)
    env.observe_belt(math.nan, 4.0)
    assert not env.adopt_speed(1.0, 4.0)


def test_belt_reading_with_a_non_finite_speed_is_ignored() -> None:
    env = running(5.0)
    env.observe_belt(1.0, math.nan)
    assert not env.adopt_speed(1.0, 4.0)


def test_belt_reading_of_none_is_ignored() -> None:
    env = running(5.0)
    env.observe_belt(1.0, 4.0)
    env.observe_belt(1.5, None)
    assert env.adopt_speed(1.5, 4.0)  # the earlier reading still stands


def test_standing_belt_reading_of_zero_is_believed() -> None:
    env = running(5.0)
    env.observe_belt(1.0, 0.0)
    assert env.adopt_speed(1.0, 0.0)
    assert env.last_speed_kmh == 1.0  # lowered, but never below the range


def test_belt_reading_at_the_plausibility_limit_is_believed() -> None:
    env = running(5.0)  # limit: twice the maximum plus 5 km/h = 25 km/h
    env.observe_belt(1.0, 25.0)
    assert env.adopt_speed(1.0, 25.0)
    assert env.last_speed_kmh == 5.0


def test_belt_reading_just_above_the_plausibility_limit_is_ignored() -> None:
    env = running(5.0)
    env.observe_belt(1.0, 25.5)
    assert not env.adopt_speed(1.0, 25.5)


def test_belt_reading_exactly_3_s_old_still_confirms_an_adoption() -> None:
    env = running(5.0)
    env.observe_belt(10.0, 4.0)
    assert env.adopt_speed(13.0, 4.0)
    assert env.last_speed_kmh == 4.0


def test_belt_reading_just_over_3_s_old_confirms_nothing() -> None:
    env = running(5.0)
    env.observe_belt(10.0, 4.0)
    assert not env.adopt_speed(13.1, 4.0)
    assert env.last_speed_kmh == 5.0


def test_belt_within_exactly_the_tolerance_confirms_an_adoption() -> None:
    env = running(5.0)
    env.observe_belt(1.0, 4.5)
    assert env.adopt_speed(1.0, 4.0)
    assert env.last_speed_kmh == 4.0


def test_belt_just_outside_the_tolerance_confirms_nothing() -> None:
    env = running(5.0)
    env.observe_belt(1.0, 4.6)
    assert not env.adopt_speed(1.0, 4.0)


def test_adopted_speed_below_the_range_lowers_the_reference_to_the_minimum() -> None:
    env = running(5.0)
    env.observe_belt(1.0, 0.5)
    assert env.adopt_speed(1.0, 0.5)
    assert env.last_speed_kmh == 1.0


def test_adopted_speed_on_a_standing_belt_leaves_it_standing() -> None:
    env = SafetyEnvelope(LIMITS)
    env.observe_state(S.MAIN)
    tick(env, 0.0, gate=False)
    env.check(StartBeltCommand(), 0.0)
    env.observe_belt(0.0, 2.0)
    assert env.adopt_speed(0.0, 2.0)
    assert env.last_speed_kmh == 0.0
    # still standing: the walking-speed allowance applies
    assert env.check(SetSpeedCommand(6.0), 0.0).command == SetSpeedCommand(3.0)


# ---------------------------------------------------------------- HR-lost clock


def test_hr_lost_time_is_zero_at_the_moment_of_loss() -> None:
    env = running(5.0)
    lost_since(env, 1.0)
    assert env.hr_lost_for_s(1.0) == 0.0
    assert env.hr_lost_for_s(1.5) == pytest.approx(0.5)


def test_cut_values_are_rounded_to_six_decimals() -> None:
    fine = EnvelopeLimits(
        min_speed_kmh=1.0,
        max_speed_kmh=10.0,
        speed_step_kmh=0.0,
        min_incline_pct=0.0,
        max_incline_pct=8.0,
        incline_step_pct=0.0000001,
        safe_walk_speed_kmh=3.0,
        ceiling_bpm=150.0,
    )
    env = running(5.1234567, incline_pct=1.1234567, limits=fine)
    assert env.check(SetSpeedCommand(9.0), 1.0).command == SetSpeedCommand(5.623457)
    assert env.check(SetInclineCommand(7.0), 1.0).command == SetInclineCommand(2.123457)


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_dropped_non_finite_command_names_the_request(bad: float) -> None:
    env = running(5.0)
    for cmd in (SetSpeedCommand(bad), SetInclineCommand(bad)):
        v = env.check(cmd, 1.0)
        assert v.requested is cmd and v.command is None and v.rule is Rule.FINITE


# ---------------------------------------------------------------- E6: the envelope's own commands


def deadline_at_walking_speed() -> SafetyEnvelope:
    """Belt at the safe walking speed, HR lost since 1 s: the deadline is in force at 61 s."""
    env = running(3.0)
    lost_since(env, 1.0)
    tick(env, 70.0, gate=False)
    assert env.hr_lost_deadline_passed(70.0) and env.speed_cap_kmh(70.0) == 3.0
    return env


def test_belt_reading_exactly_3_s_old_still_brings_the_belt_down() -> None:
    env = deadline_at_walking_speed()
    env.observe_belt(67.0, 8.0)
    assert [v.command for v in env.required(70.0)] == [SetSpeedCommand(3.0)]


def test_belt_reading_older_than_3_s_is_not_acted_on() -> None:
    env = deadline_at_walking_speed()
    env.observe_belt(66.5, 8.0)
    assert env.required(70.0) == []


def test_belt_exactly_at_the_tolerance_above_the_cap_is_not_above_it() -> None:
    env = deadline_at_walking_speed()
    env.observe_belt(70.0, 3.5)
    assert env.required(70.0) == []


def test_belt_at_the_cap_needs_no_command() -> None:
    env = deadline_at_walking_speed()
    env.observe_belt(70.0, 3.0)
    assert env.required(70.0) == []


def test_envelope_command_names_what_it_requested() -> None:
    env = running(6.0, incline_pct=3.0)
    lost_since(env, 1.0)
    tick(env, 71.0, gate=False)
    out = env.required(71.0)
    assert [v.requested for v in out] == [SetSpeedCommand(5.0), SetInclineCommand(0.0)]
    assert [v.command for v in out] == [SetSpeedCommand(5.0), SetInclineCommand(0.0)]
    assert all(v.rule is Rule.HR_LOST_DEADLINE for v in out)


def test_infinite_hr_sample_starts_no_ceiling_episode() -> None:
    env = running(5.0)
    hr(env, 1.0, math.inf, gate=False)
    assert not env.ceiling_episode


def test_caps_are_the_range_maxima_during_the_hold_time() -> None:
    env = running(5.0, incline_pct=3.0)
    lost_since(env, 1.0)
    tick(env, 60.0, gate=False)  # 59 s untrusted: not yet in force
    assert env.incline_cap_pct(60.0) == LIMITS.max_incline_pct
    assert env.speed_cap_kmh(60.0) == LIMITS.max_speed_kmh


def test_caps_may_be_asked_for_ahead_of_the_next_tick() -> None:
    env = running(5.0, incline_pct=3.0)
    lost_since(env, 1.0)
    # no tick since the deadline came into force: the caps start from the last values
    assert env.incline_cap_pct(63.0) == 2.0
    assert env.speed_cap_kmh(71.0) == 4.0


def test_caps_keep_ramping_from_where_they_started_after_a_manual_decrease() -> None:
    env = running(5.0, incline_pct=3.0)
    lost_since(env, 1.0)
    tick(env, 61.0, gate=False)  # the caps start from 5 km/h and 3 %
    env.check(SetInclineCommand(2.0), 61.0, origin=Origin.THERAPIST)
    env.check(SetSpeedCommand(4.8), 61.0, origin=Origin.THERAPIST)
    assert env.incline_cap_pct(62.0) == 2.5
    assert env.speed_cap_kmh(62.0) == 4.9


def test_incline_above_the_deadline_cap_is_cut_to_the_cap() -> None:
    env = running(5.0, incline_pct=3.0)
    lost_since(env, 1.0)
    tick(env, 63.0, gate=False)
    v = env.check(SetInclineCommand(2.5), 63.0, origin=Origin.THERAPIST)
    assert v.command == SetInclineCommand(2.0) and v.rule is Rule.HR_LOST_DEADLINE


def test_off_grid_incline_within_every_rule_passes_and_becomes_the_last_incline() -> None:
    env = running(5.0)
    cmd = SetInclineCommand(0.7)
    assert env.check(cmd, 1.0).command is cmd
    assert env.last_incline_pct == 0.7


def test_same_incline_without_trusted_hr_passes_unchanged() -> None:
    env = running(5.0, incline_pct=1.0)
    tick(env, 1.0, gate=False)
    v = env.check(SetInclineCommand(1.0), 1.0)
    assert v.rule is None and v.command == SetInclineCommand(1.0)


def test_same_speed_without_trusted_hr_passes_unchanged() -> None:
    env = running(5.0)
    tick(env, 1.0, gate=False)
    v = env.check(SetSpeedCommand(5.0), 1.0)
    assert v.rule is None and v.command == SetSpeedCommand(5.0)


# values within the float tolerance (1e-9) of a limit count as at the limit


def test_incline_within_the_tolerance_of_the_range_passes_unchanged() -> None:
    env = running(5.0, incline_pct=7.5)
    for value in (8.0 + 1e-9, 0.0 - 1e-9):
        v = env.check(SetInclineCommand(value), 1.0)
        assert v.rule is None


def test_speed_within_the_tolerance_of_the_range_passes_unchanged() -> None:
    env = running(9.8)
    for value in (10.0 + 1e-9, 1.0 - 1e-9):
        v = env.check(SetSpeedCommand(value), 1.0)
        assert v.rule is None


def test_rise_within_the_tolerance_is_no_increase() -> None:
    env = running(5.0, incline_pct=1.0)
    tick(env, 1.0, gate=False)
    assert env.check(SetInclineCommand(1.0 + 1e-9), 1.0).rule is None
    assert env.check(SetSpeedCommand(5.0 + 1e-9), 1.0).rule is None


def test_step_within_the_tolerance_is_one_step() -> None:
    env = running(5.0, incline_pct=1.0)
    assert env.check(SetInclineCommand(2.0 + 1e-9), 1.0).rule is None
    assert env.check(SetSpeedCommand(5.5 + 1e-9), 1.0).rule is None


def test_command_within_the_tolerance_of_the_deadline_cap_is_not_cut() -> None:
    env = running(5.0, incline_pct=3.0)
    lost_since(env, 1.0)
    tick(env, 63.0, gate=False)  # caps 4.8 km/h and 2.0 %
    assert env.check(SetInclineCommand(2.0 + 1e-9), 63.0, origin=Origin.THERAPIST).rule is None
    assert env.check(SetSpeedCommand(4.8 + 1e-9), 63.0, origin=Origin.THERAPIST).rule is None


def test_invalid_hr_sample_bars_increases_before_the_next_tick() -> None:
    env = running(5.0)
    tick(env, 1.0)
    assert env.hr_trusted and env.increases_permitted()
    env.observe_hr(HrSample(t_s=1.5, hr_bpm=0, contact=SensorContact.CONTACT))
    assert not env.hr_trusted and not env.increases_permitted()
    assert env.check(SetSpeedCommand(5.5), 1.5).rule is Rule.NO_INCREASE
