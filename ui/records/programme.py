"""Programme screen: settings, weekly adherence table, dose and trend plots, scores.

Each change is written to the session database at once (short-lived connections, so
a recording station is never blocked for long).
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from runningroom.errors import RunningRoomError
from runningroom.records.programme import (
    AdherenceReport,
    Programme,
    load_programme,
    save_programme,
    set_score,
    weekly_adherence,
)
from runningroom.records.store import open_database

logger = logging.getLogger(__name__)

ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
"""Alignment of the numeric table cells (records tables)."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProgrammeWidget", text)


def fmt_number(value: float | None, decimals: int = 0) -> str:
    """``value`` with ``decimals`` decimals, or an en dash when it is missing."""
    return "–" if value is None else f"{value:.{decimals}f}"


class ProgrammePlots(QWidget):
    """Weekly dose bars and fitness/RPE trend lines (same drawing as the PDF report)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: AdherenceReport | None = None
        self.setMinimumHeight(360)

    def set_report(self, report: AdherenceReport | None) -> None:
        """Show a new report (None = empty)."""
        self.report = report
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the plots."""
        from ui.records.pdf import draw_programme_plots

        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor(255, 255, 255))
            if self.report is None:
                painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter),
                                 _tr("No programme set"))
                return
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            area = QRectF(self.rect()).adjusted(8, 8, -8, -8)
            scale = min(max(area.width() / 1000.0, 0.6), area.height() / 650.0)
            draw_programme_plots(painter, area, self.report, max(scale, 0.5))
        finally:
            painter.end()


