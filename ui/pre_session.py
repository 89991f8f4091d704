"""The pre-session check: a go/no-go list and the check-in, between Start and the belt.

Start opens :class:`PreSessionDialog` (window-modal, it does not block the event loop:
the emergency stop keeps working). It lists, live:

* the heart rate and whether the HR gate trusts it now (the station's
  ``hr_quality_now``; before the session ticks, the snapshot alone would not see a strap
  that went silent);
* the strap: connected, signal strength and battery (``DeviceEventKind.SIGNAL`` /
  ``BATTERY`` device events, shown as "not reported" when the strap sends none);
* the treadmill's control mode: automatic control, or advisory (monitor only);
* the patient (with the beta-blocker notice) and the template.

"Start session" needs a trusted HR, or the explicit "start without heart rate" choice:
the session then starts with ``StartSession(without_hr=True)``, which the engine records
(continue-without-HR on, warm-up at once). The check-in form
(:class:`~ui.session_forms.CheckInForm`) is stored with the session once the recording
exists (:func:`runningroom.records.forms.store_form`).

:class:`PreSessionGate` is the window's side: it follows the bridge (device events,
preflight, end of session), opens the dialog, starts the session on "go", stores the
check-in and hands the summary's forms section its session.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from runningroom.devices import DeviceEventKind, DeviceRole
from runningroom.errors import RecordingError
from runningroom.model import PatientProfile, SessionTemplate
from runningroom.recording.model import EventRecord
from runningroom.records.forms import PreSessionForm, SessionForms, store_form
from runningroom.session.model import HrQuality, SessionSnapshot
from ui import theme
from ui.bridge import StationBridge
from ui.session_forms import CheckInForm
from ui.texts import fmt, quality_name

logger = logging.getLogger(__name__)

#: how often the dialog reads the station while open
POLL_INTERVAL_MS = 500


def _tr(text: str) -> str:
    return QCoreApplication.translate("PreSession", text)


@dataclass(frozen=True, slots=True)
class StrapStatus:
    """What the devices reported so far (None: not reported)."""

    hr_connected: bool | None = None
    signal_dbm: float | None = None
    battery_pct: float | None = None
    advisory_mode: bool | None = None


@dataclass(frozen=True, slots=True)
class Readout:
    """One live reading for the check."""

    hr_bpm: int | None = None
    hr_quality: HrQuality | None = None
    advisory_mode: bool | None = None

    @property
    def hr_trusted(self) -> bool:
        """True when the HR gate trusts the HR now."""
        return self.hr_quality is not None and self.hr_quality.trusted


@dataclass(frozen=True, slots=True)
class PreSessionResult:
    """The therapist's "go": start without HR or not, and the check-in."""

    without_hr: bool
    form: PreSessionForm


class _Window(Protocol):
    """What the gate needs of the main window."""

    bridge: StationBridge
    connected_ok: bool

    @property
    def profile(self) -> PatientProfile | None: ...

    @property
    def template(self) -> SessionTemplate | None: ...

    def start_session(self, without_hr: bool = False) -> None: ...


async def _read_station(station: Any) -> Readout:
    """Read the station on its loop: the snapshot and the HR gate's verdict now."""
    read_snapshot = getattr(station, "snapshot", None)
    snap: SessionSnapshot | None = read_snapshot() if callable(read_snapshot) else None
    quality_now = getattr(station, "hr_quality_now", None)
    quality = quality_now() if callable(quality_now) else None
    if quality is None and snap is not None:
        quality = snap.hr_quality
    if snap is None:
        return Readout(hr_quality=quality)
    hr = (
        snap.hr_bpm
        if quality is not None and quality not in (HrQuality.STALE, HrQuality.NO_SIGNAL)
        else None
    )
    return Readout(hr_bpm=hr, hr_quality=quality, advisory_mode=snap.advisory_mode)


def _mark(label: QLabel, level: str) -> None:
    """Show ``level`` (ok | note | no) as a word on a coloured badge."""
    words = {"ok": _tr("OK"), "note": _tr("Note"), "no": _tr("No")}
    colours = {"ok": theme.GREEN, "note": theme.ORANGE, "no": theme.VERMILLION}
    label.setText(words[level])
    label.setProperty("level", level)
    label.setStyleSheet(
        f"color: white; background: {colours[level]}; font-weight: bold;"
        " padding: 2px 6px; border-radius: 3px;"
    )


