"""SQLite session recorder: cadence, finish, recovery, bad files, locks, write failures."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from runningroom.control.base import PlantEstimate
from runningroom.errors import DatabaseLockedError, RecordingError, ValidationError
from runningroom.prescription import compute_prescription, prescription_from_dict
from runningroom.profiles_io import demo_profile, find_template, profile_from_dict
from runningroom.recording.model import EventRecord, SampleRecord
from runningroom.recording.recorder import (
    APPLICATION_ID,
    SessionDatabase,
    SessionRecorder,
)

STARTED = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


class FakeWall:
    def __init__(self) -> None:
        self.now_s = 1000.0

    def __call__(self) -> float:
        return self.now_s


def sample(t_s: float, hr: int = 120) -> SampleRecord:
    return SampleRecord(
        t_s=t_s,
        phase="main",
        hr_raw_bpm=hr,
        hr_filtered_bpm=hr - 0.5,
        hr_quality="ok",
        rr_ms=(500.0, 498.5),
        target_bpm=113.0,
        zone_low_bpm=104.0,
        zone_high_bpm=122.0,
        speed_cmd_kmh=5.0,
        speed_meas_kmh=4.9,
        incline_cmd_pct=1.0,
        incline_meas_pct=1.0,
        distance_m=t_s * 1.4,
    )


def event(t_s: float, kind: str = "override", message: str = "m") -> EventRecord:
    return EventRecord(t_s=t_s, kind=kind, cause="therapist", message=message, data={"x": 1})


def start(db: SessionDatabase, station: str = "station-1") -> SessionRecorder:
    profile = demo_profile()
    return db.start_session(
        patient_code=profile.code,
        started_at=STARTED,
        profile=profile,
        template=find_template("standard"),
        prescription=compute_prescription(profile, date(2026, 11, 25)),
        station=station,
        devices={"treadmill": "sim:", "hr": "sim:"},
    )


def committed(path: Path, sql: str, *args: object) -> list[tuple[Any, ...]]:
    """Read through an independent connection (sees only committed data)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def n_samples(path: Path) -> int:
    return int(committed(path, "SELECT count(*) FROM samples")[0][0])


@pytest.fixture
def wall() -> FakeWall:
    return FakeWall()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "rr.sqlite3"


@pytest.fixture
def db(db_path: Path, wall: FakeWall) -> Iterator[SessionDatabase]:
    database = SessionDatabase(db_path, busy_timeout_s=0.05, monotonic=wall)
    yield database
    database.close()


# ---- opening ------------------------------------------------------------------------------


def test_new_database_is_wal_0600_and_marked(db: SessionDatabase, db_path: Path) -> None:
    start(db).record_sample(sample(0.0))
    for suffix in ("", "-wal", "-shm"):
        f = Path(str(db_path) + suffix)
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, suffix
    assert committed(db_path, "PRAGMA journal_mode") == [("wal",)]
    assert committed(db_path, "PRAGMA application_id") == [(APPLICATION_ID,)]
    assert committed(db_path, "PRAGMA user_version") == [(1,)]


def test_reopen_existing_database_keeps_data(db_path: Path) -> None:
    with SessionDatabase(db_path) as first:
        rec = start(first)
        rec.record_sample(sample(0.0))
        rec.finish("finished", {})
    with SessionDatabase(db_path) as second:
        assert second.recover_interrupted() == []
    assert n_samples(db_path) == 1


def test_loose_permissions_are_tightened(db_path: Path) -> None:
    SessionDatabase(db_path).close()
    os.chmod(db_path, 0o644)
    SessionDatabase(db_path).close()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_empty_file_is_initialised(db_path: Path) -> None:
    db_path.touch(mode=0o600)
    with SessionDatabase(db_path) as db:
        start(db)
    assert committed(db_path, "SELECT count(*) FROM sessions") == [(1,)]


