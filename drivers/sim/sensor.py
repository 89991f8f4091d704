"""Simulated HR sensor: measurement error, integer bpm at 1 Hz, and seeded faults.

The sensor turns the patient's *true* HR into what a BLE heart-rate strap reports:

* chest strap: true HR + N(0, 0.5) bpm, rounded to an integer;
* optical wrist sensor: true HR seen through a 4 s lag, plus an AR(1) error
  (SD 2.5 bpm, 15 s correlation) and 3 % single-sample outliers of 10-18 bpm
  (Sartor et al. 2018: MAE about 3 bpm, 2-8 % of samples off by more than 10 bpm).

Faults (physiology-and-control.md, sensor layer), drawn per session from the seed and
switchable at run time (:attr:`HrSensor.faults_enabled`): 0-3 gaps of 1-10 s (Poisson
mean 1.5), 0-5 isolated 0-bpm samples (Poisson mean 2), in 10 % of sessions a frozen
last value for 60-180 s (dead strap), 0-3 single-sample spikes of +/-20-40 bpm or a
halved/doubled value (Poisson mean 1.5); optical sensors only: episodes of 30-120 s
(Poisson mean 0.5 per 45 min) where the reading drifts (8 s time constant, so no jump
gives it away) onto the step cadence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np

#: Error SD of a chest strap, bpm.
CHEST_SIGMA_BPM = 0.5
#: Optical sensor: lag time constant, AR(1) error SD and correlation time, outliers.
OPTICAL_LAG_S = 4.0
OPTICAL_SIGMA_BPM = 2.5
OPTICAL_TAU_S = 15.0
OPTICAL_OUTLIER_PROBABILITY = 0.03
#: Time constant with which an optical reading drifts onto (and off) the step cadence.
OPTICAL_LOCK_BLEND_S = 8.0


class SensorKind(StrEnum):
    """Kind of HR sensor a simulated patient wears."""

    CHEST = "chest"
    OPTICAL = "optical"


class SpikeKind(StrEnum):
    """Shape of a single-sample spike fault."""

    OFFSET = "offset"
    HALVE = "halve"
    DOUBLE = "double"


@dataclass(frozen=True, slots=True)
class FaultConfig:
    """How many faults of each kind to draw for a session.

    Attributes:
        enabled: draw faults at all.
        session_s: length of the period over which faults are placed.
        start_after_s: no faults before this time (lets the session start cleanly).
        gaps_mean: Poisson mean of gaps (capped at 3).
        gap_s: (min, max) gap duration.
        zeros_mean: Poisson mean of isolated 0-bpm samples (capped at 5).
        frozen_probability: probability of one dead-strap episode.
        frozen_s: (min, max) duration of the frozen value.
        spikes_mean: Poisson mean of single-sample spikes (capped at 3).
        spike_bpm: (min, max) size of an offset spike.
        halve_double_fraction: share of spikes that halve or double the value.
        cadence_locks_mean: Poisson mean of cadence-lock episodes (optical only, max 2).
        cadence_lock_s: (min, max) duration of a cadence-lock episode.
    """

    enabled: bool = True
    session_s: float = 2700.0
    start_after_s: float = 60.0
    gaps_mean: float = 1.5
    gap_s: tuple[float, float] = (1.0, 10.0)
    zeros_mean: float = 2.0
    frozen_probability: float = 0.1
    frozen_s: tuple[float, float] = (60.0, 180.0)
    spikes_mean: float = 1.5
    spike_bpm: tuple[float, float] = (20.0, 40.0)
    halve_double_fraction: float = 0.3
    cadence_locks_mean: float = 0.5
    cadence_lock_s: tuple[float, float] = (30.0, 120.0)

    @classmethod
    def none(cls) -> FaultConfig:
        """A configuration without faults."""
        return cls(enabled=False)


@dataclass(frozen=True, slots=True)
class Spike:
    """One single-sample spike at ``t_s``."""

    t_s: float
    kind: SpikeKind
    offset_bpm: float = 0.0


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """The faults of one session, as absolute times from the session start.

    Attributes:
        gaps: (start_s, duration_s) periods without any sample.
        zeros: times of isolated 0-bpm samples (the first sample at or after each).
        frozen: (start_s, duration_s) periods where the last value is repeated.
        spikes: single-sample spikes.
        cadence_locks: (start_s, duration_s) optical cadence-lock episodes.
    """

    gaps: tuple[tuple[float, float], ...] = ()
    zeros: tuple[float, ...] = ()
    frozen: tuple[tuple[float, float], ...] = ()
    spikes: tuple[Spike, ...] = field(default_factory=tuple)
    cadence_locks: tuple[tuple[float, float], ...] = ()

    @property
    def empty(self) -> bool:
        """True when the plan holds no fault."""
        return not (self.gaps or self.zeros or self.frozen or self.spikes or self.cadence_locks)

    @classmethod
    def draw(cls, config: FaultConfig, seed: int) -> FaultPlan:
        """Draw a reproducible plan from ``config`` and ``seed``."""
        if not config.enabled:
            return cls()
        rng = np.random.default_rng([seed, 0xFA17])
        lo, hi = config.start_after_s, max(config.session_s, config.start_after_s + 1.0)

        def when() -> float:
            return float(math.floor(rng.uniform(lo, hi)))

        gaps = tuple(
            sorted(
                (when(), float(round(rng.uniform(*config.gap_s))))
                for _ in range(min(int(rng.poisson(config.gaps_mean)), 3))
            )
        )
        zeros = tuple(sorted(when() for _ in range(min(int(rng.poisson(config.zeros_mean)), 5))))
        frozen: tuple[tuple[float, float], ...] = ()
        if rng.random() < config.frozen_probability:
            frozen = ((when(), float(round(rng.uniform(*config.frozen_s)))),)
        spikes: list[Spike] = []
        for _ in range(min(int(rng.poisson(config.spikes_mean)), 3)):
            t_s = when()
            if rng.random() < config.halve_double_fraction:
                spikes.append(
                    Spike(t_s, SpikeKind.HALVE if rng.random() < 0.5 else SpikeKind.DOUBLE)
                )
            else:
                sign = 1.0 if rng.random() < 0.5 else -1.0
                spikes.append(
                    Spike(t_s, SpikeKind.OFFSET, sign * float(rng.uniform(*config.spike_bpm)))
                )
        cadence_locks = tuple(
            sorted(
                (when(), float(round(rng.uniform(*config.cadence_lock_s))))
                for _ in range(min(int(rng.poisson(config.cadence_locks_mean)), 2))
            )
        )
        return cls(
            cadence_locks=cadence_locks,
            gaps=gaps,
            zeros=zeros,
            frozen=frozen,
            spikes=tuple(sorted(spikes, key=lambda s: s.t_s)),
        )


def cadence_spm(speed_kmh: float, walk_run_kmh: float = 7.0) -> float:
    """Approximate step cadence (steps/min) at a belt speed, for optical lock-on."""
    if speed_kmh >= walk_run_kmh:
        return 150.0 + 2.0 * speed_kmh
    return 80.0 + 7.0 * speed_kmh


class HrSensor:
    """Turns true HR into reported integer bpm samples, with seeded error and faults.

    Args:
        kind: chest strap or optical.
        seed: seed for measurement error (faults are drawn with the same seed).
        faults: a plan, a config to draw a plan from, or None for no faults.
    """

    def __init__(
        self,
        kind: SensorKind = SensorKind.CHEST,
        *,
        seed: int = 0,
        faults: FaultPlan | FaultConfig | None = None,
    ) -> None:
        self.kind = kind
        self._rng = np.random.default_rng([seed, 0x5E45])
        if isinstance(faults, FaultConfig):
            faults = FaultPlan.draw(faults, seed)
        plan = faults or FaultPlan()
        if kind is not SensorKind.OPTICAL and plan.cadence_locks:
            plan = replace(plan, cadence_locks=())
        self.plan: FaultPlan = plan
        #: Switch faults off (or on again) at run time.
        self.faults_enabled = True
        self._last_reported: int | None = None
        self._lagged_bpm: float | None = None
        self._ar_bpm = 0.0
        self._last_t_s: float | None = None
        self._lock_blend = 0.0
        self._normals: list[float] = []
        self._uniforms: list[float] = []

    def _normal(self) -> float:
        if not self._normals:
            self._normals = self._rng.standard_normal(1024).tolist()
        return self._normals.pop()

    def _uniform(self) -> float:
        if not self._uniforms:
            self._uniforms = self._rng.random(1024).tolist()
        return self._uniforms.pop()

    @property
    def last_reported_bpm(self) -> int | None:
        """The last value :meth:`read` returned (not None)."""
        return self._last_reported

    def read(self, t_s: float, true_hr_bpm: float, speed_kmh: float = 0.0) -> int | None:
        """One 1 Hz reading at session time ``t_s``.

        Args:
            t_s: time from the session start (fault times are on this axis).
            true_hr_bpm: the patient's true HR now.
            speed_kmh: belt speed (optical cadence lock-on).

        Returns:
            The reported integer bpm, or None when no sample is sent (gap).
        """
        dt_s = 1.0 if self._last_t_s is None else max(t_s - self._last_t_s, 1e-3)
        self._last_t_s = t_s
        value = self._measure(t_s, dt_s, true_hr_bpm, speed_kmh)
        if self.faults_enabled and not self.plan.empty:
            plan = self.plan
            if any(start <= t_s < start + dur for start, dur in plan.gaps):
                return None
            if self._last_reported is not None and any(
                start <= t_s < start + dur for start, dur in plan.frozen
            ):
                return self._last_reported
            if any(z <= t_s < z + 1.0 for z in plan.zeros):
                return 0
            for spike in plan.spikes:
                if spike.t_s <= t_s < spike.t_s + 1.0:
                    if spike.kind is SpikeKind.HALVE:
                        value = round(value / 2)
                    elif spike.kind is SpikeKind.DOUBLE:
                        value = value * 2
                    else:
                        value = round(value + spike.offset_bpm)
                    return max(value, 1)
        self._last_reported = value
        return value

    def _measure(self, t_s: float, dt_s: float, true_hr_bpm: float, speed_kmh: float) -> int:
        if self.kind is SensorKind.CHEST:
            return max(round(true_hr_bpm + CHEST_SIGMA_BPM * self._normal()), 0)
        # optical: lag, correlated error, outliers, cadence lock-on
        if self._lagged_bpm is None:
            self._lagged_bpm = true_hr_bpm
        self._lagged_bpm += (true_hr_bpm - self._lagged_bpm) * (
            1.0 - math.exp(-dt_s / OPTICAL_LAG_S)
        )
        decay = math.exp(-dt_s / OPTICAL_TAU_S)
        self._ar_bpm = (
            self._ar_bpm * decay + OPTICAL_SIGMA_BPM * math.sqrt(1 - decay * decay) * self._normal()
        )
        value = self._lagged_bpm + self._ar_bpm
        locked = (
            self.faults_enabled
            and speed_kmh >= 1.0
            and any(start <= t_s < start + dur for start, dur in self.plan.cadence_locks)
        )
        self._lock_blend += (float(locked) - self._lock_blend) * (
            1.0 - math.exp(-dt_s / OPTICAL_LOCK_BLEND_S)
        )
        if self._lock_blend > 1e-3:
            cadence = cadence_spm(speed_kmh) + 2.0 * self._normal()
            value += (cadence - value) * self._lock_blend
        elif self._uniform() < OPTICAL_OUTLIER_PROBABILITY:
            value += (10.0 + 8.0 * self._uniform()) * (1.0 if self._uniform() < 0.5 else -1.0)
        return max(round(value), 0)
