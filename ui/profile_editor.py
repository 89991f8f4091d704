"""Patient profile editor: create, edit, validate; errors shown next to the field.

Validation is the core's (:func:`runningroom.profiles_io.profile_from_dict`), so the
editor accepts exactly what a profile file accepts. Numeric fields are plain text
boxes: what the therapist typed is handed to the validator as typed, and its
:class:`~runningroom.errors.ValidationError` (``field`` = dotted path) is shown in red
under that field.
"""

from __future__ import annotations

import datetime as _dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from runningroom.errors import ValidationError
from runningroom.model import Actuator, HrMaxFormula, PatientProfile, Sex, ZoneMethod
from ui import theme
from ui.texts import fmt, hrmax_source_name

logger = logging.getLogger(__name__)

#: (dotted field, kind) in display order; kind: text | int | float | bool | enum class
_FIELDS: list[tuple[str, Any]] = [
    ("code", "text"),
    ("display_name", "text"),
    ("birth_year", "int"),
    ("age_years", "int"),
    ("sex", Sex),
    ("resting_hr_bpm", "int"),
    ("measured_hrmax_bpm", "int"),
    ("hrmax_formula", HrMaxFormula),
    ("beta_blocker", "bool"),
    ("medication_note", "text"),
    ("zone.method", ZoneMethod),
    ("zone.low", "float"),
    ("zone.high", "float"),
    ("ceiling.pct_hrmax", "float"),
    ("ceiling.bpm", "int"),
    ("preferred_actuator", Actuator),
    ("start_speed_kmh", "float"),
    ("limits.min_speed_kmh", "float"),
    ("limits.max_speed_kmh", "float"),
    ("limits.max_incline_pct", "float"),
    ("limits.walk_only", "bool"),
]


def _parse_number(text: str, kind: str) -> Any:
    """Typed value when ``text`` parses, else the raw text (the validator rejects it)."""
    t = text.strip().replace(",", ".")
    try:
        return int(t) if kind == "int" else float(t)
    except ValueError:
        return text.strip()


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProfileEditor", text)


def choice_label(value: str) -> str:
    """The human label of a profile choice (an enum value), in the current language."""
    labels: dict[str, str] = {
        Sex.FEMALE: _tr("female"),
        Sex.MALE: _tr("male"),
        Sex.OTHER: _tr("other"),
        Sex.UNSPECIFIED: _tr("not specified"),
        HrMaxFormula.TANAKA: _tr("Tanaka 208 - 0.7 x age"),
        HrMaxFormula.FOX: _tr("Fox 220 - age"),
        HrMaxFormula.GELLISH: _tr("Gellish 207 - 0.7 x age"),
        HrMaxFormula.NES: _tr("Nes 211 - 0.64 x age"),
        ZoneMethod.HRMAX_PCT: _tr("% of HRmax"),
        ZoneMethod.HRR_PCT: _tr("Karvonen (% HR reserve)"),
        ZoneMethod.ABSOLUTE_BPM: _tr("absolute (bpm)"),
        Actuator.SPEED: _tr("speed"),
        Actuator.INCLINE: _tr("incline"),
        Actuator.BOTH: _tr("speed and incline"),
    }
    return labels.get(value, value)


def zone_unit(method: str | None) -> str:
    """The unit of the zone edges for a zone method ("% HRmax", "% HRR", "bpm")."""
    if method == ZoneMethod.HRR_PCT:
        return _tr("% HR reserve")
    if method == ZoneMethod.ABSOLUTE_BPM:
        return _tr("bpm")
    return _tr("% HRmax")


def _validate(data: dict[str, Any], source: str) -> PatientProfile:
    from runningroom import profiles_io

    return profiles_io.profile_from_dict(data, source)


