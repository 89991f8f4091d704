"""The therapist console: patient and template pickers, devices, live session, summary.

The window never touches devices or the engine directly. It builds a station through a
``setup_builder`` (see :mod:`runningroom_app.wiring.app`) and talks to it only through the
:class:`~ui.bridge.StationBridge`. Snapshots are drained from the bridge when it signals;
plots redraw on their own fixed timer.

Safety UX:
  * EMERGENCY STOP: the red button and one dedicated key (:data:`EMERGENCY_STOP_KEY`,
    F12) from any window or dialog of the app and in any state. Escape, Space and Enter
    are never an emergency stop: Escape closes the dialog it is pressed in, and the
    buttons that act on the belt take no keyboard focus;
  * Stop and Next phase ask first (see :class:`~ui.controls.SessionControls`);
  * the profile of the patient on the belt opens read-only while their session runs;
  * closing mid-session asks for confirmation, then stops the belt, finishes the
    recording and disconnects before the window goes away;
  * "Continue without HR" (offered while the HR is lost or untrusted) asks for
    confirmation first and, while on, shows a red banner with the way back;
  * an implausible HR alarm offers "Confirm HR" on its card.
"""

from __future__ import annotations

import datetime as _dt
import logging
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QObject,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QScreen, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from runningroom.model import PatientProfile, SessionTemplate
from runningroom.recording.model import EventRecord
from runningroom.session.model import (
    AcknowledgeAlarm,
    ConfirmHr,
    OperatorCommand,
    SessionSnapshot,
    SessionState,
)
from ui import theme
from ui.alarms import AlarmPanel
from ui.bridge import SetupFactory, StationBridge
from ui.controls import SessionControls
from ui.devices_panel import DevicePanel
from ui.entry import QuickEntry, marker_label
from ui.i18n import LANGUAGES, current_language, set_language
from ui.patient_screen import PatientScreen
from ui.plots import LivePlots, SessionHistory
from ui.pre_session import PreSessionGate
from ui.profile_editor import ProfileDialog
from ui.settings import LANGUAGE_KEY, MAIN_GEOMETRY_KEY, app_settings
from ui.summary import SummaryView
from ui.texts import (
    alarm_event_text,
    band_text,
    console_grade_text,
    fmt,
    format_clock,
    hrmax_source_name,
    phase_name,
    quality_name,
)
from ui.timeline import TemplateTimeline
from ui.without_hr import WithoutHrBar

logger = logging.getLogger(__name__)

#: builds a station factory for (profile, template, treadmill address, HR address)
SetupBuilder = Callable[[PatientProfile, SessionTemplate, str, str], SetupFactory]
#: ``scan(timeout_s)``: a coroutine listing nearby devices (objects with ``address``,
#: ``name``, ``kind`` and ``rssi_dbm``); supplied by the composition root.
DeviceScan = Callable[[float], Coroutine[Any, Any, Sequence[Any]]]


#: the emergency stop key: used by no dialog or control (never Escape, Space or Enter)
EMERGENCY_STOP_KEY = Qt.Key.Key_F12
#: screens up to this width open the console maximised; wider ones at
#: :data:`WINDOW_SHARE` of the available area
SMALL_SCREEN_WIDTH_PX = 1440
WINDOW_SHARE = 0.8
#: a saved window smaller than this share of the screen (either way) is not restored
RESTORE_MIN_SHARE = 0.7


class EmergencyKeyFilter(QObject):
    """Application-wide key filter: :data:`EMERGENCY_STOP_KEY` is an emergency stop.

    An application event filter rather than a ``QShortcut``: Qt disables a window's
    application shortcuts while a modal dialog covers it, and the key must work over the
    profile editor and the confirmation questions too. Only this key is taken (with any
    modifier; held down it stops once); every other key reaches the dialogs and controls
    as usual.
    """

    triggered = Signal()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Turn a press of the emergency stop key into an emergency stop."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() != EMERGENCY_STOP_KEY:
            return False
        if not event.isAutoRepeat():
            self.triggered.emit()
        return True


