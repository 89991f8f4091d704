"""The patient screen: a second window for a second monitor or the treadmill display.

Very large current HR, a zone bar (below / in / above the current phase's target band,
calm colours plus words), phase name, time left in the phase and in the whole session,
and a cue saying what the belt will do. The grade and the cue come from one state
(:func:`ui.texts.grade_hr` and :func:`ui.texts.belt_cue`), so they never disagree; the
patient is never told to change pace, the belt does that. After the session the HR goes
to a neutral state and the screen says that the belt has stopped. With the numbers
hidden (a therapist's setting for anxious patients) only the colour and the words are
shown. No clinical alarms, no settings. The window remembers which screen it was on
(QSettings).
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
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from runningroom.session.model import SessionSnapshot, SessionState
from ui import theme
from ui.i18n import current_language
from ui.i18n.nl import DUTCH_FORMAL_PATIENT
from ui.settings import (
    PATIENT_FULLSCREEN_KEY,
    PATIENT_GEOMETRY_KEY,
    PATIENT_SCREEN_KEY,
    app_settings,
)
from ui.texts import (
    NO_VALUE,
    BeltCue,
    Grade,
    belt_cue,
    format_clock,
    grade_hr,
    phase_band,
    phase_name,
)

logger = logging.getLogger(__name__)

#: QSettings key: "true" hides the HR and time numbers on the patient screen.
PATIENT_HIDE_NUMBERS_KEY = "patient_screen/hide_numbers"
#: QSettings key: "true" addresses the patient with "u" in Dutch.
PATIENT_FORMAL_KEY = "patient_screen/formal_dutch"

#: The zone bar's segment for each grade (None: nothing highlighted, no marker).
_GRADE_SEGMENT = {
    Grade.BELOW: 0,
    Grade.IN: 1,
    Grade.ABOVE: 2,
    Grade.ABOVE_CEILING: 2,
}
_GRADE_COLOUR = {
    Grade.BELOW: theme.PATIENT_BELOW,
    Grade.IN: theme.PATIENT_IN,
    Grade.ABOVE: theme.PATIENT_ABOVE,
    Grade.ABOVE_CEILING: theme.PATIENT_ABOVE,
}


def _sync_check(box: QCheckBox | None, checked: bool) -> None:
    """Set a switch to ``checked`` without it signalling back."""
    if box is not None and box.isChecked() != checked:
        box.blockSignals(True)
        box.setChecked(checked)
        box.blockSignals(False)


class ZoneBar(QWidget):
    """Horizontal bar: below / in / above the band, with a marker at the current HR."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(70)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.low = 100.0
        self.high = 120.0
        self.hr: float | None = None
        self.segment: int | None = None

    def set_values(self, low: float, high: float, hr: float | None, segment: int | None) -> None:
        """Update the band edges, the HR and the highlighted segment (None: neutral)."""
        self.low, self.high, self.hr, self.segment = low, high, hr, segment
        self.update()

    def paintEvent(self, event: object) -> None:
        """Paint three segments and the HR marker (neither highlight nor marker if neutral)."""
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        bar_h = h * 0.55
        top = (h - bar_h) / 2
        third = w / 3
        colours = (theme.PATIENT_BELOW, theme.PATIENT_IN, theme.PATIENT_ABOVE)
        for i, colour in enumerate(colours):
            c = QColor(colour)
            c.setAlpha(255 if self.segment == i else (110 if self.segment is not None else 50))
            p.fillRect(QRectF(i * third, top, third, bar_h), c)
        if self.hr is not None and self.segment is not None:
            span = max(self.high - self.low, 1.0)
            # map [low - span, high + span] onto [0, w]
            frac = (self.hr - (self.low - span)) / (3 * span)
            x = min(max(frac, 0.02), 0.98) * w
            p.setPen(QPen(QColor(theme.PATIENT_FG), 6))
            p.drawLine(int(x), 2, int(x), h - 2)
        p.end()


