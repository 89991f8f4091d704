"""``runningroom bench``: the control benchmark on the simulated cohort.

Composes :mod:`drivers.sim` patients and sensors (this CLI module may import drivers)
with the driver-free benchmark core in :mod:`runningroom.bench`, then prints a table or,
with ``--json``, a JSON list with one object per controller.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import math
import sys
import time
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from drivers.sim.patient import PatientParams
    from runningroom.bench.case import BenchCase
    from runningroom.session.engine import SessionEngine
    from runningroom.session.model import SessionSnapshot

#: Fixed date for the prescriptions (ages are given directly, the date only matters
#: for reproducibility).
_BENCH_DATE = date(2026, 1, 1)
#: Every fifth patient is a walker (speed capped at 6 km/h, incline above it).
_WALKER_EVERY = 5
#: Smallest gap between the zone's upper edge and the safety ceiling a therapist accepts.
_MIN_CEILING_GAP_BPM = 10.0
#: Warm-up start speed.
_START_SPEED_KMH = 2.5


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``bench`` subcommand."""
    parser = subparsers.add_parser(
        "bench",
        help="run the control benchmark on a simulated cohort",
        description=(
            "Run every controller (model, fixed-step, fixed-speed, oracle) on the same "
            "simulated cohort: 8-min warm-up, 30-min main phase with a constant target and "
            "a variant with +/-6 bpm square-wave target steps every 5 min."
        ),
    )
    parser.add_argument("--patients", type=int, default=200, help="cohort size (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="cohort seed (default 1)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument(
        "--engine",
        action="store_true",
        help="run every session through the simulated devices and the asyncio runtime "
        "(slower; default: the lean loop, which drives the same session engine "
        "synchronously against the belt and patient physics)",
    )
    parser.add_argument(
        "--controllers",
        default="model,fixed-step,fixed-speed,oracle",
        help="comma-separated controller names",
    )
    parser.set_defaults(handler=_handle)


@functools.lru_cache(maxsize=4)
def _cohort(n: int, seed: int) -> list[PatientParams]:
    from drivers.sim.patient import sample_cohort

    return sample_cohort(n, seed)


@dataclass(frozen=True)
class SimCohortFactory:
    """Picklable ``index -> BenchCase`` over :func:`drivers.sim.patient.sample_cohort`.

    Each patient gets a profile-like prescription (60-70 % of the formula HRmax, or
    40-59 % HRR when that zone would not clear the resting HR), ceiling 85 % HRmax, a
    chest strap or optical sensor with seeded faults, the simulated treadmill's belt
    physics, and (every fifth patient) a walk-only cap at 6 km/h with incline above it;
    everyone else may go to 8 km/h and then use incline.
    """

    n: int
    seed: int
    faults: bool = True

    def __call__(self, index: int) -> BenchCase:
        """Build case ``index``."""
        from drivers.sim.patient import SimulatedPatient, steady_state_hr_bpm
        from drivers.sim.sensor import FaultConfig, HrSensor
        from drivers.sim.treadmill import BeltPhysics
        from runningroom.bench.case import BenchCase
        from runningroom.control.base import ActuatorLimits

        p = _cohort(self.n, self.seed)[index]
        walker = index % _WALKER_EVERY == 0
        low, high, target, ceiling, hrmax_formula = _prescription(p, index)
        limits = ActuatorLimits(
            min_speed_kmh=1.5,
            max_speed_kmh=6.0 if walker else 8.0,
            speed_step_kmh=0.1,
            min_incline_pct=0.0,
            max_incline_pct=10.0,
            incline_step_pct=0.5,
            use_speed=True,
            use_incline=True,
        )
        tags = (*p.tags, "walker") if walker else p.tags
        fault_cfg = FaultConfig(session_s=480.0 + 1800.0) if self.faults else None
        return BenchCase(
            patient_id=index,
            tags=tags,
            hr_rest_bpm=float(round(p.hr_rest_bpm)),
            target_bpm=target,
            zone_low_bpm=low,
            zone_high_bpm=high,
            ceiling_bpm=ceiling,
            limits=limits,
            start_speed_kmh=_START_SPEED_KMH,
            fixed_speed_kmh=_therapist_speed(p, target, hrmax_formula, limits.max_speed_kmh),
            oracle_plant=_oracle_plant(p, target, limits, steady_state_hr_bpm),
            new_patient=functools.partial(SimulatedPatient, p),
            new_sensor=functools.partial(HrSensor, p.sensor, seed=p.seed + 1, faults=fault_cfg),
            hrmax_bpm=hrmax_formula,
            new_belt=BeltPhysics,
        )


def bench_profile(p: PatientParams, index: int, start_speed_kmh: float | None = None) -> Any:
    """The profile a clinic would register for simulated patient ``p`` (number ``index``).

    60-70 % of the formula HRmax, or 40-59 % HRR when that zone would not clear the
    resting HR; ceiling 85 % HRmax but at least 10 bpm above the zone (therapist-set);
    max 8 km/h (6 km/h for every fifth patient, a walker), incline up to 10 % once the
    speed is capped.
    """
    from runningroom.errors import ValidationError
    from runningroom.model import (
        Actuator,
        CeilingSpec,
        PatientLimits,
        PatientProfile,
        ZoneMethod,
        ZoneSpec,
    )
    from runningroom.prescription import compute_prescription

    walker = index % _WALKER_EVERY == 0
    profile = PatientProfile(
        code=f"BENCH-{index:04d}",
        resting_hr_bpm=round(p.hr_rest_bpm),
        age_years=p.age_years,
        beta_blocker=p.beta_blocked,
        limits=PatientLimits(
            max_speed_kmh=6.0 if walker else 8.0, max_incline_pct=10.0, min_speed_kmh=1.5
        ),
        preferred_actuator=Actuator.BOTH,
        start_speed_kmh=start_speed_kmh,
    )
    try:
        rx = compute_prescription(profile, _BENCH_DATE)
    except ValidationError:
        profile = replace(profile, zone=ZoneSpec(ZoneMethod.HRR_PCT, 40.0, 59.0))
        rx = compute_prescription(profile, _BENCH_DATE)
    if rx.ceiling_bpm < rx.zone_high_bpm + _MIN_CEILING_GAP_BPM:
        ceiling = math.ceil(rx.zone_high_bpm + _MIN_CEILING_GAP_BPM)
        profile = replace(profile, ceiling=CeilingSpec(bpm=ceiling))
    return profile


def _prescription(p: PatientParams, index: int) -> tuple[float, float, float, float, float]:
    """(zone low, zone high, target, ceiling, formula HRmax) of :func:`bench_profile`."""
    from runningroom.prescription import compute_prescription

    rx = compute_prescription(bench_profile(p, index), _BENCH_DATE)
    return rx.zone_low_bpm, rx.zone_high_bpm, rx.target_bpm, rx.ceiling_bpm, rx.hrmax_bpm


def _therapist_speed(
    p: PatientParams, target_bpm: float, hrmax_formula_bpm: float, max_speed_kmh: float
) -> float:
    """The speed a therapist would pick from the profile (no knowledge of the true model).

    See :mod:`runningroom_app.wiring.therapist`; ``runningroom simulate --controller
    fixed-speed`` picks its speed the same way.
    """
    from runningroom_app.wiring.therapist import nominal_speed_kmh

    return nominal_speed_kmh(
        resting_hr_bpm=float(round(p.hr_rest_bpm)),
        hrmax_bpm=hrmax_formula_bpm,
        beta_blocked=p.beta_blocked,
        target_bpm=target_bpm,
        min_speed_kmh=1.5,
        max_speed_kmh=max_speed_kmh,
    )


def _oracle_plant(p: PatientParams, target_bpm: float, limits: Any, hr_ss: Any) -> Any:
    """The true plant near the operating point that gives the target.

    The gain is expressed per unit of the controllers' effective load
    (:class:`~runningroom.control.load.MetabolicLoad`, walking-km/h equivalents), taken
    as a secant over +/-0.25 km/h (or +/-0.5 % incline once the speed is capped).
    """
    from runningroom.control.base import PlantEstimate
    from runningroom.control.load import MetabolicLoad
    from runningroom_app.wiring.therapist import solve_speed_kmh as _solve_speed

    load = MetabolicLoad()
    vmax = limits.max_speed_kmh
    speed = _solve_speed(lambda v: hr_ss(p, v, 0.0), target_bpm, vmax)
    if hr_ss(p, vmax, 0.0) >= target_bpm or not limits.use_incline:
        lo, hi = max(speed - 0.25, 0.5), min(speed + 0.25, vmax)
        d_hr = hr_ss(p, hi, 0.0) - hr_ss(p, lo, 0.0)
        d_load = load.load(hi, 0.0) - load.load(lo, 0.0)
    else:
        grade = _solve_speed(lambda g: hr_ss(p, vmax, g), target_bpm, limits.max_incline_pct)
        lo, hi = max(grade - 0.5, 0.0), grade + 0.5
        d_hr = hr_ss(p, vmax, hi) - hr_ss(p, vmax, lo)
        d_load = load.load(vmax, hi) - load.load(vmax, lo)
    gain = d_hr / d_load if d_load > 0 else 0.0
    if gain <= 0.2:  # clipped at HRmax or VO2max: fall back to the walking gain
        gain = (hr_ss(p, 4.0, 0.0) - hr_ss(p, 3.0, 0.0)) / (
            load.load(4.0, 0.0) - load.load(3.0, 0.0)
        )
    return PlantEstimate(
        gain_bpm_per_kmh=max(gain, 0.2),
        gain_bpm_per_pct=None,
        tau_s=p.tau_slow_s,
        dead_time_s=p.dead_time_s,
    )


class _SnapshotRecorder:
    """``on_tick`` hook keeping one engine snapshot per control tick."""

    def __init__(self) -> None:
        self.snapshots: list[SessionSnapshot] = []

    def __call__(self, engine: SessionEngine, session_s: float) -> None:
        self.snapshots.append(engine.snapshot())


@dataclass(frozen=True)
class EngineTask:
    """One patient of an ``--engine`` run (picklable)."""

    n: int
    seed: int
    index: int
    controllers: tuple[str, ...]
    faults: bool = True


def run_engine_patient(task: EngineTask) -> list[dict[str, Any]]:
    """Run one patient through the real session engine for every controller and variant.

    Uses :func:`runningroom_app.wiring.simulated.run_simulation` (engine, supervisor, HR
    gate and filter, simulated treadmill with latency and belt acceleration, simulated
    strap with faults, a virtual therapist). The cool-down is shortened to 60 s (no
    metric uses it). ``fixed-speed`` starts the warm-up at the therapist's speed and
    keeps it; ``oracle`` gets the wiring's oracle plant (true gain near the start speed).
    """
    import asyncio

    from runningroom.bench.loop import trace_from_ticks
    from runningroom.bench.runner import (
        VARIANT_CONSTANT,
        VARIANT_STEPS,
        BenchProtocol,
        session_metrics,
    )
    from runningroom.model import PhaseKind, PhaseSpec, SessionTemplate
    from runningroom_app.wiring.simulated import run_simulation

    proto = BenchProtocol()
    case = SimCohortFactory(task.n, task.seed, task.faults)(task.index)
    p = _cohort(task.n, task.seed)[task.index]
    rows: list[dict[str, Any]] = []
    for variant in (VARIANT_CONSTANT, VARIANT_STEPS):
        steps = variant == VARIANT_STEPS
        template = SessionTemplate(
            name="bench",
            warmup=PhaseSpec(PhaseKind.WARMUP, proto.warmup_s),
            main=PhaseSpec(
                PhaseKind.MAIN,
                proto.main_s,
                target_offset_bpm=proto.step_amplitude_bpm if steps else 0.0,
                target_step_period_s=proto.step_half_period_s if steps else 0.0,
            ),
            cooldown=PhaseSpec(PhaseKind.COOLDOWN, 60.0),
        )
        for name in task.controllers:
            start = case.fixed_speed_kmh if name == "fixed-speed" else _START_SPEED_KMH
            profile = bench_profile(p, task.index, start_speed_kmh=start)
            recorder = _SnapshotRecorder()
            snaps = recorder.snapshots
            result = asyncio.run(
                run_simulation(
                    profile,
                    template,
                    seed=p.seed,
                    params=p,
                    controller=name,
                    faults=task.faults,
                    on_tick=recorder,
                )
            )
            ticks = [(snap, hr) for snap, (_t, hr) in zip(snaps, result.true_hr_bpm, strict=False)]
            trace = trace_from_ticks(ticks, proto)
            row: dict[str, Any] = session_metrics(case, trace, proto)
            row.update(controller=name, variant=variant, patient_id=task.index, tags=case.tags)
            rows.append(row)
    return rows


def run_engine(
    patients: int, seed: int, *, workers: int = 2, controllers: tuple[str, ...] | None = None
) -> list[dict[str, Any]]:
    """The benchmark through the real session engine (slower; see run_engine_patient)."""
    import multiprocessing

    from runningroom.bench.runner import BENCH_CONTROLLERS, summarise

    names = controllers or BENCH_CONTROLLERS
    tasks = [EngineTask(patients, seed, i, tuple(names)) for i in range(patients)]
    rows: list[dict[str, Any]] = []
    if workers <= 1:
        for task in tasks:
            rows.extend(run_engine_patient(task))
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for part in pool.imap_unordered(run_engine_patient, tasks, chunksize=2):
                rows.extend(part)
    rows.sort(key=lambda r: (r["patient_id"], r["variant"], r["controller"]))
    return summarise(rows)


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


_TABLE_COLUMNS = (
    ("controller", "controller"),
    ("rmse_median_bpm", "RMSE med"),
    ("rmse_p90_bpm", "RMSE p90"),
    ("step_rmse_median_bpm", "step RMSE"),
    ("oracle_ratio_median", "oracle x"),
    ("time_in_zone_pct_median", "in zone %"),
    ("entry_time_median_s", "entry s"),
    ("overshoot_p90_bpm", "overshoot p90"),
    ("ceiling_violations", "ceiling"),
    ("bias_last10_median_bpm", "bias10"),
    ("speed_change_per_min_median", "cmd/min"),
    ("max_speed_step_kmh", "max step"),
)


def format_table(summary: list[dict[str, Any]]) -> str:
    """A plain-text table of the main columns."""
    headers = [h for _k, h in _TABLE_COLUMNS]
    rows = [[_fmt(obj.get(k)) for k, _h in _TABLE_COLUMNS] for obj in summary]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def run(
    patients: int, seed: int, *, workers: int = 2, controllers: tuple[str, ...] | None = None
) -> list[dict[str, Any]]:
    """Run the benchmark and return the per-controller summary."""
    from runningroom.bench.runner import BENCH_CONTROLLERS, run_cohort, summarise

    rows = run_cohort(
        SimCohortFactory(patients, seed),
        patients,
        controllers=controllers or BENCH_CONTROLLERS,
        workers=workers,
    )
    return summarise(rows)


def _handle(args: argparse.Namespace) -> int:
    from runningroom.control import CONTROLLER_NAMES

    controllers = tuple(c.strip() for c in str(args.controllers).split(",") if c.strip())
    unknown = [c for c in controllers if c not in CONTROLLER_NAMES]
    if unknown or args.patients < 1:
        sys.stderr.write(
            f"runningroom bench: unknown controller(s) {', '.join(unknown)}\n"
            if unknown
            else "runningroom bench: --patients must be >= 1\n"
        )
        return 2
    if not args.verbose:
        # the simulated sessions' alarms are results, not problems of the run
        logging.getLogger("runningroom.session").setLevel(logging.ERROR)
    started = time.monotonic()
    runner = run_engine if args.engine else run
    summary = runner(args.patients, args.seed, workers=args.workers, controllers=controllers)
    elapsed_s = time.monotonic() - started
    if args.json:
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    else:
        sys.stdout.write(format_table(summary) + "\n")
        sys.stdout.write(
            f"{args.patients} patients, seed {args.seed}, {elapsed_s:.1f} s "
            f"({args.workers} workers)\n"
        )
    if args.json:
        sys.stderr.write(f"bench run time: {elapsed_s:.1f} s\n")
    return 0
