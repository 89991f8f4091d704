"""Open-loop calibration helpers: PRBS speed protocols and a first-order-plus-dead-time fit.

Used by the simulator's calibration tests and useful for anyone checking a plug-in
patient model against the published plant identifications (Hunt et al.: residual RMSE
of the best first-order fit about 2.0-2.5 bpm).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from drivers.sim.patient import PatientModel
from drivers.sim.sensor import HrSensor


@dataclass(frozen=True, slots=True)
class FirstOrderFit:
    """Best first-order-plus-dead-time fit ``y = offset + gain * lag(u(t - theta), tau)``.

    Attributes:
        gain_bpm_per_kmh: static gain.
        tau_s: time constant.
        dead_time_s: dead time.
        offset_bpm: constant offset.
        rmse_bpm: root mean square residual.
    """

    gain_bpm_per_kmh: float
    tau_s: float
    dead_time_s: float
    offset_bpm: float
    rmse_bpm: float


def prbs_speeds_kmh(
    n_s: int, base_kmh: float, amplitude_kmh: float, seed: int, hold_s: int = 30
) -> np.ndarray:
    """A pseudo-random binary speed sequence at 1 Hz: base +/- amplitude, hold multiples.

    Args:
        n_s: number of 1 s samples.
        base_kmh: centre speed.
        amplitude_kmh: half the peak-to-peak swing.
        seed: sequence seed.
        hold_s: clock period; each level is held 1-4 periods.
    """
    rng = np.random.default_rng([seed, 0x9B25])
    out = np.empty(n_s)
    i = 0
    level = 1.0
    while i < n_s:
        hold = hold_s * int(rng.integers(1, 5))
        out[i : i + hold] = base_kmh + level * amplitude_kmh
        i += hold
        level = -level
    return out


def fit_first_order(
    u: np.ndarray,
    y: np.ndarray,
    dt_s: float = 1.0,
    taus_s: np.ndarray | None = None,
    max_dead_time_s: int = 30,
    skip_s: int = 0,
    trend: bool = True,
) -> FirstOrderFit:
    """Grid-search the best first-order-plus-dead-time fit of ``y`` to input ``u``.

    Args:
        u: input samples (speed), uniformly sampled at ``dt_s``.
        y: output samples (HR); NaN samples are ignored.
        dt_s: sample period.
        taus_s: candidate time constants (default 10-240 s in 2 s steps).
        max_dead_time_s: largest dead time tried (in 1-sample steps).
        skip_s: samples at the start excluded from the residual (filter start-up).
        trend: also fit a linear trend (absorbs cardiovascular drift, which no LTI
            model captures and which a controller removes with integral action).

    Returns:
        The fit with the smallest residual RMSE.
    """
    if taus_s is None:
        taus_s = np.arange(10.0, 242.0, 2.0)
    u = np.asarray(u, dtype=float)
    y = np.asarray(y, dtype=float)
    start = max(skip_s, max_dead_time_s)
    best: FirstOrderFit | None = None
    ramp = np.arange(len(y) - start, dtype=float) * dt_s / 60.0
    for tau_s in taus_s:
        a = float(np.exp(-dt_s / tau_s))
        x = np.empty_like(u)
        acc = u[0]
        for k, value in enumerate(u.tolist()):
            acc = a * acc + (1.0 - a) * value
            x[k] = acc
        for lag in range(0, max_dead_time_s + 1):
            xs = x[start - lag : len(x) - lag]
            ys = y[start:]
            ok = ~np.isnan(ys)
            columns = [np.ones(int(ok.sum())), xs[ok]]
            if trend:
                columns.append(ramp[ok])
            design = np.column_stack(columns)
            coef, *_ = np.linalg.lstsq(design, ys[ok], rcond=None)
            resid = ys[ok] - design @ coef
            rmse = float(np.sqrt(np.mean(resid * resid)))
            if best is None or rmse < best.rmse_bpm:
                best = FirstOrderFit(
                    gain_bpm_per_kmh=float(coef[1]),
                    tau_s=float(tau_s),
                    dead_time_s=lag * dt_s,
                    offset_bpm=float(coef[0]),
                    rmse_bpm=rmse,
                )
    assert best is not None
    return best


def run_open_loop(
    model: PatientModel,
    speeds_kmh: np.ndarray,
    incline_pct: float = 0.0,
    sensor: HrSensor | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Drive a patient model with a 1 Hz speed sequence from rest-equilibrium at the first speed.

    Returns:
        (true HR, reported HR) arrays; reported HR is NaN where the sensor sent nothing
        (or equals the true HR rounded when ``sensor`` is None).
    """
    model.reset(float(speeds_kmh[0]), incline_pct)
    true_hr = np.empty(len(speeds_kmh))
    reported = np.empty(len(speeds_kmh))
    for k, speed in enumerate(speeds_kmh.tolist()):
        hr = model.step(1.0, speed, incline_pct)
        true_hr[k] = hr
        if sensor is None:
            reported[k] = round(hr)
        else:
            value = sensor.read(float(k + 1), hr, speed)
            reported[k] = np.nan if value is None else value
    return true_hr, reported
