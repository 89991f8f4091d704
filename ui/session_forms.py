"""The check-in before and the assessment after a session, as forms.

* :class:`CheckInForm`: how the patient feels today (Feeling Scale -5..+5), complaints,
  optional blood pressure; part of the pre-session check (:mod:`ui.pre_session`).
* :class:`PostSessionDialog`: session RPE (Borg 6-20), optional blood pressure, a note
  for the patient file and the therapist's name; saved through a callback.
* :class:`SessionFormsSection`: the summary's section showing both forms, with the
  button that opens the post-session form.

Values are checked by :func:`runningroom.records.forms.validate_form`; the forms are
stored by :func:`runningroom.records.forms.store_form` (the section does it for the
session it was given).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from runningroom.errors import RecordingError
from runningroom.records.forms import (
    DIASTOLIC_RANGE_MMHG,
    SYSTOLIC_RANGE_MMHG,
    FormError,
    PostSessionForm,
    PreSessionForm,
    SessionForms,
    store_form,
    validate_form,
)

logger = logging.getLogger(__name__)

_ERROR_STYLE = "color: #C00000; font-weight: bold;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("SessionForms", text)


def feeling_label(value: int) -> str:
    """``+3 good``: a Feeling Scale value with its anchor word where it has one."""
    anchors = {
        5: _tr("very good"),
        3: _tr("good"),
        1: _tr("fairly good"),
        0: _tr("neutral"),
        -1: _tr("fairly bad"),
        -3: _tr("bad"),
        -5: _tr("very bad"),
    }
    number = f"{value:+d}" if value else "0"
    word = anchors.get(value)
    return f"{number} {word}" if word else number


def borg_label(value: int) -> str:
    """``13 somewhat hard``: a Borg RPE value with its anchor word where it has one."""
    anchors = {
        6: _tr("no exertion at all"),
        7: _tr("extremely light"),
        9: _tr("very light"),
        11: _tr("light"),
        13: _tr("somewhat hard"),
        15: _tr("hard"),
        17: _tr("very hard"),
        19: _tr("extremely hard"),
        20: _tr("maximal exertion"),
    }
    word = anchors.get(value)
    return f"{value} {word}" if word else str(value)


def bp_text(systolic: int | None, diastolic: int | None) -> str:
    """``128/82 mmHg`` ("" when not measured)."""
    if systolic is None or diastolic is None:
        return ""
    return f"{systolic}/{diastolic} mmHg"


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(_ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


class BloodPressureInput(QWidget):
    """Systolic / diastolic in mmHg; "--" (the minimum) means not measured."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.systolic = QSpinBox()
        self.diastolic = QSpinBox()
        for box, (low, high) in (
            (self.systolic, SYSTOLIC_RANGE_MMHG),
            (self.diastolic, DIASTOLIC_RANGE_MMHG),
        ):
            box.setRange(low - 1, high)  # the minimum shows "--": not measured
            box.setSpecialValueText("--")
            box.setValue(low - 1)
            box.setMinimumWidth(70)
        self.slash = QLabel("/")
        self.unit = QLabel("mmHg")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.systolic)
        row.addWidget(self.slash)
        row.addWidget(self.diastolic)
        row.addWidget(self.unit)
        row.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def values(self) -> tuple[int | None, int | None]:
        """(systolic, diastolic), None where not measured."""

        def one(box: QSpinBox) -> int | None:
            return None if box.value() == box.minimum() else box.value()

        return one(self.systolic), one(self.diastolic)

    def set_values(self, systolic: int | None, diastolic: int | None) -> None:
        """Show the values (None: not measured)."""
        self.systolic.setValue(self.systolic.minimum() if systolic is None else systolic)
        self.diastolic.setValue(self.diastolic.minimum() if diastolic is None else diastolic)


