"""PDF reports drawn with Qt's own PDF output (QPdfWriter + QPainter, no PDF library).

* Session report for the patient file (A4, usually one or two pages): the clinic's
  name (setting ``clinic/name``, :func:`ui.settings.clinic_name`), patient code (name
  only when asked), age, resting HR, medication and beta-blocker, date, template,
  therapist, prescription and zone with its source, the HR/speed plot with the phases
  and the zone band, time in zone per phase, headline numbers, alarms and overrides in
  words, RPE/Feeling entries (Feeling with its sign), the therapist's annotations and
  the conclusion/plan. Session times are elapsed times, written ``+12:30``. Every text
  is in the current language (:mod:`ui.i18n`).
* Programme report: programme settings, weekly adherence table (sessions, supervised,
  dose vs target, HR at the reference speed, main-phase speed, RPE, questionnaire
  scores) and plots of the dose and of the fitness/RPE trends.

Every page of a PDF file has a footer with the clinic, the patient code and "page 1
of 2".

The drawing functions take any ``QPaintDevice`` page rectangle, so the same code
renders previews into a ``QImage`` (and tests check the pixels). Files are written to
an owner-only temporary file and renamed into place.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QPicture,
)
from PySide6.QtWidgets import QApplication

from runningroom.errors import ExportError
from runningroom.records.files import ensure_private_dir
from runningroom.records.history import HistoryRow, history_row
from runningroom.records.programme import AdherenceReport
from runningroom.records.session_notes import patient_details, session_notes, signed
from runningroom.records.store import SessionData, load_session
from ui.records.log_texts import event_text
from ui.texts import fmt, hrmax_source_name, phase_name

logger = logging.getLogger(__name__)

#: Resolution of the PDF coordinate system (dots per inch).
PDF_DPI = 144
PHASE_COLOURS = {
    "warmup": QColor(255, 236, 179),
    "main": QColor(220, 237, 200),
    "cooldown": QColor(187, 222, 251),
}
HR_COLOUR = QColor(198, 40, 40)
SPEED_COLOUR = QColor(21, 101, 192)
INCLINE_COLOUR = QColor(123, 31, 162)
ZONE_COLOUR = QColor(76, 175, 80, 70)
GRID_COLOUR = QColor(210, 210, 210)
TEXT_COLOUR = QColor(20, 20, 20)
MUTED_COLOUR = QColor(110, 110, 110)

_app: QApplication | None = None


def ensure_gui_app() -> None:
    """Make sure a Qt application exists (offscreen when there is no display).

    A ``QApplication`` (not just a ``QGuiApplication``) is created so widgets can be
    used later in the same process.
    """
    global _app
    if QGuiApplication.instance() is not None:
        return
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QApplication([])


def _tr(text: str) -> str:
    return QCoreApplication.translate("SessionReport", text)


def _mmss(t_s: float) -> str:
    t = max(0, round(t_s))
    return f"{t // 60:d}:{t % 60:02d}"


def _elapsed(t_s: float) -> str:
    """Session time marked as elapsed since the start: ``+12:30``."""
    return "+" + _mmss(t_s)


def _f(value: object, decimals: int = 0, unit: str = "") -> str:
    """A number in the current locale (decimal comma in Dutch); "–" when missing."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "–"
    return fmt(float(value), decimals) + unit


class _Flow:
    """Top-to-bottom text layout on pages with automatic page breaks."""

    def __init__(self, painter: QPainter, page: QRectF, new_page: Callable[[], None] | None):
        self.p = painter
        self.page = page
        self.y = page.top()
        self._new_page = new_page
        self.scale = page.width() / 1000.0  # layout unit: 1/1000 of the text width

    def font(self, size_pt: float, bold: bool = False) -> QFont:
        font = QFont("DejaVu Sans")
        font.setPixelSize(max(1, round(size_pt * self.scale * 2.0)))
        font.setBold(bold)
        return font

    def ensure(self, height: float) -> bool:
        """Start a new page when ``height`` does not fit; False when it cannot."""
        if self.y + height <= self.page.bottom():
            return True
        if self._new_page is None:
            return False
        self._new_page()
        self.y = self.page.top()
        return True

    def text(self, text: str, size_pt: float = 10, bold: bool = False,
             colour: QColor = TEXT_COLOUR, indent: float = 0.0) -> None:
        font = self.font(size_pt, bold)
        metrics = QFontMetricsF(font)
        rect = QRectF(self.page.left() + indent * self.scale, 0,
                      self.page.width() - indent * self.scale, 10_000)
        bound = metrics.boundingRect(rect, int(Qt.TextFlag.TextWordWrap), text)
        if not self.ensure(bound.height()):
            return
        self.p.setFont(font)
        self.p.setPen(colour)
        target = QRectF(rect.left(), self.y, rect.width(), bound.height())
        self.p.drawText(target, int(Qt.TextFlag.TextWordWrap), text)
        self.y += bound.height()

    def gap(self, units: float = 10) -> None:
        self.y += units * self.scale

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]],
              widths: Sequence[float], size_pt: float = 8.5) -> None:
        """Draw a simple table; ``widths`` are fractions of the text width."""
        font = self.font(size_pt)
        bold = self.font(size_pt, True)
        line_h = QFontMetricsF(font).height() * 1.35
        xs = [self.page.left()]
        for w in widths:
            xs.append(xs[-1] + w * self.page.width())

        def draw_row(cells: Sequence[str], header_row: bool) -> None:
            self.p.setFont(bold if header_row else font)
            self.p.setPen(TEXT_COLOUR)
            for i, cell in enumerate(cells):
                r = QRectF(xs[i] + 2 * self.scale, self.y, xs[i + 1] - xs[i] - 4 * self.scale,
                           line_h)
                align = Qt.AlignmentFlag.AlignVCenter | (
                    Qt.AlignmentFlag.AlignLeft if i == 0 else Qt.AlignmentFlag.AlignRight)
                self.p.drawText(r, int(align), cell)
            self.y += line_h
            self.p.setPen(QPen(GRID_COLOUR, max(1.0, self.scale)))
            self.p.drawLine(QPointF(xs[0], self.y), QPointF(xs[-1], self.y))

        if not self.ensure(line_h * 2):
            return
        draw_row(header, True)
        for row in rows:
            if not self.ensure(line_h):
                return
            if self.y == self.page.top():
                draw_row(header, True)
            draw_row(row, False)


