"""The control benchmark: every controller against the same simulated cohort.

Each virtual patient runs the protocol twice per controller: a constant-target main
phase and a variant with a +/-``step_amplitude_bpm`` square wave of 5-min half-period.
Every controller sees the same patient noise and the same sensor errors and faults
(fresh instances from the case factory).

Every session runs through the real session engine
(:func:`runningroom.bench.loop.run_session`: the engine's control step, HR gate,
supervisor and safety envelope, with the bench's belt and patient physics in between,
no asyncio, no recording). This module holds the protocol, the metrics and the cohort
machinery. ``runningroom bench --engine`` runs the same cohort through the simulated
devices and runtime instead.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from runningroom.bench import metrics
from runningroom.bench.case import BenchCase, CaseFactory
from runningroom.bench.loop import run_session
from runningroom.control.base import Controller

logger = logging.getLogger(__name__)

BENCH_CONTROLLERS: tuple[str, ...] = ("model", "fixed-step", "fixed-speed", "oracle")
VARIANT_CONSTANT = "constant"
VARIANT_STEPS = "steps"


@dataclass(frozen=True, slots=True)
class BenchProtocol:
    """Timing of one benchmark session (the engine's defaults do the rest).

    Attributes:
        warmup_s: warm-up duration (the engine ramps the target from the HR at the
            start to the lower zone edge).
        main_s: main phase duration.
        step_amplitude_bpm: square-wave amplitude of the ``steps`` variant.
        step_half_period_s: half-period of the square wave.
        entry_sustain_s: an entry counts once HR stayed in the zone this long.
        ack_after_s: the virtual therapist acknowledges an alarm this long after it was
            raised.
        resume_after_s: trusted HR for this long lets the virtual therapist resume
            (``ResumeController``) a controller the engine suspended; as in the simulated
            runtime.
        cooldown_s: cool-down duration (the engine ramps the belt down, no controller;
            only the ceiling metric uses it).
    """

    warmup_s: float = 480.0
    main_s: float = 1800.0
    step_amplitude_bpm: float = 6.0
    step_half_period_s: float = 300.0
    entry_sustain_s: float = 30.0
    ack_after_s: float = 10.0
    resume_after_s: float = 20.0
    cooldown_s: float = 420.0


@dataclass(frozen=True, slots=True)
class SessionTrace:
    """1 Hz series of one simulated session (warm-up, main, cool-down; pauses left out).

    Attributes:
        t_s: time of each sample.
        main: True for main-phase samples.
        hr_true_bpm: the patient's true HR.
        hr_measured_bpm: the engine's filtered HR (NaN if none, and in the cool-down).
        target_bpm: the engine's control target (NaN in the cool-down).
        speed_kmh: commanded speed after the tick.
        incline_pct: commanded incline after the tick.
        forced_cooldown: the engine ended the main phase early (ceiling for 30 s).
        supervisor_actions: number of ticks with an active alarm.
        by_controller: True where the controller was in charge (no active alarm, not
            suspended; False in the cool-down).
    """

    t_s: np.ndarray
    main: np.ndarray
    hr_true_bpm: np.ndarray
    hr_measured_bpm: np.ndarray
    target_bpm: np.ndarray
    speed_kmh: np.ndarray
    incline_pct: np.ndarray
    forced_cooldown: bool
    supervisor_actions: int
    by_controller: np.ndarray


def session_metrics(
    case: BenchCase, trace: SessionTrace, protocol: BenchProtocol
) -> dict[str, float]:
    """Per-session metrics (see :mod:`runningroom.bench.metrics`).

    Keys: rmse_bpm (main after first entry; whole main if never entered), rmse_main_bpm
    (whole main), entry_time_s (NaN if never), time_in_zone_pct (after entry),
    within5_pct, overshoot_bpm, ceiling_s (warm-up and main), bias_last10_bpm,
    mae_last10_bpm, commands_per_min, max_speed_step_kmh, max_incline_step_pct,
    supervisor_max_speed_step_kmh, supervisor_actions, speed_tv_kmh_per_min,
    reversals_per_min, forced_cooldown.
    """
    main = trace.main
    hr = trace.hr_true_bpm[main]
    tg = trace.target_bpm[main]
    speed = trace.speed_kmh[main]
    incline = trace.incline_pct[main]
    inside = metrics.in_zone_mask(hr, case.zone_low_bpm, case.zone_high_bpm)
    sustain = int(protocol.entry_sustain_s)
    entry = metrics.entry_index(inside.tolist(), sustain) if hr.size else None
    # never entered: judge the whole main phase (a baseline must not look better by
    # never reaching the zone)
    after = slice(entry if entry is not None else 0, None)
    last10 = slice(max(0, hr.size - 600), None)
    minutes = max(hr.size / 60.0, 1e-9)
    # steps commanded by the controller (supervisor step-downs are reported apart)
    spd_steps = np.abs(np.diff(trace.speed_kmh, prepend=trace.speed_kmh[0]))
    inc_steps = np.abs(np.diff(trace.incline_pct, prepend=trace.incline_pct[0]))
    ctrl = trace.by_controller
    changes = metrics.command_changes(np.concatenate((speed, incline * 1000.0)).tolist())
    return {
        "rmse_bpm": metrics.rmse_bpm(hr[after], tg[after]),
        "rmse_main_bpm": metrics.rmse_bpm(hr, tg),
        "entry_time_s": math.nan if entry is None else float(entry),
        "time_in_zone_pct": metrics.time_in_zone_pct(
            hr[after], case.zone_low_bpm, case.zone_high_bpm
        ),
        "within5_pct": float(100.0 * np.mean(np.abs(hr[after] - tg[after]) <= 5.0))
        if hr[after].size
        else math.nan,
        "overshoot_bpm": metrics.overshoot_bpm(hr, case.zone_high_bpm),
        "ceiling_s": metrics.seconds_above(trace.hr_true_bpm, case.ceiling_bpm),
        "bias_last10_bpm": metrics.bias_bpm(hr[last10], tg[last10]),
        "mae_last10_bpm": float(np.mean(np.abs(hr[last10] - tg[last10])))
        if hr[last10].size
        else math.nan,
        "commands_per_min": max(0, changes - 1) / minutes,
        "max_speed_step_kmh": float(np.max(spd_steps[ctrl], initial=0.0)),
        "max_incline_step_pct": float(np.max(inc_steps[ctrl], initial=0.0)),
        "supervisor_max_speed_step_kmh": float(np.max(spd_steps[~ctrl], initial=0.0)),
        "supervisor_actions": float(trace.supervisor_actions),
        "speed_tv_kmh_per_min": metrics.total_variation_per_min(speed.tolist()),
        "reversals_per_min": metrics.reversals(speed.tolist()) / minutes,
        "forced_cooldown": float(trace.forced_cooldown),
    }


ControllerBuilder = Callable[[str, BenchCase, BenchProtocol], Controller]


def build_controller(name: str, case: BenchCase, protocol: BenchProtocol) -> Controller:
    """The benchmark's controller ``name`` for ``case``.

    ``fixed-speed`` ramps to ``case.fixed_speed_kmh`` over 3/4 of the warm-up;
    ``oracle`` gets ``case.oracle_plant``; ``model`` starts without a prior.
    """
    from runningroom.control import make_controller
    from runningroom.control.baselines import FixedSpeedController

    if name == "fixed-speed":
        return FixedSpeedController(case.fixed_speed_kmh, ramp_s=0.75 * protocol.warmup_s)
    if name == "oracle":
        return make_controller("oracle", case.oracle_plant)
    return make_controller(name)


@dataclass(frozen=True)
class _Task:
    factory: CaseFactory
    index: int
    controllers: tuple[str, ...]
    protocol: BenchProtocol
    builder: ControllerBuilder


def _run_patient(task: _Task) -> list[dict[str, Any]]:
    case = task.factory(task.index)
    rows: list[dict[str, Any]] = []
    for variant in (VARIANT_CONSTANT, VARIANT_STEPS):
        for name in task.controllers:
            ctrl = task.builder(name, case, task.protocol)
            trace = run_session(case, ctrl, task.protocol, steps=variant == VARIANT_STEPS)
            row: dict[str, Any] = session_metrics(case, trace, task.protocol)
            row.update(controller=name, variant=variant, patient_id=case.patient_id, tags=case.tags)
            rows.append(row)
    return rows


def run_cohort(
    factory: CaseFactory,
    n_patients: int,
    *,
    controllers: Sequence[str] = BENCH_CONTROLLERS,
    protocol: BenchProtocol | None = None,
    workers: int = 2,
    builder: ControllerBuilder = build_controller,
) -> list[dict[str, Any]]:
    """Run every controller on patients ``0..n_patients-1``; one row per session.

    Args:
        factory: picklable ``index -> BenchCase`` (called in the worker processes).
        n_patients: cohort size.
        controllers: controller names.
        protocol: timings (default :class:`BenchProtocol`).
        workers: worker processes; 1 runs in-process.
        builder: ``(name, case, protocol) -> Controller`` (picklable).

    Returns:
        Rows with :func:`session_metrics` keys plus controller, variant, patient_id, tags.
    """
    proto = protocol or BenchProtocol()
    tasks = [_Task(factory, i, tuple(controllers), proto, builder) for i in range(n_patients)]
    rows: list[dict[str, Any]] = []
    if workers <= 1 or n_patients <= 1:
        for task in tasks:
            rows.extend(_run_patient(task))
        return rows
    ctx = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    )
    with ctx.Pool(workers) as pool:
        for part in pool.imap_unordered(_run_patient, tasks, chunksize=4):
            rows.extend(part)
    rows.sort(key=lambda r: (r["patient_id"], r["variant"], r["controller"]))
    return rows


def _vals(rows: Iterable[dict[str, Any]], key: str) -> list[float]:
    return [float(r[key]) for r in rows]


def summarise(
    rows: Sequence[dict[str, Any]], protocol: BenchProtocol | None = None
) -> list[dict[str, Any]]:
    """Aggregate session rows into one object per controller (the ``--json`` output).

    Constant-target sessions give the steady-state metrics; square-wave sessions give
    ``step_rmse_median_bpm`` (whole main phase). A patient who never enters the zone
    counts with the full main-phase duration in the entry-time percentiles.
    """
    proto = protocol or BenchProtocol()
    present = list(dict.fromkeys(r["controller"] for r in rows))
    names = [c for c in BENCH_CONTROLLERS if c in present]
    names += [c for c in present if c not in names]
    oracle_rmse = {
        r["patient_id"]: r["rmse_bpm"]
        for r in rows
        if r["controller"] == "oracle" and r["variant"] == VARIANT_CONSTANT
    }
    out: list[dict[str, Any]] = []
    for name in names:
        const = [r for r in rows if r["controller"] == name and r["variant"] == VARIANT_CONSTANT]
        step = [r for r in rows if r["controller"] == name and r["variant"] == VARIANT_STEPS]
        both = const + step
        rmse = _vals(const, "rmse_bpm")
        rmse_sorted = sorted(v for v in rmse if not math.isnan(v))
        worst = rmse_sorted[-max(1, len(rmse_sorted) // 10) :] if rmse_sorted else []
        ratios = [
            r["rmse_bpm"] / oracle_rmse[r["patient_id"]]
            for r in const
            if oracle_rmse.get(r["patient_id"], 0) > 0
        ]
        entries = [proto.main_s if math.isnan(v) else v for v in _vals(const, "entry_time_s")]
        out.append(
            {
                "controller": name,
                "patients": len(const),
                "rmse_median_bpm": _r(metrics.median(rmse)),
                "rmse_p90_bpm": _r(metrics.percentile(rmse, 90)),
                "rmse_worst10pct_mean_bpm": _r(float(np.mean(worst)) if worst else math.nan),
                "step_rmse_median_bpm": _r(metrics.median(_vals(step, "rmse_main_bpm"))),
                "oracle_ratio_median": _r(metrics.median(ratios), 3),
                "oracle_ratio_p90": _r(metrics.percentile(ratios, 90), 3),
                "time_in_zone_pct_median": _r(metrics.median(_vals(const, "time_in_zone_pct"))),
                "time_in_zone_pct_p10": _r(
                    metrics.percentile(_vals(const, "time_in_zone_pct"), 10)
                ),
                "within5_pct_median": _r(metrics.median(_vals(const, "within5_pct"))),
                "entry_time_median_s": _r(metrics.median(entries), 0),
                "entry_time_p90_s": _r(metrics.percentile(entries, 90), 0),
                "never_entered": sum(1 for v in _vals(const, "entry_time_s") if math.isnan(v)),
                "overshoot_p90_bpm": _r(metrics.percentile(_vals(const, "overshoot_bpm"), 90)),
                "ceiling_violations": sum(1 for r in both if r["ceiling_s"] > 0),
                "ceiling_seconds": int(sum(_vals(both, "ceiling_s"))),
                "forced_cooldowns": int(sum(_vals(both, "forced_cooldown"))),
                "bias_last10_median_bpm": _r(metrics.median(_vals(const, "bias_last10_bpm"))),
                "abs_bias_last10_p90_bpm": _r(
                    metrics.percentile([abs(v) for v in _vals(const, "bias_last10_bpm")], 90)
                ),
                "speed_change_per_min_median": _r(metrics.median(_vals(const, "commands_per_min"))),
                "speed_tv_kmh_per_min_median": _r(
                    metrics.median(_vals(const, "speed_tv_kmh_per_min")), 3
                ),
                "reversals_per_min_median": _r(metrics.median(_vals(const, "reversals_per_min"))),
                "max_speed_step_kmh": _r(max(_vals(both, "max_speed_step_kmh"), default=0.0)),
                "max_incline_step_pct": _r(max(_vals(both, "max_incline_step_pct"), default=0.0)),
                "supervisor_max_speed_step_kmh": _r(
                    max(_vals(both, "supervisor_max_speed_step_kmh"), default=0.0)
                ),
                "sessions_with_supervisor_action": sum(
                    1 for r in both if r["supervisor_actions"] > 0
                ),
                "rmse_median_by_group_bpm": _by_group(const),
            }
        )
    return out


def _by_group(rows: Sequence[dict[str, Any]]) -> dict[str, float | None]:
    """Median RMSE per subgroup tag (and ``typical`` for untagged patients)."""
    groups: dict[str, list[float]] = {}
    for r in rows:
        for tag in r["tags"] or ("typical",):
            groups.setdefault(tag, []).append(float(r["rmse_bpm"]))
    return {tag: _r(metrics.median(vals)) for tag, vals in sorted(groups.items())}


def _r(value: float, digits: int = 2) -> float | None:
    if value is None or math.isnan(value):
        return None
    return round(float(value), digits)