class CheckInForm(QWidget):
    """The check-in before the session: feeling today, complaints, blood pressure."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.feeling = QComboBox()
        self.complaints = QPlainTextEdit()
        self.complaints.setMaximumHeight(54)
        self.complaints.setTabChangesFocus(True)
        self.blood_pressure = BloodPressureInput()
        self.error = _error_label()
        self.feeling_label = QLabel()
        self.complaints_label = QLabel()
        self.bp_label = QLabel()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.feeling_label, self.feeling)
        form.addRow(self.complaints_label, self.complaints)
        form.addRow(self.bp_label, self.blood_pressure)
        form.addRow(self.error)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible string in the current language."""
        current = self.feeling.currentData()
        self.feeling.clear()
        self.feeling.addItem(self.tr("not asked"), None)
        for value in range(5, -6, -1):
            self.feeling.addItem(feeling_label(value), value)
        self.feeling.setCurrentIndex(max(self.feeling.findData(current), 0))
        self.feeling_label.setText(self.tr("Feeling today, Feeling Scale (-5 to +5)"))
        self.complaints_label.setText(self.tr("Complaints today"))
        self.complaints.setPlaceholderText(self.tr("none"))
        self.bp_label.setText(self.tr("Blood pressure (optional)"))

    def form(self, started_without_hr: bool = False) -> PreSessionForm | None:
        """The filled-in form, or None (the error shown) when a value is wrong."""
        systolic, diastolic = self.blood_pressure.values()
        value = self.feeling.currentData()
        form = PreSessionForm(
            feeling=value if isinstance(value, int) else None,
            complaints=self.complaints.toPlainText().strip(),
            bp_systolic_mmhg=systolic,
            bp_diastolic_mmhg=diastolic,
            started_without_hr=started_without_hr,
        )
        return form if _checked(form, self.error) else None


def _checked(form: PreSessionForm | PostSessionForm, error: QLabel) -> bool:
    try:
        validate_form(form)
    except FormError as exc:
        texts = {
            "bp_systolic_mmhg": _tr(
                "Enter both blood pressure values (systolic above diastolic), or neither."
            ),
            "bp_diastolic_mmhg": _tr(
                "Enter both blood pressure values (systolic above diastolic), or neither."
            ),
        }
        error.setText(texts.get(exc.field, str(exc)))
        error.show()
        return False
    error.hide()
    return True


