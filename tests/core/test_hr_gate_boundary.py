"""Boundary checks of the HR input: timestamps, rate, jumps, non-finite values, ceiling."""

from __future__ import annotations

import math

from runningroom.devices import HrSample, SensorContact, TreadmillMeasurement
from runningroom.session.model import AlarmKind, HrQuality, SkipPhase
from runningroom.session.model import SessionState as S
from runningroom.session.supervisor import HrQualityGate, SafetySupervisor
from tests.core.engine_fakes import GreedyController, Rig


def _main_rig() -> Rig:
    rig = Rig()
    rig.start()
    rig.step()
    rig.command(SkipPhase())
    rig.run(300)
    assert rig.engine.state is S.MAIN
    return rig


def test_future_timestamp_does_not_keep_hr_trusted() -> None:
    rig = Rig(controller=GreedyController())
    rig.start()
    rig.step()
    rig.run(30)
    rig.engine.on_hr(HrSample(t_s=rig.now_s + 3600.0, hr_bpm=110))
    rig.hr_override = lambda t, hr: None  # the strap dies
    speed = rig.engine.speed_cmd_kmh
    rig.run(10)
    assert not rig.engine.snapshot().hr_quality.trusted
    assert rig.engine.speed_cmd_kmh <= speed
    assert {a.kind for a in rig.engine.active_alarms()} & {AlarmKind.HR_LOST}


def test_gate_treats_a_sample_far_ahead_of_now_as_untrusted() -> None:
    gate = HrQualityGate()
    gate.add(HrSample(t_s=100.0, hr_bpm=110))
    assert gate.quality(100.5).trusted
    assert not gate.quality(50.0).trusted  # age -50 s


def test_sample_older_than_the_last_is_dropped() -> None:
    rig = Rig()
    rig.start()
    rig.step()
    rig.run(20)
    last = rig.engine._hr.last_strap_sample
    assert last is not None
    rig.engine.on_hr(HrSample(t_s=last.t_s - 30.0, hr_bpm=40))
    assert rig.engine._hr.last_strap_sample is last


def test_burst_of_samples_is_untrusted() -> None:
    gate = HrQualityGate()
    for i in range(10):
        gate.add(HrSample(t_s=float(i), hr_bpm=120))
    qualities = [gate.add(HrSample(t_s=10.0 + i / 50.0, hr_bpm=120)) for i in range(50)]
    assert HrQuality.JUMP in qualities
    assert not gate.permits_increase(11.0)


def test_jump_rule_covers_the_whole_window() -> None:
    gate = HrQualityGate()
    for i in range(10):
        assert gate.add(HrSample(t_s=float(i), hr_bpm=120)).trusted
    # -20 bpm per second for 3 s: each step < 25 bpm, but > 25 bpm within 2 s
    qualities = [gate.add(HrSample(t_s=10.0 + i, hr_bpm=100 - 20 * i)) for i in range(3)]
    assert HrQuality.JUMP in qualities


def test_nan_and_inf_hr_are_rejected_and_never_filtered() -> None:
    gate = HrQualityGate()
    gate.add(HrSample(t_s=0.0, hr_bpm=120))
    for i, bad in enumerate((math.nan, math.inf, -math.inf)):
        q = gate.add(HrSample(t_s=1.0 + i, hr_bpm=bad))  # type: ignore[arg-type]
        assert q is HrQuality.OUT_OF_RANGE
    rig = _main_rig()
    rig.hr_override = lambda t, hr: math.nan
    rig.run(5)
    filtered = rig.engine.snapshot().hr_filtered_bpm
    assert filtered is None or math.isfinite(filtered)
    assert not rig.engine.snapshot().hr_quality.trusted


def test_nan_hr_does_not_switch_the_ceiling_rule_off() -> None:
    sup = SafetySupervisor(ceiling_bpm=150.0)
    verdict = sup.evaluate(0.0, HrQuality.OK, math.nan)
    assert not verdict.hr_trusted and not verdict.allow_increase
    verdict = sup.evaluate(1.0, HrQuality.OUT_OF_RANGE, None, untrusted_raw_bpm=170.0)
    assert verdict.step_down and verdict.above_ceiling


