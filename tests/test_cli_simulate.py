"""``runningroom simulate`` end to end (in process)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from runningroom_app.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "drivers" / "sim" / "example_patient_model.py"


def test_simulate_records_and_prints_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "rr.sqlite3"
    code = main(
        [
            "simulate",
            "--profile",
            "DEMO-001",
            "--template",
            "walking",
            "--seed",
            "2",
            "--db",
            str(db),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    for text in (
        "warm-up",
        "main",
        "cool-down",
        "RMS error",
        "entry time",
        "max HR",
        "alarms",
        "finished",
        str(db),
    ):
        assert text in out, text
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT patient_code, status FROM sessions").fetchall()
    conn.close()
    assert rows == [("DEMO-001", "finished")]


def test_default_database_and_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    from runningroom import paths

    code = main(["simulate", "--as-fast-as-possible", "--json", "--no-faults"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["database"] == str(paths.database_path())
    assert data["summary"]["status"] == "finished"
    assert data["summary"]["phases"]["main"]["time_in_zone_pct"] > 80
    assert data["session_id"] == 1
    assert paths.database_path().exists()


def test_plugin_patient_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["simulate", "--no-record", "--patient-model", str(EXAMPLE), "--seed", "5"])
    out = capsys.readouterr().out
    assert code == 0
    assert "recorded in" not in out
    assert "RMS error" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--profile", "NO-SUCH-PATIENT"], "NO-SUCH-PATIENT"),
        (["--template", "no-such-template"], "no-such-template"),
        (["--speedup", "0"], "--speedup must be > 0"),
        (["--controller", "magic"], "unknown controller 'magic'"),
    ],
)
def test_bad_arguments_give_clear_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate", "--no-record", *args]) == 2
    assert message in capsys.readouterr().err


def test_bad_plugin_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("x = 1\n")
    assert main(["simulate", "--no-record", "--patient-model", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "reset() and step()" in err


def test_speedup_and_as_fast_as_possible_are_exclusive(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["simulate", "--speedup", "10", "--as-fast-as-possible"])
    assert info.value.code == 2


def test_speedup_runs_in_scaled_real_time(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["simulate", "--no-record", "--no-faults", "--speedup", "4000"])
    out = capsys.readouterr().out
    assert code == 0
    assert ": finished" in out
    progress = [line for line in out.splitlines() if "HR" in line and "target" in line]
    assert len(progress) >= 40  # a status line per simulated minute


def test_failed_recording_is_reported_not_claimed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Disk full at the end of a session: the CLI must not say "recorded in"."""
    from runningroom.errors import RecordingError
    from runningroom.recording.recorder import SessionRecorder

    def disk_full(self: SessionRecorder, status: str, summary: object) -> None:
        raise RecordingError("database or disk is full")

    monkeypatch.setattr(SessionRecorder, "finish", disk_full)
    db = tmp_path / "rr.sqlite3"
    code = main(["simulate", "--template", "walking", "--no-faults", "--db", str(db)])
    captured = capsys.readouterr()
    assert code == 1
    assert "recorded in" not in captured.out
    assert "NOT fully recorded" in captured.err and str(db) in captured.err
    assert "Simulated session" in captured.out  # the summary is still printed
    monkeypatch.undo()
    code = main(["simulate", "--template", "walking", "--no-faults", "--db", str(db), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["recorded"] is True


def test_inconsistent_profile_file_is_named_in_the_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo = Path(__file__).resolve().parents[1] / "profiles" / "patients" / "demo.toml"
    bad = tmp_path / "low-ceiling.toml"
    bad.write_text(demo.read_text().replace("pct_hrmax = 85.0", "pct_hrmax = 50.0"))
    code = main(["simulate", "--profile", str(bad), "--no-record"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{bad}: ceiling.pct_hrmax: expected a safety ceiling above the zone" in err


def test_fixed_speed_simulation_leaves_the_warmup_start_speed_for_the_therapists_speed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from datetime import date

    from runningroom.prescription import compute_prescription
    from runningroom.profiles_io import demo_profile, find_template
    from runningroom_app.wiring.therapist import therapist_speed_kmh

    profile = demo_profile()
    template = find_template("standard")
    chosen_kmh = therapist_speed_kmh(profile, compute_prescription(profile, date.today()), template)
    assert profile.start_speed_kmh is not None
    assert chosen_kmh > profile.start_speed_kmh + 1.0  # the demo patient's pick is well above
    code = main(["simulate", "--controller", "fixed-speed", "--no-record", "--no-faults", "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["status"] == "finished"
    assert summary["phases"]["main"]["avg_speed_kmh"] == pytest.approx(chosen_kmh, abs=0.05)
    assert summary["max_speed_kmh"] == pytest.approx(chosen_kmh, abs=0.05)


def test_oracle_with_a_plugin_patient_model_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "rr.sqlite3"
    code = main(
        ["simulate", "--controller", "oracle", "--patient-model", str(EXAMPLE), "--db", str(db)]
    )
    captured = capsys.readouterr()
    assert code == 2
    assert "--controller oracle cannot be used with --patient-model" in captured.err
    assert "true plant" in captured.err
    assert captured.out == ""
    assert not db.exists()  # refused before anything ran or was recorded


def test_deeply_nested_profile_file_exits_with_a_clear_message_and_no_traceback(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys

    deep = tmp_path / "deep.toml"
    deep.write_text(
        'schema_version = 1\ncode = "P-7"\nresting_hr_bpm = 70\nage_years = 44\n'
        "limits = " + "[" * 5000 + "]" * 5000 + "\n"
    )
    command = [sys.executable, "-m", "runningroom_app", "simulate", "--no-record"]
    result = subprocess.run(
        [*command, "--profile", str(deep)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{deep}: expected a document nested at most" in result.stderr
