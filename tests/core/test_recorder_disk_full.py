"""A full disk is reported as a full disk, and rows that cannot be stored are rescued.

The disk is never really filled: SQLite's own ``SQLITE_FULL`` error (produced with a tiny
``max_page_count``) and ``OSError(ENOSPC)`` are injected where the recorder meets the
disk, so every case is deterministic.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from runningroom import paths
from runningroom.errors import DiskFullError, RecordingError
from runningroom.recording.disk import is_disk_full
from runningroom.recording.recorder import SessionDatabase
from runningroom.records.store import damaged_database_message, open_database
from tests.core.test_recorder import FakeWall, event, sample, start

_REAL_CONNECT = sqlite3.connect


def real_sqlite_full_error() -> sqlite3.OperationalError:
    """The error SQLite itself raises when it cannot grow the database file."""
    conn = _REAL_CONNECT(":memory:")
    try:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("PRAGMA max_page_count = 2")
        conn.execute("INSERT INTO t VALUES (zeroblob(100000))")
    except sqlite3.OperationalError as exc:
        return exc
    finally:
        conn.close()
    raise AssertionError("SQLite accepted a row larger than the database may grow")


def enospc(path: object = "") -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


class FullDiskConnection:
    """A real connection whose statements fail as on a full disk when ``failing()``."""

    def __init__(self, conn: sqlite3.Connection, failing: Callable[[str], bool]) -> None:
        self._conn = conn
        self._failing = failing

    def _check(self, sql: str) -> None:
        if self._failing(sql):
            raise real_sqlite_full_error()

    def execute(self, sql: str, *args: Any) -> Any:
        self._check(sql)
        return self._conn.execute(sql, *args)

    def executemany(self, sql: str, rows: Any) -> Any:
        self._check(sql)
        return self._conn.executemany(sql, rows)

    def executescript(self, sql: str) -> Any:
        self._check(sql)
        return self._conn.executescript(sql)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Callable[[str, bool], bool]]]:
    """Make new sqlite connections fail as on a full disk; ``rule(sql, readonly)`` decides."""
    real_connect = _REAL_CONNECT
    rules: dict[str, Callable[[str, bool], bool]] = {"rule": lambda sql, ro: True}

    def connect(database: Any, *args: Any, **kwargs: Any) -> Any:
        conn = real_connect(database, *args, **kwargs)
        readonly = "mode=ro" in str(database)
        return FullDiskConnection(conn, lambda sql: rules["rule"](sql, readonly))

    monkeypatch.setattr(sqlite3, "connect", connect)
    yield rules


def existing_database(path: Path) -> None:
    with SessionDatabase(path, busy_timeout_s=0.05):
        pass


# ---- reporting a full disk ------------------------------------------------------------------


def test_the_injected_errors_are_the_real_disk_full_errors() -> None:
    exc = real_sqlite_full_error()
    assert str(exc) == "database or disk is full" and is_disk_full(exc)
    assert is_disk_full(enospc()) and not is_disk_full(OSError(errno.EACCES, "denied"))
    assert not is_disk_full(sqlite3.DatabaseError("file is not a database"))


def test_full_disk_at_start_is_reported_as_disk_full_not_as_unreadable_database(
    tmp_path: Path, full_disk: dict[str, Callable[[str, bool], bool]]
) -> None:
    path = tmp_path / "rr.sqlite3"
    full_disk["rule"] = lambda sql, ro: False
    existing_database(path)
    before = path.read_bytes()
    full_disk["rule"] = lambda sql, ro: True  # even reading needs room (the -shm file)
    with pytest.raises(DiskFullError) as info:
        SessionDatabase(path, busy_timeout_s=0.05)
    message = str(info.value)
    assert "the disk is full" in message and str(path) in message
    assert "not a readable" not in message
    assert path.read_bytes() == before  # nothing was changed


def test_full_disk_while_preparing_a_new_database_is_reported_as_disk_full(
    tmp_path: Path, full_disk: dict[str, Callable[[str, bool], bool]]
) -> None:
    path = tmp_path / "rr.sqlite3"
    full_disk["rule"] = lambda sql, ro: "CREATE TABLE" in sql or "journal_mode" in sql
    with pytest.raises(DiskFullError, match="the disk is full"):
        SessionDatabase(path, busy_timeout_s=0.05)


def test_no_room_to_create_the_database_file_is_reported_as_disk_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def open_no_space(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(file).endswith("rr.sqlite3") and flags & os.O_CREAT:
            raise enospc(file)
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_no_space)
    with pytest.raises(DiskFullError, match="the disk is full"):
        SessionDatabase(tmp_path / "rr.sqlite3")


def test_full_disk_when_starting_a_session_is_reported_as_disk_full(
    tmp_path: Path, full_disk: dict[str, Callable[[str, bool], bool]]
) -> None:
    full_disk["rule"] = lambda sql, ro: False
    db = SessionDatabase(tmp_path / "rr.sqlite3", busy_timeout_s=0.05, monotonic=FakeWall())
    full_disk["rule"] = lambda sql, ro: "INSERT INTO sessions" in sql
    with pytest.raises(DiskFullError, match="the disk is full"):
        start(db)
    db.close()


def test_records_reader_reports_a_full_disk_as_such(
    tmp_path: Path, full_disk: dict[str, Callable[[str, bool], bool]]
) -> None:
    path = tmp_path / "rr.sqlite3"
    full_disk["rule"] = lambda sql, ro: False
    existing_database(path)
    full_disk["rule"] = lambda sql, ro: "sqlite_master" in sql
    with pytest.raises(DiskFullError, match="the disk is full"):
        open_database(path).close()
    message = damaged_database_message(path, real_sqlite_full_error())
    assert "the disk is full" in message and "damaged" not in message


def test_a_disk_full_error_is_still_a_recording_error() -> None:
    assert issubclass(DiskFullError, RecordingError)


# ---- rescuing rows when the disk stays full ---------------------------------------------------


class NoSpaceIn:
    """``os.write`` fails with ENOSPC for files opened in the given directories."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *full_dirs: Path) -> None:
        self.full_dirs = [d.resolve() for d in full_dirs]
        self._fds: set[int] = set()
        real_open, real_write, real_close = os.open, os.write, os.close

        def open_(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            fd = real_open(file, flags, *args, **kwargs)
            if Path(file).resolve().parent in self.full_dirs and flags & os.O_CREAT:
                self._fds.add(fd)
            return fd

        def write(fd: int, data: Any) -> int:
            if fd in self._fds:
                raise enospc()
            return real_write(fd, data)

        def close(fd: int) -> None:
            self._fds.discard(fd)
            real_close(fd)

        monkeypatch.setattr(os, "open", open_)
        monkeypatch.setattr(os, "write", write)
        monkeypatch.setattr(os, "close", close)


ROWS = 2544


def recording_on_a_full_disk(
    path: Path, full_disk: dict[str, Callable[[str, bool], bool]]
) -> tuple[SessionDatabase, Any]:
    """A session whose last ROWS samples and one event never reach the full database."""
    full_disk["rule"] = lambda sql, ro: False
    db = SessionDatabase(path, busy_timeout_s=0.05, monotonic=FakeWall())
    rec = start(db)
    rec.record_sample(sample(0.0))
    rec.flush()
    full_disk["rule"] = lambda sql, ro: sql.lstrip().startswith(("INSERT", "UPDATE"))
    rec.keep_unsent([sample(1.0 + k) for k in range(ROWS)] + [event(5.0, message="RPE 13")])
    with pytest.raises(DiskFullError):
        rec.finish("finished", {"status": "finished"})
    return db, rec


def rescued_rows(rescue: Path) -> tuple[list[float], list[str], dict[str, Any]]:
    data = json.loads(rescue.read_text(encoding="utf-8"))
    t_col = data["sample_columns"].index("t_s")
    m_col = data["event_columns"].index("message")
    return (
        sorted(row[t_col] for row in data["samples"]),
        [row[m_col] for row in data["events"]],
        data,
    )


def test_rescue_file_goes_to_the_next_location_when_the_database_disk_stays_full(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    full_disk: dict[str, Callable[[str, bool], bool]],
) -> None:
    db_dir = tmp_path / "clinic-share"
    db_dir.mkdir()
    db, rec = recording_on_a_full_disk(db_dir / "rr.sqlite3", full_disk)
    NoSpaceIn(monkeypatch, db_dir)  # the database's disk has no room for the rescue file
    db.close()
    rescue = db.rescued[rec.session_id]
    assert rescue == rec.rescue_path
    assert rescue.parent == paths.data_home()  # the second location
    assert not list(db_dir.glob("*.rescue-*")) and not list(db_dir.glob(".*.tmp"))
    assert stat.S_IMODE(rescue.stat().st_mode) == 0o600
    times, messages, data = rescued_rows(rescue)
    assert times == [1.0 + k for k in range(ROWS)]  # every row, none lost
    assert messages == ["RPE 13"] and data["status"] == "finished"
    (line,) = db.rescue_report()
    assert str(rescue) in line
    assert db.unsaved == []


def test_rescue_falls_through_every_full_location_to_the_temporary_directory(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    full_disk: dict[str, Callable[[str, bool], bool]],
) -> None:
    home = tmp_path / "home"
    temp = tmp_path / "temp"
    home.mkdir()
    temp.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    db_dir = tmp_path / "db"
    db_dir.mkdir()
    db, rec = recording_on_a_full_disk(db_dir / "rr.sqlite3", full_disk)
    NoSpaceIn(monkeypatch, db_dir, paths.data_home(), home)
    db.close()
    assert db.rescued[rec.session_id].parent == temp
    assert len(rescued_rows(db.rescued[rec.session_id])[0]) == ROWS


def test_when_no_location_has_room_the_rows_stay_in_memory_and_the_error_says_so(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    full_disk: dict[str, Callable[[str, bool], bool]],
) -> None:
    home = tmp_path / "home"
    temp = tmp_path / "temp"
    home.mkdir()
    temp.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    db_dir = tmp_path / "db"
    db_dir.mkdir()
    db, rec = recording_on_a_full_disk(db_dir / "rr.sqlite3", full_disk)
    no_space = NoSpaceIn(monkeypatch, db_dir, paths.data_home(), home, temp)
    db.close()
    assert db.rescued == {} and db.unsaved == [rec]
    assert rec.pending == ROWS + 1  # nothing dropped
    assert rec.rescue_error is not None
    assert f"{ROWS + 1} rows" in rec.rescue_error and "kept in memory" in rec.rescue_error
    for directory in (db_dir, home, temp):
        assert str(directory) in rec.rescue_error
        assert not [p for p in directory.iterdir() if "rescue" in p.name]
    assert db.rescue_report() == [rec.rescue_error]
    no_space.full_dirs.clear()  # space freed: the retry saves every row
    rescue = rec.write_rescue_file()
    assert rescue is not None and len(rescued_rows(rescue)[0]) == ROWS