# ---- session report ----------------------------------------------------------------------


def _polyline(points: Sequence[tuple[float, float | None]], x_of: Callable[[float], float],
              y_of: Callable[[float], float]) -> QPainterPath:
    """A path through ``(t_s, value)`` points, broken where the value is None.

    Interior points of runs of equal values are skipped (same drawing, smaller PDF).
    """
    path = QPainterPath()
    first = True
    n = len(points)
    for k, (t_s, value) in enumerate(points):
        if value is None:
            first = True
            continue
        if first:
            path.moveTo(x_of(t_s), y_of(value))
            first = False
        elif (0 < k < n - 1 and value == points[k - 1][1] and value == points[k + 1][1]):
            continue
        else:
            path.lineTo(x_of(t_s), y_of(value))
    return path


def phase_label_boxes(plot: QRectF, bands: Sequence[tuple[str, float, float]],
                      metrics: QFontMetricsF) -> list[tuple[str, QRectF]]:
    """Where each phase's name goes over its band: whole, inside the plot, no overlaps.

    Args:
        plot: the plot rectangle.
        bands: ``(phase, x0, x1)`` per phase band, left to right.
        metrics: the label font's metrics.

    Returns:
        ``(translated name, box)`` per band. A name wider than its band is centred on
        it as far as the plot allows; one that would overlap the previous name on the
        first line goes on a second line.
    """
    line_h = metrics.height() * 1.15
    pad = metrics.horizontalAdvance(" ")
    last_right = [-1e9, -1e9]  # right edge of the last label on each line
    boxes = []
    for phase, x0, x1 in bands:
        label = phase_name(phase)
        width = metrics.horizontalAdvance(label) + pad
        left = (x0 + x1) / 2 - width / 2
        left = max(plot.left(), min(left, plot.right() - width))
        line = 0 if left >= last_right[0] else 1
        last_right[line] = left + width
        boxes.append((label, QRectF(left, plot.top() + line * line_h, width, line_h)))
    return boxes


def _draw_phase_labels(p: QPainter, plot: QRectF, bands: Sequence[tuple[str, float, float]],
                       metrics: QFontMetricsF) -> None:
    flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter
                | Qt.TextFlag.TextDontClip)
    for label, box in phase_label_boxes(plot, bands, metrics):
        p.drawText(box, flags, label)


