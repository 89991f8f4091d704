"""One control step: from the HR reading, the phase and the limits to a proposed point.

Contract of :meth:`ControlStep.propose` (one call per exercise tick, after the safety
rules acted on the operating point it is given):

1. **HR-lost ramp.** While the ramp is on (:meth:`ControlStep.start_hr_lost_ramp`), the
   speed falls at the supervisor's ramp rate and the incline at the incline ramp rate
   (per second of ``dt_s``), to the safe walking speed and the minimum incline; then the
   ramp ends by itself. A ramping step counts as a safety action.
2. **Cool-down.** A linear ramp from the anchor point (:meth:`ControlStep.anchor_cooldown`)
   to the cool-down's end speed and the minimum incline over ``cooldown_ramp_fraction``
   of the phase; it never raises the point.
3. **Otherwise** the controller acts when no safety rule acted, it is neither held nor
   suspended, the supervisor does not hold, and the HR is fresh. Its output is limited
   (finite, per-step rate limits, ranges and increments, no increase unless allowed); an
   axis in manual keeps its value; in the warm-up the warm-up floor applies. A controller
   that raises is reported in :attr:`StepOutput.controller_error`, the point unchanged.

The step sends nothing: the engine applies the proposal, and every command still passes
the safety envelope last.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from runningroom.control.base import ActuatorLimits, ControlInput, Controller
from runningroom.model import PhaseSpec
from runningroom.session.engine_config import LegalRange, warmup_speed_floor_kmh
from runningroom.session.model import Intent, SessionState

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StepInput:
    """What one control step is given.

    Attributes:
        now_s: the tick's time.
        phase: the exercise phase.
        elapsed_s: active time in the phase.
        dt_s: time since the last exercise tick (bounded).
        hr_bpm: the filtered HR when trusted, else None.
        hr_fresh: the HR in use is recent enough to act on.
        target_bpm: the control target.
        speed_kmh: the operating speed after the safety rules.
        incline_pct: the operating incline after the safety rules.
        commanded_speed_kmh: the speed last commanded.
        commanded_incline_pct: the incline last commanded.
        allow_increase: the supervisor and the HR gate allow an increase.
        safety_acted: a safety rule already set the point this tick.
        intent: the intent so far (set by a safety rule).
        held: the therapist holds the controller.
        suspended: the controller is suspended.
        supervisor_hold: the supervisor holds the speed.
        manual_speed: the therapist set the speed by hand.
        manual_incline: the therapist set the incline by hand.
    """

    now_s: float
    phase: SessionState
    elapsed_s: float
    dt_s: float
    hr_bpm: float | None
    hr_fresh: bool
    target_bpm: float
    speed_kmh: float
    incline_pct: float
    commanded_speed_kmh: float
    commanded_incline_pct: float
    allow_increase: bool
    safety_acted: bool
    intent: Intent
    held: bool
    suspended: bool
    supervisor_hold: bool
    manual_speed: bool
    manual_incline: bool


@dataclass(frozen=True, slots=True)
class StepOutput:
    """The proposed point, its intent, and a controller failure if there was one."""

    speed_kmh: float
    incline_pct: float
    intent: Intent
    controller_error: Exception | None = None


class ControlStep:
    """The controller between the safety rules and the envelope, with its ramps.

    Args:
        controller: any controller.
        limits: the session's actuator limits.
        legal: the session's value grid.
        cooldown: the cool-down's plan.
        zone_low_bpm, zone_high_bpm: the prescribed zone.
        safe_walk_speed_kmh: where the HR-lost ramp ends.
        ramp_down_kmh_per_s: the HR-lost ramp's speed rate.
        incline_ramp_pct_per_s: the incline rate of both ramps.
        cooldown_ramp_fraction: the cool-down ramp ends after this fraction of the phase.
        warmup_floor_kmh: the warm-up floor (see :func:`warmup_speed_floor_kmh`).
    """

    def __init__(
        self,
        *,
        controller: Controller,
        limits: ActuatorLimits,
        legal: LegalRange,
        cooldown: PhaseSpec,
        zone_low_bpm: float,
        zone_high_bpm: float,
        safe_walk_speed_kmh: float,
        ramp_down_kmh_per_s: float,
        incline_ramp_pct_per_s: float,
        cooldown_ramp_fraction: float,
        warmup_floor_kmh: float,
    ) -> None:
        self._controller = controller
        self._limits = limits
        self._legal = legal
        self._cooldown = cooldown
        self._zone_low_bpm = zone_low_bpm
        self._zone_high_bpm = zone_high_bpm
        self._safe_kmh = safe_walk_speed_kmh
        self._ramp_kmh_per_s = ramp_down_kmh_per_s
        self._incline_ramp_pct_per_s = incline_ramp_pct_per_s
        self._cooldown_ramp_fraction = cooldown_ramp_fraction
        self._warmup_floor_kmh = warmup_floor_kmh
        self._ramp: float | None = None  # HR-lost ramp speed while the ramp is on
        self._anchor = (0.0, 0.0, 0.0)  # cool-down start: speed, incline, elapsed

    @property
    def safe_walk_speed_kmh(self) -> float:
        """Where the HR-lost ramp ends."""
        return self._safe_kmh

    @property
    def hr_lost_ramp_active(self) -> bool:
        """True while the HR-lost ramp is on."""
        return self._ramp is not None

    def start_hr_lost_ramp(self, speed_kmh: float) -> None:
        """Start the HR-lost ramp from ``speed_kmh``."""
        self._ramp = speed_kmh

    def end_hr_lost_ramp(self) -> None:
        """End the HR-lost ramp."""
        self._ramp = None

    def anchor_cooldown(self, speed_kmh: float, incline_pct: float, elapsed_s: float) -> None:
        """The cool-down ramp starts from this point, ``elapsed_s`` into the phase."""
        self._anchor = (speed_kmh, incline_pct, elapsed_s)

    def propose(self, inp: StepInput) -> StepOutput:
        """One step; see the module docstring."""
        speed, incline = inp.speed_kmh, inp.incline_pct
        safety_acted, intent = inp.safety_acted, inp.intent
        min_incline = self._limits.min_incline_pct
        if self._ramp is not None:
            ramp = max(self._safe_kmh, min(self._ramp, speed) - self._ramp_kmh_per_s * inp.dt_s)
            self._ramp = ramp
            speed = min(speed, self._legal.speed(ramp))
            incline = max(min_incline, incline - self._incline_ramp_pct_per_s * inp.dt_s)
            incline = self._legal.incline(incline)
            safety_acted = True
            intent = Intent.SLOWER
            if speed <= self._safe_kmh + 1e-9 and incline <= min_incline + 1e-9:
                self._ramp = None
        if inp.phase is SessionState.COOLDOWN:
            a_speed, a_incline, a_elapsed = self._anchor
            spec = self._cooldown
            ramp_s = max(spec.duration_s * self._cooldown_ramp_fraction - a_elapsed, 1.0)
            frac = min(max(inp.elapsed_s - a_elapsed, 0.0) / ramp_s, 1.0)
            end_speed = max(spec.end_speed_kmh, self._limits.min_speed_kmh)
            want_speed = a_speed + (end_speed - a_speed) * frac
            want_incline = a_incline + (min_incline - a_incline) * frac
            speed = min(speed, self._legal.speed(want_speed))
            incline = min(incline, self._legal.incline(want_incline))
            ramping_down = frac < 1.0 and end_speed < inp.commanded_speed_kmh - 1e-9
            if speed < inp.commanded_speed_kmh or ramping_down:
                intent = Intent.SLOWER  # the whole ramp, not only the ticks that step down
        elif (
            not safety_acted
            and not inp.held
            and not inp.suspended
            and not inp.supervisor_hold
            and inp.hr_fresh
        ):
            return self._controller_step(inp, speed, incline)
        elif inp.held:
            intent = Intent.HOLD
        return StepOutput(speed, incline, intent)

    def _controller_step(self, inp: StepInput, speed: float, incline: float) -> StepOutput:
        ctl_in = ControlInput(
            now_s=inp.now_s,
            hr_bpm=inp.hr_bpm,
            target_bpm=inp.target_bpm,
            speed_kmh=speed,
            incline_pct=incline,
            allow_increase=inp.allow_increase,
            identify=inp.phase is SessionState.WARMUP,
            zone_low_bpm=self._zone_low_bpm,
            zone_high_bpm=self._zone_high_bpm,
        )
        try:
            out = self._controller.update(ctl_in)
        except Exception as exc:  # a controller bug must not take the session down
            logger.exception("controller.update failed")
            return StepOutput(speed, incline, inp.intent, controller_error=exc)
        operating_speed = speed
        speed, incline = self.limit_output(
            out.speed_kmh, out.incline_pct, speed, incline, inp.allow_increase
        )
        if inp.manual_speed:  # manual until handed back
            speed = operating_speed
        if inp.manual_incline:
            incline = inp.commanded_incline_pct
        intent = out.intent
        if inp.phase is SessionState.WARMUP:
            floored = warmup_speed_floor_kmh(
                speed,
                operating_speed,
                floor_kmh=self._warmup_floor_kmh,
                hr_bpm=inp.hr_bpm,
                zone_high_bpm=self._zone_high_bpm,
            )
            if floored > speed:
                speed, intent = floored, Intent.HOLD
        return StepOutput(speed, incline, intent)

    def limit_output(
        self,
        want_speed: float,
        want_incline: float,
        speed: float,
        incline: float,
        allow_increase: bool,
    ) -> tuple[float, float]:
        """Defence in depth: rate limits, ranges, increments, no increase if forbidden."""
        lim = self._limits
        if not math.isfinite(want_speed):
            want_speed = speed
        if not math.isfinite(want_incline):
            want_incline = incline
        if not lim.use_speed:
            want_speed = speed
        if not lim.use_incline:
            want_incline = incline
        step = lim.max_speed_step_kmh
        new_speed = min(max(want_speed, speed - step), speed + step)
        new_speed = self._legal.speed(new_speed)
        if abs(new_speed - speed) > step + 1e-9:  # quantisation pushed it over
            new_speed = self._legal.speed(
                new_speed - math.copysign(lim.speed_step_kmh, new_speed - speed)
            )
        istep = lim.max_incline_step_pct
        new_incline = min(max(want_incline, incline - istep), incline + istep)
        new_incline = self._legal.incline(new_incline)
        if not allow_increase:
            new_speed = min(new_speed, speed)
            new_incline = min(new_incline, incline)
        return new_speed, new_incline
