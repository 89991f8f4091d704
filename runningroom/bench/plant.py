"""A small first-order-plus-dead-time patient for tests and as a stand-in cohort.

The real cohort lives in ``drivers/sim/patient.py`` (composed by ``runningroom bench``);
this module lets the benchmark core be tested without drivers. It implements the same
``reset``/``step`` protocol. :class:`LaggedBelt` is the default belt of a case (the
``drivers.sim`` cohort uses the simulated treadmill's own belt physics).
"""

from __future__ import annotations

import math
import random
from collections import deque
from dataclasses import dataclass

from runningroom.bench.case import BenchCase
from runningroom.control.base import ActuatorLimits, PlantEstimate


@dataclass(frozen=True, slots=True)
class FopdtParams:
    """Parameters of :class:`FopdtPatient`.

    Attributes:
        hr_rest_bpm: HR at zero load.
        gain_bpm_per_kmh: steady-state gain on speed.
        gain_bpm_per_pct: steady-state gain on incline.
        tau_s: time constant.
        dead_time_s: delay.
        drift_bpm_per_min: drift rate after ``drift_onset_s``.
        drift_onset_s: time drift starts.
        hrv_sigma_bpm: stationary SD of the OU HRV component (0 = noise-free).
        hrv_tau_s: correlation time of the HRV component.
        seed: noise seed.
    """

    hr_rest_bpm: float = 70.0
    gain_bpm_per_kmh: float = 8.0
    gain_bpm_per_pct: float = 6.0
    tau_s: float = 60.0
    dead_time_s: float = 10.0
    drift_bpm_per_min: float = 0.0
    drift_onset_s: float = 600.0
    hrv_sigma_bpm: float = 0.0
    hrv_tau_s: float = 60.0
    seed: int = 0

    def steady_state_hr_bpm(self, speed_kmh: float, incline_pct: float) -> float:
        """HR the plant settles at (without drift and HRV)."""
        return (
            self.hr_rest_bpm
            + self.gain_bpm_per_kmh * speed_kmh
            + self.gain_bpm_per_pct * incline_pct
        )

    def plant_estimate(self) -> PlantEstimate:
        """The true plant as an oracle :class:`PlantEstimate`."""
        return PlantEstimate(
            gain_bpm_per_kmh=self.gain_bpm_per_kmh,
            gain_bpm_per_pct=self.gain_bpm_per_pct,
            tau_s=self.tau_s,
            dead_time_s=self.dead_time_s,
        )


class FopdtPatient:
    """HR = rest + K_v v(t - theta) + K_i i(t - theta) through a first-order lag, + drift + HRV."""

    def __init__(self, params: FopdtParams) -> None:
        self.params = params
        self.reset(0.0, 0.0)

    def reset(self, speed_kmh: float, incline_pct: float) -> None:
        """Start at equilibrium for the given load; restart the noise."""
        p = self.params
        self._rng = random.Random(p.seed)
        self._t_s = 0.0
        load = p.steady_state_hr_bpm(speed_kmh, incline_pct) - p.hr_rest_bpm
        self._x_bpm = load
        self._hist: deque[tuple[float, float]] = deque([(0.0, load)])
        self._ou_bpm = 0.0

    def step(self, dt_s: float, speed_kmh: float, incline_pct: float) -> float:
        """Advance ``dt_s`` seconds at the given load; return the true HR."""
        p = self.params
        self._t_s += dt_s
        load = p.steady_state_hr_bpm(speed_kmh, incline_pct) - p.hr_rest_bpm
        self._hist.append((self._t_s, load))
        cutoff = self._t_s - p.dead_time_s
        while len(self._hist) > 1 and self._hist[1][0] <= cutoff + 1e-9:
            self._hist.popleft()
        delayed = self._hist[0][1]
        self._x_bpm += (delayed - self._x_bpm) * (1.0 - math.exp(-dt_s / p.tau_s))
        if p.hrv_sigma_bpm > 0:
            decay = math.exp(-dt_s / p.hrv_tau_s)
            self._ou_bpm = self._ou_bpm * decay + p.hrv_sigma_bpm * math.sqrt(
                1 - decay * decay
            ) * self._rng.gauss(0.0, 1.0)
        drift = p.drift_bpm_per_min / 60.0 * max(0.0, self._t_s - p.drift_onset_s)
        return p.hr_rest_bpm + self._x_bpm + drift + self._ou_bpm


