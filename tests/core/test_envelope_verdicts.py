"""What every verdict of the safety envelope says, and the envelope before any input.

A verdict names the request it answers and the rule that decided it; a fresh envelope,
before the first tick or HR sample, lets nothing rise.
"""

from __future__ import annotations

import pytest

from runningroom.session.envelope import Origin, Rule, SafetyEnvelope
from runningroom.session.model import (
    SessionState,
    SetInclineCommand,
    SetSpeedCommand,
    StartBeltCommand,
    StopBeltCommand,
    TreadmillCommand,
)
from tests.core.test_envelope_edges import LIMITS, hr, running, tick

S = SessionState


def _fresh_started() -> SafetyEnvelope:
    env = SafetyEnvelope(LIMITS)
    env.observe_state(S.WARMUP)
    assert env.check(StartBeltCommand(), 0.0).rule is None
    return env


@pytest.mark.parametrize(
    ("cmd", "expected_rule"),
    [
        (StopBeltCommand(), None),  # passes
        (SetSpeedCommand(5.0), None),  # passes (the current speed)
        (SetSpeedCommand(9.0), Rule.STEP),  # cut
        (SetSpeedCommand(float("nan")), Rule.FINITE),  # dropped
        (SetInclineCommand(99.0), Rule.STEP),  # cut to one step
        (StartBeltCommand(), None),
    ],
)
def test_every_verdict_names_the_request_it_answers(
    cmd: TreadmillCommand, expected_rule: Rule | None
) -> None:
    env = running(5.0)
    verdict = env.check(cmd, 1.0)
    assert verdict.requested is cmd
    if expected_rule is not None:
        assert verdict.rule is expected_rule


def test_a_dropped_request_outside_exercise_still_names_itself_and_the_state_rule() -> None:
    env = SafetyEnvelope(LIMITS)
    env.observe_state(S.PAUSED)
    cmd = SetSpeedCommand(3.0)
    verdict = env.check(cmd, 0.0)
    assert verdict.requested is cmd and verdict.command is None and verdict.rule is Rule.STATE


def test_a_speed_for_a_belt_not_started_names_the_state_rule() -> None:
    env = SafetyEnvelope(LIMITS)
    env.observe_state(S.WARMUP)
    cmd = SetSpeedCommand(3.0)
    verdict = env.check(cmd, 0.0)
    assert verdict.requested is cmd and verdict.command is None and verdict.rule is Rule.STATE


def test_a_stale_start_names_itself_and_the_start_rule() -> None:
    env = SafetyEnvelope(LIMITS)
    env.observe_state(S.WARMUP)
    epoch = env.epoch
    env.observe_state(S.PAUSED)
    env.observe_state(S.WARMUP)
    cmd = StartBeltCommand()
    verdict = env.check(cmd, 0.0, requested_epoch=epoch)
    assert verdict.requested is cmd and verdict.command is None and verdict.rule is Rule.START


def test_a_passed_start_and_stop_name_themselves() -> None:
    env = SafetyEnvelope(LIMITS)
    env.observe_state(S.WARMUP)
    start, stop = StartBeltCommand(), StopBeltCommand()
    assert env.check(start, 0.0).requested is start
    assert env.check(stop, 0.0).requested is stop


def test_the_epoch_counts_each_state_change_once() -> None:
    env = SafetyEnvelope(LIMITS)
    first = env.epoch
    env.observe_state(S.WARMUP)
    assert env.epoch == first + 1
    env.observe_state(S.WARMUP)  # the same state again: no change
    assert env.epoch == first + 1
    env.observe_state(S.PAUSED)
    assert env.epoch == first + 2


def test_the_same_state_again_keeps_a_request_of_that_state_current() -> None:
    env = SafetyEnvelope(LIMITS)
    env.observe_state(S.WARMUP)
    epoch = env.epoch
    env.observe_state(S.WARMUP)
    assert env.check(StartBeltCommand(), 0.0, requested_epoch=epoch).rule is None


def test_a_fresh_envelope_passes_no_speed_before_a_start() -> None:
    env = SafetyEnvelope(LIMITS)
    env.observe_state(S.MAIN)
    assert env.check(SetSpeedCommand(2.0), 0.0).command is None


def test_a_fresh_envelope_lets_nothing_rise_before_any_hr_or_tick() -> None:
    env = _fresh_started()
    # a standing belt may start at the safe walking speed without HR, no further
    assert env.check(SetSpeedCommand(3.0), 0.0).command == SetSpeedCommand(3.0)
    verdict = env.check(SetSpeedCommand(3.3), 1.0)
    assert verdict.command == SetSpeedCommand(3.0) and verdict.rule is Rule.NO_INCREASE
    assert env.check(SetInclineCommand(1.0), 1.0).rule is Rule.NO_INCREASE
    assert not env.hr_trusted


def test_therapist_origin_does_not_lift_the_no_increase_rule_of_a_fresh_envelope() -> None:
    env = _fresh_started()
    assert env.check(SetSpeedCommand(3.0), 0.0).rule is None
    verdict = env.check(SetSpeedCommand(6.0), 1.0, origin=Origin.THERAPIST)
    assert verdict.command == SetSpeedCommand(3.0) and verdict.rule is Rule.NO_INCREASE


def test_the_hr_lost_deadline_counts_from_the_last_trusted_tick_not_the_first_untrusted() -> None:
    env = running(5.0)  # trusted at t = 0
    tick(env, 50.0, gate=False)  # the first tick that sees the loss comes late
    tick(env, 61.0, gate=False)
    assert env.speed_cap_kmh(61.0) < 5.0  # 60 s after the last trusted moment


def test_a_tick_stamped_in_the_past_is_judged_at_the_present_time() -> None:
    env = running(5.0)
    hr(env, 10.0, 120)
    tick(env, 5.0)  # the clock never runs backwards: judged at t = 10, the sample is fresh
    assert env.check(SetSpeedCommand(5.2), 10.0).rule is None
    tick(env, 4.0, gate=False)  # an older tick's verdict still restricts
    assert env.check(SetSpeedCommand(5.4), 10.0).rule is Rule.NO_INCREASE


def test_a_second_tick_at_the_same_time_is_judged() -> None:
    env = running(5.0)
    hr(env, 10.0, 120)
    assert env.check(SetSpeedCommand(5.2), 10.0).rule is None
    tick(env, 10.0, gate=False)  # the same moment, a newer verdict: untrusted
    assert env.check(SetSpeedCommand(5.4), 10.0).rule is Rule.NO_INCREASE


def test_the_deadline_ramp_starts_from_the_speed_at_the_deadline() -> None:
    env = running(5.0)
    hr(env, 30.0, 120)
    tick(env, 30.0, gate=False)  # HR lost from t = 30: deadline at t = 90
    assert env.check(SetSpeedCommand(4.0), 60.0, origin=Origin.THERAPIST).rule is None
    tick(env, 90.0, gate=False)
    verdict = env.check(SetSpeedCommand(4.0), 95.0)
    assert verdict.command == SetSpeedCommand(3.5)  # 4.0 - 0.1 km/h/s x 5 s
