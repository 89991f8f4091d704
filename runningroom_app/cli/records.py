"""``runningroom records``: clinic records from the command line.

Actions:

* ``list [--patient CODE] [--json]``: patients, or one patient's session history
  (sessions left running by a crashed program are first marked aborted; any that cannot
  be written show as ``interrupted``);
* ``programme --patient CODE [--start DATE --weeks N --sessions-per-week N
  --minutes-per-week M --reference-speed KMH] [--json] [--pdf FILE]``: set or show
  the programme and its weekly adherence table (optionally as a PDF report);
* ``score --patient CODE --week N --name NAME (--value V | --delete)``: questionnaire
  scores per programme week (week 0 = baseline);
* ``backup --out FILE [--overwrite]``: the whole database to one file;
* ``restore --from FILE [--force]``: refuses when the current database has newer data
  or cannot be read (damaged); ``--force`` keeps a copy of it (a damaged file is renamed
  aside, never overwritten);
* ``delete-patient --patient CODE [--confirm CODE]``: deletes all of a patient's data
  after confirmation (typed, or ``--confirm`` repeating the code); recorded in the audit
  table without personal data.
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``records`` subcommand and its actions."""
    parser = subparsers.add_parser(
        "records",
        help="session history, programme adherence, backup/restore, delete a patient",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database", type=Path, metavar="FILE",
                        help="session database (default: the user's database)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = actions.add_parser("list", help="patients, or a patient's sessions")
    p.add_argument("--patient", metavar="CODE")
    p.add_argument("--json", action="store_true")

    p = actions.add_parser("programme", help="set or show a programme and its adherence")
    p.add_argument("--patient", metavar="CODE", required=True)
    p.add_argument("--start", type=date.fromisoformat, metavar="YYYY-MM-DD")
    p.add_argument("--weeks", type=int, metavar="N")
    p.add_argument("--sessions-per-week", type=int, metavar="N")
    p.add_argument("--minutes-per-week", type=float, metavar="MIN")
    p.add_argument("--reference-speed", type=float, metavar="KMH",
                   help="speed for the HR-at-fixed-speed fitness signal (0 = automatic)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--pdf", type=Path, metavar="FILE", help="write the programme report PDF")
    p.add_argument("--include-name", action="store_true",
                   help="PDF: include the display name (default: patient code only)")

    p = actions.add_parser("score", help="enter a questionnaire score for a programme week")
    p.add_argument("--patient", metavar="CODE", required=True)
    p.add_argument("--week", type=int, required=True)
    p.add_argument("--name", required=True)
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--value", type=float)
    group.add_argument("--delete", action="store_true")

    p = actions.add_parser("backup", help="back up the whole database to one file")
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    p.add_argument("--overwrite", action="store_true")

    p = actions.add_parser("restore", help="restore the database from a backup file")
    p.add_argument("--from", dest="source", type=Path, required=True, metavar="FILE")
    p.add_argument("--force", action="store_true",
                   help="restore even over newer data or a damaged database (a copy of it "
                        "is kept)")

    p = actions.add_parser("delete-patient", help="delete a patient and all their data")
    p.add_argument("--patient", metavar="CODE", required=True)
    p.add_argument("--confirm", metavar="CODE",
                   help="repeat the patient code to confirm without a prompt")
    p.add_argument("--keep-profile", action="store_true",
                   help="keep the patient's profile file")
    parser.set_defaults(handler=_handle)


def _fmt(value: float | None, decimals: int = 1) -> str:
    return "-" if value is None else f"{value:.{decimals}f}"


def _out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def _list(conn: Any, args: argparse.Namespace) -> int:
    from runningroom.records.history import session_history
    from runningroom.records.store import list_patient_codes

    if not args.patient:
        codes = list_patient_codes(conn)
        if args.json:
            _out(json.dumps(codes))
        else:
            for code in codes:
                _out(code)
        return 0
    rows = session_history(conn, args.patient)
    interrupted = _interrupted_sessions(conn)
    rows = [replace(r, status="interrupted") if r.session_id in interrupted else r
            for r in rows]
    if args.json:
        _out(json.dumps([
            {"session_id": r.session_id, "started_at": r.started_at.isoformat(),
             "status": r.status, "supervised": r.supervised, "template": r.template,
             "duration_s": r.duration_s, "minutes_in_zone": r.minutes_in_zone,
             "minutes_moderate": r.minutes_moderate, "avg_hr_bpm": r.avg_hr_bpm,
             "rpe": r.rpe, "alarms": r.alarms} for r in rows], indent=1))
        return 0
    _out(f"{'id':>5}  {'date (local)':16}  {'min':>5}  {'in zone':>7}  {'avg HR':>6}  "
         f"{'RPE':>4}  {'alarms':>6}  supervised  status")
    for r in rows:
        local = r.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        _out(f"{r.session_id:>5}  {local:16}  {r.duration_s / 60:>5.1f}  "
             f"{r.minutes_in_zone:>7.1f}  {_fmt(r.avg_hr_bpm):>6}  {_fmt(r.rpe, 0):>4}  "
             f"{r.alarms:>6}  {'yes' if r.supervised else 'no':10}  {r.status}")
    return 0


def _interrupted_sessions(conn: Any) -> set[int]:
    """Sessions still ``running`` in the file whose recording process is gone.

    ``list`` recovers such sessions first (as ``aborted``); this catches the ones it
    could not write (a read-only or busy database), so a crashed session never shows
    as running.
    """
    from runningroom.recording.recorder import recorder_alive

    try:
        rows = conn.execute(
            "SELECT session_id, recorder FROM sessions WHERE status = 'running'"
        ).fetchall()
    except sqlite3.OperationalError:  # an old file without the recorder column
        rows = [(r[0], None) for r in conn.execute(
            "SELECT session_id FROM sessions WHERE status = 'running'")]
    return {int(sid) for sid, recorder in rows if not recorder_alive(recorder)}


def _programme(conn: Any, args: argparse.Namespace) -> int:
    from runningroom.errors import RecordingError
    from runningroom.records.programme import (
        Programme,
        load_programme,
        save_programme,
        weekly_adherence,
    )

    current = load_programme(conn, args.patient)
    changes = [args.start, args.weeks, args.sessions_per_week, args.minutes_per_week,
               args.reference_speed]
    if any(v is not None for v in changes):
        if current is None and not _known_patient(conn, args.patient):
            return _unknown_patient("programme", args.patient)
        base = current or Programme(args.patient, args.start or date.today())
        ref = base.reference_speed_kmh
        if args.reference_speed is not None:
            ref = args.reference_speed or None
        try:
            current = Programme(
                args.patient,
                args.start or base.start_date,
                planned_weeks=args.weeks if args.weeks is not None else base.planned_weeks,
                sessions_per_week=args.sessions_per_week if args.sessions_per_week is not None
                else base.sessions_per_week,
                minutes_per_week_target=args.minutes_per_week
                if args.minutes_per_week is not None else base.minutes_per_week_target,
                reference_speed_kmh=ref,
            )
        except ValueError as exc:
            sys.stderr.write(f"runningroom records programme: {exc}\n")
            return 2
        save_programme(conn, current)
    if current is None:
        raise RecordingError(f"no programme set for patient {args.patient} (use --start DATE)")
    report = weekly_adherence(conn, current)
    if args.pdf is not None:
        from ui.records.pdf import write_programme_pdf

        _out(str(write_programme_pdf(conn, report, args.pdf, include_name=args.include_name)))
    if args.json:
        _out(json.dumps({
            "patient_code": current.patient_code,
            "start_date": current.start_date.isoformat(),
            "planned_weeks": current.planned_weeks,
            "sessions_per_week": current.sessions_per_week,
            "minutes_per_week_target": current.minutes_per_week_target,
            "reference_speed_kmh": report.reference_speed_kmh,
            "sessions_done": report.sessions_done,
            "sessions_planned": report.sessions_planned,
            "weeks": [{"week": w.week, "start": w.start.isoformat(),
                       "sessions_done": w.sessions_done, "sessions_planned": w.sessions_planned,
                       "supervised": w.supervised_done, "minutes_moderate": w.minutes_moderate,
                       "minutes_target": w.minutes_target,
                       "hr_at_ref_speed_bpm": w.hr_at_ref_speed_bpm,
                       "main_speed_kmh": w.main_speed_kmh, "rpe_mean": w.rpe_mean,
                       "scores": w.scores} for w in report.weeks],
        }, indent=1))
        return 0
    p = current
    _out(f"Programme {p.patient_code}: from {p.start_date}, {p.planned_weeks} weeks, "
         f"{p.sessions_per_week} sessions/week, {p.minutes_per_week_target:g} min/week")
    ref_text = _fmt(report.reference_speed_kmh)
    names = report.score_names
    _out(f"{'week':>4}  {'start':10}  {'sessions':>8}  {'superv.':>7}  {'dose min':>9}  "
         f"{'HR@' + ref_text + ' km/h':>12}  {'speed':>5}  {'RPE':>4}" +
         "".join(f"  {n:>8}" for n in names))
    for w in report.weeks:
        _out(f"{w.week:>4}  {w.start.isoformat():10}  "
             f"{f'{w.sessions_done}/{w.sessions_planned}':>8}  {w.supervised_done:>7}  "
             f"{f'{w.minutes_moderate:.0f}/{w.minutes_target:.0f}':>9}  "
             f"{_fmt(w.hr_at_ref_speed_bpm) + ('*' if w.hr_at_ref_estimated else ''):>12}  "
             f"{_fmt(w.main_speed_kmh):>5}  {_fmt(w.rpe_mean):>4}"
             + "".join(f"  {_fmt(w.scores.get(n)):>8}" for n in names))
    pct = report.session_adherence_pct
    _out(f"sessions {report.sessions_done}/{report.sessions_planned} planned so far"
         f" ({_fmt(pct, 0)} %), weekly dose met in {report.weeks_dose_met} weeks"
         " (* = HR estimated from the main phase with the patient's HR gain)")
    return 0


def _known_patient(conn: Any, code: str) -> bool:
    """True if ``code`` has a profile (clinic or bundled) or recorded sessions."""
    from runningroom.errors import ValidationError
    from runningroom.profiles_io import CODE_PATTERN, find_patient

    if not CODE_PATTERN.match(code):
        return False
    row = conn.execute("SELECT 1 FROM sessions WHERE patient_code = ? LIMIT 1", (code,))
    if row.fetchone() is not None:
        return True
    try:
        find_patient(code)
    except ValidationError as exc:
        # "not found" names the code itself; any other error is about an existing file
        return not (exc.source == code and exc.field == "")
    return True


def _unknown_patient(action: str, code: str) -> int:
    sys.stderr.write(
        f"runningroom records {action}: unknown patient {code!r}: no profile and no recorded "
        "sessions with that code (codes are case-sensitive); nothing saved\n"
    )
    return 2


def _score(conn: Any, args: argparse.Namespace) -> int:
    from runningroom.records.programme import delete_score, set_score

    if args.delete:
        if not delete_score(conn, args.patient, args.week, args.name):
            sys.stderr.write("runningroom records score: no such score\n")
            return 1
        return 0
    if not _known_patient(conn, args.patient):
        return _unknown_patient("score", args.patient)
    try:
        set_score(conn, args.patient, args.week, args.name, args.value)
    except ValueError as exc:
        sys.stderr.write(f"runningroom records score: {exc}\n")
        return 2
    return 0


def _delete(conn: Any, args: argparse.Namespace) -> int:
    from runningroom import paths
    from runningroom.records.patients import delete_patient

    confirm = args.confirm
    if confirm is None:
        if not sys.stdin.isatty():
            sys.stderr.write("runningroom records delete-patient: confirm with --confirm CODE\n")
            return 2
        sys.stdout.write(f"This deletes ALL data of patient {args.patient}. "
                         "Type the patient code to confirm: ")
        sys.stdout.flush()
        confirm = sys.stdin.readline().strip()
    try:
        report = delete_patient(conn, args.patient, confirm=confirm,
                                profiles_dir=None if args.keep_profile else paths.patients_dir())
    except ValueError as exc:
        sys.stderr.write(f"runningroom records delete-patient: {exc}\n")
        return 1
    _out(f"deleted: {report.sessions} sessions, {report.samples} samples, {report.events} "
         f"events, {report.programmes} programme, {report.scores} scores, "
         f"{report.profile_files} profile file(s)")
    return 0


def _recover_interrupted(db_path: Path) -> None:
    """Mark sessions left ``running`` by a crashed program as aborted (as the app does).

    Otherwise restore and delete-patient would refuse forever with "still recording"
    for a session nobody is recording, and list would show it as running. Sessions of
    a live recorder are left alone. A missing file is not created; an unreadable
    database is left for the action itself to report.
    """
    from runningroom.errors import RecordingError
    from runningroom.recording.recorder import SessionDatabase

    if not db_path.is_file() or db_path.stat().st_size == 0:
        return
    try:
        database = SessionDatabase(db_path)
    except RecordingError as exc:
        logger.debug("no recovery of interrupted sessions: %s", exc)
        return
    try:
        database.recover_interrupted()
    except RecordingError as exc:
        logger.warning("could not recover interrupted sessions: %s", exc)
    finally:
        database.close()


def _handle(args: argparse.Namespace) -> int:
    from runningroom import paths
    from runningroom.errors import RunningRoomError
    from runningroom.records.backup import backup_database, restore_database
    from runningroom.records.store import damaged_database_message, open_database

    db_path: Path = args.database or paths.database_path()
    prog = f"runningroom records {args.action}"
    if args.action in ("restore", "delete-patient", "list"):
        _recover_interrupted(db_path)
    try:
        if args.action == "backup":
            _out(str(backup_database(db_path, args.out, overwrite=args.overwrite)))
            return 0
        if args.action == "restore":
            saved = restore_database(args.source, db_path, force=args.force)
            _out(f"restored {db_path} from {args.source}")
            if saved is not None:
                _out(f"previous database kept as {saved}")
            return 0
        readonly = args.action == "list"
        conn = open_database(db_path, readonly=readonly, create=not readonly)
        try:
            if args.action == "list":
                return _list(conn, args)
            if args.action == "programme":
                return _programme(conn, args)
            if args.action == "score":
                return _score(conn, args)
            return _delete(conn, args)
        finally:
            conn.close()
    except RunningRoomError as exc:
        sys.stderr.write(f"{prog}: {exc}\n")
        return 1
    except sqlite3.DatabaseError as exc:
        sys.stderr.write(f"{prog}: {damaged_database_message(db_path, exc)}\n")
        return 1
