"""Big, unambiguous session controls and therapist overrides.

Start, pause/resume, next phase, stop and a red EMERGENCY STOP that is enabled in every
state; target +/- bpm, hold controller, resume controller, manual speed and incline.
The widget only emits commands; the main window sends them through the bridge.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
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
        self.next_button.clicked.connect(lambda: self.commandRequested.emit(SkipPhase()))
        self.stop_button.clicked.connect(lambda: self.commandRequested.emit(StopSession()))

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

        grid = QGridLayout(self.override_box)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setVerticalSpacing(3)
        grid.addWidget(self.target_minus, 0, 0)
        grid.addWidget(self.target_label, 0, 1)
        grid.addWidget(self.target_plus, 0, 2)
        grid.addWidget(self.hold_button, 1, 0, 1, 2)
        grid.addWidget(self.resume_ctrl_button, 1, 2)
        grid.addWidget(self.speed_label, 2, 0)
        grid.addWidget(self.speed_spin, 2, 1)
        grid.addWidget(self.speed_set, 2, 2)
        grid.addWidget(self.incline_label, 3, 0)
        grid.addWidget(self.incline_spin, 3, 1)
        grid.addWidget(self.incline_set, 3, 2)

        buttons = QGridLayout()
        buttons.addWidget(self.start_button, 0, 0)
        buttons.addWidget(self.pause_button, 0, 1)
        buttons.addWidget(self.next_button, 1, 0)
        buttons.addWidget(self.stop_button, 1, 1)
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
        self.estop.setToolTip(self.tr("Stops the belt now (Esc or Space)"))
        self.start_button.setText(self.tr("Start"))
        paused = self.state == SessionState.PAUSED
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        self.next_button.setText(self.tr("Next phase"))
        self.stop_button.setText(self.tr("Stop"))
        self.override_box.setTitle(self.tr("Overrides"))
        self.target_minus.setText(self.tr("Target -%1").replace("%1", fmt(TARGET_STEP_BPM, 0)))
        self.target_plus.setText(self.tr("Target +%1").replace("%1", fmt(TARGET_STEP_BPM, 0)))
        self.target_label.setText(
            self.tr("offset %1 bpm").replace("%1", fmt(self._offset, 0)))
        self.hold_button.setText(self.tr("Hold controller"))
        self.resume_ctrl_button.setText(self.tr("Resume control"))
        self.speed_label.setText(self.tr("Speed (km/h)"))
        self.incline_label.setText(self.tr("Incline (%)"))
        self.speed_set.setText(self.tr("Set speed"))
        self.incline_set.setText(self.tr("Set incline"))
        self.hint.setText(self.tr("Esc or Space: emergency stop"))
        for spin in (self.speed_spin, self.incline_spin):
            spin.setLocale(QLocale())  # decimal comma in Dutch

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
        self.resume_ctrl_button.setEnabled(s.is_exercising and self._suspended)