class PreSessionDialog(QDialog):
    """The go/no-go list, the check-in and the start-without-HR choice.

    Call :meth:`show_readout` and :meth:`show_status` with live data; on "Start session"
    the dialog is accepted and :attr:`result_value` holds the therapist's choice.
    """

    def __init__(
        self,
        profile: PatientProfile | None,
        template: SessionTemplate | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.template = template
        self.readout = Readout()
        self.status = StrapStatus()
        self.result_value: PreSessionResult | None = None
        self.checks = QGroupBox()
        grid = QGridLayout(self.checks)
        grid.setColumnStretch(2, 1)
        self.rows: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        for i, name in enumerate(("hr", "strap", "treadmill", "patient", "template")):
            mark, title, value = QLabel(), QLabel(), QLabel()
            value.setWordWrap(True)
            title.setStyleSheet("font-weight: bold;")
            grid.addWidget(mark, i, 0)
            grid.addWidget(title, i, 1)
            grid.addWidget(value, i, 2)
            self.rows[name] = (mark, title, value)
        self.checkin_box = QGroupBox()
        self.checkin = CheckInForm()
        QVBoxLayout(self.checkin_box).addWidget(self.checkin)
        self.without_hr = QCheckBox()
        self.without_hr.toggled.connect(self._update_go)
        self.without_hr_warning = QLabel()
        self.without_hr_warning.setWordWrap(True)
        self.without_hr_warning.setStyleSheet(f"color: {theme.VERMILLION};")
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._go)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.checks)
        layout.addWidget(self.checkin_box)
        layout.addWidget(self.without_hr)
        layout.addWidget(self.without_hr_warning)
        layout.addStretch(1)
        layout.addWidget(self.verdict)
        layout.addWidget(self.buttons)
        self.resize(620, 560)
        self.retranslate()

    @property
    def start_button(self) -> Any:
        """The "Start session" button."""
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes.

        Deferred: the button box re-sets its standard buttons' texts on the same event.
        """
        if event.type() == QEvent.Type.LanguageChange:
            QTimer.singleShot(0, self, self.retranslate)
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible string in the current language."""
        self.setWindowTitle(self.tr("Before the session"))
        self.checks.setTitle(self.tr("Ready to start?"))
        self.checkin_box.setTitle(self.tr("Check-in"))
        titles = {
            "hr": self.tr("Heart rate"),
            "strap": self.tr("HR strap"),
            "treadmill": self.tr("Treadmill"),
            "patient": self.tr("Patient"),
            "template": self.tr("Template"),
        }
        for name, (_mark, title, _value) in self.rows.items():
            title.setText(titles[name])
        self.without_hr.setText(self.tr("Start without heart rate (my decision; recorded)"))
        self.without_hr_warning.setText(
            self.tr(
                "Without heart rate the belt does NOT slow down by itself when the heart rate is "
                "missing, and speed and incline may rise. Only the safety ceiling stays. Watch the "
                "patient yourself and use RPE."
            )
        )
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText(self.tr("Cancel"))
        self._fill()

    # ---- live data ----------------------------------------------------------------------

    def show_readout(self, readout: Readout) -> None:
        """The latest reading of the station."""
        self.readout = readout
        self._fill()

    def show_status(self, status: StrapStatus) -> None:
        """What the devices reported."""
        self.status = status
        self._fill()

    @property
    def go(self) -> bool:
        """True when the session may start: trusted HR, or the explicit choice."""
        return self.readout.hr_trusted or self.without_hr.isChecked()

    def _fill(self) -> None:
        r, s = self.readout, self.status
        # heart rate
        mark, _title, value = self.rows["hr"]
        if r.hr_trusted:
            _mark(mark, "ok")
            value.setText(self.tr("%1 bpm, trusted").replace("%1", str(r.hr_bpm or "--")))
        else:
            _mark(mark, "no")
            reason = (
                quality_name(r.hr_quality) if r.hr_quality is not None else self.tr("no signal")
            )
            if r.hr_bpm is not None:
                value.setText(
                    self.tr("%1 bpm, not trusted (%2)")
                    .replace("%1", str(r.hr_bpm))
                    .replace("%2", reason)
                )
            else:
                value.setText(self.tr("no trusted heart rate (%1)").replace("%1", reason))
        # strap
        mark, _title, value = self.rows["strap"]
        parts = []
        if s.hr_connected is False:
            parts.append(self.tr("not connected"))
        elif s.hr_connected:
            parts.append(self.tr("connected"))
        if r.hr_quality is HrQuality.NO_CONTACT:
            parts.append(self.tr("no skin contact: moisten the electrodes"))
        parts.append(
            self.tr("signal %1").replace(
                "%1",
                self.tr("%1 dBm").replace("%1", fmt(s.signal_dbm, 0))
                if s.signal_dbm is not None
                else self.tr("not reported"),
            )
        )
        parts.append(
            self.tr("battery %1").replace(
                "%1",
                f"{fmt(s.battery_pct, 0)} %"
                if s.battery_pct is not None
                else self.tr("not reported"),
            )
        )
        value.setText(", ".join(parts))
        low_battery = s.battery_pct is not None and s.battery_pct < 20
        weak = s.signal_dbm is not None and s.signal_dbm < -85
        _mark(
            mark,
            "no"
            if s.hr_connected is False
            else "note"
            if (low_battery or weak or s.hr_connected is None)
            else "ok",
        )
        # treadmill
        mark, _title, value = self.rows["treadmill"]
        advisory = r.advisory_mode if r.advisory_mode is not None else s.advisory_mode
        if advisory:
            _mark(mark, "note")
            value.setText(self.tr("advisory mode (monitor only): set the advised speed by hand"))
        else:
            _mark(mark, "ok")
            value.setText(self.tr("automatic control: the system sets speed and incline"))
        # patient and template
        mark, _title, value = self.rows["patient"]
        p = self.profile
        if p is None:
            _mark(mark, "no")
            value.setText(self.tr("no patient selected"))
        else:
            name = p.code + (f" ({p.display_name})" if p.display_name else "")
            if p.beta_blocker:
                _mark(mark, "note")
                name += "; " + self.tr(
                    "beta-blocker: the heart rate responds less, use RPE alongside"
                )
            else:
                _mark(mark, "ok")
            value.setText(name)
        mark, _title, value = self.rows["template"]
        t = self.template
        if t is None:
            _mark(mark, "no")
            value.setText(self.tr("no template selected"))
        else:
            _mark(mark, "ok")
            minutes = " / ".join(fmt(ph.duration_s / 60.0, 0) for ph in t.phases)
            value.setText(
                self.tr("%1: %2 min (warm-up / main / cool-down)")
                .replace("%1", t.name)
                .replace("%2", minutes)
            )
        self._update_go()

    def _update_go(self) -> None:
        trusted = self.readout.hr_trusted
        if trusted and self.without_hr.isChecked():
            self.without_hr.setChecked(False)  # the HR is back: no reason to go without it
        self.without_hr.setVisible(not trusted)
        self.without_hr_warning.setVisible(not trusted and self.without_hr.isChecked())
        ready = self.profile is not None and self.template is not None
        button = self.start_button
        if button is not None:
            button.setEnabled(ready and self.go)
            button.setText(
                self.tr("Start session")
                if trusted or not self.without_hr.isChecked()
                else self.tr("Start WITHOUT heart rate")
            )
        if not ready:
            self.verdict.setText(self.tr("Choose a patient and a template first."))
        elif trusted:
            self.verdict.setText(self.tr("Go: the heart rate is trusted."))
        elif self.without_hr.isChecked():
            self.verdict.setText(self.tr("Go without heart rate: your choice is recorded."))
        else:
            self.verdict.setText(
                self.tr(
                    "Wait: no trusted heart rate yet. Check the strap, or choose to start "
                    "without heart rate."
                )
            )
        self.verdict.setStyleSheet(
            "font-size: 15px; font-weight: bold; color: "
            + (theme.GREEN if ready and trusted else theme.VERMILLION)
            + ";"
        )

    def _go(self) -> None:
        if not (self.go and self.profile is not None and self.template is not None):
            return
        without_hr = not self.readout.hr_trusted and self.without_hr.isChecked()
        form = self.checkin.form(started_without_hr=without_hr)
        if form is None:
            return
        self.result_value = PreSessionResult(without_hr=without_hr, form=form)
        logger.info("pre-session check: go%s", " WITHOUT HR" if without_hr else "")
        self.accept()


