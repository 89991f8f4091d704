"""Export dialog: the same exports as ``runningroom export``, from the GUI.

The therapist picks a format and a folder; the patient's name is left out unless the
"include name" box is ticked (pseudonymised by default). Files are created owner-only.
The clinic's name printed on PDF reports is edited here and kept in the settings
(:func:`ui.settings.clinic_name`).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from runningroom.errors import RunningRoomError
from runningroom.records.export import export_sessions
from runningroom.records.store import damaged_database_message, open_database
from ui.settings import clinic_name, set_clinic_name

logger = logging.getLogger(__name__)

def _tr(text: str) -> str:
    return QCoreApplication.translate("ExportDialog", text)


def format_labels() -> dict[str, str]:
    """Export formats offered by the dialog, in order: key -> label in the current language.

    The keys are those ``runningroom export --format`` takes.
    """
    return {
        "pdf": _tr("PDF report (patient file)"),
        "csv-excel-nl": _tr("CSV for Excel, Dutch settings (; decimal comma, local time)"),
        "csv": _tr("CSV (standard: comma, decimal point, UTC)"),
        "json": _tr("JSON (full record)"),
        "fit": _tr("FIT (Garmin Connect, Strava, intervals.icu)"),
        "tcx": _tr("TCX (GoldenCheetah, Strava)"),
        "fhir": _tr("FHIR R4 Bundle (health records)"),
    }


class ExportDialog(QDialog):
    """Export the given sessions in one format into a folder.

    Args:
        database_path: the session database.
        session_ids: sessions to export.
        default_dir: folder proposed in the dialog.
        parent: parent widget.

    Signals:
        exported(list): the files written, after a successful export.
    """

    exported = Signal(list)

    def __init__(self, database_path: Path, session_ids: Sequence[int],
                 default_dir: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database_path = database_path
        self.session_ids = list(session_ids)
        self.files: list[Path] = []
        self.setWindowTitle(_tr("Export sessions"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_tr("{n} session(s) selected").format(n=len(self.session_ids))))
        form = QFormLayout()
        self.format_box = QComboBox()
        for key, label in format_labels().items():
            self.format_box.addItem(label, key)
        form.addRow(_tr("Format"), self.format_box)
        row = QHBoxLayout()
        self.dir_edit = QLineEdit(str(default_dir or Path.home() / "RunningRoom exports"))
        browse = QPushButton(_tr("Browse…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.dir_edit, 1)
        row.addWidget(browse)
        form.addRow(_tr("Folder"), row)
        self.include_name = QCheckBox(_tr("Include the patient's name (default: code only)"))
        form.addRow("", self.include_name)
        self.clinic_edit = QLineEdit(clinic_name())
        self.clinic_edit.setPlaceholderText(_tr("printed at the top of every PDF report"))
        form.addRow(_tr("Clinic name"), self.clinic_edit)
        layout.addLayout(form)
        self.progress = QProgressBar()
        self.progress.setRange(0, max(1, len(self.session_ids)))
        self.progress.setValue(0)
        layout.addWidget(self.progress)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.export_button = QPushButton(_tr("Export"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.run_export)
        close = QPushButton(_tr("Close"))
        close.clicked.connect(self.reject)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)

    def set_format(self, fmt: str) -> None:
        """Select an export format by key (``csv``, ``pdf``, ...)."""
        index = self.format_box.findData(fmt)
        if index < 0:
            raise ValueError(f"unknown format {fmt!r}")
        self.format_box.setCurrentIndex(index)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _tr("Export folder"), self.dir_edit.text())
        if chosen:
            self.dir_edit.setText(chosen)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        QCoreApplication.processEvents()

    def run_export(self) -> list[Path]:
        """Export now (synchronously); returns the files written ([] on error)."""
        fmt = str(self.format_box.currentData())
        out_dir = Path(self.dir_edit.text()).expanduser()
        include = self.include_name.isChecked()
        clinic = self.clinic_edit.text().strip()
        if clinic != clinic_name():
            set_clinic_name(clinic)
        self.export_button.setEnabled(False)
        try:
            conn = open_database(self.database_path, readonly=True)
            try:
                if fmt == "pdf":
                    from ui.records.pdf import export_session_pdfs

                    files = export_session_pdfs(conn, self.session_ids, out_dir,
                                                include_name=include, clinic=clinic,
                                                progress=self._progress)
                else:
                    files = export_sessions(conn, self.session_ids, fmt, out_dir,
                                            include_name=include, progress=self._progress)
            finally:
                conn.close()
        except RunningRoomError as exc:
            logger.warning("export failed: %s", exc)
            self.status.setText(_tr("Export failed: {error}").format(error=exc))
            return []
        except sqlite3.DatabaseError as exc:  # damaged database: say so, do not crash
            message = damaged_database_message(self.database_path, exc)
            logger.error("export failed: %s", message)
            self.status.setText(_tr("Export failed: {error}").format(error=message))
            return []
        finally:
            self.export_button.setEnabled(True)
        self.files = files
        self.status.setText(_tr("{n} file(s) written to {dir}").format(n=len(files), dir=out_dir))
        self.exported.emit(files)
        return files
