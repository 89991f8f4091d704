"""The controller interface the session engine drives.

The engine calls :meth:`Controller.update` once per control tick (1 Hz) during the
warm-up and main phases. The controller returns the speed and incline it wants; the
engine sends a command only when the quantised value changes. The supervisor may
forbid increases (``allow_increase=False``) or suspend the controller entirely, in
which case ``update`` is not called and :meth:`Controller.reseed` is called when
control resumes.

Contract for every implementation:
  * outputs are within ``limits`` and on the device's increments;
  * a single update never changes speed by more than ``limits.max_speed_step_kmh``;
  * with ``allow_increase=False`` neither speed nor incline rises;
  * ``reseed`` adopts the given operating point without a jump (bumpless transfer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from runningroom.session.model import Intent


@dataclass(frozen=True, slots=True)
class ActuatorLimits:
    """Effective actuator range: the intersection of patient limits and device range."""

    min_speed_kmh: float
    max_speed_kmh: float
    speed_step_kmh: float = 0.1
    min_incline_pct: float = 0.0
    max_incline_pct: float = 0.0
    incline_step_pct: float = 0.5
    use_speed: bool = True
    use_incline: bool = False
    max_speed_step_kmh: float = 0.3
    max_incline_step_pct: float = 1.0


@dataclass(frozen=True, slots=True)
class ControlInput:
    """What the controller sees at one tick.

    Attributes:
        now_s: monotonic time.
        hr_bpm: filtered HR if the supervisor trusts it, else None.
        target_bpm: current control target (includes therapist offset, ramps, steps).
        speed_kmh: current commanded speed (the operating point).
        incline_pct: current commanded incline.
        allow_increase: False forbids any increase of speed or incline.
        identify: True during warm-up, when the controller may identify the gain.
        zone_low_bpm: lower edge of the prescribed zone, if the caller knows it
            (used by zone-based baselines; the model controller tracks ``target_bpm``).
        zone_high_bpm: upper edge of the prescribed zone, if known.
    """

    now_s: float
    hr_bpm: float | None
    target_bpm: float
    speed_kmh: float
    incline_pct: float
    allow_increase: bool = True
    identify: bool = False
    zone_low_bpm: float | None = None
    zone_high_bpm: float | None = None


@dataclass(frozen=True, slots=True)
class ControlOutput:
    """What the controller wants now."""

    speed_kmh: float
    incline_pct: float
    intent: Intent


@dataclass(frozen=True, slots=True)
class PlantEstimate:
    """A patient's identified HR response, carried over to the next session.

    Attributes:
        gain_bpm_per_kmh: steady-state HR change per km/h of belt speed. The model
            controller measures it per km/h of level *walking* (its load unit is the ACSM
            metabolic cost in walking-km/h equivalents, see
            :class:`runningroom.control.load.MetabolicLoad`); running costs about twice
            as much per km/h.
        gain_bpm_per_pct: steady-state HR change per percent of incline, if known.
        tau_s: time constant of the (slow) HR response, if known.
        dead_time_s: pure delay before the HR starts to respond, if known.
    """

    gain_bpm_per_kmh: float
    gain_bpm_per_pct: float | None = None
    tau_s: float | None = None
    dead_time_s: float | None = None


class Controller(Protocol):
    """An HR controller. One instance per session; not shared between stations."""

    name: str

    def reset(
        self, now_s: float, speed_kmh: float, incline_pct: float, limits: ActuatorLimits
    ) -> None:
        """Start from the given operating point with the given limits."""
        ...

    def reseed(self, now_s: float, speed_kmh: float, incline_pct: float) -> None:
        """Adopt a new operating point set by someone else (therapist, console)."""
        ...

    def update(self, inp: ControlInput) -> ControlOutput:
        """Compute the wanted speed and incline for this tick."""
        ...

    def plant_estimate(self) -> PlantEstimate | None:
        """The identified plant, if any, for carrying over to the next session."""
        ...
