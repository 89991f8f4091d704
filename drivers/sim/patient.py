"""Simulated patient heart rate: the documented patient-model protocol and our model.

Patient-model protocol (for ``runningroom simulate --patient-model FILE.py``)
-----------------------------------------------------------------------------
A patient model is any object with these two methods (see :class:`PatientModel`)::

    def reset(self, speed_kmh: float, incline_pct: float) -> None
        # Start a new session at rest-equilibrium for this belt load (usually 0, 0).
    def step(self, dt_s: float, speed_kmh: float, incline_pct: float) -> float
        # Advance dt_s seconds (> 0, typically 0.5 or 1 s) with the belt at this
        # *actual* speed and incline; return the TRUE heart rate in bpm (float).

The simulator calls ``reset`` before the first ``step`` (a plug-in is also given a
short trial run, reset again afterwards, so ``reset`` must fully restart the model),
then ``step`` at a fixed interval (1 s by default) with the *actual* belt speed and
incline (after latency and acceleration limits, not the commanded values). The returned
value is the patient's true HR: the simulated sensor (:mod:`drivers.sim.sensor`) adds
measurement error, integer rounding and faults on top. A model must be deterministic
for a given construction (seed it yourself). A plug-in file defines a class or a
factory; see :mod:`drivers.sim.plugin` and ``drivers/sim/example_patient_model.py``.

Our model (physiology-and-control.md, section (b))
--------------------------------------------------
Steady state from the ACSM metabolic equations, S = speed in m/min, G = grade fraction::

    walking  VO2 = 3.5 + 0.1 S + 1.8 S G                      (speed < v_wr)
    running  VO2 = VO2_walk(S_wr, G) + (0.2 + 0.9 G)(S - S_wr)  (speed >= v_wr)
    HR_ss    = HR_rest + g (HRmax* - HR_rest) clip(e (VO2 - 3.5) / (VO2max - 3.5), 0, 1)

The running branch uses the ACSM running slopes anchored at the walking cost at the
walk-run speed, so the *gain* steps (about 7 -> 14 bpm per km/h for a sedentary walker)
but the level does not jump: at the preferred transition speed walking and running cost
about the same. ``g`` is 1, or 0.6-0.8 when beta-blocked; ``e`` is the economy factor
(applied to the net cost so that standing still gives HR_rest).

Dynamics, with dHR_ss = HR_ss - HR_rest::

    tau_f dx_f/dt = -x_f + alpha dHR_ss(t)                       (phase I, vagal, fast)
    tau_s dx_s/dt = -x_s + (1 - alpha) L(t)                      (phase II, slow)
    L follows dHR_ss(t - theta): rises 1:1, falls by kappa_down per bpm of decrease,
      and relaxes back toward dHR_ss(t - theta) with a 300 s time constant
    HR = HR_rest + x_f + x_s + D(t) + n(t)

The asymmetric incremental gain reproduces Hunt et al. (2015): down-step gain about 0.78
of the up-step gain with equal time constants. D(t) = r max(0, t_ex - t0) is drift over
exercise time t_ex (belt moving). n(t) is HRV: an Ornstein-Uhlenbeck low-frequency part
plus white fast noise per sample, both tapering by ``hrv_taper_frac`` over 30 min of
exercise, and larger at low intensity (x1.25 at rest, x0.75 at HRmax). Calibrated
(tests/drivers/test_sim_patient.py) so that the open-loop residual RMSE of the best
first-order-plus-dead-time fit (offset and linear trend allowed, chest strap, PRBS
+/-0.9 km/h while walking) is about 2.0-2.5 bpm: median 2.23 bpm over 60 patients.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Protocol, runtime_checkable

import numpy as np

from drivers.sim.sensor import SensorKind
from runningroom.model import PatientProfile

#: Resting oxygen cost, ml/kg/min (1 MET).
REST_VO2_ML_KG_MIN = 3.5
#: Time constant with which the asymmetric slow-input level relaxes to the true load.
ASYMMETRY_RELAX_S = 300.0
#: Belt speed above which the patient counts as exercising (drift clock, HRV taper).
EXERCISE_SPEED_KMH = 1.0
#: Exercise time over which the HRV taper reaches its full amount.
HRV_TAPER_S = 1800.0

#: Fraction of HR reserve at which the HRV sigmas apply unscaled.
HRV_REFERENCE_INTENSITY = 0.5

#: Subgroup tags used by :func:`sample_cohort`.
TAG_BETA_BLOCKED = "beta_blocked"
TAG_SLOW_KINETICS = "slow_kinetics"
TAG_HIGH_DRIFT = "high_drift"
TAG_OPTICAL = "optical_sensor"


@runtime_checkable
class PatientModel(Protocol):
    """The patient-model plug-in protocol (see the module docstring)."""

    def reset(self, speed_kmh: float, incline_pct: float) -> None:
        """Start a session at equilibrium for the given belt load."""
        ...

    def step(self, dt_s: float, speed_kmh: float, incline_pct: float) -> float:
        """Advance ``dt_s`` seconds at the actual belt load; return the true HR in bpm."""
        ...


@dataclass(frozen=True, slots=True)
class PatientParams:
    """Parameters of one simulated patient (all ranges: physiology-and-control.md (b)).

    Attributes:
        hr_rest_bpm: resting heart rate.
        hrmax_true_bpm: the patient's true maximal HR (not the formula estimate).
        vo2max: maximal oxygen uptake, ml/kg/min.
        economy: multiplier on the net metabolic cost (N(1, 0.08)).
        tau_slow_s: phase-II (slow) time constant.
        alpha_fast: fraction of the response carried by the fast phase I.
        tau_fast_s: phase-I time constant.
        dead_time_s: delay of the slow component.
        kappa_down: incremental gain on falling load relative to rising load.
        drift_onset_s: exercise time after which drift starts.
        drift_bpm_per_min: cardiovascular drift rate after onset.
        hrv_lf_sigma_bpm: stationary SD of the low-frequency (OU) HRV component.
        hrv_lf_tau_s: correlation time of the low-frequency HRV component.
        hrv_fast_sigma_bpm: SD of the fast (white, per 1 Hz sample) HRV component.
        walk_run_kmh: walk-to-run transition speed.
        beta_blocked: patient takes a beta blocker.
        sensor: HR sensor the patient wears (chest strap or optical).
        seed: seed of the patient's HRV noise (and of its sensor, offset by one).
        gain_scale: multiplier on the HR reserve used (0.6-0.8 when beta-blocked).
        hrv_taper_frac: fractional fall of both HRV sigmas over 30 min of exercise.
        hrv_intensity_slope: HRV sigmas scale by ``1 + slope * (0.5 - f)`` where f is the
            current fraction of HR reserve (more HRV at low intensity).
        age_years: age, for reference and reporting.
        tags: subgroup labels (``beta_blocked``, ``slow_kinetics``, ``high_drift``,
            ``optical_sensor``).
    """

    hr_rest_bpm: float = 72.0
    hrmax_true_bpm: float = 178.0
    vo2max: float = 30.0
    economy: float = 1.0
    tau_slow_s: float = 60.0
    alpha_fast: float = 0.2
    tau_fast_s: float = 10.0
    dead_time_s: float = 8.0
    kappa_down: float = 0.85
    drift_onset_s: float = 600.0
    drift_bpm_per_min: float = 0.15
    hrv_lf_sigma_bpm: float = 1.8
    hrv_lf_tau_s: float = 60.0
    hrv_fast_sigma_bpm: float = 0.6
    walk_run_kmh: float = 7.0
    beta_blocked: bool = False
    sensor: SensorKind = SensorKind.CHEST
    seed: int = 0
    gain_scale: float = 1.0
    hrv_taper_frac: float = 0.2
    hrv_intensity_slope: float = 0.5
    age_years: int = 45
    tags: tuple[str, ...] = field(default_factory=tuple)


def vo2_ml_kg_min(p: PatientParams, speed_kmh: float, incline_pct: float) -> float:
    """Gross oxygen cost of walking/running at a belt load (ACSM, continuous at v_wr).

    Args:
        p: patient parameters (walk-run speed).
        speed_kmh: belt speed; negative values count as 0.
        incline_pct: grade in percent; negative grades count as 0.
    """
    s_m_min = max(speed_kmh, 0.0) * 1000.0 / 60.0
    grade = max(incline_pct, 0.0) / 100.0
    s_wr_m_min = p.walk_run_kmh * 1000.0 / 60.0
    if s_m_min < s_wr_m_min:
        return REST_VO2_ML_KG_MIN + 0.1 * s_m_min + 1.8 * s_m_min * grade
    walk_at_wr = REST_VO2_ML_KG_MIN + 0.1 * s_wr_m_min + 1.8 * s_wr_m_min * grade
    return walk_at_wr + (0.2 + 0.9 * grade) * (s_m_min - s_wr_m_min)


def steady_state_hr_bpm(p: PatientParams, speed_kmh: float, incline_pct: float) -> float:
    """Steady-state HR (without drift and HRV) at a belt load.

    Args:
        p: patient parameters.
        speed_kmh: belt speed.
        incline_pct: grade in percent.

    Returns:
        HR_rest + gain_scale * reserve * clipped fraction of VO2 reserve.
    """
    net = p.economy * (vo2_ml_kg_min(p, speed_kmh, incline_pct) - REST_VO2_ML_KG_MIN)
    frac = min(max(net / (p.vo2max - REST_VO2_ML_KG_MIN), 0.0), 1.0)
    return p.hr_rest_bpm + p.gain_scale * (p.hrmax_true_bpm - p.hr_rest_bpm) * frac


def steady_state_gain_bpm_per_kmh(
    p: PatientParams, speed_kmh: float, incline_pct: float, delta_kmh: float = 0.1
) -> float:
    """Local steady-state gain dHR_ss/dspeed (one-sided, upward) at an operating point."""
    up = steady_state_hr_bpm(p, speed_kmh + delta_kmh, incline_pct)
    return (up - steady_state_hr_bpm(p, speed_kmh, incline_pct)) / delta_kmh


def steady_state_gain_bpm_per_pct(
    p: PatientParams, speed_kmh: float, incline_pct: float, delta_pct: float = 0.5
) -> float:
    """Local steady-state gain dHR_ss/dincline (one-sided, upward) at an operating point."""
    up = steady_state_hr_bpm(p, speed_kmh, incline_pct + delta_pct)
    return (up - steady_state_hr_bpm(p, speed_kmh, incline_pct)) / delta_pct


class _NormalStream:
    """Block-buffered standard normal draws (much faster than one numpy call each)."""

    _BLOCK = 4096

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._buf: list[float] = []
        self._i = 0

    def next(self) -> float:
        if self._i >= len(self._buf):
            self._buf = self._rng.standard_normal(self._BLOCK).tolist()
            self._i = 0
        value = self._buf[self._i]
        self._i += 1
        return value


class SimulatedPatient:
    """Our patient model: phase I + delayed phase II, asymmetry, drift and HRV.

    Deterministic for given parameters: :meth:`reset` restarts the noise from
    ``params.seed``.

    Args:
        params: the patient's parameters.
    """

    def __init__(self, params: PatientParams) -> None:
        self.params = params
        self._hr_bpm = params.hr_rest_bpm
        self.reset(0.0, 0.0)

    # -- protocol ---------------------------------------------------------------------

    def reset(self, speed_kmh: float, incline_pct: float) -> None:
        """Start at equilibrium for the given load; restart noise and drift."""
        p = self.params
        self._noise = _NormalStream(np.random.default_rng([p.seed, 0x5EED]))
        load_bpm = steady_state_hr_bpm(p, speed_kmh, incline_pct) - p.hr_rest_bpm
        self._t_s = 0.0
        self._exercise_s = 0.0
        self._x_fast_bpm = p.alpha_fast * load_bpm
        self._x_slow_bpm = (1.0 - p.alpha_fast) * load_bpm
        self._level_bpm = load_bpm
        self._last_delayed_bpm = load_bpm
        self._history: deque[tuple[float, float]] = deque([(0.0, load_bpm)])
        self._lf_bpm = p.hrv_lf_sigma_bpm * self._noise.next()
        self._hr_bpm = p.hr_rest_bpm + load_bpm + self._lf_bpm

    def step(self, dt_s: float, speed_kmh: float, incline_pct: float) -> float:
        """Advance ``dt_s`` seconds at the actual belt load; return the true HR (bpm)."""
        if dt_s <= 0:
            raise ValueError(f"dt_s must be > 0, got {dt_s}")
        p = self.params
        self._t_s += dt_s
        if speed_kmh >= EXERCISE_SPEED_KMH:
            self._exercise_s += dt_s
        load_bpm = steady_state_hr_bpm(p, speed_kmh, incline_pct) - p.hr_rest_bpm
        delayed_bpm = self._delayed(load_bpm)

        # asymmetric incremental gain on the slow input, relaxing to the true load
        change = delayed_bpm - self._last_delayed_bpm
        self._last_delayed_bpm = delayed_bpm
        self._level_bpm += change if change >= 0 else p.kappa_down * change
        self._level_bpm += (delayed_bpm - self._level_bpm) * (
            1.0 - math.exp(-dt_s / ASYMMETRY_RELAX_S)
        )

        self._x_fast_bpm += (p.alpha_fast * load_bpm - self._x_fast_bpm) * (
            1.0 - math.exp(-dt_s / p.tau_fast_s)
        )
        self._x_slow_bpm += ((1.0 - p.alpha_fast) * self._level_bpm - self._x_slow_bpm) * (
            1.0 - math.exp(-dt_s / p.tau_slow_s)
        )

        drift_bpm = p.drift_bpm_per_min / 60.0 * max(0.0, self._exercise_s - p.drift_onset_s)
        taper = 1.0 - p.hrv_taper_frac * min(self._exercise_s / HRV_TAPER_S, 1.0)
        reserve_bpm = max(p.hrmax_true_bpm - p.hr_rest_bpm, 1.0)
        intensity = min(max((self._x_fast_bpm + self._x_slow_bpm) / reserve_bpm, 0.0), 1.0)
        taper *= 1.0 + p.hrv_intensity_slope * (HRV_REFERENCE_INTENSITY - intensity)
        decay = math.exp(-dt_s / p.hrv_lf_tau_s)
        self._lf_bpm = (
            self._lf_bpm * decay
            + p.hrv_lf_sigma_bpm * math.sqrt(1.0 - decay * decay) * self._noise.next()
        )
        fast_bpm = p.hrv_fast_sigma_bpm * self._noise.next()

        hr = (
            p.hr_rest_bpm
            + self._x_fast_bpm
            + self._x_slow_bpm
            + drift_bpm
            + taper * (self._lf_bpm + fast_bpm)
        )
        self._hr_bpm = min(max(hr, 30.0), p.hrmax_true_bpm)
        return self._hr_bpm

    # -- extras -----------------------------------------------------------------------

    @property
    def hr_bpm(self) -> float:
        """The true HR returned by the last :meth:`step` (or set by :meth:`reset`)."""
        return self._hr_bpm

    @property
    def t_s(self) -> float:
        """Simulated time since :meth:`reset`."""
        return self._t_s

    def _delayed(self, load_bpm: float) -> float:
        """Record the load now and return the load ``dead_time_s`` ago (zero-order hold)."""
        history = self._history
        history.append((self._t_s, load_bpm))
        cutoff = self._t_s - self.params.dead_time_s
        while len(history) > 1 and history[1][0] <= cutoff + 1e-9:
            history.popleft()
        return history[0][1]


# -- cohort ------------------------------------------------------------------------------


def _tanaka_bpm(age_years: float) -> float:
    return 208.0 - 0.7 * age_years


def _beta_blocked_hrmax_bpm(age_years: float) -> float:
    return 164.0 - 0.7 * age_years


def _draw_common(rng: np.random.Generator, age_years: int, seed: int) -> PatientParams:
    """Draw the non-subgroup parameters of a typical sedentary patient."""
    tau_median_s = 60.0 + 0.36 * (age_years - 40)
    tau_slow_s = float(np.clip(tau_median_s * math.exp(0.42 * rng.standard_normal()), 25, 150))
    return PatientParams(
        hr_rest_bpm=float(rng.uniform(60.0, 90.0)),
        hrmax_true_bpm=float(_tanaka_bpm(age_years) + 10.0 * rng.standard_normal()),
        vo2max=float(rng.uniform(22.0, 40.0)),
        economy=float(np.clip(1.0 + 0.08 * rng.standard_normal(), 0.8, 1.2)),
        tau_slow_s=tau_slow_s,
        alpha_fast=float(rng.uniform(0.1, 0.3)),
        tau_fast_s=float(rng.uniform(5.0, 15.0)),
        dead_time_s=float(rng.uniform(0.0, 20.0)),
        kappa_down=float(rng.uniform(0.75, 1.0)),
        drift_onset_s=float(np.clip(600.0 + 60.0 * rng.standard_normal(), 420.0, 780.0)),
        drift_bpm_per_min=float(rng.uniform(0.0, 0.3)),
        hrv_lf_sigma_bpm=float(rng.uniform(1.6, 3.0)),
        hrv_lf_tau_s=float(rng.uniform(20.0, 120.0)),
        hrv_fast_sigma_bpm=float(rng.uniform(0.4, 1.1)),
        walk_run_kmh=float(rng.uniform(6.5, 7.5)),
        seed=seed,
        age_years=age_years,
    )


def _apply_beta_blocker(p: PatientParams, rng: np.random.Generator) -> PatientParams:
    hrmax = _beta_blocked_hrmax_bpm(p.age_years) + 12.0 * float(rng.standard_normal())
    return replace(
        p,
        beta_blocked=True,
        gain_scale=float(rng.uniform(0.6, 0.8)),
        tau_slow_s=p.tau_slow_s * 1.2,
        hr_rest_bpm=min(max(50.0, p.hr_rest_bpm - 12.0), 75.0),
        hrmax_true_bpm=hrmax,
    )


def _finalise(p: PatientParams) -> PatientParams:
    """Keep HRmax plausibly above rest."""
    return replace(p, hrmax_true_bpm=max(p.hrmax_true_bpm, p.hr_rest_bpm + 60.0))


def sample_cohort(n: int, seed: int) -> list[PatientParams]:
    """Draw a reproducible cohort of ``n`` simulated patients.

    Subgroups (tags), each assigned to ``round(fraction * n)`` patients (at least one
    when ``n >= 7``) independently, so a patient may belong to several:
    beta-blocked 15 % (gain x0.6-0.8, tau x1.2, HRmax 164 - 0.7 age + N(0, 12), resting
    HR 12 bpm lower, at most 75),
    slow kinetics 15 % (tau_s 90-150 s), high drift 15 % (0.3-0.45 bpm/min) and optical
    sensor 15 %. Everyone else is drawn from the reference ranges for sedentary adults
    aged 20-65. Patient ``i`` gets HRV/sensor seed ``seed * 100003 + i``.

    Args:
        n: number of patients (>= 0).
        seed: cohort seed.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    rng = np.random.default_rng([seed, 0xC0407])

    def members(fraction: float) -> set[int]:
        count = round(fraction * n)
        if n >= 7:
            count = max(count, 1)
        return {int(i) for i in rng.permutation(n)[:count]}

    beta, slow, drift, optical = (members(0.15) for _ in range(4))
    cohort: list[PatientParams] = []
    for i in range(n):
        age_years = int(rng.integers(20, 66))
        p = _draw_common(rng, age_years, seed * 100003 + i)
        tags: list[str] = []
        if i in slow:
            p = replace(p, tau_slow_s=float(rng.uniform(90.0, 150.0)))
            tags.append(TAG_SLOW_KINETICS)
        if i in beta:
            p = _apply_beta_blocker(p, rng)
            tags.append(TAG_BETA_BLOCKED)
        if i in drift:
            p = replace(p, drift_bpm_per_min=float(rng.uniform(0.3, 0.45)))
            tags.append(TAG_HIGH_DRIFT)
        if i in optical:
            p = replace(p, sensor=SensorKind.OPTICAL)
            tags.append(TAG_OPTICAL)
        cohort.append(_finalise(replace(p, tags=tuple(tags))))
    return cohort


