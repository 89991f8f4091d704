"""An alternative patient physiology, written independently of ``drivers/sim/patient.py``.

It is a ``--patient-model`` plug-in (``create_patient(params, seed)``) used to check the
controller on a physiology it was not tuned on::

    runningroom simulate --profile DEMO-001 --template standard \
        --patient-model tests/core/alt_physiology.py --seed 2

Structure (deliberately unlike the built-in model):

* Load: net ACSM walking/running oxygen cost, scaled by an economy factor, expressed in
  ml/kg/min.
* Phase I: vagal withdrawal, a fast lag (``tau_vagal_s`` 3-6 s, no delay) of the load
  response, *saturating* at ``vagal_max_bpm`` (5-9 bpm): a jump at the belt start, then
  nothing more.
* Phase II: a pure dead time ``dead_time_s`` (4-16 s) followed by one first-order lag with
  a long time constant ``tau_s`` (75-130 s) carrying the rest of the steady-state HR,
  symmetric for rising and falling load.
* HR = rest + phase I + phase II + drift + AR(1) HRV (``hrv_sigma_bpm``, 25 s correlation)
  + white beat-to-beat noise.

The steady state is ``rest + gain_bpm_per_ml * net VO2`` (linear in the oxygen cost, so the
gain in bpm per walking-km/h equivalent is ``gain_bpm_per_ml * 1.667``).
"""

from __future__ import annotations

import math
import random
from collections import deque
from dataclasses import dataclass
from typing import Any

_KMH_TO_M_MIN = 1000.0 / 60.0


@dataclass(frozen=True, slots=True)
class AltParams:
    """Parameters of one alternative patient (see the module docstring)."""

    hr_rest_bpm: float = 72.0
    gain_bpm_per_ml: float = 5.0
    walk_run_kmh: float = 7.2
    economy: float = 1.0
    vagal_max_bpm: float = 7.0
    tau_vagal_s: float = 4.0
    dead_time_s: float = 10.0
    tau_s: float = 100.0
    drift_bpm_per_min: float = 0.1
    drift_onset_s: float = 600.0
    hrv_sigma_bpm: float = 1.5
    hrv_tau_s: float = 25.0
    white_sigma_bpm: float = 0.6
    seed: int = 0

    @property
    def gain_bpm_per_kmh_equivalent(self) -> float:
        """Steady-state gain per km/h of level walking (the controller's load unit)."""
        return self.gain_bpm_per_ml * 0.1 * _KMH_TO_M_MIN * self.economy


def draw_params(seed: int, hr_rest_bpm: float = 72.0) -> AltParams:
    """A random alternative patient; the dead time lies in 4-16 s."""
    rng = random.Random(f"alt-physiology-{seed}")
    return AltParams(
        hr_rest_bpm=hr_rest_bpm,
        gain_bpm_per_ml=rng.uniform(3.6, 6.0),
        walk_run_kmh=rng.uniform(6.8, 7.8),
        economy=rng.uniform(0.9, 1.1),
        vagal_max_bpm=rng.uniform(5.0, 9.0),
        tau_vagal_s=rng.uniform(3.0, 6.0),
        dead_time_s=rng.uniform(4.0, 16.0),
        tau_s=rng.uniform(75.0, 130.0),
        drift_bpm_per_min=rng.uniform(0.0, 0.2),
        hrv_sigma_bpm=rng.uniform(1.0, 2.0),
        seed=seed,
    )


def net_vo2_ml_kg_min(p: AltParams, speed_kmh: float, incline_pct: float) -> float:
    """Net (above rest) oxygen cost of the belt load, ACSM walking/running equations."""
    s = max(speed_kmh, 0.0) * _KMH_TO_M_MIN
    g = max(incline_pct, 0.0) / 100.0
    s_wr = p.walk_run_kmh * _KMH_TO_M_MIN
    if s < s_wr:
        return p.economy * s * (0.1 + 1.8 * g)
    return p.economy * (s_wr * (0.1 + 1.8 * g) + (s - s_wr) * (0.2 + 0.9 * g))


class AltPatient:
    """Saturating phase I + dead time and first-order phase II (see the module docstring)."""

    def __init__(self, params: AltParams) -> None:
        self.params = params
        self.reset(0.0, 0.0)

    def _response_bpm(self, speed_kmh: float, incline_pct: float) -> float:
        return self.params.gain_bpm_per_ml * net_vo2_ml_kg_min(self.params, speed_kmh, incline_pct)

    def reset(self, speed_kmh: float, incline_pct: float) -> None:
        """Start at equilibrium for the given load; restart noise and drift."""
        p = self.params
        self._rng = random.Random(p.seed * 7919 + 17)
        total = self._response_bpm(speed_kmh, incline_pct)
        self._vagal_bpm = min(total, p.vagal_max_bpm)
        self._slow_bpm = total - self._vagal_bpm
        self._t_s = 0.0
        self._exercise_s = 0.0
        self._queue: deque[tuple[float, float]] = deque([(0.0, total)])
        self._hrv_bpm = self._rng.gauss(0.0, p.hrv_sigma_bpm)

    def step(self, dt_s: float, speed_kmh: float, incline_pct: float) -> float:
        """Advance ``dt_s`` seconds at the actual belt load; return the true HR in bpm."""
        p = self.params
        self._t_s += dt_s
        if speed_kmh > 1.0:
            self._exercise_s += dt_s
        total = self._response_bpm(speed_kmh, incline_pct)
        vagal_ss = min(total, p.vagal_max_bpm)
        self._vagal_bpm += (vagal_ss - self._vagal_bpm) * (1.0 - math.exp(-dt_s / p.tau_vagal_s))
        self._queue.append((self._t_s, total))
        while len(self._queue) > 1 and self._queue[1][0] <= self._t_s - p.dead_time_s:
            self._queue.popleft()
        delayed_total = self._queue[0][1]
        slow_ss = delayed_total - min(delayed_total, p.vagal_max_bpm)
        self._slow_bpm += (slow_ss - self._slow_bpm) * (1.0 - math.exp(-dt_s / p.tau_s))
        a = math.exp(-dt_s / p.hrv_tau_s)
        self._hrv_bpm = a * self._hrv_bpm + math.sqrt(1.0 - a * a) * self._rng.gauss(
            0.0, p.hrv_sigma_bpm
        )
        drift = p.drift_bpm_per_min * max(0.0, self._exercise_s - p.drift_onset_s) / 60.0
        return (
            p.hr_rest_bpm
            + self._vagal_bpm
            + self._slow_bpm
            + drift
            + self._hrv_bpm
            + self._rng.gauss(0.0, p.white_sigma_bpm)
        )


def create_patient(params: Any, seed: int) -> AltPatient:
    """Plug-in factory: the profile's resting HR, everything else drawn from ``seed``."""
    return AltPatient(draw_params(seed, hr_rest_bpm=float(params.hr_rest_bpm)))
