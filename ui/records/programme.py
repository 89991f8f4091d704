"""Programme screen: settings, adherence strip, weekly table, dose and trend plots, scores.

A patient without a saved programme is shown the default one (3 sessions a week for
12 weeks from the first session); saving the form makes it the patient's own. Each
change is written to the session database at once (short-lived connections, so a
recording station is never blocked for long).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QLocale, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
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
    WeekMark,
    WeekRow,
    adherence_strip,
    current_week,
    effective_programme,
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
    """``value`` in the current locale ("5,4" in Dutch); an en dash when it is missing."""
    return "–" if value is None else QLocale().toString(float(value), "f", decimals)


#: Colour and symbol of each week mark (the symbol keeps it readable without colour).
MARK_STYLE: dict[WeekMark, tuple[QColor, str]] = {
    WeekMark.FULL: (QColor(46, 125, 50), "✓"),
    WeekMark.PARTIAL: (QColor(239, 108, 0), "½"),
    WeekMark.MISSED: (QColor(198, 40, 40), "✗"),
    WeekMark.CURRENT: (QColor(21, 101, 192), "•"),
    WeekMark.FUTURE: (QColor(189, 189, 189), ""),
}


def mark_name(mark: WeekMark) -> str:
    """The mark's name in the current language (tooltips, legend)."""
    names = {
        WeekMark.FULL: _tr("all sessions done"),
        WeekMark.PARTIAL: _tr("some sessions done"),
        WeekMark.MISSED: _tr("no session"),
        WeekMark.CURRENT: _tr("this week, not complete yet"),
        WeekMark.FUTURE: _tr("still to come"),
    }
    return names[mark]


