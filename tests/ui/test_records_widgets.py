from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QItemSelectionModel

from runningroom.records.programme import list_scores, load_programme
from runningroom.records.store import open_database
from tests.records.factory import insert_session
from tests.records.fixtures import START, Db, _programme_template, one_session_db, programme_db
from ui.records.history import HistoryWidget

__all__ = ["_programme_template", "one_session_db", "programme_db"]  # fixtures used below


def test_history_lists_patients_and_sessions(qtbot: Any, programme_db: Db) -> None:
    w = HistoryWidget(programme_db.path)
    qtbot.addWidget(w)
    codes = [w.patient_box.itemText(i) for i in range(w.patient_box.count())]
    assert codes == ["DEMO-001", "OTHER-7"]
    assert w.patient_code == "DEMO-001"
    assert w.table.rowCount() == 11
    newest = w.table.item(0, 0)
    assert newest is not None and newest.text().startswith("2026-01-30")
    assert "11 sessions (4 supervised)" in w.info.text()
    w.select_patient("OTHER-7")
    assert w.table.rowCount() == 1


def test_history_without_database(qtbot: Any, tmp_path: Path) -> None:
    w = HistoryWidget(tmp_path / "none.sqlite3")
    qtbot.addWidget(w)
    assert w.patient_code is None and w.table.rowCount() == 0
    assert "No sessions" in w.info.text()
    assert not w.export_button.isEnabled()
    assert not (tmp_path / "none.sqlite3").exists()


def test_programme_edit_and_scores(qtbot: Any, programme_db: Db) -> None:
    programme_db.conn.close()
    w = HistoryWidget(programme_db.path)
    qtbot.addWidget(w)
    pw = w.programme
    # no saved programme: the default one runs from the first session
    assert pw.is_default and pw.report is not None and pw.table.rowCount() == 12
    pw.start_edit.setDate(QDate(2026, 1, 5))
    pw.weeks_spin.setValue(6)
    assert pw.save()
    conn = open_database(programme_db.path, readonly=True)
    try:
        saved = load_programme(conn, "DEMO-001")
    finally:
        conn.close()
    assert saved is not None and saved.planned_weeks == 6 and saved.minutes_per_week_target == 150
    assert pw.table.rowCount() == 6
    cell = pw.table.item(2, 2)
    assert cell is not None and cell.text().startswith("2/3")  # week 3 missed a session
    pw.score_week.setValue(0)
    pw.score_name.setText("PHQ-9")
    pw.score_value.setValue(14)
    assert pw.enter_score()
    assert pw.table.rowCount() == 7  # baseline row appears
    header = pw.table.horizontalHeaderItem(pw.table.columnCount() - 1)
    assert header is not None and header.text() == "PHQ-9"
    pw.score_name.setText("")
    assert not pw.enter_score() and "Not saved" in pw.status.text()
    conn = open_database(programme_db.path, readonly=True)
    try:
        assert list_scores(conn, "DEMO-001") == {0: {"PHQ-9": 14.0}}
    finally:
        conn.close()
    # the plots paint something
    pw.plots.resize(800, 400)
    image = pw.plots.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, 800, 7) for y in range(0, 400, 7)}
    assert len(colours) > 5


def test_export_dialog_exports_selected_sessions(qtbot: Any, programme_db: Db,
                                                 tmp_path: Path) -> None:
    w = HistoryWidget(programme_db.path)
    qtbot.addWidget(w)
    w.table.selectionModel().select(
        w.table.model().index(0, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    newest = programme_db.sessions[-2].session_id
    assert w.selected_session_ids() == [newest]
    dialog = w.open_export_dialog(show=False)
    qtbot.addWidget(dialog)
    dialog.dir_edit.setText(str(tmp_path / "exp"))
    dialog.set_format("fit")
    with qtbot.waitSignal(dialog.exported, timeout=5000):
        files = dialog.run_export()
    assert [f.suffix for f in files] == [".fit"] and f"_s{newest}_" in files[0].name
    dialog.set_format("pdf")
    files = dialog.run_export()
    assert files[0].read_bytes()[:4] == b"%PDF"
    assert dialog.progress.value() == 1
    dialog.dir_edit.setText("/proc/forbidden")
    assert dialog.run_export() == [] and "failed" in dialog.status.text()


def test_delete_patient_needs_the_typed_code(qtbot: Any, programme_db: Db) -> None:
    w = HistoryWidget(programme_db.path)
    qtbot.addWidget(w)
    assert not w.delete_patient("DEMO-01")
    assert "Not deleted" in w.info.text() and w.table.rowCount() == 11
    assert w.delete_patient("DEMO-001")
    codes = [w.patient_box.itemText(i) for i in range(w.patient_box.count())]
    assert codes == ["OTHER-7"]
    audit = programme_db.conn.execute("SELECT action, detail FROM audit").fetchall()
    assert len(audit) == 1 and "DEMO" not in audit[0][1]


def test_backup_and_guarded_restore(qtbot: Any, one_session_db: Db, tmp_path: Path) -> None:
    w = HistoryWidget(one_session_db.path)
    qtbot.addWidget(w)
    backup = tmp_path / "b.sqlite3"
    assert w.backup(backup) and backup.stat().st_mode & 0o777 == 0o600
    insert_session(one_session_db.conn, started_at=START.replace(day=20), seed=2)
    one_session_db.conn.close()
    asked: list[list[str]] = []

    def say_no(reasons: list[str]) -> bool:
        asked.append(reasons)
        return False

    assert not w.restore(backup, confirm_overwrite=say_no)
    assert asked and "nothing changed" in w.info.text()
    w.refresh()
    assert w.table.rowCount() == 2
    assert w.restore(backup, confirm_overwrite=lambda reasons: True)
    assert w.table.rowCount() == 1


def test_default_constructor_uses_the_user_database(qtbot: Any, tmp_path: Path) -> None:
    from runningroom import paths

    w = HistoryWidget()  # as the main window embeds it
    qtbot.addWidget(w)
    assert w.database_path == paths.database_path()
    assert w.patient_code is None
