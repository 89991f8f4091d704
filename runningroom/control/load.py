"""Effective belt load: speed and incline folded into one input for the HR model.

Heart rate follows oxygen uptake, and the ACSM metabolic equations give the oxygen cost
of walking and running on a treadmill (physiology-and-control.md, section (b)):

    walking  VO2 = 3.5 + 0.1 S + 1.8 S G
    running  VO2 = 3.5 + 0.2 S + 0.9 S G      (above the walk-run speed)

with S in m/min and G the grade fraction. :class:`MetabolicLoad` expresses the net cost
in *walking-km/h equivalents* (level walking at v km/h has load v), continuous at the
walk-run speed, where the cost per km/h doubles. With this input the HR gain is nearly
the same at every operating point, so a gain identified while walking in the warm-up
still holds when the patient jogs in the main phase, and incline and speed share one
model. :class:`LinearLoad` is the plain alternative (speed + ratio x incline).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

_KMH_TO_M_MIN = 1000.0 / 60.0
_WALK_COST_PER_KMH = 0.1 * _KMH_TO_M_MIN  # ml/kg/min per km/h, level walking


class LoadModel(Protocol):
    """Maps (speed, incline) to one scalar load and back."""

    def load(self, speed_kmh: float, incline_pct: float) -> float:
        """Load of an operating point."""
        ...

    def speed_for(self, load: float, incline_pct: float) -> float:
        """Speed giving ``load`` at ``incline_pct`` (may lie outside any range)."""
        ...

    def incline_for(self, load: float, speed_kmh: float) -> float:
        """Incline giving ``load`` at ``speed_kmh`` (may be negative)."""
        ...

    def incline_gain(self, speed_kmh: float, incline_pct: float) -> float:
        """Load units per percent of grade at an operating point."""
        ...


@dataclass(frozen=True, slots=True)
class MetabolicLoad:
    """ACSM walking/running cost in walking-km/h equivalents.

    Attributes:
        walk_run_kmh: speed above which the running equation applies.
    """

    walk_run_kmh: float = 7.0

    def _net(self, speed_kmh: float, incline_pct: float) -> float:
        s = max(speed_kmh, 0.0) * _KMH_TO_M_MIN
        g = max(incline_pct, 0.0) / 100.0
        s_wr = self.walk_run_kmh * _KMH_TO_M_MIN
        if s < s_wr:
            return s * (0.1 + 1.8 * g)
        return s_wr * (0.1 + 1.8 * g) + (s - s_wr) * (0.2 + 0.9 * g)

    def load(self, speed_kmh: float, incline_pct: float) -> float:
        """Net oxygen cost divided by the cost of 1 km/h of level walking."""
        return self._net(speed_kmh, incline_pct) / _WALK_COST_PER_KMH

    def speed_for(self, load: float, incline_pct: float) -> float:
        """Inverse of :meth:`load` in the speed."""
        net = load * _WALK_COST_PER_KMH
        g = max(incline_pct, 0.0) / 100.0
        s_wr = self.walk_run_kmh * _KMH_TO_M_MIN
        net_wr = s_wr * (0.1 + 1.8 * g)
        if net < net_wr:
            return net / (0.1 + 1.8 * g) / _KMH_TO_M_MIN
        return (s_wr + (net - net_wr) / (0.2 + 0.9 * g)) / _KMH_TO_M_MIN

    def incline_for(self, load: float, speed_kmh: float) -> float:
        """Inverse of :meth:`load` in the incline (percent)."""
        net = load * _WALK_COST_PER_KMH
        s = max(speed_kmh, 0.1) * _KMH_TO_M_MIN
        s_wr = self.walk_run_kmh * _KMH_TO_M_MIN
        if s < s_wr:
            g = (net - 0.1 * s) / (1.8 * s)
        else:
            level = 0.1 * s_wr + 0.2 * (s - s_wr)
            g = (net - level) / (1.8 * s_wr + 0.9 * (s - s_wr))
        return 100.0 * g

    def incline_gain(self, speed_kmh: float, incline_pct: float) -> float:
        """Load units per percent of grade at ``speed_kmh``."""
        return (
            self.load(speed_kmh, incline_pct + 0.5) * 2.0 - self.load(speed_kmh, incline_pct) * 2.0
        )


@dataclass(frozen=True, slots=True)
class LinearLoad:
    """``load = speed + ratio x incline`` (ratio in km/h per percent)."""

    ratio_kmh_per_pct: float = 0.9

    def load(self, speed_kmh: float, incline_pct: float) -> float:
        """Speed plus the speed-equivalent of the incline."""
        return speed_kmh + incline_pct * self.ratio_kmh_per_pct

    def speed_for(self, load: float, incline_pct: float) -> float:
        """Inverse of :meth:`load` in the speed."""
        return load - incline_pct * self.ratio_kmh_per_pct

    def incline_for(self, load: float, speed_kmh: float) -> float:
        """Inverse of :meth:`load` in the incline."""
        return (load - speed_kmh) / self.ratio_kmh_per_pct

    def incline_gain(self, speed_kmh: float, incline_pct: float) -> float:
        """The constant ratio."""
        return self.ratio_kmh_per_pct
