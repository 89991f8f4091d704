"""Safety supervisor: HR quality gate (each fault kind) and the rule timers."""

from __future__ import annotations

import pytest

from runningroom.devices import DeviceEventKind, HrSample, SensorContact
from runningroom.session.model import AlarmKind, HrQuality
from runningroom.session.supervisor import (
    HrQualityGate,
    SafetySupervisor,
    SupervisorConfig,
    treadmill_event_rule,
)


def feed(gate: HrQualityGate, values: list[int], t0: float = 0.0, dt: float = 1.0) -> HrQuality:
    q = HrQuality.NO_SIGNAL
    for i, v in enumerate(values):
        q = gate.add(HrSample(t_s=t0 + i * dt, hr_bpm=v))
    return q


def test_no_signal_then_ok() -> None:
    gate = HrQualityGate()
    assert gate.quality(0.0) is HrQuality.NO_SIGNAL
    assert feed(gate, [100]) is HrQuality.OK
    assert gate.quality(0.5) is HrQuality.OK


def test_stale_after_5_s_without_samples() -> None:
    gate = HrQualityGate()
    feed(gate, [100, 101])
    assert gate.quality(1.0 + 5.0) is HrQuality.OK
    assert gate.quality(1.0 + 5.01) is HrQuality.STALE
    assert not HrQuality.STALE.trusted


def test_zero_is_untrusted() -> None:
    gate = HrQualityGate()
    feed(gate, [100, 100])
    assert gate.add(HrSample(t_s=2.0, hr_bpm=0)) is HrQuality.ZERO
    assert gate.quality(2.0) is HrQuality.ZERO
    assert gate.add(HrSample(t_s=3.0, hr_bpm=101)) is HrQuality.OK


@pytest.mark.parametrize(("hr", "ok"), [(29, False), (30, True), (230, True), (231, False)])
def test_range_limits(hr: int, ok: bool) -> None:
    gate = HrQualityGate()
    q = gate.add(HrSample(t_s=0.0, hr_bpm=hr))
    assert (q is HrQuality.OK) == ok
    if not ok:
        assert q is HrQuality.OUT_OF_RANGE


def test_no_contact_untrusted_but_not_supported_is_fine() -> None:
    gate = HrQualityGate()
    q = gate.add(HrSample(t_s=0.0, hr_bpm=100, contact=SensorContact.NO_CONTACT))
    assert q is HrQuality.NO_CONTACT
    # a strap that never reported contact detection may say "not supported"
    q = HrQualityGate().add(HrSample(t_s=1.0, hr_bpm=100, contact=SensorContact.NOT_SUPPORTED))
    assert q is HrQuality.OK


def test_jump_over_25_bpm_in_2_s_is_untrusted_single_spike_recovers() -> None:
    gate = HrQualityGate()
    feed(gate, [100, 101])
    assert gate.add(HrSample(t_s=2.0, hr_bpm=127)) is HrQuality.JUMP  # +26 in 1 s
    assert gate.add(HrSample(t_s=3.0, hr_bpm=102)) is HrQuality.OK  # back near trusted
    assert gate.add(HrSample(t_s=4.0, hr_bpm=127)) is HrQuality.OK  # +25 is allowed


def test_jump_rule_accepts_a_new_level_after_the_window() -> None:
    gate = HrQualityGate()
    feed(gate, [100])
    assert gate.add(HrSample(t_s=1.0, hr_bpm=140)) is HrQuality.JUMP
    assert gate.add(HrSample(t_s=2.0, hr_bpm=140)) is HrQuality.JUMP
    assert gate.add(HrSample(t_s=3.0, hr_bpm=140)) is HrQuality.OK


def test_frozen_needs_30_s_identical_while_speed_changes() -> None:
    gate = HrQualityGate()
    gate.note_speed(5.0)
    for i in range(40):
        assert gate.add(HrSample(t_s=float(i), hr_bpm=120)) is HrQuality.OK  # constant speed
    gate2 = HrQualityGate()
    gate2.note_speed(5.0)
    qualities = []
    for i in range(40):
        if i == 10:
            gate2.note_speed(5.3)
        qualities.append(gate2.add(HrSample(t_s=float(i), hr_bpm=120)))
    assert qualities[29] is HrQuality.OK
    assert qualities[30] is HrQuality.FROZEN
    assert gate2.add(HrSample(t_s=40.0, hr_bpm=121)) is HrQuality.FROZEN  # 1 bpm toggle
    assert gate2.add(HrSample(t_s=41.0, hr_bpm=122)) is HrQuality.OK


