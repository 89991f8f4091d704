from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from runningroom.errors import RecordingError
from runningroom.records.history import session_history
from runningroom.records.store import (
    list_patient_codes,
    load_events,
    load_samples,
    load_session,
    open_database,
    resolve_sessions,
)
from runningroom.session.summary import summarise
from tests.records.factory import insert_session, new_database
from tests.records.fixtures import START, Db


def test_history_row_from_summary(one_session_db: Db) -> None:
    (row,) = session_history(one_session_db.conn, "DEMO-001")
    built = one_session_db.sessions[0]
    phases = built.summary["phases"]
    assert row.started_at == START
    assert row.duration_s == 2700.0
    assert row.minutes_in_zone == pytest.approx(
        sum(p["time_in_zone_s"] for p in phases.values()) / 60.0)
    assert row.minutes_moderate == pytest.approx(built.summary["minutes_moderate"])
    assert row.avg_hr_bpm == pytest.approx(built.summary["avg_hr_bpm"])
    assert row.rpe == 13 and row.feeling == 3
    assert row.alarms == 1 and row.overrides == 1
    assert row.supervised is True and row.template == "standard"


def test_history_without_summary_is_computed_from_samples(one_session_db: Db) -> None:
    conn = one_session_db.conn
    insert_session(conn, started_at=START.replace(day=6), seed=3, with_summary=False,
                   status="aborted", supervised=False)
    with_summary, without = session_history(conn, "DEMO-001")
    assert without.status == "aborted" and without.supervised is False
    # scored by summarise() like a stored summary: first to last sample plus one period
    assert without.duration_s == pytest.approx(with_summary.duration_s) == 2700.0
    # the factory's stored summary counts filtered HR; summarise() (the engine's) raw HR
    assert without.minutes_moderate == pytest.approx(with_summary.minutes_moderate, rel=0.03)
    assert without.minutes_in_zone == pytest.approx(with_summary.minutes_in_zone, rel=0.06)
    assert without.avg_hr_bpm == pytest.approx(with_summary.avg_hr_bpm, rel=0.01)
    assert without.alarms == 1 and without.overrides == 1
    assert without.rpe == 13 and without.feeling == 3


def test_history_is_per_patient_and_ordered(programme_db: Db) -> None:
    rows = session_history(programme_db.conn, "DEMO-001")
    assert len(rows) == 11
    assert [r.started_at for r in rows] == sorted(r.started_at for r in rows)
    assert {r.patient_code for r in rows} == {"DEMO-001"}
    assert list_patient_codes(programme_db.conn) == ["DEMO-001", "OTHER-7"]


def test_load_session_round_trips_samples_and_events(one_session_db: Db) -> None:
    data = load_session(one_session_db.conn, one_session_db.sessions[0].session_id)
    assert len(data.samples) == 2700
    assert data.samples[0].rr_ms and data.samples[1].rr_ms == ()
    assert data.samples[781].hr_quality == "stale" and data.samples[781].hr_raw_bpm is None
    kinds = [e.kind for e in data.events]
    assert kinds.count("rpe") == 2 and "annotation" in kinds
    assert data.meta.profile["code"] == "DEMO-001"


def test_resolve_sessions(programme_db: Db) -> None:
    conn = programme_db.conn
    demo_ids = [b.session_id for b in programme_db.sessions[:-1]]
    assert resolve_sessions(conn, "all", "DEMO-001") == demo_ids
    assert resolve_sessions(conn, "last", "DEMO-001") == [demo_ids[-1]]
    assert resolve_sessions(conn, str(demo_ids[2]), "DEMO-001") == [demo_ids[2]]
    other = programme_db.sessions[-1].session_id
    with pytest.raises(RecordingError, match="does not belong"):
        resolve_sessions(conn, str(other), "DEMO-001")
    with pytest.raises(RecordingError, match="no sessions"):
        resolve_sessions(conn, "all", "NOBODY")
    with pytest.raises(RecordingError, match="expects"):
        resolve_sessions(conn, "first", None)
    with pytest.raises(RecordingError, match="no session 999"):
        resolve_sessions(conn, "999", None)