class ProgrammeWidget(QWidget):
    """A patient's programme: settings form, adherence table, plots and score entry.

    Args:
        database_path: the session database.
        parent: parent widget.

    Signals:
        changed(): the programme or a score was saved.
    """

    changed = Signal()

    COLUMNS = ("Week", "Start", "Sessions", "Supervised", "Dose (min)", "Target (min)",
               "HR at ref. speed", "Main speed (km/h)", "RPE")

    def __init__(self, database_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database_path = database_path
        self.patient_code: str | None = None
        self.report: AdherenceReport | None = None
        layout = QVBoxLayout(self)

        settings = QGroupBox(_tr("Programme"))
        form = QFormLayout(settings)
        self.start_edit = QDateEdit()
        self.start_edit.setCalendarPopup(True)
        self.start_edit.setDisplayFormat("yyyy-MM-dd")
        self.start_edit.setDate(QDate.currentDate())
        self.weeks_spin = QSpinBox()
        self.weeks_spin.setRange(1, 260)
        self.weeks_spin.setValue(12)
        self.sessions_spin = QSpinBox()
        self.sessions_spin.setRange(0, 14)
        self.sessions_spin.setValue(3)
        self.minutes_spin = QDoubleSpinBox()
        self.minutes_spin.setRange(0, 2000)
        self.minutes_spin.setDecimals(0)
        self.minutes_spin.setValue(150)
        self.minutes_spin.setSuffix(" min")
        self.ref_speed_spin = QDoubleSpinBox()
        self.ref_speed_spin.setRange(0, 25)
        self.ref_speed_spin.setSingleStep(0.5)
        self.ref_speed_spin.setDecimals(1)
        self.ref_speed_spin.setSpecialValueText(_tr("automatic"))
        self.ref_speed_spin.setSuffix(" km/h")
        form.addRow(_tr("Start date"), self.start_edit)
        form.addRow(_tr("Planned weeks"), self.weeks_spin)
        form.addRow(_tr("Sessions per week"), self.sessions_spin)
        form.addRow(_tr("Weekly dose target"), self.minutes_spin)
        form.addRow(_tr("Reference speed (fitness signal)"), self.ref_speed_spin)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(_tr("Save programme"))
        self.save_button.clicked.connect(self.save)
        self.pdf_button = QPushButton(_tr("Programme report (PDF)…"))
        self.pdf_button.clicked.connect(self._ask_pdf)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        form.addRow(buttons)

        scores = QGroupBox(_tr("Questionnaire score"))
        score_row = QHBoxLayout(scores)
        self.score_week = QSpinBox()
        self.score_week.setRange(0, 260)
        self.score_week.setPrefix(_tr("week "))
        self.score_name = QLineEdit()
        self.score_name.setPlaceholderText(_tr("name, e.g. PHQ-9"))
        self.score_value = QDoubleSpinBox()
        self.score_value.setRange(-1000, 1000)
        self.score_value.setDecimals(1)
        self.score_button = QPushButton(_tr("Enter score"))
        self.score_button.clicked.connect(self.enter_score)
        for w in (self.score_week, self.score_name, self.score_value, self.score_button):
            score_row.addWidget(w)

        top = QHBoxLayout()
        top.addWidget(settings, 1)
        top.addWidget(scores, 1)
        layout.addLayout(top)
        self.summary_label = QLabel("")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.plots = ProgrammePlots()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.plots)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        self.table.setMinimumHeight(180)
        layout.addWidget(splitter, 1)
        self.status = QLabel("")
        layout.addWidget(self.status)
        self.set_patient(None)

    # ---- data ----------------------------------------------------------------------------

    def set_patient(self, patient_code: str | None) -> None:
        """Show the programme of ``patient_code`` (None = nothing selected)."""
        self.patient_code = patient_code
        for w in (self.save_button, self.score_button, self.pdf_button):
            w.setEnabled(patient_code is not None)
        self.refresh()

    def refresh(self) -> None:
        """Reload the programme and recompute the adherence table."""
        self.report = None
        if self.patient_code is None or not self.database_path.exists():
            self._show(None)
            return
        try:
            conn = open_database(self.database_path, readonly=True)
            try:
                programme = load_programme(conn, self.patient_code)
                if programme is not None:
                    self._fill_form(programme)
                    self.report = weekly_adherence(conn, programme)
            finally:
                conn.close()
        except (RunningRoomError, sqlite3.Error) as exc:  # e.g. no records tables yet
            logger.info("programme not available: %s", exc)
        self._show(self.report)

    def _fill_form(self, p: Programme) -> None:
        self.start_edit.setDate(QDate(p.start_date.year, p.start_date.month, p.start_date.day))
        self.weeks_spin.setValue(p.planned_weeks)
        self.sessions_spin.setValue(p.sessions_per_week)
        self.minutes_spin.setValue(p.minutes_per_week_target)
        self.ref_speed_spin.setValue(p.reference_speed_kmh or 0.0)

    def programme_from_form(self) -> Programme:
        """The programme as currently entered in the form."""
        if self.patient_code is None:
            raise ValueError("no patient selected")
        d = self.start_edit.date()
        ref = self.ref_speed_spin.value()
        return Programme(
            self.patient_code,
            date(d.year(), d.month(), d.day()),
            planned_weeks=self.weeks_spin.value(),
            sessions_per_week=self.sessions_spin.value(),
            minutes_per_week_target=self.minutes_spin.value(),
            reference_speed_kmh=ref if ref > 0 else None,
        )

    def _write(self, action: str) -> bool:
        try:
            conn = open_database(self.database_path, create=True)
            try:
                if action == "programme":
                    save_programme(conn, self.programme_from_form())
                else:
                    assert self.patient_code is not None
                    set_score(conn, self.patient_code, self.score_week.value(),
                              self.score_name.text(), self.score_value.value())
            finally:
                conn.close()
        except (RunningRoomError, ValueError) as exc:
            self.status.setText(_tr("Not saved: {error}").format(error=exc))
            return False
        self.status.setText(_tr("Saved."))
        self.refresh()
        self.changed.emit()
        return True

    def save(self) -> bool:
        """Save the programme from the form; True on success."""
        return self._write("programme")

    def enter_score(self) -> bool:
        """Save the questionnaire score from the score row; True on success."""
        return self._write("score")

    def _ask_pdf(self) -> None:
        if self.report is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, _tr("Programme report"), f"{self.patient_code}_programme.pdf", "PDF (*.pdf)")
        if name:
            self.write_pdf(Path(name))

    def write_pdf(self, path: Path, include_name: bool = False) -> Path | None:
        """Write the programme report PDF; returns its path (None without a programme)."""
        if self.report is None:
            return None
        from ui.records.pdf import write_programme_pdf

        conn = open_database(self.database_path, readonly=True)
        try:
            written = write_programme_pdf(conn, self.report, path, include_name=include_name)
        finally:
            conn.close()
        self.status.setText(_tr("Report written to {path}").format(path=written))
        return written

    # ---- view ----------------------------------------------------------------------------

    def _show(self, report: AdherenceReport | None) -> None:
        names = report.score_names if report else []
        headers = [_tr(c) for c in self.COLUMNS] + names
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.plots.set_report(report)
        if report is None:
            self.table.setRowCount(0)
            self.summary_label.setText(
                _tr("No programme set for this patient: enter a start date and save.")
                if self.patient_code else _tr("Select a patient."))
            return
        pct = report.session_adherence_pct
        self.summary_label.setText(
            _tr("Sessions done {done} of {planned} planned so far ({pct} %); weekly dose met in "
                "{met} weeks; reference speed {ref} km/h.").format(
                done=report.sessions_done, planned=report.sessions_planned, pct=fmt_number(pct),
                met=report.weeks_dose_met, ref=fmt_number(report.reference_speed_kmh, 1)))
        self.table.setRowCount(len(report.weeks))
        for r, w in enumerate(report.weeks):
            cells = [
                _tr("baseline") if w.week == 0 else str(w.week),
                w.start.isoformat(),
                f"{w.sessions_done}/{w.sessions_planned}",
                str(w.supervised_done),
                f"{w.minutes_moderate:.0f}",
                f"{w.minutes_target:.0f}",
                fmt_number(w.hr_at_ref_speed_bpm) + (" *" if w.hr_at_ref_estimated else ""),
                fmt_number(w.main_speed_kmh, 1),
                fmt_number(w.rpe_mean, 1),
                *[fmt_number(w.scores.get(n), 1) for n in names],
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c > 0:
                    item.setTextAlignment(ALIGN_RIGHT)
                if c == 2 and w.sessions_planned and not w.sessions_met:
                    item.setText(text + " ↓")
                if c == 3 and w.sessions_planned and w.supervised_done == 0:
                    item.setText(text + " !")
                    item.setToolTip(_tr("No supervised session this week"))
                self.table.setItem(r, c, item)