def test_frozen_any_speed_after_long_identical_run() -> None:
    gate = HrQualityGate(SupervisorConfig(frozen_any_after_s=120.0))
    gate.note_speed(5.0)
    q = [gate.add(HrSample(t_s=float(i), hr_bpm=120)) for i in range(125)]
    assert q[119] is HrQuality.OK and q[120] is HrQuality.FROZEN


def test_supervisor_hr_alarm_delay_and_ramp_after_60_s() -> None:
    sup = SafetySupervisor(ceiling_bpm=150)
    v = sup.evaluate(0.0, HrQuality.OK, 110.0)
    assert v.hr_trusted and v.allow_increase and not v.hold and v.hr_alarm is None
    v = sup.evaluate(1.0, HrQuality.ZERO, None)
    assert v.hold and not v.allow_increase and v.hr_alarm is None  # brief glitch: no alarm
    v = sup.evaluate(6.0, HrQuality.ZERO, None)
    assert v.hr_alarm is AlarmKind.HR_UNTRUSTED
    v = sup.evaluate(60.9, HrQuality.ZERO, None)
    assert not v.ramp_down
    v = sup.evaluate(61.0, HrQuality.ZERO, None)
    assert v.ramp_down and v.untrusted_for_s == pytest.approx(60.0)
    v = sup.evaluate(62.0, HrQuality.OK, 110.0)
    assert v.hr_trusted and not v.ramp_down and v.hr_alarm is None


def test_supervisor_lost_signal_alarms_at_once() -> None:
    sup = SafetySupervisor(ceiling_bpm=150)
    v = sup.evaluate(0.0, HrQuality.STALE, None)
    assert v.hr_alarm is AlarmKind.HR_LOST and v.hold


def test_supervisor_ceiling_step_restep_cooldown_and_hysteresis() -> None:
    cfg = SupervisorConfig()
    sup = SafetySupervisor(ceiling_bpm=150, config=cfg)
    v = sup.evaluate(0.0, HrQuality.OK, 151.0)
    assert v.step_down and v.above_ceiling and not v.allow_increase and not v.go_cooldown
    v = sup.evaluate(1.0, HrQuality.OK, 152.0)
    assert not v.step_down
    v = sup.evaluate(cfg.ceiling_restep_s, HrQuality.OK, 152.0)
    assert v.step_down
    v = sup.evaluate(29.0, HrQuality.OK, 151.0)
    assert not v.go_cooldown
    v = sup.evaluate(30.0, HrQuality.OK, 151.0)
    assert v.go_cooldown
    v = sup.evaluate(31.0, HrQuality.OK, 151.0)
    assert not v.go_cooldown  # requested once
    v = sup.evaluate(32.0, HrQuality.OK, 149.0)  # within hysteresis: still an episode
    assert v.above_ceiling
    v = sup.evaluate(33.0, HrQuality.OK, 147.9)
    assert not v.above_ceiling and v.allow_increase


def test_untrusted_hr_cannot_trigger_ceiling() -> None:
    sup = SafetySupervisor(ceiling_bpm=150)
    v = sup.evaluate(0.0, HrQuality.JUMP, 200.0)
    assert not v.above_ceiling and not v.step_down


@pytest.mark.parametrize(
    ("kind", "alarm", "pause"),
    [
        (DeviceEventKind.SAFETY_KEY, AlarmKind.SAFETY_KEY, True),
        (DeviceEventKind.STOPPED_BY_USER, AlarmKind.TREADMILL_STOPPED, True),
        (DeviceEventKind.NOT_RESPONDING, AlarmKind.TREADMILL_NOT_RESPONDING, False),
        (DeviceEventKind.DISCONNECTED, AlarmKind.DEVICE_DISCONNECTED, False),
        (DeviceEventKind.CONTROL_LOST, AlarmKind.CONTROL_LOST, False),
    ],
)
def test_treadmill_event_rules(kind: DeviceEventKind, alarm: AlarmKind, pause: bool) -> None:
    rule = treadmill_event_rule(kind)
    assert rule is not None and rule.alarm is alarm and rule.pause is pause and rule.action
    assert treadmill_event_rule(DeviceEventKind.BATTERY) is None


def test_ceiling_episode_survives_untrusted_hr_and_still_cools_down() -> None:
    sup = SafetySupervisor(ceiling_bpm=150)
    assert sup.evaluate(0.0, HrQuality.OK, 155.0).step_down
    v = sup.evaluate(10.0, HrQuality.FROZEN, None)
    assert v.above_ceiling and not v.allow_increase and not v.go_cooldown
    assert sup.evaluate(30.0, HrQuality.STALE, None).go_cooldown