class PatientScreenOptions(QWidget):
    """The therapist's switches for the patient screen (live in the console's top bar).

    ``hide_numbers``: the patient screen shows only the zone colour and words.
    ``formal``: the Dutch patient texts address the patient with "u" instead of "je"
    (shown only while the app is in Dutch).
    """

    def __init__(self, screen: PatientScreen) -> None:
        super().__init__()
        self._screen = screen
        self.hide_numbers = QCheckBox()
        self.hide_numbers.setChecked(screen.numbers_hidden)
        self.hide_numbers.toggled.connect(screen.set_numbers_hidden)
        self.formal = QCheckBox()
        self.formal.setChecked(screen.formal)
        self.formal.toggled.connect(screen.set_formal)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.hide_numbers)
        row.addWidget(self.formal)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible string in the current language."""
        self.hide_numbers.setText(self.tr("Hide numbers"))
        self.hide_numbers.setToolTip(
            self.tr("The patient screen shows only the zone colour and words, no heart rate "
                    "or times (for patients whom numbers worry)"))
        self.formal.setText(self.tr("Patient texts with 'u'"))
        self.formal.setToolTip(self.tr("Address the patient formally on the patient screen"))
        self.formal.setVisible(current_language() == "nl")


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
        self.hr_label = QLabel(NO_VALUE)
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
        self.total_label = QLabel()
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cue_label = QLabel()
        self.cue_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cue_label.setWordWrap(True)
        self.grade = Grade.NONE
        self.cue = BeltCue.WAITING

        hr_row = QHBoxLayout()
        hr_row.addStretch(1)
        hr_row.addWidget(self.hr_label)
        hr_row.addWidget(self.unit_label)
        hr_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 20, 40, 30)
        layout.addWidget(self.phase_label)
        layout.addWidget(self.time_label)
        layout.addWidget(self.total_label)
        layout.addStretch(1)
        layout.addLayout(hr_row)
        layout.addWidget(self.zone_word)
        layout.addWidget(self.zone_bar)
        layout.addStretch(1)
        layout.addWidget(self.cue_label)
        self._snapshot: SessionSnapshot | None = None
        self._options: PatientScreenOptions | None = None
        self._stop_confirmed = False
        self._hr_shown = False
        settings = app_settings()
        self.numbers_hidden = settings.value(PATIENT_HIDE_NUMBERS_KEY, "false") in (True, "true")
        self.formal = settings.value(PATIENT_FORMAL_KEY, "false") in (True, "true")
        self.resize(1024, 640)
        self._apply_fonts()
        self.retranslate()

    def _apply_fonts(self) -> None:
        h = max(min(self.height(), int(self.width() * 0.6)), 300)
        big = QFont()
        big.setPixelSize(int(h * 0.36))
        big.setBold(True)
        self._hr_font = big
        # no HR: a thin dash of half the height, so it reads as "no value", not as a box
        self._no_hr_font = QFont()
        self._no_hr_font.setPixelSize(int(h * 0.18))
        self.hr_label.setFont(big if self._hr_shown else self._no_hr_font)
        self.hr_label.setMinimumWidth(QFontMetrics(big).horizontalAdvance("888") + 10)
        self.hr_label.setMinimumHeight(QFontMetrics(big).height())
        for label, frac in (
            (self.unit_label, 0.07),
            (self.zone_word, 0.08),
            (self.phase_label, 0.08),
            (self.time_label, 0.06),
            (self.total_label, 0.045),
            (self.cue_label, 0.085),
        ):
            f = QFont()
            f.setPixelSize(int(h * frac))
            if label is self.zone_word:
                f.setBold(True)
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

    def session_run_ended(self) -> None:
        """The session's run ended: the station has stopped the belt (shows "stopped")."""
        self._stop_confirmed = True
        self.show_snapshot(self._snapshot)

    def console_options(self) -> PatientScreenOptions:
        """The therapist's switches for this screen, for the console (the same each time)."""
        if self._options is None:
            self._options = PatientScreenOptions(self)
        return self._options

    def set_formal(self, formal: bool) -> None:
        """Address the patient with "u" (True) or "je" in Dutch; remembered in the settings."""
        self.formal = formal
        _sync_check(self._options.formal if self._options is not None else None, formal)
        settings = app_settings()
        settings.setValue(PATIENT_FORMAL_KEY, "true" if formal else "false")
        settings.sync()
        self.show_snapshot(self._snapshot)

    def _register(self, text: str) -> str:
        """``text`` (already translated) in the formal register when that is chosen."""
        if self.formal and current_language() == "nl":
            return DUTCH_FORMAL_PATIENT.get(text, text)
        return text

    def set_numbers_hidden(self, hidden: bool) -> None:
        """Hide (or show again) the HR and time numbers; remembered in the settings."""
        self.numbers_hidden = hidden
        _sync_check(self._options.hide_numbers if self._options is not None else None, hidden)
        settings = app_settings()
        settings.setValue(PATIENT_HIDE_NUMBERS_KEY, "true" if hidden else "false")
        settings.sync()
        self.show_snapshot(self._snapshot)

    def show_snapshot(self, snap: SessionSnapshot | None) -> None:
        """Show one snapshot (None: waiting for the session)."""
        self._snapshot = snap
        self.grade = grade_hr(snap)
        if snap is None or not snap.state.is_terminal:
            self._stop_confirmed = False
        self.cue = belt_cue(snap, self.grade, stop_confirmed=self._stop_confirmed)
        running = snap is not None and not snap.state.is_terminal
        hr_shown = snap is not None and running and snap.hr_bpm is not None
        self._hr_shown = hr_shown
        self.hr_label.setFont(self._hr_font if hr_shown else self._no_hr_font)
        self.hr_label.setText(str(snap.hr_bpm) if snap is not None and hr_shown else NO_VALUE)
        # no HR: a dimmed dash in the middle, without the unit
        self.hr_label.setAlignment(
            (Qt.AlignmentFlag.AlignRight if hr_shown else Qt.AlignmentFlag.AlignHCenter)
            | Qt.AlignmentFlag.AlignVCenter)
        self.hr_label.setStyleSheet(
            "" if hr_shown else f"color: {QColor(theme.PATIENT_FG).darker(250).name()};")
        self.zone_word.setText(self.zone_text(snap))
        self.zone_word.setStyleSheet(
            f"color: {_GRADE_COLOUR.get(self.grade, theme.PATIENT_FG)};")
        low, high = phase_band(snap) if snap is not None else (100.0, 120.0)
        hr = None
        if snap is not None:
            hr = snap.hr_filtered_bpm if snap.hr_filtered_bpm is not None else snap.hr_bpm
        self.zone_bar.set_values(low, high, None if hr is None else float(hr),
                                 _GRADE_SEGMENT.get(self.grade))
        self.phase_label.setText(self.phase_text(snap))
        self.time_label.setText(self.time_text(snap))
        self.total_label.setText(self.total_text(snap))
        self.cue_label.setText(self.cue_text(snap))
        for label in (self.hr_label, self.time_label, self.total_label):
            label.setVisible(not self.numbers_hidden)
        self.unit_label.setVisible(hr_shown and not self.numbers_hidden)

    def zone_text(self, snap: SessionSnapshot | None) -> str:
        """The grade in words ("in your zone"; "on target" in the warm-up and cool-down)."""
        if self.grade in (Grade.NONE, Grade.NO_HR) or snap is None:
            return ""
        if snap.state in (SessionState.IDLE, SessionState.PREFLIGHT):
            return ""
        phase = snap.phase or snap.state
        if phase in (SessionState.WARMUP, SessionState.COOLDOWN):
            words = {
                Grade.BELOW: self.tr("below your target"),
                Grade.IN: self.tr("on target"),
                Grade.ABOVE: self.tr("above your target"),
            }
        else:
            words = {
                Grade.BELOW: self.tr("below your zone"),
                Grade.IN: self.tr("in your zone"),
                Grade.ABOVE: self.tr("above your zone"),
            }
        grade = Grade.ABOVE if self.grade == Grade.ABOVE_CEILING else self.grade
        return self._register(words[grade])

    def phase_text(self, snap: SessionSnapshot | None) -> str:
        """The phase name, "Paused", or how the session ended."""
        if snap is None or snap.state in (SessionState.IDLE, SessionState.PREFLIGHT):
            return self._register(self.tr("Get ready"))
        if snap.state == SessionState.PAUSED:
            return self.tr("Paused")
        if snap.state == SessionState.FINISHED:
            return self.tr("Session finished")
        if snap.state.is_terminal:
            return self.tr("Session ended")
        return phase_name(snap.phase or snap.state)

    def time_text(self, snap: SessionSnapshot | None) -> str:
        """Time left in the current phase (while it runs or is paused)."""
        if snap is None or not (snap.state.is_exercising or snap.state == SessionState.PAUSED):
            return ""
        return self.tr("%1 left in this phase").replace(
            "%1", format_clock(snap.phase_remaining_s))

    def total_text(self, snap: SessionSnapshot | None) -> str:
        """Planned time left in the whole session, all phases."""
        if snap is None or snap.state.is_terminal or snap.session_remaining_s is None:
            return ""
        return self.tr("%1 left in total").replace("%1", format_clock(snap.session_remaining_s))

    def cue_text(self, snap: SessionSnapshot | None) -> str:
        """What the belt does, in words (never an order to the patient)."""
        cue = self.cue
        if cue == BeltCue.WAITING:
            return self.tr("The session will start soon")
        if cue == BeltCue.STOPPED:
            return self.tr("The belt has stopped")
        if cue == BeltCue.STOPPING:
            return self.tr("The belt is stopping")
        return {
            BeltCue.SPEEDS_UP: self.tr("The belt speeds up a little"),
            BeltCue.SLOWS_DOWN: self.tr("The belt slows down a little"),
            BeltCue.KEEPS_PACE: self.tr("The belt keeps this pace"),
            BeltCue.THERAPIST: self._register(self.tr("Your therapist sets the belt")),
        }[cue]

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
