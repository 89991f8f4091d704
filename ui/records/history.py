"""Records tab: per-patient session history, programme adherence and exports.

:class:`HistoryWidget` is what the main window embeds (constructed without arguments:
it reads the user's default session database). The database is opened read-only for
each refresh and closed again, so a station recording at the same time is not blocked.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from runningroom import paths
from runningroom.errors import RunningRoomError
from runningroom.records.backup import RestoreConflictError, backup_database, restore_database
from runningroom.records.history import HistoryRow, session_history
from runningroom.records.patients import delete_patient
from runningroom.records.store import (
    damaged_database_message,
    list_patient_codes,
    open_database,
)
from ui.records.export_dialog import ExportDialog
from ui.records.programme import ALIGN_RIGHT, ProgrammeWidget, fmt_number

logger = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("HistoryWidget", text)


class HistoryWidget(QWidget):
    """Patient picker, session history table, programme view and export.

    Args:
        database_path: the session database (default: the user's database).
        parent: parent widget.
    """

    COLUMNS = ("Date", "Template", "Duration (min)", "In zone (min)", "Moderate (min)",
               "Avg HR (bpm)", "RPE", "Alarms", "Supervised", "Status")

    def __init__(self, database_path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database_path = database_path or paths.database_path()
        self.rows: list[HistoryRow] = []
        self._db_error: str | None = None
        self.last_dialog: ExportDialog | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(_tr("Patient")))
        self.patient_box = QComboBox()
        self.patient_box.setMinimumWidth(160)
        self.patient_box.currentIndexChanged.connect(self._patient_changed)
        top.addWidget(self.patient_box)
        self.refresh_button = QPushButton(_tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        self.export_button = QPushButton(_tr("Export…"))
        self.export_button.setToolTip(_tr("Export the selected sessions (all when none selected)"))
        # a lambda: ``clicked`` passes ``checked=False``, which would land in ``show``
        self.export_button.clicked.connect(lambda: self.open_export_dialog())
        top.addWidget(self.export_button)
        self.backup_button = QPushButton(_tr("Backup…"))
        self.backup_button.clicked.connect(self._ask_backup)
        top.addWidget(self.backup_button)
        self.restore_button = QPushButton(_tr("Restore…"))
        self.restore_button.clicked.connect(self._ask_restore)
        top.addWidget(self.restore_button)
        self.delete_button = QPushButton(_tr("Delete patient…"))
        self.delete_button.clicked.connect(lambda: self.delete_patient())
        top.addWidget(self.delete_button)
        layout.addLayout(top)
        self.info = QLabel("")
        layout.addWidget(self.info)
        self.tabs = QTabWidget()
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([_tr(c) for c in self.COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.tabs.addTab(self.table, _tr("Sessions"))
        self.programme = ProgrammeWidget(self.database_path)
        self.programme.changed.connect(self._reload_codes)
        self.tabs.addTab(self.programme, _tr("Programme"))
        layout.addWidget(self.tabs, 1)
        self.refresh()

    # ---- data ------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection | None:
        if not self.database_path.exists():
            return None
        try:
            return open_database(self.database_path, readonly=True)
        except RunningRoomError as exc:
            self.info.setText(_tr("Cannot read the session database: {error}").format(error=exc))
            return None

    def _damaged(self, exc: sqlite3.DatabaseError) -> None:
        message = damaged_database_message(self.database_path, exc)
        logger.error("%s", message)
        self._db_error = message
        self.info.setText(_tr("Cannot read the session database: {error}").format(error=message))

    def _reload_codes(self) -> None:
        current = self.patient_code
        conn = self._connect()
        codes: list[str] = []
        if conn is not None:
            try:
                codes = list_patient_codes(conn)
            except sqlite3.DatabaseError as exc:
                self._damaged(exc)
            finally:
                conn.close()
        self.patient_box.blockSignals(True)
        self.patient_box.clear()
        self.patient_box.addItems(codes)
        if current in codes:
            self.patient_box.setCurrentText(current)
        self.patient_box.blockSignals(False)

    def refresh(self) -> None:
        """Reload the patient list, the history and the programme."""
        self._db_error = None
        self._reload_codes()
        self._patient_changed()

    @property
    def patient_code(self) -> str | None:
        """The selected patient code (None when there is none)."""
        text = self.patient_box.currentText()
        return text or None

    def select_patient(self, code: str) -> None:
        """Select a patient by code (no effect when the code has no records)."""
        index = self.patient_box.findText(code)
        if index >= 0:
            self.patient_box.setCurrentIndex(index)

    def _patient_changed(self) -> None:
        code = self.patient_code
        self.rows = []
        if code is not None:
            conn = self._connect()
            if conn is not None:
                try:
                    self.rows = session_history(conn, code)
                except sqlite3.DatabaseError as exc:
                    self._damaged(exc)
                finally:
                    conn.close()
        self._fill_table()
        self.programme.set_patient(code)
        self.export_button.setEnabled(bool(self.rows))
        self.delete_button.setEnabled(code is not None)
        if code is None:
            self.info.setText(_tr("No sessions recorded yet."))
        else:
            supervised = sum(1 for r in self.rows if r.supervised)
            total_min = sum(r.minutes_moderate for r in self.rows)
            self.info.setText(_tr("{n} sessions ({s} supervised), {m} min at moderate intensity "
                                  "in total").format(n=len(self.rows), s=supervised,
                                                     m=f"{total_min:.0f}"))
        if self._db_error:
            self.info.setText(
                _tr("Cannot read the session database: {error}").format(error=self._db_error))

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(reversed(self.rows)):  # newest first
            local = row.started_at.astimezone()
            cells = [
                local.strftime("%Y-%m-%d %H:%M"),
                row.template,
                f"{row.duration_s / 60:.1f}",
                f"{row.minutes_in_zone:.1f}",
                f"{row.minutes_moderate:.1f}",
                fmt_number(row.avg_hr_bpm),
                fmt_number(row.rpe),
                str(row.alarms),
                _tr("yes") if row.supervised else _tr("no"),
                row.status,
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.session_id)
                if 2 <= c <= 7:
                    item.setTextAlignment(ALIGN_RIGHT)
                self.table.setItem(r, c, item)

    def selected_session_ids(self) -> list[int]:
        """Ids of the selected sessions, oldest first (all sessions when none selected)."""
        ids: set[int] = set()
        for index in self.table.selectionModel().selectedRows():
            item = self.table.item(index.row(), 0)
            if item is not None:
                ids.add(int(item.data(Qt.ItemDataRole.UserRole)))
        if not ids:
            return [r.session_id for r in self.rows]
        return [r.session_id for r in self.rows if r.session_id in ids]

    def open_export_dialog(self, show: bool = True) -> ExportDialog:
        """Open the export dialog for the selected sessions (non-modal)."""
        dialog = ExportDialog(self.database_path, self.selected_session_ids(), parent=self)
        self.last_dialog = dialog
        if show:
            dialog.open()
        return dialog

    # ---- data safety -------------------------------------------------------------------------

    def delete_patient(self, confirm: str | None = None) -> bool:
        """Delete the selected patient with all their data (asks to type the code).

        Args:
            confirm: the typed confirmation; None = ask in a dialog.

        Returns:
            True when the patient was deleted.
        """
        code = self.patient_code
        if code is None:
            return False
        if confirm is None:
            confirm, ok = QInputDialog.getText(
                self, _tr("Delete patient"),
                _tr("This deletes ALL sessions, the programme, scores and the profile of "
                    "patient {code}. It cannot be undone.\nType the patient code to confirm:"
                    ).format(code=code))
            if not ok:
                return False
        try:
            conn = open_database(self.database_path)
            try:
                report = delete_patient(conn, code, confirm=confirm,
                                        profiles_dir=paths.patients_dir())
            finally:
                conn.close()
        except (ValueError, RunningRoomError) as exc:
            self.info.setText(_tr("Not deleted: {error}").format(error=exc))
            return False
        self.refresh()
        self.info.setText(_tr("Patient deleted ({n} sessions).").format(n=report.sessions))
        return True

    def _ask_backup(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, _tr("Back up the session database"),
                                              "runningroom-backup.sqlite3")
        if name:
            self.backup(Path(name))

    def backup(self, path: Path) -> bool:
        """Back up the whole database to ``path`` (replacing an older backup file)."""
        try:
            backup_database(self.database_path, path, overwrite=True)
        except RunningRoomError as exc:
            self.info.setText(_tr("Backup failed: {error}").format(error=exc))
            return False
        self.info.setText(_tr("Backup written to {path}").format(path=path))
        return True

    def _ask_restore(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, _tr("Restore from a backup"))
        if name:
            self.restore(Path(name))

    def _confirm_overwrite(self, reasons: list[str]) -> bool:
        answer = QMessageBox.warning(
            self, _tr("Restore over newer data?"),
            _tr("The current database has data the backup does not:\n{reasons}\n\nRestore "
                "anyway? (A copy of the current database is kept.)").format(
                reasons="\n".join(reasons)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def restore(self, path: Path,
                confirm_overwrite: Callable[[list[str]], bool] | None = None) -> bool:
        """Restore the database from ``path``.

        When the current database has newer data, ``confirm_overwrite(reasons)`` decides
        (default: ask in a message box); nothing changes when it says no.
        """
        ask = confirm_overwrite or self._confirm_overwrite
        try:
            try:
                restore_database(path, self.database_path)
            except RestoreConflictError as exc:
                if not ask(exc.reasons):
                    self.info.setText(_tr("Restore cancelled; nothing changed."))
                    return False
                restore_database(path, self.database_path, force=True)
        except RunningRoomError as exc:
            self.info.setText(_tr("Restore failed: {error}").format(error=exc))
            return False
        self.refresh()
        self.info.setText(_tr("Database restored from {path}").format(path=path))
        return True
