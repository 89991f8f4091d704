from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtGui import QImage

from runningroom.records.history import session_history
from runningroom.records.programme import Programme, set_score, weekly_adherence
from runningroom.records.store import load_session
from runningroom_app.cli import main
from tests.records.fixtures import Db, _programme_template, one_session_db, programme_db
from ui.records.pdf import (
    draw_programme_report,
    draw_session_report,
    export_session_pdfs,
    render_preview,
    write_programme_pdf,
)

__all__ = ["_programme_template", "one_session_db", "programme_db"]  # fixtures used below


def _colour_share(image: QImage, predicate: Any, step: int = 1) -> float:
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height = rgb.width(), rgb.height()
    pixels = np.frombuffer(rgb.constBits(), np.uint8, count=rgb.bytesPerLine() * height)
    pixels = pixels.reshape(height, rgb.bytesPerLine())[:, : width * 3].reshape(height, width, 3)
    pixels = pixels[::step, ::step].astype(np.int32)
    mask = predicate(pixels[..., 0], pixels[..., 1], pixels[..., 2])
    return float(np.mean(mask))


def _not_white(r: Any, g: Any, b: Any) -> Any:
    return r + g + b < 720


def _hr_red(r: Any, g: Any, b: Any) -> Any:
    return (r > 150) & (g < 90) & (b < 90)