def _other_app_db(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('x')")
    conn.commit()
    conn.close()


def _future_db(path: Path) -> None:
    SessionDatabase(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 7")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.commit()
    conn.close()


def _foreign_app_id(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 12345")
    conn.execute("CREATE TABLE sessions (a)")
    conn.commit()
    conn.close()


def _corrupt_db(path: Path) -> None:
    SessionDatabase(path).close()
    data = bytearray(path.read_bytes())
    data[100:] = bytes((i * 37) % 251 for i in range(len(data) - 100))
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p.write_text("patient notes, not a database\n" * 20), "not an SQLite"),
        (lambda p: p.write_bytes(bytes(range(256)) * 8), "not an SQLite"),
        (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 10), "not an SQLite"),
        (_other_app_db, "without the RunningRoom tables"),
        (_foreign_app_id, "another application"),
        (_future_db, "newer"),
        (_corrupt_db, "not a readable SQLite database"),
    ],
    ids=["text", "binary", "truncated", "other-app", "foreign-id", "future", "corrupt"],
)
def test_bad_files_are_refused_and_never_modified(db_path: Path, make: Any, words: str) -> None:
    make(db_path)
    before = db_path.read_bytes()
    mtime = db_path.stat().st_mtime_ns
    with pytest.raises(RecordingError) as info:
        SessionDatabase(db_path)
    assert not isinstance(info.value, DatabaseLockedError)
    assert words in str(info.value)
    assert str(db_path) in str(info.value)
    assert db_path.read_bytes() == before
    assert db_path.stat().st_mtime_ns == mtime


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RecordingError):
        SessionDatabase(tmp_path)


def test_locked_database_gives_locked_error_and_is_untouched(db_path: Path) -> None:
    SessionDatabase(db_path).close()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    before = db_path.read_bytes()
    try:
        with pytest.raises(DatabaseLockedError) as info:
            SessionDatabase(db_path, busy_timeout_s=0.05)
        assert "locked" in str(info.value)
        assert db_path.read_bytes() == before
    finally:
        other.execute("ROLLBACK")
        other.close()
    SessionDatabase(db_path).close()  # usable once released


# ---- session rows and cadence -------------------------------------------------------------


def test_session_row_is_committed_at_start_with_snapshots(
    db: SessionDatabase, db_path: Path
) -> None:
    rec = start(db, station="station-3")
    rows = committed(
        db_path,
        "SELECT session_id, patient_code, station, started_at, status, supervised,"
        " profile_json, prescription_json, devices_json, ended_at FROM sessions",
    )
    assert len(rows) == 1
    sid, code, station, started_at, status, supervised, pj, prj, dj, ended = rows[0]
    assert (sid, code, station, status, supervised, ended) == (
        rec.session_id,
        "DEMO-001",
        "station-3",
        "running",
        1,
        None,
    )
    assert datetime.fromisoformat(started_at.replace("Z", "+00:00")) == STARTED
    assert profile_from_dict(json.loads(pj), "db") == demo_profile()
    expected = compute_prescription(demo_profile(), date(2026, 11, 25))
    assert prescription_from_dict(json.loads(prj)) == expected
    assert json.loads(dj) == {"treadmill": "sim:", "hr": "sim:"}


def test_commits_every_second_of_session_time(
    db: SessionDatabase, db_path: Path, wall: FakeWall
) -> None:
    rec = start(db)
    rec.record_sample(sample(0.0))  # first row commits at once
    assert n_samples(db_path) == 1
    for t in (0.25, 0.5, 0.75):
        rec.record_sample(sample(t))
    assert n_samples(db_path) == 1
    assert rec.pending == 3
    rec.record_sample(sample(1.0))
    assert n_samples(db_path) == 5
    assert rec.pending == 0
    for t in range(2, 60):
        rec.record_sample(sample(float(t)))
        assert n_samples(db_path) == t + 4  # 1 Hz samples commit every time


def test_commits_after_one_second_of_wall_time(
    db: SessionDatabase, db_path: Path, wall: FakeWall
) -> None:
    rec = start(db)
    rec.record_event(event(5.0))
    rec.record_event(event(5.0))  # no session time passes
    wall.now_s += 0.5
    rec.record_event(event(5.0))
    assert committed(db_path, "SELECT count(*) FROM events") == [(1,)]
    wall.now_s += 0.6
    rec.record_event(event(5.0))
    assert committed(db_path, "SELECT count(*) FROM events") == [(4,)]


def test_flush_and_stored_values(db: SessionDatabase, db_path: Path) -> None:
    rec = start(db)
    rec.record_sample(sample(0.0))
    rec.record_sample(sample(0.5, hr=121))
    rec.record_event(event(0.5, message="target +5"))
    rec.flush()
    assert rec.pending == 0
    rows = committed(
        db_path,
        "SELECT t_s, phase, hr_raw_bpm, hr_filtered_bpm, hr_quality, rr_ms_json, target_bpm,"
        " speed_cmd_kmh, speed_meas_kmh, incline_cmd_pct, incline_meas_pct, distance_m"
        " FROM samples ORDER BY t_s",
    )
    assert rows[1] == (
        0.5,
        "main",
        121,
        120.5,
        "ok",
        "[500.0, 498.5]",
        113.0,
        5.0,
        4.9,
        1.0,
        1.0,
        0.7,
    )
    events = committed(db_path, "SELECT t_s, at, kind, cause, message, data_json FROM events")
    assert events == [
        (0.5, "2026-11-25T09:00:00.500Z", "override", "therapist", "target +5", '{"x": 1}')
    ]


