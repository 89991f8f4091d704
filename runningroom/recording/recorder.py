"""Crash-safe session recording to SQLite.

One :class:`SessionDatabase` per database file (normally :func:`runningroom.paths.database_path`)
and one :class:`SessionRecorder` per running session (one per station).

Guarantees:

* The database is opened in WAL mode with ``synchronous=NORMAL``; the file (and its
  ``-wal``/``-shm`` companions, which SQLite creates with the same mode) is 0600.
* The session row is committed by :meth:`SessionDatabase.start_session`, so even a
  session killed in its first second is found on the next start.
* Samples and events are buffered in memory and committed as soon as the buffer holds
  at least ``commit_interval_s`` (1 s) of session time, or its oldest row has waited
  ``max_buffer_wall_s`` (1 s) of wall time. A process killed at any moment therefore
  loses at most the last ~2 s of data. ``flush()`` commits at once.
* :meth:`SessionDatabase.recover_interrupted` turns sessions left ``running`` by a dead
  process into ``aborted`` (with an event) and keeps all their data.
* A file that is not a RunningRoom database, is corrupt, or comes from a newer schema
  raises :class:`~runningroom.errors.RecordingError`; a locked one raises
  :class:`~runningroom.errors.DatabaseLockedError`. Such a file is only ever opened
  read-only: it is never overwritten or modified. A full disk (``SQLITE_FULL``,
  ``ENOSPC``) raises :class:`~runningroom.errors.DiskFullError` saying so, whatever
  step it interrupts, never "not a readable SQLite database".
* Rows still uncommitted when the database is closed go to a verified rescue file in
  the first location with room: next to the database, the user's data directory, the
  home directory, the temporary directory (:func:`rescue_dirs`); the database's
  ``rescued`` says where, and rows no location could take stay in memory (``unsaved``).
* A write failure while recording (disk full, I/O error, lock) raises
  :class:`~runningroom.errors.RecordingError` from ``record_*``/``flush``/``finish``.
  Rows accepted earlier stay buffered in memory and go out with the next successful
  commit; while failing, every ``record_*`` call retries the commit. The row passed to
  a ``record_*`` call that raises is *not* kept: the caller owns it and retries it (the
  engine queues it), so every row is stored exactly once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import json
import logging
import math
import os
import socket
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from enum import Enum
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from runningroom import paths
from runningroom.control.base import PlantEstimate
from runningroom.errors import DatabaseLockedError, RecordingError, ValidationError
from runningroom.model import PatientProfile, Prescription, SessionTemplate
from runningroom.prescription import prescription_to_dict
from runningroom.profiles_io import profile_to_dict, template_to_dict
from runningroom.recording.disk import disk_full_error, is_disk_full
from runningroom.recording.model import EventRecord, SampleRecord

logger = logging.getLogger(__name__)

#: Schema version this code writes (``PRAGMA user_version``).
SCHEMA_VERSION: Final = 1
#: ``PRAGMA application_id`` of a RunningRoom database ("RRm1").
APPLICATION_ID: Final = 0x52526D31
#: Session statuses accepted by :meth:`SessionRecorder.finish`.
FINAL_STATUSES: Final = frozenset({"finished", "stopped", "emergency_stopped", "aborted"})

_SQLITE_MAGIC = b"SQLite format 3\x00"
_OUR_TABLES = frozenset({"sessions", "samples", "events"})
_CHECK_TIMEOUT_S = 2.0


def schema_sql() -> str:
    """The database schema (``runningroom/recording/schema.sql``)."""
    return resources.files("runningroom.recording").joinpath("schema.sql").read_text("utf-8")


def iso_utc(value: datetime) -> str:
    """ISO 8601 UTC text with milliseconds and a ``Z`` suffix (naive values taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    text = value.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def _jsonable(value: Any) -> Any:
    """Convert to JSON-ready data: dataclasses, enums, tuples, sets, datetimes, paths.

    Non-finite floats become None so the stored text is strict JSON.
    """
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(_jsonable(k)): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_jsonable(v) for v in value), key=repr)
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, Path):
        return str(value)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return _jsonable(to_dict())
    return str(value)


def _dumps(value: Any) -> str:
    return json.dumps(_jsonable(value), ensure_ascii=False, allow_nan=False)


def _is_lock_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def _wrap(exc: sqlite3.Error, what: str, path: Path) -> RecordingError:
    if is_disk_full(exc):
        return disk_full_error(path, what, exc)
    if _is_lock_error(exc):
        return DatabaseLockedError(
            f"{path}: {what}: the database is locked by another program or RunningRoom"
            f" instance ({exc})"
        )
    return RecordingError(f"{path}: {what}: {exc}")


