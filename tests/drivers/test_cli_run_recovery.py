"""``runningroom run`` marks sessions left running by a crashed process as aborted first."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from runningroom.cli import main
from runningroom.cli import run as run_cli
from runningroom.prescription import compute_prescription
from runningroom.profiles_io import demo_profile, find_template
from runningroom.recording.recorder import SessionDatabase


def _session_left_running(path: Path, pid: int) -> int:
    """A session whose recorder (``pid`` on this host) never finished it."""
    db = SessionDatabase(path)
    profile = demo_profile()
    recorder = db.start_session(
        patient_code=profile.code,
        started_at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
        profile=profile,
        template=find_template("standard"),
        prescription=compute_prescription(profile, datetime(2026, 1, 5).date()),
    )
    sid = recorder.session_id
    recorder.flush()
    db._active.pop(sid)  # the process "dies": nothing finishes the session
    con = sqlite3.connect(path)
    with con:
        con.execute(
            "UPDATE sessions SET recorder = ? WHERE session_id = ?",
            (json.dumps({"host": socket.gethostname(), "pid": pid, "proc_start": None}), sid),
        )
    con.close()
    db.close()
    return sid


def _status(path: Path, sid: int) -> str:
    con = sqlite3.connect(path)
    try:
        return str(con.execute("SELECT status FROM sessions WHERE session_id = ?", (sid,))
                   .fetchone()[0])
    finally:
        con.close()


def test_run_recovers_interrupted_sessions_before_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sessions.db"
    dead = _session_left_running(path, pid=2**22 + 12345)  # no such process
    live = _session_left_running(path, pid=os.getpid())  # still recording elsewhere
    seen: list[str] = []

    async def fake_run_station(station: Any, *, status_every_s: float = 10.0) -> int:
        seen.append(_status(path, dead))  # recovery happened before the session
        return run_cli.EXIT_OK

    monkeypatch.setattr(run_cli, "run_station", fake_run_station)
    code = main(["run", "--profile", "DEMO-001", "--treadmill", "sim:", "--hr", "sim:",
                 "--db", str(path)])
    assert code == run_cli.EXIT_OK
    assert seen == ["aborted"]
    assert _status(path, dead) == "aborted"
    assert _status(path, live) == "running"  # a live recorder's session is left alone
    assert f"recovered interrupted sessions as aborted: [{dead}]" in capsys.readouterr().out