class MainWindow(QMainWindow):
    """The therapist console.

    Args:
        setup_builder: makes the station factory for the chosen patient, template and
            device addresses.
        patients: patients to offer (the demo patient first in demo mode).
        templates: session templates to offer.
        bridge: the bridge to use (a new one by default; the window owns it).
        demo: demo mode: connect to the simulated devices right away.
        save_profile: persists an edited profile (default: the clinic directory).
    """

    def __init__(
        self,
        setup_builder: SetupBuilder,
        patients: list[PatientProfile],
        templates: list[SessionTemplate],
        bridge: StationBridge | None = None,
        demo: bool = False,
        save_profile: Callable[[PatientProfile], Any] | None = None,
        default_template: str = "standard",
        device_scan: DeviceScan | None = None,
    ) -> None:
        super().__init__()
        self.setup_builder = setup_builder
        self.device_scan = device_scan
        self.patients = list(patients)
        self.templates = list(templates)
        self.demo = demo
        self._save_profile = save_profile
        self.bridge = bridge or StationBridge()
        self.history = SessionHistory()
        self.latest: SessionSnapshot | None = None
        self.summary: Any = None
        self.session_started = False
        self.session_ended = False
        self.start_error_box: QMessageBox | None = None
        self.connected_ok = False
        self.emergency_count = 0
        self.confirm_close: Callable[[], bool] = self._ask_close
        self._closing = False
        #: code of the patient the connected station (and its session) is for
        self.station_patient_code: str | None = None
        #: the therapist's target offset while a session runs (None: no session yet)
        self._live_offset_bpm: float | None = None
        #: the status line keeps a message (error, stall) until this monotonic time
        self._status_hold_until_s = 0.0
        self._estop_sent = False
        self._screen_watched = False
        self.fonts = theme.console_fonts(768)

        self.patient_screen = PatientScreen()
        self._build_ui()

        # GUI updates are coalesced to at most ~20 per second whatever the tick rate
        self._drain_timer = QTimer(self)
        self._drain_timer.setSingleShot(True)
        self._drain_timer.setInterval(50)
        self._drain_timer.timeout.connect(self._drain)
        b = self.bridge
        b.snapshotsReady.connect(self._schedule_drain)
        b.eventRecorded.connect(self._on_event)
        b.connected.connect(self._on_connected)
        b.connectFailed.connect(self._on_connect_failed)
        b.sessionFinished.connect(self._on_finished)
        b.errorOccurred.connect(self._on_error)
        b.sessionStartFailed.connect(self._on_start_failed)
        self.pre_session = PreSessionGate(self)  # Start opens the pre-session check
        index = next((i for i, t in enumerate(self.templates) if t.name == default_template), 0)
        self.template_combo.setCurrentIndex(index)
        self._refill_patients()
        self._on_template_changed()

        self.key_filter = EmergencyKeyFilter(self)
        self.key_filter.triggered.connect(self.emergency_stop)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.key_filter)

        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(1000)
        self.clock_timer.timeout.connect(self._tick_status)
        self.clock_timer.start()
        self.retranslate()
        if not self.connected_ok and not demo:
            self.status_line.setText(
                self.tr("Choose the patient and the template, then connect the devices "
                        "(Devices tab)."))
        screen = self.screen() or QGuiApplication.primaryScreen()
        self.apply_fonts(screen.geometry().height() if screen is not None else 768)
        self.place_on_screen(screen.availableGeometry() if screen is not None else None)

    # ---- size and text scale ------------------------------------------------------------

    def place_on_screen(self, available: QRect | None) -> None:
        """Open at a sensible size for a screen whose available area is ``available``.

        The saved geometry when it is usable there; else maximised on screens up to
        :data:`SMALL_SCREEN_WIDTH_PX` wide and :data:`WINDOW_SHARE` of the available
        area (centred) on wider ones.

        A saved geometry is usable when it was maximised, or fits on the screen and
        covers at least :data:`RESTORE_MIN_SHARE` of its width and height (so a window
        saved on another screen or left small does not come back small or cut off).
        """
        if available is None:
            self.resize(1366, 768)
            return
        geometry = app_settings().value(MAIN_GEOMETRY_KEY)
        if isinstance(geometry, QByteArray | bytes) and self.restoreGeometry(
                QByteArray(geometry)):
            if self.windowState() & Qt.WindowState.WindowMaximized:
                return
            g = self.geometry()
            if (available.contains(g.center())
                    and available.width() * RESTORE_MIN_SHARE <= g.width() <= available.width()
                    and available.height() * RESTORE_MIN_SHARE <= g.height()
                    <= available.height()):
                return
        if available.width() <= SMALL_SCREEN_WIDTH_PX:
            self.resize(available.size())
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
            return
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMaximized)
        size = QSize(round(available.width() * WINDOW_SHARE),
                     round(available.height() * WINDOW_SHARE))
        frame = QRect(available.topLeft(), size)
        frame.moveCenter(available.center())
        self.setGeometry(frame)

    def apply_fonts(self, screen_height_px: int) -> None:
        """Scale the console's text to a screen ``screen_height_px`` high.

        See :func:`ui.theme.console_fonts`; the window follows its screen's height.
        """
        fonts = theme.console_fonts(screen_height_px)
        self.fonts = fonts
        font = self.font()
        font.setPixelSize(fonts.secondary_px)
        self.setFont(font)
        self.hr_value.setStyleSheet(f"font-size: {fonts.hr_px}px; font-weight: bold;")
        self.hr_value.setMinimumWidth(round(fonts.hr_px * 2.1))
        self.hr_unit.setStyleSheet(f"font-size: {fonts.secondary_px}px;")
        self.phase_value.setStyleSheet(f"font-size: {fonts.phase_px}px; font-weight: bold;")
        self.time_value.setStyleSheet(f"font-size: {fonts.zone_px}px;")
        self.detail_value.setStyleSheet(f"font-size: {fonts.secondary_px + 1}px;")
        self.controller_value.setStyleSheet(f"font-size: {fonts.secondary_px}px;")
        self.prescription_label.setStyleSheet(
            f"color: #222222; font-size: {fonts.secondary_px}px;")
        self._set_status_style(alarm=self._estop_sent)
        self.right_widget.setFixedWidth(round(372 * fonts.scale))
        self.controls.apply_fonts(fonts)
        self.alarms.apply_fonts(fonts.secondary_px)
        self.plots.apply_fonts(fonts.plot_px)
        self._show_snapshot_status(self.latest)

    def _set_status_style(self, alarm: bool) -> None:
        px = self.fonts.secondary_px
        if alarm:
            self.status_line.setStyleSheet(
                f"font-size: {px + 1}px; font-weight: bold; color: white; background: #C00000;")
        else:
            self.status_line.setStyleSheet(f"font-size: {px}px; color: #000000;")

    def showEvent(self, event: QShowEvent) -> None:
        """Follow the window to another screen (text scale)."""
        super().showEvent(event)
        handle = self.windowHandle()
        if handle is not None and not self._screen_watched:
            self._screen_watched = True
            handle.screenChanged.connect(self._follow_screen)

    def _follow_screen(self, screen: QScreen | None) -> None:
        if screen is not None:
            self.apply_fonts(screen.geometry().height())

    # ---- layout -------------------------------------------------------------------------

    def _build_ui(self) -> None:
        central = QWidget()
        self.setCentralWidget(central)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(6, 4, 6, 4)
        outer.setSpacing(4)

        # top bar: patient, template, timeline, patient screen, language
        top = QHBoxLayout()
        self.patient_label = QLabel()
        self.patient_combo = QComboBox()
        self.patient_combo.setMinimumWidth(170)
        self.patient_combo.currentIndexChanged.connect(self._on_patient_changed)
        self.edit_patient_button = QPushButton()
        self.edit_patient_button.clicked.connect(lambda: self.edit_patient(new=False))
        self.new_patient_button = QPushButton()
        self.new_patient_button.clicked.connect(lambda: self.edit_patient(new=True))
        self.template_label = QLabel()
        self.template_combo = QComboBox()
        for t in self.templates:
            self.template_combo.addItem(t.name)
        self.template_combo.currentIndexChanged.connect(self._on_template_changed)
        self.patient_screen_button = QPushButton()
        self.patient_screen_button.setCheckable(True)
        self.patient_screen_button.toggled.connect(self.show_patient_screen)
        self.language_label = QLabel()
        self.language_combo = QComboBox()
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(
            max(self.language_combo.findData(current_language()), 0))
        self.language_combo.currentIndexChanged.connect(self._on_language_changed)
        for w in (self.patient_label, self.patient_combo, self.edit_patient_button,
                  self.new_patient_button, self.template_label, self.template_combo):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.patient_screen_button)
        top.addWidget(self.patient_screen.console_options())
        top.addWidget(self.language_label)
        top.addWidget(self.language_combo)
        outer.addLayout(top)
        self.timeline = TemplateTimeline()
        self.prescription_label = QLabel()
        self.prescription_label.setObjectName("zoneLine")
        self.prescription_label.setStyleSheet("color: #222222;")
        outer.addWidget(self.prescription_label)
        outer.addWidget(self.timeline)

        self.tabs = QTabWidget()
        outer.addWidget(self.tabs, 1)

        # session tab
        session = QWidget()
        s_layout = QHBoxLayout(session)
        s_layout.setContentsMargins(2, 2, 2, 2)
        self.controls = SessionControls()
        self.controls.startRequested.connect(lambda: self.pre_session.open())
        self.controls.emergencyRequested.connect(self.emergency_stop)
        self.controls.commandRequested.connect(self.send)
        left = QVBoxLayout()
        left.addWidget(self._build_status())
        self.without_hr = WithoutHrBar()
        self.without_hr.commandRequested.connect(self.send)
        left.addWidget(self.without_hr)
        self.plots = LivePlots(self.history)
        left.addWidget(self.plots, 1)
        right_widget = QWidget()
        right_widget.setFixedWidth(372)
        self.right_widget = right_widget
        right = QVBoxLayout(right_widget)
        right.setContentsMargins(0, 0, 0, 0)
        self.alarms = AlarmPanel()
        self.alarms.acknowledgeRequested.connect(
            lambda alarm_id: self.send(AcknowledgeAlarm(alarm_id)))
        self.alarms.confirmHrRequested.connect(lambda: self.send(ConfirmHr()))
        self.entry = QuickEntry()
        self.entry.commandRequested.connect(self.send)
        left.addWidget(self.entry.log)  # the ratings and notes recorded this session
        right.addWidget(self.controls)
        right.addWidget(self.alarms, 1)
        right.addWidget(self.entry)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left.setContentsMargins(0, 0, 0, 0)
        s_layout.addWidget(left_widget, 1)
        s_layout.addWidget(right_widget)
        self.tabs.addTab(session, "")

        self.devices = DevicePanel()
        self.devices.connectRequested.connect(self.connect_devices)
        self.devices.scanRequested.connect(self.scan_devices)
        self.tabs.addTab(self.devices, "")
        self.summary_view = SummaryView()
        self.tabs.addTab(self.summary_view, "")
        self.history_widget = _records_widget()
        if self.history_widget is not None:
            # scrollable, so the records widget's own minimum size cannot push the
            # console beyond 1366x768
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(self.history_widget)
            self.tabs.addTab(scroll, "")

    def _build_status(self) -> QWidget:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(frame)
        grid.setContentsMargins(8, 2, 8, 2)
        grid.setVerticalSpacing(0)
        self.hr_value = QLabel("--")
        self.hr_value.setStyleSheet("font-size: 44px; font-weight: bold;")
        self.hr_value.setMinimumWidth(110)
        self.hr_value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.hr_unit = QLabel()
        self.zone_state = QLabel()
        self.zone_state.setStyleSheet("font-size: 16px; font-weight: bold; padding: 2px 6px;")
        self.phase_value = QLabel()
        self.phase_value.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.time_value = QLabel()
        self.time_value.setWordWrap(True)
        self.time_value.setStyleSheet("font-size: 16px;")
        self.detail_value = QLabel()
        self.detail_value.setWordWrap(True)
        self.detail_value.setStyleSheet("font-size: 14px;")
        self.controller_value = QLabel()
        self.controller_value.setWordWrap(True)
        self.controller_value.setStyleSheet("font-size: 13px;")
        self.status_line = QLabel()
        self.status_line.setWordWrap(True)
        self.status_line.setStyleSheet("font-size: 13px; color: #000000;")
        grid.addWidget(self.hr_value, 0, 0, 2, 1)
        hr_col = QVBoxLayout()
        hr_col.addWidget(self.hr_unit)
        hr_col.addWidget(self.zone_state)
        grid.addLayout(hr_col, 0, 1, 2, 1)
        grid.addWidget(self.phase_value, 0, 2)
        grid.addWidget(self.time_value, 1, 2)
        grid.addWidget(self.detail_value, 0, 3)
        grid.addWidget(self.controller_value, 1, 3)
        grid.addWidget(self.status_line, 2, 0, 1, 3)
        grid.addWidget(self.controls.axis_modes, 2, 3)
        grid.setColumnStretch(3, 1)
        return frame

    # ---- i18n ---------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible string in the current language."""
        self.setWindowTitle(self.tr("RunningRoom - therapist console")
                            + (" " + self.tr("(demo)") if self.demo else ""))
        self.patient_label.setText(self.tr("Patient"))
        self.edit_patient_button.setText(self.tr("Edit..."))
        self.new_patient_button.setText(self.tr("New..."))
        self.template_label.setText(self.tr("Template"))
        self.patient_screen_button.setText(self.tr("Patient screen"))
        self.language_label.setText(self.tr("Language"))
        self.tabs.setTabText(0, self.tr("Session"))
        self.tabs.setTabText(1, self.tr("Devices"))
        self.tabs.setTabText(2, self.tr("Summary"))
        if self.history_widget is not None:
            self.tabs.setTabText(3, self.tr("History"))
        self.hr_unit.setText(self.tr("bpm"))
        self._update_prescription_label()
        self._show_snapshot_status(self.latest)
        if self.latest is not None:
            self._show_session_status(self.latest)

    def _on_language_changed(self) -> None:
        code = self.language_combo.currentData()
        self.change_language(str(code))

    def change_language(self, code: str) -> None:
        """Switch the UI language and remember it."""
        set_language(code)
        settings = app_settings()
        settings.setValue(LANGUAGE_KEY, code)
        settings.sync()
        index = self.language_combo.findData(code)
        if index >= 0 and index != self.language_combo.currentIndex():
            self.language_combo.blockSignals(True)
            self.language_combo.setCurrentIndex(index)
            self.language_combo.blockSignals(False)

    # ---- patient / template -----------------------------------------------------------------

    @property
    def profile(self) -> PatientProfile | None:
        """The selected patient."""
        i = self.patient_combo.currentIndex()
        return self.patients[i] if 0 <= i < len(self.patients) else None

    @property
    def template(self) -> SessionTemplate | None:
        """The selected template."""
        i = self.template_combo.currentIndex()
        return self.templates[i] if 0 <= i < len(self.templates) else None

    def _refill_patients(self, select_code: str | None = None) -> None:
        self.patient_combo.blockSignals(True)
        self.patient_combo.clear()
        for p in self.patients:
            name = f"{p.code}" + (f" ({p.display_name})" if p.display_name else "")
            self.patient_combo.addItem(name, p.code)
        if select_code is not None:
            self.patient_combo.setCurrentIndex(max(self.patient_combo.findData(select_code), 0))
        self.patient_combo.blockSignals(False)
        self._update_prescription_label()
        self._follow_patient_in_records()

    def _on_patient_changed(self) -> None:
        self._update_prescription_label()
        self._follow_patient_in_records()
        self._selection_changed()

    def _follow_patient_in_records(self) -> None:
        select = getattr(self.history_widget, "select_patient", None)
        if callable(select) and self.profile is not None:
            select(self.profile.code)

    def _on_template_changed(self) -> None:
        self.timeline.set_template(self.template)
        self._selection_changed()

    def _selection_changed(self) -> None:
        if self.session_started and not self.session_ended:
            return
        if self.connected_ok or self.demo:
            self.connect_devices()

    def _update_prescription_label(self) -> None:
        profile = self.profile
        if profile is None:
            self.prescription_label.setText(self.tr("No patient selected"))
            return
        try:
            from runningroom.prescription import compute_prescription

            rx = compute_prescription(profile, _dt.date.today())
        except Exception as exc:
            logger.warning("cannot compute the prescription: %s", exc)
            self.prescription_label.setText(str(exc))
            return
        offset = self._live_offset_bpm if self._session_is_for(profile) else None
        if offset:
            # the therapist moved the target during this session: the line says so
            text = (self.tr("Zone %1-%2 bpm (target %3, therapist %4 bpm), ceiling %5 bpm, "
                            "HRmax %6 (%7)")
                    .replace("%1", fmt(rx.zone_low_bpm, 0))
                    .replace("%2", fmt(rx.zone_high_bpm, 0))
                    .replace("%3", fmt(rx.target_bpm + offset, 0))
                    .replace("%4", f"{offset:+.0f}")
                    .replace("%5", fmt(rx.ceiling_bpm, 0))
                    .replace("%6", fmt(rx.hrmax_bpm, 0))
                    .replace("%7", hrmax_source_name(rx.hrmax_source)))
        else:
            text = (self.tr("Zone %1-%2 bpm (target %3), ceiling %4 bpm, HRmax %5 (%6)")
                    .replace("%1", fmt(rx.zone_low_bpm, 0))
                    .replace("%2", fmt(rx.zone_high_bpm, 0))
                    .replace("%3", fmt(rx.target_bpm, 0))
                    .replace("%4", fmt(rx.ceiling_bpm, 0))
                    .replace("%5", fmt(rx.hrmax_bpm, 0))
                    .replace("%6", hrmax_source_name(rx.hrmax_source)))
        if profile.beta_blocker:
            text += "  |  " + self.tr("BETA-BLOCKER: HR responds less, use RPE alongside")
        self.prescription_label.setText(text)

    @property
    def session_active(self) -> bool:
        """A session was started on the connected station and has not ended."""
        return self.session_started and not self.session_ended

    def _session_is_for(self, profile: PatientProfile | None) -> bool:
        return (self.session_active and profile is not None
                and profile.code == self.station_patient_code)

    def edit_patient(self, new: bool) -> ProfileDialog:
        """Open the profile editor (modal) for the selected or a new patient.

        The profile of the patient on the belt opens read-only while their session
        runs: the session keeps the prescription it started with.
        """
        profile = None if new else self.profile
        dialog = ProfileDialog(profile, self._store_profile, self)
        dialog.editor.profileAccepted.connect(self._profile_saved)
        if self._session_is_for(profile):
            dialog.set_read_only(
                self.tr("%1 is on the belt: this profile can be changed after the "
                        "session.").replace("%1", profile.code if profile else ""))
        dialog.setModal(True)
        dialog.show()
        return dialog

    def _store_profile(self, profile: PatientProfile) -> Any:
        if self._save_profile is not None:
            return self._save_profile(profile)
        from runningroom.profiles_io import save_patient

        return save_patient(profile)

    def _profile_saved(self, profile: PatientProfile) -> None:
        self.patients = [p for p in self.patients if p.code != profile.code] + [profile]
        self._refill_patients(select_code=profile.code)
        self._on_patient_changed()

    # ---- devices ------------------------------------------------------------------------

    def connect_devices(self, treadmill_address: str = "", hr_address: str = "") -> None:
        """Compose a station for the selection and connect it (async)."""
        if self.bridge.session_running:
            logger.warning("connect ignored while a session runs")
            return
        profile, template = self.profile, self.template
        if profile is None or template is None:
            return
        tm = treadmill_address or self.devices.treadmill_address.currentText().strip()
        hr = hr_address or self.devices.hr_address.currentText().strip()
        self.connected_ok = False
        self.session_started = False
        self.session_ended = False
        self.station_patient_code = profile.code
        self._live_offset_bpm = None
        self._update_prescription_label()
        self.controls.set_can_start(False)
        self.controls.set_state(SessionState.IDLE)
        self.devices.set_connecting()
        self.status_line.setText(self.tr("Connecting..."))
        self.bridge.attach(self.setup_builder(profile, template, tm or "sim:", hr or "sim:"))

    def scan_devices(self) -> None:
        """Scan for devices with the injected ``device_scan`` (when there is one)."""
        scan = self.device_scan
        if scan is None:
            self.devices.set_scan_results(self.tr("Bluetooth scanning is not available"))
            return
        self.devices.set_scan_results(self.tr("Scanning..."))
        future = self.bridge.run_on_loop(scan(5.0))

        def done(f: Any) -> None:
            try:
                found = [(str(getattr(d, "address", d)), str(getattr(d, "name", "")),
                          str(getattr(d, "kind", "")), getattr(d, "rssi_dbm", None))
                         for d in f.result()]
            except Exception as exc:
                found_text = str(exc)
                QTimer.singleShot(0, self, lambda: self.devices.set_scan_results(found_text))
                return
            QTimer.singleShot(0, self, lambda: self.devices.set_scan_results(found))

        future.add_done_callback(done)

    def _on_connected(self, result: Any) -> None:
        self.connected_ok = True
        self.devices.set_preflight(result)
        ok = bool(getattr(result, "ok", True))
        # advisory mode and a missing HR strap are warnings, not blockers: the engine
        # waits for a trusted HR in preflight and gives speed advice when monitor-only
        self.controls.set_can_start(True)
        self._estop_sent = False
        self._set_status_style(alarm=False)
        self.status_line.setText(self.tr("Devices connected; ready to start")
                                 if ok else self.tr("Connected with warnings: see Devices"))
        self.patient_screen.show_snapshot(None)

    def _on_connect_failed(self, message: str) -> None:
        self.connected_ok = False
        self.devices.set_failed(message)
        self.controls.set_can_start(False)
        self.status_line.setText(self.tr("Connection failed: %1").replace("%1", message))

    def _on_error(self, message: str) -> None:
        self._hold_status(self.tr("Error: %1").replace("%1", message))

    def _hold_status(self, text: str, hold_s: float = 10.0) -> None:
        """Show ``text`` in the status line, kept over the session state for ``hold_s``."""
        self.status_line.setText(text)
        self._status_hold_until_s = time.monotonic() + hold_s

    def _on_start_failed(self, message: str) -> None:
        """The session did not start: say why (status line and a message box); Start again."""
        self._drain_timer.stop()
        self.plots.stop()
        self.session_started = False
        self.session_ended = False
        self._set_session_widgets_locked(False)
        self.controls.set_state(SessionState.IDLE)
        self.controls.set_can_start(self.connected_ok)
        text = self.tr("Error: %1").replace("%1", message)
        self.status_line.setText(text)
        if self.start_error_box is not None:
            self.start_error_box.close()
            self.start_error_box.deleteLater()
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr("Session"), text,
                          QMessageBox.StandardButton.Ok, self)
        box.open()  # window-modal, does not block the event loop (the E-stop keeps working)
        self.start_error_box = box
        logger.error("session start failed: %s", message)

    # ---- session ------------------------------------------------------------------------

    def start_session(self, without_hr: bool = False) -> None:
        """Start the session on the connected station (``without_hr``: see StartSession)."""
        if not self.connected_ok or self.bridge.session_running:
            return
        self.history.clear()
        self.alarms.clear()
        self.summary = None
        self.session_started = True
        self.session_ended = False
        self._live_offset_bpm = 0.0
        self._status_hold_until_s = 0.0
        self._set_session_widgets_locked(True)
        self.controls.set_can_start(False)
        self.bridge.start_session(without_hr=without_hr)
        self.plots.start()
        self.status_line.setText(self.tr("Starting the session..."))
        logger.info("session started from the console")

    def _set_session_widgets_locked(self, locked: bool) -> None:
        """The patient and the template cannot change under a running session."""
        self.patient_combo.setEnabled(not locked)
        self.template_combo.setEnabled(not locked)
        self.entry.set_session_running(locked)

    def send(self, cmd: OperatorCommand) -> None:
        """Send an operator command to the station."""
        self.bridge.submit(cmd)

    def emergency_stop(self) -> None:
        """EMERGENCY STOP from any state (the button or :data:`EMERGENCY_STOP_KEY`)."""
        self.emergency_count += 1
        self._estop_sent = True
        self.bridge.emergency_stop()
        self.status_line.setText(self.tr("EMERGENCY STOP sent: belt stopping"))
        self._set_status_style(alarm=True)

    def _schedule_drain(self) -> None:
        if not self._drain_timer.isActive():
            self._drain_timer.start()

    def _drain(self) -> None:
        snaps = self.bridge.drain_snapshots()
        if not snaps:
            return
        for snap in snaps:
            self.history.add(snap)
        self.latest = snaps[-1]
        self._show(self.latest)

    def _show(self, snap: SessionSnapshot) -> None:
        self.controls.show_snapshot(snap)
        self.alarms.update_alarms(snap.active_alarms, snap.hr_plausible,
                                  snap.hr_implausible_reason)
        self.without_hr.show_snapshot(snap)
        self.timeline.set_position(snap.session_elapsed_s
                                   if snap.state not in (SessionState.IDLE,) else None)
        if self.patient_screen.isVisible():
            self.patient_screen.show_snapshot(snap)
        self._show_snapshot_status(snap)
        self._show_session_status(snap)
        if self.session_active and snap.target_offset_bpm != self._live_offset_bpm:
            self._live_offset_bpm = snap.target_offset_bpm
            self._update_prescription_label()

    def _show_session_status(self, snap: SessionSnapshot) -> None:
        """The status line names the session's state while it runs.

        An emergency stop, an error or a stall warning keeps its message instead.
        """
        if (not self.session_active or self._estop_sent
                or time.monotonic() < self._status_hold_until_s):
            return
        state = snap.state
        if state == SessionState.PREFLIGHT:
            text = self.tr("Waiting for a trusted heart rate before the warm-up")
        elif state.is_exercising:
            text = self.tr("Session running: %1").replace("%1", phase_name(state))
        elif state == SessionState.PAUSED:
            text = (self.tr("Session paused in the %1: the belt is stopped; Resume continues")
                    .replace("%1", phase_name(snap.phase or state).lower()))
        else:
            return
        self.status_line.setText(text)

    def _show_snapshot_status(self, snap: SessionSnapshot | None) -> None:
        if snap is None:
            self.hr_value.setText("--")
            self.zone_state.setText("")
            self.phase_value.setText(phase_name(SessionState.IDLE))
            self.time_value.setText("")
            self.detail_value.setText("")
            self.controller_value.setText("")
            return
        self.hr_value.setText("--" if snap.hr_bpm is None else str(snap.hr_bpm))
        word, colour = console_grade_text(snap)  # against the current phase's band
        self.zone_state.setText(word)
        self.zone_state.setStyleSheet(
            f"font-size: {self.fonts.zone_px}px; font-weight: bold; padding: 2px 6px;"
            f" color: white; background: {colour}; border-radius: 4px;")
        state = snap.state
        phase = phase_name(state)
        if state == SessionState.PAUSED and snap.phase is not None:
            phase += f" ({phase_name(snap.phase)})"
        self.phase_value.setText(phase)
        self.time_value.setText(
            self.tr("%1 elapsed, %2 left in phase")
            .replace("%1", format_clock(snap.session_elapsed_s))
            .replace("%2", format_clock(snap.phase_remaining_s)))
        self.detail_value.setText(
            self.tr("Target %1 bpm (%2, ceiling %4)  |  %5 km/h  %6 %  |  %7 km")
            .replace("%1", fmt(snap.target_bpm, 0)).replace("%2", band_text(snap))
            .replace("%4", fmt(snap.ceiling_bpm, 0))
            .replace("%5", fmt(snap.speed_meas_kmh if snap.speed_meas_kmh is not None
                               else snap.speed_cmd_kmh, 1))
            .replace("%6", fmt(snap.incline_meas_pct if snap.incline_meas_pct is not None
                               else snap.incline_cmd_pct, 1))
            .replace("%7", fmt(snap.distance_m / 1000.0, 2)))
        if snap.advisory_mode:
            ctrl = self.tr("advisory mode (monitor only)")
        elif state in (SessionState.IDLE, SessionState.PREFLIGHT):
            ctrl = self.tr("automatic control ready")
        elif state.is_terminal:
            ctrl = self.tr("automatic control off (session ended)")
        elif snap.controller_suspended:
            ctrl = self.tr("automatic control SUSPENDED by the safety supervisor")
        elif snap.controller_held:
            ctrl = self.tr("automatic control held by the therapist")
        else:
            ctrl = self.tr("automatic control active")
        manual = [name for name, on in ((self.tr("speed"), snap.speed_manual),
                                        (self.tr("incline"), snap.incline_manual)) if on]
        if manual and not snap.advisory_mode and not state.is_terminal:
            ctrl += "  |  " + self.tr("manual: %1").replace("%1", ", ".join(manual))
        if snap.continue_without_hr:
            ctrl += "  |  " + self.tr("continuing WITHOUT heart rate")
        quality = quality_name(snap.hr_quality)
        if not snap.hr_plausible:
            quality = self.tr("%1, does not match the load").replace("%1", quality)
        self.controller_value.setText(
            self.tr("HR signal: %1  |  %2").replace("%1", quality).replace("%2", ctrl))

    def _tick_status(self) -> None:
        # warn when snapshots stop arriving mid-session (loop stalled or devices silent)
        if not self.bridge.session_running or self.bridge.last_snapshot_wall_s == 0.0:
            return
        age_s = time.monotonic() - self.bridge.last_snapshot_wall_s
        if age_s > 5.0:
            self._hold_status(
                self.tr("No update from the station for %1 s").replace("%1", f"{age_s:.0f}"),
                hold_s=1.5)

    def _on_event(self, event: EventRecord) -> None:
        self.devices.on_event(event)
        self.entry.on_event(event)  # the entry list confirms what was recorded
        kind = event.kind
        if kind in ("alarm", "annotation", "rpe", "feeling"):
            if kind == "alarm":
                text = alarm_event_text(event.data, event.message)
            else:
                text = marker_label(event)
            self.history.add_marker(text.strip(), "alarm" if kind == "alarm" else "note")

    def _on_finished(self, summary: Any) -> None:
        self._drain_timer.stop()
        self._drain()  # the final snapshots were buffered before run() returned
        self.summary = summary
        self.session_ended = True
        self._set_session_widgets_locked(False)
        self.plots.refresh(force=True)
        self.plots.stop()
        self.controls.set_can_start(False)
        state = self.latest.state if self.latest is not None else SessionState.FINISHED
        self.controls.set_state(state)
        self.summary_view.set_summary(summary, self.history)
        self.patient_screen.session_run_ended()
        if state == SessionState.EMERGENCY_STOPPED:
            self.status_line.setText(self.tr("EMERGENCY STOP: belt stopped, session ended."))
        else:
            self.status_line.setText(
                self.tr("Session ended (%1). Connect again for a new session.")
                .replace("%1", phase_name(state)))
        if not self._closing:
            self.tabs.setCurrentWidget(self.summary_view)
        refresh = getattr(self.history_widget, "refresh", None)
        if callable(refresh):
            try:
                refresh()
            except Exception:
                logger.exception("refreshing the records history failed")
        logger.info("session finished: %s", state)

    # ---- windows ------------------------------------------------------------------------

    def show_patient_screen(self, show: bool = True) -> None:
        """Show or hide the patient screen (restoring its last screen)."""
        if show:
            self.patient_screen.show_placed()
            self.patient_screen.show_snapshot(self.latest)
        else:
            self.patient_screen.hide()
        if self.patient_screen_button.isChecked() != show:
            self.patient_screen_button.blockSignals(True)
            self.patient_screen_button.setChecked(show)
            self.patient_screen_button.blockSignals(False)

    def _ask_close(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("End the session?"),
            self.tr("A session is running. Closing stops the belt and ends the recording. "
                    "Close anyway?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:
        """Confirm when a session runs; then stop the belt, end the recording, clean up."""
        if self.bridge.session_running and not self.confirm_close():
            event.ignore()
            return
        self._closing = True
        logger.info("closing the console")
        self.status_line.setText(self.tr("Stopping the belt and saving the recording..."))
        QCoreApplication.processEvents()
        self.plots.stop()
        self.clock_timer.stop()
        self.bridge.shutdown()
        QCoreApplication.processEvents()
        self._drain_timer.stop()
        self._drain()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.key_filter)
        if QGuiApplication.platformName() != "offscreen":
            # an offscreen run (tests, screenshots) must not size the real window
            settings = app_settings()
            settings.setValue(MAIN_GEOMETRY_KEY, self.saveGeometry())
            settings.sync()
        self.patient_screen.close()
        super().closeEvent(event)


def _records_widget() -> QWidget | None:
    """The records history widget, when the records UI is installed."""
    try:
        from ui.records.history import HistoryWidget  # type: ignore[import-not-found]
    except ImportError:
        return None
    try:
        widget: QWidget = HistoryWidget()
    except Exception:
        logger.exception("the records history widget failed to start")
        return None
    return widget
