"""The patient screen: a second window for a second monitor or the treadmill display.

Very large current HR, a zone bar (below / in / above, calm colours plus words), phase
name and time left, and a gentle cue derived from the controller's intent. No clinical
alarms, no settings. The window remembers which screen it was on (QSettings).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QEvent, QRectF, Qt
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QMouseEvent,
    QMoveEvent,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from runningroom.session.model import Intent, SessionSnapshot, SessionState
from ui import theme
from ui.settings import (
    PATIENT_FULLSCREEN_KEY,
    PATIENT_GEOMETRY_KEY,
    PATIENT_SCREEN_KEY,
    app_settings,
)
from ui.texts import format_clock, phase_name

logger = logging.getLogger(__name__)


class ZoneBar(QWidget):
    """Horizontal bar: below / in / above zone, with a marker at the current HR."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(70)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.low = 100.0
        self.high = 120.0
        self.hr: float | None = None

    def set_values(self, low: float, high: float, hr: float | None) -> None:
        """Update the zone edges and the current HR; repaints."""
        self.low, self.high, self.hr = low, high, hr
        self.update()

    def paintEvent(self, event: object) -> None:
        """Paint three segments and the HR marker."""
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        bar_h = h * 0.55
        top = (h - bar_h) / 2
        third = w / 3
        colours = (theme.PATIENT_BELOW, theme.PATIENT_IN, theme.PATIENT_ABOVE)
        for i, colour in enumerate(colours):
            c = QColor(colour)
            c.setAlpha(110 if self.state_index() != i else 255)
            p.fillRect(QRectF(i * third, top, third, bar_h), c)
        if self.hr is not None:
            span = max(self.high - self.low, 1.0)
            # map [low - span, high + span] onto [0, w]
            frac = (self.hr - (self.low - span)) / (3 * span)
            x = min(max(frac, 0.02), 0.98) * w
            p.setPen(QPen(QColor(theme.PATIENT_FG), 6))
            p.drawLine(int(x), 2, int(x), h - 2)
        p.end()

    def state_index(self) -> int:
        """0 below, 1 in zone, 2 above (1 when HR unknown)."""
        if self.hr is None:
            return 1
        if self.hr < self.low:
            return 0
        if self.hr > self.high:
            return 2
        return 1


