"""Crash safety: a recording process killed with SIGKILL loses at most the last ~2 s."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from runningroom.recording.recorder import SessionDatabase

CHILD = textwrap.dedent(
    """
    import sys, time
    from datetime import UTC, date, datetime
    from pathlib import Path

    from runningroom.prescription import compute_prescription
    from runningroom.profiles_io import demo_profile, find_template
    from runningroom.recording.model import EventRecord, SampleRecord
    from runningroom.recording.recorder import SessionDatabase

    mode = sys.argv[2]
    db = SessionDatabase(Path(sys.argv[1]))
    profile = demo_profile()
    rec = db.start_session(
        patient_code=profile.code,
        started_at=datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
        profile=profile,
        template=find_template("standard"),
        prescription=compute_prescription(profile, date(2026, 11, 25)),
    )
    print("session", rec.session_id, flush=True)
    t = 0.0
    while True:
        if mode == "session-time":
            # 4 samples per session second, 50x faster than real time.
            rec.record_sample(SampleRecord(t, "main", 120, 119.5, "ok", (), 113.0, 104.0,
                                           122.0, 5.0, 5.0, 0.0, 0.0, t * 1.4))
            if t % 5 == 0:
                rec.record_event(EventRecord(t, "controller", "controller", "tick"))
            print("recorded", t, flush=True)
            time.sleep(0.005)
            t += 0.25
        else:
            # Session time stands still (e.g. paused): only wall time forces commits.
            rec.record_event(EventRecord(7.0, "annotation", "therapist", f"note {t}"))
            print("recorded", t, flush=True)
            time.sleep(0.1)
            t += 1.0
    """
)


def _run_and_kill(db_path: Path, mode: str, until: float) -> tuple[int, float, float]:
    """Start the child, SIGKILL it once it reports ``until``; return (session, last, t_kill)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    session_id = -1
    last = -1.0
    deadline = time.monotonic() + 60
    try:
        for line in proc.stdout:
            word, value = line.split()
            if word == "session":
                session_id = int(value)
            else:
                last = float(value)
                if last >= until:
                    break
            assert time.monotonic() < deadline, "child too slow"
        os.kill(proc.pid, signal.SIGKILL)
        kill_wall = time.monotonic()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        assert proc.stderr is not None
        stderr = proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, stderr
    assert session_id > 0 and last >= until, stderr
    return session_id, last, kill_wall


def test_sigkill_mid_session_loses_at_most_two_seconds(tmp_path: Path) -> None:
    db_path = tmp_path / "crash.sqlite3"
    session_id, last_reported_t_s, _ = _run_and_kill(db_path, "session-time", until=30.0)

    db = SessionDatabase(db_path)
    try:
        assert db.recover_interrupted() == [session_id]
        assert db.recover_interrupted() == []
        conn = db.connect_readonly()
        try:
            status, ended_at = conn.execute(
                "SELECT status, ended_at FROM sessions WHERE session_id = ?", (session_id,)
            ).fetchone()
            count, max_t_s = conn.execute(
                "SELECT count(*), max(t_s) FROM samples WHERE session_id = ?", (session_id,)
            ).fetchone()
            events = conn.execute(
                "SELECT kind, cause, data_json FROM events WHERE session_id = ? ORDER BY t_s",
                (session_id,),
            ).fetchall()
        finally:
            conn.close()
    finally:
        db.close()
    assert status == "aborted"
    assert ended_at is not None
    # Everything the child reported as recorded, minus at most 2 s, survived the kill...
    assert max_t_s >= last_reported_t_s - 2.0
    # ...with no holes: 4 samples per second from t = 0.
    assert count == int(max_t_s / 0.25) + 1
    assert ("controller", "controller") in [e[:2] for e in events]
    assert events[-1][0] == "state"
    assert json.loads(events[-1][2])["to"] == "aborted"


def test_sigkill_while_session_time_stands_still(tmp_path: Path) -> None:
    """Rows recorded without session-time progress are committed within ~1 s of wall time."""
    db_path = tmp_path / "crash.sqlite3"
    session_id, last, _ = _run_and_kill(db_path, "wall-time", until=25.0)  # ~2.5 s of wall time
    with SessionDatabase(db_path) as db:
        assert db.recover_interrupted() == [session_id]
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        notes = conn.execute(
            "SELECT count(*) FROM events WHERE session_id = ? AND kind = 'annotation'",
            (session_id,),
        ).fetchone()[0]
    finally:
        conn.close()
    # One note per 0.1 s of wall time; at most ~2 s (20 notes) may be lost.
    assert notes >= (last + 1) - 20
    assert notes >= 1


def test_session_killed_before_any_sample_is_recovered(tmp_path: Path) -> None:
    db_path = tmp_path / "crash.sqlite3"
    script = textwrap.dedent(
        """
        import os, signal, sys
        from datetime import UTC, date, datetime
        from pathlib import Path
        from runningroom.prescription import compute_prescription
        from runningroom.profiles_io import demo_profile, find_template
        from runningroom.recording.recorder import SessionDatabase

        db = SessionDatabase(Path(sys.argv[1]))
        p = demo_profile()
        db.start_session(patient_code=p.code, started_at=datetime.now(UTC), profile=p,
                         template=find_template("walking"),
                         prescription=compute_prescription(p, date.today()))
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script, str(db_path)], check=False)
    assert proc.returncode == -signal.SIGKILL
    with SessionDatabase(db_path) as db:
        assert len(db.recover_interrupted()) == 1
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT status FROM sessions").fetchall() == [("aborted",)]
        assert conn.execute("SELECT count(*) FROM samples").fetchone() == (0,)
    finally:
        conn.close()


def test_killed_recorder_not_yet_reaped_is_recovered(tmp_path: Path) -> None:
    """A crashed app whose parent has not reaped it yet (a zombie) is not 'still recording'."""
    db_path = tmp_path / "crash.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path), "session-time"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    try:
        session_id = -1
        for line in proc.stdout:
            word, value = line.split()
            if word == "session":
                session_id = int(value)
            elif float(value) >= 5.0:
                break
        os.kill(proc.pid, signal.SIGKILL)
        stat = Path(f"/proc/{proc.pid}/stat")
        deadline = time.monotonic() + 10
        while stat.read_text().rsplit(")", 1)[-1].split()[0] != "Z":  # not reaped: zombie
            assert time.monotonic() < deadline, "child did not die"
            time.sleep(0.01)
        db = SessionDatabase(db_path)
        try:
            assert db.recover_interrupted() == [session_id]
        finally:
            db.close()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        proc.stdout.close()
