"""Domain data: patient profile, session template and the computed prescription.

These are plain frozen dataclasses. Loading and validating them from files lives in
:mod:`runningroom.profiles_io`; the arithmetic (HRmax, zones, ceiling) lives in
:mod:`runningroom.prescription`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

PROFILE_SCHEMA_VERSION = 1
TEMPLATE_SCHEMA_VERSION = 1

#: Speed cap for walk-only patients and templates (below the walk-run transition,
#: about 7 km/h); see :func:`runningroom.prescription.effective_limits`.
WALK_ONLY_MAX_SPEED_KMH = 6.0


class Sex(StrEnum):
    """Sex as recorded in the profile (used only by sex-specific formulas)."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNSPECIFIED = "unspecified"


class HrMaxFormula(StrEnum):
    """How HRmax is obtained when no exercise test value is available."""

    TANAKA = "tanaka"  # 208 - 0.7 x age (default)
    FOX = "fox"  # 220 - age
    GELLISH = "gellish"  # 207 - 0.7 x age
    NES = "nes"  # 211 - 0.64 x age


class HrMaxSource(StrEnum):
    """Where the HRmax used in a prescription came from (recorded with it)."""

    MEASURED = "measured"
    TANAKA = "tanaka"
    FOX = "fox"
    GELLISH = "gellish"
    NES = "nes"
    BETA_BLOCKED = "beta_blocked"  # 164 - 0.7 x age (Brawner 2004)


class ZoneMethod(StrEnum):
    """How the target zone is expressed."""

    HRMAX_PCT = "hrmax_pct"  # fraction of HRmax, default 60-70 %
    HRR_PCT = "hrr_pct"  # Karvonen, fraction of HR reserve (ACSM 40-59 %)
    ABSOLUTE_BPM = "absolute_bpm"


class Actuator(StrEnum):
    """Which treadmill input the controller may use."""

    SPEED = "speed"
    INCLINE = "incline"
    BOTH = "both"  # speed first, incline once speed reaches the patient's cap


@dataclass(frozen=True, slots=True)
class ZoneSpec:
    """Target zone as prescribed; ``low``/``high`` are percent (0-100) or bpm per method."""

    method: ZoneMethod = ZoneMethod.HRMAX_PCT
    low: float = 60.0
    high: float = 70.0


@dataclass(frozen=True, slots=True)
class CeilingSpec:
    """Safety ceiling: percent of HRmax, or an absolute bpm set by the therapist."""

    pct_hrmax: float = 85.0
    bpm: int | None = None


@dataclass(frozen=True, slots=True)
class PatientLimits:
    """Per-patient actuator limits.

    Attributes:
        max_speed_kmh: highest belt speed the patient may be given.
        max_incline_pct: highest incline.
        walk_only: True caps speed at :data:`WALK_ONLY_MAX_SPEED_KMH` (no running).
        min_speed_kmh: lowest belt speed while exercising.
    """

    max_speed_kmh: float = 8.0
    max_incline_pct: float = 10.0
    walk_only: bool = False
    min_speed_kmh: float = 1.5


@dataclass(frozen=True, slots=True)
class PatientProfile:
    """A patient as the therapist registered them. ``code`` is the pseudonymous key.

    Exactly one of ``birth_year`` and ``age_years`` is normally given; ``age_on`` in
    :mod:`runningroom.prescription` derives the age for a session date.
    """

    code: str
    resting_hr_bpm: int
    display_name: str | None = None
    birth_year: int | None = None
    age_years: int | None = None
    sex: Sex = Sex.UNSPECIFIED
    measured_hrmax_bpm: int | None = None
    hrmax_formula: HrMaxFormula = HrMaxFormula.TANAKA
    beta_blocker: bool = False
    medication_note: str = ""
    limits: PatientLimits = field(default_factory=PatientLimits)
    preferred_actuator: Actuator = Actuator.SPEED
    zone: ZoneSpec = field(default_factory=ZoneSpec)
    ceiling: CeilingSpec = field(default_factory=CeilingSpec)
    start_speed_kmh: float | None = None
    schema_version: int = PROFILE_SCHEMA_VERSION


class PhaseKind(StrEnum):
    """The three exercise phases of a session."""

    WARMUP = "warmup"
    MAIN = "main"
    COOLDOWN = "cooldown"


@dataclass(frozen=True, slots=True)
class PhaseSpec:
    """One phase of a template.

    Attributes:
        kind: warm-up, main or cool-down.
        duration_s: planned duration; for cool-down the maximum duration.
        start_speed_kmh: belt speed at the start of the phase (warm-up only; None =
            derive from the profile).
        target_offset_bpm: main phase only; square-wave amplitude for target steps
            (0 = constant target).
        target_step_period_s: half-period of the target square wave (benchmark variant).
        recovery_hr_pct_hrmax: cool-down ends early once HR is below this percentage.
        end_speed_kmh: cool-down ramps down to this speed.
    """

    kind: PhaseKind
    duration_s: float
    start_speed_kmh: float | None = None
    target_offset_bpm: float = 0.0
    target_step_period_s: float = 0.0
    recovery_hr_pct_hrmax: float = 55.0
    end_speed_kmh: float = 2.0


@dataclass(frozen=True, slots=True)
class SessionTemplate:
    """An ordered warm-up, main, cool-down plan.

    Attributes:
        name: template name (normally the file stem, e.g. "walking").
        warmup: warm-up phase.
        main: main phase.
        cooldown: cool-down phase.
        description: free text for the therapist.
        schema_version: file schema version.
        actuator: actuator this template asks for; None = the profile's preference.
        walk_only: True caps speed at :data:`WALK_ONLY_MAX_SPEED_KMH` (a walking
            template); combined with the profile's own ``limits.walk_only``.
        max_speed_kmh: optional template speed cap; the lower of profile and template
            caps applies.
    """

    name: str
    warmup: PhaseSpec
    main: PhaseSpec
    cooldown: PhaseSpec
    description: str = ""
    schema_version: int = TEMPLATE_SCHEMA_VERSION
    actuator: Actuator | None = None
    walk_only: bool = False
    max_speed_kmh: float | None = None

    @property
    def phases(self) -> tuple[PhaseSpec, PhaseSpec, PhaseSpec]:
        """The phases in order."""
        return (self.warmup, self.main, self.cooldown)

    @property
    def planned_duration_s(self) -> float:
        """Sum of the planned phase durations."""
        return sum(p.duration_s for p in self.phases)


@dataclass(frozen=True, slots=True)
class Prescription:
    """The numbers a session runs on, computed from a profile for one date.

    Attributes:
        hrmax_bpm: HRmax used.
        hrmax_source: measured, or the formula used.
        age_years: age on the session date (None if unknown and HRmax measured).
        zone_low_bpm: lower zone edge.
        zone_high_bpm: upper zone edge.
        target_bpm: zone centre, the control target.
        ceiling_bpm: safety ceiling; the supervisor acts above it.
        zone_source: human-readable description, e.g. "60-70 % HRmax (Tanaka)".
        resting_hr_bpm: resting HR from the profile.
    """

    hrmax_bpm: float
    hrmax_source: HrMaxSource
    age_years: int | None
    zone_low_bpm: float
    zone_high_bpm: float
    target_bpm: float
    ceiling_bpm: float
    zone_source: str
    resting_hr_bpm: int
