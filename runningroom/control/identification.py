"""First-order-plus-dead-time identification of the HR response to belt load.

The warm-up ramp is a known input. :func:`fit_fopdt` fits

    HR(t) = a + K * x(t - theta) + b * exp(-(t - t0 - theta) / tau),
    tau * dx/dt = u(t) - x(t),  x(t0) = u(t0)

by linear least squares for every (tau, theta) on a small grid and keeps the best one.
``u`` is the effective load in km/h (speed plus incline converted to km/h), ``K`` the
gain in bpm per km/h, and the ``b`` term absorbs the unknown initial state (a patient who
just stepped on the belt is far from steady state).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

DEFAULT_TAUS_S: tuple[float, ...] = (30.0, 45.0, 60.0, 80.0, 100.0, 130.0)
DEFAULT_DEAD_TIMES_S: tuple[float, ...] = (0.0, 5.0, 10.0, 15.0, 20.0)
#: Dead times searched by the warm-up fit: a physiological range on a 1 s grid.
SEARCH_DEAD_TIMES_S: tuple[float, ...] = tuple(float(s) for s in range(3, 21))
#: Likelihood-ratio threshold of the dead-time interval (chi-square, 1 dof, 95 %).
DEAD_TIME_INTERVAL_CHI2 = 3.84


@dataclass(frozen=True, slots=True)
class FopdtFit:
    """Result of :func:`fit_fopdt`.

    Attributes:
        gain_bpm_per_kmh: steady-state gain K.
        tau_s: time constant of the best fit.
        dead_time_s: dead time of the best fit.
        intercept_bpm: HR at zero load extrapolated by the linear model.
        rmse_bpm: residual RMS error of the best fit.
        input_range_kmh: max minus min of the input over the window (excitation).
        samples: number of samples used.
        initial_offset_kmh: fitted initial state minus the initial input, in km/h.
        dead_time_low_s: lowest dead time whose profile likelihood is within
            :data:`DEAD_TIME_INTERVAL_CHI2` of the best (approximate 95 % interval)...
        dead_time_high_s: ...and the highest.
        dead_time_grid_s: (lowest, highest) dead time searched.
    """

    gain_bpm_per_kmh: float
    tau_s: float
    dead_time_s: float
    intercept_bpm: float
    rmse_bpm: float
    input_range_kmh: float
    samples: int
    initial_offset_kmh: float
    dead_time_low_s: float = math.nan
    dead_time_high_s: float = math.nan
    dead_time_grid_s: tuple[float, float] = (math.nan, math.nan)

    def dead_time_identified(self, max_interval_s: float) -> bool:
        """True when the data pin the dead time down.

        False when the best dead time lies at either end of the searched grid (the
        optimum is outside it, or the criterion is flat) or when its interval is wider
        than ``max_interval_s``: the dead time is then unidentified and a caller should
        keep its prior.
        """
        low, high = self.dead_time_grid_s
        if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
            return False
        if self.dead_time_s <= low + 1e-9 or self.dead_time_s >= high - 1e-9:
            return False
        if self.dead_time_low_s <= low + 1e-9 or self.dead_time_high_s >= high - 1e-9:
            return False
        return self.dead_time_high_s - self.dead_time_low_s <= max_interval_s


def lag_filter(t_s: np.ndarray, u: np.ndarray, tau_s: float, x0: float) -> np.ndarray:
    """First-order lag of ``u`` (zero-order hold between samples), starting at ``x0``."""
    x = np.empty_like(u)
    state = x0
    prev_t = float(t_s[0])
    for i in range(len(u)):
        dt = float(t_s[i]) - prev_t
        prev_t = float(t_s[i])
        if dt > 0:
            a = math.exp(-dt / tau_s)
            state = a * state + (1.0 - a) * float(u[i - 1] if i > 0 else u[0])
        x[i] = state
    return x


def fit_fopdt(
    t_s: Sequence[float],
    load_kmh: Sequence[float],
    hr_bpm: Sequence[float],
    *,
    taus_s: Sequence[float] = DEFAULT_TAUS_S,
    dead_times_s: Sequence[float] = DEFAULT_DEAD_TIMES_S,
) -> FopdtFit | None:
    """Fit an FOPDT model of HR on the effective load.

    Args:
        t_s: sample times (increasing, roughly 1 Hz).
        load_kmh: applied effective load at each sample.
        hr_bpm: measured (trusted) HR at each sample.
        taus_s: candidate time constants.
        dead_times_s: candidate dead times.

    Returns:
        The best fit, or None with fewer than 60 samples or a degenerate input.
    """
    t = np.asarray(t_s, dtype=float)
    u = np.asarray(load_kmh, dtype=float)
    y = np.asarray(hr_bpm, dtype=float)
    n = len(t)
    if n < 60 or len(u) != n or len(y) != n:
        return None
    input_range = float(np.max(u) - np.min(u))
    if input_range < 0.2:
        return None
    t0 = float(t[0])
    best: tuple[float, FopdtFit] | None = None
    profile: dict[float, float] = {}
    ones = np.ones(n)
    for tau in taus_s:
        x = lag_filter(t, u, tau, float(u[0]))
        for theta in dead_times_s:
            m = np.interp(t - theta, t, x, left=float(x[0]))
            transient = np.exp(-np.maximum(t - t0 - theta, 0.0) / tau)
            design = np.column_stack((ones, m, transient))
            coef, _res, rank, _sv = np.linalg.lstsq(design, y, rcond=None)
            if rank < 3:
                continue
            resid = y - design @ coef
            sse = float(resid @ resid)
            gain = float(coef[1])
            if not math.isfinite(gain) or gain <= 0:
                continue
            profile[float(theta)] = min(sse, profile.get(float(theta), math.inf))
            fit = FopdtFit(
                gain_bpm_per_kmh=gain,
                tau_s=float(tau),
                dead_time_s=float(theta),
                intercept_bpm=float(coef[0]),
                rmse_bpm=math.sqrt(sse / n),
                input_range_kmh=input_range,
                samples=n,
                initial_offset_kmh=float(coef[2]) / gain,
            )
            if best is None or sse < best[0]:
                best = (sse, fit)
    if best is None:
        return None
    return _with_dead_time_interval(best[1], profile, dead_times_s)


def _with_dead_time_interval(
    fit: FopdtFit, profile: dict[float, float], dead_times_s: Sequence[float]
) -> FopdtFit:
    """``fit`` with the profile-likelihood interval of its dead time filled in.

    The criterion is ``n log(SSE)`` (Gaussian likelihood with the variance profiled
    out), minimised over the other parameters for each dead time.
    """
    n = fit.samples
    best_crit = min(n * math.log(max(v, 1e-12)) for v in profile.values())
    inside = [
        th
        for th, v in profile.items()
        if n * math.log(max(v, 1e-12)) - best_crit <= DEAD_TIME_INTERVAL_CHI2
    ]
    return replace(
        fit,
        dead_time_low_s=min(inside),
        dead_time_high_s=max(inside),
        dead_time_grid_s=(float(min(dead_times_s)), float(max(dead_times_s))),
    )
