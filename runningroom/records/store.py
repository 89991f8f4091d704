"""Reading recorded sessions back from the session database.

The recorder (:mod:`runningroom.recording.recorder`) writes the database; this module
only reads it (plus the records tables ``programmes`` and ``questionnaire_scores``,
which :mod:`runningroom.records.programme` writes). Every function takes an open
:class:`sqlite3.Connection` so callers decide about read-only access and transactions.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from runningroom.errors import RecordingError
from runningroom.recording.disk import disk_full_error, is_disk_full
from runningroom.recording.model import EventRecord, SampleRecord
from runningroom.records.forms import SessionForms, read_forms

logger = logging.getLogger(__name__)

#: Schema version of the session database this code reads and writes.
SCHEMA_VERSION = 1
#: Tables added by the records module.
RECORDS_TABLES = ("programmes", "questionnaire_scores")
#: Terminal session statuses (anything else is still recording).
ENDED_STATUSES = ("finished", "stopped", "emergency_stopped", "aborted")


def schema_sql() -> str:
    """The full database schema (``runningroom/recording/schema.sql``)."""
    return resources.files("runningroom.recording").joinpath("schema.sql").read_text("utf-8")


def create_owner_only(path: Path) -> None:
    """Create an empty file readable and writable by its owner only (0600).

    Raises:
        FileExistsError: the file already exists.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def is_session_database(conn: sqlite3.Connection) -> bool:
    """True when ``conn`` holds the RunningRoom ``sessions`` and ``samples`` tables."""
    try:
        names = {
            str(r[0])
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.DatabaseError as exc:
        if is_disk_full(exc):
            raise  # a full disk says nothing about what the file holds
        return False
    return {"sessions", "samples", "events"} <= names


def _has_tables(conn: sqlite3.Connection, names: tuple[str, ...]) -> bool:
    present = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return set(names) <= present


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create any missing table (idempotent: the schema only uses IF NOT EXISTS)."""
    conn.executescript(schema_sql())


def open_database(
    path: Path, *, readonly: bool = False, create: bool = False
) -> sqlite3.Connection:
    """Open the session database for the records functions.

    Args:
        path: the database file.
        readonly: open with ``mode=ro`` (no schema changes, no writes).
        create: create a new database (owner-only permissions) when ``path`` does not exist.

    Returns:
        A connection with foreign keys on and a 5 s busy timeout.

    Raises:
        RecordingError: the file is missing (and ``create`` is false) or is not a
            RunningRoom database.
        DiskFullError: the disk is full (a :class:`RecordingError` too).
    """
    if not path.exists():
        if not create or readonly:
            raise RecordingError(f"{path}: no session database")
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            create_owner_only(path)
        except OSError as exc:
            if is_disk_full(exc):
                raise disk_full_error(path, "cannot create session database", exc) from exc
            raise
    try:
        if readonly:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5.0)
        else:
            conn = sqlite3.connect(path, timeout=5.0)
        conn.execute("PRAGMA foreign_keys = ON")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION and not readonly:
            conn.close()
            raise RecordingError(
                f"{path}: database schema version {version} is newer than this RunningRoom "
                f"supports ({SCHEMA_VERSION}); not modified"
            )
        if not readonly:
            fresh = not is_session_database(conn)
            if fresh and path.stat().st_size > 0:
                conn.close()
                raise RecordingError(f"{path}: not a RunningRoom session database")
            check = conn.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                conn.close()
                raise RecordingError(
                    f"{path}: the database is damaged ({check[0] if check else '?'}); not "
                    "modified. Restore it from a backup (runningroom records restore)"
                )
            if fresh or not _has_tables(conn, RECORDS_TABLES):
                ensure_schema(conn)
        elif not is_session_database(conn):
            conn.close()
            raise RecordingError(f"{path}: not a RunningRoom session database")
    except sqlite3.DatabaseError as exc:
        if is_disk_full(exc):
            raise disk_full_error(path, "cannot open session database", exc) from exc
        raise RecordingError(f"{path}: cannot open session database: {exc}") from exc
    return conn


def damaged_database_message(path: Path, exc: sqlite3.DatabaseError) -> str:
    """The user-facing text for a database that fails while being read.

    A full disk is reported as such (the file is not damaged then).
    """
    if is_disk_full(exc):
        return str(disk_full_error(path, "reading the database", exc))
    return (
        f"{path}: the database is damaged or unreadable ({exc}); nothing was changed. "
        "Restore it from a backup (runningroom records restore)"
    )


def parse_time(text: str) -> datetime:
    """Parse an ISO 8601 time from the database; naive values are taken as UTC."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def iso_utc(value: datetime) -> str:
    """Format a time as ISO 8601 UTC with a ``Z`` suffix and whole seconds."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _json_obj(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        logger.warning("ignoring malformed JSON column: %.60s", text)
        return {}
    return data if isinstance(data, dict) else {}


@dataclass(frozen=True, slots=True)
class SessionMeta:
    """The ``sessions`` row of one recorded session, with JSON columns decoded."""

    session_id: int
    patient_code: str
    station: str
    started_at: datetime
    ended_at: datetime | None
    status: str
    supervised: bool
    profile: dict[str, Any]
    template: dict[str, Any]
    prescription: dict[str, Any]
    devices: dict[str, Any]
    summary: dict[str, Any]

    @property
    def template_name(self) -> str:
        """Name of the session template ("" when unknown)."""
        return str(self.template.get("name", ""))


@dataclass(frozen=True, slots=True)
class SessionData:
    """A whole recorded session: metadata, samples and events in time order."""

    meta: SessionMeta
    samples: list[SampleRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    forms: SessionForms = field(default_factory=SessionForms)

    @property
    def duration_s(self) -> float:
        """Recorded duration: summary value, else the last sample time, else wall times."""
        return session_duration_s(self.meta, self.samples[-1].t_s if self.samples else None)

    def wall_time(self, t_s: float) -> datetime:
        """Wall-clock time of session second ``t_s``."""
        return self.meta.started_at + timedelta(seconds=t_s)


def session_duration_s(meta: SessionMeta, last_t_s: float | None) -> float:
    """Duration of a session from its summary, its last sample or its wall times."""
    value = meta.summary.get("duration_s")
    if isinstance(value, (int, float)):
        return float(value)
    if last_t_s is not None:
        return float(last_t_s)
    if meta.ended_at is not None:
        return max(0.0, (meta.ended_at - meta.started_at).total_seconds())
    return 0.0


_META_COLUMNS = (
    "session_id, patient_code, station, started_at, ended_at, status, supervised, "
    "profile_json, template_json, prescription_json, devices_json, summary_json"
)


def _meta_from_row(row: tuple[Any, ...]) -> SessionMeta:
    return SessionMeta(
        session_id=int(row[0]),
        patient_code=str(row[1]),
        station=str(row[2]),
        started_at=parse_time(str(row[3])),
        ended_at=parse_time(str(row[4])) if row[4] else None,
        status=str(row[5]),
        supervised=bool(row[6]),
        profile=_json_obj(row[7]),
        template=_json_obj(row[8]),
        prescription=_json_obj(row[9]),
        devices=_json_obj(row[10]),
        summary=_json_obj(row[11]),
    )


def load_meta(conn: sqlite3.Connection, session_id: int) -> SessionMeta:
    """Load one session's metadata.

    Raises:
        RecordingError: no session with that id.
    """
    row = conn.execute(
        f"SELECT {_META_COLUMNS} FROM sessions WHERE session_id = ?", (session_id,)
    ).fetchone()
    if row is None:
        raise RecordingError(f"no session {session_id}")
    return _meta_from_row(tuple(row))


def list_metas(conn: sqlite3.Connection, patient_code: str | None = None) -> list[SessionMeta]:
    """Metadata of every session (of one patient when given), oldest first."""
    if patient_code is None:
        rows = conn.execute(f"SELECT {_META_COLUMNS} FROM sessions ORDER BY started_at, session_id")
    else:
        rows = conn.execute(
            f"SELECT {_META_COLUMNS} FROM sessions WHERE patient_code = ? "
            "ORDER BY started_at, session_id",
            (patient_code,),
        )
    return [_meta_from_row(tuple(r)) for r in rows]


def _rr_from_json(text: str) -> tuple[float, ...]:
    try:
        values = json.loads(text)
        return tuple(float(v) for v in values)
    except (json.JSONDecodeError, TypeError, ValueError):
        logger.warning("ignoring malformed RR intervals: %.60s", text)
        return ()


def load_samples(conn: sqlite3.Connection, session_id: int) -> list[SampleRecord]:
    """All samples of a session in time order."""
    rows = conn.execute(
        "SELECT t_s, phase, hr_raw_bpm, hr_filtered_bpm, hr_quality, rr_ms_json, target_bpm, "
        "zone_low_bpm, zone_high_bpm, speed_cmd_kmh, speed_meas_kmh, incline_cmd_pct, "
        "incline_meas_pct, distance_m FROM samples WHERE session_id = ? ORDER BY t_s",
        (session_id,),
    )
    # Column affinities (REAL/INTEGER/TEXT) already give the right Python types.
    out: list[SampleRecord] = []
    append = out.append
    empty: tuple[float, ...] = ()
    for r in rows:
        rr_text = r[5]
        rr = empty
        if rr_text and rr_text != "[]":
            try:  # "[812.0, 790.5]": a plain list of numbers, parsed without json
                rr = tuple(map(float, rr_text.strip("[] ").split(",")))
            except ValueError:
                rr = _rr_from_json(rr_text)
        append(SampleRecord(r[0], r[1], r[2], r[3], r[4], rr, r[6], r[7], r[8], r[9], r[10],
                            r[11], r[12], r[13]))
    return out


def load_events(conn: sqlite3.Connection, session_id: int) -> list[EventRecord]:
    """All events of a session in time order."""
    rows = conn.execute(
        "SELECT t_s, kind, cause, message, data_json FROM events WHERE session_id = ? "
        "ORDER BY t_s, event_id",
        (session_id,),
    )
    return [
        EventRecord(
            t_s=float(r[0]),
            kind=str(r[1]),
            cause=str(r[2]),
            message=str(r[3]),
            data=_json_obj(r[4]),
        )
        for r in rows
    ]


def load_session(conn: sqlite3.Connection, session_id: int) -> SessionData:
    """Load a whole session.

    Raises:
        RecordingError: no session with that id.
    """
    meta = load_meta(conn, session_id)
    return SessionData(
        meta,
        load_samples(conn, session_id),
        load_events(conn, session_id),
        read_forms(conn, session_id),
    )


def list_patient_codes(conn: sqlite3.Connection) -> list[str]:
    """Every patient code with at least one session or a programme, sorted."""
    codes = {str(r[0]) for r in conn.execute("SELECT DISTINCT patient_code FROM sessions")}
    # an older database may lack the records tables
    with contextlib.suppress(sqlite3.OperationalError):
        codes |= {str(r[0]) for r in conn.execute("SELECT patient_code FROM programmes")}
    return sorted(codes)


def resolve_sessions(
    conn: sqlite3.Connection, spec: str, patient_code: str | None = None
) -> list[int]:
    """Turn a ``--session`` argument into session ids.

    Args:
        conn: the database.
        spec: a numeric id, ``last`` (most recent session) or ``all``.
        patient_code: restrict to this patient (for ``last``/``all``; for a numeric id
            the session must belong to the patient).

    Returns:
        Session ids, oldest first.

    Raises:
        RecordingError: the spec is not understood or selects nothing.
    """
    spec = spec.strip().lower()
    where = " WHERE patient_code = ?" if patient_code else ""
    params: tuple[str, ...] = (patient_code,) if patient_code else ()
    if spec == "all":
        ids = [
            int(r[0])
            for r in conn.execute(
                f"SELECT session_id FROM sessions{where} ORDER BY started_at, session_id", params
            )
        ]
    elif spec == "last":
        row = conn.execute(
            f"SELECT session_id FROM sessions{where} ORDER BY started_at DESC, session_id DESC "
            "LIMIT 1",
            params,
        ).fetchone()
        ids = [] if row is None else [int(row[0])]
    elif spec.isdigit():
        meta = load_meta(conn, int(spec))
        if patient_code and meta.patient_code != patient_code:
            raise RecordingError(f"session {spec} does not belong to patient {patient_code}")
        ids = [meta.session_id]
    else:
        raise RecordingError(f"--session expects an id, 'last' or 'all', got {spec!r}")
    if not ids:
        who = f" for patient {patient_code}" if patient_code else ""
        raise RecordingError(f"no sessions{who}")
    return ids