def _profile_age_years(profile: PatientProfile, today: date | None = None) -> int:
    if profile.age_years is not None:
        return profile.age_years
    if profile.birth_year is not None:
        return (today or date.today()).year - profile.birth_year
    return 45


def params_for_profile(
    profile: PatientProfile, seed: int, *, today: date | None = None
) -> PatientParams:
    """A plausible simulated patient matching a profile.

    Resting HR, beta-blocker flag and (if measured) HRmax come from the profile; the
    true HRmax otherwise deviates from the formula by N(0, 10) bpm (N(0, 12) when
    beta-blocked); kinetics, drift and HRV are drawn from the typical ranges with
    ``seed``. Chest strap sensor.

    Args:
        profile: the patient.
        seed: seed for the drawn parameters and for the HRV noise.
        today: date used to derive the age from a birth year (default today).
    """
    rng = np.random.default_rng([seed, 0x9F0F])
    age_years = _profile_age_years(profile, today)
    p = _draw_common(rng, age_years, seed)
    if profile.beta_blocker:
        p = _apply_beta_blocker(p, rng)
        p = replace(p, tags=(TAG_BETA_BLOCKED,))
    p = replace(p, hr_rest_bpm=float(profile.resting_hr_bpm))
    if profile.measured_hrmax_bpm is not None:
        p = replace(p, hrmax_true_bpm=float(profile.measured_hrmax_bpm))
    return _finalise(p)


