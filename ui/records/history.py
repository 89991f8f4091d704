"""Records tab: per-patient session history, programme adherence and exports.

:class:`HistoryWidget` is what the main window embeds (constructed without arguments:
it reads the user's default session database; :meth:`HistoryWidget.set_database_path`
points it at another one, e.g. the demo database). The database is opened read-only
for each refresh and closed again, so a station recording at the same time is not
blocked. The main window tells it which patient the console has selected
(:meth:`HistoryWidget.select_patient`) and calls :meth:`HistoryWidget.refresh` when a
session has ended. A session opens (double-click or "Open") in a
:class:`~ui.records.session_detail.SessionDetailView` in place of the list.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from runningroom import paths
from runningroom.errors import RunningRoomError
from runningroom.records.backup import RestoreConflictError, backup_database, restore_database
from runningroom.records.history import HistoryRow, session_history, simulated_session_ids
from runningroom.records.patients import delete_patient
from runningroom.records.store import (
    damaged_database_message,
    list_patient_codes,
    open_database,
)
from ui.records.export_dialog import ExportDialog
from ui.records.programme import ALIGN_RIGHT, ProgrammeWidget, fmt_number
from ui.records.session_detail import SessionDetailView
from ui.texts import phase_name

logger = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("HistoryWidget", text)


class HistoryWidget(QWidget):
    """Patient picker, session history table, session detail, programme view and export.

    Args:
        database_path: the session database (default: the user's database).
        parent: parent widget.

    Attributes:
        demo: True when the database holds demo (simulated) sessions, not clinic data.
        detail: the session detail view (shown in place of the list when a session opens).
    """

    def __init__(self, database_path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database_path = database_path or paths.database_path()
        self.demo = False
        self.rows: list[HistoryRow] = []
        self.simulated: set[int] = set()
        self._db_error: str | None = None
        self._followed: str | None = None
        self._shown_code: str | None = None
        self.last_dialog: ExportDialog | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.patient_label = QLabel()
        top.addWidget(self.patient_label)
        self.patient_box = QComboBox()
        self.patient_box.setMinimumWidth(160)
        self.patient_box.currentIndexChanged.connect(self._patient_changed)
        top.addWidget(self.patient_box)
        # deleting a patient sits behind this menu, away from the everyday buttons
        self.patient_menu_button = QToolButton()
        self.patient_menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.patient_menu = QMenu(self.patient_menu_button)
        self.delete_action = self.patient_menu.addAction("")
        self.delete_action.triggered.connect(lambda: self.delete_patient())
        self.patient_menu_button.setMenu(self.patient_menu)
        top.addWidget(self.patient_menu_button)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button)
        self.demo_badge = QLabel()
        self.demo_badge.setStyleSheet(
            "background: #fff3cd; color: #5c4400; padding: 2px 8px; font-weight: bold;")
        self.demo_badge.setVisible(False)
        top.addWidget(self.demo_badge)
        top.addStretch(1)
        self.export_button = QPushButton(_tr("Export…"))
        self.export_button.setToolTip(_tr("Export the selected sessions (all when none selected)"))
        # a lambda: ``clicked`` passes ``checked=False``, which would land in ``show``
        self.export_button.clicked.connect(lambda: self.open_export_dialog())
        top.addWidget(self.export_button)
        layout.addLayout(top)
        self.info = QLabel("")
        layout.addWidget(self.info)
        self.tabs = QTabWidget()
        self.sessions_page = QStackedWidget()
        list_page = QWidget()
        list_layout = QVBoxLayout(list_page)
        list_layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(self.column_headers()))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(lambda row, _col: self._open_row(row))
        self.table.itemSelectionChanged.connect(self._selection_changed)
        list_layout.addWidget(self.table, 1)
        open_row = QHBoxLayout()
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_selected)
        open_row.addWidget(self.open_button)
        self.open_hint = QLabel()
        self.open_hint.setStyleSheet("color: #555555;")
        open_row.addWidget(self.open_hint)
        open_row.addStretch(1)
        list_layout.addLayout(open_row)
        self.sessions_page.addWidget(list_page)
        self.detail = SessionDetailView(self.database_path)
        self.detail.backRequested.connect(self.show_list)
        self.sessions_page.addWidget(self.detail)
        self.tabs.addTab(self.sessions_page, "")
        self.programme = ProgrammeWidget(self.database_path)
        self.programme.changed.connect(self._reload_codes)
        self.tabs.addTab(self.programme, "")
        layout.addWidget(self.tabs, 1)
        # the whole-database tools, on their own row below everything else
        data_row = QHBoxLayout()
        self.database_label = QLabel()
        self.database_label.setStyleSheet("color: #555555;")
        data_row.addWidget(self.database_label)
        self.backup_button = QPushButton()
        self.backup_button.clicked.connect(self._ask_backup)
        data_row.addWidget(self.backup_button)
        self.restore_button = QPushButton()
        self.restore_button.clicked.connect(self._ask_restore)
        data_row.addWidget(self.restore_button)
        data_row.addStretch(1)
        layout.addLayout(data_row)
        self.retranslate()
        self.refresh()

    # ---- i18n ------------------------------------------------------------------------------

    @staticmethod
    def column_headers() -> list[str]:
        """The session table's headers in the current language."""
        return [_tr("Date"), _tr("Template"), _tr("Duration (min)"), _tr("In zone (min)"),
                _tr("Moderate (min)"), _tr("Avg HR (bpm)"), _tr("RPE"), _tr("Alarms"),
                _tr("Supervised"), _tr("Status")]

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible string in the current language (and the locale's numbers)."""
        self.patient_label.setText(_tr("Patient"))
        self.patient_menu_button.setText(_tr("Patient file"))
        self.patient_menu_button.setToolTip(_tr("Actions on the selected patient's file"))
        self.delete_action.setText(_tr("Delete patient and all their data…"))
        self.refresh_button.setText(_tr("Refresh"))
        self.demo_badge.setText(_tr("Demo data (simulated sessions, not the clinic's)"))
        self.export_button.setText(_tr("Export…"))
        self.export_button.setToolTip(_tr("Export the selected sessions (all when none selected)"))
        self.table.setHorizontalHeaderLabels(self.column_headers())
        self.open_button.setText(_tr("Open session"))
        self.open_hint.setText(_tr("or double-click a session"))
        self.tabs.setTabText(0, _tr("Sessions"))
        self.tabs.setTabText(1, _tr("Programme"))
        self.database_label.setText(
            _tr("Demo database:") if self.demo else _tr("Session database:"))
        self.backup_button.setText(_tr("Backup…"))
        self.restore_button.setText(_tr("Restore…"))
        if hasattr(self, "programme"):
            self._fill_table()
            self._show_info()

    def set_database_path(self, path: Path, demo: bool = False) -> None:
        """Read sessions from ``path`` from now on; ``demo`` marks it as demo data."""
        self.database_path = path
        self.demo = demo
        self.programme.database_path = path
        self.detail.database_path = path
        self.demo_badge.setVisible(demo)
        self.show_list()
        self.retranslate()
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
        current = self._followed or self.patient_code
        conn = self._connect()
        codes: list[str] = []
        if conn is not None:
            try:
                codes = list_patient_codes(conn)
            except sqlite3.DatabaseError as exc:
                self._damaged(exc)
            finally:
                conn.close()
        if self._followed is not None and self._followed not in codes:
            codes = sorted([*codes, self._followed])  # the console's patient, no sessions yet
        self.patient_box.blockSignals(True)
        self.patient_box.clear()
        self.patient_box.addItems(codes)
        if current in codes:
            self.patient_box.setCurrentText(current)
        self.patient_box.blockSignals(False)

    def refresh(self) -> None:
        """Reload the patient list, the history and the programme (and an open session)."""
        self._db_error = None
        self._reload_codes()
        self._patient_changed()
        if self.sessions_page.currentWidget() is self.detail and self.detail.session_id:
            self.detail.show_session(self.detail.session_id)

    @property
    def patient_code(self) -> str | None:
        """The selected patient code (None when there is none)."""
        text = self.patient_box.currentText()
        return text or None

    def select_patient(self, code: str) -> None:
        """Follow the patient selected in the console: show their history and programme.

        A patient without recorded sessions is listed too (with an empty history), so
        the tab never shows another patient's sessions; the choice is kept over
        refreshes until the therapist picks another patient here.
        """
        self._followed = code
        if self.patient_box.findText(code) < 0:
            self._reload_codes()
        index = self.patient_box.findText(code)
        if index < 0:
            return
        self.patient_box.blockSignals(True)
        self.patient_box.setCurrentIndex(index)
        self.patient_box.blockSignals(False)
        if self._shown_code != code:
            self._patient_changed()

    def _patient_changed(self) -> None:
        code = self.patient_code
        if code != self._followed:
            self._followed = None
        self._shown_code = code
        self.rows = []
        self.simulated = set()
        if code is not None:
            conn = self._connect()
            if conn is not None:
                try:
                    self.rows = session_history(conn, code)
                    self.simulated = simulated_session_ids(conn, code)
                except sqlite3.DatabaseError as exc:
                    self._damaged(exc)
                finally:
                    conn.close()
        if self.detail.data is not None and self.detail.data.meta.patient_code != code:
            self.show_list()
        self._fill_table()
        self.programme.set_patient(code)
        self.export_button.setEnabled(bool(self.rows))
        self.delete_action.setEnabled(code is not None)
        self.patient_menu_button.setEnabled(code is not None)
        self._selection_changed()
        self._show_info()

    def _show_info(self) -> None:
        code = self.patient_code
        if code is None:
            self.info.setText(_tr("No sessions recorded yet."))
        elif not self.rows:
            self.info.setText(_tr("No sessions recorded yet for {code}.").format(code=code))
        else:
            supervised = sum(1 for r in self.rows if r.supervised)
            total_min = sum(r.minutes_moderate for r in self.rows)
            self.info.setText(_tr("{n} sessions ({s} supervised), {m} min at moderate intensity "
                                  "in total").format(n=len(self.rows), s=supervised,
                                                     m=fmt_number(total_min)))
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
                fmt_number(row.duration_s / 60, 1),
                fmt_number(row.minutes_in_zone, 1),
                fmt_number(row.minutes_moderate, 1),
                fmt_number(row.avg_hr_bpm),
                fmt_number(row.rpe),
                str(row.alarms),
                _tr("yes") if row.supervised else _tr("no"),
                phase_name(row.status),
            ]
            simulated = row.session_id in self.simulated
            if simulated:
                cells[-1] += " · " + _tr("simulated")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.session_id)
                if 2 <= c <= 7:
                    item.setTextAlignment(ALIGN_RIGHT)
                if simulated:
                    font = item.font()
                    font.setItalic(True)
                    item.setFont(font)
                    item.setToolTip(_tr("Recorded on the simulated treadmill (demo or "
                                        "practice run): no patient was on a belt"))
                self.table.setItem(r, c, item)

    # ---- session detail ----------------------------------------------------------------------

    def _selection_changed(self) -> None:
        self.open_button.setEnabled(bool(self.table.selectionModel().selectedRows())
                                    or self.table.rowCount() == 1)

    def _open_row(self, table_row: int) -> bool:
        item = self.table.item(table_row, 0)
        if item is None:
            return False
        return self.open_session(int(item.data(Qt.ItemDataRole.UserRole)))

    def open_selected(self) -> bool:
        """Open the selected session (the only one when the list has one row)."""
        selected = self.table.selectionModel().selectedRows()
        if selected:
            return self._open_row(selected[0].row())
        if self.table.rowCount() == 1:
            return self._open_row(0)
        return False

    def open_session(self, session_id: int) -> bool:
        """Show one session's detail (summary, plot, event log) in place of the list."""
        self.tabs.setCurrentIndex(0)
        if not self.detail.show_session(session_id):
            self.info.setText(self.detail.status.text())
            return False
        self.sessions_page.setCurrentWidget(self.detail)
        return True

    def show_list(self) -> None:
        """Back from a session's detail to the session list."""
        self.sessions_page.setCurrentIndex(0)

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
