"""The export dialog offers the CSV for Dutch spreadsheets and keeps the clinic's name
for the PDF header."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.records.fixtures import Db, one_session_db
from ui.records.export_dialog import ExportDialog
from ui.settings import clinic_name

__all__ = ["one_session_db"]  # fixture used below


def _dialog(qtbot: Any, db: Db, out: Path) -> ExportDialog:
    dialog = ExportDialog(db.path, [1], default_dir=out)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _choose(dialog: ExportDialog, key: str) -> None:
    box = dialog.format_box
    box.setCurrentIndex(box.findData(key))
    assert box.currentData() == key


def _export(qtbot: Any, dialog: ExportDialog) -> list[Path]:
    with qtbot.waitSignal(dialog.exported, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    return list(blocker.args[0])


def test_dialog_exports_csv_for_dutch_excel(qtbot: Any, one_session_db: Db,
                                            tmp_path: Path) -> None:
    dialog = _dialog(qtbot, one_session_db, tmp_path / "nl")
    keys = [dialog.format_box.itemData(i) for i in range(dialog.format_box.count())]
    assert keys[:3] == ["pdf", "csv-excel-nl", "csv"]
    _choose(dialog, "csv-excel-nl")
    assert "Dutch" in dialog.format_box.currentText()
    files = _export(qtbot, dialog)
    assert sorted(f.name.rsplit("_", 2)[-2] for f in files if "_s1_" in f.name) == [
        "events", "rr", "samples"]
    (summary,) = [f for f in files if f.name.endswith("_sessions_summary_excel-nl.csv")]
    with summary.open(encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh, delimiter=";"))
    assert row["supervised"] == "ja" and "," in row["avg_hr_bpm"]
    assert "gait ok" in row["notes"]


def test_dialog_clinic_name_goes_on_the_pdf_and_is_kept(qtbot: Any, one_session_db: Db,
                                                        tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    dialog = _dialog(qtbot, one_session_db, tmp_path / "pdf")
    assert dialog.clinic_edit.text() == ""
    qtbot.keyClicks(dialog.clinic_edit, "Praktijk Hardlooptherapie Utrecht")
    _choose(dialog, "pdf")
    (pdf,) = _export(qtbot, dialog)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True, timeout=60).stdout
    assert "Praktijk Hardlooptherapie Utrecht" in text and "page 1 of 1" in text
    assert clinic_name() == "Praktijk Hardlooptherapie Utrecht"
    again = _dialog(qtbot, one_session_db, tmp_path / "pdf2")
    assert again.clinic_edit.text() == "Praktijk Hardlooptherapie Utrecht"


def test_dialog_format_labels_in_dutch(qtbot: Any, one_session_db: Db, tmp_path: Path) -> None:
    from ui.i18n import set_language

    assert set_language("nl")
    try:
        dialog = _dialog(qtbot, one_session_db, tmp_path)
        labels = [dialog.format_box.itemText(i) for i in range(dialog.format_box.count())]
    finally:
        set_language("en")
    assert labels[0] == "PDF-verslag (patiëntendossier)"
    assert labels[1].startswith("CSV voor Excel, Nederlandse instellingen")
