"""PDF reports drawn with Qt's own PDF output (QPdfWriter + QPainter, no PDF library).

* Session report (A4, usually one page): patient code (name only when asked), date,
  template, prescription and zone with its source, the HR/speed plot with the phases
  and the zone band, time in zone per phase, headline numbers, alarms and overrides,
  RPE/Feeling entries and the therapist's annotations.
* Programme report: programme settings, weekly adherence table (sessions, supervised,
  dose vs target, HR at the reference speed, main-phase speed, RPE, questionnaire
  scores) and plots of the dose and of the fitness/RPE trends.

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

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
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
)
from PySide6.QtWidgets import QApplication

from runningroom.errors import ExportError
from runningroom.records.files import ensure_private_dir
from runningroom.records.history import HistoryRow, history_row
from runningroom.records.programme import AdherenceReport
from runningroom.records.store import SessionData, load_session

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


def _mmss(t_s: float) -> str:
    t = max(0, round(t_s))
    return f"{t // 60:d}:{t % 60:02d}"


def _f(value: object, decimals: int = 0, unit: str = "") -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "–"
    return f"{value:.{decimals}f}{unit}"


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
        p.drawText(plot, int(Qt.AlignmentFlag.AlignCenter), "no samples recorded")
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
    start_i = 0
    for i in range(1, len(samples) + 1):
        if i == len(samples) or samples[i].phase != samples[start_i].phase:
            phase = samples[start_i].phase
            x0, x1 = x_of(samples[start_i].t_s), x_of(samples[i - 1].t_s)
            p.fillRect(QRectF(x0, plot.top(), max(x1 - x0, 1.0), plot.height()),
                       PHASE_COLOURS.get(phase, QColor(238, 238, 238)))
            p.setPen(MUTED_COLOUR)
            p.drawText(QRectF(x0, plot.top(), max(x1 - x0, 1.0), metrics.height() * 1.2),
                       int(Qt.AlignmentFlag.AlignCenter), phase)
            start_i = i
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
               "time (min)")
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
                   f"{sp:g}")
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
    p.drawText(legend, int(Qt.AlignmentFlag.AlignLeft), "— heart rate (bpm, left)")
    p.setPen(SPEED_COLOUR)
    p.drawText(legend, int(Qt.AlignmentFlag.AlignHCenter),
               "— belt speed (km/h, right)" + ("   - - incline (%, right)" if show_incline
                                                else ""))
    p.setPen(QColor(56, 142, 60))
    p.drawText(legend, int(Qt.AlignmentFlag.AlignRight), "▮ target zone   ¦ alarm")


def draw_session_report(painter: QPainter, page: QRectF, data: SessionData, row: HistoryRow,
                        *, include_name: bool = False,
                        new_page: Callable[[], None] | None = None) -> None:
    """Draw a session report into ``page`` (device coordinates).

    Args:
        painter: an active painter (PDF writer or image).
        page: the printable rectangle.
        data: the session.
        row: its history row (headline numbers).
        include_name: print the display name beside the code.
        new_page: starts a new page (PDF); None = clip to one page (previews).
    """
    meta = data.meta
    flow = _Flow(painter, page, new_page)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    who = meta.patient_code
    name = meta.profile.get("display_name")
    if include_name and isinstance(name, str) and name:
        who = f"{who} — {name}"
    local = meta.started_at.astimezone()
    flow.text("RunningRoom · session report", 16, bold=True)
    flow.text(f"Patient {who}", 12, bold=True)
    flow.text(
        f"{local:%Y-%m-%d %H:%M} · session {meta.session_id} · template "
        f"{meta.template_name or '–'} · {meta.status} · "
        f"{'supervised' if meta.supervised else 'unsupervised'} · station {meta.station}",
        9.5, colour=MUTED_COLOUR)
    flow.gap(8)
    pr = meta.prescription
    flow.text(
        f"Prescription: HRmax {_f(pr.get('hrmax_bpm'))} bpm ({pr.get('hrmax_source', '–')}) · "
        f"zone {_f(pr.get('zone_low_bpm'))}–{_f(pr.get('zone_high_bpm'))} bpm, "
        f"target {_f(pr.get('target_bpm'))} bpm · ceiling {_f(pr.get('ceiling_bpm'))} bpm",
        10)
    flow.text(f"Zone source: {pr.get('zone_source', '–')}", 10)
    flow.gap(6)
    plot_h = page.width() * 0.42
    if flow.ensure(plot_h):
        _draw_session_plot(painter, QRectF(page.left(), flow.y, page.width(), plot_h), data,
                           flow.scale)
        flow.y += plot_h
    flow.gap(10)
    s = meta.summary
    flow.text(
        f"Duration {row.duration_s / 60:.1f} min · in zone {row.minutes_in_zone:.1f} min · "
        f"moderate {row.minutes_moderate:.1f} min · avg HR {_f(row.avg_hr_bpm)} bpm · "
        f"max HR {_f(row.max_hr_bpm)} bpm · distance {_f(row.distance_m)} m · "
        f"zone entry {_mmss(float(s['entry_time_s'])) if isinstance(s.get('entry_time_s'), (int, float)) else '–'}"  # noqa: E501
        f" · RMS error {_f(s.get('rmse_bpm'), 1)} bpm", 10)
    flow.gap(6)
    phases = s.get("phases") if isinstance(s.get("phases"), dict) else {}
    phase_rows = []
    for key, label in (("warmup", "Warm-up"), ("main", "Main"), ("cooldown", "Cool-down")):
        ph = phases.get(key) if isinstance(phases, dict) else None
        if isinstance(ph, dict):
            phase_rows.append([label, _f((ph.get("duration_s") or 0) / 60, 1),
                               _f((ph.get("time_in_zone_s") or 0) / 60, 1),
                               _f(ph.get("time_in_zone_pct"), 0, " %")])
    if phase_rows:
        flow.text("Time in zone per phase", 11, bold=True)
        flow.table(["Phase", "Duration (min)", "In zone (min)", "In zone"], phase_rows,
                   [0.3, 0.23, 0.23, 0.24])
        flow.gap(8)
    alarms = [e for e in data.events if e.kind in ("alarm", "override", "safety")]
    flow.text(f"Alarms and overrides ({row.alarms} alarms, {row.overrides} overrides)", 11,
              bold=True)
    if alarms:
        for e in alarms:
            action = e.data.get("action") if e.data.get("stage", "raised") == "raised" else None
            flow.text(f"{_mmss(e.t_s)}  {e.kind} ({e.cause}): {e.message}"
                      + (f" → {action}" if isinstance(action, str) and action else ""), 9,
                      indent=10)
    else:
        flow.text("none", 9, colour=MUTED_COLOUR, indent=10)
    flow.gap(6)
    ratings = [e for e in data.events if e.kind in ("rpe", "feeling")]
    flow.text("RPE and Feeling", 11, bold=True)
    if ratings:
        flow.text("   ".join(f"{_mmss(e.t_s)} {'RPE' if e.kind == 'rpe' else 'Feeling'} "
                             f"{e.data.get('value', e.message)}" for e in ratings), 9, indent=10)
    else:
        flow.text("none entered", 9, colour=MUTED_COLOUR, indent=10)
    flow.gap(6)
    notes = [e for e in data.events if e.kind == "annotation"]
    flow.text("Therapist annotations", 11, bold=True)
    if notes:
        for e in notes:
            flow.text(f"{_mmss(e.t_s)}  {e.message}", 9, indent=10)
    else:
        flow.text("none", 9, colour=MUTED_COLOUR, indent=10)


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


def _paint(target: _PdfTarget, path: Path, draw: Callable[[QPainter, QRectF,
                                                           Callable[[], None]], None]) -> Path:
    painter = QPainter()
    if not painter.begin(target.writer):
        target.tmp.unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot start PDF output")
    try:
        page = QRectF(target.writer.pageLayout().paintRectPixels(PDF_DPI))
        page.moveTo(0, 0)

        def new_page() -> None:
            target.writer.newPage()

        draw(painter, page, new_page)
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


def write_session_pdf(data: SessionData, row: HistoryRow, path: Path, *,
                      include_name: bool = False) -> Path:
    """Write the session report PDF (owner-only) to ``path``."""
    target = _open_pdf(path, f"RunningRoom session {data.meta.session_id} "
                             f"({data.meta.patient_code})")
    return _paint(target, path, lambda p, page, new: draw_session_report(
        p, page, data, row, include_name=include_name, new_page=new))


def export_session_pdfs(conn: sqlite3.Connection, session_ids: Sequence[int], out_dir: Path, *,
                        include_name: bool = False,
                        progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Write one session report PDF per session into ``out_dir``; returns the paths."""
    from runningroom.records.csv_export import session_base_name

    ensure_private_dir(out_dir)
    files = []
    for n, sid in enumerate(session_ids, start=1):
        data = load_session(conn, sid)
        row = history_row(conn, data.meta)
        files.append(write_session_pdf(data, row, out_dir / f"{session_base_name(data)}.pdf",
                                       include_name=include_name))
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
    return _paint(target, path, lambda p, page, new: draw_programme_report(
        p, page, report, display_name=name, new_page=new))


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
    "render_preview",
    "write_programme_pdf",
    "write_session_pdf",
]

