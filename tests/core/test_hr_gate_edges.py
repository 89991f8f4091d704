"""The HR quality gate at the exact edges of its rules (each test can tell a changed
comparison, bound or constant from the specified behaviour)."""

from __future__ import annotations

from runningroom.devices import HrSample, SensorContact
from runningroom.session.model import HrQuality
from runningroom.session.supervisor import HrQualityGate, SupervisorConfig


def add(gate: HrQualityGate, t_s: float, bpm: float, **kw: object) -> HrQuality:
    return gate.add(HrSample(t_s=t_s, hr_bpm=bpm, **kw))  # type: ignore[arg-type]


def test_fresh_gate_has_no_trusted_sample_and_no_contact_detection() -> None:
    gate = HrQualityGate()
    assert gate.last_sample is None
    assert gate.last_trusted_t_s is None
    assert gate.contact_detection_seen is False
    assert gate.quality(0.0) is HrQuality.NO_SIGNAL
    assert not gate.permits_increase(0.0)
    assert not gate.flapping(0.0)


def test_last_trusted_time_follows_trusted_samples_only() -> None:
    gate = HrQualityGate()
    add(gate, 1.0, 100)
    add(gate, 2.0, 0)
    assert gate.last_trusted_t_s == 1.0
    assert gate.last_sample == HrSample(t_s=2.0, hr_bpm=0)


# ---------------------------------------------------------------- frozen rule


def test_constant_hr_while_speed_falls_is_frozen() -> None:
    gate = HrQualityGate()
    gate.note_speed(5.0)
    add(gate, 0.0, 120)
    gate.note_speed(4.0)
    qualities = [add(gate, float(i), 120) for i in range(1, 31)]
    assert qualities[-2] is HrQuality.OK and qualities[-1] is HrQuality.FROZEN


def test_speed_change_of_exactly_the_frozen_threshold_makes_a_constant_hr_frozen() -> None:
    gate = HrQualityGate()
    gate.note_speed(0.0)
    add(gate, 0.0, 120)
    gate.note_speed(0.15)  # exactly frozen_speed_change_kmh
    assert [add(gate, float(i), 120) for i in (29, 30)] == [HrQuality.OK, HrQuality.FROZEN]


def test_speed_change_below_the_frozen_threshold_keeps_a_constant_hr_trusted() -> None:
    gate = HrQualityGate()
    gate.note_speed(0.0)
    add(gate, 0.0, 120)
    gate.note_speed(0.1)
    assert add(gate, 30.0, 120) is HrQuality.OK


def test_constant_hr_without_a_known_speed_is_not_frozen_before_the_any_speed_limit() -> None:
    gate = HrQualityGate()
    qualities = [add(gate, float(i), 120) for i in range(0, 120)]
    assert all(q is HrQuality.OK for q in qualities)
    assert add(gate, 120.0, 120) is HrQuality.FROZEN


def test_speed_known_only_after_the_run_began_counts_for_the_frozen_rule() -> None:
    gate = HrQualityGate()
    add(gate, 0.0, 120)
    gate.note_speed(3.0)
    gate.note_speed(4.0)
    assert add(gate, 29.0, 120) is HrQuality.OK
    assert add(gate, 30.0, 120) is HrQuality.FROZEN


def test_non_finite_speed_is_ignored_by_the_frozen_rule() -> None:
    gate = HrQualityGate()
    gate.note_speed(5.0)
    add(gate, 0.0, 120)
    gate.note_speed(float("nan"))
    gate.note_speed(float("inf"))
    assert add(gate, 30.0, 120) is HrQuality.OK


def test_quality_turns_frozen_between_samples_when_the_run_reaches_the_limit() -> None:
    gate = HrQualityGate()
    for i in range(120):
        add(gate, float(i), 120)
    assert gate.quality(119.5) is HrQuality.OK
    assert gate.quality(120.0) is HrQuality.FROZEN


def test_a_long_run_of_zeros_stays_zero_not_frozen() -> None:
    gate = HrQualityGate()
    for i in range(125):
        add(gate, float(i), 0)
    assert gate.quality(124.5) is HrQuality.ZERO


def test_frozen_any_speed_rule_can_be_disabled() -> None:
    gate = HrQualityGate(SupervisorConfig(frozen_any_after_s=None))
    qualities = [add(gate, float(i), 120) for i in range(200)]
    assert all(q is HrQuality.OK for q in qualities)


# ---------------------------------------------------------------- staleness, clock


def test_sample_stamped_exactly_the_future_tolerance_ahead_is_fresh() -> None:
    gate = HrQualityGate()
    add(gate, 101.0, 100)
    assert gate.quality(100.0) is HrQuality.OK
    assert gate.quality(99.9) is HrQuality.STALE


# ---------------------------------------------------------------- spells and flapping