def _draw_session_plot(p: QPainter, area: QRectF, data: SessionData, scale: float) -> None:
    samples = data.samples
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(1, round(15 * scale)))
    p.setFont(font)
    metrics = QFontMetricsF(font)
    left_pad = metrics.horizontalAdvance("200") + 12 * scale
    plot = area.adjusted(left_pad, 8 * scale, -left_pad, -metrics.height() * 3.4)
    p.setPen(QPen(MUTED_COLOUR, max(1.0, scale)))
    p.drawRect(plot)
    if not samples:
        p.drawText(plot, int(Qt.AlignmentFlag.AlignCenter), _tr("no samples recorded"))
        return
    t_end = max(samples[-1].t_s, 1.0)
    hr_values = [s.hr_filtered_bpm for s in samples if s.hr_filtered_bpm is not None]
    zone_lo = min(s.zone_low_bpm for s in samples)
    zone_hi = max(s.zone_high_bpm for s in samples)
    hr_min = min([*hr_values, zone_lo]) - 5
    hr_max = max([*hr_values, zone_hi]) + 5
    speeds = [s.speed_meas_kmh for s in samples if s.speed_meas_kmh is not None]
    inclines = [s.incline_meas_pct for s in samples if s.incline_meas_pct is not None]
    show_incline = any(abs(v) > 0.05 for v in inclines)
    sp_max = max([*speeds, *(inclines if show_incline else []), 1.0]) * 1.15

    left, bottom = plot.left(), plot.bottom()
    x_per_s = plot.width() / t_end
    y_per_bpm = plot.height() / (hr_max - hr_min)
    y_per_kmh = plot.height() / sp_max

    def x_of(t_s: float) -> float:
        return left + x_per_s * t_s

    def y_hr(v: float) -> float:
        return bottom - y_per_bpm * (v - hr_min)

    def y_sp(v: float) -> float:
        return bottom - y_per_kmh * v

    # phases as background bands with labels
    bands: list[tuple[str, float, float]] = []
    start_i = 0
    for i in range(1, len(samples) + 1):
        if i == len(samples) or samples[i].phase != samples[start_i].phase:
            phase = samples[start_i].phase
            x0, x1 = x_of(samples[start_i].t_s), x_of(samples[i - 1].t_s)
            p.fillRect(QRectF(x0, plot.top(), max(x1 - x0, 1.0), plot.height()),
                       PHASE_COLOURS.get(phase, QColor(238, 238, 238)))
            bands.append((phase, x0, x1))
            start_i = i
    p.setPen(MUTED_COLOUR)
    _draw_phase_labels(p, plot, bands, metrics)
    # zone band (follows target changes)
    band = _polyline([(s.t_s, s.zone_high_bpm) for s in samples], x_of, y_hr)
    lower = _polyline([(s.t_s, s.zone_low_bpm) for s in reversed(samples)], x_of, y_hr)
    for k in range(lower.elementCount()):
        element = lower.elementAt(k)
        band.lineTo(element.x, element.y)
    band.closeSubpath()
    p.fillPath(band, QBrush(ZONE_COLOUR))
    # grid and axes labels
    p.setPen(QPen(GRID_COLOUR, max(1.0, scale * 0.8)))
    step_min = 5 if t_end <= 3600 else 10
    t = 0.0
    while t <= t_end:
        x = x_of(t)
        p.setPen(QPen(GRID_COLOUR, max(1.0, scale * 0.8)))
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        p.setPen(MUTED_COLOUR)
        p.drawText(QRectF(x - 40 * scale, plot.bottom() + 2 * scale, 80 * scale,
                          metrics.height()), int(Qt.AlignmentFlag.AlignHCenter),
                   f"{t / 60:.0f}")
        t += step_min * 60
    p.drawText(QRectF(plot.left(), plot.bottom() + metrics.height() * 1.1, plot.width(),
                      metrics.height() * 1.2), int(Qt.AlignmentFlag.AlignHCenter),
               _tr("time since the start (min)"))
    hr_step = 10
    v = (int(hr_min) // hr_step + 1) * hr_step
    while v < hr_max:
        y = y_hr(v)
        p.setPen(HR_COLOUR)
        p.drawText(QRectF(area.left(), y - metrics.height() / 2, left_pad - 6 * scale,
                          metrics.height()), int(Qt.AlignmentFlag.AlignRight), f"{v}")
        v += hr_step
    sp = 0.0
    while sp < sp_max:
        p.setPen(SPEED_COLOUR)
        p.drawText(QRectF(plot.right() + 6 * scale, y_sp(sp) - metrics.height() / 2,
                          left_pad, metrics.height()), int(Qt.AlignmentFlag.AlignLeft),
                   fmt(sp, 0))
        sp += 2.0 if sp_max > 8 else 1.0
    # incline, speed and HR lines (gaps where a value is missing or HR untrusted)
    p.setBrush(Qt.BrushStyle.NoBrush)
    if show_incline:
        p.setPen(QPen(INCLINE_COLOUR, 1.8 * scale, Qt.PenStyle.DashLine))
        p.drawPath(_polyline([(s.t_s, s.incline_meas_pct) for s in samples], x_of, y_sp))
    p.setPen(QPen(SPEED_COLOUR, 2.0 * scale))
    p.drawPath(_polyline([(s.t_s, s.speed_meas_kmh) for s in samples], x_of, y_sp))
    p.setPen(QPen(HR_COLOUR, 2.2 * scale))
    p.drawPath(_polyline([(s.t_s, s.hr_filtered_bpm if s.hr_quality in ("ok",
                           "low_quality_source") else None) for s in samples], x_of, y_hr))
    # alarm markers
    for e in data.events:
        if e.kind == "alarm" and e.data.get("stage", "raised") == "raised":
            x = x_of(e.t_s)
            p.setPen(QPen(QColor(230, 81, 0), 2.0 * scale, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
    # legend
    p.setPen(MUTED_COLOUR)
    legend = QRectF(plot.left(), area.bottom() - metrics.height() * 1.1, plot.width(),
                    metrics.height())
    p.setPen(HR_COLOUR)
    p.drawText(legend, int(Qt.AlignmentFlag.AlignLeft), "— " + _tr("heart rate (bpm, left)"))
    p.setPen(SPEED_COLOUR)
    p.drawText(legend, int(Qt.AlignmentFlag.AlignHCenter),
               "— " + _tr("belt speed (km/h, right)")
               + ("   - - " + _tr("incline (%, right)") if show_incline else ""))
    p.setPen(QColor(56, 142, 60))
    p.drawText(legend, int(Qt.AlignmentFlag.AlignRight),
               "▮ " + _tr("target zone") + "   ¦ " + _tr("alarm"))


def _beta_blocker_line(value: bool | None) -> str:
    if value is None:
        return _tr("β-blocker: not recorded")
    if value:
        return _tr("β-blocker: yes. The heart rate responds less to effort; RPE is used "
                   "alongside it.")
    return _tr("β-blocker: no")


def _status_text(status: str) -> str:
    return phase_name(status) if status != "running" else _tr("still recording")


def draw_session_report(painter: QPainter, page: QRectF, data: SessionData, row: HistoryRow,
                        *, include_name: bool = False, clinic: str = "",
                        new_page: Callable[[], None] | None = None) -> None:
    """Draw a session report into ``page`` (device coordinates), in the current language.

    Args:
        painter: an active painter (PDF writer or image).
        page: the printable rectangle.
        data: the session.
        row: its history row (headline numbers).
        include_name: print the display name beside the code.
        clinic: the clinic's name for the header ("" = none).
        new_page: starts a new page (PDF); None = clip to one page (previews).
    """
    meta = data.meta
    flow = _Flow(painter, page, new_page)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    notes = session_notes(data)
    patient = patient_details(data)
    who = meta.patient_code
    name = meta.profile.get("display_name")
    if include_name and isinstance(name, str) and name:
        who = f"{who} — {name}"
    local = meta.started_at.astimezone()
    if clinic:
        flow.text(clinic, 12, bold=True, colour=MUTED_COLOUR)
    flow.text(_tr("Session report"), 16, bold=True)
    flow.text(_tr("Patient %1").replace("%1", who), 12, bold=True)
    details = [
        _tr("Age %1").replace("%1", str(patient.age_years)) if patient.age_years else None,
        _tr("resting HR %1 bpm").replace("%1", _f(patient.resting_hr_bpm))
        if patient.resting_hr_bpm is not None else None,
        _tr("medication: %1").replace("%1", patient.medication or _tr("none recorded")),
    ]
    flow.text(" · ".join(d for d in details if d), 10)
    flow.text(_beta_blocker_line(patient.beta_blocker), 10, bold=bool(patient.beta_blocker))
    supervised = _tr("supervised") if meta.supervised else _tr("unsupervised")
    flow.text(
        " · ".join([
            local.strftime(_tr("%Y-%m-%d %H:%M")),
            _tr("session %1").replace("%1", str(meta.session_id)),
            _tr("template %1").replace("%1", meta.template_name or "–"),
            _status_text(meta.status), supervised,
            _tr("station %1").replace("%1", meta.station),
        ]), 9.5, colour=MUTED_COLOUR)
    if notes.therapist_name:
        flow.text(_tr("Therapist: %1").replace("%1", notes.therapist_name), 10)
    flow.gap(8)
    pr = meta.prescription
    source = pr.get("hrmax_source")
    flow.text(
        _tr("Prescription: HRmax %1 bpm (%2) · zone %3–%4 bpm, target %5 bpm · safety limit "
            "%6 bpm")
        .replace("%1", _f(pr.get("hrmax_bpm")))
        .replace("%2", hrmax_source_name(source) if isinstance(source, str) else "–")
        .replace("%3", _f(pr.get("zone_low_bpm"))).replace("%4", _f(pr.get("zone_high_bpm")))
        .replace("%5", _f(pr.get("target_bpm"))).replace("%6", _f(pr.get("ceiling_bpm"))),
        10)
    flow.text(_tr("Zone source: %1").replace("%1", str(pr.get("zone_source", "–"))), 10)
    flow.text(_tr("Times in this report are elapsed since the start of the session "
                  "(+min:s)."), 8.5, colour=MUTED_COLOUR)
    flow.gap(6)
    plot_h = page.width() * 0.42
    if flow.ensure(plot_h):
        _draw_session_plot(painter, QRectF(page.left(), flow.y, page.width(), plot_h), data,
                           flow.scale)
        flow.y += plot_h
    flow.gap(10)
    s = meta.summary
    entry = s.get("entry_time_s")
    flow.text(
        _tr("Duration %1 min · in zone %2 min · moderate %3 min · avg HR %4 bpm · max HR %5 "
            "bpm · distance %6 m · zone reached %7 after the main phase began · RMS error %8 "
            "bpm")
        .replace("%1", _f(row.duration_s / 60, 1)).replace("%2", _f(row.minutes_in_zone, 1))
        .replace("%3", _f(row.minutes_moderate, 1)).replace("%4", _f(row.avg_hr_bpm))
        .replace("%5", _f(row.max_hr_bpm)).replace("%6", _f(row.distance_m))
        .replace("%7", _mmss(float(entry)) if isinstance(entry, (int, float))
                 and not isinstance(entry, bool) else "–")
        .replace("%8", _f(s.get("rmse_bpm"), 1)), 10)
    flow.gap(6)
    phases = s.get("phases") if isinstance(s.get("phases"), dict) else {}
    phase_rows = []
    for key in ("warmup", "main", "cooldown"):
        ph = phases.get(key) if isinstance(phases, dict) else None
        if isinstance(ph, dict):
            phase_rows.append([phase_name(key), _f((ph.get("duration_s") or 0) / 60, 1),
                               _f((ph.get("time_in_zone_s") or 0) / 60, 1),
                               _f(ph.get("time_in_zone_pct"), 0, " %")])
    if phase_rows:
        flow.text(_tr("Time in zone per phase"), 11, bold=True)
        flow.table([_tr("Phase"), _tr("Duration (min)"), _tr("In zone (min)"), _tr("In zone")],
                   phase_rows, [0.3, 0.23, 0.23, 0.24])
        flow.gap(8)
    alarms = [e for e in data.events if e.kind in ("alarm", "override", "safety")]
    flow.text(_tr("Alarms and overrides (%1 alarms, %2 overrides)")
              .replace("%1", str(row.alarms)).replace("%2", str(row.overrides)), 11, bold=True)
    if alarms:
        for e in alarms:
            flow.text(f"{_elapsed(e.t_s)}  {event_text(e)}", 9, indent=10)
    else:
        flow.text(_tr("none"), 9, colour=MUTED_COLOUR, indent=10)
    flow.gap(6)
    ratings = sorted([(r.t_s, _tr("RPE %1").replace("%1", str(r.value))) for r in notes.rpe]
                     + [(r.t_s, _tr("Feeling %1").replace("%1", signed(r.value)))
                        for r in notes.feeling], key=lambda item: item[0])
    flow.text(_tr("RPE (Borg 6-20) and Feeling (-5 to +5)"), 11, bold=True)
    if notes.session_rpe is not None:
        flow.text(_tr("RPE of the whole session (after the session): %1")
                  .replace("%1", str(notes.session_rpe)), 9, indent=10)
    if ratings:
        flow.text("   ".join(f"{_elapsed(t_s)} {text}" for t_s, text in ratings), 9, indent=10)
    else:
        flow.text(_tr("none entered"), 9, colour=MUTED_COLOUR, indent=10)
    flow.gap(6)
    flow.text(_tr("Therapist annotations"), 11, bold=True)
    if notes.annotations:
        for n in notes.annotations:
            flow.text(f"{_elapsed(n.t_s)}  {n.text}", 9, indent=10)
    else:
        flow.text(_tr("none"), 9, colour=MUTED_COLOUR, indent=10)
    if notes.conclusion:
        flow.gap(6)
        flow.text(_tr("Conclusion and plan"), 11, bold=True)
        flow.text(notes.conclusion, 10, indent=10)


# ---- programme report ----------------------------------------------------------------------


def _chart_frame(p: QPainter, area: QRectF, title: str,
                 scale: float) -> tuple[QRectF, QFontMetricsF]:
    """Set the chart font, draw ``title`` and the plot frame inside ``area``.

    Returns:
        the plot rectangle (room left for the axis labels) and the font metrics.
    """
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(1, round(14 * scale)))
    p.setFont(font)
    m = QFontMetricsF(font)
    plot = area.adjusted(50 * scale, m.height() * 1.4, -10 * scale, -m.height() * 1.4)
    p.setPen(TEXT_COLOUR)
    p.drawText(QRectF(area.left(), area.top(), area.width(), m.height() * 1.2),
               int(Qt.AlignmentFlag.AlignLeft), title)
    p.setPen(QPen(MUTED_COLOUR, max(1.0, scale)))
    p.drawRect(plot)
    return plot, m


def draw_dose_bars(p: QPainter, area: QRectF, labels: Sequence[str], values: Sequence[float],
                   targets: Sequence[float], title: str, scale: float) -> None:
    """Bar chart of weekly values against dashed per-week targets (green = target met)."""
    plot, m = _chart_frame(p, area, title, scale)
    top = max([*values, *targets, 1.0]) * 1.15
    n = max(len(values), 1)
    slot = plot.width() / n
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        h = plot.height() * v / top
        met = i < len(targets) and targets[i] > 0 and v >= targets[i]
        p.fillRect(QRectF(plot.left() + i * slot + slot * 0.15, plot.bottom() - h, slot * 0.7, h),
                   QColor(56, 142, 60) if met else QColor(144, 164, 174))
        p.setPen(MUTED_COLOUR)
        p.drawText(QRectF(plot.left() + i * slot, plot.bottom() + 2 * scale, slot, m.height()),
                   int(Qt.AlignmentFlag.AlignHCenter), label)
        if i < len(targets) and targets[i] > 0:
            y = plot.bottom() - plot.height() * targets[i] / top
            p.setPen(QPen(QColor(198, 40, 40), 2 * scale, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(plot.left() + i * slot, y), QPointF(plot.left() + (i + 1) * slot,
                                                                    y))
    p.setPen(MUTED_COLOUR)
    p.drawText(QRectF(area.left(), plot.top() - m.height() / 2, 45 * scale, m.height()),
               int(Qt.AlignmentFlag.AlignRight), f"{top:.0f}")
    p.drawText(QRectF(area.left(), plot.bottom() - m.height() / 2, 45 * scale, m.height()),
               int(Qt.AlignmentFlag.AlignRight), "0")


def draw_trend(p: QPainter, area: QRectF, labels: Sequence[str],
               series: Sequence[tuple[str, QColor, Sequence[float | None]]], title: str,
               scale: float) -> None:
    """Line chart of several weekly series, each scaled to its own range and labelled."""
    plot, m = _chart_frame(p, area, title, scale)
    n = max(len(labels), 1)
    slot = plot.width() / n
    for i, label in enumerate(labels):
        p.drawText(QRectF(plot.left() + i * slot, plot.bottom() + 2 * scale, slot, m.height()),
                   int(Qt.AlignmentFlag.AlignHCenter), label)
    legend_x = plot.left() + 6 * scale
    for k, (name, colour, values) in enumerate(series):
        pts = [(i, v) for i, v in enumerate(values) if v is not None]
        p.setPen(colour)
        p.drawText(QRectF(legend_x, plot.top() + 2 * scale, plot.width(), m.height()),
                   int(Qt.AlignmentFlag.AlignLeft), f"— {name}")
        legend_x += m.horizontalAdvance(f"— {name}") + 20 * scale
        if not pts:
            continue
        lo = min(v for _, v in pts)
        hi = max(v for _, v in pts)
        span = max(hi - lo, 1.0)
        lo -= span * 0.3
        hi += span * 0.6  # room for the legend at the top

        def xy(i: int, v: float, lo: float = lo, hi: float = hi) -> QPointF:
            return QPointF(plot.left() + (i + 0.5) * slot,
                           plot.bottom() - plot.height() * (v - lo) / (hi - lo))

        p.setPen(QPen(colour, 2.2 * scale))
        for (i0, v0), (i1, v1) in itertools.pairwise(pts):
            p.drawLine(xy(i0, v0), xy(i1, v1))
        p.setBrush(colour)
        for i, v in pts:
            p.drawEllipse(xy(i, v), 4 * scale, 4 * scale)
            dy = -m.height() * 1.3 if k % 2 == 0 else m.height() * 0.3
            p.drawText(QRectF(xy(i, v).x() - 40 * scale, xy(i, v).y() + dy,
                              80 * scale, m.height()), int(Qt.AlignmentFlag.AlignHCenter),
                       f"{v:.0f}" if abs(v) >= 20 else f"{v:.1f}")
        p.setBrush(Qt.BrushStyle.NoBrush)


def draw_programme_plots(painter: QPainter, area: QRectF, report: AdherenceReport,
                         scale: float) -> None:
    """Draw the three programme panels stacked into ``area``.

    Weekly dose bars; fitness trends (HR at the reference speed, main-phase speed);
    effort and mood (RPE, up to three questionnaire scores).
    """
    weeks = [w for w in report.weeks if w.week >= 1]
    labels = [str(w.week) for w in weeks]
    gap = 6 * scale
    third = (area.height() - 2 * gap) / 3
    draw_dose_bars(painter, QRectF(area.left(), area.top(), area.width(), third), labels,
                   [w.minutes_moderate for w in weeks], [w.minutes_target for w in weeks],
                   "Weekly dose: minutes at moderate intensity (dashed: target) by week", scale)
    draw_trend(painter, QRectF(area.left(), area.top() + third + gap, area.width(), third),
               labels, [
                   (f"HR at {_f(report.reference_speed_kmh, 1)} km/h (bpm)", HR_COLOUR,
                    [w.hr_at_ref_speed_bpm for w in weeks]),
                   ("main-phase speed (km/h)", SPEED_COLOUR, [w.main_speed_kmh for w in weeks]),
               ], "Fitness: HR at a fixed speed falls, belt speed at the target HR rises",
               scale)
    score_colours = (QColor(0, 114, 178), QColor(213, 94, 0), QColor(0, 158, 115))
    series: list[tuple[str, QColor, Sequence[float | None]]] = [
        ("RPE (6-20)", QColor(123, 31, 162), [w.rpe_mean for w in weeks])]
    by_week = {w.week: w.scores for w in report.weeks}
    for k, name in enumerate(report.score_names[:3]):
        series.append((name, score_colours[k], [by_week.get(w.week, {}).get(name)
                                                for w in weeks]))
    draw_trend(painter, QRectF(area.left(), area.top() + 2 * (third + gap), area.width(),
                               third), labels, series,
               "Effort and questionnaires by week (baseline scores in the table)", scale)


def draw_programme_report(painter: QPainter, page: QRectF, report: AdherenceReport, *,
                          display_name: str | None = None,
                          new_page: Callable[[], None] | None = None) -> None:
    """Draw the programme report (adherence table and plots) into ``page``."""
    prog = report.programme
    flow = _Flow(painter, page, new_page)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    who = prog.patient_code + (f" — {display_name}" if display_name else "")
    flow.text("RunningRoom · programme report", 16, bold=True)
    flow.text(f"Patient {who}", 12, bold=True)
    flow.text(f"Start {prog.start_date.isoformat()} · {prog.planned_weeks} weeks · "
              f"{prog.sessions_per_week} sessions/week · target "
              f"{prog.minutes_per_week_target:g} min/week at moderate intensity", 10)
    pct = report.session_adherence_pct
    flow.text(f"Sessions done {report.sessions_done} of {report.sessions_planned} planned so "
              f"far ({_f(pct, 0, ' %')}) · weekly dose met in {report.weeks_dose_met} weeks · "
              f"reference speed {_f(report.reference_speed_kmh, 1, ' km/h')}", 10,
              colour=MUTED_COLOUR)
    flow.gap(8)
    plots_h = page.width() * 0.22 * 3 + 12 * flow.scale
    if flow.ensure(plots_h):
        draw_programme_plots(painter, QRectF(page.left(), flow.y, page.width(), plots_h),
                             report, flow.scale)
        flow.y += plots_h
    flow.gap(8)
    names = report.score_names
    header = ["Week", "Start", "Sessions", "Superv.", "Dose (min)", "HR@ref", "Speed", "RPE",
              *names]
    rows = []
    for w in report.weeks:
        rows.append([
            "baseline" if w.week == 0 else str(w.week),
            w.start.isoformat(),
            f"{w.sessions_done}/{w.sessions_planned}",
            str(w.supervised_done),
            f"{w.minutes_moderate:.0f}/{w.minutes_target:.0f}",
            _f(w.hr_at_ref_speed_bpm) + ("*" if w.hr_at_ref_estimated else ""),
            _f(w.main_speed_kmh, 1),
            _f(w.rpe_mean, 1),
            *[_f(w.scores.get(n), 1) for n in names],
        ])
    programme_weeks = [w for w in report.weeks if w.week >= 1]
    if programme_weeks:
        rpes = [w.rpe_mean for w in programme_weeks if w.rpe_mean is not None]
        rows.append([
            "total",
            "",
            f"{report.sessions_done}/{sum(w.sessions_planned for w in programme_weeks)}",
            str(sum(w.supervised_done for w in programme_weeks)),
            f"{sum(w.minutes_moderate for w in programme_weeks):.0f}/"
            f"{sum(w.minutes_target for w in programme_weeks):.0f}",
            "", "",
            _f(sum(rpes) / len(rpes), 1) if rpes else "–",
            *["" for _ in names],
        ])
    base = [0.09, 0.15, 0.11, 0.09, 0.14, 0.1, 0.09, 0.08]
    extra = max(0.0, 1.0 - sum(base))
    widths = base + [extra / len(names)] * len(names) if names else base
    flow.text("Weekly adherence", 11, bold=True)
    flow.table(header, rows, widths)
    flow.gap(4)
    flow.text("* HR at the reference speed estimated from the main phase with the patient's "
              "HR gain (the belt did not hold that speed long enough).", 8, colour=MUTED_COLOUR)


# ---- files -----------------------------------------------------------------------------------


@dataclass
class _PdfTarget:
    writer: QPdfWriter
    tmp: Path


def _open_pdf(path: Path, title: str) -> _PdfTarget:
    ensure_gui_app()
    ensure_private_dir(path.parent)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".pdf", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"{path}: cannot create file: {exc}") from exc
    os.fchmod(fd, 0o600)
    os.close(fd)
    writer = QPdfWriter(tmp_name)
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setTitle(title)
    writer.setCreator("RunningRoom")
    return _PdfTarget(writer, Path(tmp_name))


_Draw = Callable[[QPainter, QRectF, Callable[[], None]], None]


def _footer_height(page: QRectF) -> float:
    return QFontMetricsF(_footer_font(page)).height() * 2.0


def _footer_font(page: QRectF) -> QFont:
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(1, round(8 * page.width() / 1000.0 * 2.0)))
    return font


def _draw_footer(p: QPainter, page: QRectF, left_text: str, page_no: int, pages: int) -> None:
    """The footer line at the bottom of ``page``: ``left_text`` and "page 1 of 2"."""
    font = _footer_font(page)
    height = QFontMetricsF(font).height()
    p.save()
    p.setFont(font)
    p.setPen(QPen(GRID_COLOUR, max(1.0, page.width() / 1000.0)))
    top = page.bottom() - height * 1.4
    p.drawLine(QPointF(page.left(), top), QPointF(page.right(), top))
    p.setPen(MUTED_COLOUR)
    line = QRectF(page.left(), page.bottom() - height * 1.1, page.width(), height * 1.1)
    p.drawText(line, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), left_text)
    p.drawText(line, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
               _tr("page %1 of %2").replace("%1", str(page_no)).replace("%2", str(pages)))
    p.restore()


