"""Quick entry during the session: Borg RPE (6-20), Feeling Scale (-5..+5), notes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from runningroom.session.model import Annotate, RateFeeling, RateRpe


class QuickEntry(QWidget):
    """RPE, Feeling and annotation entry; emits operator commands."""

    commandRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QGroupBox()
        self.rpe_label = QLabel()
        self.rpe = QSpinBox()
        self.rpe.setRange(6, 20)
        self.rpe.setValue(12)
        self.rpe_button = QPushButton()
        self.rpe_button.clicked.connect(
            lambda: self.commandRequested.emit(RateRpe(self.rpe.value())))
        self.feeling_label = QLabel()
        self.feeling = QSpinBox()
        self.feeling.setRange(-5, 5)
        self.feeling.setValue(1)
        self.feeling_button = QPushButton()
        self.feeling_button.clicked.connect(
            lambda: self.commandRequested.emit(RateFeeling(self.feeling.value())))
        self.note = QLineEdit()
        self.note_button = QPushButton()
        self.note_button.clicked.connect(self._annotate)
        self.note.returnPressed.connect(self._annotate)
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
        self.retranslate()

    def _annotate(self) -> None:
        text = self.note.text().strip()
        if text:
            self.commandRequested.emit(Annotate(text))
            self.note.clear()

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
