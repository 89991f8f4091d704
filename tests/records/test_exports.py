from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from pathlib import Path

import fitdecode
import pytest
from fhir.resources.R4B.bundle import Bundle

from runningroom.errors import ExportError
from runningroom.records.csv_export import SAMPLE_COLUMNS, SUMMARY_COLUMNS
from runningroom.records.export import export_sessions
from runningroom.records.fit import fit_crc
from runningroom.records.json_export import JSON_SCHEMA_VERSION
from runningroom.records.store import load_session
from tests.records.factory import DEMO_NAME
from tests.records.fixtures import START, Db

TCX = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
TPX = "{http://www.garmin.com/xmlschemas/ActivityExtension/v2}"


def _only(files: list[Path], suffix: str) -> Path:
    (path,) = [f for f in files if f.name.endswith(suffix)]
    return path


def _assert_private(files: list[Path], out: Path) -> None:
    assert out.stat().st_mode & 0o777 == 0o700
    for f in files:
        assert f.stat().st_mode & 0o777 == 0o600, f
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temp files left


def _no_name(files: list[Path]) -> None:
    for f in files:
        text = f.read_bytes()
        assert DEMO_NAME.encode() not in text, f
        assert b"display_name" not in text, f


def test_csv_samples_and_summary(one_session_db: Db, tmp_path: Path) -> None:
    out = tmp_path / "out"
    sid = one_session_db.sessions[0].session_id
    files = export_sessions(one_session_db.conn, [sid], "csv", out)
    assert len(files) == 4  # samples, RR intervals, events, summary
    _assert_private(files, out)
    _no_name(files)
    samples_path = _only(files, "_samples.csv")
    raw = samples_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for spreadsheets
    with samples_path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == SAMPLE_COLUMNS
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert len(body) == 2700  # one row per second of a 45-min session
    expected = one_session_db.sessions[0].samples
    for i in (0, 1000, 2699):
        row = body[i]
        assert datetime.fromisoformat(row["time_utc"]) == START + timedelta(seconds=i)
        assert row["time_utc"].endswith("Z")
        assert float(row["t_s"]) == i
        assert float(row["hr_filtered_bpm"]) == pytest.approx(expected[i][4], abs=0.01)
        assert float(row["speed_meas_kmh"]) == pytest.approx(expected[i][11], abs=0.005)
        assert float(row["distance_m"]) == pytest.approx(expected[i][14], abs=0.05)
        assert row["phase"] == expected[i][2]
    stale = body[781]
    assert stale["hr_quality"] == "stale" and stale["hr_raw_bpm"] == ""
    numeric = [v for r in body for k, v in r.items() if k.endswith(("_bpm", "_kmh", "_m"))]
    assert not any("," in v for v in numeric)  # dot decimals
    events_path = _only(files, "_events.csv")
    with events_path.open(encoding="utf-8-sig", newline="") as fh:
        events = list(csv.DictReader(fh))
    assert any(e["kind"] == "annotation" and "gait" in e["message"] for e in events)
    summary_path = _only(files, "_sessions_summary.csv")
    assert summary_path.name == "DEMO-001_sessions_summary.csv"
    with summary_path.open(encoding="utf-8-sig", newline="") as fh:
        summary = list(csv.DictReader(fh))
    assert list(summary[0]) == list(SUMMARY_COLUMNS)
    assert summary[0]["duration_min"] == "45"
    assert summary[0]["zone_source"] == "60-70 % HRmax (Tanaka)"
    assert float(summary[0]["minutes_moderate"]) == pytest.approx(
        one_session_db.sessions[0].summary["minutes_moderate"], abs=0.01)


