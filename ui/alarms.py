"""Alarm panel with per-alarm acknowledgement.

Each alarm shows what happened and what the system did, sounds once, and stays
until the therapist acknowledges it (the acknowledgement goes to the engine,
which records it with its time). An ``hr_implausible`` alarm also offers "Confirm HR"
(the therapist checked the patient and the reading is real) while the HR is still
judged implausible.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from runningroom.session.model import Alarm, AlarmKind
from ui import theme
from ui.texts import alarm_action, alarm_detail, alarm_message, alarm_name, format_clock

logger = logging.getLogger(__name__)


class AlarmCard(QFrame):
    """One alarm with an acknowledge button (and "Confirm HR" for an implausible HR)."""

    acknowledgeRequested = Signal(int)
    confirmHrRequested = Signal()

    def __init__(self, alarm: Alarm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarm")
        self.alarm = alarm
        self.acknowledged = False
        self.cleared = False
        self.hr_plausible = False
        self.implausible_reason: str | None = None
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.ack_button = QPushButton()
        self.ack_button.setMinimumHeight(32)
        self.ack_button.clicked.connect(self._ack)
        self.confirm_hr_button = QPushButton()
        self.confirm_hr_button.setMinimumHeight(32)
        self.confirm_hr_button.clicked.connect(self.confirmHrRequested)
        self.confirm_hr_button.setVisible(alarm.kind == AlarmKind.HR_IMPLAUSIBLE)
        text_col = QVBoxLayout()
        text_col.addWidget(self.title)
        text_col.addWidget(self.detail)
        button_col = QVBoxLayout()
        button_col.addStretch(1)
        button_col.addWidget(self.ack_button)
        button_col.addWidget(self.confirm_hr_button)
        button_col.addStretch(1)
        row = QHBoxLayout(self)
        row.addLayout(text_col, 1)
        row.addLayout(button_col, 0)
        self.apply_fonts(13)
        self.retranslate()

    def apply_fonts(self, px: int) -> None:
        """Draw the card's text at ``px`` pixels (its title a little larger)."""
        self.title.setStyleSheet(f"font-weight: bold; font-size: {px + 2}px;")
        self.detail.setStyleSheet(f"font-size: {px}px;")
        for button in (self.ack_button, self.confirm_hr_button):
            button.setStyleSheet(f"font-size: {px}px;")

    def _ack(self) -> None:
        self.acknowledgeRequested.emit(self.alarm.alarm_id)

    def set_state(self, alarm: Alarm | None, acknowledged: bool, cleared: bool) -> None:
        """Update from the engine's view of the alarm."""
        if alarm is not None:
            self.alarm = alarm
        self.acknowledged = acknowledged
        self.cleared = cleared
        self.confirm_hr_button.setVisible(
            self.alarm.kind == AlarmKind.HR_IMPLAUSIBLE and not cleared)
        self.setProperty("acknowledged", "true" if acknowledged else "false")
        self.style().unpolish(self)
        self.style().polish(self)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every visible string in the current language."""
        a = self.alarm
        self.title.setText(f"{format_clock(a.raised_t_s)}  {alarm_name(a.kind)}")
        # texts derived from the alarm kind and the engine's data, in the current
        # language (the engine's own message is English)
        action = alarm_action(a)
        lines = [alarm_message(a, self.implausible_reason),
                 self.tr("System action: %1").replace("%1", action) if action else ""]
        if self.cleared:
            lines.append(self.tr("Condition cleared"))
        self.detail.setText("\n".join(x for x in lines if x))
        detail = alarm_detail(a)
        self.detail.setToolTip(
            self.tr("Reported by the device: %1").replace("%1", detail) if detail else "")
        self.ack_button.setText(self.tr("Acknowledged") if self.acknowledged
                                else self.tr("Acknowledge"))
        self.ack_button.setEnabled(not self.acknowledged)
        self.confirm_hr_button.setText(self.tr("HR confirmed") if self.hr_plausible
                                       else self.tr("Confirm HR"))
        self.confirm_hr_button.setToolTip(
            self.tr("You checked the patient and the heart rate shown is real: speed and "
                    "incline may rise again"))
        self.confirm_hr_button.setEnabled(not self.hr_plausible)

    def set_plausibility(self, hr_plausible: bool, reason: str | None) -> None:
        """Follow the snapshot's ``hr_plausible`` and ``hr_implausible_reason``.

        "Confirm HR" is enabled only while the HR is judged implausible; the reason
        completes the text when the engine's message does not name one.
        """
        if hr_plausible == self.hr_plausible and reason == self.implausible_reason:
            return
        self.hr_plausible = hr_plausible
        if reason is not None:  # after a confirmation the card keeps the last reason
            self.implausible_reason = reason
        self.retranslate()


class AlarmPanel(QWidget):
    """List of unacknowledged (and recently acknowledged) alarms.

    Feed it the snapshots' ``active_alarms`` via :meth:`update_alarms`. Alarms the
    engine no longer lists stay visible until acknowledged; acknowledged and cleared
    alarms disappear.
    """

    acknowledgeRequested = Signal(int)
    confirmHrRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(theme.ALARM_STYLE)
        self.cards: dict[int, AlarmCard] = {}
        self._locally_acked: set[int] = set()
        self.font_px = 13
        self.header = QLabel()
        self.empty_label = QLabel()
        self.apply_fonts(self.font_px)
        self._list = QVBoxLayout()
        self._list.setSpacing(4)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 0, 0)
        inner_layout.addLayout(self._list)
        inner_layout.addWidget(self.empty_label)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(scroll)
        self.beeps = 0
        self.setMinimumHeight(110)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def apply_fonts(self, px: int) -> None:
        """Draw the panel's text at ``px`` pixels (console scale), new cards included."""
        self.font_px = px
        self.header.setStyleSheet(f"font-weight: bold; font-size: {px}px;")
        self.empty_label.setStyleSheet(f"color: #444444; font-size: {px}px;")
        for card in self.cards.values():
            card.apply_fonts(px)

    def retranslate(self) -> None:
        """Set every visible string in the current language."""
        self.header.setText(self.tr("Alarms"))
        self.empty_label.setText(self.tr("No alarms"))
        for card in self.cards.values():
            card.retranslate()

    @property
    def unacknowledged(self) -> list[int]:
        """Ids of alarms shown and not yet acknowledged."""
        return [i for i, c in self.cards.items() if not c.acknowledged]

    def update_alarms(self, alarms: tuple[Alarm, ...], hr_plausible: bool = True,
                      implausible_reason: str | None = None) -> None:
        """Synchronise with the engine's current alarms.

        ``hr_plausible`` and ``implausible_reason`` are the snapshot's fields of the
        same names; they drive the "Confirm HR" button of ``hr_implausible`` cards.
        """
        seen = set()
        for alarm in alarms:
            seen.add(alarm.alarm_id)
            acked = alarm.acknowledged or alarm.alarm_id in self._locally_acked
            card = self.cards.get(alarm.alarm_id)
            if card is None:
                if acked and alarm.cleared_t_s is not None:
                    continue
                card = AlarmCard(alarm)
                card.apply_fonts(self.font_px)
                card.acknowledgeRequested.connect(self._acknowledge)
                card.confirmHrRequested.connect(self.confirmHrRequested)
                self.cards[alarm.alarm_id] = card
                self._list.insertWidget(0, card)
                card.show()
                self._sound(alarm)
            if alarm.kind == AlarmKind.HR_IMPLAUSIBLE:
                card.set_plausibility(hr_plausible, implausible_reason)
            card.set_state(alarm, acked, alarm.cleared_t_s is not None)
            if acked and alarm.cleared_t_s is not None:
                self._remove(alarm.alarm_id)
        for alarm_id in list(self.cards):
            card = self.cards[alarm_id]
            if alarm_id not in seen:
                if card.acknowledged:
                    self._remove(alarm_id)
                elif not card.cleared:
                    card.set_state(None, False, True)
        self.empty_label.setVisible(not self.cards)

    def _sound(self, alarm: Alarm) -> None:
        logger.warning("ALARM %s: %s (%s)", alarm.kind, alarm.message, alarm.action)
        self.beeps += 1
        QApplication.beep()

    def _acknowledge(self, alarm_id: int) -> None:
        self._locally_acked.add(alarm_id)
        card = self.cards.get(alarm_id)
        if card is not None:
            card.set_state(None, True, card.cleared)
            if card.cleared:
                self._remove(alarm_id)
        self.empty_label.setVisible(not self.cards)
        self.acknowledgeRequested.emit(alarm_id)

    def _remove(self, alarm_id: int) -> None:
        card = self.cards.pop(alarm_id, None)
        if card is not None:
            card.setParent(None)
            card.deleteLater()

    def clear(self) -> None:
        """Remove every card (new session)."""
        for alarm_id in list(self.cards):
            self._remove(alarm_id)
        self._locally_acked.clear()
        self.empty_label.setVisible(True)