def _count_pages(draw: _Draw, content: QRectF) -> int:
    """How many pages ``draw`` fills: a dry run into a picture.

    The layout matches the real run because every font is sized in pixels.
    """
    picture = QPicture()
    painter = QPainter(picture)
    pages = 1

    def new_page() -> None:
        nonlocal pages
        pages += 1

    try:
        draw(painter, content, new_page)
    finally:
        painter.end()
    return pages


def _paint(target: _PdfTarget, path: Path, draw: _Draw, footer: str) -> Path:
    page = QRectF(target.writer.pageLayout().paintRectPixels(PDF_DPI))
    page.moveTo(0, 0)
    content = page.adjusted(0, 0, 0, -_footer_height(page))
    pages = _count_pages(draw, content)
    painter = QPainter()
    if not painter.begin(target.writer):
        target.tmp.unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot start PDF output")
    try:
        page_no = 1

        def new_page() -> None:
            nonlocal page_no
            _draw_footer(painter, page, footer, page_no, pages)
            target.writer.newPage()
            page_no += 1

        draw(painter, content, new_page)
        _draw_footer(painter, page, footer, page_no, pages)
    except BaseException:
        painter.end()
        target.tmp.unlink(missing_ok=True)
        raise
    painter.end()
    try:
        os.replace(target.tmp, path)
    except OSError as exc:
        target.tmp.unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot write: {exc}") from exc
    return path


