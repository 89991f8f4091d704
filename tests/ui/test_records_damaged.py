"""Records widgets on a damaged session database: a message, never an exception."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel

from tests.records.fixtures import Db, one_session_db
from tests.records.test_damaged_database import _damage_samples
from ui.records.history import HistoryWidget

__all__ = ["one_session_db"]  # fixture used below


def _damage_table(path: Path, table: str) -> None:
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    (root,) = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    start = (int(root) - 1) * page_size
    data[start + 8 : start + page_size] = b"\xab" * (page_size - 8)
    path.write_bytes(bytes(data))


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
    _damage_samples(one_session_db.path)
    assert dialog.run_export() == []
    assert "damaged" in dialog.status.text()
    assert dialog.export_button.isEnabled()


def test_history_reports_a_damaged_database(qtbot: Any, one_session_db: Db) -> None:
    one_session_db.conn.close()
    _damage_table(one_session_db.path, "sessions")
    w = HistoryWidget(one_session_db.path)
    qtbot.addWidget(w)
    assert w.table.rowCount() == 0
    assert "damaged" in w.info.text()
