"""The engine's tunables and the limits derived from a session's profile and device.

Contract: :class:`EngineConfig` holds every engine threshold (defaults are the clinical
defaults); :func:`actuator_limits` intersects the patient's (template-tightened) limits
with the device's range; :func:`envelope_limits` derives the safety envelope's limits from
those; :func:`snap` puts a value on the device's increment grid inside a range;
:func:`warmup_speed_floor_kmh` is the engine's warm-up rule. All are pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from runningroom.control.base import ActuatorLimits
from runningroom.devices import TreadmillCapabilities
from runningroom.model import Actuator, PatientProfile, Prescription, SessionTemplate
from runningroom.prescription import effective_actuator, effective_limits
from runningroom.session.envelope import EnvelopeLimits
from runningroom.session.plausibility import PlausibilityConfig
from runningroom.session.supervisor import SupervisorConfig


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """Tunables of the engine.

    Attributes:
        sample_period_s: recording period of :class:`SampleRecord` rows (a tick records
            a sample when at least 3/4 of the period passed since the last one, so
            jittery ticks at the period still record every tick).
        max_speed_step_kmh: largest speed change of one controller command.
        max_incline_step_pct: largest incline change of one controller command.
        default_start_speed_kmh: warm-up start speed when neither template nor
            profile gives one.
        warmup_target_ramp_fraction: the warm-up target reaches the lower zone edge
            after this fraction of the warm-up.
        warmup_max_slowdown_kmh: while HR is not above the zone, the controller may
            take the belt at most this far below the warm-up start speed (enough input
            excursion to identify the patient's gain, no slowing to a shuffle).
        cooldown_ramp_fraction: the cool-down speed ramp reaches ``end_speed_kmh``
            after this fraction of the cool-down.
        cooldown_min_s: the recovery-HR criterion may end the cool-down only after this.
        target_ceiling_margin_bpm: the control target stays this far below the ceiling.
        preflight_hr_timeout_s: raise HR_LOST if preflight has no trusted HR this long.
        hr_hold_after_s: the controller only acts on an HR sample at most this old (the
            speed is held in between; the HR counts as lost after the stale limit).
        reconnect_grace_s: a treadmill disconnected longer than this pauses the session.
        console_tolerance_kmh: measured speed this far from the commanded one ...
        console_detect_s: ... for this long (after settling) is a console change.
        console_confirm_s: a reported console speed change is adopted once the measured
            belt speed confirms it, and ignored if it has not within this long.
        settle_base_s: after a belt start, wait this long before comparing speeds.
        settle_accel_kmh_per_s: the belt follows commands at least this fast (a slower
            measured speed than this model is a divergence).
        max_command_failures: consecutive failed commands that mean "not responding".
        measurement_timeout_s: no treadmill measurement for this long while exercising
            also means "not responding" (alarm, controller suspended).
        incline_ramp_pct_per_s: incline ramp rate for cool-down and HR-lost ramps.
        max_pending_records: rows kept for retry while the recorder fails.
        auto_resume_controller_s: None (default, supervised sessions): after an HR-lost
            suspension only the therapist resumes the controller. A number (unsupervised
            simulations, benchmarks): resume it automatically once the HR has been
            trusted this long.
        supervisor: thresholds of the safety rules.
        check_hr_plausibility: judge the HR against what the load predicts; an
            implausible HR blocks increases and raises an ``hr_implausible`` alarm.
        plausibility: thresholds of the plausibility monitor.
    """

    sample_period_s: float = 1.0
    max_speed_step_kmh: float = 0.3
    max_incline_step_pct: float = 1.0
    default_start_speed_kmh: float = 2.5
    warmup_target_ramp_fraction: float = 0.8
    warmup_max_slowdown_kmh: float = 0.6
    cooldown_ramp_fraction: float = 0.6
    cooldown_min_s: float = 120.0
    target_ceiling_margin_bpm: float = 5.0
    preflight_hr_timeout_s: float = 30.0
    hr_hold_after_s: float = 2.5
    reconnect_grace_s: float = 10.0
    console_tolerance_kmh: float = 0.35
    console_detect_s: float = 5.0
    console_confirm_s: float = 15.0
    settle_base_s: float = 8.0
    settle_accel_kmh_per_s: float = 0.08
    max_command_failures: int = 3
    measurement_timeout_s: float = 5.0
    incline_ramp_pct_per_s: float = 0.5
    max_pending_records: int = 7200
    auto_resume_controller_s: float | None = None
    supervisor: SupervisorConfig = field(default_factory=SupervisorConfig)
    check_hr_plausibility: bool = True
    plausibility: PlausibilityConfig = field(default_factory=PlausibilityConfig)


def actuator_limits(
    profile: PatientProfile,
    template: SessionTemplate,
    capabilities: TreadmillCapabilities,
    config: EngineConfig | None = None,
) -> ActuatorLimits:
    """Intersect the patient's (template-tightened) limits with the device's range."""
    cfg = config or EngineConfig()
    limits = effective_limits(profile, template)
    actuator = effective_actuator(profile, template)
    max_speed = min(limits.max_speed_kmh, capabilities.max_speed_kmh)
    min_speed = min(max(limits.min_speed_kmh, capabilities.min_speed_kmh), max_speed)
    min_incline = max(capabilities.min_incline_pct, 0.0)
    max_incline = max(min(limits.max_incline_pct, capabilities.max_incline_pct), min_incline)
    use_incline = actuator in (Actuator.INCLINE, Actuator.BOTH) and capabilities.can_control_incline
    return ActuatorLimits(
        min_speed_kmh=min_speed,
        max_speed_kmh=max_speed,
        speed_step_kmh=capabilities.speed_increment_kmh,
        min_incline_pct=min_incline,
        max_incline_pct=max_incline if use_incline else min_incline,
        incline_step_pct=capabilities.incline_increment_pct,
        use_speed=actuator is not Actuator.INCLINE,
        use_incline=use_incline,
        max_speed_step_kmh=cfg.max_speed_step_kmh,
        max_incline_step_pct=cfg.max_incline_step_pct,
    )


def snap(value: float, low: float, high: float, step: float) -> float:
    """``value`` clamped to [low, high] and put on the ``step`` grid from ``low``."""
    value = min(max(value, low), high)
    if step > 0:
        value = low + round((value - low) / step) * step
        if value > high + 1e-9:
            value -= step
    return round(value, 6)


def warmup_speed_floor_kmh(
    wanted_speed_kmh: float,
    operating_speed_kmh: float,
    *,
    floor_kmh: float,
    hr_bpm: float | None,
    zone_high_bpm: float,
) -> float:
    """A warm-up warms up: little slowing below the start speed unless HR is high.

    The phase-I HR jump at the start of walking overshoots the warm-up's ramping
    target, and a controller obeying it would slow a patient who just started to a
    shuffle (jogging warm-ups dropped from 4.5 to about 2 km/h). While the HR is not
    above the zone, the controller's wanted speed is raised to ``floor_kmh`` (the
    warm-up start speed minus ``EngineConfig.warmup_max_slowdown_kmh``: enough
    excursion for the gain identification, no more). The floor never raises the speed
    above the current operating speed. Above the zone's upper edge, and for every safety
    rule, the controller and the supervisor act as everywhere else.

    Used by the engine (the benchmark drives the engine, so it applies the same rule).
    """
    if hr_bpm is None or hr_bpm > zone_high_bpm:
        return wanted_speed_kmh
    return max(wanted_speed_kmh, min(floor_kmh, operating_speed_kmh))


def envelope_limits(
    lim: ActuatorLimits,
    profile: PatientProfile,
    capabilities: TreadmillCapabilities,
    prescription: Prescription,
    config: EngineConfig,
) -> EnvelopeLimits:
    """The safety envelope's limits for a session with these actuator limits."""
    sup = config.supervisor
    incline_high = max(
        lim.max_incline_pct,
        min(profile.limits.max_incline_pct, capabilities.max_incline_pct),
    )
    safe = min(max(sup.safe_walk_speed_kmh, lim.min_speed_kmh), lim.max_speed_kmh)
    return EnvelopeLimits(
        min_speed_kmh=lim.min_speed_kmh,
        max_speed_kmh=lim.max_speed_kmh,
        speed_step_kmh=lim.speed_step_kmh,
        min_incline_pct=lim.min_incline_pct,
        max_incline_pct=max(incline_high, lim.min_incline_pct),
        incline_step_pct=lim.incline_step_pct,
        safe_walk_speed_kmh=snap(safe, lim.min_speed_kmh, lim.max_speed_kmh, lim.speed_step_kmh),
        ceiling_bpm=prescription.ceiling_bpm,
        ceiling_hysteresis_bpm=sup.ceiling_hysteresis_bpm,
        min_valid_bpm=sup.min_valid_bpm,
        max_valid_bpm=sup.max_valid_bpm,
        hr_stale_after_s=sup.stale_after_s,
        hr_lost_after_s=sup.hr_lost_ramp_after_s,
        ramp_down_kmh_per_s=sup.ramp_down_kmh_per_s,
        incline_ramp_pct_per_s=config.incline_ramp_pct_per_s,
        max_increase_kmh=max(config.max_speed_step_kmh, lim.speed_step_kmh) + 0.2,
        max_increase_pct=max(config.max_incline_step_pct, lim.incline_step_pct) + 0.5,
    )


class LegalRange:
    """A session's value grid: speeds and inclines the patient and the device allow.

    A manual incline may use the device's and the patient's range even when the incline
    is not a control actuator.
    """

    def __init__(
        self,
        limits: ActuatorLimits,
        profile: PatientProfile,
        capabilities: TreadmillCapabilities,
    ) -> None:
        self._limits = limits
        self._incline_high_pct = limits.max_incline_pct
        if not limits.use_incline:
            self._incline_high_pct = max(
                min(profile.limits.max_incline_pct, capabilities.max_incline_pct),
                limits.min_incline_pct,
            )

    def speed(self, speed_kmh: float) -> float:
        """``speed_kmh`` on the device's grid inside the patient's range."""
        lim = self._limits
        return snap(speed_kmh, lim.min_speed_kmh, lim.max_speed_kmh, lim.speed_step_kmh)

    def incline(self, incline_pct: float) -> float:
        """``incline_pct`` on the device's grid inside the allowed range."""
        lim = self._limits
        return snap(incline_pct, lim.min_incline_pct, self._incline_high_pct, lim.incline_step_pct)