def test_csv_summary_with_name_only_when_asked(one_session_db: Db, tmp_path: Path) -> None:
    files = export_sessions(one_session_db.conn, [1], "csv", tmp_path / "n", include_name=True)
    with _only(files, "_sessions_summary.csv").open(encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["display_name"] == DEMO_NAME and row["patient_code"] == "DEMO-001"


def test_csv_all_sessions_one_summary(programme_db: Db, tmp_path: Path) -> None:
    ids = [b.session_id for b in programme_db.sessions]
    files = export_sessions(programme_db.conn, ids, "csv", tmp_path / "all")
    assert len(files) == 3 * len(ids) + 1
    summary = _only(files, "all_sessions_summary.csv")
    with summary.open(encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == len(ids)


def test_json_full_record(one_session_db: Db, tmp_path: Path) -> None:
    sid = one_session_db.sessions[0].session_id
    files = export_sessions(one_session_db.conn, [sid], "json", tmp_path / "j")
    _assert_private(files, tmp_path / "j")
    _no_name(files)
    doc = json.loads(files[0].read_text("utf-8"))
    assert doc["schema_version"] == JSON_SCHEMA_VERSION and doc["schema"] == "runningroom.session"
    assert doc["pseudonymised"] is True
    assert doc["session"]["patient_code"] == "DEMO-001"
    assert doc["profile"]["code"] == "DEMO-001" and "display_name" not in doc["profile"]
    assert doc["template"]["name"] == "standard"
    assert doc["prescription"]["zone_source"] == "60-70 % HRmax (Tanaka)"
    assert doc["summary"]["minutes_moderate"] == one_session_db.sessions[0].summary[
        "minutes_moderate"]
    assert len(doc["samples"]) == 2700 and len(doc["events"]) == 11
    assert doc["samples"][10]["hr_filtered_bpm"] == one_session_db.sessions[0].samples[10][4]
    named = export_sessions(one_session_db.conn, [sid], "json", tmp_path / "n",
                            include_name=True)
    doc2 = json.loads(named[0].read_text("utf-8"))
    assert doc2["profile"]["display_name"] == DEMO_NAME and doc2["pseudonymised"] is False


def _fit_messages(path: Path) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = {}
    with fitdecode.FitReader(str(path), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                out.setdefault(frame.name, []).append(
                    {f.name: f.value for f in frame.fields})
    return out


def test_fit_read_back_with_fitdecode(one_session_db: Db, tmp_path: Path) -> None:
    built = one_session_db.sessions[0]
    files = export_sessions(one_session_db.conn, [built.session_id], "fit", tmp_path / "f")
    _assert_private(files, tmp_path / "f")
    raw = files[0].read_bytes()
    assert raw[8:12] == b".FIT" and fit_crc(raw) == 0  # CRC over file incl. CRC is 0
    msgs = _fit_messages(files[0])
    assert msgs["file_id"][0]["type"] == "activity"
    records = msgs["record"]
    assert len(records) == 2700
    for i in (0, 500, 1500, 2699):
        rec, exp = records[i], built.samples[i]
        assert rec["timestamp"] == START + timedelta(seconds=i)
        assert rec["speed"] == pytest.approx(exp[11] / 3.6, abs=0.0006)
        assert rec["distance"] == pytest.approx(exp[14], abs=0.006)
        assert rec["heart_rate"] == exp[3]
    assert records[781]["heart_rate"] is None  # stale HR is not exported as a value
    laps = msgs["lap"]
    assert [lap["intensity"] for lap in laps] == ["warmup", "active", "cooldown"]
    assert [lap["start_time"] for lap in laps] == [
        START, START + timedelta(seconds=479), START + timedelta(seconds=2279)]
    assert sum(float(lap["total_elapsed_time"]) for lap in laps) == pytest.approx(2699)  # type: ignore[arg-type]
    assert sum(float(lap["total_distance"]) for lap in laps) == pytest.approx(  # type: ignore[arg-type]
        built.samples[-1][14], abs=0.05)
    main_hr = [s[3] for s in built.samples if s[2] == "main" and s[3] is not None]
    assert laps[1]["max_heart_rate"] == max(main_hr)
    assert laps[1]["avg_heart_rate"] == round(sum(main_hr) / len(main_hr))
    (session,) = msgs["session"]
    assert session["num_laps"] == 3 and session["sport"] == "walking"
    assert session["start_time"] == START
    assert session["total_distance"] == pytest.approx(built.samples[-1][14], abs=0.01)
    assert session["workout_rpe"] == 60 and session["workout_feel"] == 80  # RPE 13, FS +3
    assert msgs["activity"][0]["num_sessions"] == 1
    # RR intervals as hrv messages (time in s, 5 per message, padding is None)
    rr_s = [v for m in msgs["hrv"] for v in m["time"] if v is not None]  # type: ignore[attr-defined]
    expected_rr = [v for s in built.samples for v in json.loads(s[6])]
    assert len(rr_s) == len(expected_rr) == 1350
    assert rr_s[:50] == pytest.approx([round(v) / 1000 for v in expected_rr[:50]], abs=1e-6)
    assert [e["event_type"] for e in msgs["event"]] == ["start", "stop_all"]


def test_fit_corruption_is_detected(one_session_db: Db, tmp_path: Path) -> None:
    files = export_sessions(one_session_db.conn, [one_session_db.sessions[0].session_id], "fit",
                            tmp_path / "f")
    raw = bytearray(files[0].read_bytes())
    raw[200] ^= 0x01
    reader = fitdecode.FitReader(io.BytesIO(bytes(raw)), check_crc=fitdecode.CrcCheck.RAISE)
    with pytest.raises(fitdecode.FitCRCError), reader:
        for _ in reader:
            pass


def test_tcx_laps_and_trackpoints(one_session_db: Db, tmp_path: Path) -> None:
    built = one_session_db.sessions[0]
    files = export_sessions(one_session_db.conn, [built.session_id], "tcx", tmp_path / "t")
    _assert_private(files, tmp_path / "t")
    root = ET.parse(files[0]).getroot()
    assert root.tag == f"{TCX}TrainingCenterDatabase"
    (activity,) = root.iter(f"{TCX}Activity")
    assert activity.findtext(f"{TCX}Id") == "2026-01-05T09:00:00Z"
    laps = activity.findall(f"{TCX}Lap")
    assert len(laps) == 3
    # schema order inside a lap
    tags = [c.tag.replace(TCX, "") for c in laps[1]]
    assert tags == ["TotalTimeSeconds", "DistanceMeters", "MaximumSpeed", "Calories",
                    "AverageHeartRateBpm", "MaximumHeartRateBpm", "Intensity",
                    "TriggerMethod", "Track"]
    points = list(activity.iter(f"{TCX}Trackpoint"))
    assert len(points) == 2700
    p = points[1000]
    assert p.findtext(f"{TCX}Time") == "2026-01-05T09:16:40Z"
    assert int(p.findtext(f"{TCX}HeartRateBpm/{TCX}Value") or 0) == built.samples[1000][3]
    assert float(p.findtext(f"{TCX}DistanceMeters") or 0) == pytest.approx(
        built.samples[1000][14], abs=0.01)
    speed = p.find(f"{TCX}Extensions/{TPX}TPX/{TPX}Speed")
    assert speed is not None
    assert float(speed.text or 0) == pytest.approx(built.samples[1000][11] / 3.6, abs=0.001)
    assert points[781].find(f"{TCX}HeartRateBpm") is None


def test_fhir_bundle_validates_with_r4_models(one_session_db: Db, tmp_path: Path) -> None:
    built = one_session_db.sessions[0]
    files = export_sessions(one_session_db.conn, [built.session_id], "fhir", tmp_path / "h")
    _assert_private(files, tmp_path / "h")
    _no_name(files)
    doc = json.loads(files[0].read_text("utf-8"))
    bundle = Bundle.model_validate(doc)
    assert bundle.type == "collection"
    resources = [e.resource for e in bundle.entry]
    patient = resources[0]
    assert patient.get_resource_type() == "Patient"
    assert [i.value for i in patient.identifier] == ["DEMO-001"]
    assert patient.name is None and patient.birthDate is None and patient.gender is None
    obs = {r.code.coding[0].code: r for r in resources[1:]}
    hr = obs["8867-4"]
    assert hr.code.coding[0].system == "http://loinc.org"
    assert hr.subject.reference == doc["entry"][0]["fullUrl"]
    sd = hr.valueSampledData
    assert float(sd.period) == 1000 and sd.dimensions == 1
    values = sd.data.split(" ")
    assert len(values) == 2700
    assert values[781] == "E"
    assert float(values[100]) == built.samples[100][3]
    duration = obs["55411-3"]
    assert float(duration.valueQuantity.value) == pytest.approx(45.0)
    assert duration.valueQuantity.code == "min"
    zone = obs["minutes-in-hr-zone"]
    in_zone = sum(p["time_in_zone_s"] for p in built.summary["phases"].values()) / 60
    assert float(zone.valueQuantity.value) == pytest.approx(in_zone, abs=0.01)
    named = export_sessions(one_session_db.conn, [built.session_id], "fhir", tmp_path / "n",
                            include_name=True)
    named_bundle = Bundle.model_validate(json.loads(named[0].read_text("utf-8")))
    assert named_bundle.entry[0].resource.name[0].text == DEMO_NAME


def test_unknown_format_and_unwritable_dir(one_session_db: Db, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format"):
        export_sessions(one_session_db.conn, [1], "xlsx", tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError):
        export_sessions(one_session_db.conn, [1], "csv", blocker / "sub")


def test_session_without_samples_is_skipped_for_fit(one_session_db: Db, tmp_path: Path) -> None:
    conn = one_session_db.conn
    conn.execute("INSERT INTO sessions (patient_code, started_at, profile_json, template_json, "
                 "prescription_json, status) VALUES ('DEMO-001', '2026-01-06T09:00:00Z', '{}', "
                 "'{}', '{}', 'aborted')")
    conn.commit()
    sid = int(conn.execute("SELECT MAX(session_id) FROM sessions").fetchone()[0])
    assert export_sessions(conn, [sid], "fit", tmp_path / "f") == []
    assert load_session(conn, sid).duration_s == 0.0
    files = export_sessions(conn, [sid], "fhir", tmp_path / "h")
    Bundle.model_validate(json.loads(files[0].read_text("utf-8")))
