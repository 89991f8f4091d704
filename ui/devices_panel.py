"""Device panel: addresses, scan, connect and device status.

Shows the status of both devices and the preflight result (connected, battery,
signal quality, control permitted or monitor-only).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from runningroom.devices import DeviceEventKind, DeviceRole
from runningroom.recording.model import EventRecord
from ui.texts import preflight_message

logger = logging.getLogger(__name__)


class DevicePanel(QWidget):
    """Addresses, scan/connect buttons and per-device status.

    Signals:
        connectRequested(str, str): treadmill address, HR address.
        scanRequested(): the therapist pressed Scan.
    """

    connectRequested = Signal(str, str)
    scanRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.treadmill_address = QComboBox()
        self.treadmill_address.setEditable(True)
        self.hr_address = QComboBox()
        self.hr_address.setEditable(True)
        for combo in (self.treadmill_address, self.hr_address):
            combo.addItem("sim:")
        self.scan_button = QPushButton()
        self.scan_button.clicked.connect(self.scanRequested)
        self.connect_button = QPushButton()
        self.connect_button.clicked.connect(self._connect)
        self.addr_box = QGroupBox()
        form = QFormLayout(self.addr_box)
        self.tm_label = QLabel()
        self.hr_label = QLabel()
        form.addRow(self.tm_label, self.treadmill_address)
        form.addRow(self.hr_label, self.hr_address)
        buttons = QHBoxLayout()
        buttons.addWidget(self.scan_button)
        buttons.addWidget(self.connect_button)
        buttons.addStretch(1)
        form.addRow(buttons)

        self.status_box = QGroupBox()
        status = QFormLayout(self.status_box)
        self.tm_status_name = QLabel()
        self.tm_status = QLabel()
        self.control_name = QLabel()
        self.control = QLabel()
        self.hr_status_name = QLabel()
        self.hr_status = QLabel()
        self.battery_name = QLabel()
        self.battery = QLabel()
        self.signal_name = QLabel()
        self.signal = QLabel()
        self.preflight_name = QLabel()
        self.preflight = QLabel()
        self.preflight.setWordWrap(True)
        for name, value in (
            (self.tm_status_name, self.tm_status),
            (self.control_name, self.control),
            (self.hr_status_name, self.hr_status),
            (self.battery_name, self.battery),
            (self.signal_name, self.signal),
            (self.preflight_name, self.preflight),
        ):
            value.setStyleSheet("font-weight: bold;")
            status.addRow(name, value)
        self.scan_results = QLabel()
        self.scan_results.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.addr_box)
        layout.addWidget(self.status_box)
        layout.addWidget(self.scan_results)
        layout.addStretch(1)
        self._tm_state = "disconnected"
        self._hr_state = "disconnected"
        self._control: bool | None = None
        self._battery: float | None = None
        self._signal: float | None = None
        self._preflight: str | None = None
        self._tm_model = ""
        self.retranslate()

    def _connect(self) -> None:
        self.connectRequested.emit(self.treadmill_address.currentText().strip(),
                                   self.hr_address.currentText().strip())

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _state_text(self, state: str) -> str:
        return {
            "disconnected": self.tr("not connected"),
            "connecting": self.tr("connecting..."),
            "connected": self.tr("connected"),
            "reconnecting": self.tr("reconnecting..."),
            "failed": self.tr("failed"),
        }.get(state, state)

    def retranslate(self) -> None:
        """Set every visible string in the current language."""
        self.addr_box.setTitle(self.tr("Devices"))
        self.status_box.setTitle(self.tr("Status"))
        self.tm_label.setText(self.tr("Treadmill address"))
        self.hr_label.setText(self.tr("Heart-rate address"))
        self.scan_button.setText(self.tr("Scan"))
        self.connect_button.setText(self.tr("Connect"))
        self.tm_status_name.setText(self.tr("Treadmill"))
        self.hr_status_name.setText(self.tr("Heart-rate sensor"))
        self.control_name.setText(self.tr("Control"))
        self.battery_name.setText(self.tr("Battery"))
        self.signal_name.setText(self.tr("Signal"))
        self.preflight_name.setText(self.tr("Preflight"))
        self.tm_status.setText(self._state_text(self._tm_state)
                               + (f" ({self._tm_model})" if self._tm_model else ""))
        self.hr_status.setText(self._state_text(self._hr_state))
        self.control.setText(
            "--" if self._control is None
            else self.tr("control permitted") if self._control
            else self.tr("monitor only (advisory mode)"))
        self.battery.setText("--" if self._battery is None else f"{self._battery:.0f} %")
        self.signal.setText("--" if self._signal is None else f"{self._signal:.0f} dBm")
        self.preflight.setText(self._preflight or "--")

    def set_connecting(self) -> None:
        """Both devices are being connected."""
        self._tm_state = self._hr_state = "connecting"
        self._preflight = None
        self.retranslate()

    def set_failed(self, message: str) -> None:
        """Connecting failed."""
        self._tm_state = self._hr_state = "failed"
        self._preflight = message
        self.retranslate()

    def set_preflight(self, result: Any) -> None:
        """Show the station's preflight result (any object; known attributes used)."""
        self._tm_state = self._hr_state = "connected"
        ok = getattr(result, "ok", None)
        control = getattr(result, "control_permitted", None)
        if control is None:
            control = not bool(getattr(result, "advisory_mode", False))
        self._control = bool(control)
        if getattr(result, "hr_connected", True) is False:
            self._hr_state = "failed"
        caps = getattr(result, "capabilities", None)
        model = getattr(caps, "model", None)
        if model:
            self._tm_state = "connected"
            self._tm_model = str(model)
        messages = [preflight_message(str(m)) for m in getattr(result, "messages", ()) or ()]
        message = getattr(result, "message", None)
        if message:
            messages.append(preflight_message(str(message)))
        detail = "; ".join(messages)
        if ok is False:
            self._preflight = self.tr("with warnings: %1").replace("%1", detail or str(result))
        else:
            self._preflight = self.tr("passed") + (f" ({detail})" if detail else "")
        self.retranslate()

    def on_event(self, event: EventRecord) -> None:
        """Follow device events (kind ``device``) recorded by the station."""
        if event.kind != "device":
            return
        role = str(event.data.get("role", ""))
        kind = str(event.data.get("device_kind", event.data.get("kind", "")))
        value = event.data.get("value")
        state = {
            DeviceEventKind.CONNECTED: "connected",
            DeviceEventKind.RECONNECTED: "connected",
            DeviceEventKind.DISCONNECTED: "disconnected",
            DeviceEventKind.RECONNECTING: "reconnecting",
        }.get(DeviceEventKind(kind) if kind in DeviceEventKind._value2member_map_ else None)
        if kind == DeviceEventKind.BATTERY and isinstance(value, int | float):
            self._battery = float(value)
        elif kind == DeviceEventKind.SIGNAL and isinstance(value, int | float):
            self._signal = float(value)
        elif kind == DeviceEventKind.CONTROL_LOST:
            self._control = False
        elif kind == DeviceEventKind.CONTROL_GRANTED:
            self._control = True
        if state is not None:
            if role == DeviceRole.HR:
                self._hr_state = state
            elif role == DeviceRole.TREADMILL:
                self._tm_state = state
        self.retranslate()

    def set_scan_results(self, results: list[tuple[str, str, str, int | None]] | str) -> None:
        """Show scan results ``[(address, name, kind, rssi_dbm)]``; offer them in the combos.

        ``kind`` is ``treadmill`` or ``hr`` (anything else goes into both lists).
        """
        if isinstance(results, str):
            self.scan_results.setText(results)
            return
        lines = []
        for address, name, kind, rssi in results:
            signal = "" if rssi is None else f", {rssi} dBm"
            lines.append(f"{name or '?'} ({kind or '?'}{signal}): {address}")
            combos = {"treadmill": (self.treadmill_address,), "hr": (self.hr_address,)}.get(
                kind, (self.treadmill_address, self.hr_address))
            for combo in combos:
                if combo.findText(address) < 0:
                    combo.addItem(address)
        self.scan_results.setText("\n".join(lines) or self.tr("Nothing found"))