def test_duplicate_sample_time_does_not_block_recording(db: SessionDatabase, db_path: Path) -> None:
    rec = start(db)
    rec.record_sample(sample(0.0, hr=100))
    rec.record_sample(sample(0.0, hr=101))
    rec.flush()
    assert committed(db_path, "SELECT hr_raw_bpm FROM samples") == [(101,)]


class Mood(StrEnum):
    GOOD = "good"


@dataclass(frozen=True)
class Part:
    value: float


def test_finish_writes_status_end_and_strict_json_summary(
    db: SessionDatabase, db_path: Path
) -> None:
    rec = start(db)
    for t in range(0, 10):
        rec.record_sample(sample(float(t)))
    rec.record_event(event(12.5, kind="state"))
    summary = {
        "status": "finished",
        "rmse_bpm": float("nan"),
        "mood": Mood.GOOD,
        "part": Part(1.5),
        "rpe": [(10.0, 13)],
    }
    rec.finish("finished", summary)
    assert rec.finished
    ((status, ended, summary_json, recorder),) = committed(
        db_path, "SELECT status, ended_at, summary_json, recorder FROM sessions"
    )
    assert status == "finished"
    assert ended == "2026-11-25T09:00:12.500Z"
    assert recorder is None
    assert json.loads(summary_json) == {
        "status": "finished",
        "rmse_bpm": None,
        "mood": "good",
        "part": {"value": 1.5},
        "rpe": [[10.0, 13]],
    }
    assert n_samples(db_path) == 10
    rec.record_sample(sample(20.0))  # after finish: dropped, not raised
    rec.finish("stopped", {})  # second finish ignored
    assert committed(db_path, "SELECT status FROM sessions") == [("finished",)]


def test_finish_rejects_unknown_status(db: SessionDatabase) -> None:
    with pytest.raises(ValueError):
        start(db).finish("done", {})


def test_two_stations_record_into_one_database(db: SessionDatabase, db_path: Path) -> None:
    a, b = start(db, "station-1"), start(db, "station-2")
    for t in range(5):
        a.record_sample(sample(float(t), hr=100))
        b.record_sample(sample(float(t), hr=140))
    a.finish("finished", {})
    b.finish("stopped", {})
    rows = committed(
        db_path, "SELECT session_id, count(*), avg(hr_raw_bpm) FROM samples GROUP BY session_id"
    )
    assert rows == [(a.session_id, 5, 100.0), (b.session_id, 5, 140.0)]


def test_close_aborts_sessions_still_recording(db_path: Path) -> None:
    db = SessionDatabase(db_path)
    rec = start(db)
    rec.record_sample(sample(0.0))
    rec.record_sample(sample(0.5))
    db.close()
    assert committed(db_path, "SELECT status FROM sessions") == [("aborted",)]
    assert n_samples(db_path) == 2
    with pytest.raises(RecordingError):
        start(db)


# ---- recovery -----------------------------------------------------------------------------


def _dead_pid() -> int:
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(proc.stdout)


def test_recover_interrupted_skips_live_and_aborts_dead(db_path: Path) -> None:
    with SessionDatabase(db_path) as writer:
        live = start(writer)
        live.record_sample(sample(0.0))
        dead = start(writer)
        dead.record_sample(sample(0.0))
        dead.record_sample(sample(1.0))
        dead.record_event(event(3.0))
        # Pretend the second session belonged to a process that has died.
        writer._conn.execute(
            "UPDATE sessions SET recorder = ? WHERE session_id = ?",
            (
                json.dumps({"host": os.uname().nodename, "pid": _dead_pid(), "proc_start": "1"}),
                dead.session_id,
            ),
        )
        writer._active.pop(dead.session_id)
        with SessionDatabase(db_path) as other:
            assert other.recover_interrupted() == [dead.session_id]
            assert other.recover_interrupted() == []
        statuses = dict(committed(db_path, "SELECT session_id, status FROM sessions"))
        assert statuses == {live.session_id: "running", dead.session_id: "aborted"}
        ((ended,),) = committed(
            db_path, "SELECT ended_at FROM sessions WHERE session_id = ?", dead.session_id
        )
        assert ended == "2026-11-25T09:00:03.000Z"
        ev = committed(
            db_path,
            "SELECT t_s, kind, cause, data_json FROM events WHERE session_id = ? AND kind='state'",
            dead.session_id,
        )
        assert len(ev) == 1
        assert ev[0][:3] == (3.0, "state", "system")
        assert json.loads(ev[0][3])["to"] == "aborted"
        assert committed(
            db_path, "SELECT count(*) FROM samples WHERE session_id = ?", dead.session_id
        ) == [(2,)]
        live.finish("finished", {})


