"""The safety envelope on its own: each rule of its table, at its edges, and as properties."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runningroom.devices import HrSample, SensorContact
from runningroom.session.envelope import (
    EnvelopeLimits,
    Origin,
    Rule,
    SafetyEnvelope,
)
from runningroom.session.model import (
    SessionState,
    SetInclineCommand,
    SetSpeedCommand,
    StartBeltCommand,
    StopBeltCommand,
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


def envelope(state: SessionState = S.MAIN) -> SafetyEnvelope:
    env = SafetyEnvelope(LIMITS)
    env.observe_state(state)
    return env


def hr(
    env: SafetyEnvelope,
    t_s: float,
    bpm: float,
    contact: SensorContact = SensorContact.CONTACT,
    *,
    gate: bool = True,
    permits: bool | None = None,
    cwh: bool = False,
    now_s: float | None = None,
) -> None:
    env.observe_hr(HrSample(t_s=t_s, hr_bpm=bpm, contact=contact))  # type: ignore[arg-type]
    env.observe_tick(
        t_s if now_s is None else now_s,
        gate_trusted=gate,
        gate_permits_increase=gate if permits is None else permits,
        continue_without_hr=cwh,
    )


def tick(env: SafetyEnvelope, now_s: float, *, gate: bool = True, cwh: bool = False) -> None:
    env.observe_tick(now_s, gate_trusted=gate, gate_permits_increase=gate, continue_without_hr=cwh)


def running(speed_kmh: float = 5.0, incline_pct: float = 0.0) -> SafetyEnvelope:
    """An envelope in MAIN, HR trusted at t=0, belt started and at ``speed_kmh``."""
    env = envelope()
    hr(env, 0.0, 120)
    assert env.check(StartBeltCommand(), 0.0).command == StartBeltCommand()
    assert env.check(SetSpeedCommand(speed_kmh), 0.0).command == SetSpeedCommand(speed_kmh)
    if incline_pct:
        env.check(SetInclineCommand(incline_pct), 0.0, origin=Origin.THERAPIST)
    return env


def speed_of(env: SafetyEnvelope, kmh: float, now_s: float, **kw: object) -> float | None:
    cmd = env.check(SetSpeedCommand(kmh), now_s, **kw).command  # type: ignore[arg-type]
    assert cmd is None or isinstance(cmd, SetSpeedCommand)
    return None if cmd is None else cmd.speed_kmh


# ---------------------------------------------------------------- E1 finite and in range


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "7", None, True])
def test_e1_non_finite_or_non_number_speed_is_dropped(bad: object) -> None:
    env = running()
    v = env.check(SetSpeedCommand(bad), 1.0)  # type: ignore[arg-type]
    assert v.command is None and v.rule is Rule.FINITE
    assert env.last_speed_kmh == 5.0


@pytest.mark.parametrize("bad", [math.nan, math.inf, "2"])
def test_e1_non_finite_incline_is_dropped(bad: object) -> None:
    env = running()
    v = env.check(SetInclineCommand(bad), 1.0)  # type: ignore[arg-type]
    assert v.command is None and v.rule is Rule.FINITE


def test_e1_speed_is_clamped_into_range() -> None:
    env = running(1.5)
    v = env.check(SetSpeedCommand(0.2), 1.0)
    assert v.command == SetSpeedCommand(1.0) and v.rule is Rule.RANGE
    env.check(SetSpeedCommand(9.8), 1.0, origin=Origin.THERAPIST)
    v = env.check(SetSpeedCommand(25.0), 1.0, origin=Origin.THERAPIST)
    assert v.command == SetSpeedCommand(10.0) and v.rule is Rule.RANGE


def test_e1_incline_is_clamped_into_range() -> None:
    env = running()
    v = env.check(SetInclineCommand(-3.0), 1.0)
    assert v.command == SetInclineCommand(0.0) and v.rule is Rule.RANGE
    env.check(SetInclineCommand(7.5), 1.0, origin=Origin.THERAPIST)
    v = env.check(SetInclineCommand(30.0), 1.0, origin=Origin.THERAPIST)
    assert v.command == SetInclineCommand(8.0) and v.rule is Rule.RANGE


def test_e1_value_in_range_passes_unchanged() -> None:
    env = running()
    v = env.check(SetSpeedCommand(4.7), 1.0)
    assert v.command is v.requested and v.rule is None


# ---------------------------------------------------------------- E2 state


@pytest.mark.parametrize(
    "state",
    [S.IDLE, S.PREFLIGHT, S.PAUSED, S.FINISHED, S.STOPPED, S.ABORTED, S.EMERGENCY_STOPPED],
)
def test_e2_outside_exercise_only_stop_passes(state: SessionState) -> None:
    env = running()
    env.observe_state(state)
    for cmd in (StartBeltCommand(), SetSpeedCommand(2.0), SetInclineCommand(0.0)):
        v = env.check(cmd, 1.0)
        assert v.command is None and v.rule is Rule.STATE
    assert env.check(StopBeltCommand(), 1.0).command == StopBeltCommand()


def test_e2_after_a_stop_nothing_moves_the_belt_until_the_state_changes() -> None:
    env = running()
    env.check(StopBeltCommand(), 1.0)
    assert env.check(SetSpeedCommand(2.0), 1.0).command is None
    assert env.check(SetInclineCommand(0.0), 1.0).command is None
    env.observe_state(S.PAUSED)
    env.observe_state(S.MAIN)
    assert env.check(StartBeltCommand(), 2.0).command == StartBeltCommand()


@pytest.mark.parametrize("state", [S.WARMUP, S.MAIN, S.COOLDOWN])
def test_e2_exercising_states_pass_commands(state: SessionState) -> None:
    env = envelope(state)
    hr(env, 0.0, 120)
    assert env.check(StartBeltCommand(), 0.0).command == StartBeltCommand()
    assert env.check(SetSpeedCommand(2.0), 0.0).command == SetSpeedCommand(2.0)


# ---------------------------------------------------------------- E3 start


def test_e3_start_requested_in_an_earlier_state_is_dropped() -> None:
    env = envelope(S.WARMUP)
    epoch = env.epoch
    env.observe_state(S.PAUSED)
    env.observe_state(S.WARMUP)
    v = env.check(StartBeltCommand(), 1.0, requested_epoch=epoch)
    assert v.command is None and v.rule is Rule.START
    assert env.check(StartBeltCommand(), 1.0, requested_epoch=env.epoch).command is not None


def test_e3_no_start_after_a_stop_in_the_same_state() -> None:
    env = envelope(S.MAIN)
    env.check(StopBeltCommand(), 1.0)
    v = env.check(StartBeltCommand(), 1.0)
    assert v.command is None and v.rule is Rule.START


def test_e3_same_state_observed_twice_is_no_new_epoch() -> None:
    env = envelope(S.MAIN)
    epoch = env.epoch
    env.observe_state(S.MAIN)
    assert env.epoch == epoch


def test_e3_start_resets_the_last_speed_to_standing() -> None:
    env = running(6.0)
    env.check(StopBeltCommand(), 1.0)
    assert env.last_speed_kmh == 0.0
    env.observe_state(S.PAUSED)
    env.observe_state(S.MAIN)
    env.check(StartBeltCommand(), 2.0)
    assert env.last_speed_kmh == 0.0


# ---------------------------------------------------------------- E4 no increase


def test_e4_increase_needs_trusted_hr() -> None:
    env = running(5.0)
    tick(env, 1.0, gate=False)
    v = env.check(SetSpeedCommand(5.3), 1.0)
    assert v.command == SetSpeedCommand(5.0) and v.rule is Rule.NO_INCREASE
    v = env.check(SetInclineCommand(1.0), 1.0)
    assert v.command == SetInclineCommand(0.0) and v.rule is Rule.NO_INCREASE


def test_e4_decrease_always_passes() -> None:
    env = running(5.0, incline_pct=2.0)
    tick(env, 1.0, gate=False)
    assert speed_of(env, 4.2, 1.0) == 4.2
    assert env.check(SetInclineCommand(1.0), 1.0).command == SetInclineCommand(1.0)


def test_e4_gate_permission_is_needed_besides_trust() -> None:
    env = running(5.0)
    hr(env, 1.0, 120, permits=False)
    assert speed_of(env, 5.3, 1.0) == 5.0
    hr(env, 2.0, 120, permits=True)
    assert speed_of(env, 5.3, 2.0) == 5.3


@pytest.mark.parametrize(
    ("bpm", "contact"),
    [
        (0, SensorContact.CONTACT),
        (29, SensorContact.CONTACT),
        (231, SensorContact.CONTACT),
        (math.nan, SensorContact.CONTACT),
        (math.inf, SensorContact.CONTACT),
        (120, SensorContact.NO_CONTACT),
    ],
)
def test_e4_own_check_refuses_bad_samples_even_if_the_gate_trusts_them(
    bpm: float, contact: SensorContact
) -> None:
    env = running(5.0)
    hr(env, 1.0, bpm, contact)
    assert not env.hr_trusted
    assert speed_of(env, 5.3, 1.0) == 5.0


@pytest.mark.parametrize("bpm", [30, 120, 149])
def test_e4_own_check_accepts_valid_samples(bpm: float) -> None:
    env = running(5.0)
    hr(env, 1.0, bpm, SensorContact.NOT_SUPPORTED)
    assert env.hr_trusted
    assert speed_of(env, 5.3, 1.0) == 5.3


def test_e4_230_bpm_is_valid_for_the_own_check() -> None:
    env = SafetyEnvelope(_limits(ceiling_bpm=240.0))
    env.observe_state(S.MAIN)
    hr(env, 0.0, 230)
    assert env.hr_trusted


def _limits(**kw: float) -> EnvelopeLimits:
    fields = {f: getattr(LIMITS, f) for f in LIMITS.__slots__}  # type: ignore[attr-defined]
    fields.update(kw)
    return EnvelopeLimits(**fields)


def test_e4_future_stamped_sample_is_not_fresh() -> None:
    env = running(5.0)
    hr(env, 3600.0, 120, now_s=1.0)
    assert not env.hr_trusted
    assert speed_of(env, 5.3, 1.0) == 5.0


def test_e4_sample_within_the_future_tolerance_is_fresh() -> None:
    env = running(5.0)
    hr(env, 1.4, 120, now_s=1.0)
    assert env.hr_trusted


def test_e4_stale_sample_is_not_trusted() -> None:
    env = running(5.0)
    env.observe_hr(HrSample(t_s=1.0, hr_bpm=120))
    tick(env, 6.0)
    assert env.hr_trusted  # exactly 5 s old
    tick(env, 6.1)
    assert not env.hr_trusted
    assert speed_of(env, 5.3, 6.1) == 5.0


def test_e4_non_finite_sample_time_invalidates_the_hr() -> None:
    env = running(5.0)
    env.observe_hr(HrSample(t_s=math.nan, hr_bpm=120))
    tick(env, 1.0)
    assert not env.hr_trusted


def test_e4_standing_belt_may_start_at_the_safe_walking_speed_without_hr() -> None:
    env = envelope(S.WARMUP)
    tick(env, 0.0, gate=False)
    env.check(StartBeltCommand(), 0.0)
    v = env.check(SetSpeedCommand(4.5), 0.0)
    assert v.command == SetSpeedCommand(3.0) and v.rule is Rule.NO_INCREASE
    assert speed_of(env, 3.5, 1.0) == 3.0  # no longer standing


def test_e4_continue_without_hr_permits_increases() -> None:
    env = running(5.0)
    tick(env, 1.0, gate=False, cwh=True)
    assert env.increases_permitted()
    assert speed_of(env, 5.3, 1.0) == 5.3


def test_e4_continue_without_hr_given_between_ticks_applies_at_once() -> None:
    env = running(5.0)
    tick(env, 1.0, gate=False)
    env.observe_continue_without_hr(True)
    assert speed_of(env, 5.3, 1.0, origin=Origin.THERAPIST) == 5.3
    env.observe_continue_without_hr(False)
    assert speed_of(env, 5.6, 1.0, origin=Origin.THERAPIST) == 5.3


# ---------------------------------------------------------------- E5 ceiling


def test_e5_no_increase_above_the_ceiling_even_with_continue_without_hr() -> None:
    env = running(5.0)
    hr(env, 1.0, 151, cwh=True)
    assert env.ceiling_episode
    v = env.check(SetSpeedCommand(5.3), 1.0)
    assert v.command == SetSpeedCommand(5.0) and v.rule is Rule.CEILING
    v = env.check(SetInclineCommand(1.0), 1.0)
    assert v.rule is Rule.CEILING


def test_e5_hr_above_230_starts_a_ceiling_episode() -> None:
    env = running(5.0)
    hr(env, 1.0, 260, gate=False)
    assert env.ceiling_episode


def test_e5_episode_ends_only_at_or_below_ceiling_minus_hysteresis() -> None:
    env = running(5.0)
    hr(env, 1.0, 151)
    hr(env, 2.0, 149)
    assert env.ceiling_episode
    hr(env, 3.0, 148)
    assert not env.ceiling_episode
    assert speed_of(env, 5.3, 3.0) == 5.3


def test_e5_episode_does_not_end_on_an_untrusted_low_value() -> None:
    env = running(5.0)
    hr(env, 1.0, 151)
    hr(env, 2.0, 100, gate=False)
    assert env.ceiling_episode


def test_e5_exactly_at_the_ceiling_is_no_episode() -> None:
    env = running(5.0)
    hr(env, 1.0, 150)
    assert not env.ceiling_episode


def test_e5_standing_start_still_allowed_to_walking_speed() -> None:
    env = envelope(S.MAIN)
    hr(env, 0.0, 160)
    env.check(StartBeltCommand(), 0.0)
    assert speed_of(env, 6.0, 0.0) == 3.0


# ---------------------------------------------------------------- E6 HR-lost deadline


def test_e6_deadline_starts_after_the_hold_time() -> None:
    env = running(6.0)
    tick(env, 1.0)  # last trusted moment: the loss counts from here
    tick(env, 1.0, gate=False)
    tick(env, 60.9, gate=False)
    assert not env.hr_lost_deadline_passed(60.9)
    assert env.speed_cap_kmh(60.9) == LIMITS.max_speed_kmh
    tick(env, 61.0, gate=False)
    assert env.hr_lost_deadline_passed(61.0)
    assert env.hr_lost_for_s(61.0) == pytest.approx(60.0)


def test_e6_cap_ramps_from_the_last_speed_to_the_safe_walking_speed() -> None:
    env = running(6.0, incline_pct=3.0)
    tick(env, 1.0)  # last trusted moment: the loss counts from here
    tick(env, 1.0, gate=False)
    tick(env, 61.0, gate=False)
    assert env.speed_cap_kmh(61.0) == pytest.approx(6.0)
    assert env.speed_cap_kmh(71.0) == pytest.approx(5.0)
    assert env.incline_cap_pct(63.0) == pytest.approx(2.0)
    assert env.speed_cap_kmh(200.0) == pytest.approx(3.0)
    assert env.incline_cap_pct(200.0) == pytest.approx(0.0)


def test_e6_required_commands_bring_the_belt_down_in_time() -> None:
    env = running(6.0, incline_pct=3.0)
    t = 1.0
    tick(env, t, gate=False)
    sent: list[tuple[float, float]] = []
    while t < 200:
        t += 1.0
        tick(env, t, gate=False)
        for v in env.required(t):
            assert v.rule is Rule.HR_LOST_DEADLINE
            if isinstance(v.command, SetSpeedCommand):
                sent.append((t, v.command.speed_kmh))
    assert sent and all(b <= a for (_, a), (_, b) in itertools.pairwise(sent))
    reached = next(ts for ts, kmh in sent if kmh <= 3.0 + 1e-9)
    assert reached <= 1.0 + 60.0 + (6.0 - 3.0) / 0.1 + 2.0
    assert env.last_incline_pct == 0.0


def test_e6_commands_are_cut_to_the_cap() -> None:
    env = running(6.0)
    tick(env, 1.0)  # last trusted moment: the loss counts from here
    tick(env, 1.0, gate=False)
    tick(env, 81.0, gate=False)
    v = env.check(SetSpeedCommand(5.9), 81.0, origin=Origin.THERAPIST)
    assert v.command == SetSpeedCommand(4.0) and v.rule is Rule.HR_LOST_DEADLINE


def test_e6_pause_does_not_restart_the_clock() -> None:
    env = running(6.0)
    tick(env, 1.0, gate=False)
    env.observe_state(S.PAUSED)
    env.check(StopBeltCommand(), 2.0)
    tick(env, 90.0, gate=False)
    env.observe_state(S.MAIN)
    env.check(StartBeltCommand(), 90.0)
    assert speed_of(env, 6.0, 90.0) == 3.0


def test_e6_lifted_by_continue_without_hr_and_by_trusted_hr() -> None:
    env = running(6.0)
    tick(env, 1.0, gate=False)
    tick(env, 100.0, gate=False, cwh=True)
    assert not env.hr_lost_deadline_passed(100.0)
    assert env.required(100.0) == []
    tick(env, 101.0, gate=False)
    assert env.hr_lost_deadline_passed(101.0)
    hr(env, 102.0, 120)
    assert not env.hr_lost_deadline_passed(102.0)
    assert env.hr_lost_for_s(102.0) == 0.0


def test_e6_required_only_while_exercising() -> None:
    env = running(6.0)
    tick(env, 1.0, gate=False)
    env.observe_state(S.PAUSED)
    tick(env, 100.0, gate=False)
    assert env.required(100.0) == []


def test_e6_belt_measured_above_the_cap_is_commanded_down_again() -> None:
    env = running(3.0)
    tick(env, 1.0, gate=False)
    tick(env, 62.0, gate=False)
    env.observe_belt(62.0, 8.0)  # someone set it on the console
    out = env.required(62.0)
    assert [v.command for v in out] == [SetSpeedCommand(3.0)]
    env.observe_belt(63.0, 8.0)
    assert env.required(63.0) == []  # not every tick
    env.observe_belt(67.0, 8.0)
    assert [v.command for v in env.required(67.0)] == [SetSpeedCommand(3.0)]


@pytest.mark.parametrize("garbage", [math.nan, -1.0, 1000.0])
def test_e6_garbage_belt_readings_are_ignored(garbage: float) -> None:
    env = running(3.0)
    tick(env, 1.0, gate=False)
    tick(env, 62.0, gate=False)
    env.observe_belt(62.0, garbage)
    assert env.required(62.0) == []


def test_e6_never_starts_a_standing_belt() -> None:
    env = envelope(S.MAIN)
    tick(env, 0.0, gate=False)
    env.check(StartBeltCommand(), 0.0)
    tick(env, 100.0, gate=False)
    env.observe_belt(100.0, 8.0)
    assert env.required(100.0) == []


# ---------------------------------------------------------------- E7 step, adoption


def test_e7_software_increase_is_at_most_one_step() -> None:
    env = running(5.0)
    v = env.check(SetSpeedCommand(7.0), 1.0)
    assert v.command == SetSpeedCommand(5.5) and v.rule is Rule.STEP
    v = env.check(SetInclineCommand(4.0), 1.0)
    assert v.command == SetInclineCommand(1.0) and v.rule is Rule.STEP


def test_e7_therapist_may_jump() -> None:
    env = running(5.0)
    assert speed_of(env, 7.0, 1.0, origin=Origin.THERAPIST) == 7.0


def test_e7_start_from_standing_with_trusted_hr_is_not_limited() -> None:
    env = envelope(S.MAIN)
    hr(env, 0.0, 120)
    env.check(StartBeltCommand(), 0.0)
    assert speed_of(env, 6.0, 0.0) == 6.0


def test_adopt_speed_needs_the_belt_to_confirm_it() -> None:
    env = running(5.0)
    assert not env.adopt_speed(1.0, 8.0)  # no belt reading yet
    env.observe_belt(1.0, 6.0)
    assert not env.adopt_speed(1.0, 8.0)
    env.observe_belt(2.0, 7.8)
    assert env.adopt_speed(2.0, 8.0)
    assert env.last_speed_kmh == 5.0  # a faster belt never raises the reference
    env.observe_belt(2.0, 4.1)
    assert env.adopt_speed(2.0, 4.0)
    assert env.last_speed_kmh == 4.0
    env.observe_belt(2.0, 7.8)
    assert not env.adopt_speed(6.0, 8.0)  # reading too old


def test_adopt_speed_refused_outside_exercise_and_for_garbage() -> None:
    env = running(5.0)
    env.observe_belt(1.0, 5.0)
    assert not env.adopt_speed(1.0, math.nan)
    env.observe_state(S.PAUSED)
    assert not env.adopt_speed(1.0, 5.0)


def test_clock_never_runs_backwards() -> None:
    env = running(6.0)
    tick(env, 10.0, gate=False)
    tick(env, 80.0, gate=False)
    assert env.hr_lost_deadline_passed(80.0)
    tick(env, 5.0, gate=False)  # a clock glitch does not reset the HR-lost timer
    assert env.hr_lost_deadline_passed(80.0)


# ---------------------------------------------------------------- properties

hr_input = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-10, max_value=300),
)
step = st.tuples(
    st.floats(min_value=0.0, max_value=30.0),  # dt
    hr_input,
    st.booleans(),  # gate trusted
    st.booleans(),  # continue without HR
    st.sampled_from(["speed", "incline", "start", "stop", "state", "none"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(list(SessionState)),
    st.booleans(),  # therapist origin
)


@settings(max_examples=300, deadline=None)
@given(st.lists(step, min_size=1, max_size=80))
def test_property_every_passed_command_obeys_the_table(steps: list[tuple]) -> None:  # type: ignore[type-arg]
    env = running(5.0)
    t = 0.0
    for dt, bpm, gate, cwh, kind, value, state, therapist in steps:
        t += dt
        if bpm is not None:
            env.observe_hr(HrSample(t_s=t, hr_bpm=bpm))  # type: ignore[arg-type]
        tick(env, t, gate=gate, cwh=cwh)
        last_speed, last_incline = env.last_speed_kmh, env.last_incline_pct
        permitted = env.increases_permitted()
        origin = Origin.THERAPIST if therapist else Origin.SOFTWARE
        cmd = {
            "speed": SetSpeedCommand(value),
            "incline": SetInclineCommand(value),
            "start": StartBeltCommand(),
            "stop": StopBeltCommand(),
        }.get(kind)
        if kind == "state":
            env.observe_state(state)
            continue
        if cmd is None:
            continue
        exercising = env._state.is_exercising
        out = env.check(cmd, t, origin=origin).command
        if isinstance(cmd, StopBeltCommand):
            assert out == cmd
            continue
        if not exercising:
            assert out is None
        if isinstance(out, SetSpeedCommand):
            assert math.isfinite(out.speed_kmh)
            assert LIMITS.min_speed_kmh - 1e-9 <= out.speed_kmh <= LIMITS.max_speed_kmh + 1e-9
            assert out.speed_kmh <= env.speed_cap_kmh(t) + 1e-9
            if not permitted:
                assert out.speed_kmh <= max(last_speed, 3.0) + 1e-9
                if last_speed > 0:
                    assert out.speed_kmh <= last_speed + 1e-9
        if isinstance(out, SetInclineCommand):
            assert math.isfinite(out.incline_pct)
            assert LIMITS.min_incline_pct - 1e-9 <= out.incline_pct <= LIMITS.max_incline_pct + 1e-9
            if not permitted:
                assert out.incline_pct <= last_incline + 1e-9
        for v in env.required(t):
            assert v.command is not None
            assert exercising
