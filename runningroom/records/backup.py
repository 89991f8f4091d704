"""Backup and restore of the whole session database to one file.

Both use SQLite's online backup API, so a backup can be taken while a session is
recording. A backup file is a self-contained SQLite database (no ``-wal`` file) with
owner-only permissions.

A restore never silently discards newer data: it compares the current database with
the backup and refuses (:class:`RestoreConflictError`) when the current one has
activity newer than the backup's newest, sessions the backup lacks, sessions with more
samples than in the backup, or a session still recording. ``force=True`` restores
anyway, after saving a copy of the current database next to it.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from runningroom.errors import RecordingError
from runningroom.records.store import is_session_database, parse_time

logger = logging.getLogger(__name__)

#: Timestamp columns that show when a database last changed.
_ACTIVITY_COLUMNS = (
    ("sessions", "started_at"),
    ("sessions", "ended_at"),
    ("events", "at"),
    ("audit", "at"),
    ("patient_models", "updated_at"),
    ("programmes", "updated_at"),
    ("questionnaire_scores", "entered_at"),
)


class RestoreConflictError(RecordingError):
    """The current database holds data newer than (or missing from) the backup.

    Attributes:
        reasons: human-readable findings, one per line.
    """

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__(
            "the current database has data the backup does not: " + "; ".join(reasons)
            + " (restore refused; use force to overwrite, a copy of the current database "
            "is kept)"
        )


@dataclass(frozen=True, slots=True)
class DatabaseFingerprint:
    """What a database contains, for comparing it with a backup.

    Attributes:
        newest: latest timestamp in any activity column (None for an empty database).
        sessions: session id -> (started_at text, number of samples).
        recording: ids of sessions still marked ``running``.
    """

    newest: datetime | None
    sessions: dict[int, tuple[str, int]]
    recording: tuple[int, ...] = ()


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def fingerprint(conn: sqlite3.Connection) -> DatabaseFingerprint:
    """Fingerprint of an open session database."""
    tables = _tables(conn)
    newest: datetime | None = None
    for table, column in _ACTIVITY_COLUMNS:
        if table not in tables:
            continue
        row = conn.execute(f"SELECT MAX({column}) FROM {table}").fetchone()
        if row and row[0]:
            try:
                value = parse_time(str(row[0]))
            except ValueError:
                continue
            if newest is None or value > newest:
                newest = value
    counts = {
        int(sid): int(n)
        for sid, n in conn.execute("SELECT session_id, COUNT(*) FROM samples GROUP BY session_id")
    }
    sessions = {
        int(sid): (str(started), counts.get(int(sid), 0))
        for sid, started in conn.execute("SELECT session_id, started_at FROM sessions")
    }
    recording = tuple(
        int(r[0]) for r in conn.execute("SELECT session_id FROM sessions WHERE status = 'running'")
    )
    return DatabaseFingerprint(newest, sessions, recording)


def _open_ro(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5.0)
        ok = is_session_database(conn)
        check = conn.execute("PRAGMA quick_check").fetchone() if ok else None
    except sqlite3.DatabaseError as exc:
        raise RecordingError(f"{path}: not a readable SQLite database: {exc}") from exc
    if not ok:
        conn.close()
        raise RecordingError(f"{path}: not a RunningRoom session database")
    if check is None or check[0] != "ok":
        conn.close()
        raise RecordingError(f"{path}: database is damaged ({check[0] if check else '?'})")
    return conn


def _copy_db(src: sqlite3.Connection, dest_path: Path) -> None:
    """Back up ``src`` into a new owner-only single-file database at ``dest_path``."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest_path.name}.", dir=dest_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, 0o600)
        dest = sqlite3.connect(tmp)
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
            dest.commit()
        finally:
            dest.close()
        os.replace(tmp, dest_path)
    except (OSError, sqlite3.DatabaseError) as exc:
        tmp.unlink(missing_ok=True)
        raise RecordingError(f"{dest_path}: backup failed: {exc}") from exc


def backup_database(db_path: Path, backup_path: Path, *, overwrite: bool = False) -> Path:
    """Copy the whole database into one owner-only file.

    Args:
        db_path: the session database.
        backup_path: the backup file to create.
        overwrite: replace an existing backup file.

    Returns:
        ``backup_path``.

    Raises:
        RecordingError: the database cannot be read, or ``backup_path`` exists and
            ``overwrite`` is false.
    """
    if backup_path.exists() and not overwrite:
        raise RecordingError(f"{backup_path}: already exists (not overwritten)")
    backup_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    src = _open_ro(db_path)
    try:
        _copy_db(src, backup_path)
    finally:
        src.close()
    logger.info("database %s backed up to %s", db_path, backup_path)
    return backup_path


