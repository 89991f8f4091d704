"""Live session plots (pyqtgraph), redrawn on a fixed timer from a snapshot buffer.

:class:`SessionHistory` is a growable numpy column store fed with
:class:`~runningroom.session.model.SessionSnapshot` values (at most one row per
``min_dt_s`` of session time). :class:`LivePlots` shows

* the whole session (overview): HR, zone band, ceiling, phase boundaries;
* the last few minutes in detail: raw and filtered HR, target, zone band, ceiling,
  event markers;
* speed and incline, commanded and measured, on the same time axis as the detail.

Redraws happen on a fixed ``QTimer`` (default 4 Hz) and only when data changed; curves
use peak downsampling and clip-to-view, so an hour of data stays smooth. Before the
first data the plots show fixed ranges (:data:`EMPTY_HR_RANGE_BPM`,
:data:`EMPTY_SPEED_RANGE`) and the axes never rescale their numbers with an SI prefix.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QLocale, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QVBoxLayout, QWidget

from runningroom.session.model import SessionSnapshot, SessionState
from ui import theme
from ui.texts import phase_name

logger = logging.getLogger(__name__)

pg.setConfigOptions(antialias=False, background="w", foreground="k")

#: HR axis of the empty plots (bpm)
EMPTY_HR_RANGE_BPM: tuple[float, float] = (50.0, 200.0)
#: speed (km/h) and incline (%) axis of the empty plot; incline 0-10 % fits inside it
EMPTY_SPEED_RANGE: tuple[float, float] = (0.0, 12.0)

COLUMNS = (
    "x_min",
    "hr",
    "hr_raw",
    "target",
    "zone_low",
    "zone_high",
    "ceiling",
    "speed_cmd",
    "speed_meas",
    "incline_cmd",
    "incline_meas",
)


def steps(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Compress a piecewise-constant series to its corners (zone edges, ceiling, target).

    An hour of 1 Hz rows with a constant zone becomes two points, which keeps the zone
    band (a filled path) cheap to redraw.
    """
    if len(x) < 3:
        return x, y
    change = np.flatnonzero(np.diff(y) != 0) + 1
    if not change.size:
        return np.array([x[0], x[-1]]), np.array([y[0], y[-1]])
    xs = [x[0]]
    ys = [y[0]]
    for i in change:
        xs.extend((x[i], x[i]))
        ys.extend((y[i - 1], y[i]))
    xs.append(x[-1])
    ys.append(y[-1])
    return np.asarray(xs), np.asarray(ys)


def _f(value: float | int | None) -> float:
    return math.nan if value is None else float(value)


@dataclass(frozen=True, slots=True)
class Marker:
    """A vertical marker on the time axis (phase change or event)."""

    x_min: float
    label: str
    kind: str  # "phase" | "alarm" | "note"


