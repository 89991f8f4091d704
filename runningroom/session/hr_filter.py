"""Light HR smoothing for display, the ceiling rule and the controller.

The filter only sees samples the quality gate trusts. It removes single-sample
outliers with a median of the last three values and then applies a first-order
low-pass with time constant ``tau_s``. The lag it adds is small (about
``tau_s`` + 1 sample) compared with the 30-120 s HR response, so the controller is not
slowed down noticeably.
"""

from __future__ import annotations

import math
from collections import deque


class HrFilter:
    """Median-of-3 followed by an exponential low-pass.

    Args:
        tau_s: low-pass time constant in seconds (0 disables smoothing).
        reset_gap_s: a gap longer than this between samples restarts the filter.
    """

    def __init__(self, tau_s: float = 2.0, reset_gap_s: float = 10.0) -> None:
        self.tau_s = tau_s
        self.reset_gap_s = reset_gap_s
        self._window: deque[float] = deque(maxlen=3)
        self._value_bpm: float | None = None
        self._last_t_s: float | None = None

    @property
    def value_bpm(self) -> float | None:
        """The filtered HR, or None before the first sample / after a reset."""
        return self._value_bpm

    def reset(self) -> None:
        """Forget the history (new source, long gap)."""
        self._window.clear()
        self._value_bpm = None
        self._last_t_s = None

    def add(self, t_s: float, hr_bpm: float) -> float:
        """Feed one trusted sample taken at ``t_s`` and return the filtered value."""
        if self._last_t_s is not None and t_s - self._last_t_s > self.reset_gap_s:
            self.reset()
        self._window.append(float(hr_bpm))
        median = sorted(self._window)[len(self._window) // 2]
        if len(self._window) == 2:
            median = sum(self._window) / 2.0
        if self._value_bpm is None or self._last_t_s is None or self.tau_s <= 0:
            self._value_bpm = median
        else:
            dt_s = max(t_s - self._last_t_s, 0.0)
            alpha = 1.0 - math.exp(-dt_s / self.tau_s)
            self._value_bpm += alpha * (median - self._value_bpm)
        self._last_t_s = t_s
        return self._value_bpm
