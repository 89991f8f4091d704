"""Prescription arithmetic: age, HRmax estimate, target zone, control target, ceiling.

Rules (see ``shared/reference/physiology-and-control.md``):

* A measured HRmax (exercise test) always wins.
* Otherwise HRmax is estimated from age: beta-blocked patients get Brawner's
  ``164 - 0.7 x age``; everyone else the profile's formula: Tanaka ``208 - 0.7 x age``
  (default), Fox ``220 - age``, Gellish ``207 - 0.7 x age`` or Nes ``211 - 0.64 x age``.
* The zone is a percentage of HRmax (default 60-70 %), a percentage of HR reserve
  (Karvonen: ``rest + p x (HRmax - rest)``) or absolute bpm. The zone centre is the
  control target; the edges are for display and time-in-zone.
* The safety ceiling is a percentage of HRmax (default 85 %) or a therapist-set bpm. It
  must lie above the zone's upper edge, and the zone's lower edge must lie above the
  resting HR; otherwise :class:`~runningroom.errors.ValidationError` is raised.

The module also derives the effective actuator limits of a (profile, template) pair.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import Any

from runningroom.errors import ValidationError
from runningroom.model import (
    WALK_ONLY_MAX_SPEED_KMH,
    Actuator,
    HrMaxFormula,
    HrMaxSource,
    PatientLimits,
    PatientProfile,
    Prescription,
    SessionTemplate,
    ZoneMethod,
)

#: Human-readable description of each HRmax source, used in ``zone_source``.
HRMAX_SOURCE_LABELS: dict[HrMaxSource, str] = {
    HrMaxSource.MEASURED: "measured",
    HrMaxSource.TANAKA: "Tanaka 208-0.7*age",
    HrMaxSource.FOX: "Fox 220-age",
    HrMaxSource.GELLISH: "Gellish 207-0.7*age",
    HrMaxSource.NES: "Nes 211-0.64*age",
    HrMaxSource.BETA_BLOCKED: "beta-blocked 164-0.7*age",
}

_FORMULA_SOURCE: dict[HrMaxFormula, HrMaxSource] = {
    HrMaxFormula.TANAKA: HrMaxSource.TANAKA,
    HrMaxFormula.FOX: HrMaxSource.FOX,
    HrMaxFormula.GELLISH: HrMaxSource.GELLISH,
    HrMaxFormula.NES: HrMaxSource.NES,
}


def _source(profile: PatientProfile) -> str:
    return f"profile {profile.code}"


def age_on(profile: PatientProfile, on: date) -> int | None:
    """Age in whole years on ``on``.

    Args:
        profile: the patient; ``age_years`` wins over ``birth_year`` when both are set.
        on: the session date.

    Returns:
        ``age_years`` if given, else ``on.year - birth_year`` (the birthday is not
        recorded, so this may be one year high), else None.
    """
    if profile.age_years is not None:
        return profile.age_years
    if profile.birth_year is not None:
        return on.year - profile.birth_year
    return None


def hrmax_from_formula(source: HrMaxSource, age_years: float) -> float:
    """HRmax in bpm predicted by the formula ``source`` for ``age_years``.

    Raises:
        ValueError: for :attr:`HrMaxSource.MEASURED` (not a formula).
    """
    if source is HrMaxSource.TANAKA:
        return 208.0 - 0.7 * age_years
    if source is HrMaxSource.FOX:
        return 220.0 - age_years
    if source is HrMaxSource.GELLISH:
        return 207.0 - 0.7 * age_years
    if source is HrMaxSource.NES:
        return 211.0 - 0.64 * age_years
    if source is HrMaxSource.BETA_BLOCKED:
        return 164.0 - 0.7 * age_years
    raise ValueError(f"{source} is not a formula")


def estimate_hrmax(profile: PatientProfile, on: date) -> tuple[float, HrMaxSource]:
    """HRmax in bpm for the session date, and where it came from.

    A measured HRmax wins; else beta-blocked patients get ``164 - 0.7 x age``; else the
    profile's formula.

    Raises:
        ValidationError: no measured HRmax and no age (``birth_year``/``age_years``).
    """
    if profile.measured_hrmax_bpm is not None:
        return float(profile.measured_hrmax_bpm), HrMaxSource.MEASURED
    age = age_on(profile, on)
    if age is None:
        raise ValidationError(
            _source(profile),
            "birth_year",
            "birth_year or age_years (needed to estimate HRmax), or measured_hrmax_bpm",
            None,
        )
    source = (
        HrMaxSource.BETA_BLOCKED if profile.beta_blocker else _FORMULA_SOURCE[profile.hrmax_formula]
    )
    return hrmax_from_formula(source, age), source


def _fmt(value: float) -> str:
    return f"{value:g}"


def compute_prescription(profile: PatientProfile, on: date) -> Prescription:
    """Compute the zone, control target and safety ceiling for a session on ``on``.

    Args:
        profile: the patient.
        on: the session date (for the age).

    Returns:
        The prescription; ``target_bpm`` is the zone centre.

    Raises:
        ValidationError: HRmax cannot be determined or is not above the resting HR, the
            zone's lower edge is not above the resting HR, or the ceiling is not above the
            zone's upper edge.
    """
    hrmax_bpm, hrmax_source = estimate_hrmax(profile, on)
    zone = profile.zone
    rest = float(profile.resting_hr_bpm)
    if hrmax_source is HrMaxSource.MEASURED:
        hrmax_label = f"measured {_fmt(hrmax_bpm)} bpm"
    else:
        hrmax_label = HRMAX_SOURCE_LABELS[hrmax_source]
    if not hrmax_bpm > rest:
        raise ValidationError(
            _source(profile),
            "measured_hrmax_bpm",
            f"an HRmax above the resting HR ({profile.resting_hr_bpm} bpm); the estimate is"
            f" {hrmax_bpm:.0f} bpm ({hrmax_label}). Enter a measured HRmax",
            profile.measured_hrmax_bpm,
        )
    if zone.method is ZoneMethod.HRMAX_PCT:
        low_bpm = hrmax_bpm * zone.low / 100.0
        high_bpm = hrmax_bpm * zone.high / 100.0
        zone_source = f"{_fmt(zone.low)}-{_fmt(zone.high)} % HRmax ({hrmax_label})"
    elif zone.method is ZoneMethod.HRR_PCT:
        reserve = hrmax_bpm - rest
        low_bpm = rest + reserve * zone.low / 100.0
        high_bpm = rest + reserve * zone.high / 100.0
        zone_source = (
            f"{_fmt(zone.low)}-{_fmt(zone.high)} % HRR (Karvonen, rest {profile.resting_hr_bpm}"
            f" bpm; {hrmax_label})"
        )
    else:
        low_bpm = float(zone.low)
        high_bpm = float(zone.high)
        zone_source = f"{_fmt(zone.low)}-{_fmt(zone.high)} bpm (absolute; HRmax {hrmax_label})"
    if not high_bpm > low_bpm:
        raise ValidationError(
            _source(profile), "zone.high", f"a value above zone.low ({_fmt(zone.low)})", zone.high
        )
    if not low_bpm > rest:
        raise ValidationError(
            _source(profile),
            "zone.low",
            f"a zone whose lower edge lies above the resting HR ({profile.resting_hr_bpm} bpm);"
            f" it is {low_bpm:.0f} bpm with HRmax {hrmax_bpm:.0f} ({hrmax_label})."
            " Use % HRR (Karvonen), an absolute zone or a measured HRmax",
            zone.low,
        )
    if profile.ceiling.bpm is not None:
        ceiling_bpm = float(profile.ceiling.bpm)
        ceiling_field, ceiling_got = "ceiling.bpm", float(profile.ceiling.bpm)
    else:
        ceiling_bpm = hrmax_bpm * profile.ceiling.pct_hrmax / 100.0
        ceiling_field, ceiling_got = "ceiling.pct_hrmax", profile.ceiling.pct_hrmax
    if not ceiling_bpm > high_bpm:
        raise ValidationError(
            _source(profile),
            ceiling_field,
            f"a safety ceiling above the zone's upper edge ({high_bpm:.1f} bpm);"
            f" it is {ceiling_bpm:.1f} bpm",
            ceiling_got,
        )
    return Prescription(
        hrmax_bpm=hrmax_bpm,
        hrmax_source=hrmax_source,
        age_years=age_on(profile, on),
        zone_low_bpm=low_bpm,
        zone_high_bpm=high_bpm,
        target_bpm=(low_bpm + high_bpm) / 2.0,
        ceiling_bpm=ceiling_bpm,
        zone_source=zone_source,
        resting_hr_bpm=profile.resting_hr_bpm,
    )


def effective_limits(profile: PatientProfile, template: SessionTemplate | None) -> PatientLimits:
    """The patient's limits tightened by the template.

    ``walk_only`` is set when the profile or the template asks for it, and then
    ``max_speed_kmh`` is capped at :data:`~runningroom.model.WALK_ONLY_MAX_SPEED_KMH`;
    a template ``max_speed_kmh`` also caps. ``min_speed_kmh`` never exceeds the cap.
    The device range is intersected later (by the engine).
    """
    limits = profile.limits
    walk_only = limits.walk_only or (template is not None and template.walk_only)
    max_speed_kmh = limits.max_speed_kmh
    if walk_only:
        max_speed_kmh = min(max_speed_kmh, WALK_ONLY_MAX_SPEED_KMH)
    if template is not None and template.max_speed_kmh is not None:
        max_speed_kmh = min(max_speed_kmh, template.max_speed_kmh)
    return replace(
        limits,
        walk_only=walk_only,
        max_speed_kmh=max_speed_kmh,
        min_speed_kmh=min(limits.min_speed_kmh, max_speed_kmh),
    )


def effective_actuator(profile: PatientProfile, template: SessionTemplate | None) -> Actuator:
    """The actuator to use: the template's if it names one, else the profile's."""
    if template is not None and template.actuator is not None:
        return template.actuator
    return profile.preferred_actuator


def prescription_to_dict(p: Prescription) -> dict[str, Any]:
    """JSON-ready dict of a prescription (enum as its value)."""
    return {
        "hrmax_bpm": p.hrmax_bpm,
        "hrmax_source": p.hrmax_source.value,
        "age_years": p.age_years,
        "zone_low_bpm": p.zone_low_bpm,
        "zone_high_bpm": p.zone_high_bpm,
        "target_bpm": p.target_bpm,
        "ceiling_bpm": p.ceiling_bpm,
        "zone_source": p.zone_source,
        "resting_hr_bpm": p.resting_hr_bpm,
    }


def prescription_from_dict(data: dict[str, Any], source: str = "prescription") -> Prescription:
    """Inverse of :func:`prescription_to_dict` (e.g. for a stored session).

    Raises:
        ValidationError: a key is missing or has the wrong type.
    """
    try:
        age = data["age_years"]
        result = Prescription(
            hrmax_bpm=float(data["hrmax_bpm"]),
            hrmax_source=HrMaxSource(data["hrmax_source"]),
            age_years=None if age is None else int(age),
            zone_low_bpm=float(data["zone_low_bpm"]),
            zone_high_bpm=float(data["zone_high_bpm"]),
            target_bpm=float(data["target_bpm"]),
            ceiling_bpm=float(data["ceiling_bpm"]),
            zone_source=str(data["zone_source"]),
            resting_hr_bpm=int(data["resting_hr_bpm"]),
        )
    except KeyError as exc:
        raise ValidationError(source, str(exc.args[0]), "a value", "missing") from exc
    except (TypeError, ValueError) as exc:
        raise ValidationError(source, "", "a stored prescription", str(exc)) from exc
    for name in ("hrmax_bpm", "zone_low_bpm", "zone_high_bpm", "target_bpm", "ceiling_bpm"):
        if not math.isfinite(getattr(result, name)):
            raise ValidationError(source, name, "a finite number", getattr(result, name))
    return result
