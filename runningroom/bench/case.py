"""What the benchmark needs to know about one simulated patient.

The benchmark core never imports drivers: a *case factory* (a picklable callable
``factory(index) -> BenchCase``) supplies each patient's prescription, limits and
fresh patient-model, sensor and (optionally) belt instances. ``runningroom bench``
composes the factory from ``drivers.sim``; tests use
:class:`runningroom.bench.plant.FopdtCohortFactory`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from runningroom.control.base import ActuatorLimits, PlantEstimate


class PatientModel(Protocol):
    """The patient-model protocol (same as ``drivers.sim.patient.PatientModel``)."""

    def reset(self, speed_kmh: float, incline_pct: float) -> None:
        """Start a session at equilibrium for the given belt load."""
        ...

    def step(self, dt_s: float, speed_kmh: float, incline_pct: float) -> float:
        """Advance ``dt_s`` seconds at the actual belt load; return the true HR in bpm."""
        ...


class HrReader(Protocol):
    """A sensor: turns the true HR into what the strap reports (None = no sample)."""

    def read(self, t_s: float, true_hr_bpm: float, speed_kmh: float = 0.0) -> int | None:
        """One 1 Hz reading at session time ``t_s``."""
        ...


class Belt(Protocol):
    """The belt the patient walks on (same interface as ``drivers.sim.treadmill.BeltPhysics``).

    Commands take effect after the belt's latency; the speed follows them at the
    belt's acceleration. ``now_s`` is session time in seconds.
    """

    @property
    def speed_kmh(self) -> float:
        """Actual belt speed."""
        ...

    @property
    def incline_pct(self) -> float:
        """Actual incline."""
        ...

    @property
    def distance_m(self) -> float:
        """Distance since the start."""
        ...

    def command_speed(self, now_s: float, speed_kmh: float) -> float:
        """Set a target speed; returns the value used."""
        ...

    def command_incline(self, now_s: float, incline_pct: float) -> float:
        """Set a target incline; returns the value used."""
        ...

    def start(self, now_s: float) -> None:
        """Start the belt."""
        ...

    def stop(self, now_s: float) -> None:
        """Stop the belt."""
        ...

    def advance(self, now_s: float) -> None:
        """Integrate the belt up to ``now_s``."""
        ...


@dataclass(frozen=True)
class BenchCase:
    """One virtual patient of the cohort.

    Attributes:
        patient_id: index in the cohort.
        tags: subgroup labels (beta_blocked, slow_kinetics, high_drift, optical_sensor...).
        hr_rest_bpm: resting HR from the profile (start of the warm-up target ramp).
        target_bpm: zone centre, the control target of the main phase.
        zone_low_bpm: lower zone edge (end of the warm-up ramp, time-in-zone).
        zone_high_bpm: upper zone edge.
        ceiling_bpm: safety ceiling.
        limits: effective actuator limits.
        start_speed_kmh: belt speed at the start of the warm-up.
        fixed_speed_kmh: the constant speed a therapist would choose from the profile.
        oracle_plant: the patient's true plant near the target (for the oracle).
        new_patient: returns a fresh patient model; every call gives the same noise.
        new_sensor: returns a fresh sensor; every call gives the same errors and faults.
        hrmax_bpm: HRmax of the prescription (None: the ceiling taken as 85 % of it).
        new_belt: returns a fresh belt (None: :class:`runningroom.bench.plant.LaggedBelt`).
    """

    patient_id: int
    tags: tuple[str, ...]
    hr_rest_bpm: float
    target_bpm: float
    zone_low_bpm: float
    zone_high_bpm: float
    ceiling_bpm: float
    limits: ActuatorLimits
    start_speed_kmh: float
    fixed_speed_kmh: float
    oracle_plant: PlantEstimate
    new_patient: Callable[[], PatientModel]
    new_sensor: Callable[[], HrReader]
    hrmax_bpm: float | None = None
    new_belt: Callable[[], Belt] | None = None


CaseFactory = Callable[[int], BenchCase]
