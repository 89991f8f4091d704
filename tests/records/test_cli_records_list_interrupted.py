"""``records list`` never shows a session of a crashed program as running."""

from __future__ import annotations

import json
import os
import socket
import sqlite3

import pytest

from runningroom_app.cli import main
from runningroom_app.cli import records as records_cli
from tests.records.factory import insert_session
from tests.records.fixtures import START, Db

DEAD = json.dumps({"host": socket.gethostname(), "pid": 2**22 + 12345, "proc_start": None})
ALIVE = json.dumps({"host": socket.gethostname(), "pid": os.getpid(), "proc_start": None})


def _two_running(db: Db) -> tuple[int, int]:
    """The fixture's session left running by a dead process, one more by a live one."""
    conn = db.conn
    dead = db.sessions[0].session_id
    live = insert_session(conn, started_at=START.replace(day=6), seed=5, scale=0.1).session_id
    conn.execute("UPDATE sessions SET status = 'running', recorder = ? WHERE session_id = ?",
                 (DEAD, dead))
    conn.execute("UPDATE sessions SET status = 'running', recorder = ? WHERE session_id = ?",
                 (ALIVE, live))
    conn.commit()
    return dead, live


def _listed(capsys: pytest.CaptureFixture[str], db: Db) -> dict[int, str]:
    code = main(["records", "--database", str(db.path), "list", "--patient", "DEMO-001",
                 "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return {r["session_id"]: r["status"] for r in json.loads(out)}


def _status(db: Db, sid: int) -> str:
    con = sqlite3.connect(db.path)
    try:
        return str(con.execute("SELECT status FROM sessions WHERE session_id = ?", (sid,))
                   .fetchone()[0])
    finally:
        con.close()


def test_list_recovers_a_crashed_session_first(
    one_session_db: Db, capsys: pytest.CaptureFixture[str]
) -> None:
    dead, live = _two_running(one_session_db)
    assert _listed(capsys, one_session_db) == {dead: "aborted", live: "running"}
    assert _status(one_session_db, dead) == "aborted"  # recovered in the file
    assert _status(one_session_db, live) == "running"  # a live recorder is left alone
    # the table output says the same
    assert main(["records", "--database", str(one_session_db.path), "list", "--patient",
                 "DEMO-001"]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    status = {int(line.split()[0]): line.split()[-1] for line in lines}
    assert status == {dead: "aborted", live: "running"}


def test_list_shows_interrupted_when_recovery_cannot_write(
    one_session_db: Db, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    dead, live = _two_running(one_session_db)
    # a read-only or busy database: recovery writes nothing
    monkeypatch.setattr(records_cli, "_recover_interrupted", lambda path: None)
    assert _listed(capsys, one_session_db) == {dead: "interrupted", live: "running"}
    assert _status(one_session_db, dead) == "running"  # list itself stays read-only