# ---- process identity (to tell a live recorder from a dead one) ---------------------------


def _proc_start(pid: int) -> str | None:
    """Start time of process ``pid`` (Linux ``/proc``), to detect a recycled pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None


def _proc_exited(pid: int) -> bool:
    """True if ``pid`` has exited but not been reaped yet (zombie / dead in ``/proc``).

    A recording process killed by a crash stays a zombie until its parent reaps it;
    ``kill(pid, 0)`` still succeeds then, but it will never write again.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    fields = stat.rsplit(")", 1)[-1].split()
    return bool(fields) and fields[0] in ("Z", "X", "x")


def _recorder_identity() -> dict[str, Any]:
    pid = os.getpid()
    return {"host": socket.gethostname(), "pid": pid, "proc_start": _proc_start(pid)}


def _recorder_alive(identity_json: str | None) -> bool:
    """True if the recorder that owns a running session is still alive on this host."""
    if not identity_json:
        return False
    try:
        identity = json.loads(identity_json)
        host = identity["host"]
        pid = int(identity["pid"])
        start = identity.get("proc_start")
    except (ValueError, KeyError, TypeError):
        return False
    if host != socket.gethostname():
        return False  # we cannot check another machine; treat as interrupted
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    if _proc_exited(pid):
        return False
    return start is None or _proc_start(pid) == start


def recorder_alive(identity_json: str | None) -> bool:
    """True if the process recording a ``running`` session (its ``recorder`` column) lives.

    False for a recorder on another host, a dead process, a reused pid, or a missing or
    unreadable identity: such a session was interrupted (see
    :meth:`SessionDatabase.recover_interrupted`).
    """
    return _recorder_alive(identity_json)


# ---- the database -------------------------------------------------------------------------