# ---- write failures -----------------------------------------------------------------------


def test_disk_full_raises_keeps_rows_and_retries(
    db: SessionDatabase, db_path: Path, wall: FakeWall
) -> None:
    rec = start(db)
    rec.record_sample(sample(0.0))
    rec.record_sample(sample(0.5))  # buffered (less than 1 s of session time)
    rec.record_event(event(0.75))  # buffered
    pages = db._conn.execute("PRAGMA page_count").fetchone()[0]
    db._conn.execute(f"PRAGMA max_page_count = {pages}")  # the "disk" is now full
    # Keep recording until the growing database hits the limit.
    t = 1.0
    with pytest.raises(RecordingError) as info:
        while t < 500:
            rec.record_sample(sample(t))
            t += 0.5
    assert "full" in str(info.value)
    assert not rec.healthy
    assert rec.last_error is info.value
    kept = rec.pending
    assert kept >= 1  # rows accepted earlier are still in memory
    # The caller (the engine) retries the refused row: every call retries the commit.
    with pytest.raises(RecordingError):
        rec.record_sample(sample(t))
    assert rec.pending == kept
    with pytest.raises(RecordingError):
        rec.record_event(event(t, message="alarm"))
    with pytest.raises(RecordingError):
        rec.flush()
    with pytest.raises(RecordingError):
        rec.finish("finished", {})
    assert not rec.finished
    assert rec.pending == kept
    # Space is freed: the retried rows and everything buffered reach the database once.
    db._conn.execute("PRAGMA max_page_count = 1073741823")
    rec.record_sample(sample(t))
    assert rec.healthy
    rec.record_event(event(t, message="alarm"))
    rec.finish("finished", {"ok": True})
    times = [r[0] for r in committed(db_path, "SELECT t_s FROM samples ORDER BY t_s")]
    assert times == [x / 2 for x in range(int(t * 2) + 1)]
    messages = [r[0] for r in committed(db_path, "SELECT message FROM events ORDER BY t_s")]
    assert messages == ["m", "alarm"]
    assert committed(db_path, "SELECT status FROM sessions") == [("finished",)]


def test_lock_during_recording_raises_locked_error_then_recovers(
    db: SessionDatabase, db_path: Path, wall: FakeWall
) -> None:
    rec = start(db)
    rec.record_sample(sample(0.0))
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        rec.record_sample(sample(0.5))  # buffered, no commit due
        with pytest.raises(DatabaseLockedError):
            rec.record_sample(sample(1.0))
        assert rec.pending == 1
    finally:
        other.execute("ROLLBACK")
        other.close()
    rec.flush()
    assert n_samples(db_path) == 2
    rec.record_sample(sample(1.0))  # the engine retries the refused row
    rec.flush()
    assert n_samples(db_path) == 3


# ---- plant estimates and read-only access -------------------------------------------------


def test_plant_estimate_round_trip_and_replace(db: SessionDatabase) -> None:
    assert db.load_plant_estimate("DEMO-001") is None
    est = PlantEstimate(gain_bpm_per_kmh=7.5, gain_bpm_per_pct=4.0, tau_s=65.0)
    db.save_plant_estimate("DEMO-001", est, session_id=1)
    assert db.load_plant_estimate("DEMO-001") == est
    newer = PlantEstimate(gain_bpm_per_kmh=8.25)
    db.save_plant_estimate("DEMO-001", newer, session_id=2)
    assert db.load_plant_estimate("DEMO-001") == newer
    with pytest.raises(ValidationError):
        db.save_plant_estimate("DEMO-001", PlantEstimate(gain_bpm_per_kmh=float("nan")), 3)
    assert db.load_plant_estimate("DEMO-001") == newer


def test_plant_estimate_survives_reopen(db_path: Path) -> None:
    est = PlantEstimate(gain_bpm_per_kmh=6.0, tau_s=80.0)
    with SessionDatabase(db_path) as db:
        db.save_plant_estimate("P-1", est, session_id=4)
    with SessionDatabase(db_path) as db:
        assert db.load_plant_estimate("P-1") == est