class ProfileEditor(QWidget):
    """A form over every :class:`PatientProfile` field.

    Signals:
        profileAccepted(object): a validated profile (after :meth:`accept_profile`).
    """

    profileAccepted = Signal(object)

    def __init__(
        self,
        validator: Callable[[dict[str, Any], str], PatientProfile] = _validate,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._validator = validator
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.form = QFormLayout()
        self.form.setVerticalSpacing(2)
        for name, kind in _FIELDS:
            widget: QWidget
            if kind == "bool":
                widget = QCheckBox()
            elif isinstance(kind, type):
                combo = QComboBox()
                for member in kind:
                    combo.addItem(choice_label(member.value), member.value)
                combo.currentIndexChanged.connect(self.update_preview)
                widget = combo
            else:
                widget = QLineEdit()
                widget.textChanged.connect(self.update_preview)
            if isinstance(widget, QCheckBox):
                widget.toggled.connect(self.update_preview)
            widget.setObjectName(name)
            label = QLabel()
            error = QLabel()
            error.setObjectName(f"error:{name}")
            error.setStyleSheet("color: #C00000; font-weight: bold;")
            error.setWordWrap(True)
            error.hide()
            column = QVBoxLayout()
            column.setSpacing(0)
            column.addWidget(widget)
            column.addWidget(error)
            holder = QWidget()
            holder.setLayout(column)
            column.setContentsMargins(0, 0, 0, 0)
            self.form.addRow(label, holder)
            self.inputs[name] = widget
            self.errors[name] = error
            self.labels[name] = label
        self.general_error = QLabel()
        self.general_error.setStyleSheet("color: #C00000; font-weight: bold;")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        # live result of the fields: the zone and ceiling in bpm, and the beta-blocker notice
        self.preview = QLabel()
        self.preview.setObjectName("preview")
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("font-size: 14px; font-weight: bold; padding: 4px;")
        self.beta_notice = QLabel()
        self.beta_notice.setObjectName("betaBlockerNotice")
        self.beta_notice.setWordWrap(True)
        self.beta_notice.setStyleSheet(
            f"color: white; background: {theme.ORANGE}; padding: 4px; border-radius: 3px;")
        self.beta_notice.hide()
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addLayout(self.form)
        inner_layout.addWidget(self.general_error)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview)
        layout.addWidget(self.beta_notice)
        layout.addWidget(scroll)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible string in the current language."""
        method = self.inputs["zone.method"]
        unit = zone_unit(method.currentData() if isinstance(method, QComboBox) else None)
        names = {
            "code": self.tr("Patient code (pseudonym)"),
            "display_name": self.tr("Display name (optional)"),
            "birth_year": self.tr("Birth year"),
            "age_years": self.tr("or age (years)"),
            "sex": self.tr("Sex"),
            "resting_hr_bpm": self.tr("Resting HR (bpm)"),
            "measured_hrmax_bpm": self.tr("Measured HRmax (bpm, optional)"),
            "hrmax_formula": self.tr("HRmax formula"),
            "beta_blocker": self.tr("Beta-blocker"),
            "medication_note": self.tr("HR-affecting medication"),
            "zone.method": self.tr("Zone method"),
            "zone.low": self.tr("Zone low (%1)").replace("%1", unit),
            "zone.high": self.tr("Zone high (%1)").replace("%1", unit),
            "ceiling.pct_hrmax": self.tr("Safety ceiling (% of HRmax)"),
            "ceiling.bpm": self.tr("or safety ceiling (bpm)"),
            "preferred_actuator": self.tr("Automatic control adjusts"),
            "start_speed_kmh": self.tr("Start speed (km/h, optional)"),
            "limits.min_speed_kmh": self.tr("Minimum speed (km/h)"),
            "limits.max_speed_kmh": self.tr("Maximum speed (km/h)"),
            "limits.max_incline_pct": self.tr("Maximum incline (%)"),
            "limits.walk_only": self.tr("Walking only"),
        }
        for name, label in self.labels.items():
            label.setText(names.get(name, name))
        for widget in self.inputs.values():
            if isinstance(widget, QComboBox):
                for i in range(widget.count()):
                    widget.setItemText(i, choice_label(str(widget.itemData(i))))
        self.beta_notice.setText(self.tr(
            "Beta-blocker: the heart rate responds less to effort and stays lower. Use RPE "
            "(Borg) alongside the heart rate; HRmax is estimated with 164 - 0.7 x age unless "
            "measured."))
        self.update_preview()

    def update_preview(self, *_args: Any) -> None:
        """Recompute the live line (zone and ceiling in bpm) from the fields as they are."""
        if not hasattr(self, "preview"):
            return  # still building the form
        beta = self.inputs["beta_blocker"]
        self.beta_notice.setVisible(isinstance(beta, QCheckBox) and beta.isChecked())
        method = self.inputs["zone.method"]
        unit = zone_unit(method.currentData() if isinstance(method, QComboBox) else None)
        for name in ("zone.low", "zone.high"):
            label = self.labels.get(name)
            if label is not None:
                text = self.tr("Zone low (%1)") if name == "zone.low" else self.tr(
                    "Zone high (%1)")
                label.setText(text.replace("%1", unit))
        from runningroom.prescription import compute_prescription

        data = self.to_dict()
        if not data.get("code"):
            data["code"] = "PREVIEW"  # the code does not change the prescription
        try:
            rx = compute_prescription(self._validator(data, "preview"), _dt.date.today())
        except (ValidationError, ValueError, TypeError) as exc:
            field = getattr(exc, "field", "")
            self.preview.setText(self.tr("Preview: not yet a valid profile (%1)")
                                 .replace("%1", str(field or exc)))
            self.preview.setStyleSheet(
                f"font-size: 14px; font-weight: bold; padding: 4px; color: {theme.VERMILLION};")
            return
        self.preview.setText(
            self.tr("zone %1-%2 bpm, ceiling %3 bpm (HRmax %4, %5)")
            .replace("%1", fmt(rx.zone_low_bpm, 0)).replace("%2", fmt(rx.zone_high_bpm, 0))
            .replace("%3", fmt(rx.ceiling_bpm, 0)).replace("%4", fmt(rx.hrmax_bpm, 0))
            .replace("%5", hrmax_source_name(rx.hrmax_source)))
        self.preview.setStyleSheet("font-size: 14px; font-weight: bold; padding: 4px;")

    # ---- data in / out ------------------------------------------------------------------

    def set_profile(self, profile: PatientProfile | None) -> None:
        """Fill the form from ``profile`` (None: an empty new profile)."""
        self.clear_errors()
        values: dict[str, Any] = {}
        if profile is not None:
            values = {
                "code": profile.code,
                "display_name": profile.display_name,
                "birth_year": profile.birth_year,
                "age_years": profile.age_years,
                "sex": profile.sex.value,
                "resting_hr_bpm": profile.resting_hr_bpm,
                "measured_hrmax_bpm": profile.measured_hrmax_bpm,
                "hrmax_formula": profile.hrmax_formula.value,
                "beta_blocker": profile.beta_blocker,
                "medication_note": profile.medication_note,
                "zone.method": profile.zone.method.value,
                "zone.low": profile.zone.low,
                "zone.high": profile.zone.high,
                "ceiling.pct_hrmax": profile.ceiling.pct_hrmax,
                "ceiling.bpm": profile.ceiling.bpm,
                "preferred_actuator": profile.preferred_actuator.value,
                "start_speed_kmh": profile.start_speed_kmh,
                "limits.min_speed_kmh": profile.limits.min_speed_kmh,
                "limits.max_speed_kmh": profile.limits.max_speed_kmh,
                "limits.max_incline_pct": profile.limits.max_incline_pct,
                "limits.walk_only": profile.limits.walk_only,
            }
        else:
            defaults = PatientProfile(code="", resting_hr_bpm=70)
            values = {
                "zone.low": defaults.zone.low,
                "zone.high": defaults.zone.high,
                "ceiling.pct_hrmax": defaults.ceiling.pct_hrmax,
                "limits.min_speed_kmh": defaults.limits.min_speed_kmh,
                "limits.max_speed_kmh": defaults.limits.max_speed_kmh,
                "limits.max_incline_pct": defaults.limits.max_incline_pct,
            }
        for name, widget in self.inputs.items():
            value = values.get(name)
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QComboBox):
                index = widget.findData(value) if value is not None else 0
                widget.setCurrentIndex(max(index, 0))
            elif isinstance(widget, QLineEdit):
                widget.setText("" if value is None else str(value))

    def to_dict(self) -> dict[str, Any]:
        """The form as a profile document (nested tables, like the TOML file)."""
        data: dict[str, Any] = {"schema_version": 1}
        for name, kind in _FIELDS:
            widget = self.inputs[name]
            value: Any
            if isinstance(widget, QCheckBox):
                value = widget.isChecked()
            elif isinstance(widget, QComboBox):
                value = widget.currentData()
            else:
                assert isinstance(widget, QLineEdit)
                text = widget.text().strip()
                if not text:
                    continue
                value = _parse_number(text, kind) if kind in ("int", "float") else text
            target = data
            *parents, leaf = name.split(".")
            for part in parents:
                target = target.setdefault(part, {})
            target[leaf] = value
        return data

    def clear_errors(self) -> None:
        """Hide every error message."""
        for label in self.errors.values():
            label.hide()
            label.clear()
        self.general_error.hide()

    def validate(self) -> PatientProfile | None:
        """Validate the form; show the error next to its field. Returns the profile."""
        self.clear_errors()
        try:
            profile = self._validator(self.to_dict(), self.tr("profile editor"))
        except ValidationError as exc:
            self.show_error(exc.field, exc)
            return None
        return profile

    def show_error(self, field: str, exc: ValidationError) -> None:
        """Show ``exc`` under ``field`` (or at the bottom when no field matches)."""
        text = self.tr("Expected %1").replace("%1", exc.expected)
        if exc.got is not None:
            text += self.tr(", got %1").replace("%1", repr(exc.got))
        label = self.errors.get(field)
        if label is None:
            # a nested table name ("zone") or an unknown field: pick the first match
            label = next((lab for name, lab in self.errors.items()
                          if name.startswith(field + ".")), None) if field else None
        if label is None:
            self.general_error.setText(f"{field}: {text}" if field else text)
            self.general_error.show()
        else:
            label.setText(text)
            label.show()
            widget = self.inputs.get(field)
            if widget is not None:
                widget.setFocus()
        logger.info("profile rejected: %s", exc)

    def error_text(self, field: str) -> str:
        """The error currently shown for ``field`` ("" when none)."""
        label = self.errors.get(field)
        return label.text() if label is not None and not label.isHidden() else ""


class ProfileDialog(QDialog):
    """Modal dialog around :class:`ProfileEditor` that saves a valid profile.

    Args:
        profile: profile to edit, or None for a new one.
        save: called with the validated profile; may raise ``OSError`` or
            :class:`ValidationError` (shown in the dialog).
    """

    def __init__(
        self,
        profile: PatientProfile | None,
        save: Callable[[PatientProfile], Path | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.editor = ProfileEditor()
        self.editor.set_profile(profile)
        self._save = save
        self.saved: PatientProfile | None = None
        self.read_only = False
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.resize(560, 720)

    def changeEvent(self, event: QEvent) -> None:
        """Re-set texts when the language changes.

        Deferred: the button box re-sets its standard buttons' texts on the same event.
        """
        if event.type() == QEvent.Type.LanguageChange:
            QTimer.singleShot(0, self, self.retranslate)
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set the title and the button texts in the current language."""
        self.setWindowTitle(self.tr("Patient profile"))
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setText(self.tr("Save"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText(self.tr("Cancel"))

    def try_save(self) -> None:
        """Validate and save; stay open and show the errors otherwise."""
        if self.read_only:
            return
        profile = self.editor.validate()
        if profile is None:
            return
        try:
            self._save(profile)
        except ValidationError as exc:
            self.editor.show_error(exc.field, exc)
            return
        except OSError as exc:
            self.editor.general_error.setText(str(exc))
            self.editor.general_error.show()
            return
        self.saved = profile
        self.editor.profileAccepted.emit(profile)
        self.accept()

    def set_read_only(self, note: str) -> None:
        """Show the profile without a way to change it, with ``note`` saying why.

        Text fields become read-only (still selectable and scrollable), choices and
        check boxes are disabled, Save is removed and Cancel becomes Close.
        """
        for widget in self.editor.inputs.values():
            if isinstance(widget, QLineEdit):
                widget.setReadOnly(True)
            else:
                widget.setEnabled(False)
        self.editor.setStyleSheet(
            "QLineEdit[readOnly=\"true\"] { background: #EEEEEE; color: #333333; }")
        self.read_only_note = QLabel(note)
        self.read_only_note.setObjectName("readOnlyNote")
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setStyleSheet(
            "background: #FFF4D6; border: 2px solid #E69F00; border-radius: 4px;"
            " padding: 6px; font-weight: bold;")
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(0, self.read_only_note)
        self.buttons.clear()
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)  # rejects
        self.read_only = True
