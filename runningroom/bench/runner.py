"""The control benchmark: every controller against the same simulated cohort.

Each virtual patient runs the protocol twice per controller: a constant-target main
phase and a variant with a +/-``step_amplitude_bpm`` square wave of 5-min half-period.
Every controller sees the same patient noise and the same sensor errors and faults
(fresh instances from the case factory).

The session loop is lean (no recording, no asyncio) but uses the real safety pieces of
the engine: :class:`~runningroom.session.supervisor.HrQualityGate`,
:class:`~runningroom.session.hr_filter.HrFilter` and
:class:`~runningroom.session.supervisor.SafetySupervisor` (untrusted HR holds the
controller, HR lost ramps down, above the ceiling steps down). Like the engine, the
controller is called at 1 Hz during warm-up (``identify=True``, target ramping from the
resting HR to the lower zone edge) and main phase, and is re-seeded after any
supervisor action. The belt reaches a command by the next tick (steps are <= 0.3
km/h, belts accelerate at 0.1-0.5 km/h/s). The cool-down ramps the belt down as the
engine does (no controller); only the ceiling metric looks at it. ``runningroom bench
--engine`` runs the same cohort through the real engine and simulated devices instead.
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
from runningroom.control.base import ControlInput, Controller
from runningroom.devices import HrSample
from runningroom.session.engine import warmup_speed_floor_kmh
from runningroom.session.hr_filter import HrFilter
from runningroom.session.supervisor import HrQualityGate, SafetySupervisor

logger = logging.getLogger(__name__)

BENCH_CONTROLLERS: tuple[str, ...] = ("model", "fixed-step", "fixed-speed", "oracle")
VARIANT_CONSTANT = "constant"
VARIANT_STEPS = "steps"


@dataclass(frozen=True, slots=True)
class BenchProtocol:
    """Timing of one benchmark session.

    Attributes:
        warmup_s: warm-up duration (target ramps from rest to the lower zone edge).
        main_s: main phase duration.
        step_amplitude_bpm: square-wave amplitude of the ``steps`` variant.
        step_half_period_s: half-period of the square wave.
        entry_sustain_s: an entry counts once HR stayed in the zone this long.
        resume_after_s: trusted HR for this long lets the (virtual) therapist resume a
            controller the supervisor suspended.
        warmup_ramp_fraction: the warm-up target reaches the lower zone edge after this
            fraction of the warm-up (engine default).
        warmup_max_slowdown_kmh: in the warm-up the controller may take the belt at most
            this far below the start speed unless HR is above the zone (engine default).
        ceiling_margin_bpm: the target stays this far below the ceiling (engine default).
        cooldown_s: cool-down duration (no controller; only the ceiling metric uses it).
        cooldown_ramp_fraction: the cool-down speed ramp reaches its end speed after this
            fraction of the cool-down (engine default).
        cooldown_end_speed_kmh: speed at the end of the cool-down ramp.
    """

    warmup_s: float = 480.0
    main_s: float = 1800.0
    step_amplitude_bpm: float = 6.0
    step_half_period_s: float = 300.0
    entry_sustain_s: float = 30.0
    resume_after_s: float = 10.0
    warmup_ramp_fraction: float = 0.8
    warmup_max_slowdown_kmh: float = 0.6
    ceiling_margin_bpm: float = 5.0
    cooldown_s: float = 420.0
    cooldown_ramp_fraction: float = 0.6
    cooldown_end_speed_kmh: float = 2.0


@dataclass(frozen=True, slots=True)
class SessionTrace:
    """1 Hz series of one simulated session (warm-up, main, cool-down).

    Attributes:
        t_s: time of each sample.
        main: True for main-phase samples.
        hr_true_bpm: the patient's true HR.
        hr_measured_bpm: the filtered trusted HR the controller saw (NaN if untrusted).
        target_bpm: control target (NaN in the cool-down).
        speed_kmh: commanded speed after the tick.
        incline_pct: commanded incline after the tick.
        forced_cooldown: the supervisor ended the main phase (ceiling for 30 s).
        supervisor_actions: number of step-downs and ramp-down ticks.
        by_controller: True where the tick's command came from the controller (False:
            supervisor action, hold, or no change requested by anyone).
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