def test_connect_readonly_reads_but_cannot_write(db: SessionDatabase) -> None:
    rec = start(db)
    rec.record_sample(sample(0.0))
    conn = db.connect_readonly()
    try:
        assert conn.execute("SELECT count(*) FROM samples").fetchone() == (1,)
        with pytest.raises(sqlite3.Error):
            conn.execute("DELETE FROM samples")
    finally:
        conn.close()


def test_malformed_rows_never_block_recording(db: SessionDatabase, db_path: Path) -> None:
    rec = start(db)
    rec.record_sample(sample(0.0))
    rec.record_sample(dataclasses.replace(sample(0.5), target_bpm=float("nan")))
    rec.record_sample(dataclasses.replace(sample(float("inf"))))
    rec.record_event(EventRecord(t_s=float("nan"), kind="x", cause="system", message="odd"))
    rec.record_sample(dataclasses.replace(sample(1.0), hr_filtered_bpm=float("nan")))
    rec.finish("finished", {})
    rows = committed(db_path, "SELECT t_s, hr_filtered_bpm FROM samples ORDER BY t_s")
    assert rows == [(0.0, 119.5), (1.0, None)]
    assert committed(db_path, "SELECT t_s, message FROM events") == [(0.0, "odd")]


def test_two_database_handles_write_concurrently(db_path: Path) -> None:
    """Two app instances (or stations with their own handle) share one file via WAL."""
    errors: list[BaseException] = []

    def run(station: str) -> None:
        try:
            with SessionDatabase(db_path) as handle:
                rec = start(handle, station)
                for t in range(150):
                    rec.record_sample(sample(float(t)))  # commits every call (1 Hz)
                rec.finish("finished", {})
        except BaseException as exc:  # reported below
            errors.append(exc)

    SessionDatabase(db_path).close()
    threads = [threading.Thread(target=run, args=(f"station-{i}",)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert committed(db_path, "SELECT station, status FROM sessions ORDER BY station") == [
        ("station-1", "finished"),
        ("station-2", "finished"),
    ]
    assert n_samples(db_path) == 300


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another program holding the database locked for writing."""
    lock = sqlite3.connect(path, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    return lock


def test_failed_finish_is_retried_with_its_status_on_close(tmp_path: Path) -> None:
    path = tmp_path / "rr.sqlite3"
    db = SessionDatabase(path, busy_timeout_s=0.05)
    rec = start(db)
    for k in range(5):
        rec.record_sample(sample(float(k)))
    lock = _hold_write_lock(path)
    with pytest.raises(RecordingError):
        rec.finish("finished", {"status": "finished", "minutes": 45})
    assert rec.finish_wanted is not None and not rec.finished
    lock.rollback()
    lock.close()
    db.close()  # the lock is gone: the real finish is done, not "aborted"
    status, summary = committed(
        path, "SELECT status, summary_json FROM sessions WHERE session_id = ?", rec.session_id
    )[0]
    assert status == "finished" and json.loads(summary)["minutes"] == 45
    assert committed(path, "SELECT count(*) FROM samples")[0][0] == 5
    assert not list(tmp_path.glob("*.rescue-*"))


def test_rows_go_to_a_rescue_file_when_the_database_stays_unwritable(tmp_path: Path) -> None:
    path = tmp_path / "rr.sqlite3"
    db = SessionDatabase(path, busy_timeout_s=0.05, monotonic=FakeWall())
    rec = start(db)
    rec.record_sample(sample(0.0))
    rec.flush()
    lock = _hold_write_lock(path)
    for k in range(1, 8):  # less than 1 s of session time: buffered, no commit due yet
        rec.record_sample(sample(k / 10))
    rec.record_event(event(0.75, message="RPE 13"))
    with pytest.raises(RecordingError):
        rec.finish("finished", {"status": "finished"})
    db.close()
    lock.rollback()
    lock.close()
    (rescue,) = tmp_path.glob("rr.sqlite3.rescue-session-*.json")
    assert rescue == rec.rescue_path
    assert stat.S_IMODE(rescue.stat().st_mode) == 0o600
    data = json.loads(rescue.read_text())
    assert data["status"] == "finished" and data["session_id"] == rec.session_id
    t_col = data["sample_columns"].index("t_s")
    assert sorted(row[t_col] for row in data["samples"]) == [k / 10 for k in range(1, 8)]
    assert [row[data["event_columns"].index("message")] for row in data["events"]] == ["RPE 13"]
    # the database was not touched: the committed part is intact, still "running"
    assert committed(path, "SELECT count(*) FROM samples")[0][0] == 1
