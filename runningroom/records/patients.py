"""Deleting a patient with all their data.

Removes every session (samples, events), the controller model carried between
sessions, the programme, the questionnaire scores and, when asked, the patient's
profile files. The deletion is recorded in the ``audit`` table with counts only: no
patient code, no name, nothing that identifies the person. ``secure_delete`` is on
for the deletion and the write-ahead log is truncated, so the removed rows are
overwritten in the file.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from runningroom.errors import RecordingError

logger = logging.getLogger(__name__)

AUDIT_ACTION_DELETE = "delete_patient"


@dataclass(frozen=True, slots=True)
class DeletionReport:
    """What a patient deletion removed (counts only).

    Attributes:
        sessions, samples, events, models, programmes, scores: rows deleted.
        profile_files: profile files removed.
    """

    sessions: int
    samples: int
    events: int
    models: int
    programmes: int
    scores: int
    profile_files: int


def _count(conn: sqlite3.Connection, sql: str, code: str) -> int:
    row = conn.execute(sql, (code,)).fetchone()
    return int(row[0]) if row else 0


def _table_exists(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)
    ).fetchone() is not None


def profile_files_for(patient_code: str, directory: Path) -> list[Path]:
    """Profile files (``*.toml``) in ``directory`` whose ``code`` is ``patient_code``."""
    found: list[Path] = []
    if not directory.is_dir():
        return found
    for path in sorted(directory.glob("*.toml")):
        try:
            with path.open("rb") as fh:
                doc = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if doc.get("code") == patient_code:
            found.append(path)
    return found


def delete_patient(
    conn: sqlite3.Connection,
    patient_code: str,
    *,
    confirm: str,
    profiles_dir: Path | None = None,
) -> DeletionReport:
    """Delete a patient and all their data, after confirmation.

    Args:
        conn: a writable connection to the session database.
        patient_code: the patient to delete.
        confirm: must repeat ``patient_code`` exactly (the confirmation).
        profiles_dir: also remove this directory's profile files of the patient.

    Returns:
        Counts of what was removed.

    Raises:
        ValueError: the confirmation does not match.
        RecordingError: the patient has no data at all, or a session is still recording.
    """
    if not patient_code or confirm != patient_code:
        raise ValueError("confirmation does not match the patient code; nothing deleted")
    has = {t: _table_exists(conn, t) for t in ("patient_models", "programmes",
                                                "questionnaire_scores")}
    running = _count(conn, "SELECT COUNT(*) FROM sessions WHERE patient_code = ? "
                           "AND status = 'running'", patient_code)
    if running:
        raise RecordingError("the patient has a session still recording; stop it first")
    sub = "SELECT session_id FROM sessions WHERE patient_code = ?"
    counts = {
        "sessions": _count(conn, "SELECT COUNT(*) FROM sessions WHERE patient_code = ?",
                           patient_code),
        "samples": _count(conn, f"SELECT COUNT(*) FROM samples WHERE session_id IN ({sub})",
                          patient_code),
        "events": _count(conn, f"SELECT COUNT(*) FROM events WHERE session_id IN ({sub})",
                         patient_code),
        "models": _count(conn, "SELECT COUNT(*) FROM patient_models WHERE patient_code = ?",
                         patient_code) if has["patient_models"] else 0,
        "programmes": _count(conn, "SELECT COUNT(*) FROM programmes WHERE patient_code = ?",
                             patient_code) if has["programmes"] else 0,
        "scores": _count(conn, "SELECT COUNT(*) FROM questionnaire_scores "
                               "WHERE patient_code = ?", patient_code)
        if has["questionnaire_scores"] else 0,
    }
    files = profile_files_for(patient_code, profiles_dir) if profiles_dir else []
    if not any(counts.values()) and not files:
        raise RecordingError(f"no data for patient {patient_code}")
    conn.execute("PRAGMA secure_delete = ON")
    with conn:
        conn.execute(f"DELETE FROM samples WHERE session_id IN ({sub})", (patient_code,))
        conn.execute(f"DELETE FROM events WHERE session_id IN ({sub})", (patient_code,))
        if _table_exists(conn, "session_forms"):  # check-in and notes: personal data too
            conn.execute(f"DELETE FROM session_forms WHERE session_id IN ({sub})", (patient_code,))
        conn.execute("DELETE FROM sessions WHERE patient_code = ?", (patient_code,))
        for table, present in has.items():
            if present:
                conn.execute(f"DELETE FROM {table} WHERE patient_code = ?", (patient_code,))
        detail = dict(counts, profile_files=len(files))
        conn.execute(
            "INSERT INTO audit (at, action, detail) VALUES (?, ?, ?)",
            (datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
             AUDIT_ACTION_DELETE, json.dumps(detail, sort_keys=True)),
        )
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.DatabaseError:
        logger.warning("could not truncate the write-ahead log after deletion")
    for path in files:
        path.unlink(missing_ok=True)
    logger.info("patient deleted: %s", json.dumps(detail, sort_keys=True))
    return DeletionReport(profile_files=len(files), **counts)