def _clinic(clinic: str | None) -> str:
    """``clinic``, or the configured clinic name when None."""
    if clinic is not None:
        return clinic.strip()
    from ui.settings import clinic_name

    return clinic_name()


def _footer_text(clinic: str, *parts: str) -> str:
    return " · ".join(t for t in (clinic, *parts) if t)


def write_session_pdf(data: SessionData, row: HistoryRow, path: Path, *,
                      include_name: bool = False, clinic: str | None = None) -> Path:
    """Write the session report PDF (owner-only) to ``path``.

    ``clinic`` is the clinic's name for the header and footer: None = the configured
    name (:func:`ui.settings.clinic_name`), "" = none.
    """
    clinic_text = _clinic(clinic)
    meta = data.meta
    target = _open_pdf(path, f"RunningRoom session {meta.session_id} ({meta.patient_code})")
    footer = _footer_text(
        clinic_text, _tr("Patient %1").replace("%1", meta.patient_code),
        _tr("session %1").replace("%1", str(meta.session_id)),
        meta.started_at.astimezone().strftime(_tr("%Y-%m-%d %H:%M")))
    return _paint(target, path, lambda p, page, new: draw_session_report(
        p, page, data, row, include_name=include_name, clinic=clinic_text, new_page=new),
        footer)


