"""Belt physics of a simulated treadmill: latency, acceleration limits, incline motor, distance.

Pure and synchronous: commands are stamped with the time they were given and take
effect ``latency_s`` later; :meth:`BeltPhysics.advance` integrates the belt exactly
(piecewise-linear speed, so the distance is exact too) up to a given time. Ranges and
increments come from :class:`~runningroom.devices.TreadmillCapabilities`; every target
is clamped and quantised to them.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from enum import StrEnum

from runningroom.devices import TreadmillCapabilities

#: Capabilities of the simulated treadmill (a typical rehab treadmill).
SIM_CAPABILITIES = TreadmillCapabilities(
    min_speed_kmh=0.5,
    max_speed_kmh=16.0,
    speed_increment_kmh=0.1,
    min_incline_pct=0.0,
    max_incline_pct=15.0,
    incline_increment_pct=0.5,
    can_control_speed=True,
    can_control_incline=True,
    reports_hr=False,
    model="RunningRoom simulated treadmill",
)


@dataclass(frozen=True, slots=True)
class BeltConfig:
    """Physical parameters of the simulated belt.

    Attributes:
        capabilities: ranges and increments.
        latency_s: delay between a command and the belt starting to respond.
        accel_kmh_per_s: acceleration limit (0.1-0.5 km/h/s on real machines).
        decel_kmh_per_s: deceleration limit for normal commands and stop.
        emergency_decel_kmh_per_s: deceleration when the safety key is pulled.
        incline_rate_pct_per_s: incline motor speed (0.1-0.3 %/s).
    """

    capabilities: TreadmillCapabilities = field(default_factory=lambda: SIM_CAPABILITIES)
    latency_s: float = 1.0
    accel_kmh_per_s: float = 0.3
    decel_kmh_per_s: float = 0.5
    emergency_decel_kmh_per_s: float = 3.0
    incline_rate_pct_per_s: float = 0.2


class _Action(StrEnum):
    SPEED = "speed"
    INCLINE = "incline"
    START = "start"
    STOP = "stop"


class BeltPhysics:
    """State and exact integration of the belt and the incline motor.

    Args:
        config: physical parameters.
        now_s: time origin.
    """

    def __init__(self, config: BeltConfig | None = None, now_s: float = 0.0) -> None:
        self.config = config or BeltConfig()
        self.now_s = now_s
        self.speed_kmh = 0.0
        self.incline_pct = self.config.capabilities.min_incline_pct
        self.target_speed_kmh = 0.0
        self.target_incline_pct = self.incline_pct
        self.distance_m = 0.0
        self.running = False
        self._emergency = False
        self._pending: list[tuple[float, int, _Action, float]] = []
        self._seq = itertools.count()

    # -- commands -----------------------------------------------------------------------

    def _schedule(self, at_s: float, action: _Action, value: float = 0.0) -> None:
        heapq.heappush(self._pending, (at_s, next(self._seq), action, value))

    def command_speed(self, now_s: float, speed_kmh: float, *, immediate: bool = False) -> float:
        """Set a target speed (clamped and quantised); returns the value used.

        Takes effect after the latency unless ``immediate`` (console keys). Starts the
        belt if it is stopped.
        """
        value = self.config.capabilities.quantise_speed_kmh(speed_kmh)
        self._schedule(now_s if immediate else now_s + self.config.latency_s, _Action.SPEED, value)
        return value

    def command_incline(
        self, now_s: float, incline_pct: float, *, immediate: bool = False
    ) -> float:
        """Set a target incline (clamped and quantised); returns the value used."""
        value = self.config.capabilities.quantise_incline_pct(incline_pct)
        self._schedule(
            now_s if immediate else now_s + self.config.latency_s, _Action.INCLINE, value
        )
        return value

    def start(self, now_s: float, *, immediate: bool = False) -> None:
        """Start the belt at the minimum speed (or resume the last target)."""
        self._schedule(now_s if immediate else now_s + self.config.latency_s, _Action.START)

    def stop(self, now_s: float, *, emergency: bool = False) -> None:
        """Stop the belt; ``emergency`` (safety key) acts at once with a hard deceleration."""
        if emergency:
            self.advance(now_s)
            self._pending.clear()
            self._emergency = True
            self.running = False
            self.target_speed_kmh = 0.0
            return
        self._schedule(now_s + self.config.latency_s, _Action.STOP)

    def _apply(self, action: _Action, value: float) -> None:
        caps = self.config.capabilities
        if action is _Action.SPEED:
            self.running = True
            self._emergency = False
            self.target_speed_kmh = value
        elif action is _Action.INCLINE:
            self.target_incline_pct = value
        elif action is _Action.START:
            self.running = True
            self._emergency = False
            if self.target_speed_kmh <= 0.0:
                self.target_speed_kmh = caps.min_speed_kmh
        else:
            self.running = False
            self.target_speed_kmh = 0.0

    # -- integration --------------------------------------------------------------------

    def advance(self, now_s: float) -> None:
        """Integrate up to ``now_s``, applying due commands at their exact times."""
        if now_s < self.now_s:
            return
        while self._pending and self._pending[0][0] <= now_s:
            at_s, _, action, value = heapq.heappop(self._pending)
            self._integrate(max(at_s, self.now_s))
            self._apply(action, value)
        self._integrate(now_s)

    def _integrate(self, until_s: float) -> None:
        dt_s = until_s - self.now_s
        if dt_s <= 0:
            return
        cfg = self.config
        v0 = self.speed_kmh
        target = self.target_speed_kmh
        if target >= v0:
            rate = cfg.accel_kmh_per_s
        elif self._emergency:
            rate = cfg.emergency_decel_kmh_per_s
        else:
            rate = cfg.decel_kmh_per_s
        t_reach_s = abs(target - v0) / rate if rate > 0 else 0.0
        if t_reach_s >= dt_s:
            v1 = v0 + (dt_s * rate if target >= v0 else -dt_s * rate)
            distance_kmh_s = (v0 + v1) / 2.0 * dt_s
        else:
            v1 = target
            distance_kmh_s = (v0 + v1) / 2.0 * t_reach_s + v1 * (dt_s - t_reach_s)
        self.speed_kmh = v1
        self.distance_m += distance_kmh_s / 3.6
        g0 = self.incline_pct
        step = cfg.incline_rate_pct_per_s * dt_s
        gt = self.target_incline_pct
        self.incline_pct = min(g0 + step, gt) if gt >= g0 else max(g0 - step, gt)
        if self._emergency and self.speed_kmh <= 0.0:
            self._emergency = False
        self.now_s = until_s

    @property
    def stopped(self) -> bool:
        """True when the belt stands still and is not commanded to run."""
        return not self.running and self.speed_kmh <= 0.0

    @property
    def pending_commands(self) -> int:
        """Commands given but not yet in effect (latency)."""
        return len(self._pending)
