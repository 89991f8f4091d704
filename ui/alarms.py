"""Alarm panel with per-alarm acknowledgement.

Each alarm shows what happened and what the system did, sounds once, and stays
until the therapist acknowledges it (the acknowledgement goes to the engine,
which records it with its time).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Qt, Signal
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

from runningroom.session.model import Alarm
from ui import theme
from ui.texts import alarm_action, alarm_detail, alarm_message, alarm_name, format_clock

logger = logging.getLogger(__name__)


class AlarmCard(QFrame):
    """One alarm with an acknowledge button."""

    acknowledgeRequested = Signal(int)

    def __init__(self, alarm: Alarm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarm")
        self.alarm = alarm
        self.acknowledged = False
        self.cleared = False
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.title.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.ack_button = QPushButton()
        self.ack_button.setMinimumHeight(32)
        self.ack_button.clicked.connect(self._ack)
        text_col = QVBoxLayout()
        text_col.addWidget(self.title)
        text_col.addWidget(self.detail)
        row = QHBoxLayout(self)
        row.addLayout(text_col, 1)
        row.addWidget(self.ack_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.retranslate()

    def _ack(self) -> None:
        self.acknowledgeRequested.emit(self.alarm.alarm_id)

    def set_state(self, alarm: Alarm | None, acknowledged: bool, cleared: bool) -> None:
        """Update from the engine's view of the alarm."""
        if alarm is not None:
            self.alarm = alarm
        self.acknowledged = acknowledged
        self.cleared = cleared
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
        lines = [alarm_message(a),
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


class AlarmPanel(QWidget):
    """List of unacknowledged (and recently acknowledged) alarms.

    Feed it the snapshots' ``active_alarms`` via :meth:`update_alarms`. Alarms the
    engine no longer lists stay visible until acknowledged; acknowledged and cleared
    alarms disappear.
    """

    acknowledgeRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(theme.ALARM_STYLE)
        self.cards: dict[int, AlarmCard] = {}
        self._locally_acked: set[int] = set()
        self.header = QLabel()
        self.header.setStyleSheet("font-weight: bold;")
        self.empty_label = QLabel()
        self.empty_label.setStyleSheet("color: #444444;")
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

    def update_alarms(self, alarms: tuple[Alarm, ...]) -> None:
        """Synchronise with the engine's current alarms."""
        seen = set()
        for alarm in alarms:
            seen.add(alarm.alarm_id)
            acked = alarm.acknowledged or alarm.alarm_id in self._locally_acked
            card = self.cards.get(alarm.alarm_id)
            if card is None:
                if acked and alarm.cleared_t_s is not None:
                    continue
                card = AlarmCard(alarm)
                card.acknowledgeRequested.connect(self._acknowledge)
                self.cards[alarm.alarm_id] = card
                self._list.insertWidget(0, card)
                card.show()
                self._sound(alarm)
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
