"""One past session opened from the history: summary, plot, event log, report and export.

:class:`SessionDetailView` loads a recorded session from the database (read-only, the
connection is closed again at once) and shows its headline numbers, a plot of heart
rate, target, zone and belt speed over the elapsed time, and the event log in words.
Its buttons write the session report PDF (:func:`ui.records.pdf.write_session_pdf`)
and open the export dialog (:class:`ui.records.export_dialog.ExportDialog`) for this
one session.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from runningroom.errors import RunningRoomError
from runningroom.recording.model import EventRecord
from runningroom.records.history import SIMULATED_PREFIX, HistoryRow, history_row
from runningroom.records.store import SessionData, load_session, open_database
from ui import theme
from ui.plots import LocaleAxis
from ui.records.export_dialog import ExportDialog
from ui.records.programme import fmt_number
from ui.texts import alarm_event_text, format_clock, phase_name, quality_name

logger = logging.getLogger(__name__)

#: Session states that start a phase (a phase line in the plot).
_PHASES = ("warmup", "main", "cooldown")


def _tr(text: str) -> str:
    return QCoreApplication.translate("SessionDetailView", text)


def _css(colour: Any) -> str:
    """A theme colour (name, ``QColor`` or RGB tuple) as a CSS colour."""
    return pg.mkColor(colour).name()


def _num(data: Mapping[str, Any], key: str, decimals: int = 1) -> str:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "–"
    return fmt_number(float(value), decimals)


def _state_text(data: Mapping[str, Any]) -> str:
    to = str(data.get("to", ""))
    if to == "preflight":
        return _tr("Session started (waiting for a trusted heart rate)")
    if to in _PHASES:
        return _tr("%1 begins").replace("%1", phase_name(to))
    if to == "paused":
        return _tr("Paused")
    if str(data.get("from", "")) == "paused":
        return _tr("Resumed: %1").replace("%1", phase_name(to))
    return _tr("Session ended: %1").replace("%1", phase_name(to))


def _override_text(event: EventRecord) -> str:
    data = event.data
    command = str(data.get("command", ""))
    if command == "adjust_target":
        return _tr("Therapist changed the target: now %1 bpm from the prescription").replace(
            "%1", _signed(data.get("offset_bpm"))
        )
    if command == "manual_speed":
        return _tr("Therapist set the speed by hand: %1 km/h").replace(
            "%1", _num(data, "speed_kmh")
        )
    if command == "manual_incline":
        return _tr("Therapist set the incline by hand: %1 %").replace(
            "%1", _num(data, "incline_pct")
        )
    if command == "hold":
        return (
            _tr("Therapist held the automatic control")
            if data.get("hold")
            else _tr("Therapist released the automatic control")
        )
    if command == "resume_controller":
        return _tr("Therapist handed the belt back to the automatic control")
    texts = {
        "skip_phase": _tr("Therapist moved on to the next phase"),
        "pause": _tr("Therapist paused the session"),
        "resume": _tr("Therapist resumed the session"),
        "stop": _tr("Therapist stopped the session"),
        "emergency_stop": _tr("EMERGENCY STOP"),
        "hr_failover": _tr("Treadmill heart rate accepted")
        if data.get("accept")
        else _tr("Treadmill heart rate declined"),
        "continue_without_hr": _tr("Therapist continued without heart rate")
        if data.get("enabled")
        else _tr("Heart-rate safety rules apply again"),
    }
    return texts.get(command, event.message)


def _signed(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "–"
    text = fmt_number(abs(float(value)))
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


def _safety_text(event: EventRecord) -> str:
    rule = str(event.data.get("rule", ""))
    texts = {
        "ceiling_step_down": _tr("Safety: belt slowed, heart rate near the safety limit"),
        "ceiling_cooldown": _tr("Safety: on to the cool-down, heart rate above the safety limit"),
        "hr_lost_ramp_down": _tr("Safety: belt slowed to a walking speed, no heart rate"),
        "speed_limit": _tr("Safety: speed kept within the treadmill's limits"),
    }
    return texts.get(rule, event.message)


def _controller_text(event: EventRecord) -> str | None:
    action = str(event.data.get("action", ""))
    if action in ("reseed", "held", "released", "resumed"):
        return None  # the therapist's override or the alarm says it already
    if action == "advisory":
        return _tr("Advisory mode: the treadmill takes no commands, speed set by hand")
    if action == "suspended":
        return _tr("Automatic control paused until the heart rate is trusted again")
    return event.message


def event_text(event: EventRecord) -> str | None:
    """The event in words in the current language; None for purely technical entries.

    Heart-rate signal changes (``hr_quality``) are described too; the view hides them
    unless asked, since a strap produces many.
    """
    kind = event.kind
    data = event.data
    if kind == "state":
        return _state_text(data)
    if kind == "alarm":
        text = alarm_event_text(data, event.message)
        if str(data.get("stage", "raised")) == "raised":
            return _tr("Alarm: %1").replace("%1", text)
        return text
    if kind == "override":
        return _override_text(event)
    if kind == "annotation":
        return _tr("Note: %1").replace("%1", str(data.get("text", event.message)))
    if kind == "rpe":
        return _tr("Effort (Borg 6-20): %1").replace("%1", _num(data, "value", 0))
    if kind == "feeling":
        value = data.get("value")
        shown = f"{int(value):+d}" if isinstance(value, int) else _num(data, "value", 0)
        return _tr("Feeling (-5 to +5): %1").replace("%1", shown)
    if kind == "hr_quality":
        return _tr("Heart-rate signal: %1").replace(
            "%1", quality_name(str(data.get("quality", "")))
        )
    if kind == "safety":
        return _safety_text(event)
    if kind == "controller":
        return _controller_text(event)
    if kind == "command":
        return _tr("Treadmill command failed: %1").replace(
            "%1", str(data.get("error") or event.message)
        )
    if kind == "rejected":
        return _tr("Not carried out: %1").replace("%1", event.message)
    return event.message


class SessionDetailView(QWidget):
    """A recorded session: summary, plot, event log, report (PDF) and export.

    Args:
        database_path: the session database.
        parent: parent widget.

    Attributes:
        data: the session shown (None before :meth:`show_session`).
        row: its history row (headline numbers).
        last_dialog: the export dialog opened last.

    Signals:
        backRequested(): the therapist wants the session list again.
    """

    backRequested = Signal()

    def __init__(self, database_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database_path = database_path
        self.data: SessionData | None = None
        self.row: HistoryRow | None = None
        self.last_dialog: ExportDialog | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.backRequested.emit)
        top.addWidget(self.back_button)
        self.title = QLabel("")
        self.title.setStyleSheet("font-size: 16px; font-weight: bold;")
        top.addWidget(self.title, 1)
        self.pdf_button = QPushButton()
        self.pdf_button.clicked.connect(self._ask_pdf)
        top.addWidget(self.pdf_button)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(lambda: self.open_export_dialog())
        top.addWidget(self.export_button)
        layout.addLayout(top)

        self.summary_grid = QGridLayout()
        self.summary_grid.setHorizontalSpacing(18)
        self.summary_names: list[QLabel] = []
        self.summary_values: list[QLabel] = []
        for i in range(10):
            name, value = QLabel(), QLabel()
            name.setStyleSheet("color: #555555;")
            value.setStyleSheet("font-size: 15px; font-weight: bold;")
            self.summary_names.append(name)
            self.summary_values.append(value)
            self.summary_grid.addWidget(name, 0, i)
            self.summary_grid.addWidget(value, 1, i)
        layout.addLayout(self.summary_grid)
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        layout.addWidget(self.notes)

        splitter = QSplitter(Qt.Orientation.Vertical)
        plot_box = QWidget()
        plot_layout = QVBoxLayout(plot_box)
        plot_layout.setContentsMargins(0, 0, 0, 0)
        self.legend = QLabel()
        plot_layout.addWidget(self.legend)
        self.graphics = pg.GraphicsLayoutWidget()
        plot_layout.addWidget(self.graphics, 1)
        self.graphics.setMinimumHeight(240)
        self.hr_plot = self.graphics.addPlot(
            row=0, col=0, axisItems={"left": LocaleAxis("left"), "bottom": LocaleAxis("bottom")}
        )
        self.speed_plot = self.graphics.addPlot(
            row=1, col=0, axisItems={"left": LocaleAxis("left"), "bottom": LocaleAxis("bottom")}
        )
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 1)
        self.speed_plot.setXLink(self.hr_plot)
        for plot in (self.hr_plot, self.speed_plot):
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.setMenuEnabled(False)
        self.zone_low = self.hr_plot.plot(pen=pg.mkPen(theme.GREEN, width=1))
        self.zone_high = self.hr_plot.plot(pen=pg.mkPen(theme.GREEN, width=1))
        self.zone_band = pg.FillBetweenItem(
            self.zone_low, self.zone_high, brush=pg.mkBrush(*theme.ZONE_BAND_RGBA)
        )
        self.hr_plot.addItem(self.zone_band)
        self.target_curve = self.hr_plot.plot(
            pen=pg.mkPen(theme.TARGET_PEN, width=2, style=Qt.PenStyle.DotLine)
        )
        self.hr_curve = self.hr_plot.plot(pen=pg.mkPen(theme.HR_PEN, width=2))
        self.speed_curve = self.speed_plot.plot(pen=pg.mkPen(theme.SPEED_PEN, width=2))
        self._phase_lines: list[pg.InfiniteLine] = []
        splitter.addWidget(plot_box)

        log = QWidget()
        log_layout = QVBoxLayout(log)
        log_layout.setContentsMargins(0, 0, 0, 0)
        log_top = QHBoxLayout()
        self.log_title = QLabel()
        self.log_title.setStyleSheet("font-weight: bold;")
        log_top.addWidget(self.log_title)
        log_top.addStretch(1)
        self.show_signal = QCheckBox()
        self.show_signal.toggled.connect(self._fill_log)
        log_top.addWidget(self.show_signal)
        log_layout.addLayout(log_top)
        self.log = QTableWidget(0, 2)
        self.log.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.log.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.log.verticalHeader().setVisible(False)
        self.log.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.log.horizontalHeader().setStretchLastSection(True)
        log_layout.addWidget(self.log)
        splitter.addWidget(log)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.retranslate()

    # ---- i18n ----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible string in the current language."""
        self.back_button.setText(_tr("← Back to the sessions"))
        self.pdf_button.setText(_tr("Report (PDF)…"))
        self.export_button.setText(_tr("Export this session…"))
        self.log_title.setText(_tr("What happened"))
        self.show_signal.setText(_tr("Show heart-rate signal changes"))
        self.log.setHorizontalHeaderLabels([_tr("Time (elapsed)"), _tr("Event")])
        self.hr_plot.setLabel("left", _tr("HR (bpm)"))
        self.speed_plot.setLabel("left", _tr("km/h"))
        self.speed_plot.setLabel("bottom", _tr("elapsed time (min)"))
        self.legend.setText(
            f'<span style="color:{_css(theme.HR_PEN)}">━ {_tr("heart rate")}</span>'
            f'&nbsp;&nbsp;&nbsp;<span style="color:{_css(theme.TARGET_PEN)}">┅ '
            f"{_tr('target')}</span>&nbsp;&nbsp;&nbsp;"
            f'<span style="color:{_css(theme.GREEN)}">▮ {_tr("target zone")}</span>'
            f'&nbsp;&nbsp;&nbsp;<span style="color:{_css(theme.SPEED_PEN)}">━ '
            f"{_tr('belt speed (km/h)')}</span>"
        )
        for axis in ("left", "bottom"):
            for plot in (self.hr_plot, self.speed_plot):
                item = plot.getAxis(axis)
                if isinstance(item, LocaleAxis):
                    item.refresh_locale()
        if self.data is not None:
            self._fill()

    # ---- data ----------------------------------------------------------------------------

    def show_session(self, session_id: int) -> bool:
        """Load and show one session; False (with a message) when it cannot be read."""
        try:
            conn = open_database(self.database_path, readonly=True)
            try:
                data = load_session(conn, session_id)
                row = history_row(conn, data.meta)
            finally:
                conn.close()
        except (RunningRoomError, sqlite3.DatabaseError) as exc:
            logger.warning("cannot open session %s: %s", session_id, exc)
            self.status.setText(_tr("Cannot open the session: {error}").format(error=exc))
            return False
        self.data, self.row = data, row
        self.status.setText("")
        self._fill()
        return True

    @property
    def session_id(self) -> int | None:
        """The id of the session shown."""
        return None if self.data is None else self.data.meta.session_id

    def event_rows(self) -> list[tuple[str, str]]:
        """The event log as shown: ``(elapsed m:ss, text)`` rows."""
        if self.data is None:
            return []
        rows = []
        for event in self.data.events:
            if event.kind == "hr_quality" and not self.show_signal.isChecked():
                continue
            text = event_text(event)
            if text:
                rows.append((format_clock(event.t_s), text))
        return rows

    # ---- view ----------------------------------------------------------------------------

    def _fill(self) -> None:
        assert self.data is not None and self.row is not None
        meta, row = self.data.meta, self.row
        local = meta.started_at.astimezone()
        self.title.setText(
            _tr("{code} · {date} · {template} · {status}").format(
                code=meta.patient_code,
                date=local.strftime("%Y-%m-%d %H:%M"),
                template=meta.template_name or "–",
                status=phase_name(meta.status),
            )
            + (
                " · " + _tr("simulated")
                if str(meta.devices.get("treadmill", "")).startswith(SIMULATED_PREFIX)
                else ""
            )
        )
        summary = meta.summary
        main = summary.get("phases", {}).get("main") if isinstance(summary, dict) else None
        main_pct = main.get("time_in_zone_pct") if isinstance(main, dict) else None
        items = [
            (_tr("Duration"), format_clock(row.duration_s)),
            (_tr("Moderate (min)"), fmt_number(row.minutes_moderate, 1)),
            (
                _tr("In zone, main phase"),
                "–"
                if not isinstance(main_pct, (int, float))
                else fmt_number(float(main_pct)) + " %",
            ),
            (_tr("Avg HR (bpm)"), fmt_number(row.avg_hr_bpm)),
            (_tr("Max HR (bpm)"), fmt_number(row.max_hr_bpm)),
            (
                _tr("Distance (km)"),
                fmt_number(None if row.distance_m is None else row.distance_m / 1000, 2),
            ),
            (_tr("RPE"), fmt_number(row.rpe)),
            (
                _tr("Feeling"),
                "–" if row.feeling is None else f"{row.feeling:+.0f}",
            ),
            (_tr("Alarms"), str(row.alarms)),
            (_tr("Supervised"), _tr("yes") if row.supervised else _tr("no")),
        ]
        for (name, value), name_label, value_label in zip(
            items, self.summary_names, self.summary_values, strict=True
        ):
            name_label.setText(name)
            value_label.setText(value)
        notes = [e.data.get("text", e.message) for e in self.data.events if e.kind == "annotation"]
        self.notes.setText(
            _tr("Notes: %1").replace("%1", " · ".join(str(n) for n in notes)) if notes else ""
        )
        self._fill_plot()
        self._fill_log()

    def _fill_plot(self) -> None:
        assert self.data is not None
        samples = self.data.samples
        t_min = np.array([s.t_s / 60.0 for s in samples], dtype=float)

        def column(values: list[float | None]) -> np.ndarray:
            return np.array([np.nan if v is None else v for v in values], dtype=float)

        hr = column([s.hr_filtered_bpm for s in samples])
        self.hr_curve.setData(t_min, hr, connect="finite")
        self.target_curve.setData(t_min, column([s.target_bpm for s in samples]))
        self.zone_low.setData(t_min, column([s.zone_low_bpm for s in samples]))
        self.zone_high.setData(t_min, column([s.zone_high_bpm for s in samples]))
        speed = column([s.speed_meas_kmh for s in samples])
        self.speed_curve.setData(t_min, speed, connect="finite")
        for line in self._phase_lines:
            self.hr_plot.removeItem(line)
        self._phase_lines = []
        for event in self.data.events:
            to = str(event.data.get("to", ""))
            if event.kind == "state" and to in _PHASES:
                line = pg.InfiniteLine(
                    pos=event.t_s / 60.0,
                    angle=90,
                    pen=pg.mkPen("#444444", width=1, style=Qt.PenStyle.DashLine),
                    label=phase_name(to),
                    labelOpts={"position": 0.95, "color": "#333333", "anchors": [(0, 0), (0, 0)]},
                )
                self.hr_plot.addItem(line)
                self._phase_lines.append(line)
        if len(t_min):
            self.hr_plot.setXRange(0.0, float(t_min[-1]), padding=0.01)
            values = [
                v
                for v in (
                    *hr,
                    *(s.zone_low_bpm for s in samples),
                    *(s.zone_high_bpm for s in samples),
                )
                if np.isfinite(v)
            ]
            if values:
                self.hr_plot.setYRange(min(values) - 5, max(values) + 5, padding=0)
            finite = speed[np.isfinite(speed)]
            self.speed_plot.setYRange(
                0.0, max(1.0, float(finite.max()) if finite.size else 1.0) * 1.15, padding=0
            )

    def _fill_log(self) -> None:
        rows = self.event_rows()
        self.log.setRowCount(len(rows))
        for r, (when, text) in enumerate(rows):
            time_item = QTableWidgetItem(when)
            time_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.log.setItem(r, 0, time_item)
            self.log.setItem(r, 1, QTableWidgetItem(text))

    # ---- report and export ------------------------------------------------------------------

    def _ask_pdf(self) -> None:
        if self.data is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self,
            _tr("Session report"),
            f"{self.data.meta.patient_code}_session{self.data.meta.session_id}.pdf",
            "PDF (*.pdf)",
        )
        if name:
            self.write_pdf(Path(name))

    def write_pdf(self, path: Path, include_name: bool = False) -> Path | None:
        """Write this session's report PDF to ``path``; None (with a message) on failure."""
        if self.data is None or self.row is None:
            return None
        from ui.records.pdf import write_session_pdf

        try:
            written = write_session_pdf(self.data, self.row, path, include_name=include_name)
        except RunningRoomError as exc:
            self.status.setText(_tr("Report not written: {error}").format(error=exc))
            return None
        self.status.setText(_tr("Report written to {path}").format(path=written))
        return written

    def open_export_dialog(self, show: bool = True) -> ExportDialog | None:
        """Open the export dialog for this session (non-modal); None when none is shown."""
        if self.data is None:
            return None
        dialog = ExportDialog(self.database_path, [self.data.meta.session_id], parent=self)
        self.last_dialog = dialog
        if show:
            dialog.open()
        return dialog
