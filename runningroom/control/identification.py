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
from dataclasses import dataclass

import numpy as np

DEFAULT_TAUS_S: tuple[float, ...] = (30.0, 45.0, 60.0, 80.0, 100.0, 130.0)
DEFAULT_DEAD_TIMES_S: tuple[float, ...] = (0.0, 5.0, 10.0, 15.0, 20.0)


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
    """

    gain_bpm_per_kmh: float
    tau_s: float
    dead_time_s: float
    intercept_bpm: float
    rmse_bpm: float
    input_range_kmh: float
    samples: int
    initial_offset_kmh: float


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
    return None if best is None else best[1]