class SessionDatabase:
    """One session database file, opened for recording.

    Args:
        path: the SQLite file; created (mode 0600) if it does not exist.
        busy_timeout_s: how long a write waits for another writer before
            :class:`DatabaseLockedError`.
        monotonic: wall-time source for the commit cadence (tests inject a fake).

    Raises:
        RecordingError: the file is not a RunningRoom database, is corrupt, or uses a
            newer schema. The file is left untouched.
        DatabaseLockedError: another process holds the database locked.

    Attributes:
        path: the database file.
        rescued: session id -> rescue file written by :meth:`close` for rows the
            database could not take.
        unsaved: recorders whose rows neither the database nor any rescue location
            could take (rows kept in memory; see :meth:`close`).
    """

    def __init__(
        self,
        path: Path,
        *,
        busy_timeout_s: float = 0.25,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path)
        self._monotonic = monotonic
        self._lock = threading.RLock()
        self._active: dict[int, SessionRecorder] = {}
        self._closed = False
        self.rescued: dict[int, Path] = {}
        self.unsaved: list[SessionRecorder] = []
        self._check_timeout_s = max(busy_timeout_s, 0.05)
        fresh = self._inspect_existing()
        if fresh and not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                raise RecordingError(
                    f"{self.path}: the file appeared while opening; not touching it"
                ) from None
            except OSError as exc:
                if is_disk_full(exc):
                    raise disk_full_error(self.path, "cannot create database", exc) from exc
                raise RecordingError(f"{self.path}: cannot create database: {exc}") from exc
            os.close(fd)
        try:
            self._conn = sqlite3.connect(
                str(self.path),
                timeout=busy_timeout_s,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise _wrap(exc, "cannot open", self.path) from exc
        try:
            self._setup()
        except sqlite3.Error as exc:
            self._conn.close()
            raise _wrap(exc, "cannot prepare the database", self.path) from exc
        except BaseException:
            self._conn.close()
            raise
        if os.stat(self.path).st_mode & 0o077:
            os.chmod(self.path, 0o600)

    @classmethod
    def default(cls) -> SessionDatabase:
        """Open the user's default database (:func:`runningroom.paths.database_path`)."""
        return cls(paths.database_path())

    # -- opening ------------------------------------------------------------------------

    def _inspect_existing(self) -> bool:
        """Check an existing file read-only. Returns True if it needs the schema."""
        path = self.path
        if not path.exists():
            return True
        if not path.is_file():
            raise RecordingError(f"{path}: not a regular file")
        try:
            with path.open("rb") as handle:
                header = handle.read(100)
        except OSError as exc:
            if is_disk_full(exc):
                raise disk_full_error(path, "cannot read", exc) from exc
            raise RecordingError(f"{path}: cannot read: {exc}") from exc
        if not header:
            return True  # an empty file is an empty database
        if not header.startswith(_SQLITE_MAGIC) or len(header) < 100:
            raise RecordingError(
                f"{path}: not an SQLite database (RunningRoom will not overwrite it;"
                " move it away or choose another file)"
            )
        try:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=self._check_timeout_s
            )
        except sqlite3.Error as exc:
            raise _wrap(exc, "cannot open", path) from exc
        try:
            app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = {
                str(row[0])
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if tables >= _OUR_TABLES:
                # Touch every table's root page so that gross corruption shows up now.
                for table in sorted(_OUR_TABLES):
                    conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT 1)")
        except sqlite3.Error as exc:
            if _is_lock_error(exc) or is_disk_full(exc):
                raise _wrap(exc, "cannot read", path) from exc
            raise RecordingError(
                f"{path}: not a readable SQLite database ({exc}); RunningRoom will not overwrite it"
            ) from exc
        finally:
            conn.close()
        if app_id not in (0, APPLICATION_ID):
            raise RecordingError(
                f"{path}: an SQLite database of another application (id {app_id:#x});"
                " RunningRoom will not modify it"
            )
        if version > SCHEMA_VERSION:
            raise RecordingError(
                f"{path}: database schema version {version} is newer than this RunningRoom"
                f" supports ({SCHEMA_VERSION}); update RunningRoom. The file was not changed"
            )
        if not tables:
            return True
        if app_id == 0 and not tables >= _OUR_TABLES:
            raise RecordingError(
                f"{path}: an SQLite database without the RunningRoom tables"
                f" ({', '.join(sorted(tables)[:5])}); RunningRoom will not modify it"
            )
        return version < SCHEMA_VERSION

    def _setup(self) -> None:
        conn = self._conn
        mode = str(conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]).lower()
        if mode != "wal":
            logger.warning("%s: journal mode is %s, not WAL", self.path, mode)
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.executescript("BEGIN IMMEDIATE;\n" + schema_sql() + "\nCOMMIT;")
        self._migrate()

    def _migrate(self) -> None:
        """Add columns that newer code of the same schema version expects."""
        wanted = {
            "sessions": [("recorder", "TEXT")],
            "patient_models": [
                ("dead_time_s", "REAL"),
                ("estimate_json", "TEXT NOT NULL DEFAULT '{}'"),
            ],
        }
        for table, columns in wanted.items():
            present = {str(r[1]) for r in self._conn.execute(f"PRAGMA table_info({table})")}
            for name, decl in columns:
                if name not in present:
                    self._conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def _transaction(self, what: str) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT under the lock; errors become RecordingError."""
        with self._lock:
            if self._closed:
                raise RecordingError(f"{self.path}: {what}: the database is closed")
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _wrap(exc, what, self.path) from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        logger.exception("%s: rollback failed", self.path)
                if isinstance(exc, sqlite3.Error):
                    raise _wrap(exc, what, self.path) from exc
                raise

    # -- public API ----------------------------------------------------------------------

    def recover_interrupted(self) -> list[int]:
        """Mark sessions left ``running`` by a dead process as ``aborted``.

        Sessions whose recording process is still alive on this machine (another
        station, another instance) are left alone. For each recovered session an event
        (kind ``state``, cause ``system``) is added at the last recorded time, and
        ``ended_at`` is set to the start time plus that time. Samples and events are kept.

        Returns:
            The ids of the recovered sessions.

        Raises:
            RecordingError: the database cannot be written.
        """
        recovered: list[int] = []
        now = iso_utc(datetime.now(UTC))
        with self._transaction("recovering interrupted sessions") as conn:
            rows = conn.execute(
                "SELECT session_id, started_at, recorder FROM sessions WHERE status = 'running'"
                " ORDER BY session_id"
            ).fetchall()
            for session_id, started_at, recorder in rows:
                if session_id in self._active or _recorder_alive(recorder):
                    continue
                last_t_s = conn.execute(
                    "SELECT max(t) FROM (SELECT max(t_s) AS t FROM samples WHERE session_id = ?"
                    " UNION ALL SELECT max(t_s) FROM events WHERE session_id = ?)",
                    (session_id, session_id),
                ).fetchone()[0]
                last_t_s = float(last_t_s) if last_t_s is not None else 0.0
                try:
                    start = datetime.fromisoformat(str(started_at).replace("Z", "+00:00"))
                    ended_at = iso_utc(start + timedelta(seconds=last_t_s))
                except ValueError:
                    ended_at = now
                conn.execute(
                    "INSERT INTO events (session_id, t_s, at, kind, cause, message, data_json)"
                    " VALUES (?, ?, ?, 'state', 'system', ?, ?)",
                    (
                        session_id,
                        last_t_s,
                        ended_at,
                        "Session interrupted (the program ended without finishing it);"
                        " marked aborted on recovery",
                        _dumps(
                            {
                                "from": "running",
                                "to": "aborted",
                                "reason": "interrupted",
                                "recovered_at": now,
                            }
                        ),
                    ),
                )
                conn.execute(
                    "UPDATE sessions SET status = 'aborted', ended_at = ? WHERE session_id = ?",
                    (ended_at, session_id),
                )
                recovered.append(int(session_id))
        for session_id in recovered:
            logger.warning("%s: session %d was interrupted; marked aborted", self.path, session_id)
        return recovered

    def start_session(
        self,
        *,
        patient_code: str,
        started_at: datetime,
        profile: PatientProfile,
        template: SessionTemplate,
        prescription: Prescription,
        station: str = "station-1",
        supervised: bool = True,
        devices: Mapping[str, str] | None = None,
    ) -> SessionRecorder:
        """Create (and commit) the session row and return its recorder.

        Args:
            patient_code: the pseudonymous patient code.
            started_at: session start (wall clock; naive values are taken as UTC).
                Event times (``at``) are ``started_at + t_s``.
            profile: snapshot stored with the session.
            template: snapshot stored with the session.
            prescription: snapshot stored with the session.
            station: station name.
            supervised: whether a therapist supervises the session.
            devices: role -> address/description of the devices used.

        Raises:
            RecordingError: the row could not be written.
        """
        started_iso = iso_utc(started_at)
        with self._transaction("starting a session") as conn:
            cursor = conn.execute(
                "INSERT INTO sessions (patient_code, station, started_at, status, supervised,"
                " profile_json, template_json, prescription_json, devices_json, recorder)"
                " VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)",
                (
                    patient_code,
                    station,
                    started_iso,
                    1 if supervised else 0,
                    _dumps(profile_to_dict(profile)),
                    _dumps(template_to_dict(template)),
                    _dumps(prescription_to_dict(prescription)),
                    _dumps(dict(devices or {})),
                    _dumps(_recorder_identity()),
                ),
            )
            session_id = cursor.lastrowid
        assert session_id is not None
        start = started_at if started_at.tzinfo is not None else started_at.replace(tzinfo=UTC)
        recorder = SessionRecorder(self, int(session_id), start)
        with self._lock:
            self._active[recorder.session_id] = recorder
        return recorder

    def load_plant_estimate(self, patient_code: str) -> PlantEstimate | None:
        """The plant estimate carried over from the patient's previous session, if any."""
        with self._lock:
            try:
                row = self._conn.execute(
                    "SELECT gain_bpm_per_kmh, gain_bpm_per_pct, tau_s, dead_time_s,"
                    " estimate_json FROM patient_models WHERE patient_code = ?",
                    (patient_code,),
                ).fetchone()
            except sqlite3.Error as exc:
                raise _wrap(exc, "reading the plant estimate", self.path) from exc
        if row is None:
            return None
        values: dict[str, Any] = {
            "gain_bpm_per_kmh": row[0],
            "gain_bpm_per_pct": row[1],
            "tau_s": row[2],
            "dead_time_s": row[3],
        }
        try:
            extra = json.loads(row[4] or "{}")
        except ValueError:
            extra = {}
        if isinstance(extra, dict):
            values.update(extra)
        known = {f.name for f in dataclasses.fields(PlantEstimate)}
        try:
            return PlantEstimate(**{k: v for k, v in values.items() if k in known})
        except TypeError as exc:  # pragma: no cover - a required field was added
            logger.warning("%s: unusable plant estimate for %s: %s", self.path, patient_code, exc)
            return None

    def save_plant_estimate(self, patient_code: str, est: PlantEstimate, session_id: int) -> None:
        """Store (replace) the patient's plant estimate, identified in ``session_id``.

        Raises:
            ValidationError: a value is not a finite number.
            RecordingError: the database cannot be written.
        """
        fields = {f.name: getattr(est, f.name) for f in dataclasses.fields(est)}
        for name, value in fields.items():
            if value is not None and (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
            ):
                raise ValidationError("plant estimate", name, "a finite number", value)
        with self._transaction("saving the plant estimate") as conn:
            conn.execute(
                "INSERT INTO patient_models (patient_code, gain_bpm_per_kmh, gain_bpm_per_pct,"
                " tau_s, dead_time_s, estimate_json, updated_at, session_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(patient_code) DO UPDATE SET"
                " gain_bpm_per_kmh = excluded.gain_bpm_per_kmh,"
                " gain_bpm_per_pct = excluded.gain_bpm_per_pct, tau_s = excluded.tau_s,"
                " dead_time_s = excluded.dead_time_s, estimate_json = excluded.estimate_json,"
                " updated_at = excluded.updated_at, session_id = excluded.session_id",
                (
                    patient_code,
                    est.gain_bpm_per_kmh,
                    est.gain_bpm_per_pct,
                    est.tau_s,
                    getattr(est, "dead_time_s", None),
                    _dumps(fields),
                    iso_utc(datetime.now(UTC)),
                    session_id,
                ),
            )

    def connect_readonly(self) -> sqlite3.Connection:
        """A new read-only connection (``mode=ro``, ``query_only``) for records queries.

        Rows are plain tuples. The caller closes it.
        """
        try:
            conn = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro",
                uri=True,
                timeout=_CHECK_TIMEOUT_S,
                check_same_thread=False,
            )
            conn.execute("PRAGMA query_only=ON")
        except sqlite3.Error as exc:
            raise _wrap(exc, "cannot open read-only", self.path) from exc
        return conn

    def close(self) -> None:
        """Close the database.

        Sessions still recording are flushed and finished as ``aborted`` (with an event)
        on a best-effort basis; errors are logged. A session whose rows cannot be
        committed goes to a rescue file (:meth:`SessionRecorder.write_rescue_file`):
        :attr:`rescued` maps its id to the file written; a session for which no rescue
        location worked either is in :attr:`unsaved` with its rows still in memory
        (its ``rescue_error`` says so; ``write_rescue_file`` may be retried).
        """
        with self._lock:
            if self._closed:
                return
            for recorder in list(self._active.values()):
                wanted = recorder.finish_wanted
                try:
                    if wanted is not None:
                        # finish() failed earlier (database locked, disk full): retry it
                        # with the real status and summary rather than "aborted"
                        recorder.finish(*wanted)
                    else:
                        recorder.abort("the session database was closed while recording")
                except RecordingError:
                    logger.exception(
                        "%s: could not close session %d", self.path, recorder.session_id
                    )
                    rescue = recorder.write_rescue_file()
                    if rescue is not None:
                        self.rescued[recorder.session_id] = rescue
                    elif recorder.pending or recorder.finish_wanted is not None:
                        self.unsaved.append(recorder)
            self._active.clear()
            self._closed = True
            self._conn.close()

    def rescue_report(self) -> list[str]:
        """One line per session :meth:`close` could not store: where its rows went.

        Empty when every session reached the database. Meant for the user (CLI, UI).
        """
        lines = [
            f"session {sid}: the database could not be written; its unsaved rows are in {path}"
            for sid, path in sorted(self.rescued.items())
        ]
        lines.extend(str(r.rescue_error) for r in self.unsaved if r.rescue_error)
        return lines

    def __enter__(self) -> SessionDatabase:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- used by SessionRecorder ---------------------------------------------------------

    def _now_wall_s(self) -> float:
        return self._monotonic()

    def _forget(self, session_id: int) -> None:
        with self._lock:
            self._active.pop(session_id, None)


