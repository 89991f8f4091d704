"""The fixed speed a therapist would choose from a profile (the ``fixed-speed`` baseline).

A therapist without a controller picks one belt speed from what the profile says: resting
HR, HRmax, beta-blocker, the target HR and the speed limits. The pick is modelled on a
*nominal* simulated patient, never on the true (simulated) one: the profile's resting HR
and HRmax, a typical sedentary VO2max of 31 ml/kg/min, average economy and, if
beta-blocked, 70 % of the HR reserve. The chosen speed gives the target HR on that
nominal patient, rounded to 0.5 km/h and kept inside the speed limits.

Used by ``runningroom simulate --controller fixed-speed`` (through the simulated wiring)
and by ``runningroom bench``, so both give the baseline the same speed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from runningroom.model import PatientProfile, Prescription, SessionTemplate
from runningroom.prescription import effective_limits

#: the nominal patient's VO2max (ml/kg/min), a typical sedentary value
NOMINAL_VO2MAX = 31.0
#: share of the HR response left with a beta-blocker
BETA_BLOCKED_GAIN_SCALE = 0.7
#: the speed search never looks above this (km/h)
_SEARCH_MAX_KMH = 8.0


def solve_speed_kmh(
    hr_of_speed_bpm: Callable[[float], float], target_bpm: float, max_kmh: float
) -> float:
    """The speed in [0, ``max_kmh``] whose steady-state HR is ``target_bpm`` (bisection).

    ``hr_of_speed_bpm`` must not decrease with speed; when even ``max_kmh`` stays below
    the target, ``max_kmh`` is returned.
    """
    low, high = 0.0, max_kmh
    if hr_of_speed_bpm(high) < target_bpm:
        return high
    for _ in range(40):
        mid = (low + high) / 2
        if hr_of_speed_bpm(mid) < target_bpm:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def nominal_speed_kmh(
    *,
    resting_hr_bpm: float,
    hrmax_bpm: float,
    beta_blocked: bool,
    target_bpm: float,
    min_speed_kmh: float,
    max_speed_kmh: float,
) -> float:
    """The speed giving ``target_bpm`` on the nominal patient, to 0.5 km/h, in the limits."""
    from drivers.sim.patient import PatientParams, steady_state_hr_bpm

    nominal = replace(
        PatientParams(),
        hr_rest_bpm=float(resting_hr_bpm),
        hrmax_true_bpm=hrmax_bpm,
        vo2max=NOMINAL_VO2MAX,
        economy=1.0,
        walk_run_kmh=7.0,
        gain_scale=BETA_BLOCKED_GAIN_SCALE if beta_blocked else 1.0,
    )
    speed = solve_speed_kmh(
        lambda v: steady_state_hr_bpm(nominal, v, 0.0), target_bpm, _SEARCH_MAX_KMH
    )
    return min(max(round(speed * 2) / 2, min_speed_kmh), max_speed_kmh)


def therapist_speed_kmh(
    profile: PatientProfile, prescription: Prescription, template: SessionTemplate | None = None
) -> float:
    """The fixed speed a therapist would choose for ``profile`` (see the module docstring)."""
    limits = effective_limits(profile, template)
    return nominal_speed_kmh(
        resting_hr_bpm=float(profile.resting_hr_bpm),
        hrmax_bpm=prescription.hrmax_bpm,
        beta_blocked=profile.beta_blocker,
        target_bpm=prescription.target_bpm,
        min_speed_kmh=limits.min_speed_kmh,
        max_speed_kmh=limits.max_speed_kmh,
    )
