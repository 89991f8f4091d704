"""Records widgets on a damaged session database: a message, never an exception."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel

from tests.records.factory import damage_table
from tests.records.fixtures import Db, one_session_db
from ui.records.history import HistoryWidget

__all__ = ["one_session_db"]  # fixture used below


def test_export_dialog_reports_a_damaged_database(
    qtbot: Any, one_session_db: Db, tmp_path: Path
) -> None:
    one_session_db.conn.close()
    w = HistoryWidget(one_session_db.path)
    qtbot.addWidget(w)
    w.table.selectionModel().select(
        w.table.model().index(0, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    dialog = w.open_export_dialog(show=False)
    qtbot.addWidget(dialog)
    dialog.dir_edit.setText(str(tmp_path / "exp"))
    dialog.set_format("csv")
    damage_table(one_session_db.path, "samples")
    assert dialog.run_export() == []
    assert "damaged" in dialog.status.text()
    assert dialog.export_button.isEnabled()


def test_history_reports_a_damaged_database(qtbot: Any, one_session_db: Db) -> None:
    one_session_db.conn.close()
    damage_table(one_session_db.path, "sessions")
    w = HistoryWidget(one_session_db.path)
    qtbot.addWidget(w)
    assert w.table.rowCount() == 0
    assert "damaged" in w.info.text()