def restore_conflicts(current: DatabaseFingerprint, backup: DatabaseFingerprint) -> list[str]:
    """Reasons why restoring ``backup`` over ``current`` would lose data ([] = none)."""
    reasons: list[str] = []
    if current.recording:
        reasons.append(
            f"{len(current.recording)} session(s) still recording (or interrupted and not yet "
            "recovered)"
        )
    if current.newest is not None and (backup.newest is None or current.newest > backup.newest):
        reasons.append(
            f"latest change {current.newest.isoformat()} is newer than the backup's "
            f"{backup.newest.isoformat() if backup.newest else 'none'}"
        )
    missing = [sid for sid, info in current.sessions.items()
               if backup.sessions.get(sid, ("", -1))[0] != info[0]]
    if missing:
        shown = ", ".join(str(s) for s in sorted(missing)[:10])
        reasons.append(f"{len(missing)} session(s) not in the backup ({shown})")
    longer = [sid for sid, info in current.sessions.items()
              if sid in backup.sessions and backup.sessions[sid][0] == info[0]
              and info[1] > backup.sessions[sid][1]]
    if longer:
        reasons.append(f"{len(longer)} session(s) have more samples than in the backup")
    return reasons


def _set_aside(db_path: Path, why: str) -> Path:
    """Rename ``db_path`` (and its ``-wal``/``-shm`` files) to a new, unused name."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = db_path.with_name(f"{db_path.stem}.{why}-{stamp}{db_path.suffix}")
    n = 1
    while target.exists():
        n += 1
        target = db_path.with_name(f"{db_path.stem}.{why}-{stamp}-{n}{db_path.suffix}")
    try:
        os.rename(db_path, target)
        for extra in ("-wal", "-shm"):
            side = Path(f"{db_path}{extra}")
            if side.exists():
                os.rename(side, Path(f"{target}{extra}"))
    except OSError as exc:
        raise RecordingError(f"{db_path}: cannot set the database aside: {exc}") from exc
    return target


def restore_database(backup_path: Path, db_path: Path, *, force: bool = False) -> Path | None:
    """Replace the session database with a backup.

    Args:
        backup_path: a file made by :func:`backup_database`.
        db_path: the session database to replace (created when missing).
        force: restore even when the current database has newer data.

    Returns:
        Path of the copy of the replaced database (kept when it had any data), or None.

    A current database that cannot be read (damaged, or not a RunningRoom database) is
    never overwritten: without ``force`` the restore is refused; with ``force`` the file
    (and its ``-wal``/``-shm``) is renamed to ``<name>.damaged-<UTC stamp><suffix>`` and
    that path is returned.

    Raises:
        RecordingError: the backup is not a valid session database, or the current
            database is unreadable (or locked) and ``force`` is false.
        RestoreConflictError: the current database has data the backup lacks and
            ``force`` is false. Nothing is changed in that case.
    """
    src = _open_ro(backup_path)
    try:
        backup_fp = fingerprint(src)
        saved: Path | None = None
        unreadable: RecordingError | None = None
        if db_path.exists() and db_path.stat().st_size > 0:
            try:
                _open_ro(db_path).close()
            except RecordingError as exc:
                cause = str(exc.__cause__ or "").lower()
                if "locked" in cause or "busy" in cause:
                    raise  # in use by another program: never set a live database aside
                unreadable = exc
        if unreadable is not None:
            # a damaged (or foreign) file cannot be compared with the backup; it is never
            # overwritten: with force it is renamed aside and kept
            if not force:
                raise RecordingError(
                    f"{unreadable}; it cannot be compared with the backup (restore refused;"
                    " use force to keep it aside under a new name and restore)"
                ) from unreadable
            saved = _set_aside(db_path, "damaged")
            logger.warning("unreadable database %s kept as %s before restoring", db_path, saved)
        if db_path.exists() and db_path.stat().st_size > 0:
            cur = _open_ro(db_path)
            try:
                reasons = restore_conflicts(fingerprint(cur), backup_fp)
                if reasons and not force:
                    raise RestoreConflictError(reasons)
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
                saved = db_path.with_name(f"{db_path.stem}.before-restore-{stamp}{db_path.suffix}")
                _copy_db(cur, saved)
            finally:
                cur.close()
            if reasons:
                logger.warning("restore forced over newer data: %s", "; ".join(reasons))
        else:
            db_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(db_path, os.O_WRONLY | os.O_CREAT, 0o600)
            os.close(fd)
        dest = sqlite3.connect(db_path, timeout=5.0)
        try:
            src.backup(dest)
            dest.commit()
        except sqlite3.DatabaseError as exc:
            raise RecordingError(f"{db_path}: restore failed: {exc}") from exc
        finally:
            dest.close()
    finally:
        src.close()
    logger.info("database %s restored from %s", db_path, backup_path)
    return saved