class SessionHistory:
    """Column store of one session's snapshots, in session minutes.

    Args:
        min_dt_s: drop snapshots closer than this (session seconds) to the last row.
    """

    def __init__(self, min_dt_s: float = 0.5) -> None:
        self.min_dt_s = min_dt_s
        self._cap = 4096
        self._n = 0
        self._data = np.full((len(COLUMNS), self._cap), np.nan, dtype=np.float64)
        self.markers: list[Marker] = []
        self._last_phase: SessionState | None = None
        self.version = 0  # bumps on every change; the plots redraw when it moved

    def __len__(self) -> int:
        return self._n

    def clear(self) -> None:
        """Forget everything (new session)."""
        self._n = 0
        self.markers.clear()
        self._last_phase = None
        self.version += 1

    def column(self, name: str) -> npt.NDArray[np.float64]:
        """A view of one column (length ``len(self)``)."""
        return self._data[COLUMNS.index(name), : self._n]

    @property
    def last_x_min(self) -> float:
        """Session time of the last row in minutes (0 when empty)."""
        return float(self._data[0, self._n - 1]) if self._n else 0.0

    def add(self, snap: SessionSnapshot) -> bool:
        """Append one snapshot; returns False when it was skipped."""
        if snap.state in (SessionState.IDLE, SessionState.PREFLIGHT):
            return False
        x_min = snap.session_elapsed_s / 60.0
        if snap.phase is not None and snap.phase != self._last_phase:
            self._last_phase = snap.phase
            self.markers.append(Marker(x_min, str(snap.phase), "phase"))
            self.version += 1
        if self._n and (x_min - self.last_x_min) * 60.0 < self.min_dt_s:
            return False
        if self._n == self._cap:
            self._cap *= 2
            grown = np.full((len(COLUMNS), self._cap), np.nan, dtype=np.float64)
            grown[:, : self._n] = self._data[:, : self._n]
            self._data = grown
        self._data[:, self._n] = (
            x_min,
            # the main curve is the filtered HR; gaps where the gate rejected the signal
            _f(snap.hr_filtered_bpm if snap.hr_quality.trusted else None),
            _f(snap.hr_bpm),
            snap.target_bpm,
            snap.zone_low_bpm,
            snap.zone_high_bpm,
            snap.ceiling_bpm,
            snap.speed_cmd_kmh,
            _f(snap.speed_meas_kmh),
            snap.incline_cmd_pct,
            _f(snap.incline_meas_pct),
        )
        self._n += 1
        self.version += 1
        return True

    def add_marker(self, label: str, kind: str, x_min: float | None = None) -> None:
        """Add an event marker at ``x_min`` (default: the last row's time)."""
        self.markers.append(Marker(self.last_x_min if x_min is None else x_min, label, kind))
        self.version += 1


class LocaleAxis(pg.AxisItem):
    """Axis whose tick labels follow the current locale (decimal comma in Dutch).

    It never rescales its numbers with an SI prefix ("HR (x0.001)").
    """

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        """Format ticks with :class:`QLocale` instead of Python's ``%g``."""
        decimals = (
            0 if spacing * scale >= 1 else min(3, max(1, -int(np.floor(np.log10(spacing * scale)))))
        )
        locale = QLocale()
        return [locale.toString(float(v) * scale, "f", decimals) for v in values]

    def refresh_locale(self) -> None:
        """Redraw the tick labels after a language change."""
        self.picture = None
        self.update()


def locale_axes() -> dict[str, LocaleAxis]:
    """Fresh left and bottom axes for ``addPlot(axisItems=...)``."""
    return {"left": LocaleAxis("left"), "bottom": LocaleAxis("bottom")}


_MARKER_PENS = {
    "phase": pg.mkPen("#444444", width=1, style=Qt.PenStyle.DashLine),
    "alarm": pg.mkPen(theme.VERMILLION, width=2),
    "note": pg.mkPen(theme.BLUE, width=1, style=Qt.PenStyle.DotLine),
}

#: text colour of a marker's label (a rating's or note's in the colour of its line)
_LABEL_COLOURS = {"note": theme.BLUE}

#: label heights of successive close markers, top first (share of the plot height)
_LABEL_POSITIONS: tuple[float, ...] = (0.95, 0.8, 0.65)
#: a label is at least this wide (minutes), whatever the zoom
_LABEL_GAP_MIN = 0.75
#: estimated width of one label character and the gap after a label (pixels)
_LABEL_CHAR_PX = 7.0
_LABEL_PAD_PX = 12.0


