from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from runningroom_app.cli import main
from tests.records.factory import insert_session
from tests.records.fixtures import Db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_last_csv(programme_db: Db, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "exp"
    code, out, err = run(capsys, "export", "--session", "last", "--patient", "DEMO-001",
                         "--format", "csv", "--out", str(out_dir), "--database",
                         str(programme_db.path))
    assert code == 0, err
    files = [Path(line) for line in out.splitlines()]
    assert len(files) == 4 and all(f.exists() for f in files)  # samples, RR, events, summary
    last_id = programme_db.sessions[-2].session_id  # the last DEMO-001 session
    assert any(f"_s{last_id}_" in f.name for f in files)
    with files[-1].open(encoding="utf-8-sig", newline="") as fh:
        assert [r["session_id"] for r in csv.DictReader(fh)] == [str(last_id)]


@pytest.mark.parametrize("fmt", ["json", "fit", "tcx", "fhir"])
def test_export_all_formats(fmt: str, one_session_db: Db, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "export", "--session", "all", "--patient", "DEMO-001",
                         "--format", fmt, "--out", str(tmp_path / fmt), "--database",
                         str(one_session_db.path))
    assert code == 0, err
    (path,) = [Path(p) for p in out.splitlines()]
    assert path.stat().st_mode & 0o777 == 0o600 and path.stat().st_size > 1000


def test_export_errors(one_session_db: Db, tmp_path: Path,
                       capsys: pytest.CaptureFixture[str]) -> None:
    db = str(one_session_db.path)
    code, _, err = run(capsys, "export", "--session", "all", "--format", "csv", "--out",
                       str(tmp_path), "--database", db)
    assert code == 2 and "--patient" in err
    code, _, err = run(capsys, "export", "--session", "42", "--format", "csv", "--out",
                       str(tmp_path), "--database", db)
    assert code == 1 and "no session 42" in err
    code, _, err = run(capsys, "export", "--session", "1", "--format", "csv", "--out",
                       str(tmp_path), "--database", str(tmp_path / "none.sqlite3"))
    assert code == 1 and "no session database" in err


def test_records_list(programme_db: Db, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(programme_db.path)
    code, out, _ = run(capsys, "records", "--database", db, "list")
    assert code == 0 and out.split() == ["DEMO-001", "OTHER-7"]
    code, out, _ = run(capsys, "records", "--database", db, "list", "--patient", "DEMO-001")
    assert code == 0 and len(out.splitlines()) == 12  # header + 11 sessions
    code, out, _ = run(capsys, "records", "--database", db, "list", "--patient", "DEMO-001",
                       "--json")
    rows = json.loads(out)
    assert len(rows) == 11 and rows[0]["supervised"] is True and rows[0]["duration_s"] == 2700


def test_records_programme_and_scores(programme_db: Db,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = str(programme_db.path)
    code, _, err = run(capsys, "records", "--database", db, "programme", "--patient",
                       "DEMO-001")
    assert code == 1 and "no programme" in err
    code, _, _ = run(capsys, "records", "--database", db, "score", "--patient", "DEMO-001",
                     "--week", "0", "--name", "PHQ-9", "--value", "14")
    assert code == 0
    code, out, err = run(capsys, "records", "--database", db, "programme", "--patient",
                         "DEMO-001", "--start", "2026-01-05", "--weeks", "9", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["planned_weeks"] == 9 and doc["sessions_per_week"] == 3
    assert doc["minutes_per_week_target"] == 150
    assert [w["sessions_done"] for w in doc["weeks"]][:5] == [0, 3, 3, 2, 3]
    assert doc["weeks"][0]["scores"] == {"PHQ-9": 14.0}
    code, out, _ = run(capsys, "records", "--database", db, "programme", "--patient",
                       "DEMO-001", "--minutes-per-week", "120")
    assert code == 0 and "120 min/week" in out and "PHQ-9" in out
    code, _, err = run(capsys, "records", "--database", db, "programme", "--patient",
                       "DEMO-001", "--weeks", "0")
    assert code == 2 and "planned_weeks" in err


def test_records_backup_restore_delete(one_session_db: Db, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    db = str(one_session_db.path)
    backup = tmp_path / "b.rrbackup"
    code, out, _ = run(capsys, "records", "--database", db, "backup", "--out", str(backup))
    assert code == 0 and backup.exists()
    insert_session(one_session_db.conn, started_at=one_session_db.sessions[0].started_at.replace(
        day=9), seed=8)
    one_session_db.conn.close()
    code, _, err = run(capsys, "records", "--database", db, "restore", "--from", str(backup))
    assert code == 1 and "refused" in err
    code, _, err = run(capsys, "records", "--database", db, "delete-patient", "--patient",
                       "DEMO-001", "--confirm", "WRONG")
    assert code == 1 and "confirmation" in err
    code, out, err = run(capsys, "records", "--database", db, "delete-patient", "--patient",
                         "DEMO-001", "--confirm", "DEMO-001")
    assert code == 0 and "2 sessions" in out, err
    code, out, _ = run(capsys, "records", "--database", db, "list")
    assert out.strip() == ""
    # the deletion itself is audited; restoring the older backup is now refused too
    code, _, err = run(capsys, "records", "--database", db, "restore", "--from", str(backup))
    assert code == 1 and "newer" in err
    code, out, _ = run(capsys, "records", "--database", db, "restore", "--from", str(backup),
                       "--force")
    assert code == 0 and "previous database kept" in out


def test_delete_and_restore_recover_a_crashed_session_first(
    one_session_db: Db, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A session left 'running' by a crashed program must not block them forever."""
    import os
    import socket

    db = str(one_session_db.path)
    backup = tmp_path / "b.sqlite3"
    assert run(capsys, "records", "--database", db, "backup", "--out", str(backup))[0] == 0
    conn = one_session_db.conn
    alive = json.dumps({"host": socket.gethostname(), "pid": os.getpid(), "proc_start": None})
    # a live recorder (this process) is recording: both refuse
    conn.execute("UPDATE sessions SET status = 'running', recorder = ?", (alive,))
    conn.commit()
    code, _, err = run(capsys, "records", "--database", db, "delete-patient",
                       "--patient", "DEMO-001", "--confirm", "DEMO-001")
    assert code == 1 and "still recording" in err
    code, _, err = run(capsys, "records", "--database", db, "restore", "--from", str(backup))
    assert code == 1 and "still recording" in err
    # the recorder died without finishing: recovered as aborted, then deleted
    dead = json.dumps({"host": socket.gethostname(), "pid": 2**22 + 12345, "proc_start": None})
    conn.execute("UPDATE sessions SET status = 'running', recorder = ?", (dead,))
    conn.commit()
    code, out, err = run(capsys, "records", "--database", db, "delete-patient",
                         "--patient", "DEMO-001", "--confirm", "DEMO-001")
    assert code == 0, err
    assert "deleted: 1 sessions" in out


def test_programme_and_score_refuse_an_unknown_patient_code(
    programme_db: Db, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(programme_db.path)
    for argv in (
        ["programme", "--patient", "demo-001", "--start", "2026-01-05"],  # wrong case
        ["score", "--patient", "NOBODY-9", "--week", "1", "--name", "mood", "--value", "3"],
        ["score", "--patient", "../x", "--week", "1", "--name", "mood", "--value", "3"],
    ):
        code, _, err = run(capsys, "records", "--database", db, *argv)
        assert code == 2 and "unknown patient" in err
    conn = sqlite3.connect(db)
    try:
        codes = {r[0] for r in conn.execute("SELECT patient_code FROM programmes")}
        codes |= {r[0] for r in conn.execute("SELECT patient_code FROM questionnaire_scores")}
    finally:
        conn.close()
    assert codes <= {"DEMO-001"}  # nothing stored for the unknown codes
    # a known patient (recorded sessions) still works
    code, _, err = run(capsys, "records", "--database", db, "score", "--patient", "DEMO-001",
                       "--week", "1", "--name", "mood", "--value", "3")
    assert code == 0, err