class AdherenceStrip(QWidget):
    """One box per programme week, coloured and marked full/partial/missed/current/future.

    Attributes:
        marks: the ``(week, mark)`` pairs shown, week 1 first.
    """

    BOX_PX = 30

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.marks: list[tuple[WeekRow, WeekMark]] = []
        self.setMinimumHeight(self.BOX_PX + 20)

    def set_marks(self, marks: list[tuple[WeekRow, WeekMark]]) -> None:
        """Show these weeks; the tooltip lists every week in words."""
        self.marks = list(marks)
        self.setToolTip("\n".join(
            _tr("Week {week}: {done}/{planned}, {mark}").format(
                week=w.week, done=w.sessions_done, planned=w.sessions_planned,
                mark=mark_name(m)) for w, m in self.marks))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        """Wide enough for every week."""
        return QSize(max(1, len(self.marks)) * (self.BOX_PX + 6), self.BOX_PX + 20)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the boxes with the week number under each."""
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            font = QFont(self.font())
            font.setPixelSize(16)
            small = QFont(self.font())
            small.setPixelSize(11)
            for i, (week, mark) in enumerate(self.marks):
                colour, symbol = MARK_STYLE[mark]
                box = QRectF(i * (self.BOX_PX + 6) + 1, 1, self.BOX_PX, self.BOX_PX)
                if mark in (WeekMark.CURRENT, WeekMark.FUTURE):
                    painter.setPen(QPen(colour, 2))
                    painter.setBrush(QColor(255, 255, 255))
                else:
                    painter.setPen(QPen(colour.darker(120), 1))
                    painter.setBrush(colour)
                painter.drawRoundedRect(box, 4, 4)
                painter.setFont(font)
                painter.setPen(QColor(255, 255, 255) if mark not in (
                    WeekMark.CURRENT, WeekMark.FUTURE) else colour)
                painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), symbol)
                painter.setFont(small)
                painter.setPen(QColor(60, 60, 60))
                painter.drawText(QRectF(box.left(), box.bottom() + 2, box.width(), 16),
                                 int(Qt.AlignmentFlag.AlignHCenter), str(week.week))
        finally:
            painter.end()


class ProgrammePlots(QWidget):
    """Weekly dose bars and fitness/RPE trend lines (same drawing as the PDF report)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: AdherenceReport | None = None
        self.setMinimumHeight(300)

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
    """A patient's programme: settings form, adherence strip and table, plots and scores.

    Args:
        database_path: the session database.
        parent: parent widget.

    Attributes:
        report: the adherence report shown (None without programme or sessions).
        is_default: True when the shown programme is the default (none saved yet).
        today: gives the local date the adherence strip is judged on.

    Signals:
        changed(): the programme or a score was saved.
    """

    changed = Signal()

    def __init__(self, database_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database_path = database_path
        self.patient_code: str | None = None
        self.report: AdherenceReport | None = None
        self.is_default = False
        self.today: Callable[[], date] = date.today
        layout = QVBoxLayout(self)

        self.settings = QGroupBox()
        form = QFormLayout(self.settings)
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
        self.ref_speed_spin = QDoubleSpinBox()
        self.ref_speed_spin.setRange(0, 25)
        self.ref_speed_spin.setSingleStep(0.5)
        self.ref_speed_spin.setDecimals(1)
        self.start_label = QLabel()
        self.weeks_label = QLabel()
        self.sessions_label = QLabel()
        self.minutes_label = QLabel()
        self.ref_speed_label = QLabel()
        form.addRow(self.start_label, self.start_edit)
        form.addRow(self.weeks_label, self.weeks_spin)
        form.addRow(self.sessions_label, self.sessions_spin)
        form.addRow(self.minutes_label, self.minutes_spin)
        form.addRow(self.ref_speed_label, self.ref_speed_spin)
        buttons = QHBoxLayout()
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.pdf_button = QPushButton()
        self.pdf_button.clicked.connect(self._ask_pdf)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.default_note = QLabel()
        self.default_note.setWordWrap(True)
        self.default_note.setStyleSheet("color: #1565c0;")
        form.addRow(self.default_note)

        self.scores = QGroupBox()
        score_row = QHBoxLayout(self.scores)
        score_row.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.score_week = QSpinBox()
        self.score_week.setRange(0, 260)
        self.score_name = QLineEdit()
        self.score_value = QDoubleSpinBox()
        self.score_value.setRange(-1000, 1000)
        self.score_value.setDecimals(1)
        self.score_button = QPushButton()
        self.score_button.clicked.connect(self.enter_score)
        for w in (self.score_week, self.score_name, self.score_value, self.score_button):
            score_row.addWidget(w)

        top = QHBoxLayout()
        top.addWidget(self.settings, 1)
        top.addWidget(self.scores, 1)
        layout.addLayout(top)

        glance = QHBoxLayout()
        self.this_week_label = QLabel("")
        self.this_week_label.setStyleSheet("font-size: 18px; font-weight: bold;")
        glance.addWidget(self.this_week_label)
        self.strip = AdherenceStrip()
        glance.addWidget(self.strip, 1)
        layout.addLayout(glance)
        self.legend = QLabel("")
        self.legend.setStyleSheet("color: #555555;")
        layout.addWidget(self.legend)
        self.summary_label = QLabel("")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.table = QTableWidget(0, len(self.column_headers()))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.plots = ProgrammePlots()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.plots)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        self.table.setMinimumHeight(150)
        layout.addWidget(splitter, 1)
        self.status = QLabel("")
        layout.addWidget(self.status)
        self.retranslate()
        self.set_patient(None)

    # ---- i18n ----------------------------------------------------------------------------

    @staticmethod
    def column_headers() -> list[str]:
        """The weekly table's headers in the current language (scores are appended)."""
        return [_tr("Week"), _tr("Week starts"), _tr("Sessions"), _tr("Supervised"),
                _tr("Moderate (min)"), _tr("Goal (min)"), _tr("HR at check speed (bpm)"),
                _tr("Main phase speed (km/h)"), _tr("RPE")]

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible string in the current language (and the locale's numbers)."""
        self.settings.setTitle(_tr("Programme"))
        self.start_label.setText(_tr("Start date"))
        self.weeks_label.setText(_tr("Planned weeks"))
        self.sessions_label.setText(_tr("Sessions per week (goal)"))
        self.minutes_label.setText(_tr("Minutes per week at moderate intensity (goal)"))
        self.ref_speed_label.setText(_tr("Speed for the fitness check"))
        self.ref_speed_spin.setToolTip(_tr(
            "Each week the heart rate at this belt speed is compared: it falls as fitness "
            "improves. \"automatic\" uses the speed held most often."))
        self.minutes_spin.setSuffix(" " + _tr("min"))
        self.ref_speed_spin.setSpecialValueText(_tr("automatic"))
        self.ref_speed_spin.setSuffix(" " + _tr("km/h"))
        for spin in (self.minutes_spin, self.ref_speed_spin, self.score_value):
            spin.setLocale(QLocale())
        self.save_button.setText(_tr("Save programme"))
        self.pdf_button.setText(_tr("Programme report (PDF)…"))
        self.scores.setTitle(_tr("Questionnaire score"))
        self.score_week.setPrefix(_tr("week "))
        self.score_name.setPlaceholderText(_tr("name, e.g. PHQ-9"))
        self.score_button.setText(_tr("Enter score"))
        self.legend.setText("   ".join(
            f"{MARK_STYLE[m][1] or '□'} {mark_name(m)}" for m in WeekMark))
        if hasattr(self, "status"):
            self._show(self.report)

    # ---- data ----------------------------------------------------------------------------

    def set_patient(self, patient_code: str | None) -> None:
        """Show the programme of ``patient_code`` (None = nothing selected)."""
        self.patient_code = patient_code
        for w in (self.save_button, self.score_button):
            w.setEnabled(patient_code is not None)
        self.refresh()

    def refresh(self) -> None:
        """Reload the programme (saved, else the default) and recompute the adherence."""
        self.report = None
        self.is_default = False
        if self.patient_code is None or not self.database_path.exists():
            self._show(None)
            return
        try:
            conn = open_database(self.database_path, readonly=True)
            try:
                effective = effective_programme(conn, self.patient_code)
                if effective is not None:
                    self.is_default = effective.is_default
                    self._fill_form(effective.programme)
                    self.report = weekly_adherence(conn, effective.programme,
                                                   today=self.today())
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
        headers = self.column_headers() + names
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.plots.set_report(report)
        self.pdf_button.setEnabled(report is not None)
        self._show_glance(report)
        if report is None:
            self.table.setRowCount(0)
            self.default_note.setText("")
            self.summary_label.setText(
                _tr("No sessions and no programme for this patient yet: the default "
                    "programme starts with the first session, or enter a start date and "
                    "save.")
                if self.patient_code else _tr("Select a patient."))
            return
        p = report.programme
        self.default_note.setText(
            _tr("Default programme: {n} sessions a week for {weeks} weeks from the first "
                "session ({start}). Change it and save to set this patient's own.").format(
                n=p.sessions_per_week, weeks=p.planned_weeks,
                start=p.start_date.isoformat())
            if self.is_default else "")
        pct = report.session_adherence_pct
        self.summary_label.setText(
            _tr("Sessions done {done} of {planned} planned so far ({pct} %); minutes goal met "
                "in {met} weeks; fitness check at {ref} km/h.").format(
                done=report.sessions_done, planned=report.sessions_planned, pct=fmt_number(pct),
                met=report.weeks_dose_met, ref=fmt_number(report.reference_speed_kmh, 1)))
        marks = {w.week: m for w, m in adherence_strip(report, self.today())}
        over = (WeekMark.FULL, WeekMark.PARTIAL, WeekMark.MISSED)
        self.table.setRowCount(len(report.weeks))
        for r, w in enumerate(report.weeks):
            cells = [
                _tr("baseline") if w.week == 0 else str(w.week),
                w.start.isoformat(),
                f"{w.sessions_done}/{w.sessions_planned}",
                str(w.supervised_done),
                fmt_number(w.minutes_moderate),
                fmt_number(w.minutes_target),
                fmt_number(w.hr_at_ref_speed_bpm) + (" *" if w.hr_at_ref_estimated else ""),
                fmt_number(w.main_speed_kmh, 1),
                fmt_number(w.rpe_mean, 1),
                *[fmt_number(w.scores.get(n), 1) for n in names],
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c > 0:
                    item.setTextAlignment(ALIGN_RIGHT)
                if c == 2 and marks.get(w.week) in (WeekMark.PARTIAL, WeekMark.MISSED):
                    item.setText(text + " ↓")
                if (c == 3 and w.sessions_planned and w.supervised_done == 0
                        and marks.get(w.week) in over):
                    item.setText(text + " !")
                    item.setToolTip(_tr("No supervised session this week"))
                if c == 6 and w.hr_at_ref_estimated:
                    item.setToolTip(_tr("* estimated from the main phase (the check speed "
                                        "was not held steadily)"))
                self.table.setItem(r, c, item)

    def _show_glance(self, report: AdherenceReport | None) -> None:
        """The adherence strip and the "2/3 this week" line."""
        if report is None:
            self.strip.set_marks([])
            self.this_week_label.setText("")
            return
        today = self.today()
        self.strip.set_marks(adherence_strip(report, today))
        week = current_week(report, today)
        p = report.programme
        if week is not None and week.week <= p.planned_weeks:
            self.this_week_label.setText(
                _tr("{done}/{planned} this week (week {week} of {weeks})").format(
                    done=week.sessions_done, planned=week.sessions_planned, week=week.week,
                    weeks=p.planned_weeks))
        elif today < p.start_date:
            self.this_week_label.setText(_tr("Programme not started yet"))
        else:
            self.this_week_label.setText(_tr("Programme completed"))
