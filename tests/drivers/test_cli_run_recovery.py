"""``runningroom run`` and the session database: crashed sessions recovered first, a locked
database at the start is a clear error (belt never started)."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from runningroom.prescription import compute_prescription
from runningroom.profiles_io import demo_profile, find_template
from runningroom.recording.recorder import SessionDatabase
from runningroom_app.cli import main
from runningroom_app.cli import run as run_cli


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

    async def fake_run_station(station: Any, **_options: Any) -> int:
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


async def test_locked_database_at_start_is_a_clear_error_and_the_belt_stays_stopped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from drivers.sim.devices import SimHrStrap, SimTreadmill
    from drivers.sim.patient import SimulatedPatient, params_for_profile
    from runningroom.clock import ManualClock
    from runningroom.devices import BeltState
    from runningroom.station import Station

    path = tmp_path / "sessions.db"
    database = SessionDatabase(path, busy_timeout_s=0.05)
    clock = ManualClock()
    treadmill = SimTreadmill(clock)
    profile = demo_profile()
    strap = SimHrStrap(clock, SimulatedPatient(params_for_profile(profile, 1)), treadmill,
                       faults=None, seed=1)
    station = Station(name="test", treadmill=treadmill, hr_source=strap, profile=profile,
                      template=find_template("standard"), database=database, clock=clock)
    lock = sqlite3.connect(path, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")  # another program holds the database
    try:
        code = await run_cli.run_station(station, status_every_s=60.0)
    finally:
        lock.rollback()
        lock.close()
        database.close()
    assert code == run_cli.EXIT_RECORDING
    err = capsys.readouterr().err
    assert err.startswith("runningroom run: the session did not start:") and "locked" in err
    assert "start" not in [kind for _, kind, _ in treadmill.command_log]
    assert treadmill.belt_state is BeltState.STOPPED
    assert not treadmill.connected  # shut down cleanly
