"""Behaviour of the HR plausibility monitor: each wrong-but-plausible HR family is
flagged, real physiology (drift, HRV, handrail holding) is not."""

from __future__ import annotations

import random
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from runningroom.bench.plant import FopdtParams, FopdtPatient
from runningroom.control.base import PlantEstimate
from runningroom.session.plausibility import (
    Disagreement,
    Plausibility,
    PlausibilityMonitor,
    PlausibilityVerdict,
)

REST_BPM = 70.0

#: t_s -> (speed_kmh, incline_pct)
Profile = Callable[[float], tuple[float, float]]
#: (t_s, true HR, speed) -> reported HR
Sensor = Callable[[float, float, float], float | None]


def walking_profile(t: float) -> tuple[float, float]:
    """Warm-up ramp 2.5 -> 5 km/h over 8 min, then 5 km/h with +/-0.5 km/h steps."""
    if t < 480.0:
        return 2.5 + 2.5 * t / 480.0, 0.0
    return 5.0 + (0.5 if int(t // 300) % 2 else 0.0), 0.0


def running_profile(t: float) -> tuple[float, float]:
    """Ramp to 7.5 km/h (a slow jog) over 8 min, then constant."""
    return (min(2.5 + 5.0 * t / 480.0, 7.5), 0.0)


def patient(**overrides: float) -> FopdtPatient:
    params = dict(
        hr_rest_bpm=REST_BPM,
        gain_bpm_per_kmh=7.0,
        tau_s=60.0,
        dead_time_s=10.0,
        drift_bpm_per_min=0.15,
        hrv_sigma_bpm=1.8,
        hrv_tau_s=60.0,
    )
    params.update(overrides)
    return FopdtPatient(FopdtParams(**params, seed=3))


def chest_strap(seed: int = 1) -> Sensor:
    rng = random.Random(seed)
    return lambda t, true, v: float(round(true + rng.gauss(0.0, 0.5)))


def run(
    monitor: PlausibilityMonitor,
    sensor: Sensor,
    profile: Profile,
    duration_s: float,
    *,
    sim: FopdtPatient | None = None,
    fault: Sensor | None = None,
    onset_s: float = 0.0,
    start_s: float = 0.0,
    trusted: bool = True,
) -> list[tuple[float, PlausibilityVerdict]]:
    """Drive ``monitor`` at 1 Hz; returns (t, verdict) per tick."""
    sim = sim or patient()
    out: list[tuple[float, PlausibilityVerdict]] = []
    t = start_s
    while t < start_s + duration_s:
        t += 1.0
        v, inc = profile(t)
        true = sim.step(1.0, v, inc)
        hr = sensor(t, true, v)
        if fault is not None and t >= onset_s and hr is not None:
            hr = fault(t, hr, v)
        monitor.observe(t, hr, trusted, v, inc)
        out.append((t, monitor.verdict(t)))
    return out


def first_implausible(verdicts: list[tuple[float, PlausibilityVerdict]]) -> float | None:
    return next((t for t, v in verdicts if not v.plausible), None)


def test_half_true_hr_is_flagged_implausible_within_60_s() -> None:
    monitor = PlausibilityMonitor(REST_BPM)
    verdicts = run(
        monitor,
        chest_strap(),
        walking_profile,
        1200.0,
        fault=lambda t, hr, v: float(round(hr / 2)),
        onset_s=900.0,
    )
    flagged = first_implausible(verdicts)
    assert flagged is not None and 900.0 <= flagged <= 960.0
    v = dict(verdicts)[flagged]
    assert v.disagreement is Disagreement.TOO_LOW
    assert v.reason == "HR far below what the load predicts"
    assert v.predicted_hr_bpm is not None and v.predicted_hr_bpm > 90.0


def test_half_true_hr_is_flagged_under_the_population_prior_in_the_warm_up() -> None:
    monitor = PlausibilityMonitor(REST_BPM)
    verdicts = run(
        monitor,
        chest_strap(),
        walking_profile,
        400.0,
        fault=lambda t, hr, v: float(round(hr / 2)),
        onset_s=240.0,
    )
    flagged = first_implausible(verdicts)
    assert flagged is not None and 240.0 <= flagged <= 300.0
    assert not dict(verdicts)[flagged].identified


def cadence(t: float, hr: float, v: float) -> float:
    """An optical sensor locked on the running step cadence (about 165 spm)."""
    return float(round(150.0 + 2.0 * v + (1 if int(t) % 3 else -1)))


def test_cadence_lock_is_flagged() -> None:
    monitor = PlausibilityMonitor(REST_BPM)
    verdicts = run(monitor, chest_strap(), running_profile, 1000.0, fault=cadence, onset_s=900.0)
    flagged = first_implausible(verdicts)
    assert flagged is not None and flagged <= 960.0
    assert dict(verdicts)[flagged].disagreement is Disagreement.TOO_HIGH


def test_cardiovascular_drift_is_not_flagged() -> None:
    # the top of the physiological range (0.45 bpm/min from minute 10), 45 min, with HRV
    monitor = PlausibilityMonitor(REST_BPM)
    sim = patient(drift_bpm_per_min=0.45, hrv_sigma_bpm=2.5)
    verdicts = run(monitor, chest_strap(), walking_profile, 2700.0, sim=sim)
    assert first_implausible(verdicts) is None
    assert verdicts[-1][1].measured_hr_bpm is not None


class HandrailPatient(FopdtPatient):
    """Leans on the rails from 1000 s to 1120 s: 20 % less load than the belt shows."""

    def __init__(self, params: FopdtParams) -> None:
        super().__init__(params)
        self.t_s = 0.0

    def step(self, dt_s: float, speed_kmh: float, incline_pct: float) -> float:
        self.t_s += dt_s
        factor = 0.8 if 1000.0 <= self.t_s < 1120.0 else 1.0
        return super().step(dt_s, speed_kmh * factor, incline_pct)


def test_handrail_holding_is_not_flagged() -> None:
    monitor = PlausibilityMonitor(REST_BPM)
    sim = HandrailPatient(patient().params)
    verdicts = run(monitor, chest_strap(), walking_profile, 1500.0, sim=sim)
    assert first_implausible(verdicts) is None


def test_dying_sensor_drift_is_flagged_once_it_leaves_the_band() -> None:
    # -0.5 bpm/min under a constant load: physiology never falls like this, but it
    # stays inside the band for a long time (see the module docstring)
    monitor = PlausibilityMonitor(REST_BPM)
    verdicts = run(
        monitor,
        chest_strap(),
        lambda t: (5.0, 0.0),
        900.0 + 3600.0,
        fault=lambda t, hr, v: float(round(hr - 0.5 * (t - 900.0) / 60.0)),
        onset_s=900.0,
        sim=patient(drift_bpm_per_min=0.0),
    )
    flagged = first_implausible(verdicts)
    assert flagged is not None and flagged > 900.0
    assert dict(verdicts)[flagged].disagreement is Disagreement.TOO_LOW


def test_stuck_toggling_value_under_changing_load_is_flagged() -> None:
    monitor = PlausibilityMonitor(REST_BPM)
    verdicts = run(
        monitor,
        chest_strap(),
        walking_profile,
        1200.0,
        fault=lambda t, hr, v: float(112 + int(t) % 2),
        onset_s=900.0,
    )
    flagged = first_implausible(verdicts)
    assert flagged is not None and 900.0 < flagged <= 900.0 + 200.0
    assert dict(verdicts)[flagged].disagreement is Disagreement.STUCK


def test_hr_rising_while_the_load_falls_is_flagged() -> None:
    def profile(t: float) -> tuple[float, float]:
        return (6.5, 0.0) if t < 900.0 else (2.0, 0.0)

    monitor = PlausibilityMonitor(REST_BPM)
    verdicts = run(
        monitor,
        chest_strap(),
        profile,
        1200.0,
        fault=lambda t, hr, v: float(round(112 + 0.1 * (t - 900.0))),
        onset_s=900.0,
    )
    flagged = first_implausible(verdicts)
    assert flagged is not None and flagged <= 900.0 + 240.0
    assert Disagreement.WRONG_DIRECTION in dict(verdicts)[flagged].active or (
        dict(verdicts)[flagged].disagreement is Disagreement.TOO_HIGH
    )


def test_untrusted_samples_are_not_judged() -> None:
    monitor = PlausibilityMonitor(REST_BPM)
    verdicts = run(
        monitor,
        chest_strap(),
        walking_profile,
        900.0,
        fault=lambda t, hr, v: 20.0,
        trusted=False,
    )
    assert first_implausible(verdicts) is None
    assert verdicts[-1][1].measured_hr_bpm is None


def test_confirm_suppresses_the_alarm_for_that_disagreement() -> None:
    monitor = PlausibilityMonitor(REST_BPM)
    sim = patient()
    strap = chest_strap()
    run(monitor, strap, running_profile, 900.0, sim=sim)
    verdicts = run(monitor, strap, running_profile, 60.0, sim=sim, fault=cadence, start_s=900.0)
    flagged = first_implausible(verdicts)
    assert flagged is not None
    assert monitor.confirm(960.0) == (Disagreement.TOO_HIGH,)
    after = monitor.verdict(960.0)
    assert after.plausible and after.suppressed == (Disagreement.TOO_HIGH,)
    # still the same disagreement for 2 more minutes: no new alarm
    verdicts = run(monitor, strap, running_profile, 120.0, sim=sim, fault=cadence, start_s=960.0)
    assert first_implausible(verdicts) is None
    # the reading agrees again for a minute (the disagreement clears)...
    verdicts = run(monitor, strap, running_profile, 60.0, sim=sim, start_s=1080.0)
    assert verdicts[-1][1].suppressed == ()
    # ...and when it returns, it alarms again
    verdicts = run(monitor, strap, running_profile, 60.0, sim=sim, fault=cadence, start_s=1140.0)
    again = first_implausible(verdicts)
    assert again is not None and dict(verdicts)[again].disagreement is Disagreement.TOO_HIGH


def test_a_confirmation_expires_after_the_bounded_time() -> None:
    monitor = PlausibilityMonitor(REST_BPM)
    sim = patient()
    strap = chest_strap()
    run(monitor, strap, running_profile, 900.0, sim=sim)
    run(monitor, strap, running_profile, 60.0, sim=sim, fault=cadence, start_s=900.0)
    assert not monitor.verdict(960.0).plausible
    monitor.confirm(960.0)
    limit_s = monitor.config.confirm_max_s
    verdicts = run(
        monitor,
        strap,
        running_profile,
        limit_s + 30.0,
        sim=sim,
        fault=lambda t, hr, v: 200.0 + int(t) % 4,
        start_s=960.0,
    )
    flagged = first_implausible(verdicts)
    assert flagged is not None and flagged >= 960.0 + limit_s


def test_set_plant_switches_to_the_identified_gain() -> None:
    monitor = PlausibilityMonitor(REST_BPM)
    run(monitor, chest_strap(), walking_profile, 480.0)
    assert not monitor.verdict(480.0).identified
    monitor.set_plant(480.0, PlantEstimate(gain_bpm_per_kmh=7.0, tau_s=60.0, dead_time_s=10.0))
    verdicts = run(monitor, chest_strap(2), walking_profile, 600.0, start_s=480.0)
    assert verdicts[-1][1].identified
    assert first_implausible(verdicts) is None
    v = verdicts[-1][1]
    assert v.predicted_hr_bpm is not None and v.measured_hr_bpm is not None
    assert abs(v.predicted_hr_bpm - v.measured_hr_bpm) < 10.0


def test_non_finite_and_repeated_ticks_are_ignored() -> None:
    monitor = PlausibilityMonitor(REST_BPM)
    before = monitor.observe(1.0, 80.0, True, 3.0, 0.0)
    assert monitor.observe(1.0, 10.0, True, 3.0, 0.0) == before
    assert monitor.observe(float("nan"), 10.0, True, 3.0, 0.0) == before
    monitor.observe(2.0, float("nan"), True, float("inf"), 0.0)
    assert monitor.verdict(2.0).state is Plausibility.PLAUSIBLE


@settings(max_examples=25, deadline=None)
@given(
    rest=st.floats(55.0, 90.0),
    gain=st.floats(3.0, 12.0),
    tau=st.floats(25.0, 150.0),
    dead=st.floats(0.0, 20.0),
    drift=st.floats(0.0, 0.45),
    speeds=st.lists(st.floats(1.5, 6.5), min_size=3, max_size=8),
    seg_s=st.integers(90, 300),
    noise=st.floats(0.5, 3.0),
    seed=st.integers(0, 10_000),
)
def test_hr_from_the_prior_model_with_bounded_noise_is_never_flagged(
    rest: float,
    gain: float,
    tau: float,
    dead: float,
    drift: float,
    speeds: list[float],
    seg_s: int,
    noise: float,
    seed: int,
) -> None:
    sim = FopdtPatient(
        FopdtParams(
            hr_rest_bpm=rest,
            gain_bpm_per_kmh=gain,
            tau_s=tau,
            dead_time_s=dead,
            drift_bpm_per_min=drift,
            hrv_sigma_bpm=1.5,
            hrv_tau_s=60.0,
            seed=seed,
        )
    )
    rng = random.Random(seed)
    monitor = PlausibilityMonitor(rest)

    def profile(t: float) -> tuple[float, float]:
        return speeds[min(int(t // seg_s), len(speeds) - 1)], 0.0

    def sensor(t: float, true: float, v: float) -> float:
        return float(round(true + rng.uniform(-noise, noise)))

    verdicts = run(monitor, sensor, profile, float(seg_s * len(speeds)), sim=sim)
    assert first_implausible(verdicts) is None