def _pdftoppm_page1(pdf: Path, tmp_path: Path) -> QImage:
    exe = shutil.which("pdftoppm")
    if exe is None:
        pytest.skip("pdftoppm (poppler-utils) not installed")
    subprocess.run([exe, "-r", "50", "-f", "1", "-l", "1", "-png", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=60)
    (png,) = tmp_path.glob("page*.png")
    image = QImage(str(png))
    assert not image.isNull()
    return image


def _pdftotext(pdf: Path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    return subprocess.run([exe, str(pdf), "-"], check=True, capture_output=True, text=True,
                          timeout=60).stdout


def test_session_preview_is_not_blank(qapp: Any, one_session_db: Db) -> None:
    data = load_session(one_session_db.conn, 1)
    (row,) = session_history(one_session_db.conn, "DEMO-001")
    image = render_preview(lambda p, page: draw_session_report(p, page, data, row))
    assert isinstance(image, QImage)
    assert _colour_share(image, _not_white) > 0.05
    assert _colour_share(image, _hr_red) > 0.001  # the HR trace is drawn


def test_session_pdf_file(qapp: Any, one_session_db: Db, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    (pdf,) = export_session_pdfs(one_session_db.conn, [1], out)
    raw = pdf.read_bytes()
    assert raw.startswith(b"%PDF") and raw.rstrip().endswith(b"%%EOF")
    assert pdf.stat().st_mode & 0o777 == 0o600 and out.stat().st_mode & 0o777 == 0o700
    image = _pdftoppm_page1(pdf, tmp_path)
    assert _colour_share(image, _not_white, 2) > 0.05
    assert _colour_share(image, _hr_red, 1) > 0.001
    text = _pdftotext(pdf)
    for needle in ("DEMO-001", "60-70 % HRmax (Tanaka)", "Time in zone per phase", "Warm-up",
                   "HR signal lost", "target +2 bpm", "RPE 13", "gait ok"):
        assert needle in text, needle
    assert "Anna" not in text


def test_session_pdf_with_name(qapp: Any, one_session_db: Db, tmp_path: Path) -> None:
    (pdf,) = export_session_pdfs(one_session_db.conn, [1], tmp_path, include_name=True)
    assert "Anna Beispiel-Ünal" in _pdftotext(pdf)


def test_programme_report(qapp: Any, programme_db: Db, tmp_path: Path) -> None:
    set_score(programme_db.conn, "DEMO-001", 0, "PHQ-9", 15)
    report = weekly_adherence(programme_db.conn, Programme("DEMO-001", date(2026, 1, 5),
                                                           planned_weeks=8),
                              today=date(2026, 2, 1))
    image = render_preview(lambda p, page: draw_programme_report(p, page, report))
    assert _colour_share(image, _not_white) > 0.03
    pdf = write_programme_pdf(programme_db.conn, report, tmp_path / "p" / "programme.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    text = _pdftotext(pdf)
    for needle in ("programme report", "Weekly adherence", "PHQ-9", "99/150", "3/3", "2/3"):
        assert needle in text, needle


def test_cli_export_pdf(qapp: Any, programme_db: Db, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", "--session", "all", "--patient", "DEMO-001", "--format", "pdf",
                 "--out", str(tmp_path / "pdfs"), "--database", str(programme_db.path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    files = [Path(line) for line in out.splitlines()]
    assert len(files) == 11 and all(f.read_bytes()[:4] == b"%PDF" for f in files)
    code = main(["records", "--database", str(programme_db.path), "programme", "--patient",
                 "DEMO-001", "--start", "2026-01-05", "--pdf", str(tmp_path / "prog.pdf")])
    assert code == 0
    assert (tmp_path / "prog.pdf").read_bytes()[:4] == b"%PDF"


# ---- the patient-file report: words, translations, header, footer ------------------------

CLINIC = "Fysiotherapie De Loopband"
THERAPIST = "J. de Vries"
CONCLUSION = "Tolerated well. Plan: next session 0.5 km/h faster in the main phase."


def _event(conn: Any, t_s: float, kind: str, cause: str, message: str,
           data: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO events (session_id, t_s, at, kind, cause, message, data_json) "
        "VALUES (1, ?, '2026-01-05T09:00:00Z', ?, ?, ?, ?)",
        (t_s, kind, cause, message, json.dumps(data)))


def _patient_file_session(db: Db) -> None:
    """Session 1 as the engine records it: a beta-blocked patient on medication, real
    alarm and override events, a short cool-down, a negative Feeling, many annotations
    (two pages) and the post-session entries."""
    conn = db.conn
    (profile_json,) = conn.execute("SELECT profile_json FROM sessions").fetchone()
    profile = json.loads(profile_json)
    profile.update(beta_blocker=True, medication_note="metoprolol 50 mg")
    conn.execute("UPDATE sessions SET profile_json = ?", (json.dumps(profile),))
    conn.execute("DELETE FROM samples WHERE phase = 'cooldown' AND t_s > 2310")
    conn.execute("DELETE FROM events WHERE kind IN ('alarm', 'alarm_ack', 'override')")
    action = "speed held (no acceleration); ramp down to a safe walking speed after 60 s"
    alarm = {"alarm_id": 1, "alarm_kind": "hr_lost", "action": action}
    _event(conn, 600, "alarm", "safety", "heart rate lost (stale)", {**alarm, "stage": "raised"})
    _event(conn, 610, "alarm", "therapist", "hr_lost acknowledged",
           {**alarm, "stage": "acknowledged"})
    _event(conn, 615, "alarm", "system", "hr_lost cleared", {**alarm, "stage": "cleared"})
    _event(conn, 900, "override", "therapist", "target offset +2 bpm",
           {"command": "adjust_target", "delta_bpm": 2, "offset_bpm": 2, "limited": False})
    _event(conn, 1000, "override", "therapist", "speed set to 5.8 km/h",
           {"command": "manual_speed", "speed_kmh": 5.8})
    _event(conn, 2280, "override", "therapist", "skip main -> cooldown",
           {"command": "skip_phase"})
    _event(conn, 2290, "feeling", "patient", "feeling -2", {"value": -2})
    for k in range(30):
        _event(conn, 1210 + 10 * k, "annotation", "therapist", f"observation {k}: gait steady",
               {"text": f"observation {k}: gait steady"})
    _event(conn, 2311, "post_session", "therapist", "post-session form",
           {"therapist_name": THERAPIST, "note": CONCLUSION, "session_rpe": 14})
    conn.commit()


def _pdf_pages(pdf: Path, out: Path, dpi: int = 60) -> list[Path]:
    exe = shutil.which("pdftoppm")
    if exe is None:
        pytest.skip("pdftoppm (poppler-utils) not installed")
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([exe, "-r", str(dpi), "-png", str(pdf), str(out / "page")], check=True,
                   timeout=60)
    return sorted(out.glob("page*.png"))


def _export_patient_file(db: Db, out: Path) -> tuple[Path, str, list[Path]]:
    from ui.settings import set_clinic_name

    set_clinic_name(CLINIC)
    (pdf,) = export_session_pdfs(db.conn, [1], out)
    pages = _pdf_pages(pdf, out / "png")
    for png in pages:
        assert _colour_share(QImage(str(png)), _not_white, 2) > 0.02
    return pdf, _pdftotext(pdf), pages


def test_patient_file_pdf_in_words(qapp: Any, one_session_db: Db, tmp_path: Path) -> None:
    _patient_file_session(one_session_db)
    _, text, pages = _export_patient_file(one_session_db, tmp_path / "en")
    assert len(pages) == 2
    assert "page 1 of 2" in text and "page 2 of 2" in text
    assert text.count(CLINIC) >= 3  # header and both footers
    for needle in ("Session report", "Patient DEMO-001", "Age 56", "resting HR 68 bpm",
                   "medication: metoprolol 50 mg", "β-blocker: yes",
                   f"Therapist: {THERAPIST}", "Conclusion and plan", "next session 0.5 km/h",
                   "Warm-up", "Main phase", "Cool-down",
                   "+10:00 Alarm: Heart rate lost (stale) → speed held",
                   "+10:10 Heart rate lost (acknowledged)",
                   "+10:15 Heart rate lost (cleared)",
                   "Target changed by the therapist: +2 bpm",
                   "Speed set by the therapist to 5.8 km/h",
                   "Phase skipped by the therapist: Main phase → Cool-down",
                   "+44:59 Feeling +3", "Feeling -2", "+25:00 RPE 12", "+20:10 observation 0",
                   "RPE of the whole session (after the session): 14",
                   "elapsed since the start"):
        assert needle in text, needle
    for code in ("hr_lost", "cooldown", "cooldo", "skip main", "adjust_target", "warmup"):
        assert code not in text, code


def test_patient_file_pdf_in_dutch(qapp: Any, one_session_db: Db, tmp_path: Path) -> None:
    from ui.i18n import set_language

    _patient_file_session(one_session_db)
    assert set_language("nl")
    try:
        _, text, pages = _export_patient_file(one_session_db, tmp_path / "nl")
    finally:
        set_language("en")
    assert len(pages) == 2
    assert "pagina 1 van 2" in text and "pagina 2 van 2" in text
    for needle in (CLINIC, "Sessieverslag", "Patiënt DEMO-001", "Leeftijd 56",
                   "rusthartslag 68 slagen/min", "medicatie: metoprolol 50 mg",
                   "Bètablokker: ja", f"Therapeut: {THERAPIST}", "Conclusie en plan",
                   "Warming-up", "Cooling-down", "Hartslag weggevallen (opgelost)",
                   "Alarm: Hartslag weggevallen (verouderd)",
                   "Streefwaarde aangepast door de therapeut: +2 slagen/min",
                   "Snelheid ingesteld door de therapeut op 5,8 km/u",
                   "+44:59 Gevoel +3", "Gevoel -2", "+25:00 RPE 12", "veiligheidsgrens"):
        assert needle in text, needle
    for english in ("page 1", "Heart rate lost", "Therapist", "Feeling", "Duration",
                    "Alarms and overrides", "safety limit", "hr_lost", "cooldown"):
        assert english not in text, english


def test_phase_labels_are_whole_and_inside_the_plot(qapp: Any) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QFont, QFontMetricsF

    from ui.records.pdf import phase_label_boxes

    font = QFont("DejaVu Sans")
    font.setPixelSize(15)
    metrics = QFontMetricsF(font)
    plot = QRectF(100, 50, 800, 300)
    # a 40-s cool-down at the end of a 45-min session: a band a few pixels wide
    bands = [("warmup", 100, 242), ("main", 242, 888), ("cooldown", 888, 900)]
    boxes = phase_label_boxes(plot, bands, metrics)
    assert [label for label, _ in boxes] == ["Warm-up", "Main phase", "Cool-down"]
    for label, box in boxes:
        assert box.width() >= metrics.horizontalAdvance(label)
        assert plot.left() <= box.left() and box.right() <= plot.right()
    same_line = [b for _, b in boxes if b.top() == boxes[1][1].top()]
    for a, b in itertools.pairwise(sorted(same_line, key=lambda r: r.left())):
        assert a.right() <= b.left()
    # a short warm-up and main phase too: labels move to a second line instead of overlapping
    crowded = phase_label_boxes(plot, [("warmup", 100, 110), ("main", 110, 120),
                                       ("cooldown", 120, 900)], metrics)
    rects = [b for _, b in crowded]
    for a, b in itertools.combinations(rects, 2):
        assert not a.intersects(b)