def test_non_finite_treadmill_measurement_is_ignored() -> None:
    rig = _main_rig()
    before = rig.engine.snapshot().speed_meas_kmh
    rig.engine.on_measurement(TreadmillMeasurement(t_s=rig.now_s, speed_kmh=math.nan))
    rig.engine.on_measurement(TreadmillMeasurement(t_s=rig.now_s, speed_kmh=math.inf))
    rig.engine.on_measurement(
        TreadmillMeasurement(t_s=rig.now_s, speed_kmh=5.0, incline_pct=math.nan)
    )
    assert rig.engine.snapshot().speed_meas_kmh == before


def test_hr_above_230_steps_down_instead_of_holding() -> None:
    rig = _main_rig()
    speed = rig.engine.speed_cmd_kmh
    rig.hr_override = lambda t, hr: 240
    rig.run(3)
    assert rig.engine.speed_cmd_kmh < speed
    assert AlarmKind.HR_ABOVE_CEILING in {a.kind for a in rig.engine.active_alarms()}


def test_upward_jump_above_the_ceiling_steps_down() -> None:
    rig = _main_rig()
    speed = rig.engine.speed_cmd_kmh
    rig.hr_override = lambda t, hr: hr + 45  # true HR near 125 + 45 > ceiling 153
    rig.run(2)
    assert rig.engine.speed_cmd_kmh < speed


def test_increase_waits_for_a_trusted_stretch_after_an_untrusted_spell() -> None:
    gate = HrQualityGate()
    for i in range(20):
        gate.add(HrSample(t_s=float(i), hr_bpm=120 + i % 3))
    assert gate.permits_increase(19.0)
    gate.add(HrSample(t_s=20.0, hr_bpm=0))
    for i in range(21, 30):
        gate.add(HrSample(t_s=float(i), hr_bpm=121))
        assert not gate.permits_increase(float(i))
    gate.add(HrSample(t_s=31.0, hr_bpm=122))
    assert gate.permits_increase(31.0)


def test_alternating_zero_samples_raise_an_alarm_and_never_accelerate() -> None:
    rig = _main_rig()
    rig.hr_override = lambda t, hr: 0 if int(t) % 2 else round(hr * 0.8)
    speed = rig.engine.speed_cmd_kmh
    rig.run(60)
    assert rig.engine.speed_cmd_kmh <= speed
    assert AlarmKind.HR_UNTRUSTED in {a.kind for a in rig.engine.active_alarms()}


def test_strap_flapping_to_not_supported_counts_as_no_contact() -> None:
    gate = HrQualityGate()
    gate.add(HrSample(t_s=0.0, hr_bpm=120, contact=SensorContact.NO_CONTACT))
    q = gate.add(HrSample(t_s=1.0, hr_bpm=120, contact=SensorContact.NOT_SUPPORTED))
    assert q is HrQuality.NO_CONTACT
    assert gate.contact_detection_seen
    assert gate.add(HrSample(t_s=2.0, hr_bpm=120, contact=SensorContact.CONTACT)).trusted


def test_strap_alternating_contact_and_not_supported_stays_trusted() -> None:
    # a known strap quirk (protocols.md): flags 0x16 and 0x10 alternate on a good strap
    gate = HrQualityGate()
    for i in range(20):
        contact = SensorContact.CONTACT if i % 2 else SensorContact.NOT_SUPPORTED
        q = gate.add(HrSample(t_s=float(i), hr_bpm=120 + (i % 5), contact=contact))
    assert q.trusted and gate.permits_increase(19.0)


def test_value_toggling_by_one_bpm_is_frozen() -> None:
    gate = HrQualityGate()
    qualities = [gate.add(HrSample(t_s=float(i), hr_bpm=120 + i % 2)) for i in range(130)]
    assert qualities[-1] is HrQuality.FROZEN