# -- patient behaviour -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HandrailConfig:
    """Handrail holding: the patient leans on the rails and the load falls for a while.

    Attributes:
        episodes_per_45min: Poisson mean of episodes per 45 min.
        load_reduction: (min, max) fraction by which the load falls (10-20 %).
        duration_s: (min, max) episode length (30-120 s).
        start_after_s: no episodes before this time.
        session_s: period over which episodes are placed.
    """

    episodes_per_45min: float = 1.5
    load_reduction: tuple[float, float] = (0.10, 0.20)
    duration_s: tuple[float, float] = (30.0, 120.0)
    start_after_s: float = 300.0
    session_s: float = 2700.0


class HandrailHolding:
    """Wraps any :class:`PatientModel`: during episodes the belt speed it feels is lower.

    Holding the rails unloads the patient by 10-20 % for 30-120 s (reference, patient
    behaviour); modelled as the same fraction off the speed passed to the inner model
    (the ACSM net cost is proportional to speed). Seeded; episodes are drawn at
    construction and repeat after :meth:`reset`.

    Args:
        inner: the patient model.
        seed: episode seed.
        config: episode statistics.
    """

    def __init__(
        self, inner: PatientModel, seed: int = 0, config: HandrailConfig | None = None
    ) -> None:
        self.inner = inner
        cfg = config or HandrailConfig()
        rng = np.random.default_rng([seed, 0x4A11])
        n = int(rng.poisson(cfg.episodes_per_45min * cfg.session_s / 2700.0))
        episodes = []
        for _ in range(n):
            start_s = float(rng.uniform(cfg.start_after_s, max(cfg.session_s, cfg.start_after_s)))
            episodes.append(
                (
                    start_s,
                    float(rng.uniform(*cfg.duration_s)),
                    float(rng.uniform(*cfg.load_reduction)),
                )
            )
        #: (start_s, duration_s, load_reduction) per episode, sorted by start.
        self.episodes: tuple[tuple[float, float, float], ...] = tuple(sorted(episodes))
        self._t_s = 0.0

    @property
    def params(self) -> PatientParams | None:
        """The inner model's parameters, if it has any."""
        params = getattr(self.inner, "params", None)
        return params if isinstance(params, PatientParams) else None

    def reduction_at(self, t_s: float) -> float:
        """Load reduction in effect at session time ``t_s`` (0 outside episodes)."""
        for start_s, duration_s, reduction in self.episodes:
            if start_s <= t_s < start_s + duration_s:
                return reduction
        return 0.0

    def reset(self, speed_kmh: float, incline_pct: float) -> None:
        """Reset the inner model; episodes restart from time 0."""
        self._t_s = 0.0
        self.inner.reset(speed_kmh, incline_pct)

    def step(self, dt_s: float, speed_kmh: float, incline_pct: float) -> float:
        """Step the inner model with the speed reduced during an episode."""
        self._t_s += dt_s
        factor = 1.0 - self.reduction_at(self._t_s)
        return self.inner.step(dt_s, speed_kmh * factor, incline_pct)