class PreSessionGate(QObject):
    """The window's pre-session check: opens it on Start, starts, records the check-in.

    Attributes:
        enabled: open the check on Start (off: Start starts at once, for tests of other
            parts of the console).
        dialog: the open check, if any.
        pending_form: the check-in of the session being started, until it is stored.
        last_forms: the forms of the current or last session (shown on the summary).
    """

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window: _Window = window
        self.enabled = True
        self.dialog: PreSessionDialog | None = None
        self.status = StrapStatus()
        self.pending_form: PreSessionForm | None = None
        self.last_forms = SessionForms()
        self._polling = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_INTERVAL_MS)
        self._timer.timeout.connect(self._poll)
        bridge = window.bridge
        bridge.eventRecorded.connect(self._on_event)
        bridge.connected.connect(self._on_connected)
        bridge.sessionFinished.connect(self._on_finished)

    # ---- device status ------------------------------------------------------------------

    def _on_connected(self, result: Any) -> None:
        advisory = getattr(result, "advisory_mode", None)
        if advisory is None and getattr(result, "control_permitted", None) is not None:
            advisory = not bool(result.control_permitted)
        hr_connected = getattr(result, "hr_connected", None)
        self.status = StrapStatus(
            hr_connected=None if hr_connected is None else bool(hr_connected),
            signal_dbm=self.status.signal_dbm,
            battery_pct=self.status.battery_pct,
            advisory_mode=None if advisory is None else bool(advisory),
        )
        self._show_status()

    def _on_event(self, event: EventRecord) -> None:
        if self.pending_form is not None:
            self._store_pending()
        if event.kind != "device":
            return
        role = str(event.data.get("role", ""))
        kind = str(event.data.get("device_kind", event.data.get("kind", "")))
        value = event.data.get("value")
        s = self.status
        if role == DeviceRole.HR:
            if kind == DeviceEventKind.BATTERY and isinstance(value, int | float):
                s = StrapStatus(s.hr_connected, s.signal_dbm, float(value), s.advisory_mode)
            elif kind == DeviceEventKind.SIGNAL and isinstance(value, int | float):
                s = StrapStatus(s.hr_connected, float(value), s.battery_pct, s.advisory_mode)
            elif kind in (DeviceEventKind.CONNECTED, DeviceEventKind.RECONNECTED):
                s = StrapStatus(True, s.signal_dbm, s.battery_pct, s.advisory_mode)
            elif kind == DeviceEventKind.DISCONNECTED:
                s = StrapStatus(False, s.signal_dbm, s.battery_pct, s.advisory_mode)
        self.status = s
        self._show_status()

    def _show_status(self) -> None:
        if self.dialog is not None:
            self.dialog.show_status(self.status)

    # ---- the check ----------------------------------------------------------------------

    def open(self) -> PreSessionDialog | None:
        """Start pressed: open the check (or, when disabled, start at once)."""
        w = self.window
        if not w.connected_ok or w.bridge.session_running:
            return None
        if not self.enabled:
            w.start_session()
            return None
        if self.dialog is not None:
            self.dialog.raise_()
            return self.dialog
        parent = w if isinstance(w, QWidget) else None
        dialog = PreSessionDialog(w.profile, w.template, parent)
        dialog.show_status(self.status)
        latest = w.bridge.latest
        if latest is not None:
            dialog.show_readout(
                Readout(
                    hr_bpm=latest.hr_bpm,
                    hr_quality=latest.hr_quality,
                    advisory_mode=latest.advisory_mode,
                )
            )
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.dialog = dialog
        self._timer.start()
        self._poll()
        dialog.open()
        return dialog

    def _poll(self) -> None:
        setup = self.window.bridge.setup
        if self.dialog is None or setup is None or self._polling:
            return
        self._polling = True
        future = self.window.bridge.run_on_loop(_read_station(setup.station))

        def done(f: Any) -> None:
            try:
                readout = f.result()
            except Exception:
                logger.exception("reading the station for the pre-session check failed")
                readout = Readout()
            QTimer.singleShot(0, self, lambda: self._got(readout))

        future.add_done_callback(done)

    def _got(self, readout: Readout) -> None:
        self._polling = False
        if self.dialog is not None:
            self.dialog.show_readout(readout)

    def _closed(self, dialog: PreSessionDialog) -> None:
        self._timer.stop()
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        result = dialog.result_value
        if dialog.result() != QDialog.DialogCode.Accepted or result is None:
            return
        w = self.window
        if not w.connected_ok or w.bridge.session_running:
            return
        self.pending_form = result.form
        self.last_forms = SessionForms(pre=result.form)
        w.start_session(without_hr=result.without_hr)

    # ---- storing the check-in, handing the forms to the summary -----------------------

    def _recording(self) -> tuple[Path | None, int | None]:
        setup = self.window.bridge.setup
        if setup is None:
            return None, None
        session_id = getattr(setup.station, "session_id", None)
        database = setup.info.get("database")
        return (
            Path(database) if database else None,
            session_id if isinstance(session_id, int) else None,
        )

    def _store_pending(self) -> None:
        form = self.pending_form
        path, session_id = self._recording()
        if form is None or path is None or session_id is None:
            return
        self.pending_form = None
        try:
            store_form(path, session_id, form)
        except RecordingError:
            logger.exception("storing the check-in failed")

    def _on_finished(self, _summary: Any) -> None:
        if self.pending_form is not None:
            self._store_pending()
        self.pending_form = None
        section = getattr(getattr(self.window, "summary_view", None), "forms", None)
        set_session = getattr(section, "set_session", None)
        if callable(set_session):
            path, session_id = self._recording()
            set_session(path, session_id, self.last_forms)
        self.last_forms = SessionForms()