# ---- rescue files -------------------------------------------------------------------------


def rescue_dirs(database_path: Path) -> list[Path]:
    """Where rescue files are tried, in order, without duplicates.

    Next to the database; the user's data directory
    (:func:`runningroom.paths.data_home`); the home directory; the system's temporary
    directory. A location that cannot even be determined is left out.
    """
    candidates: list[Callable[[], Path]] = [
        lambda: database_path.parent,
        paths.data_home,
        Path.home,
        lambda: Path(tempfile.gettempdir()),
    ]
    result: list[Path] = []
    seen: set[Path] = set()
    for candidate in candidates:
        try:
            directory = candidate()
            key = directory.resolve()
        except (OSError, RuntimeError) as exc:
            logger.warning("rescue location not available: %s", exc)
            continue
        if key not in seen:
            seen.add(key)
            result.append(directory)
    return result


def _write_verified(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` (0600) atomically and check it reads back the same.

    A temporary file in the same directory is written, synced, read back, compared and
    renamed to ``path``; on any failure it is removed and the error raised, and
    ``path`` does not exist.

    Raises:
        OSError: the directory cannot take the file (disk full, no permission, ...), or
            the file read back differs (``EIO``).
    """
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if tmp.read_bytes() != payload:
            raise OSError(errno.EIO, "the rescue file read back differs from what was written")
        if path.exists():
            raise FileExistsError(errno.EEXIST, "a rescue file of that name exists", str(path))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


# ---- the recorder -------------------------------------------------------------------------

_SAMPLE_SQL = (
    "INSERT OR REPLACE INTO samples (session_id, t_s, phase, hr_raw_bpm, hr_filtered_bpm,"
    " hr_quality, rr_ms_json, target_bpm, zone_low_bpm, zone_high_bpm, speed_cmd_kmh,"
    " speed_meas_kmh, incline_cmd_pct, incline_meas_pct, distance_m)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_EVENT_SQL = (
    "INSERT INTO events (session_id, t_s, at, kind, cause, message, data_json)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_SAMPLE_COLUMNS: Final = (
    "session_id", "t_s", "phase", "hr_raw_bpm", "hr_filtered_bpm", "hr_quality",
    "rr_ms_json", "target_bpm", "zone_low_bpm", "zone_high_bpm", "speed_cmd_kmh",
    "speed_meas_kmh", "incline_cmd_pct", "incline_meas_pct", "distance_m",
)  # fmt: skip
_EVENT_COLUMNS: Final = ("session_id", "t_s", "at", "kind", "cause", "message", "data_json")


def _opt_float(value: float | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


class SessionRecorder:
    """Records one session; implements :class:`~runningroom.recording.model.SessionSink`.

    Created by :meth:`SessionDatabase.start_session`. Not meant to be shared between
    threads without external ordering, but every call is serialised by the database lock.

    Attributes:
        session_id: the ``sessions`` row id.
        commit_interval_s: commit once the buffer spans this much session time (1 s).
        max_buffer_wall_s: commit once the oldest buffered row is this old in wall time.
    """

    commit_interval_s: float = 1.0
    max_buffer_wall_s: float = 1.0

    def __init__(self, database: SessionDatabase, session_id: int, started_at: datetime) -> None:
        self._db = database
        self.session_id = session_id
        self._started_at = started_at
        self._samples: list[tuple[Any, ...]] = []
        self._events: list[tuple[Any, ...]] = []
        self._committed_t_s: float | None = None
        self._max_t_s = 0.0
        self._oldest_pending_wall_s: float | None = None
        self._failed_wall_s: float | None = None
        self._finished = False
        self._finish_wanted: tuple[str, dict[str, Any]] | None = None
        self.last_error: RecordingError | None = None
        self.rescue_path: Path | None = None
        self.rescue_error: str | None = None

    @property
    def pending(self) -> int:
        """Number of buffered rows not yet committed."""
        return len(self._samples) + len(self._events)

    @property
    def healthy(self) -> bool:
        """False while the last commit attempt failed (data is being held in memory)."""
        return self.last_error is None

    @property
    def finished(self) -> bool:
        """True once :meth:`finish` succeeded."""
        return self._finished

    def record_sample(self, sample: SampleRecord) -> None:
        """Buffer one sample; commits when due (see the module docs).

        Raises:
            RecordingError: the due commit failed. Earlier rows stay buffered; this row
                is not kept (the caller retries it).
        """
        with self._db._lock:
            if self._refuse("sample"):
                return
            max_before = self._max_t_s
            if not self._append_sample(sample):
                return
            self._commit_due(self._samples, float(sample.t_s), max_before)

    def keep_unsent(self, records: Iterable[SampleRecord | EventRecord]) -> None:
        """Take over rows the caller could not record (its retry backlog), uncommitted.

        Used at the end of a session whose recording failed: the rows join the buffer,
        so :meth:`finish` (or its retry when the database is closed, or the rescue file)
        includes them instead of leaving them with the caller.
        """
        with self._db._lock:
            if self._refuse("backlog"):
                return
            for record in records:
                if isinstance(record, SampleRecord):
                    self._append_sample(record)
                else:
                    self._append_event(record)
                t_s = float(record.t_s)
                if math.isfinite(t_s) and t_s > self._max_t_s:
                    self._max_t_s = t_s

    def _append_sample(self, sample: SampleRecord) -> bool:
        """Add one sample row to the buffer (no commit); False if it was dropped."""
        t_s = float(sample.t_s)
        required = (t_s, sample.target_bpm, sample.zone_low_bpm, sample.zone_high_bpm)
        if not all(math.isfinite(float(v)) for v in required):
            # Never let one malformed row block the whole buffer (NOT NULL columns).
            logger.error(
                "session %d: sample dropped, non-finite key value: %r", self.session_id, sample
            )
            return False
        self._samples.append(
            (
                self.session_id,
                t_s,
                str(sample.phase),
                sample.hr_raw_bpm,
                _opt_float(sample.hr_filtered_bpm),
                str(sample.hr_quality),
                _dumps(list(sample.rr_ms)),
                _opt_float(sample.target_bpm),
                _opt_float(sample.zone_low_bpm),
                _opt_float(sample.zone_high_bpm),
                _opt_float(sample.speed_cmd_kmh),
                _opt_float(sample.speed_meas_kmh),
                _opt_float(sample.incline_cmd_pct),
                _opt_float(sample.incline_meas_pct),
                _opt_float(sample.distance_m),
            )
        )
        return True

    def record_event(self, event: EventRecord) -> None:
        """Buffer one event; commits when due (see the module docs).

        Raises:
            RecordingError: the due commit failed. Earlier rows stay buffered; this row
                is not kept (the caller retries it).
        """
        with self._db._lock:
            if self._refuse("event"):
                return
            max_before = self._max_t_s
            self._append_event(event)
            self._commit_due(self._events, self._events[-1][1], max_before)

    def _commit_due(self, rows: list[tuple[Any, ...]], t_s: float, max_before: float) -> None:
        """Commit if due after appending one row to ``rows``; undo that row if it fails.

        Raises:
            RecordingError: the due commit failed; the row just appended is removed
                again and the newest time is restored (the caller retries the row).
        """
        try:
            self._after_append(t_s)
        except RecordingError:
            rows.pop()  # the caller keeps this row and retries it
            self._max_t_s = max_before
            raise

    def flush(self) -> None:
        """Commit everything buffered now.

        Raises:
            RecordingError: the commit failed; the rows stay buffered for a retry.
        """
        with self._db._lock:
            if self.pending:
                self._commit()

    def finish(self, status: str, summary: dict[str, Any]) -> None:
        """Commit the buffer and mark the session ended, in one transaction.

        Args:
            status: ``finished``, ``stopped``, ``emergency_stopped`` or ``aborted``.
            summary: the session summary (stored as JSON; dataclasses and enums allowed).

        Raises:
            ValueError: unknown status.
            RecordingError: the write failed; nothing is lost and ``finish`` may be retried.
        """
        status = str(status)
        if status not in FINAL_STATUSES:
            raise ValueError(f"status must be one of {sorted(FINAL_STATUSES)}, not {status!r}")
        if self._finished:
            logger.warning("session %d: finish called twice; ignored", self.session_id)
            return
        summary_json = _dumps(summary)
        ended_at = self._at(self._max_t_s)
        self._finish_wanted = (status, summary)
        self._commit(
            final=(
                "UPDATE sessions SET status = ?, ended_at = ?, summary_json = ?, recorder = NULL"
                " WHERE session_id = ?",
                (status, ended_at, summary_json, self.session_id),
            )
        )
        self._finished = True
        self._finish_wanted = None
        self._db._forget(self.session_id)

    @property
    def finish_wanted(self) -> tuple[str, dict[str, Any]] | None:
        """``(status, summary)`` of a :meth:`finish` that failed and is still to be done."""
        return self._finish_wanted

    def write_rescue_file(self) -> Path | None:
        """Last resort when the database cannot be written: save the rows held in memory.

        Writes ``<database name>.rescue-session-<id>-<UTC stamp>.json`` (owner-only) with
        the uncommitted samples and events (column names included) and the wanted final
        status and summary, so nothing recorded is lost silently. The database itself is
        not touched. The locations of :func:`rescue_dirs` are tried in order (next to
        the database, the user's data directory, the home directory, the system's
        temporary directory): a full disk or an unwritable directory moves on to the
        next. Each file is written to a temporary name, synced, read back and compared,
        and only then renamed into place, so a rescue file is either complete or absent.

        On success :attr:`rescue_path` names the file. If every location fails the rows
        stay in memory (:attr:`pending`, nothing is dropped), :attr:`rescue_error` says
        so and where it tried, and the call may be repeated once space is freed.

        Returns:
            The file written, or None if there was nothing to save or every location
            failed (both logged).
        """
        with self._db._lock:
            if self._finished or (not self.pending and self._finish_wanted is None):
                return None
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            name = f"{self._db.path.name}.rescue-session-{self.session_id}-{stamp}.json"
            status, summary = self._finish_wanted or ("aborted", {})
            data = {
                "format": "runningroom-rescue/1",
                "database": str(self._db.path),
                "session_id": self.session_id,
                "started_at": iso_utc(self._started_at),
                "status": status,
                "summary": json.loads(_dumps(summary)),
                "error": str(self.last_error) if self.last_error else None,
                "sample_columns": list(_SAMPLE_COLUMNS),
                "samples": [list(row) for row in self._samples],
                "event_columns": list(_EVENT_COLUMNS),
                "events": [list(row) for row in self._events],
            }
            payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
            failures: list[str] = []
            for directory in rescue_dirs(self._db.path):
                path = directory / name
                try:
                    _write_verified(path, payload)
                except OSError as exc:
                    reason = "disk full" if is_disk_full(exc) else (exc.strerror or str(exc))
                    failures.append(f"{directory} ({reason})")
                    logger.warning(
                        "session %d: rescue file not written in %s: %s",
                        self.session_id,
                        directory,
                        exc,
                    )
                    continue
                logger.error(
                    "session %d: the database could not be written; %d rows saved to %s",
                    self.session_id,
                    self.pending,
                    path,
                )
                self.rescue_path = path
                self.rescue_error = None
                return path
            self.rescue_error = (
                f"session {self.session_id}: {self.pending} rows could not be written to the"
                f" database or to a rescue file (tried {'; '.join(failures)}); they are kept"
                " in memory only: free some disk space and keep RunningRoom running"
            )
            logger.critical("%s", self.rescue_error)
            return None

    def abort(self, message: str) -> None:
        """Record an event and finish the session as ``aborted`` (fatal error, shutdown).

        Raises:
            RecordingError: the write failed; the rows stay buffered.
        """
        with self._db._lock:
            if self._finished:
                return
            self._append_event(
                EventRecord(
                    t_s=self._max_t_s,
                    kind="state",
                    cause="system",
                    message=message,
                    data={"to": "aborted"},
                )
            )
            self.finish("aborted", {"status": "aborted", "reason": message})

    # -- internals -----------------------------------------------------------------------

    def _at(self, t_s: float) -> str:
        return iso_utc(self._started_at + timedelta(seconds=t_s))

    def _append_event(self, event: EventRecord) -> None:
        t_s = float(event.t_s)
        if not math.isfinite(t_s):
            logger.error(
                "session %d: event with t_s=%r stored at %s s", self.session_id, t_s, self._max_t_s
            )
            t_s = self._max_t_s
        self._events.append(
            (
                self.session_id,
                t_s,
                self._at(t_s),
                str(event.kind),
                str(event.cause),
                str(event.message),
                _dumps(event.data),
            )
        )

    def _refuse(self, what: str) -> bool:
        if self._finished:
            logger.warning("session %d: %s after finish; dropped", self.session_id, what)
            return True
        return False

    def _after_append(self, t_s: float) -> None:
        now_s = self._db._now_wall_s()
        if self._oldest_pending_wall_s is None:
            self._oldest_pending_wall_s = now_s
        if math.isfinite(t_s) and t_s > self._max_t_s:
            self._max_t_s = t_s
        due = (
            self._committed_t_s is None
            or self._max_t_s - self._committed_t_s >= self.commit_interval_s
            or now_s - self._oldest_pending_wall_s >= self.max_buffer_wall_s
            or self._failed_wall_s is not None
        )
        if due:
            self._commit()

    def _commit(self, final: tuple[str, tuple[Any, ...]] | None = None) -> None:
        samples, events = self._samples, self._events
        try:
            with self._db._transaction(f"recording session {self.session_id}") as conn:
                if samples:
                    conn.executemany(_SAMPLE_SQL, samples)
                if events:
                    conn.executemany(_EVENT_SQL, events)
                if final is not None:
                    conn.execute(final[0], final[1])
        except RecordingError as exc:
            self._failed_wall_s = self._db._now_wall_s()
            first = self.last_error is None
            self.last_error = exc
            log = logger.error if first else logger.debug
            log("session %d: %d rows kept in memory: %s", self.session_id, self.pending, exc)
            raise
        if self.last_error is not None:
            logger.info("session %d: recording recovered", self.session_id)
        self._samples = []
        self._events = []
        self._committed_t_s = self._max_t_s
        self._oldest_pending_wall_s = None
        self._failed_wall_s = None
        self.last_error = None