class PostSessionDialog(QDialog):
    """The assessment after the session; ``save(form)`` stores it.

    ``save`` may raise :class:`~runningroom.errors.RecordingError` (shown in the dialog,
    which stays open).
    """

    def __init__(
        self,
        save: Callable[[PostSessionForm], None],
        initial: PostSessionForm | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.saved: PostSessionForm | None = None
        self.rpe = QComboBox()
        self.blood_pressure = BloodPressureInput()
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.therapist = QLineEdit()
        self.error = _error_label()
        self.rpe_label = QLabel()
        self.bp_label = QLabel()
        self.note_label = QLabel()
        self.therapist_label = QLabel()
        form = QFormLayout()
        form.addRow(self.rpe_label, self.rpe)
        form.addRow(self.bp_label, self.blood_pressure)
        form.addRow(self.note_label, self.note)
        form.addRow(self.therapist_label, self.therapist)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()
        if initial is not None:
            self.rpe.setCurrentIndex(max(self.rpe.findData(initial.session_rpe), 0))
            self.blood_pressure.set_values(initial.bp_systolic_mmhg, initial.bp_diastolic_mmhg)
            self.note.setPlainText(initial.note)
            self.therapist.setText(initial.therapist_name)
        self.resize(520, 420)

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes.

        Deferred: the button box re-sets its standard buttons' texts on the same event.
        """
        if event.type() == QEvent.Type.LanguageChange:
            QTimer.singleShot(0, self, self.retranslate)
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible string in the current language."""
        self.setWindowTitle(self.tr("After the session"))
        current = self.rpe.currentData()
        self.rpe.clear()
        self.rpe.addItem(self.tr("not asked"), None)
        for value in range(6, 21):
            self.rpe.addItem(borg_label(value), value)
        self.rpe.setCurrentIndex(max(self.rpe.findData(current), 0))
        self.rpe_label.setText(self.tr("Session RPE, Borg scale (6-20)"))
        self.bp_label.setText(self.tr("Blood pressure (optional)"))
        self.note_label.setText(self.tr("Note for the patient file"))
        self.therapist_label.setText(self.tr("Therapist"))
        self.therapist.setPlaceholderText(self.tr("name"))
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setText(self.tr("Save"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText(self.tr("Cancel"))

    def form(self) -> PostSessionForm | None:
        """The filled-in form, or None (the error shown) when a value is wrong."""
        systolic, diastolic = self.blood_pressure.values()
        value = self.rpe.currentData()
        form = PostSessionForm(
            session_rpe=value if isinstance(value, int) else None,
            bp_systolic_mmhg=systolic,
            bp_diastolic_mmhg=diastolic,
            note=self.note.toPlainText().strip(),
            therapist_name=self.therapist.text().strip(),
        )
        return form if _checked(form, self.error) else None

    def try_save(self) -> None:
        """Check and save; stay open and show the error otherwise."""
        form = self.form()
        if form is None:
            return
        try:
            self._save(form)
        except (RecordingError, FormError) as exc:
            self.error.setText(self.tr("Not saved: %1").replace("%1", str(exc)))
            self.error.show()
            return
        self.saved = form
        self.accept()


def pre_form_text(form: PreSessionForm | None) -> str:
    """One line for the summary ("" when there is no check-in)."""
    if form is None:
        return ""
    parts = [
        _tr("Feeling today: %1").replace(
            "%1", feeling_label(form.feeling) if form.feeling is not None else _tr("not asked")
        )
    ]
    parts.append(_tr("complaints: %1").replace("%1", form.complaints or _tr("none")))
    if form.bp_systolic_mmhg is not None:
        parts.append(
            _tr("blood pressure %1").replace(
                "%1", bp_text(form.bp_systolic_mmhg, form.bp_diastolic_mmhg)
            )
        )
    if form.started_without_hr:
        parts.append(_tr("started without heart rate"))
    return "; ".join(parts)


def post_form_text(form: PostSessionForm | None) -> str:
    """The post-session form for the summary ("" when not filled in)."""
    if form is None:
        return ""
    parts = [
        _tr("Session RPE: %1").replace(
            "%1", borg_label(form.session_rpe) if form.session_rpe is not None else _tr("not asked")
        )
    ]
    if form.bp_systolic_mmhg is not None:
        parts.append(
            _tr("blood pressure %1").replace(
                "%1", bp_text(form.bp_systolic_mmhg, form.bp_diastolic_mmhg)
            )
        )
    if form.therapist_name:
        parts.append(_tr("therapist: %1").replace("%1", form.therapist_name))
    text = "; ".join(parts)
    if form.note:
        text += "\n" + _tr("Note: %1").replace("%1", form.note)
    return text


class SessionFormsSection(QGroupBox):
    """The summary's check-in and assessment, with the post-session form button.

    :meth:`set_session` says which recorded session the forms belong to (the database
    file and the session id; ``None`` when the session was not recorded: the forms are
    then kept only on screen).

    Signals:
        formsChanged(object): the :class:`SessionForms` now shown.
    """

    formsChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.forms = SessionForms()
        self.database_path: Path | None = None
        self.session_id: int | None = None
        self.dialog: PostSessionDialog | None = None
        self.pre_label = QLabel()
        self.pre_label.setWordWrap(True)
        self.post_label = QLabel()
        self.post_label.setWordWrap(True)
        self.post_button = QPushButton()
        self.post_button.setEnabled(False)
        self.post_button.clicked.connect(self.open_post_form)
        row = QHBoxLayout()
        texts = QVBoxLayout()
        texts.addWidget(self.pre_label)
        texts.addWidget(self.post_label)
        row.addLayout(texts, 1)
        row.addWidget(self.post_button)
        self.setLayout(row)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible string in the current language."""
        self.setTitle(self.tr("Check-in and assessment"))
        self.post_button.setText(self.tr("After-session form..."))
        self.pre_label.setText(
            self.tr("Before: %1").replace(
                "%1", pre_form_text(self.forms.pre) or self.tr("no check-in")
            )
        )
        self.post_label.setText(
            self.tr("After: %1").replace(
                "%1", post_form_text(self.forms.post) or self.tr("not filled in yet")
            )
        )

    def set_session(
        self, database_path: Path | None, session_id: int | None, forms: SessionForms
    ) -> None:
        """The ended session the forms belong to; the post-session form is offered."""
        self.database_path = database_path
        self.session_id = session_id
        self.show_forms(forms)
        self.post_button.setEnabled(True)

    def show_forms(self, forms: SessionForms) -> None:
        """Show ``forms``."""
        self.forms = forms
        self.retranslate()
        self.formsChanged.emit(forms)

    def open_post_form(self) -> PostSessionDialog:
        """Open the post-session form (window-modal; the emergency stop keeps working)."""
        if self.dialog is not None:
            self.dialog.raise_()
            return self.dialog
        dialog = PostSessionDialog(self._save, self.forms.post, self.window())
        dialog.finished.connect(lambda _r: self._closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _save(self, form: PostSessionForm) -> None:
        if self.database_path is not None and self.session_id is not None:
            store_form(self.database_path, self.session_id, form)
        else:
            logger.warning("post-session form kept on screen only: the session was not recorded")
        self.show_forms(SessionForms(pre=self.forms.pre, post=form))

    def _closed(self, dialog: PostSessionDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