class LaggedBelt:
    """A belt that follows commands after a latency at limited acceleration.

    Defaults as the simulated treadmill's: 1 s latency, +0.3 / -0.5 km/h/s, incline
    motor 0.2 %/s. Speeds and inclines are taken as commanded (the engine sends legal
    values). Integration is exact between command times.
    """

    def __init__(
        self,
        latency_s: float = 1.0,
        accel_kmh_per_s: float = 0.3,
        decel_kmh_per_s: float = 0.5,
        incline_rate_pct_per_s: float = 0.2,
    ) -> None:
        self.latency_s = latency_s
        self.accel_kmh_per_s = accel_kmh_per_s
        self.decel_kmh_per_s = decel_kmh_per_s
        self.incline_rate_pct_per_s = incline_rate_pct_per_s
        self.speed_kmh = 0.0
        self.incline_pct = 0.0
        self.distance_m = 0.0
        self._target_kmh = 0.0
        self._target_pct = 0.0
        self._now_s = 0.0
        self._pending: list[tuple[float, str, float]] = []  # (due_s, what, value)

    def command_speed(self, now_s: float, speed_kmh: float) -> float:
        """Target ``speed_kmh`` from ``now_s`` + latency; returns it."""
        self._pending.append((now_s + self.latency_s, "speed", speed_kmh))
        return speed_kmh

    def command_incline(self, now_s: float, incline_pct: float) -> float:
        """Target ``incline_pct`` from ``now_s`` + latency; returns it."""
        self._pending.append((now_s + self.latency_s, "incline", incline_pct))
        return incline_pct

    def start(self, now_s: float) -> None:
        """Start the belt (it runs at the next speed command)."""

    def stop(self, now_s: float) -> None:
        """Stop the belt after the latency."""
        self._pending.append((now_s + self.latency_s, "speed", 0.0))

    def advance(self, now_s: float) -> None:
        """Integrate up to ``now_s``, applying due commands at their times."""
        self._pending.sort(key=lambda item: item[0])
        while self._pending and self._pending[0][0] <= now_s:
            due_s, what, value = self._pending.pop(0)
            self._integrate(max(due_s, self._now_s))
            if what == "speed":
                self._target_kmh = value
            else:
                self._target_pct = value
        self._integrate(now_s)

    def _integrate(self, until_s: float) -> None:
        dt_s = until_s - self._now_s
        if dt_s <= 0:
            return
        v0, target = self.speed_kmh, self._target_kmh
        rate = self.accel_kmh_per_s if target >= v0 else self.decel_kmh_per_s
        reach_s = abs(target - v0) / rate
        if reach_s >= dt_s:
            v1 = v0 + (rate if target >= v0 else -rate) * dt_s
            km_s = (v0 + v1) / 2.0 * dt_s
        else:
            v1 = target
            km_s = (v0 + v1) / 2.0 * reach_s + v1 * (dt_s - reach_s)
        self.speed_kmh = v1
        self.distance_m += km_s / 3.6
        step = self.incline_rate_pct_per_s * dt_s
        g0, gt = self.incline_pct, self._target_pct
        self.incline_pct = min(g0 + step, gt) if gt >= g0 else max(g0 - step, gt)
        self._now_s = until_s


class RoundingSensor:
    """An ideal strap: integer bpm, no faults."""

    def read(self, t_s: float, true_hr_bpm: float, speed_kmh: float = 0.0) -> int | None:
        """Report the true HR rounded to an integer."""
        return round(true_hr_bpm)


@dataclass(frozen=True, slots=True)
class FopdtCohortFactory:
    """Picklable case factory over :class:`FopdtPatient` (tests, no drivers needed).

    Patient ``i`` draws gain 3-15 bpm per km/h, tau 30-120 s, dead time 0-20 s, drift
    0-0.3 bpm/min and HRV 1-2 bpm from ``seed``.
    """

    seed: int = 0
    hrv: bool = True

    def params(self, index: int) -> FopdtParams:
        """The parameters of patient ``index``."""
        rnd = random.Random(self.seed * 100003 + index)
        return FopdtParams(
            hr_rest_bpm=rnd.uniform(60, 85),
            gain_bpm_per_kmh=rnd.uniform(3.0, 15.0),
            gain_bpm_per_pct=rnd.uniform(3.0, 8.0),
            tau_s=rnd.uniform(30, 120),
            dead_time_s=rnd.uniform(0, 20),
            drift_bpm_per_min=rnd.uniform(0, 0.3),
            hrv_sigma_bpm=rnd.uniform(1.0, 2.0) if self.hrv else 0.0,
            hrv_tau_s=rnd.uniform(20, 120),
            seed=self.seed * 7919 + index,
        )

    def __call__(self, index: int) -> BenchCase:
        """Build case ``index``."""
        p = self.params(index)
        limits = ActuatorLimits(
            min_speed_kmh=1.5,
            max_speed_kmh=8.0,
            use_incline=True,
            max_incline_pct=10.0,
        )
        target = p.hr_rest_bpm + 35.0
        start = 2.5
        fixed = min(8.0, max(1.5, round((target - p.hr_rest_bpm) / 8.0 * 2) / 2))
        return BenchCase(
            patient_id=index,
            tags=(),
            hr_rest_bpm=p.hr_rest_bpm,
            target_bpm=target,
            zone_low_bpm=target - 9.0,
            zone_high_bpm=target + 9.0,
            ceiling_bpm=target + 25.0,
            limits=limits,
            start_speed_kmh=start,
            fixed_speed_kmh=fixed,
            oracle_plant=p.plant_estimate(),
            new_patient=lambda: FopdtPatient(p),
            new_sensor=RoundingSensor,
        )
