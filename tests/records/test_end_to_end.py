"""A session recorded by the real recorder (simulated run) goes through every export."""

from __future__ import annotations

import json
from pathlib import Path

import fitdecode
import pytest
from fhir.resources.R4B.bundle import Bundle

from runningroom.profiles_io import demo_profile, find_template
from runningroom.recording.recorder import SessionDatabase
from runningroom.records.export import export_sessions
from runningroom.records.history import session_history
from runningroom.records.programme import Programme, weekly_adherence
from runningroom.records.store import load_session, open_database, resolve_sessions
from runningroom_app.wiring.simulated import simulate_session


@pytest.fixture
def recorded(tmp_path: Path) -> Path:
    path = tmp_path / "rr.sqlite3"
    db = SessionDatabase(path)
    try:
        simulate_session(demo_profile(), find_template("standard"), seed=1, database=db)
    finally:
        db.close()
    return path


def test_recorder_output_exports(recorded: Path, tmp_path: Path) -> None:
    conn = open_database(recorded, readonly=True)
    try:
        ids = resolve_sessions(conn, "all", "DEMO-001")
        assert len(ids) == 1
        rows = session_history(conn, "DEMO-001")
        data = load_session(conn, ids[0])
        summary = data.meta.summary
        assert rows[0].minutes_moderate == pytest.approx(summary["minutes_moderate"])
        assert rows[0].status == summary["status"]
        assert len(data.samples) > 2000
        files = {fmt: export_sessions(conn, ids[:1], fmt, tmp_path / fmt)
                 for fmt in ("csv", "json", "fit", "tcx", "fhir")}
        doc = json.loads(files["json"][0].read_text("utf-8"))
        assert "display_name" not in doc["profile"] and doc["profile"]["code"] == "DEMO-001"
        assert len(doc["samples"]) == len(data.samples)
        Bundle.model_validate(json.loads(files["fhir"][0].read_text("utf-8")))
        with fitdecode.FitReader(str(files["fit"][0]),
                                 check_crc=fitdecode.CrcCheck.RAISE) as reader:
            msgs = [f for f in reader if isinstance(f, fitdecode.FitDataMessage)]
        session = next(m for m in msgs if m.name == "session")
        assert session.get_value("max_heart_rate") == summary["max_hr_bpm"]
        assert session.get_value("total_distance") == pytest.approx(summary["distance_m"],
                                                                     abs=1.0)
        laps = [m for m in msgs if m.name == "lap"]
        assert [lap.get_value("intensity") for lap in laps][:3] == ["warmup", "active",
                                                                     "cooldown"]
        start = rows[0].started_at.astimezone().date()
        report = weekly_adherence(conn, Programme("DEMO-001", start), today=start)
        assert report.sessions_done == 1 and report.weeks[0].minutes_moderate == pytest.approx(
            summary["minutes_moderate"])
    finally:
        conn.close()