def test_open_database_refuses_foreign_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "notes.sqlite3"
    junk.write_text("not a database at all, just text " * 40)
    with pytest.raises(RecordingError):
        open_database(junk)
    with pytest.raises(RecordingError, match="no session database"):
        open_database(tmp_path / "missing.sqlite3")
    fresh = tmp_path / "sub" / "new.sqlite3"
    conn = open_database(fresh, create=True)
    conn.close()
    assert fresh.stat().st_mode & 0o777 == 0o600
    assert junk.read_text().startswith("not a database")


def test_open_database_refuses_newer_schema_for_writing(one_session_db: Db) -> None:
    one_session_db.conn.execute("PRAGMA user_version = 7")
    one_session_db.conn.commit()
    with pytest.raises(RecordingError, match="newer"):
        open_database(one_session_db.path)
    conn = open_database(one_session_db.path, readonly=True)  # reading is still possible
    conn.close()
    assert one_session_db.conn.execute("PRAGMA user_version").fetchone()[0] == 7


def test_open_database_adds_records_tables_to_older_files(one_session_db: Db) -> None:
    one_session_db.conn.execute("DROP TABLE programmes")
    one_session_db.conn.commit()
    conn = open_database(one_session_db.path)
    try:
        assert conn.execute("SELECT COUNT(*) FROM programmes").fetchone()[0] == 0
    finally:
        conn.close()


def test_alarm_count_ignores_clear_and_acknowledge(one_session_db: Db) -> None:
    conn = one_session_db.conn
    built = insert_session(conn, started_at=START.replace(day=7), seed=4, with_summary=False)
    for stage in ("raised", "cleared", "acknowledged"):
        conn.execute(
            "INSERT INTO events (session_id, t_s, at, kind, cause, message, data_json) VALUES "
            "(?, 1000, '2026-01-07T09:16:40Z', 'alarm', 'safety', 'x', ?)",
            (built.session_id, f'{{"alarm_kind": "hr_lost", "stage": "{stage}"}}'))
    conn.commit()
    row = session_history(conn, "DEMO-001")[-1]
    assert row.session_id == built.session_id
    assert row.alarms == 2  # the factory's own alarm + one raised here


def _store_engine_summary(conn: sqlite3.Connection, session_id: int, status: str) -> None:
    """Store the summary the engine would store at the end: summarise() of the rows."""
    summary = summarise(
        load_samples(conn, session_id), load_events(conn, session_id), status=status
    )
    conn.execute(
        "UPDATE sessions SET status = ?, summary_json = ? WHERE session_id = ?",
        (status, json.dumps(summary.to_dict()), session_id),
    )
    conn.commit()


def test_aborted_and_finished_sessions_with_the_same_samples_get_the_same_figures(
    tmp_path: Path,
) -> None:
    conn = new_database(tmp_path / "rr.sqlite3")
    finished = insert_session(conn, started_at=START, seed=5, with_summary=False)
    _store_engine_summary(conn, finished.session_id, "finished")
    aborted = insert_session(
        conn, started_at=START.replace(day=6), seed=5, with_summary=False, status="aborted"
    )
    conn.execute(  # recovered as aborted: no summary was ever stored
        "UPDATE sessions SET status = 'aborted', summary_json = NULL WHERE session_id = ?",
        (aborted.session_id,),
    )
    conn.commit()
    a, b = session_history(conn, "DEMO-001")
    assert (a.status, b.status) == ("finished", "aborted")
    keys = ("duration_s", "minutes_in_zone", "minutes_moderate", "avg_hr_bpm", "max_hr_bpm",
            "distance_m", "rpe", "feeling", "alarms", "overrides")
    assert {k: getattr(b, k) for k in keys} == {k: getattr(a, k) for k in keys}
    assert a.minutes_in_zone > 10 and a.avg_hr_bpm is not None
    conn.close()


def test_history_of_a_session_without_samples_or_summary(tmp_path: Path) -> None:
    conn = new_database(tmp_path / "rr.sqlite3")
    built = insert_session(conn, started_at=START, seed=5, with_summary=False)
    conn.execute("DELETE FROM samples WHERE session_id = ?", (built.session_id,))
    conn.commit()
    (row,) = session_history(conn, "DEMO-001")
    assert row.minutes_in_zone == 0.0 and row.avg_hr_bpm is None and row.max_hr_bpm is None
    assert row.alarms == 1 and row.rpe == 13
    conn.close()
