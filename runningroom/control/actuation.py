"""Actuator helpers shared by every controller: grid, rate limit, hysteresis, incline.

All controllers route their wish through :class:`Actuator` so that the contract of
:mod:`runningroom.control.base` (ranges, increments, at most ``max_speed_step_kmh`` per
command, no increase when forbidden, a minimum interval between commands) holds for the
baselines exactly as for the model controller. The benchmark therefore compares control
laws, not actuator rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from runningroom.control.base import ActuatorLimits

_EPS = 1e-9


def snap(value: float, low: float, high: float, step: float) -> float:
    """Clamp ``value`` into ``[low, high]`` and round it to the grid ``low + k * step``.

    Args:
        value: the wanted value.
        low: lowest allowed value (the grid origin).
        high: highest allowed value.
        step: grid increment; ``<= 0`` means a continuous range.

    Returns:
        The nearest grid value inside the range, rounded to 6 decimals.
    """
    if math.isnan(value):
        raise ValueError("cannot snap NaN")
    if high < low:
        high = low
    clamped = min(max(value, low), high)
    if step <= 0:
        return round(clamped, 6)
    k = round((clamped - low) / step)
    result = low + k * step
    if result > high + _EPS:
        result -= step
    return round(result, 6)


def snap_toward(value: float, current: float, low: float, high: float, step: float) -> float:
    """Grid value nearest to ``value`` that does not overshoot it as seen from ``current``.

    Used after a rate limit: rounding a limited move must never exceed the limit.
    """
    if step <= 0:
        return snap(value, low, high, step)
    clamped = min(max(value, low), max(high, low))
    k = (clamped - low) / step
    k_int = math.floor(k + _EPS) if value >= current else math.ceil(k - _EPS)
    result = low + k_int * step
    if result > high + _EPS:
        result -= step
    if result < low - _EPS:
        result = low
    return round(result, 6)


def walking_incline_equivalent_kmh_per_pct(speed_kmh: float) -> float:
    """Speed change (km/h) with the same metabolic cost as 1 % of grade (ACSM equations).

    Walking: VO2 = 3.5 + 0.1 S + 1.8 S G, so 1 % grade ~ 0.18 x speed (km/h);
    running (>= 7 km/h): VO2 = 3.5 + 0.2 S + 0.9 S G, so 1 % ~ 0.045 x speed.

    Args:
        speed_kmh: the belt speed at which the equivalence is taken.

    Returns:
        km/h per percent of grade, at least 0.2.
    """
    factor = 0.18 if speed_kmh < 7.0 else 0.045
    return max(0.2, factor * max(speed_kmh, 1.0))


@dataclass(frozen=True, slots=True)
class ActuatorRules:
    """Timing and step rules applied on top of the hard limits.

    Attributes:
        max_step_up_kmh: largest speed increase per command (capped by the limits).
        max_step_down_kmh: largest speed decrease per command (capped by the limits).
        min_interval_up_s: minimum time between two speed increases.
        min_interval_down_s: minimum time between two speed decreases.
        hysteresis_steps: a speed change is issued only when the wish differs from the
            current command by at least this many increments (0.5 = plain rounding).
        max_incline_step_up_pct: largest incline increase per command.
        max_incline_step_down_pct: largest incline decrease per command.
        min_incline_interval_s: minimum time between two incline changes.
        incline_hysteresis_steps: like ``hysteresis_steps`` for the incline.
        min_incline_reversal_s: an incline change opposite to the previous one waits
            this long after it (dwell time: no toggling between two increments while
            the HR wanders around a target that lies between them)...
        incline_reversal_override_steps: ...unless the wish lies at least this many
            increments away (a large error is corrected at once).
        min_incline_interval_up_s: minimum time between two incline increases (None:
            ``min_incline_interval_s``); the HR takes minutes to show an incline step.
        min_incline_after_speed_s: the incline rises only once the speed has been
            unchanged this long (hand-over from speed to incline at the speed cap).
    """

    max_step_up_kmh: float = 0.2
    max_step_down_kmh: float = 0.3
    min_interval_up_s: float = 6.0
    min_interval_down_s: float = 4.0
    hysteresis_steps: float = 0.7
    max_incline_step_up_pct: float = 0.5
    max_incline_step_down_pct: float = 1.0
    min_incline_interval_s: float = 10.0
    incline_hysteresis_steps: float = 0.7
    min_incline_reversal_s: float = 0.0
    incline_reversal_override_steps: float = 2.0
    min_incline_interval_up_s: float | None = None
    min_incline_after_speed_s: float = 0.0


class Actuator:
    """Turns a continuous wish (speed, incline) into a legal, smooth command.

    The actuator remembers when it last changed speed and incline. It never returns a
    value outside the limits or off the grid, never moves speed by more than the step
    limits in one call, and never increases anything when increases are forbidden.
    """

    def __init__(self, limits: ActuatorLimits, rules: ActuatorRules | None = None) -> None:
        self.limits = limits
        self.rules = rules or ActuatorRules()
        self._last_speed_change_s = -math.inf
        self._last_incline_change_s = -math.inf
        self._last_incline_direction = 0

    @property
    def last_incline_direction(self) -> int:
        """+1 or -1 for the direction of the last incline change, 0 before any."""
        return self._last_incline_direction

    def hold(self, now_s: float) -> None:
        """Treat ``now_s`` as the time of the last change (e.g. after a re-seed)."""
        self._last_speed_change_s = now_s
        self._last_incline_change_s = now_s

    def legal_speed(self, speed_kmh: float) -> float:
        """The grid speed nearest to ``speed_kmh`` inside the limits."""
        lim = self.limits
        return snap(speed_kmh, lim.min_speed_kmh, lim.max_speed_kmh, lim.speed_step_kmh)

    def legal_incline(self, incline_pct: float) -> float:
        """The grid incline nearest to ``incline_pct`` inside the limits."""
        lim = self.limits
        return snap(incline_pct, lim.min_incline_pct, lim.max_incline_pct, lim.incline_step_pct)

    def speed(
        self, now_s: float, current_kmh: float, wanted_kmh: float, allow_increase: bool = True
    ) -> float:
        """Next speed command on the way from ``current_kmh`` towards ``wanted_kmh``.

        Args:
            now_s: monotonic time.
            current_kmh: the current commanded speed (may be off-grid after a console change).
            wanted_kmh: the continuous wish.
            allow_increase: False forbids any increase.

        Returns:
            ``current_kmh`` (unchanged, when no move is due) or a legal grid speed.
        """
        lim, rules = self.limits, self.rules
        if not lim.use_speed:
            return current_kmh
        step = max(lim.speed_step_kmh, 0.0)
        low, high = lim.min_speed_kmh, lim.max_speed_kmh
        wanted = min(max(wanted_kmh, low), high)
        if not allow_increase:
            wanted = min(wanted, current_kmh)
        # hysteresis is judged on the unclamped wish, so a wish beyond a limit still
        # reaches the limit itself
        beyond = wanted_kmh if low <= current_kmh <= high else wanted
        if not allow_increase:
            beyond = min(beyond, current_kmh)
        # Out-of-range current value (limits changed, console): move back into range
        # within one step, ignoring timers.
        if current_kmh > high + _EPS or current_kmh < low - _EPS:
            target = min(max(current_kmh, low), high)
            if target < current_kmh:
                target = max(target, current_kmh - lim.max_speed_step_kmh)
            elif allow_increase:
                target = min(target, current_kmh + lim.max_speed_step_kmh)
            else:
                return current_kmh
            self._last_speed_change_s = now_s
            return snap_toward(target, current_kmh, low, high, step)
        delta = wanted - current_kmh
        threshold = rules.hysteresis_steps * step if step > 0 else 0.02
        if abs(beyond - current_kmh) < max(threshold - 1e-6, _EPS) or abs(delta) < _EPS:
            return current_kmh
        if delta > 0:
            if now_s - self._last_speed_change_s < rules.min_interval_up_s:
                return current_kmh
            move = min(delta, rules.max_step_up_kmh, lim.max_speed_step_kmh)
        else:
            if now_s - self._last_speed_change_s < rules.min_interval_down_s:
                return current_kmh
            move = max(delta, -rules.max_step_down_kmh, -lim.max_speed_step_kmh)
        new = snap(wanted, low, high, step)  # nearest grid point; hysteresis above
        if abs(move - delta) > _EPS or abs(new - current_kmh) > lim.max_speed_step_kmh + _EPS:
            new = snap_toward(current_kmh + move, current_kmh, low, high, step)
        if abs(new - current_kmh) < _EPS or abs(new - current_kmh) > lim.max_speed_step_kmh + _EPS:
            return current_kmh
        if not allow_increase and new > current_kmh:
            return current_kmh
        self._last_speed_change_s = now_s
        return new

    def incline(
        self, now_s: float, current_pct: float, wanted_pct: float, allow_increase: bool = True
    ) -> float:
        """Next incline command on the way from ``current_pct`` towards ``wanted_pct``.

        Same rules as :meth:`speed` with the incline limits.
        """
        lim, rules = self.limits, self.rules
        step = max(lim.incline_step_pct, 0.0)
        low, high = lim.min_incline_pct, lim.max_incline_pct
        wanted = min(max(wanted_pct, low), high)
        if not allow_increase:
            wanted = min(wanted, current_pct)
        beyond = wanted_pct if low <= current_pct <= high else wanted
        if not allow_increase:
            beyond = min(beyond, current_pct)
        if current_pct > high + _EPS:
            self._last_incline_change_s = now_s
            return snap_toward(
                max(high, current_pct - lim.max_incline_step_pct), current_pct, low, high, step
            )
        if current_pct < low - _EPS:
            if not allow_increase:
                return current_pct
            self._last_incline_change_s = now_s
            return snap(low, low, high, step)
        delta = wanted - current_pct
        threshold = rules.incline_hysteresis_steps * step if step > 0 else 0.05
        if abs(beyond - current_pct) < max(threshold - 1e-6, _EPS) or abs(delta) < _EPS:
            return current_pct
        if now_s - self._last_incline_change_s < rules.min_incline_interval_s:
            return current_pct
        direction = 1 if delta > 0 else -1
        if direction > 0:
            interval_up = rules.min_incline_interval_up_s
            if interval_up is not None and now_s - self._last_incline_change_s < interval_up:
                return current_pct
            if now_s - self._last_speed_change_s < rules.min_incline_after_speed_s:
                return current_pct
        if (
            direction == -self._last_incline_direction
            and now_s - self._last_incline_change_s < rules.min_incline_reversal_s
            and abs(beyond - current_pct) < rules.incline_reversal_override_steps * step - 1e-6
        ):
            return current_pct
        if delta > 0:
            move = min(delta, rules.max_incline_step_up_pct, lim.max_incline_step_pct)
        else:
            move = max(delta, -rules.max_incline_step_down_pct, -lim.max_incline_step_pct)
        new = snap(wanted, low, high, step)
        if abs(move - delta) > _EPS or abs(new - current_pct) > lim.max_incline_step_pct + _EPS:
            new = snap_toward(current_pct + move, current_pct, low, high, step)
        if (
            abs(new - current_pct) < _EPS
            or abs(new - current_pct) > lim.max_incline_step_pct + _EPS
        ):
            return current_pct
        if not allow_increase and new > current_pct:
            return current_pct
        self._last_incline_change_s = now_s
        self._last_incline_direction = 1 if new > current_pct else -1
        return new
