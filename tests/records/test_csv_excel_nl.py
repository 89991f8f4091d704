"""CSV for Dutch spreadsheets (``csv-excel-nl``), RR intervals in their own file and the
notes in the summary row, for both CSV dialects."""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from runningroom.records.csv_export import RR_COLUMNS, SAMPLE_COLUMNS, SUMMARY_COLUMNS
from runningroom.records.export import CORE_FORMATS, export_sessions
from runningroom.records.store import iso_utc
from runningroom_app.cli import main
from tests.records.fixtures import START, Db


@pytest.fixture
def amsterdam_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The computer's local time zone is Europe/Amsterdam (UTC+1 in January)."""
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _post_session(db: Db, therapist: str, note: str) -> None:
    at = iso_utc(START + timedelta(seconds=2700))
    db.conn.execute(
        "INSERT INTO events (session_id, t_s, at, kind, cause, message, data_json) "
        "VALUES (?,?,?,?,?,?,?)",
        (1, 2700.0, at, "post_session", "therapist", "post-session form",
         json.dumps({"therapist_name": therapist, "note": note, "session_rpe": 13})))
    db.conn.commit()


def _read(path: Path, delimiter: str) -> list[dict[str, str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def _only(files: list[Path], suffix: str) -> Path:
    (path,) = [f for f in files if f.name.endswith(suffix)]
    return path


def test_excel_nl_is_a_format() -> None:
    assert "csv" in CORE_FORMATS and "csv-excel-nl" in CORE_FORMATS


def test_excel_nl_separators_decimal_commas_and_local_time(
    one_session_db: Db, tmp_path: Path, amsterdam_time: None
) -> None:
    std_files = export_sessions(one_session_db.conn, [1], "csv", tmp_path / "std")
    nl_files = export_sessions(one_session_db.conn, [1], "csv-excel-nl", tmp_path / "nl")
    assert [f.name for f in nl_files] == [
        "DEMO-001_s1_20260105T0900_samples_excel-nl.csv",
        "DEMO-001_s1_20260105T0900_rr_excel-nl.csv",
        "DEMO-001_s1_20260105T0900_events_excel-nl.csv",
        "DEMO-001_sessions_summary_excel-nl.csv",
    ]
    nl_path = _only(nl_files, "_samples_excel-nl.csv")
    first_line = nl_path.read_text("utf-8-sig").splitlines()[0]
    assert first_line.split(";")[:3] == ["time_local", "t_s", "phase"]
    std = _read(_only(std_files, "_samples.csv"), ",")
    nl = _read(nl_path, ";")
    assert len(nl) == len(std) == 2700
    assert list(nl[0]) == ["time_local", *SAMPLE_COLUMNS[1:]]
    # 09:00 UTC is 10:00 in Amsterdam in January
    assert nl[0]["time_local"] == "05-01-2026 10:00:00"
    assert nl[125]["time_local"] == "05-01-2026 10:02:05"
    assert std[0]["time_utc"] == "2026-01-05T09:00:00Z"
    # the same numbers, with a decimal comma where the standard file has a dot
    row = 1000
    for column in ("hr_filtered_bpm", "speed_cmd_kmh", "speed_meas_kmh", "distance_m",
                   "target_bpm", "zone_low_bpm"):
        assert "." in std[row][column] or std[row][column].isdigit(), column
        assert nl[row][column] == std[row][column].replace(".", ","), column
    assert (std[row]["speed_cmd_kmh"], nl[row]["speed_cmd_kmh"]) == ("5.50", "5,50")
    assert (std[row]["incline_cmd_pct"], nl[row]["incline_cmd_pct"]) == ("1.0", "1,0")
    assert float(nl[row]["hr_filtered_bpm"].replace(",", ".")) == pytest.approx(
        one_session_db.sessions[0].samples[row][4], abs=0.01)
    assert nl[0]["phase"] == "warmup" and nl[781]["hr_quality"] == "stale"


def test_rr_intervals_in_their_own_file(one_session_db: Db, tmp_path: Path,
                                        amsterdam_time: None) -> None:
    built = one_session_db.sessions[0]
    expected = [(s[1], rr) for s in built.samples for rr in json.loads(s[6])]
    for fmt, delimiter, suffix in (("csv", ",", "_rr.csv"),
                                   ("csv-excel-nl", ";", "_rr_excel-nl.csv")):
        files = export_sessions(one_session_db.conn, [1], fmt, tmp_path / fmt)
        samples = _only(files, "_samples.csv" if fmt == "csv" else "_samples_excel-nl.csv")
        assert "rr_ms" not in samples.read_text("utf-8-sig").splitlines()[0]
        rows = _read(_only(files, suffix), delimiter)
        assert len(rows) == len(expected) == 1350  # one row per interval
        assert list(rows[0]) == [c.replace("_utc", "_local") if fmt != "csv" else c
                                 for c in RR_COLUMNS]
        t0, rr0 = expected[10]
        assert rows[10]["session_id"] == "1"
        value = rows[10]["rr_ms"]
        if fmt == "csv":
            assert float(value) == pytest.approx(rr0, abs=0.05)
            assert rows[10]["time_utc"] == iso_utc(START + timedelta(seconds=t0))
        else:
            assert "," in value and "." not in value
            assert float(value.replace(",", ".")) == pytest.approx(rr0, abs=0.05)
            assert rows[10]["time_local"] == (START + timedelta(hours=1, seconds=t0)).strftime(
                "%d-%m-%Y %H:%M:%S")


def test_summary_row_has_notes_rpe_and_boolean_words(one_session_db: Db, tmp_path: Path,
                                                     amsterdam_time: None) -> None:
    _post_session(one_session_db, "J. de Vries", "Goed verdragen; volgende keer +0,5 km/u")
    (std,) = _read(_only(export_sessions(one_session_db.conn, [1], "csv", tmp_path / "s"),
                         "_sessions_summary.csv"), ",")
    (nl,) = _read(_only(export_sessions(one_session_db.conn, [1], "csv-excel-nl",
                                        tmp_path / "n"), "_summary_excel-nl.csv"), ";")
    assert list(std) == list(SUMMARY_COLUMNS)
    assert list(nl) == [c.replace("_utc", "_local") for c in SUMMARY_COLUMNS]
    assert std["started_utc"] == "2026-01-05T09:00:00Z"
    assert nl["started_local"] == "05-01-2026 10:00:00"
    assert (std["supervised"], nl["supervised"]) == ("true", "ja")
    assert (std["beta_blocker"], nl["beta_blocker"]) == ("false", "nee")
    for row in (std, nl):
        assert row["notes"] == "[+20:00] Patient talks comfortably; gait ok"
        assert row["rpe_entries"] == "[+25:00] 12; [+44:59] 13"
        assert row["feeling_entries"] == "[+44:59] +3"
        assert row["rpe"] == "13"
        assert row["therapist_name"] == "J. de Vries"
        assert row["conclusion"] == "Goed verdragen; volgende keer +0,5 km/u"
        assert row["session_rpe"] == "13"
    assert std["minutes_moderate"].replace(".", ",") == nl["minutes_moderate"]
    assert "," in nl["avg_hr_bpm"] and "." in std["avg_hr_bpm"]


def test_summary_without_post_session_entries(one_session_db: Db, tmp_path: Path) -> None:
    (row,) = _read(_only(export_sessions(one_session_db.conn, [1], "csv", tmp_path / "s"),
                         "_sessions_summary.csv"), ",")
    assert row["therapist_name"] == row["conclusion"] == row["session_rpe"] == ""


def test_cli_offers_the_excel_nl_format(one_session_db: Db, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", "--session", "1", "--format", "csv-excel-nl", "--out",
                 str(tmp_path / "cli"), "--database", str(one_session_db.path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    names = sorted(Path(line).name for line in out.splitlines())
    assert names == sorted(["DEMO-001_s1_20260105T0900_samples_excel-nl.csv",
                            "DEMO-001_s1_20260105T0900_rr_excel-nl.csv",
                            "DEMO-001_s1_20260105T0900_events_excel-nl.csv",
                            "DEMO-001_sessions_summary_excel-nl.csv"])
