"""Benchmark baselines: the fixed-step timer loop and a fixed speed.

* :class:`FixedStepController` ("fixed-step") is what existing apps do (qdomyos-zwift's
  HR-zone mode): every ``period_s`` seconds, if HR is outside the zone, change speed by
  ``step_kmh`` towards it. No model, no integral, no anti-windup.
* :class:`FixedSpeedController` ("fixed-speed") is what a therapist does by hand: ramp to a
  speed chosen from the profile during the warm-up, then keep it constant.

Both go through the same :class:`~runningroom.control.actuation.Actuator` as the model
controller, so ranges, increments and the 0.3 km/h step limit are identical.
"""

from __future__ import annotations

import math

from runningroom.control.actuation import Actuator, ActuatorRules
from runningroom.control.base import ActuatorLimits, ControlInput, ControlOutput, PlantEstimate
from runningroom.session.model import Intent

_BASELINE_RULES = ActuatorRules(
    max_step_up_kmh=0.3,
    max_step_down_kmh=0.3,
    min_interval_up_s=0.0,
    min_interval_down_s=0.0,
    hysteresis_steps=0.5,
)


class FixedStepController:
    """+/- ``step_kmh`` every ``period_s`` while HR is outside the zone.

    Args:
        step_kmh: speed change per period (qdomyos-zwift: 0.2 km/h).
        period_s: loop period (qdomyos-zwift ``loopTimeHR``: 10 s).
        half_band_bpm: zone half-width used when the input carries no zone edges.
    """

    def __init__(
        self, step_kmh: float = 0.2, period_s: float = 10.0, half_band_bpm: float = 5.0
    ) -> None:
        self.name = "fixed-step"
        self.step_kmh = step_kmh
        self.period_s = period_s
        self.half_band_bpm = half_band_bpm
        self._actuator = Actuator(ActuatorLimits(0.5, 16.0), _BASELINE_RULES)
        self._next_s = -math.inf

    def reset(
        self, now_s: float, speed_kmh: float, incline_pct: float, limits: ActuatorLimits
    ) -> None:
        """Start from the given operating point."""
        self._actuator = Actuator(limits, _BASELINE_RULES)
        self._next_s = now_s + self.period_s

    def reseed(self, now_s: float, speed_kmh: float, incline_pct: float) -> None:
        """Restart the timer at the new operating point."""
        self._next_s = now_s + self.period_s

    def plant_estimate(self) -> PlantEstimate | None:
        """This controller has no model."""
        return None

    def update(self, inp: ControlInput) -> ControlOutput:
        """Step speed once per period when HR is outside the zone."""
        hr = inp.hr_bpm
        if hr is None:
            return ControlOutput(inp.speed_kmh, inp.incline_pct, Intent.NONE)
        low = (
            inp.zone_low_bpm
            if inp.zone_low_bpm is not None
            else inp.target_bpm - self.half_band_bpm
        )
        high = (
            inp.zone_high_bpm
            if inp.zone_high_bpm is not None
            else inp.target_bpm + self.half_band_bpm
        )
        if inp.identify:  # warm-up: the "zone" is the ramping target
            low, high = inp.target_bpm - self.half_band_bpm, inp.target_bpm + self.half_band_bpm
        intent = Intent.HOLD
        if hr < low:
            intent = Intent.FASTER
        elif hr > high:
            intent = Intent.SLOWER
        if inp.now_s < self._next_s or intent is Intent.HOLD:
            return ControlOutput(inp.speed_kmh, inp.incline_pct, intent)
        self._next_s = inp.now_s + self.period_s
        delta = self.step_kmh if intent is Intent.FASTER else -self.step_kmh
        speed = self._actuator.speed(
            inp.now_s, inp.speed_kmh, inp.speed_kmh + delta, inp.allow_increase
        )
        return ControlOutput(speed, inp.incline_pct, intent)


class FixedSpeedController:
    """Ramp to a chosen speed during the warm-up, then hold it.

    Args:
        speed_kmh: the speed the therapist chose; None keeps the speed at reset.
        ramp_s: the warm-up ramp duration from the reset speed to ``speed_kmh``.
    """

    def __init__(self, speed_kmh: float | None = None, ramp_s: float = 300.0) -> None:
        self.name = "fixed-speed"
        self.speed_kmh = speed_kmh
        self.ramp_s = ramp_s
        self._actuator = Actuator(ActuatorLimits(0.5, 16.0), _BASELINE_RULES)
        self._start_s = 0.0
        self._start_kmh = 0.0

    def reset(
        self, now_s: float, speed_kmh: float, incline_pct: float, limits: ActuatorLimits
    ) -> None:
        """Start the ramp from the given operating point."""
        self._actuator = Actuator(limits, _BASELINE_RULES)
        self._start_s = now_s
        self._start_kmh = speed_kmh
        if self.speed_kmh is None:
            self.speed_kmh = speed_kmh

    def reseed(self, now_s: float, speed_kmh: float, incline_pct: float) -> None:
        """A manual speed becomes the new fixed speed (the therapist decided)."""
        self.speed_kmh = speed_kmh
        self._start_s = now_s - self.ramp_s
        self._start_kmh = speed_kmh

    def plant_estimate(self) -> PlantEstimate | None:
        """This controller has no model."""
        return None

    def update(self, inp: ControlInput) -> ControlOutput:
        """Follow the ramp, then hold; ignores HR (the supervisor still guards it)."""
        goal = self.speed_kmh if self.speed_kmh is not None else inp.speed_kmh
        frac = (
            min(1.0, max(0.0, (inp.now_s - self._start_s) / self.ramp_s))
            if self.ramp_s > 0
            else 1.0
        )
        wanted = self._start_kmh + frac * (goal - self._start_kmh)
        speed = self._actuator.speed(inp.now_s, inp.speed_kmh, wanted, inp.allow_increase)
        return ControlOutput(speed, inp.incline_pct, Intent.HOLD)