class _HrPlot:
    """One HR plot: zone band, ceiling, target, HR curves and markers."""

    def __init__(self, plot: pg.PlotItem, show_raw: bool, alarm_labels: bool = True) -> None:
        """``alarm_labels``: label alarm, rating and note markers (phases always are)."""
        self.plot = plot
        self.alarm_labels = alarm_labels
        plot.showGrid(x=True, y=True, alpha=0.2)
        self.zone_low = plot.plot(pen=pg.mkPen(theme.GREEN, width=1))
        self.zone_high = plot.plot(pen=pg.mkPen(theme.GREEN, width=1))
        self.band = pg.FillBetweenItem(
            self.zone_low, self.zone_high, brush=pg.mkBrush(*theme.ZONE_BAND_RGBA)
        )
        plot.addItem(self.band)
        self.ceiling = plot.plot(
            pen=pg.mkPen(theme.CEILING_PEN, width=2, style=Qt.PenStyle.DashLine)
        )
        self.target = plot.plot(pen=pg.mkPen(theme.TARGET_PEN, width=1, style=Qt.PenStyle.DotLine))
        self.hr_raw = plot.plot(pen=pg.mkPen(theme.HR_RAW_PEN, width=1)) if show_raw else None
        self.hr = plot.plot(pen=pg.mkPen(theme.HR_PEN, width=2))
        curves = [self.ceiling, self.target, self.hr]
        if self.hr_raw is not None:
            curves.append(self.hr_raw)
        for curve in curves:
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
        # the zone band's edge curves stay unclipped: FillBetweenItem needs both whole
        self._marker_items: list[pg.InfiniteLine] = []
        self._markers_drawn = 0
        # per label height: the x (minutes) where the last label drawn there ends
        self._label_free_x: list[float] = [-math.inf] * len(_LABEL_POSITIONS)

    def _minutes_per_pixel(self, data_span_min: float) -> float:
        """Horizontal scale of the plot in minutes per pixel, on the safe side.

        Right after new data the view may still show its old range (pyqtgraph ranges
        lazily), so the data's span counts too.
        """
        vb = self.plot.getViewBox()
        (x0, x1), _ = vb.viewRange()
        width_px = max(float(vb.width()), 400.0)
        # the larger of the two: an overestimate only staggers labels more than needed
        return max(x1 - x0, data_span_min, 1.0) / width_px

    def _label_position(self, x_min: float, text: str, data_span_min: float) -> float | None:
        """Height (share of the plot) for a marker label ``text`` at ``x_min``, or None.

        The label goes on the highest of the three heights where the previous label has
        ended by ``x_min`` (its width estimated from its length and the plot's scale), so
        labels never overwrite each other. When none is free the marker is drawn without
        a label (the alarm list and the record still name it).
        """
        mpp = self._minutes_per_pixel(data_span_min)
        width_min = max((len(text) * _LABEL_CHAR_PX + _LABEL_PAD_PX) * mpp, _LABEL_GAP_MIN)
        free = self._label_free_x
        level = next((i for i, end in enumerate(free) if end <= x_min), None)
        if level is None:
            return None
        free[level] = x_min + width_min
        return _LABEL_POSITIONS[level]

    def update(self, h: SessionHistory) -> None:
        x = h.column("x_min")
        self.zone_low.setData(*steps(x, h.column("zone_low")))
        self.zone_high.setData(*steps(x, h.column("zone_high")))
        self.ceiling.setData(*steps(x, h.column("ceiling")))
        self.target.setData(*steps(x, h.column("target")))
        if self.hr_raw is not None:
            self.hr_raw.setData(x, h.column("hr_raw"), connect="finite")
        self.hr.setData(x, h.column("hr"), connect="finite")
        self._sync_markers(h)

    def _sync_markers(self, h: SessionHistory) -> None:
        if len(h.markers) < self._markers_drawn:
            for item in self._marker_items:
                self.plot.removeItem(item)
            self._marker_items.clear()
            self._markers_drawn = 0
            self._label_free_x = [-math.inf] * len(_LABEL_POSITIONS)
        for marker in h.markers[self._markers_drawn :]:
            label: str | None = None
            if marker.kind == "phase":
                label = phase_name(marker.label)
            elif marker.kind in ("alarm", "note") and self.alarm_labels:
                label = marker.label  # "Heart rate lost", "RPE 13", "+2", "note"
            position = _LABEL_POSITIONS[0]
            if label:
                placed = self._label_position(marker.x_min, label, h.last_x_min)
                if placed is None:
                    label = None  # no room: the line alone
                else:
                    position = placed
            line = pg.InfiniteLine(
                pos=marker.x_min,
                angle=90,
                pen=_MARKER_PENS.get(marker.kind, _MARKER_PENS["note"]),
                label=label,
                labelOpts={
                    "position": position,
                    "color": _LABEL_COLOURS.get(marker.kind, "#333333"),
                    "anchors": [(0, 0), (0, 0)],
                },
            )
            self.plot.addItem(line)
            self._marker_items.append(line)
        self._markers_drawn = len(h.markers)


