"""The database fails at the end of a session: no recorded row is lost silently.

The engine keeps rows it could not record and retries them; at the end the station
hands that backlog to the recorder, so the final commit (when the database works
again, at the latest when it is closed) has every row with the real status, and a
database that stays unwritable leaves an owner-only rescue file instead.
"""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from runningroom.errors import DatabaseLockedError
from runningroom.profiles_io import demo_profile
from runningroom.recording.recorder import SessionDatabase
from runningroom.session.model import AlarmKind, SessionState, StartSession
from tests.core.test_station_multi import Rig

LOCKED_FOR_S = 60  # the last minute of the session


async def _run_with_lock_at_the_end(path: Path) -> tuple[Rig, SessionDatabase, sqlite3.Connection]:
    db = SessionDatabase(path, busy_timeout_s=0.02)
    rig = Rig("station-1", demo_profile(), db, seed=3)
    assert (await rig.station.connect()).ok
    engine = rig.station.engine
    assert engine is not None
    rig.station.submit(StartSession())
    end_s = 120 + 600 + 120  # the test template's length
    lock: sqlite3.Connection | None = None
    for t in range(3000):
        if lock is None and t >= end_s - LOCKED_FOR_S:
            lock = sqlite3.connect(path, isolation_level=None)
            lock.execute("BEGIN EXCLUSIVE")  # another program holds the database
        await rig.tick()
        if engine.state.is_terminal:
            break
    assert lock is not None
    assert engine.state in (SessionState.FINISHED, SessionState.STOPPED)
    assert AlarmKind.RECORDING_FAILED in {a.kind for a in engine.alarms}
    await rig.station.shutdown()
    return rig, db, lock


def _count(path: Path, sql: str, *args: object) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute(sql, args).fetchone()[0])
    finally:
        con.close()


async def test_backlog_is_committed_with_the_real_status_once_the_lock_is_gone(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rr.sqlite3"
    rig, db, lock = await _run_with_lock_at_the_end(path)
    engine = rig.station.engine
    assert engine is not None
    lock.rollback()
    lock.close()
    db.close()  # retries the finish that failed
    sid = rig.station.session_id
    con = sqlite3.connect(path)
    status, summary = con.execute(
        "SELECT status, summary_json FROM sessions WHERE session_id = ?", (sid,)
    ).fetchone()
    con.close()
    assert status == str(engine.state) and json.loads(summary)["status"] == str(engine.state)
    # every sample and event the engine produced is in the file
    assert _count(path, "SELECT count(*) FROM samples WHERE session_id = ?", sid) == len(
        engine.samples
    )
    # (the device disconnects at shutdown come after the session's last state change and
    # belong to no session)
    last_state = max(i for i, e in enumerate(engine.events) if e.kind == "state")
    assert _count(path, "SELECT count(*) FROM events WHERE session_id = ?", sid) == last_state + 1
    assert not list(tmp_path.glob("*.rescue-*"))


async def test_backlog_goes_to_a_rescue_file_when_the_database_stays_locked(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rr.sqlite3"
    rig, db, lock = await _run_with_lock_at_the_end(path)
    engine = rig.station.engine
    assert engine is not None
    db.close()
    lock.rollback()
    lock.close()
    (rescue,) = tmp_path.glob("rr.sqlite3.rescue-session-*.json")
    assert stat.S_IMODE(rescue.stat().st_mode) == 0o600
    data = json.loads(rescue.read_text())
    assert data["status"] == str(engine.state)
    sid = rig.station.session_id
    in_db = _count(path, "SELECT count(*) FROM samples WHERE session_id = ?", sid)
    # the database's rows plus the rescued rows are the whole session
    assert in_db + len(data["samples"]) == len(engine.samples)
    assert len(data["samples"]) >= LOCKED_FOR_S - 5


async def test_locked_database_at_start_is_a_clear_error_and_the_belt_stays_still(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rr.sqlite3"
    db = SessionDatabase(path, busy_timeout_s=0.02)
    rig = Rig("station-1", demo_profile(), db, seed=3)
    assert (await rig.station.connect()).ok
    lock = sqlite3.connect(path, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    with pytest.raises(DatabaseLockedError, match="locked by another program"):
        rig.station.submit(StartSession())
    for _ in range(5):
        await rig.tick()
    assert rig.state is SessionState.IDLE  # not started unrecorded
    assert not [c for c in rig.tm.command_log if c[1] in ("start", "speed")]
    lock.rollback()
    lock.close()
    rig.station.submit(StartSession())  # the therapist retries once the lock is gone
    await rig.tick()
    assert rig.state is SessionState.WARMUP and rig.station.session_id is not None
    await rig.station.shutdown()
    db.close()