class PatientScreen(QWidget):
    """Large, calm view for the patient."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("patientScreen")
        self.setStyleSheet(
            f"QWidget#patientScreen {{ background: {theme.PATIENT_BG}; }}"
            f"QLabel {{ color: {theme.PATIENT_FG}; background: transparent; }}"
        )
        self.setAutoFillBackground(True)
        self.hr_label = QLabel("--")
        self.hr_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.unit_label = QLabel()
        self.unit_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.zone_word = QLabel()
        self.zone_word.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zone_bar = ZoneBar()
        self.phase_label = QLabel()
        self.phase_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.time_label = QLabel()
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cue_label = QLabel()
        self.cue_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cue_label.setWordWrap(True)

        hr_row = QHBoxLayout()
        hr_row.addStretch(1)
        hr_row.addWidget(self.hr_label)
        hr_row.addWidget(self.unit_label)
        hr_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 20, 40, 30)
        layout.addWidget(self.phase_label)
        layout.addWidget(self.time_label)
        layout.addStretch(1)
        layout.addLayout(hr_row)
        layout.addWidget(self.zone_word)
        layout.addWidget(self.zone_bar)
        layout.addStretch(1)
        layout.addWidget(self.cue_label)
        self._snapshot: SessionSnapshot | None = None
        self.resize(1024, 640)
        self._apply_fonts()
        self.retranslate()

    def _apply_fonts(self) -> None:
        h = max(min(self.height(), int(self.width() * 0.6)), 300)
        big = QFont()
        big.setPixelSize(int(h * 0.36))
        big.setBold(True)
        self.hr_label.setFont(big)
        self.hr_label.setMinimumWidth(QFontMetrics(big).horizontalAdvance("888") + 10)
        for label, frac in (
            (self.unit_label, 0.07),
            (self.zone_word, 0.07),
            (self.phase_label, 0.08),
            (self.time_label, 0.07),
            (self.cue_label, 0.09),
        ):
            f = QFont()
            f.setPixelSize(int(h * frac))
            label.setFont(f)
        self.unit_label.setMinimumWidth(
            QFontMetrics(self.unit_label.font()).horizontalAdvance(self.unit_label.text() + "  "))

    def resizeEvent(self, event: object) -> None:
        """Scale the fonts with the window."""
        self._apply_fonts()

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible string in the current language."""
        self.setWindowTitle(self.tr("RunningRoom - patient screen"))
        self.unit_label.setText(self.tr("bpm"))
        self._apply_fonts()
        self.show_snapshot(self._snapshot)

    def show_snapshot(self, snap: SessionSnapshot | None) -> None:
        """Show one snapshot (None: waiting for the session)."""
        self._snapshot = snap
        if snap is None or snap.state in (SessionState.IDLE, SessionState.PREFLIGHT):
            self.hr_label.setText("--" if snap is None or snap.hr_bpm is None else
                                  str(snap.hr_bpm))
            self.phase_label.setText(self.tr("Get ready"))
            self.time_label.setText("")
            self.zone_word.setText("")
            self.cue_label.setText(self.tr("The session will start soon"))
            self.zone_bar.set_values(100, 120, None)
            return
        self.hr_label.setText("--" if snap.hr_bpm is None else str(snap.hr_bpm))
        hr = snap.hr_filtered_bpm if snap.hr_filtered_bpm is not None else snap.hr_bpm
        self.zone_bar.set_values(snap.zone_low_bpm, snap.zone_high_bpm,
                                 None if hr is None else float(hr))
        index = self.zone_bar.state_index()
        if hr is None:
            self.zone_word.setText("")
        else:
            self.zone_word.setText(
                (self.tr("below your zone"), self.tr("in your zone"),
                 self.tr("above your zone"))[index]
            )
        if snap.state == SessionState.PAUSED:
            self.phase_label.setText(self.tr("Paused"))
        elif snap.state.is_terminal:
            self.phase_label.setText(self.tr("Session over"))
        else:
            self.phase_label.setText(phase_name(snap.phase or snap.state))
        if snap.state.is_exercising:
            self.time_label.setText(
                self.tr("%1 left").replace("%1", format_clock(snap.phase_remaining_s))
            )
        else:
            self.time_label.setText("")
        self.cue_label.setText(self.cue_text(snap))

    def cue_text(self, snap: SessionSnapshot) -> str:
        """The gentle cue for the patient."""
        if snap.state.is_terminal:
            return self.tr("Well done! Thank you.")
        if snap.state == SessionState.PAUSED:
            return self.tr("Take a breather")
        if snap.state == SessionState.COOLDOWN:
            return self.tr("Cooling down, nice and easy")
        return {
            Intent.FASTER: self.tr("A bit faster"),
            Intent.SLOWER: self.tr("Ease off a little"),
            Intent.HOLD: self.tr("Well done, keep this pace"),
        }.get(snap.intent, self.tr("Keep going"))

    # ---- remembering the screen -----------------------------------------------------------

    def restore_placement(self) -> None:
        """Move to the screen (and geometry) used last time, if it is still there."""
        settings = app_settings()
        name = settings.value(PATIENT_SCREEN_KEY, "")
        geometry = settings.value(PATIENT_GEOMETRY_KEY)
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        for screen in QGuiApplication.screens():
            if screen.name() == name:
                if self.screen() is not screen:
                    self.move(screen.availableGeometry().topLeft())
                logger.info("patient screen restored on %s", name)
                break

    def show_placed(self) -> None:
        """Show on the remembered screen, full screen if it was full screen last time."""
        self.restore_placement()
        if app_settings().value(PATIENT_FULLSCREEN_KEY, "false") in (True, "true"):
            self.showFullScreen()
        else:
            self.show()

    def toggle_full_screen(self) -> None:
        """Switch between a window and full screen (double-click or F11); remembered."""
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
        settings = app_settings()
        settings.setValue(PATIENT_FULLSCREEN_KEY, "true" if self.isFullScreen() else "false")
        settings.sync()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Double-click toggles full screen."""
        self.toggle_full_screen()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """F11 toggles full screen (Escape/Space are the app-wide emergency stop)."""
        if event.key() == Qt.Key.Key_F11:
            self.toggle_full_screen()
        else:
            super().keyPressEvent(event)

    def save_placement(self) -> None:
        """Remember the current screen and geometry."""
        settings = app_settings()
        screen = self.screen()
        if screen is not None:
            settings.setValue(PATIENT_SCREEN_KEY, screen.name())
        settings.setValue(PATIENT_GEOMETRY_KEY, self.saveGeometry())
        settings.sync()

    def moveEvent(self, event: QMoveEvent) -> None:
        """Remember placement whenever the window is moved."""
        super().moveEvent(event)
        if self.isVisible():
            self.save_placement()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember placement on close."""
        self.save_placement()
        super().closeEvent(event)