def target_at(
    case: BenchCase, protocol: BenchProtocol, t_s: float, steps: bool, hr0_bpm: float | None = None
) -> float:
    """The control target at session time ``t_s``, as the session engine computes it.

    Warm-up: a ramp from the HR at the start (``hr0_bpm``, default the resting HR) to the
    lower zone edge over ``warmup_ramp_fraction`` of the warm-up. Main: the zone centre,
    plus the square wave in the ``steps`` variant. Always at least
    ``ceiling_margin_bpm`` below the ceiling.
    """
    if t_s <= protocol.warmup_s:
        start = case.hr_rest_bpm if hr0_bpm is None else hr0_bpm
        start = min(start, case.zone_low_bpm)
        frac = min(t_s / (protocol.warmup_s * protocol.warmup_ramp_fraction), 1.0)
        target = start + frac * (case.zone_low_bpm - start)
    elif not steps:
        target = case.target_bpm
    else:
        k = int((t_s - protocol.warmup_s) // protocol.step_half_period_s)
        sign = 1.0 if k % 2 == 0 else -1.0
        target = case.target_bpm + sign * protocol.step_amplitude_bpm
    return min(target, case.ceiling_bpm - protocol.ceiling_margin_bpm)


def run_session(
    case: BenchCase, controller: Controller, protocol: BenchProtocol, *, steps: bool = False
) -> SessionTrace:
    """Simulate warm-up, main phase and cool-down of one patient with one controller.

    Args:
        case: the patient.
        controller: a fresh controller.
        protocol: timings.
        steps: run the square-wave variant.

    Returns:
        The 1 Hz trace.
    """
    limits = case.limits
    patient = case.new_patient()
    patient.reset(0.0, 0.0)
    sensor = case.new_sensor()
    gate = HrQualityGate()
    hr_filter = HrFilter()
    supervisor = SafetySupervisor(case.ceiling_bpm)
    cfg = supervisor.config

    def legal_speed(v: float) -> float:
        step = limits.speed_step_kmh
        low, high = limits.min_speed_kmh, limits.max_speed_kmh
        v = min(max(v, low), high)
        return round(low + round((v - low) / step) * step, 6) if step > 0 else v

    speed = legal_speed(case.start_speed_kmh)
    incline = limits.min_incline_pct
    controller.reset(0.0, speed, incline, limits)
    n = int(protocol.warmup_s + protocol.main_s)
    t_arr = np.arange(1, n + 1, dtype=float)
    hr_true = np.empty(n)
    hr_meas = np.full(n, math.nan)
    target_arr = np.empty(n)
    speed_arr = np.empty(n)
    incline_arr = np.empty(n)
    by_controller = np.zeros(n, dtype=bool)
    suspended = False
    trusted_since: float | None = None
    actions = 0
    forced = False
    zone_low, zone_high = case.zone_low_bpm, case.zone_high_bpm
    safe_speed = max(cfg.safe_walk_speed_kmh, limits.min_speed_kmh)
    warmup_floor_kmh = legal_speed(case.start_speed_kmh - protocol.warmup_max_slowdown_kmh)
    last = n
    hr0: float | None = None
    for k in range(n):
        t = float(k + 1)
        belt_v, belt_i = speed, incline  # the belt reached last tick's command
        true = patient.step(1.0, belt_v, belt_i)
        raw = sensor.read(t, true, belt_v)
        gate.note_speed(speed)
        if raw is not None:
            quality = gate.add(HrSample(t_s=t, hr_bpm=raw))
            if quality.trusted:
                hr_filter.add(t, raw)
        quality = gate.quality(t)
        hr_f = hr_filter.value_bpm if quality.trusted else None
        verdict = supervisor.evaluate(t, quality, hr_f)
        if hr0 is None and hr_f is not None:
            hr0 = hr_f
        target = target_at(case, protocol, t, steps, hr0)
        warm = t <= protocol.warmup_s
        if verdict.hr_trusted:
            trusted_since = t if trusted_since is None else trusted_since
        else:
            trusted_since = None
        if verdict.go_cooldown and not warm:
            forced = True
        if verdict.step_down:
            speed = legal_speed(speed - cfg.ceiling_step_kmh)
            incline = max(limits.min_incline_pct, incline - limits.max_incline_step_pct)
            controller.reseed(t, speed, incline)
            actions += 1
        elif verdict.ramp_down or suspended:
            if not suspended:
                suspended = True
            if verdict.ramp_down or trusted_since is None:
                speed = min(speed, legal_speed(max(safe_speed, speed - cfg.ramp_down_kmh_per_s)))
                incline = max(limits.min_incline_pct, incline - 0.5)
                actions += 1
            elif t - trusted_since >= protocol.resume_after_s:
                suspended = False  # the therapist resumes the controller
                controller.reseed(t, speed, incline)
        elif not verdict.hold and hr_f is not None:
            out = controller.update(
                ControlInput(
                    now_s=t,
                    hr_bpm=hr_f,
                    target_bpm=target,
                    speed_kmh=speed,
                    incline_pct=incline,
                    allow_increase=verdict.allow_increase,
                    identify=warm,
                    zone_low_bpm=None if warm else zone_low,
                    zone_high_bpm=None if warm else zone_high,
                )
            )
            speed, incline = out.speed_kmh, out.incline_pct
            if warm:
                speed = warmup_speed_floor_kmh(
                    speed,
                    belt_v,
                    floor_kmh=warmup_floor_kmh,
                    hr_bpm=hr_f,
                    zone_high_bpm=zone_high,
                )
            by_controller[k] = True
        hr_true[k] = true
        if hr_f is not None:
            hr_meas[k] = hr_f
        target_arr[k] = target
        speed_arr[k] = speed
        incline_arr[k] = incline
        if forced:
            last = k + 1
            break
    main = t_arr[:last] > protocol.warmup_s
    # cool-down: the engine ramps speed and incline down; no controller, no target
    n_cd = int(protocol.cooldown_s)
    cd_hr = np.empty(n_cd)
    cd_speed = np.empty(n_cd)
    cd_incline = np.empty(n_cd)
    anchor_v, anchor_i = speed, incline
    end_v = legal_speed(max(protocol.cooldown_end_speed_kmh, limits.min_speed_kmh))
    ramp_s = max(protocol.cooldown_s * protocol.cooldown_ramp_fraction, 1.0)
    for j in range(n_cd):
        belt_v, belt_i = speed, incline
        cd_hr[j] = patient.step(1.0, belt_v, belt_i)
        frac = min((j + 1) / ramp_s, 1.0)
        speed = legal_speed(anchor_v + (end_v - anchor_v) * frac)
        incline = anchor_i + (limits.min_incline_pct - anchor_i) * frac
        cd_speed[j] = speed
        cd_incline[j] = incline
    t_end = float(t_arr[last - 1]) if last else 0.0
    return SessionTrace(
        t_s=np.concatenate((t_arr[:last], t_end + np.arange(1, n_cd + 1, dtype=float))),
        main=np.concatenate((main, np.zeros(n_cd, dtype=bool))),
        hr_true_bpm=np.concatenate((hr_true[:last], cd_hr)),
        hr_measured_bpm=np.concatenate((hr_meas[:last], np.full(n_cd, math.nan))),
        target_bpm=np.concatenate((target_arr[:last], np.full(n_cd, math.nan))),
        speed_kmh=np.concatenate((speed_arr[:last], cd_speed)),
        incline_pct=np.concatenate((incline_arr[:last], cd_incline)),
        forced_cooldown=forced,
        supervisor_actions=actions,
        by_controller=np.concatenate((by_controller[:last], np.zeros(n_cd, dtype=bool))),
    )


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
