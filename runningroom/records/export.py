"""Export recorded sessions to files: CSV (two dialects), JSON, FIT, TCX and FHIR.

PDF reports need Qt and live in :mod:`ui.records.pdf`; the command line and the GUI
call that module for ``pdf``. Every file is written owner-only (0600) into an
owner-only directory; exports are pseudonymised (patient code only) unless
``include_name`` is set.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from runningroom.errors import ExportError
from runningroom.records.csv_export import (
    EXCEL_NL,
    STANDARD,
    CsvDialect,
    session_base_name,
    summary_file_name,
    write_events_csv,
    write_rr_csv,
    write_samples_csv,
    write_summary_csv,
)
from runningroom.records.fhir import write_session_bundle
from runningroom.records.files import ensure_private_dir, safe_code, write_bytes_private
from runningroom.records.fit import encode_activity
from runningroom.records.history import HistoryRow, history_row
from runningroom.records.json_export import write_session_json
from runningroom.records.store import SessionData, load_session
from runningroom.records.tcx import encode_tcx

logger = logging.getLogger(__name__)

#: CSV formats and their dialects: ``csv`` for analysis tools and English spreadsheets,
#: ``csv-excel-nl`` for spreadsheets with Dutch regional settings.
CSV_FORMATS: dict[str, CsvDialect] = {"csv": STANDARD, "csv-excel-nl": EXCEL_NL}
#: Formats this module writes (``pdf`` is handled by ``ui.records.pdf``).
CORE_FORMATS = (*CSV_FORMATS, "json", "fit", "tcx", "fhir")
#: Every format the export command accepts.
ALL_FORMATS = (*CORE_FORMATS, "pdf")

#: Called after each session with (done, total).
Progress = Callable[[int, int], None]


def export_session(data: SessionData, row: HistoryRow, fmt: str, out_dir: Path, *,
                   include_name: bool = False) -> list[Path]:
    """Write one session in one core format; returns the files written.

    For the CSV formats this writes the samples, RR-interval and events files (the
    summary file is written once per export by :func:`export_sessions`).

    Raises:
        ExportError: unknown format, or the file cannot be written.
    """
    base = out_dir / session_base_name(data)
    try:
        dialect = CSV_FORMATS.get(fmt)
        if dialect is not None:
            return [write_samples_csv(data, out_dir, dialect),
                    write_rr_csv(data, out_dir, dialect),
                    write_events_csv(data, out_dir, dialect)]
        if fmt == "json":
            return [write_session_json(data, base.with_suffix(".json"),
                                       include_name=include_name)]
        if fmt == "fit":
            return [write_bytes_private(base.with_suffix(".fit"), encode_activity(data))]
        if fmt == "tcx":
            return [write_bytes_private(base.with_suffix(".tcx"), encode_tcx(data))]
        if fmt == "fhir":
            return [write_session_bundle(data, row, out_dir / f"{base.name}_fhir.json",
                                         include_name=include_name)]
    except ValueError as exc:
        raise ExportError(f"session {data.meta.session_id}: {exc}") from exc
    raise ExportError(f"unknown export format {fmt!r}; expected one of {', '.join(CORE_FORMATS)}")


def export_sessions(
    conn: sqlite3.Connection,
    session_ids: Sequence[int],
    fmt: str,
    out_dir: Path,
    *,
    include_name: bool = False,
    progress: Progress | None = None,
) -> list[Path]:
    """Export sessions in a core format into ``out_dir`` (created 0700 if missing).

    Sessions without samples are skipped for FIT and TCX (with a warning); the CSV
    formats add a ``<code>_sessions_summary[_excel-nl].csv`` with one row per exported
    session (``all_...`` when the sessions belong to several patients).

    Returns:
        Every file written, in order.

    Raises:
        ExportError: unknown format or an unwritable directory/file.
        RecordingError: a session id does not exist.
    """
    if fmt not in CORE_FORMATS:
        raise ExportError(
            f"unknown export format {fmt!r}; expected one of {', '.join(CORE_FORMATS)}"
        )
    ensure_private_dir(out_dir)
    files: list[Path] = []
    summary_items: list[tuple[SessionData, HistoryRow]] = []
    codes: set[str] = set()
    total = len(session_ids)
    for n, sid in enumerate(session_ids, start=1):
        data = load_session(conn, sid)
        row = history_row(conn, data.meta)
        codes.add(data.meta.patient_code)
        if fmt in ("fit", "tcx") and not data.samples:
            logger.warning("session %s has no samples; not exported as %s", sid, fmt)
        else:
            files.extend(export_session(data, row, fmt, out_dir, include_name=include_name))
        if fmt in CSV_FORMATS:
            summary_items.append((SessionData(data.meta, events=data.events), row))
        if progress is not None:
            progress(n, total)
    if fmt in CSV_FORMATS and summary_items:
        stem = safe_code(next(iter(codes))) if len(codes) == 1 else "all"
        dialect = CSV_FORMATS[fmt]
        files.append(write_summary_csv(summary_items, out_dir / summary_file_name(stem, dialect),
                                       include_name=include_name, dialect=dialect))
    logger.info("exported %d sessions as %s to %s (%d files)", total, fmt, out_dir, len(files))
    return files

