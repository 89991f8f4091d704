"""Benchmark metrics on 1 Hz session series (physiology-and-control.md, section (c)).

All functions take plain sequences sampled once per second and are pure. HR series are
the patient's *true* HR (the quantity therapy cares about); the controller only ever
saw the sensor's reading.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

#: A 1 Hz series: a list or a numpy array.
Series = Sequence[float] | npt.NDArray[np.float64]


def rmse_bpm(hr_bpm: Series, target_bpm: Series) -> float:
    """Root-mean-square of ``hr - target``; NaN for empty input."""
    hr = np.asarray(hr_bpm, dtype=float)
    tg = np.asarray(target_bpm, dtype=float)
    if hr.size == 0:
        return math.nan
    return float(np.sqrt(np.mean((hr - tg) ** 2)))


def bias_bpm(hr_bpm: Series, target_bpm: Series) -> float:
    """Mean of ``hr - target``; NaN for empty input."""
    hr = np.asarray(hr_bpm, dtype=float)
    if hr.size == 0:
        return math.nan
    return float(np.mean(hr - np.asarray(target_bpm, dtype=float)))


def in_zone_mask(hr_bpm: Series, low_bpm: float, high_bpm: float) -> npt.NDArray[np.bool_]:
    """Boolean array: sample inside ``[low, high]``."""
    hr = np.asarray(hr_bpm, dtype=float)
    return (hr >= low_bpm) & (hr <= high_bpm)


def entry_index(
    inside: Sequence[bool] | npt.NDArray[np.bool_], sustain_samples: int = 30
) -> int | None:
    """Index of the first sample of the first run of ``sustain_samples`` inside samples.

    A run cut short by the end of the series counts if it reaches the end. Returns None
    if the series never enters.
    """
    run = 0
    n = len(inside)
    for i, ok in enumerate(inside):
        if ok:
            run += 1
            if run >= sustain_samples or i == n - 1:
                return i - run + 1
        else:
            run = 0
    return None


def time_in_zone_pct(hr_bpm: Series, low_bpm: float, high_bpm: float) -> float:
    """Percent of samples inside the zone; NaN for empty input."""
    mask = in_zone_mask(hr_bpm, low_bpm, high_bpm)
    if mask.size == 0:
        return math.nan
    return float(100.0 * np.mean(mask))


def overshoot_bpm(hr_bpm: Series, high_bpm: float) -> float:
    """Peak HR above ``high_bpm`` (0 when never above)."""
    hr = np.asarray(hr_bpm, dtype=float)
    if hr.size == 0:
        return 0.0
    return float(max(0.0, float(np.max(hr)) - high_bpm))


def seconds_above(hr_bpm: Series, ceiling_bpm: float, dt_s: float = 1.0) -> float:
    """Time spent strictly above ``ceiling_bpm``."""
    hr = np.asarray(hr_bpm, dtype=float)
    return float(np.count_nonzero(hr > ceiling_bpm) * dt_s)


def command_changes(values: Series, tol: float = 1e-9) -> int:
    """Number of changes between consecutive commanded values."""
    v = np.asarray(values, dtype=float)
    if v.size < 2:
        return 0
    return int(np.count_nonzero(np.abs(np.diff(v)) > tol))


def max_step(values: Series) -> float:
    """Largest absolute change between consecutive commanded values."""
    v = np.asarray(values, dtype=float)
    if v.size < 2:
        return 0.0
    return float(np.max(np.abs(np.diff(v))))


def total_variation_per_min(values: Series, dt_s: float = 1.0) -> float:
    """Sum of absolute changes per minute (e.g. km/h per minute)."""
    v = np.asarray(values, dtype=float)
    if v.size < 2:
        return 0.0
    minutes = (v.size - 1) * dt_s / 60.0
    return float(np.sum(np.abs(np.diff(v))) / minutes) if minutes > 0 else 0.0


def reversals(values: Series) -> int:
    """Number of direction reversals of the commanded value (up then down or vice versa)."""
    v = np.asarray(values, dtype=float)
    d = np.diff(v)
    d = d[np.abs(d) > 1e-9]
    if d.size < 2:
        return 0
    return int(np.count_nonzero(np.sign(d[1:]) != np.sign(d[:-1])))


def percentile(values: Series, q: float) -> float:
    """``q``-th percentile ignoring NaN; NaN if nothing is left."""
    arr = np.asarray(values, dtype=float)
    arr = arr[~np.isnan(arr)]
    if arr.size == 0:
        return math.nan
    return float(np.percentile(arr, q))


def median(values: Series) -> float:
    """Median ignoring NaN; NaN if nothing is left."""
    return percentile(values, 50.0)
