"""Quick entry during the session: Borg RPE (6-20), Feeling Scale (-5..+5), notes.

Contract:

* The RPE and Feeling boxes start empty ("–"); their Record buttons work only once the
  therapist has picked a value, and the box is empty again after each recording, so no
  rating is ever sent from a default.
* Everything is disabled until :meth:`QuickEntry.set_session_running` says a session
  runs; a new session empties the list of entries.
* The list (:attr:`QuickEntry.log`, placed by the owner) shows what the engine recorded
  this session, newest first, with its session time ("+12:30  RPE 13"): an entry
  appears when its event comes back
  (:meth:`QuickEntry.on_event`), so being listed confirms it was recorded. A refused
  rating or note is listed as not recorded.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from runningroom.recording.model import EventRecord
from runningroom.session.model import Annotate, RateFeeling, RateRpe
from ui.texts import NO_VALUE, format_clock


def _tr(text: str) -> str:
    return QCoreApplication.translate("QuickEntry", text)


#: the operator commands whose refusal the entry list reports
_ENTRY_COMMANDS = frozenset({"RateRpe", "RateFeeling", "Annotate"})

#: height of the list of entries (rows)
_LIST_ROWS = 3


class RatingBox(QSpinBox):
    """A spin box for a rating that starts empty: the value below the scale shows "–".

    The first step from empty goes to ``first_value`` (the middle of the scale), so the
    arrows never start from an end; :meth:`rating` is None while empty.

    Args:
        low, high: the scale.
        first_value: where the first step from empty lands.
        signed: show a sign ("+2"), as the Feeling Scale is written.
    """

    def __init__(self, low: int, high: int, first_value: int, signed: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first_value = first_value
        self.signed = signed
        self.setRange(low - 1, high)
        self.setSpecialValueText(NO_VALUE)
        self.clear_rating()

    def rating(self) -> int | None:
        """The picked value, or None while the box is empty."""
        value = self.value()
        return None if value == self.minimum() else value

    def clear_rating(self) -> None:
        """Back to empty."""
        self.setValue(self.minimum())

    def stepBy(self, steps: int) -> None:
        """From empty, any step lands on ``first_value``."""
        if self.rating() is None:
            self.setValue(self.first_value)
            return
        super().stepBy(steps)
        if self.rating() is None:  # stepping down never empties a picked rating
            self.setValue(self.minimum() + 1)

    def textFromValue(self, value: int) -> str:
        """The rating, signed on the Feeling Scale."""
        return f"{value:+d}" if self.signed and value != 0 else str(value)


class QuickEntry(QWidget):
    """RPE, Feeling and annotation entry; emits operator commands, lists what was recorded.

    The list of recorded entries is :attr:`log`, a separate widget the owner places.
    """

    commandRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QGroupBox()
        self.rpe_label = QLabel()
        self.rpe = RatingBox(6, 20, first_value=13)
        self.rpe_button = QPushButton()
        self.rpe_button.clicked.connect(self._rate_rpe)
        self.feeling_label = QLabel()
        self.feeling = RatingBox(-5, 5, first_value=0, signed=True)
        self.feeling_button = QPushButton()
        self.feeling_button.clicked.connect(self._rate_feeling)
        self.note = QLineEdit()
        self.note_button = QPushButton()
        self.note_button.clicked.connect(self._annotate)
        self.note.returnPressed.connect(self._annotate)
        # the list of entries is its own widget, placed by the owner (the console puts it
        # under the plots, where there is room for it at 1366x768)
        self.log = QWidget()
        self.log.setObjectName("entryLog")
        self.list_label = QLabel()
        self.entries = QListWidget()
        self.entries.setObjectName("entries")
        row_px = self.entries.fontMetrics().height() + 4
        self.entries.setFixedHeight(_LIST_ROWS * row_px + 6)
        log_layout = QVBoxLayout(self.log)
        log_layout.setContentsMargins(0, 0, 0, 0)
        log_layout.setSpacing(1)
        log_layout.addWidget(self.list_label)
        log_layout.addWidget(self.entries)
        #: the recorded events listed, oldest first (the list shows them newest first)
        self.recorded: list[EventRecord] = []
        self.running = False
        self.rpe.valueChanged.connect(self._update_enabled)
        self.feeling.valueChanged.connect(self._update_enabled)
        self.note.textChanged.connect(self._update_enabled)
        grid = QGridLayout(self.box)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setVerticalSpacing(3)
        grid.addWidget(self.rpe_label, 0, 0)
        grid.addWidget(self.rpe, 0, 1)
        grid.addWidget(self.rpe_button, 0, 2)
        grid.addWidget(self.feeling_label, 1, 0)
        grid.addWidget(self.feeling, 1, 1)
        grid.addWidget(self.feeling_button, 1, 2)
        grid.addWidget(self.note, 2, 0, 1, 2)
        grid.addWidget(self.note_button, 2, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        self._update_enabled()
        self.retranslate()

    # ---- session --------------------------------------------------------------------

    def set_session_running(self, running: bool) -> None:
        """Enable the entry while a session runs; a new session starts an empty list."""
        if running and not self.running:
            self.recorded.clear()
            self.rpe.clear_rating()
            self.feeling.clear_rating()
            self.note.clear()
            self._fill_list()
        self.running = running
        self._update_enabled()

    def on_event(self, event: EventRecord) -> None:
        """List a recorded rating or note (or a refused one); other events are ignored."""
        if event.kind in ("rpe", "feeling", "annotation") or (
                event.kind == "rejected" and event.data.get("command") in _ENTRY_COMMANDS):
            self.recorded.append(event)
            self._fill_list()

    def entry_texts(self) -> list[str]:
        """The list's lines as shown, newest first."""
        return [self.entries.item(i).text() for i in range(self.entries.count())]

    def _update_enabled(self) -> None:
        on = self.running
        for widget in (self.rpe, self.feeling, self.note, self.entries):
            widget.setEnabled(on)
        self.rpe_button.setEnabled(on and self.rpe.rating() is not None)
        self.feeling_button.setEnabled(on and self.feeling.rating() is not None)
        self.note_button.setEnabled(on and bool(self.note.text().strip()))

    # ---- commands -------------------------------------------------------------------

    def _rate_rpe(self) -> None:
        value = self.rpe.rating()
        if self.running and value is not None:
            self.commandRequested.emit(RateRpe(value))
            self.rpe.clear_rating()

    def _rate_feeling(self) -> None:
        value = self.feeling.rating()
        if self.running and value is not None:
            self.commandRequested.emit(RateFeeling(value))
            self.feeling.clear_rating()

    def _annotate(self) -> None:
        text = self.note.text().strip()
        if self.running and text:
            self.commandRequested.emit(Annotate(text))
            self.note.clear()

    # ---- texts ----------------------------------------------------------------------

    def entry_text(self, event: EventRecord) -> str:
        """One line of the list: ``+12:30  RPE 13`` (session time, then the entry)."""
        when = "+" + format_clock(event.t_s)
        value = event.data.get("value")
        if event.kind == "rpe":
            what = self.tr("RPE %1").replace("%1", str(value))
        elif event.kind == "feeling":
            shown = f"{value:+d}" if isinstance(value, int) and value != 0 else str(value)
            what = self.tr("Feeling %1").replace("%1", shown)
        elif event.kind == "annotation":
            what = self.tr("Note: %1").replace("%1", str(event.data.get("text", event.message)))
        else:
            what = self.tr("Not recorded: %1").replace("%1", str(event.data.get("reason", "")))
        return f"{when}  {what}"

    def _fill_list(self) -> None:
        self.entries.clear()
        for event in reversed(self.recorded):
            self.entries.addItem(self.entry_text(event))

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible string in the current language."""
        self.box.setTitle(self.tr("Patient report and notes"))
        self.rpe_label.setText(self.tr("Borg RPE (6-20)"))
        self.rpe_button.setText(self.tr("Record RPE"))
        self.feeling_label.setText(self.tr("Feeling (-5..+5)"))
        self.feeling_button.setText(self.tr("Record feeling"))
        self.note.setPlaceholderText(self.tr("Annotation, e.g. 'patient asks for water'"))
        self.note_button.setText(self.tr("Add note"))
        self.list_label.setText(self.tr("Recorded this session (newest first):"))
        self.entries.setToolTip(self.tr("Each line appears once the session has recorded it"))
        self._fill_list()


def marker_label(event: EventRecord) -> str:
    """The short label of a rating or note marker on the HR plot ("RPE 13", "+2", "note")."""
    value = event.data.get("value")
    if event.kind == "rpe":
        return _tr("RPE %1").replace("%1", str(value))
    if event.kind == "feeling":
        return f"{value:+d}" if isinstance(value, int) and value != 0 else str(value)
    return _tr("note")
