"""``runningroom simulate``: run a whole session against the simulator and summarise it.

Examples::

    runningroom simulate --profile DEMO-001 --template walking --seed 3
    runningroom simulate --profile DEMO-001 --template standard --speedup 60
    runningroom simulate --patient-model drivers/sim/example_patient_model.py --no-faults

The session is recorded (default database :func:`runningroom.paths.database_path`) like
a real one, so ``runningroom records`` and the app's history show it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from runningroom.session.engine import SessionEngine
    from runningroom_app.wiring.simulated import SimulationResult

logger = logging.getLogger(__name__)

_PHASE_LABELS = (("warmup", "warm-up"), ("main", "main"), ("cooldown", "cool-down"))


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``simulate`` subcommand."""
    parser = subparsers.add_parser(
        "simulate",
        help="run a whole session against the simulated treadmill and patient",
        description=(
            "Run a full session (warm-up, main, cool-down) against a simulated treadmill and "
            "a simulated patient, record it and print a summary. Runs as fast as possible "
            "unless --speedup is given."
        ),
    )
    parser.add_argument(
        "--profile",
        default="DEMO-001",
        help="patient code or profile file (default DEMO-001, the bundled demo patient)",
    )
    parser.add_argument(
        "--template",
        default="standard",
        help="template name (standard, walking, jogging, ...) or file (default standard)",
    )
    parser.add_argument("--seed", type=int, default=1, help="simulated patient seed (default 1)")
    pace = parser.add_mutually_exclusive_group()
    pace.add_argument(
        "--speedup",
        type=float,
        metavar="X",
        help="run in real time, X times faster (e.g. 60 plays 45 min in 45 s)",
    )
    pace.add_argument(
        "--as-fast-as-possible",
        action="store_true",
        help="run in virtual time without waiting (the default)",
    )
    parser.add_argument(
        "--patient-model",
        type=Path,
        metavar="FILE",
        help="Python file with a patient model (see drivers/sim/patient.py for the protocol)",
    )
    parser.add_argument("--db", type=Path, metavar="PATH", help="session database to record to")
    parser.add_argument("--no-record", action="store_true", help="do not record the session")
    parser.add_argument("--no-faults", action="store_true", help="no simulated HR sensor faults")
    parser.add_argument(
        "--handrail",
        action="store_true",
        help="the patient holds the handrails now and then (10-20 %% less load for 30-120 s)",
    )
    parser.add_argument(
        "--controller",
        default="model",
        help=(
            "controller: model (default), fixed-step, fixed-speed (the speed a therapist "
            "would choose from the profile) or oracle (knows the built-in patient's true "
            "plant; not with --patient-model)"
        ),
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(handler=_handle)


def _mmss(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    seconds = round(seconds)
    return f"{seconds // 60:d}:{seconds % 60:02d}"


def _fmt(value: float | None, unit: str, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f} {unit}"


def format_summary(
    result: SimulationResult,
    *,
    database: Path | None,
    profile_code: str,
    template_name: str,
    seed: int,
    controller: str,
) -> str:
    """Human-readable summary of a simulated session."""
    s = result.summary
    prescription = result.engine.prescription
    rid = f"session {result.session_id}" if result.session_id is not None else "session"
    lines = [
        f"Simulated {rid}: patient {profile_code}, template {template_name}, seed {seed}, "
        f"controller {controller}: {s.status}",
        f"  zone {prescription.zone_low_bpm:.0f}-{prescription.zone_high_bpm:.0f} bpm, "
        f"target {prescription.target_bpm:.0f} bpm, ceiling {prescription.ceiling_bpm:.0f} bpm "
        f"({prescription.zone_source})",
        f"  duration {_mmss(s.duration_s)} simulated in {result.wall_s:.2f} s",
        "  phase       duration  in zone",
    ]
    for key, label in _PHASE_LABELS:
        phase = s.phases.get(key)
        if phase is None:
            continue
        lines.append(
            f"  {label:<10}  {_mmss(phase.duration_s):>8}  {phase.time_in_zone_pct:5.1f} %"
            f"  ({_mmss(phase.time_in_zone_s)})"
        )
    after_entry = s.time_in_zone_pct_after_entry
    lines += [
        f"  entry time      {_mmss(s.entry_time_s)} after the main phase started"
        + ("" if after_entry is None else f"; {after_entry:.1f} % in zone after entry"),
        f"  RMS error       {_fmt(s.rmse_bpm, 'bpm', 2)} (main phase, after entry)",
        f"  max HR          {s.max_hr_bpm if s.max_hr_bpm is not None else '-'} bpm"
        f" (avg {_fmt(s.avg_hr_bpm, 'bpm')}; {s.time_above_ceiling_s:.0f} s above the ceiling)",
        f"  distance        {s.distance_m / 1000:.2f} km, "
        f"max speed {_fmt(s.max_speed_kmh, 'km/h')}",
        f"  alarms          {s.alarms}"
        + (f" ({', '.join(s.alarm_kinds)})" if s.alarm_kinds else ""),
    ]
    fault_plan = result.strap.sensor.plan
    if not fault_plan.empty:
        lines.append(
            f"  sensor faults   {len(fault_plan.gaps)} gaps, {len(fault_plan.zeros)} zeros, "
            f"{len(fault_plan.frozen)} frozen, {len(fault_plan.spikes)} spikes"
        )
    if database is not None:
        lines.append(f"  recorded in     {database}")
    return "\n".join(lines) + "\n"


def _progress(speedup: float | None) -> Any:
    """A per-tick callback printing a status line every simulated minute (real time)."""
    if speedup is None:
        return None
    last_minute = [-1]

    def on_tick(engine: SessionEngine, t_s: float) -> None:
        # one line per simulated minute started, whatever the tick spacing (ticks
        # arrive less regularly at high speed-ups on a busy machine)
        minute = int(t_s // 60.0)
        if minute <= last_minute[0]:
            return
        last_minute[0] = minute
        snap = engine.snapshot()
        hr = "-" if snap.hr_bpm is None else str(snap.hr_bpm)
        sys.stdout.write(
            f"{_mmss(t_s):>6}  {snap.state:<10} HR {hr:>3} bpm  target {snap.target_bpm:5.1f}"
            f"  speed {snap.speed_cmd_kmh:4.1f} km/h  incline {snap.incline_cmd_pct:4.1f} %\n"
        )
        sys.stdout.flush()

    return on_tick


def _handle(args: argparse.Namespace) -> int:
    from runningroom import paths
    from runningroom.errors import RunningRoomError
    from runningroom.profiles_io import find_patient, find_template

    try:
        return _run(args, paths, find_patient, find_template)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: the session was stopped and recorded as stopped\n")
        return 130
    except RunningRoomError as exc:
        sys.stderr.write(f"runningroom simulate: error: {exc}\n")
        return 2


def _run(args: argparse.Namespace, paths: Any, find_patient: Any, find_template: Any) -> int:
    from drivers.sim.patient import params_for_profile
    from runningroom.control import CONTROLLER_NAMES
    from runningroom.recording.recorder import SessionDatabase
    from runningroom_app.wiring.simulated import run_simulation

    if args.speedup is not None and not args.speedup > 0:
        sys.stderr.write("runningroom simulate: error: --speedup must be > 0\n")
        return 2
    if args.controller not in CONTROLLER_NAMES:
        sys.stderr.write(
            f"runningroom simulate: error: unknown controller {args.controller!r}; expected "
            f"one of {', '.join(CONTROLLER_NAMES)}\n"
        )
        return 2
    if args.controller == "oracle" and args.patient_model is not None:
        from runningroom_app.wiring.simulated import ORACLE_WITH_PLUGIN_MESSAGE

        sys.stderr.write(
            f"runningroom simulate: error: --controller oracle cannot be used with "
            f"--patient-model: {ORACLE_WITH_PLUGIN_MESSAGE}\n"
        )
        return 2
    profile = find_patient(args.profile)
    _check_prescription(profile, args.profile)
    template = find_template(args.template)
    params = params_for_profile(profile, args.seed)
    patient = None
    if args.patient_model is not None:
        from drivers.sim.plugin import load_patient_factory

        patient = load_patient_factory(args.patient_model)(params, args.seed)

    try:
        import runningroom.station  # noqa: F401

        use_station = True
    except ImportError:  # pragma: no cover - only while the station runtime is missing
        use_station = False

    db_path: Path | None = None
    database = None
    if not args.no_record:
        db_path = args.db or paths.database_path()
        database = SessionDatabase(db_path)
        database.recover_interrupted()
    recorded = True
    try:
        result = asyncio.run(
            run_simulation(
                profile,
                template,
                seed=args.seed,
                patient=patient,
                params=params,
                database=database,
                controller=args.controller,
                faults=not args.no_faults,
                speedup=args.speedup,
                on_tick=_progress(args.speedup),
                use_station=use_station,
                handrail=args.handrail,
            )
        )
        if database is not None:
            recorded = _recording_complete(database, result.session_id, result.summary.status)
    finally:
        if database is not None:
            database.close()
            for line in database.rescue_report():
                sys.stderr.write(f"runningroom simulate: {line}\n")
    if args.json:
        data = {
            "session_id": result.session_id,
            "database": None if db_path is None else str(db_path),
            "patient": profile.code,
            "template": template.name,
            "seed": args.seed,
            "controller": args.controller,
            "wall_s": round(result.wall_s, 3),
            "recorded": database is not None and recorded,
            "summary": result.summary.to_dict(),
        }
        sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")
    else:
        sys.stdout.write(
            format_summary(
                result,
                database=db_path if recorded else None,
                profile_code=profile.code,
                template_name=template.name,
                seed=args.seed,
                controller=args.controller,
            )
        )
    if not recorded:
        sys.stderr.write(
            f"runningroom simulate: error: the session was NOT fully recorded in {db_path} "
            "(see the errors above); its data may be missing or incomplete\n"
        )
        return 1
    return 0


def _check_prescription(profile: Any, given: str) -> None:
    """Check that today's prescription can be computed from ``profile``.

    An inconsistent profile (e.g. a ceiling below the zone) is then reported naming
    the file that was given, before anything runs.
    """
    from datetime import date

    from runningroom.errors import ValidationError
    from runningroom.prescription import compute_prescription

    try:
        compute_prescription(profile, date.today())
    except ValidationError as exc:
        if given.endswith(".toml") or "/" in given:
            raise ValidationError(given, exc.field, exc.expected, exc.got) from exc
        raise


def _recording_complete(database: Any, session_id: int | None, status: str) -> bool:
    """True when the database holds the session, finished with ``status``.

    A recording that failed (disk full, database removed or locked for too long) leaves
    the session ``running`` (or missing): the summary must not claim it was recorded.
    """
    import sqlite3

    from runningroom.errors import RunningRoomError

    if session_id is None:
        return False
    try:
        conn = database.connect_readonly()
        try:
            row = conn.execute(
                "SELECT status FROM sessions WHERE session_id = ?", (session_id,)
            ).fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, RunningRoomError):
        logger.exception("checking the recording of session %s failed", session_id)
        return False
    return row is not None and str(row[0]) == status
