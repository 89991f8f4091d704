from __future__ import annotations

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
