"""Continuing without heart rate: the therapist's explicit choice, and its indicator.

Offered while the HR is lost or untrusted (an active, not cleared, ``hr_lost`` or
``hr_untrusted`` alarm) or while the choice is already on (``continue_without_hr`` in the
snapshot). Turning it on is safety-relevant: the belt then no longer slows down by itself
when the HR is lost and only the ceiling rule stays, so a window-modal confirmation comes
first (it does not block the event loop: the emergency stop keeps working). Turning it off
needs no confirmation. While on, the bar is a loud warning across the console.

The widget only emits :class:`~runningroom.session.model.ContinueWithoutHr` commands; the
main window sends them through the bridge.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from runningroom.session.model import AlarmKind, ContinueWithoutHr, SessionSnapshot
from ui import theme

logger = logging.getLogger(__name__)

#: alarms during which continuing without HR is offered
OFFER_KINDS = frozenset({AlarmKind.HR_LOST, AlarmKind.HR_UNTRUSTED})

_OFFER_STYLE = (
    "QFrame#withoutHr { background: #FFF4D6; border: 1px solid "
    + theme.ORANGE
    + "; border-radius: 4px; }"
)
_ON_STYLE = (
    "QFrame#withoutHr { background: " + theme.VERMILLION + "; border-radius: 4px; }"
    " QFrame#withoutHr QLabel { color: white; font-weight: bold; }"
)


def offered(snap: SessionSnapshot | None) -> bool:
    """True when the console should offer (or show) continuing without HR."""
    if snap is None or snap.state.is_terminal:
        return False
    if snap.continue_without_hr:
        return True
    return any(a.kind in OFFER_KINDS and a.cleared_t_s is None for a in snap.active_alarms)


class WithoutHrBar(QFrame):
    """Offer to continue without HR, the confirmation, and the "running without HR" banner.

    Signals:
        commandRequested(object): a ``ContinueWithoutHr`` to send.
    """

    commandRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("withoutHr")
        self.enabled_now = False
        self.offer_active = False
        self.confirm_box: QMessageBox | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.button = QPushButton()
        self.button.setMinimumHeight(30)
        self.button.clicked.connect(self._clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 3, 8, 3)
        row.addWidget(self.label, 1)
        row.addWidget(self.button, 0)
        self.setVisible(False)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible string in the current language."""
        if self.enabled_now:
            self.setStyleSheet(_ON_STYLE)
            self.label.setText(
                self.tr(
                    "RUNNING WITHOUT HEART RATE: the belt does not slow down by itself when the "
                    "heart rate is lost; only the ceiling rule stays"
                )
            )
            self.button.setText(self.tr("Use heart rate again"))
        else:
            self.setStyleSheet(_OFFER_STYLE)
            self.label.setText(
                self.tr("No trusted heart rate. You can choose to continue without heart rate.")
            )
            self.button.setText(self.tr("Continue without HR..."))
        if self.confirm_box is not None:
            self._set_confirm_texts(self.confirm_box)

    def show_snapshot(self, snap: SessionSnapshot | None) -> None:
        """Follow the snapshot: offer, banner, or hidden."""
        on = snap is not None and snap.continue_without_hr and not snap.state.is_terminal
        show = offered(snap)
        if on != self.enabled_now:
            self.enabled_now = on
            self.retranslate()
        self.offer_active = show
        if not show and self.confirm_box is not None:
            self.confirm_box.reject()  # the question no longer applies
        self.setVisible(show)

    def _clicked(self) -> None:
        if self.enabled_now:
            logger.info("therapist turned continue-without-HR off")
            self.commandRequested.emit(ContinueWithoutHr(False))
            return
        self.ask_to_enable()

    def ask_to_enable(self) -> QMessageBox:
        """Open the confirmation; ``ContinueWithoutHr(True)`` is sent only on "Yes"."""
        if self.confirm_box is not None:
            self.confirm_box.raise_()
            return self.confirm_box
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "",
            "",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self.window(),
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self._set_confirm_texts(box)
        box.finished.connect(lambda _result: self._answered(box))
        self.confirm_box = box
        box.open()  # window-modal, does not block the event loop
        return box

    def _set_confirm_texts(self, box: QMessageBox) -> None:
        box.setWindowTitle(self.tr("Continue without heart rate?"))
        box.setText(self.tr("Continue the session without a trusted heart rate?"))
        box.setInformativeText(
            self.tr(
                "The belt will NOT slow down automatically when the heart rate is lost, and "
                "speed and incline may rise without a trusted heart rate. Only the ceiling rule "
                "stays. Watch the patient yourself. The choice is recorded."
            )
        )
        yes = box.button(QMessageBox.StandardButton.Yes)
        if yes is not None:
            yes.setText(self.tr("Continue without HR"))
        cancel = box.button(QMessageBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText(self.tr("Cancel"))

    def _answered(self, box: QMessageBox) -> None:
        if self.confirm_box is box:
            self.confirm_box = None
        box.deleteLater()
        yes = box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
        if yes and self.offer_active and not self.enabled_now:
            logger.warning("therapist chose to continue without HR")
            self.commandRequested.emit(ContinueWithoutHr(True))
