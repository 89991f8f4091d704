"""Big, unambiguous session controls and therapist overrides.

Start, pause/resume, next phase, stop and a red EMERGENCY STOP that is enabled in every
state; target +/- bpm, hold controller, back to automatic, manual speed and incline.
The widget only emits commands; the main window sends them through the bridge.

Forgiving by design:
  * the irreversible commands (Stop, Next phase) ask first, with Cancel as the default
    (Escape or Enter on the question cancels); the question is dropped when the session
    moved on while it was open, so a "skip the warm-up" never skips the main phase;
  * Stop sits under Start (disabled while a session runs), not beside Pause;
  * no button that acts on the belt takes keyboard focus, so Space or Enter on a focused
    control cannot press it (the emergency stop key is the main window's job);
  * each axis (speed, incline) says whether it is automatic or manual, and *Back to
    automatic* hands manual axes back to the automatic control.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from runningroom.session.model import (
    AdjustTarget,
    HoldController,
    ManualIncline,
    ManualSpeed,
    PauseSession,
    ResumeController,
    ResumeSession,
    SessionSnapshot,
    SessionState,
    SkipPhase,
    StopSession,
)
from ui import theme
from ui.texts import fmt

TARGET_STEP_BPM = 2.0

#: shown in the EMERGENCY STOP tooltip and hint; the main window binds the key
EMERGENCY_KEY_NAME = "F12"


class SessionControls(QWidget):
    """The control block of the console.

    Signals:
        startRequested: the therapist pressed Start.
        emergencyRequested: the EMERGENCY STOP button was pressed.
        commandRequested(object): an :data:`OperatorCommand` to send.
    """

    startRequested = Signal()
    emergencyRequested = Signal()
    commandRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = SessionState.IDLE
        self.can_start = False
        self._held = False
        self._suspended = False
        self._offset = 0.0
        self._speed_manual = False
        self._incline_manual = False
        self._advisory = False
        self._secondary_px = 13
        #: the open Stop / Next phase question and the test that keeps it meaningful
        self.confirm_box: QMessageBox | None = None
        self._confirm_valid: Callable[[SessionState], bool] | None = None

        self.estop = QPushButton()
        self.estop.setObjectName("emergencyStop")
        self.estop.setStyleSheet(theme.ESTOP_STYLE)
        self.estop.setMinimumHeight(64)
        self.estop.clicked.connect(self.emergencyRequested)
        self.start_button = QPushButton()
        self.pause_button = QPushButton()
        self.next_button = QPushButton()
        self.stop_button = QPushButton()
        for b in (self.start_button, self.pause_button, self.next_button, self.stop_button):
            b.setStyleSheet(theme.BIG_BUTTON_STYLE)
        self.start_button.clicked.connect(self.startRequested)
        self.pause_button.clicked.connect(self._pause_resume)
        self.next_button.clicked.connect(self.ask_next_phase)
        self.stop_button.clicked.connect(self.ask_stop)

        self.override_box = QGroupBox()
        self.target_minus = QPushButton()
        self.target_plus = QPushButton()
        self.target_label = QLabel()
        self.target_minus.clicked.connect(
            lambda: self.commandRequested.emit(AdjustTarget(-TARGET_STEP_BPM)))
        self.target_plus.clicked.connect(
            lambda: self.commandRequested.emit(AdjustTarget(TARGET_STEP_BPM)))
        self.hold_button = QPushButton()
        self.hold_button.setCheckable(True)
        self.hold_button.clicked.connect(
            lambda checked: self.commandRequested.emit(HoldController(bool(checked))))
        self.resume_ctrl_button = QPushButton()
        self.resume_ctrl_button.clicked.connect(
            lambda: self.commandRequested.emit(ResumeController()))
        self.speed_spin = QDoubleSpinBox()
        self.speed_spin.setRange(0.0, 25.0)
        self.speed_spin.setSingleStep(0.1)
        self.speed_spin.setDecimals(1)
        self.speed_set = QPushButton()
        self.speed_set.clicked.connect(
            lambda: self.commandRequested.emit(ManualSpeed(self.speed_spin.value())))
        self.incline_spin = QDoubleSpinBox()
        self.incline_spin.setRange(-5.0, 25.0)
        self.incline_spin.setSingleStep(0.5)
        self.incline_spin.setDecimals(1)
        self.incline_set = QPushButton()
        self.incline_set.clicked.connect(
            lambda: self.commandRequested.emit(ManualIncline(self.incline_spin.value())))
        self.speed_label = QLabel()
        self.incline_label = QLabel()
        self.speed_mode = QLabel()
        self.speed_mode.setObjectName("speedMode")
        self.incline_mode = QLabel()
        self.incline_mode.setObjectName("inclineMode")
        # belt buttons never take keyboard focus: Space/Enter on a focused control
        # must not press them
        for b in (self.estop, self.start_button, self.pause_button, self.next_button,
                  self.stop_button, self.target_minus, self.target_plus, self.hold_button,
                  self.resume_ctrl_button, self.speed_set, self.incline_set):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        grid = QGridLayout(self.override_box)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setVerticalSpacing(3)
        grid.addWidget(self.target_minus, 0, 0)
        grid.addWidget(self.target_label, 0, 1)
        grid.addWidget(self.target_plus, 0, 2)
        controller_row = QHBoxLayout()
        controller_row.addWidget(self.hold_button, 1)
        controller_row.addWidget(self.resume_ctrl_button, 1)
        grid.addLayout(controller_row, 1, 0, 1, 3)
        grid.addWidget(self.speed_label, 2, 0)
        grid.addWidget(self.speed_spin, 2, 1)
        grid.addWidget(self.speed_set, 2, 2)
        grid.addWidget(self.incline_label, 3, 0)
        grid.addWidget(self.incline_spin, 3, 1)
        grid.addWidget(self.incline_set, 3, 2)
        # who drives each axis: shown by the main window in the console's header, next
        # to the speed and incline it shows
        self.axis_modes = QWidget()
        modes = QHBoxLayout(self.axis_modes)
        modes.setContentsMargins(0, 0, 0, 0)
        modes.setSpacing(8)
        for label in (self.speed_mode, self.incline_mode):
            label.setWordWrap(True)
            modes.addWidget(label, 1)

        # Stop sits under Start (disabled while a session runs), not beside Pause
        buttons = QGridLayout()
        buttons.addWidget(self.start_button, 0, 0)
        buttons.addWidget(self.pause_button, 0, 1)
        buttons.addWidget(self.stop_button, 1, 0)
        buttons.addWidget(self.next_button, 1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.estop)
        layout.addLayout(buttons)
        layout.addWidget(self.override_box)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #333333; font-size: 11px;")
        row = QHBoxLayout()
        row.addWidget(self.hint)
        layout.addLayout(row)
        self.retranslate()
        self.update_enabled()

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible string in the current language."""
        self.estop.setText(self.tr("EMERGENCY STOP"))
        self.estop.setToolTip(
            self.tr("Stops the belt now. Key: %1, from any window of the app")
            .replace("%1", EMERGENCY_KEY_NAME))
        self.start_button.setText(self.tr("Start"))
        paused = self.state == SessionState.PAUSED
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        self.next_button.setText(self.tr("Next phase..."))
        self.stop_button.setText(self.tr("Stop session..."))
        self.override_box.setTitle(self.tr("Overrides"))
        self.target_minus.setText(self.tr("Target -%1").replace("%1", fmt(TARGET_STEP_BPM, 0)))
        self.target_plus.setText(self.tr("Target +%1").replace("%1", fmt(TARGET_STEP_BPM, 0)))
        self.target_label.setText(
            self.tr("offset %1 bpm").replace("%1", fmt(self._offset, 0)))
        self.hold_button.setText(self.tr("Hold controller"))
        self.resume_ctrl_button.setText(self.tr("Back to automatic"))
        self.resume_ctrl_button.setToolTip(
            self.tr("Hands manual speed and incline back to the automatic control, or "
                    "resumes it after the safety supervisor suspended it"))
        self.speed_label.setText(self.tr("Speed (km/h)"))
        self.incline_label.setText(self.tr("Incline (%)"))
        self.speed_set.setText(self.tr("Set speed"))
        self.incline_set.setText(self.tr("Set incline"))
        self.hint.setText(
            self.tr("%1: emergency stop (from any window)").replace("%1", EMERGENCY_KEY_NAME))
        for spin in (self.speed_spin, self.incline_spin):
            spin.setLocale(QLocale())  # decimal comma in Dutch
        self._show_axis_modes()

    def axis_mode_text(self, axis: str) -> tuple[str, bool]:
        """What drives ``axis`` ("speed" or "incline") now, and whether it is manual."""
        name = self.tr("Speed") if axis == "speed" else self.tr("Incline")
        manual = self._speed_manual if axis == "speed" else self._incline_manual
        if self._advisory:
            mode = self.tr("advice only (set it at the treadmill)")
        elif manual:
            mode = self.tr("manual (set by therapist)")
        elif self._suspended:
            mode = self.tr("held (automatic control suspended)")
        elif self._held:
            mode = self.tr("held by therapist")
        else:
            mode = self.tr("automatic")
        return self.tr("%1: %2").replace("%1", name).replace("%2", mode), manual

    def _show_axis_modes(self) -> None:
        for axis, label in (("speed", self.speed_mode), ("incline", self.incline_mode)):
            text, manual = self.axis_mode_text(axis)
            label.setText(text)
            style = f"font-size: {self._secondary_px}px; font-weight: bold; padding: 1px 4px;"
            if manual:
                style += f" color: black; background: {theme.ORANGE}; border-radius: 3px;"
            label.setStyleSheet(style)

    def apply_fonts(self, fonts: theme.ConsoleFonts) -> None:
        """Scale the controls' text (see :func:`ui.theme.console_fonts`)."""
        self._secondary_px = fonts.secondary_px
        self.estop.setStyleSheet(theme.estop_style(fonts.estop_px))
        self.estop.setMinimumHeight(round(64 * fonts.scale))
        for b in (self.start_button, self.pause_button, self.next_button, self.stop_button):
            b.setStyleSheet(theme.big_button_style(fonts.button_px))
        self.hint.setStyleSheet(f"color: #333333; font-size: {fonts.secondary_px}px;")
        self._show_axis_modes()

    # ---- the irreversible commands ask first ------------------------------------------

    def ask_stop(self) -> None:
        """Ask before stopping the session (Cancel is the default)."""
        self._ask(
            self.tr("Stop the session?"),
            self.tr("The belt slows to a stop and the session ends now. It cannot be "
                    "resumed: a new session needs a new start."),
            self.tr("Stop the session"),
            lambda: self.commandRequested.emit(StopSession()),
            still_valid=lambda s: not s.is_terminal,
        )

    def ask_next_phase(self) -> None:
        """Ask before ending the current phase early (Cancel is the default)."""
        s = self.state
        if s == SessionState.WARMUP:
            title = self.tr("End the warm-up now?")
            text = self.tr("The main phase starts now. The warm-up cannot be resumed.")
            yes = self.tr("End the warm-up")
        elif s == SessionState.MAIN:
            title = self.tr("End the main phase now?")
            text = self.tr("The cool-down starts now. The main phase cannot be resumed.")
            yes = self.tr("End the main phase")
        elif s == SessionState.COOLDOWN:
            title = self.tr("End the cool-down now?")
            text = self.tr("The belt slows to a stop and the session is finished.")
            yes = self.tr("End the cool-down")
        else:
            return
        self._ask(title, text, yes, lambda: self.commandRequested.emit(SkipPhase()),
                  still_valid=lambda now: now == s)

    def _ask(self, title: str, text: str, yes_text: str, action: Callable[[], None],
             still_valid: Callable[[SessionState], bool]) -> None:
        """A window-modal question; ``action`` runs only on Yes while ``still_valid``.

        The question does not block the event loop, so snapshots, alarms and the
        emergency stop keep working while it is open; it closes by itself (as Cancel)
        as soon as the session state makes it stale.
        """
        self._close_question()
        box = QMessageBox(QMessageBox.Icon.Question, title, title,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self)
        box.setInformativeText(text)  # the question itself, not only in the title bar
        yes = box.button(QMessageBox.StandardButton.Yes)
        yes.setText(yes_text)
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)

        def answered(button: object) -> None:
            if button is yes and still_valid(self.state):
                action()

        box.buttonClicked.connect(answered)
        box.finished.connect(lambda _result: self._forget_question(box))
        self.confirm_box = box
        self._confirm_valid = still_valid
        box.open()

    def _forget_question(self, box: QMessageBox) -> None:
        if self.confirm_box is box:
            self.confirm_box = None
            self._confirm_valid = None
        box.deleteLater()

    def _drop_stale_question(self) -> None:
        """Close the open question when the session moved on (it no longer applies)."""
        if self._confirm_valid is not None and not self._confirm_valid(self.state):
            self._close_question()

    def _close_question(self) -> None:
        box = self.confirm_box
        if box is not None:
            self.confirm_box = None
            self._confirm_valid = None
            box.reject()

    def _pause_resume(self) -> None:
        if self.state == SessionState.PAUSED:
            self.commandRequested.emit(ResumeSession())
        else:
            self.commandRequested.emit(PauseSession())

    def set_can_start(self, can_start: bool) -> None:
        """Enable Start once a station is connected and the preflight passed."""
        self.can_start = can_start
        self.update_enabled()

    def show_snapshot(self, snap: SessionSnapshot) -> None:
        """Follow the session state (enable/disable, labels)."""
        self.state = snap.state
        self._held = snap.controller_held
        self._suspended = snap.controller_suspended
        self._offset = snap.target_offset_bpm
        self._speed_manual = snap.speed_manual
        self._incline_manual = snap.incline_manual
        self._advisory = snap.advisory_mode
        self._drop_stale_question()
        self.hold_button.setChecked(snap.controller_held)
        if not self.speed_spin.hasFocus():
            self.speed_spin.setValue(snap.speed_cmd_kmh)
        if not self.incline_spin.hasFocus():
            self.incline_spin.setValue(snap.incline_cmd_pct)
        self.retranslate()
        self.update_enabled()

    def set_state(self, state: SessionState) -> None:
        """Set the state without a snapshot (e.g. a new session)."""
        self.state = state
        self._drop_stale_question()
        self.retranslate()
        self.update_enabled()

    def update_enabled(self) -> None:
        """Enable what makes sense in the current state; E-stop is always enabled."""
        s = self.state
        active = s.is_exercising or s == SessionState.PAUSED
        self.estop.setEnabled(True)
        self.start_button.setEnabled(self.can_start and s == SessionState.IDLE)
        self.pause_button.setEnabled(active)
        self.next_button.setEnabled(s.is_exercising)
        self.stop_button.setEnabled(active or s == SessionState.PREFLIGHT)
        for w in (self.target_minus, self.target_plus, self.hold_button, self.speed_spin,
                  self.speed_set, self.incline_spin, self.incline_set):
            w.setEnabled(s.is_exercising)
        self.resume_ctrl_button.setEnabled(
            s.is_exercising
            and (self._suspended or self._speed_manual or self._incline_manual))
