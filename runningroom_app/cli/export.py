"""``runningroom export``: write recorded sessions to files for the patient file or apps.

Formats: ``csv`` (samples one row per second, RR intervals and events per session,
and one summary file; comma separators, dot decimals, UTC), ``csv-excel-nl`` (the same
files for a spreadsheet with Dutch regional settings: ``;`` separators, decimal commas,
local time), ``json`` (full record with schema version), ``pdf`` (session report), ``fit``
and ``tcx`` (activity files for Garmin Connect, Strava, GoldenCheetah,
intervals.icu), ``fhir`` (FHIR R4 Bundle). Exports are pseudonymised (patient code
only) unless ``--include-name`` is given; files are created owner-only (0600) in an
owner-only directory. The written paths are printed one per line.
"""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

FORMATS = ("csv", "csv-excel-nl", "json", "pdf", "fit", "tcx", "fhir")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``export`` subcommand."""
    parser = subparsers.add_parser(
        "export",
        help="export recorded sessions (csv, csv-excel-nl, json, pdf, fit, tcx, fhir)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--session", default="last", metavar="ID|last|all",
                        help="session id, the patient's last session, or all (default: last)")
    parser.add_argument("--patient", metavar="CODE",
                        help="patient code (required with last/all)")
    parser.add_argument("--format", dest="fmt", choices=FORMATS, required=True)
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="output directory (created owner-only if missing)")
    parser.add_argument("--include-name", action="store_true",
                        help="include the patient's display name (default: pseudonymised)")
    parser.add_argument("--database", type=Path, metavar="FILE",
                        help="session database (default: the user's database)")
    parser.set_defaults(handler=_handle)


def _handle(args: argparse.Namespace) -> int:
    from runningroom import paths
    from runningroom.errors import RunningRoomError
    from runningroom.records.export import export_sessions
    from runningroom.records.store import (
        damaged_database_message,
        open_database,
        resolve_sessions,
    )

    if args.session.strip().lower() in ("last", "all") and not args.patient:
        sys.stderr.write(f"runningroom export: --session {args.session} needs --patient CODE\n")
        return 2
    db_path: Path = args.database or paths.database_path()
    try:
        conn = open_database(db_path, readonly=True)
    except RunningRoomError as exc:
        sys.stderr.write(f"runningroom export: {exc}\n")
        return 1
    try:
        ids = resolve_sessions(conn, args.session, args.patient)
        if args.fmt == "pdf":
            from ui.records.pdf import export_session_pdfs

            files = export_session_pdfs(conn, ids, args.out, include_name=args.include_name)
        else:
            files = export_sessions(conn, ids, args.fmt, args.out,
                                    include_name=args.include_name)
    except RunningRoomError as exc:
        sys.stderr.write(f"runningroom export: {exc}\n")
        return 1
    except sqlite3.DatabaseError as exc:
        sys.stderr.write(f"runningroom export: {damaged_database_message(db_path, exc)}\n")
        return 1
    finally:
        conn.close()
    for path in files:
        sys.stdout.write(f"{path}\n")
    return 0
