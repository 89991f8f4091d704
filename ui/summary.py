"""Session summary view.

After the session: each phase as what it is (the main phase by its time in the zone, the
warm-up and cool-down by their duration and how the HR moved), minutes at moderate
intensity, average and max HR, distance, alarms, RPE trend, the therapist's notes and
adjustments (overrides) in time order with their session times, with the whole-session
plot.
"""

from __future__ import annotations

import logging
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from runningroom.recording.model import EventRecord
from runningroom.session.model import SessionState
from ui import theme
from ui.plots import SessionHistory, _HrPlot, locale_axes
from ui.records.log_texts import event_text
from ui.session_forms import SessionFormsSection
from ui.texts import NO_VALUE, alarm_name, fmt, format_clock, phase_name

logger = logging.getLogger(__name__)


def summary_dict(summary: Any) -> dict[str, Any]:
    """The summary as a dict (``SessionSummary.to_dict()``, a dict, or empty)."""
    if summary is None:
        return {}
    if isinstance(summary, dict):
        return summary
    to_dict = getattr(summary, "to_dict", None)
    if callable(to_dict):
        result = to_dict()
        if isinstance(result, dict):
            return result
    return {}


class SummaryView(QWidget):
    """Shows one finished session."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: dict[str, Any] = {}
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.totals_box = QGroupBox()
        self.totals = QGridLayout(self.totals_box)
        self.phases_box = QGroupBox()
        self.phases = QGridLayout(self.phases_box)
        self.rpe_box = QGroupBox()
        self.rpe_label = QLabel()
        self.rpe_label.setWordWrap(True)
        rpe_layout = QVBoxLayout(self.rpe_box)
        rpe_layout.addWidget(self.rpe_label)
        self.notes_box = QGroupBox()
        self.notes_box.setObjectName("notes")
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        notes_layout = QVBoxLayout(self.notes_box)
        notes_layout.addWidget(self.notes_label)
        right = QVBoxLayout()
        right.addWidget(self.rpe_box)
        right.addWidget(self.notes_box, 1)
        self.graphics = pg.GraphicsLayoutWidget()
        self.plot_item = self.graphics.addPlot(axisItems=locale_axes())
        self.plot_item.setMouseEnabled(x=False, y=False)
        self.plot_item.hideButtons()
        self.hr_plot = _HrPlot(self.plot_item, show_raw=False)
        self.speed_item = self.graphics.addPlot(row=1, col=0, axisItems=locale_axes())
        self.speed_item.setMaximumHeight(120)
        self.speed_item.setXLink(self.plot_item)
        self.speed_item.setMouseEnabled(x=False, y=False)
        self.speed_item.hideButtons()
        self.speed_curve = self.speed_item.plot(pen=pg.mkPen(theme.SPEED_PEN, width=2))
        self.incline_curve = self.speed_item.plot(pen=pg.mkPen(theme.INCLINE_PEN, width=2))
        top = QHBoxLayout()
        top.addWidget(self.totals_box, 1)
        top.addWidget(self.phases_box, 1)
        top.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        self.forms = SessionFormsSection()  # check-in and post-session form
        layout.addWidget(self.forms)
        layout.addWidget(self.graphics, 1)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_summary(self, summary: Any, history: SessionHistory | None) -> None:
        """Show ``summary`` (SessionSummary or dict) and the plot of ``history``."""
        self.data = summary_dict(summary)
        if history is not None and len(history):
            self.hr_plot.update(history)
            x = history.column("x_min")
            self.speed_curve.setData(x, history.column("speed_meas"), connect="finite")
            self.incline_curve.setData(x, history.column("incline_meas"), connect="finite")
            self.plot_item.enableAutoRange()
        self.retranslate()

    def retranslate(self) -> None:
        """Set every visible string in the current language."""
        d = self.data
        status = d.get("status")
        self.title.setText(
            self.tr("Session summary") + (f": {phase_name(str(status))}" if status else "")
        )
        self.totals_box.setTitle(self.tr("Totals"))
        self.phases_box.setTitle(self.tr("Phases"))
        self.rpe_box.setTitle(self.tr("RPE and feeling"))
        self.plot_item.setLabel("left", self.tr("HR (bpm)"))
        self.speed_item.setLabel("left", self.tr("km/h, %"))
        self.speed_item.setLabel("bottom", self.tr("min"))
        self._fill_totals(d)
        self._fill_phases(d)
        rpe = d.get("rpe") or []
        feeling = d.get("feeling") or []
        # "12 (10:06)": the rating, then the session time it was given at
        rpe_text = ", ".join(f"{v} ({format_clock(float(t))})" for t, v in rpe) or "--"
        feeling_text = ", ".join(f"{v:+d} ({format_clock(float(t))})" if isinstance(v, int)
                                 else f"{v} ({format_clock(float(t))})" for t, v in feeling)
        self.rpe_label.setText(
            self.tr("RPE: %1").replace("%1", rpe_text) + "\n"
            + self.tr("Feeling: %1").replace("%1", feeling_text or "--")
        )
        self.notes_box.setTitle(self.tr("Notes and therapist adjustments"))
        self.notes_label.setText("\n".join(self.notes_lines()) or NO_VALUE)

    def notes_lines(self) -> list[str]:
        """The notes and overrides in time order: ``+20:00  Note: ...``, ``+21:10  Speed ...``.

        Overrides are worded as in the report log; an entry without a readable time or
        text is left out.
        """
        d = self.data
        timed: list[tuple[float, str]] = []
        for item in d.get("notes") or []:
            try:
                t_s, text = float(item[0]), str(item[1])
            except (TypeError, ValueError, IndexError):
                continue
            timed.append((t_s, self.tr("Note: %1").replace("%1", text)))
        for entry in d.get("override_log") or []:
            if not isinstance(entry, dict):
                continue
            try:
                t_s = float(entry.get("t_s"))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                continue
            data = dict(entry.get("data") or {})
            data["command"] = entry.get("command", "")
            event = EventRecord(t_s, "override", "therapist", str(entry.get("message", "")),
                                data)
            timed.append((t_s, event_text(event)))
        timed.sort(key=lambda pair: pair[0])  # stable: a note before an override at one time
        return [f"+{format_clock(t_s)}  {text}" for t_s, text in timed]

    def _fill_totals(self, d: dict[str, Any]) -> None:
        _clear_grid(self.totals)
        kinds = d.get("alarm_kinds") or []
        rows = [
            (self.tr("Duration"), format_clock(float(d.get("duration_s") or 0.0))),
            (self.tr("Minutes at moderate intensity"), fmt(d.get("minutes_moderate"), 1)),
            (self.tr("Time in zone after entry"),
             fmt(d.get("time_in_zone_pct_after_entry"), 0) + " %"),
            (self.tr("Zone entry after"),
             format_clock(float(d["entry_time_s"])) if d.get("entry_time_s") is not None
             else "--"),
            (self.tr("RMS error (main)"), fmt(d.get("rmse_bpm"), 1) + " " + self.tr("bpm")),
            (self.tr("Average HR"), fmt(d.get("avg_hr_bpm"), 0) + " " + self.tr("bpm")),
            (self.tr("Maximum HR"), fmt(d.get("max_hr_bpm"), 0) + " " + self.tr("bpm")),
            (self.tr("Distance"), fmt((d.get("distance_m") or 0.0) / 1000.0, 2) + " km"),
            (self.tr("Alarms"), str(d.get("alarms", 0))
             + (f" ({', '.join(alarm_name(str(k)) for k in kinds)})" if kinds else "")),
            (self.tr("Therapist overrides"), str(d.get("overrides", 0))),
        ]
        for i, (name, value) in enumerate(rows):
            self.totals.addWidget(QLabel(name), i, 0)
            v = QLabel(value)
            v.setObjectName(f"total:{i}")
            v.setAlignment(Qt.AlignmentFlag.AlignRight)
            v.setStyleSheet("font-weight: bold;")
            self.totals.addWidget(v, i, 1)

    def _fill_phases(self, d: dict[str, Any]) -> None:
        _clear_grid(self.phases)
        phases = d.get("phases") or {}
        self.phases.addWidget(QLabel(self.tr("Phase")), 0, 0)
        self.phases.addWidget(QLabel(self.tr("Duration")), 0, 1)
        self.phases.addWidget(QLabel(self.tr("Result")), 0, 2)
        for row, key in enumerate(("warmup", "main", "cooldown"), start=1):
            p = phases.get(key) or {}
            self.phases.addWidget(QLabel(phase_name(SessionState(key))), row, 0)
            self.phases.addWidget(QLabel(format_clock(float(p.get("duration_s") or 0.0))),
                                  row, 1)
            result = QLabel(self.phase_result(key, p))
            result.setObjectName(f"phase:{key}")
            self.phases.addWidget(result, row, 2)

    def phase_result(self, key: str, p: dict[str, Any]) -> str:
        """The main phase's time in zone; a warm-up's or cool-down's HR from start to end.

        The warm-up and cool-down are meant to move the HR towards and away from the
        zone, so their time in the main zone is not shown.
        """
        if key == "main":
            if not p.get("duration_s"):
                return NO_VALUE
            return self.tr("%1 % in zone").replace("%1", fmt(p.get("time_in_zone_pct"), 0))
        start, end = p.get("hr_start_bpm"), p.get("hr_end_bpm")
        if start is None or end is None:
            return NO_VALUE
        return (self.tr("HR %1 \u2192 %2 bpm")
                .replace("%1", fmt(start, 0)).replace("%2", fmt(end, 0)))


def _clear_grid(grid: QGridLayout) -> None:
    while grid.count():
        item = grid.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()