def export_session_pdfs(conn: sqlite3.Connection, session_ids: Sequence[int], out_dir: Path, *,
                        include_name: bool = False, clinic: str | None = None,
                        progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Write one session report PDF per session into ``out_dir``; returns the paths.

    ``clinic`` as for :func:`write_session_pdf`.
    """
    from runningroom.records.csv_export import session_base_name

    ensure_private_dir(out_dir)
    clinic_text = _clinic(clinic)
    files = []
    for n, sid in enumerate(session_ids, start=1):
        data = load_session(conn, sid)
        row = history_row(conn, data.meta)
        files.append(write_session_pdf(data, row, out_dir / f"{session_base_name(data)}.pdf",
                                       include_name=include_name, clinic=clinic_text))
        if progress is not None:
            progress(n, len(session_ids))
    logger.info("wrote %d session reports to %s", len(files), out_dir)
    return files


def write_programme_pdf(conn: sqlite3.Connection, report: AdherenceReport, path: Path, *,
                        include_name: bool = False) -> Path:
    """Write the programme report PDF (owner-only) to ``path``.

    The display name is taken from the patient's latest session snapshot, and only when
    ``include_name`` is set.
    """
    name: str | None = None
    if include_name:
        row = conn.execute(
            "SELECT profile_json FROM sessions WHERE patient_code = ? ORDER BY started_at DESC "
            "LIMIT 1", (report.programme.patient_code,)).fetchone()
        if row:
            value = json.loads(row[0]).get("display_name")
            name = value if isinstance(value, str) and value else None
    target = _open_pdf(path, f"RunningRoom programme {report.programme.patient_code}")
    footer = _footer_text(_clinic(None),
                          _tr("Patient %1").replace("%1", report.programme.patient_code))
    return _paint(target, path, lambda p, page, new: draw_programme_report(
        p, page, report, display_name=name, new_page=new), footer)


def render_preview(draw: Callable[[QPainter, QRectF], None], width_px: int = 1190,
                   height_px: int = 1684) -> object:
    """Render a report into a white ``QImage`` (A4 proportions) for previews and tests."""
    from PySide6.QtGui import QImage

    ensure_gui_app()
    image = QImage(width_px, height_px, QImage.Format.Format_RGB32)
    image.fill(QColor(255, 255, 255))
    painter = QPainter(image)
    try:
        margin = width_px * 0.06
        draw(painter, QRectF(margin, margin, width_px - 2 * margin, height_px - 2 * margin))
    finally:
        painter.end()
    return image


__all__ = [
    "draw_dose_bars",
    "draw_programme_plots",
    "draw_programme_report",
    "draw_session_report",
    "draw_trend",
    "ensure_gui_app",
    "export_session_pdfs",
    "phase_label_boxes",
    "render_preview",
    "write_programme_pdf",
    "write_session_pdf",
]