class LivePlots(QWidget):
    """Overview, detail and speed/incline plots of the running session.

    Args:
        history: the data to draw.
        detail_window_min: width of the detail plots in minutes.
        refresh_ms: redraw period of the fixed timer.
    """

    def __init__(
        self,
        history: SessionHistory,
        detail_window_min: float = 5.0,
        refresh_ms: int = 250,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.history = history
        self.detail_window_min = detail_window_min
        self.frame_times_s: list[float] = []
        self._drawn_version = -1
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setMinimumHeight(260)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics)

        self.overview_item = self.graphics.addPlot(row=0, col=0, axisItems=locale_axes())
        self.overview_item.setMaximumHeight(130)
        self.overview = _HrPlot(self.overview_item, show_raw=False, alarm_labels=False)
        self.detail_item = self.graphics.addPlot(row=1, col=0, axisItems=locale_axes())
        self.detail = _HrPlot(self.detail_item, show_raw=True)
        self.speed_item = self.graphics.addPlot(row=2, col=0, axisItems=locale_axes())
        self.speed_item.setMaximumHeight(150)
        self.speed_item.showGrid(x=True, y=True, alpha=0.2)
        self.speed_item.setXLink(self.detail_item)
        self.speed_legend = self.speed_item.addLegend(offset=(-5, 5))
        self.speed_cmd = self.speed_item.plot(
            pen=pg.mkPen(theme.SPEED_PEN, width=2, style=Qt.PenStyle.DashLine)
        )
        self.speed_meas = self.speed_item.plot(pen=pg.mkPen(theme.SPEED_PEN, width=2))
        self.incline_cmd = self.speed_item.plot(
            pen=pg.mkPen(theme.INCLINE_PEN, width=2, style=Qt.PenStyle.DashLine)
        )
        self.incline_meas = self.speed_item.plot(pen=pg.mkPen(theme.INCLINE_PEN, width=2))
        for curve in (self.speed_cmd, self.speed_meas, self.incline_cmd, self.incline_meas):
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
        for item in (self.overview_item, self.detail_item, self.speed_item):
            item.setMouseEnabled(x=False, y=False)
            item.hideButtons()
            item.getAxis("left").setWidth(52)  # aligned time axes
        self._title_px = 12
        self._label_px = 11
        self.show_empty_ranges()
        self.retranslate()

        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self.timer.timeout.connect(self.refresh)

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible string in the current language."""
        minutes = self.tr("min")
        title = f"{self._title_px}px"
        label = {"font-size": f"{self._label_px}px"}
        self.overview_item.setTitle(self.tr("Whole session"), size=title)
        self.overview_item.setLabel("left", self.tr("HR"), units=None, **label)
        self.detail_item.setTitle(
            self.tr("Last %1 minutes").replace("%1", f"{self.detail_window_min:g}"),
            size=title,
        )
        self.detail_item.setLabel("left", self.tr("HR (bpm)"), **label)
        self.speed_item.setLabel("left", self.tr("km/h, %"), **label)
        self.speed_item.setLabel("bottom", minutes, **label)
        self.speed_legend.clear()
        self.speed_legend.addItem(self.speed_meas, self.tr("speed"))
        self.speed_legend.addItem(self.speed_cmd, self.tr("speed command"))
        self.speed_legend.addItem(self.incline_meas, self.tr("incline"))
        for item in (self.overview_item, self.detail_item, self.speed_item):
            for name in ("left", "bottom"):
                axis = item.getAxis(name)
                if isinstance(axis, LocaleAxis):
                    axis.refresh_locale()

    def apply_fonts(self, px: int) -> None:
        """Draw titles, axis labels and ticks at ``px`` pixels (console scale)."""
        self._label_px = px
        self._title_px = px + 1
        font = QFont(self.font())
        font.setPixelSize(px)
        for item in (self.overview_item, self.detail_item, self.speed_item):
            for name in ("left", "bottom"):
                item.getAxis(name).setStyle(tickFont=font)
            item.getAxis("left").setWidth(round(52 * px / 11))
        self.speed_legend.setLabelTextSize(f"{px}px")
        self.retranslate()

    def show_empty_ranges(self) -> None:
        """Fixed axes for plots without data: HR 50-200 bpm, speed/incline 0-12."""
        for item in (self.overview_item, self.detail_item):
            item.setYRange(*EMPTY_HR_RANGE_BPM, padding=0)
            item.setXRange(0.0, self.detail_window_min, padding=0)
        self.speed_item.setYRange(*EMPTY_SPEED_RANGE, padding=0)

    def start(self) -> None:
        """Start the fixed redraw timer."""
        self.timer.start()

    def stop(self) -> None:
        """Stop the redraw timer."""
        self.timer.stop()

    def refresh(self, force: bool = False) -> None:
        """Redraw if the history changed since the last frame."""
        h = self.history
        if not force and h.version == self._drawn_version:
            return
        t0 = time.perf_counter()
        self._drawn_version = h.version
        self.overview.update(h)
        self.detail.update(h)
        x = h.column("x_min")
        self.speed_cmd.setData(*steps(x, h.column("speed_cmd")))
        self.speed_meas.setData(x, h.column("speed_meas"), connect="finite")
        self.incline_cmd.setData(*steps(x, h.column("incline_cmd")))
        self.incline_meas.setData(x, h.column("incline_meas"), connect="finite")
        now_min = h.last_x_min
        self.overview_item.setXRange(0.0, max(now_min, 1.0), padding=0.02)
        start = max(0.0, now_min - self.detail_window_min)
        self.detail_item.setXRange(start, start + self.detail_window_min, padding=0.0)
        if not len(h):
            self.show_empty_ranges()
        self._fit_y(h, start)
        self.frame_times_s.append(time.perf_counter() - t0)
        if len(self.frame_times_s) > 10_000:
            del self.frame_times_s[:5_000]

    def _fit_y(self, h: SessionHistory, start_min: float) -> None:
        if not len(h):
            return
        x = h.column("x_min")
        sel = x >= start_min
        lows = [h.column("zone_low")[sel], h.column("hr")[sel]]
        highs = [h.column("ceiling")[sel], h.column("hr")[sel]]
        low = np.nanmin(np.concatenate(lows)) if np.any(sel) else 60.0
        high = np.nanmax(np.concatenate(highs)) if np.any(sel) else 180.0
        if math.isfinite(low) and math.isfinite(high):
            self.detail_item.setYRange(low - 10, high + 5, padding=0)
        all_hr = h.column("hr")
        finite = all_hr[np.isfinite(all_hr)]
        ceiling = float(np.nanmax(h.column("ceiling")))
        low_all = min(float(finite.min()) if finite.size else ceiling - 60, ceiling - 60)
        self.overview_item.setYRange(
            low_all - 5,
            max(ceiling, float(finite.max()) if finite.size else ceiling) + 5,
            padding=0,
        )
        speeds = np.concatenate([h.column("speed_cmd"), h.column("incline_cmd")])
        top = float(np.nanmax(speeds)) if np.any(np.isfinite(speeds)) else 5.0
        self.speed_item.setYRange(-0.5, max(top, 1.0) * 1.15, padding=0)

    def y_range(self, which: str) -> tuple[float, float]:
        """The shown y range of the ``overview``, ``detail`` or ``speed`` plot."""
        item = {
            "overview": self.overview_item,
            "detail": self.detail_item,
            "speed": self.speed_item,
        }[which]
        low, high = item.getViewBox().viewRange()[1]
        return float(low), float(high)
