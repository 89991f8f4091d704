from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from runningroom.errors import RecordingError
from runningroom.records.backup import RestoreConflictError, backup_database, restore_database
from runningroom.records.patients import delete_patient
from runningroom.records.programme import Programme, save_programme, set_score
from tests.records.factory import DEMO_NAME, insert_session
from tests.records.fixtures import START, Db


def _count(path: Path, sql: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def test_backup_is_one_private_file_and_restores(one_session_db: Db, tmp_path: Path) -> None:
    one_session_db.conn.execute("PRAGMA journal_mode = WAL")
    backup = tmp_path / "backups" / "rr.backup"
    backup_database(one_session_db.path, backup)
    assert backup.stat().st_mode & 0o777 == 0o600
    assert not backup.with_name(backup.name + "-wal").exists()
    assert _count(backup, "SELECT COUNT(*) FROM samples") == 2700
    with pytest.raises(RecordingError, match="already exists"):
        backup_database(one_session_db.path, backup)
    # restore into a fresh location
    target = tmp_path / "restored.sqlite3"
    assert restore_database(backup, target) is None
    assert target.stat().st_mode & 0o777 == 0o600
    assert _count(target, "SELECT COUNT(*) FROM samples") == 2700


def test_restore_of_the_same_state_is_allowed(one_session_db: Db, tmp_path: Path) -> None:
    backup = backup_database(one_session_db.path, tmp_path / "b.sqlite3")
    one_session_db.conn.close()
    saved = restore_database(backup, one_session_db.path)
    assert saved is not None and saved.exists()  # the replaced database is kept
    assert saved.stat().st_mode & 0o777 == 0o600


def test_restore_refuses_to_overwrite_newer_data(one_session_db: Db, tmp_path: Path) -> None:
    backup = backup_database(one_session_db.path, tmp_path / "b.sqlite3")
    insert_session(one_session_db.conn, started_at=START + timedelta(days=2), seed=5)
    with pytest.raises(RestoreConflictError) as info:
        restore_database(backup, one_session_db.path)
    assert any("not in the backup" in r for r in info.value.reasons)
    assert _count(one_session_db.path, "SELECT COUNT(*) FROM sessions") == 2  # untouched
    # forced: restored, and the newer database is kept aside
    one_session_db.conn.close()
    saved = restore_database(backup, one_session_db.path, force=True)
    assert _count(one_session_db.path, "SELECT COUNT(*) FROM sessions") == 1
    assert saved is not None and _count(saved, "SELECT COUNT(*) FROM sessions") == 2


def test_restore_refuses_newer_programme_edits(one_session_db: Db, tmp_path: Path) -> None:
    backup = backup_database(one_session_db.path, tmp_path / "b.sqlite3")
    set_score(one_session_db.conn, "DEMO-001", 0, "PHQ-9", 12)  # entered now: newer
    with pytest.raises(RestoreConflictError, match="newer"):
        restore_database(backup, one_session_db.path)


def test_restore_refuses_longer_sessions(one_session_db: Db, tmp_path: Path) -> None:
    conn = one_session_db.conn
    conn.execute("DELETE FROM samples WHERE t_s > 1000")
    conn.commit()
    backup = backup_database(one_session_db.path, tmp_path / "b.sqlite3")
    conn.execute("INSERT INTO samples (session_id, t_s, phase, hr_quality, target_bpm, "
                 "zone_low_bpm, zone_high_bpm) VALUES (1, 5000, 'main', 'ok', 1, 1, 1)")
    conn.commit()
    with pytest.raises(RestoreConflictError, match="more samples"):
        restore_database(backup, one_session_db.path)


def test_restore_rejects_foreign_files(one_session_db: Db, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.sqlite3"
    c = sqlite3.connect(bogus)
    c.execute("CREATE TABLE notes (x)")
    c.commit()
    c.close()
    with pytest.raises(RecordingError, match="not a RunningRoom"):
        restore_database(bogus, one_session_db.path)
    text = tmp_path / "text.bin"
    text.write_bytes(b"hello" * 300)
    with pytest.raises(RecordingError):
        restore_database(text, one_session_db.path)
    assert _count(one_session_db.path, "SELECT COUNT(*) FROM samples") == 2700


def test_delete_patient_removes_everything_and_audits(programme_db: Db, tmp_path: Path) -> None:
    conn = programme_db.conn
    save_programme(conn, Programme("DEMO-001", START.date()))
    set_score(conn, "DEMO-001", 0, "PHQ-9", 15)
    conn.execute("INSERT INTO patient_models (patient_code, gain_bpm_per_kmh, updated_at) "
                 "VALUES ('DEMO-001', 8.5, '2026-01-05T10:00:00Z')")
    conn.commit()
    profiles = tmp_path / "patients"
    profiles.mkdir()
    (profiles / "demo.toml").write_text(f'code = "DEMO-001"\ndisplay_name = "{DEMO_NAME}"\n')
    (profiles / "other.toml").write_text('code = "OTHER-7"\n')
    with pytest.raises(ValueError, match="confirmation"):
        delete_patient(conn, "DEMO-001", confirm="DEMO-01")
    assert _count(programme_db.path, "SELECT COUNT(*) FROM sessions") == 12

    report = delete_patient(conn, "DEMO-001", confirm="DEMO-001", profiles_dir=profiles)
    assert report.sessions == 11 and report.samples == 11 * 2700
    assert report.programmes == 1 and report.scores == 1 and report.models == 1
    assert report.profile_files == 1
    for table in ("sessions", "programmes", "questionnaire_scores", "patient_models"):
        assert _count(programme_db.path,
                      f"SELECT COUNT(*) FROM {table} WHERE patient_code = 'DEMO-001'") == 0
    assert _count(programme_db.path, "SELECT COUNT(*) FROM samples") == 540  # OTHER-7's only
    assert _count(programme_db.path, "SELECT COUNT(*) FROM events WHERE session_id IN "
                                     "(SELECT session_id FROM sessions)") == _count(
        programme_db.path, "SELECT COUNT(*) FROM events")
    assert not (profiles / "demo.toml").exists() and (profiles / "other.toml").exists()
    rows = conn.execute("SELECT action, detail FROM audit").fetchall()
    assert len(rows) == 1 and rows[0][0] == "delete_patient"
    assert json.loads(rows[0][1])["sessions"] == 11
    # no personal data in the audit entry, and none left in the file
    assert "DEMO" not in rows[0][1] and "Anna" not in rows[0][1]
    conn.close()
    raw = programme_db.path.read_bytes()
    assert b"DEMO-001" not in raw and DEMO_NAME.encode() not in raw
    # nothing to delete twice
    conn2 = sqlite3.connect(programme_db.path)
    with pytest.raises(RecordingError, match="no data"):
        delete_patient(conn2, "DEMO-001", confirm="DEMO-001")
    conn2.close()


def test_delete_refuses_a_recording_session(one_session_db: Db) -> None:
    one_session_db.conn.execute("UPDATE sessions SET status = 'running'")
    with pytest.raises(RecordingError, match="still recording"):
        delete_patient(one_session_db.conn, "DEMO-001", confirm="DEMO-001")


def test_restore_refuses_while_a_session_is_recording(one_session_db: Db, tmp_path: Path) -> None:
    backup = backup_database(one_session_db.path, tmp_path / "b.sqlite3")
    one_session_db.conn.execute("UPDATE sessions SET status = 'running'")
    one_session_db.conn.commit()
    with pytest.raises(RestoreConflictError, match="still recording"):
        restore_database(backup, one_session_db.path)