def test_one_long_untrusted_spell_is_not_flapping() -> None:
    gate = HrQualityGate()
    add(gate, 0.0, 100)
    for i in range(1, 10):
        add(gate, float(i), 0)
    assert not gate.flapping(9.0)


def test_a_strap_untrusted_from_its_first_sample_starts_a_spell() -> None:
    gate = HrQualityGate()
    add(gate, 0.0, 0)  # spell 1
    add(gate, 1.0, 100)
    add(gate, 10.0, 0)  # the gap and the zero: spell 2 (one spell)
    add(gate, 11.0, 100)
    assert not gate.flapping(11.0)
    add(gate, 12.0, 0)  # spell 3
    assert gate.flapping(12.0)


def test_exactly_flapping_spells_at_the_window_edge_is_flapping() -> None:
    gate = HrQualityGate()
    for t in (0.0, 10.0, 20.0):
        add(gate, t, 0)
        add(gate, t + 1.0, 100)
    assert gate.flapping(60.0)  # the first spell began exactly flapping_window_s ago
    assert not gate.flapping(60.5)


def test_two_spells_are_not_flapping() -> None:
    gate = HrQualityGate()
    for t in (0.0, 3.0):
        add(gate, t, 0)
        add(gate, t + 1.0, 100)
    assert not gate.flapping(5.0)


def test_stale_gap_counts_as_an_untrusted_spell_for_increases() -> None:
    gate = HrQualityGate()
    add(gate, 0.0, 100)
    assert gate.permits_increase(0.0)
    add(gate, 6.0, 100)  # 6 s gap > stale_after_s
    assert not gate.permits_increase(6.0)
    for t in range(7, 16):
        add(gate, float(t), 100)
    assert not gate.permits_increase(15.0)  # trusted again since 6 s: 9 s of 10
    add(gate, 16.0, 100)
    assert gate.permits_increase(16.0)


def test_stale_hr_does_not_permit_increases() -> None:
    gate = HrQualityGate()
    add(gate, 0.0, 100)
    assert gate.permits_increase(5.0)
    assert not gate.permits_increase(5.5)


def test_flapping_hr_does_not_permit_increases() -> None:
    gate = HrQualityGate(SupervisorConfig(increase_after_trusted_s=0.0))
    for t in (0.0, 10.0, 20.0):
        add(gate, t, 0)
        add(gate, t + 1.0, 100)
    assert gate.quality(21.0).trusted
    assert not gate.permits_increase(21.0)


def test_no_contact_then_not_supported_then_contact_is_trusted_again() -> None:
    gate = HrQualityGate()
    add(gate, 0.0, 100, contact=SensorContact.NO_CONTACT)
    assert add(gate, 1.0, 100, contact=SensorContact.NOT_SUPPORTED) is HrQuality.NO_CONTACT
    assert add(gate, 2.0, 100, contact=SensorContact.CONTACT) is HrQuality.OK
    assert add(gate, 3.0, 100, contact=SensorContact.NOT_SUPPORTED) is HrQuality.OK


def test_speed_dipping_then_rising_widens_the_range_at_both_ends() -> None:
    gate = HrQualityGate()
    gate.note_speed(5.0)
    add(gate, 0.0, 120)
    gate.note_speed(4.9)
    gate.note_speed(5.06)  # 4.9 to 5.06: more than frozen_speed_change_kmh
    assert add(gate, 30.0, 120) is HrQuality.FROZEN


# ---------------------------------------------------------------- burst and gap


def test_samples_at_exactly_the_maximum_rate_are_not_a_burst() -> None:
    gate = HrQualityGate()
    qualities = [add(gate, i * 0.25, 120) for i in range(12)]  # 4 per second for 3 s
    assert all(q is HrQuality.OK for q in qualities)


def test_one_sample_more_than_the_maximum_rate_is_a_burst() -> None:
    gate = HrQualityGate()
    qualities = [add(gate, i * 0.2, 120) for i in range(5)]  # 5 within 0.8 s
    assert qualities[:4] == [HrQuality.OK] * 4 and qualities[4] is HrQuality.JUMP


def test_gap_of_exactly_the_stale_limit_is_no_untrusted_spell() -> None:
    gate = HrQualityGate()
    add(gate, 0.0, 100)
    add(gate, 5.0, 100)
    assert gate.permits_increase(5.0)  # trusted from the first sample: no settling


def test_stale_gap_spell_begins_when_the_hr_went_stale() -> None:
    gate = HrQualityGate()
    add(gate, 0.0, 100)
    for t in range(10, 41):  # the gap from 0 to 10 s: a spell from 5 s
        add(gate, float(t), 0 if t in (20, 30) else 100)
    assert gate.flapping(65.0)  # spells at 5, 20, 30 s
    assert not gate.flapping(65.5)
