"""The profile editor speaks a clinician's words: labels, units, live preview, beta-blocker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialogButtonBox, QLineEdit

from runningroom import profiles_io
from runningroom.model import PatientProfile
from runningroom.prescription import compute_prescription
from tests.ui.conftest import wait_connected
from ui.profile_editor import ProfileDialog, ProfileEditor


def _combo(editor: ProfileEditor, name: str) -> QComboBox:
    widget = editor.inputs[name]
    assert isinstance(widget, QComboBox)
    return widget


def _line(editor: ProfileEditor, name: str) -> QLineEdit:
    widget = editor.inputs[name]
    assert isinstance(widget, QLineEdit)
    return widget


def _expected(profile: PatientProfile) -> str:
    rx = compute_prescription(profile, dt.date.today())
    return (
        f"zone {rx.zone_low_bpm:.0f}-{rx.zone_high_bpm:.0f} bpm, ceiling {rx.ceiling_bpm:.0f} bpm"
    )


@pytest.fixture
def dutch(qapp: Any) -> Iterator[None]:
    from ui.i18n import set_language

    assert set_language("nl")
    yield
    set_language("en")


def test_profile_editor_shows_human_labels(qtbot: Any) -> None:
    editor = ProfileEditor()
    qtbot.addWidget(editor)
    demo = profiles_io.demo_profile()
    editor.set_profile(demo)
    assert _combo(editor, "hrmax_formula").currentText() == "Tanaka 208 - 0.7 x age"
    method = _combo(editor, "zone.method")
    assert [method.itemText(i) for i in range(method.count())] == [
        "% of HRmax",
        "Karvonen (% HR reserve)",
        "absolute (bpm)",
    ]
    actuator = _combo(editor, "preferred_actuator")
    assert [actuator.itemText(i) for i in range(actuator.count())] == [
        "speed",
        "incline",
        "speed and incline",
    ]
    assert actuator.currentText() == "speed and incline"
    assert editor.labels["zone.low"].text() == "Zone low (% HRmax)"
    assert editor.labels["zone.high"].text() == "Zone high (% HRmax)"
    method.setCurrentIndex(method.findData("hrr_pct"))
    assert editor.labels["zone.low"].text() == "Zone low (% HR reserve)"
    method.setCurrentIndex(method.findData("absolute_bpm"))
    assert editor.labels["zone.high"].text() == "Zone high (bpm)"
    method.setCurrentIndex(method.findData(demo.zone.method.value))
    # the document still holds the raw values
    data = editor.to_dict()
    assert data["hrmax_formula"] == "tanaka" and data["preferred_actuator"] == "both"
    assert data["zone"]["method"] == demo.zone.method.value


def test_profile_editor_preview_updates_live(qtbot: Any) -> None:
    editor = ProfileEditor()
    qtbot.addWidget(editor)
    demo = profiles_io.demo_profile()
    editor.set_profile(demo)
    assert editor.preview.text().startswith(_expected(demo))
    high = demo.zone.high - 5.0
    _line(editor, "zone.high").setText(f"{high:g}")
    changed = replace(demo, zone=replace(demo.zone, high=high))
    assert editor.preview.text().startswith(_expected(changed))
    _line(editor, "resting_hr_bpm").setText("abc")
    assert editor.preview.text().startswith("Preview: not yet a valid profile")
    _line(editor, "resting_hr_bpm").setText(str(demo.resting_hr_bpm))
    method = _combo(editor, "zone.method")
    method.setCurrentIndex(method.findData("hrr_pct"))
    _line(editor, "zone.low").setText("40")
    _line(editor, "zone.high").setText("59")
    karvonen = replace(
        demo, zone=replace(demo.zone, method=type(demo.zone.method)("hrr_pct"), low=40.0, high=59.0)
    )
    assert editor.preview.text().startswith(_expected(karvonen))


def test_beta_blocker_notice_in_the_editor(qtbot: Any) -> None:
    editor = ProfileEditor()
    qtbot.addWidget(editor)
    editor.show()
    demo = profiles_io.demo_profile()
    editor.set_profile(demo)
    assert not editor.beta_notice.isVisible()
    beta = editor.inputs["beta_blocker"]
    assert isinstance(beta, QCheckBox)
    beta.setChecked(True)
    assert editor.beta_notice.isVisible()
    assert "Use RPE" in editor.beta_notice.text()
    blocked = replace(demo, beta_blocker=True)
    assert editor.preview.text().startswith(_expected(blocked))
    assert "beta-blocker formula" in editor.preview.text()


def test_profile_dialog_speaks_dutch(qtbot: Any, dutch: None) -> None:
    dialog = ProfileDialog(profiles_io.demo_profile(), lambda _p: None)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert (save.text(), cancel.text()) == ("Opslaan", "Annuleren")
    editor = dialog.editor
    assert _combo(editor, "preferred_actuator").currentText() == "snelheid en helling"
    method = _combo(editor, "zone.method")
    assert method.itemText(method.findData("hrr_pct")) == "Karvonen (% hartslagreserve)"
    assert editor.preview.text().startswith("zone ")
    assert "slagen/min" in editor.preview.text() and "veiligheidsgrens" in editor.preview.text()


@pytest.fixture
def demo_patient() -> PatientProfile:
    return replace(profiles_io.demo_profile(), beta_blocker=True)


def test_the_console_shows_the_beta_blocker_flag(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    wait_connected(qtbot, window)
    assert "BETA-BLOCKER" in window.prescription_label.text()
    assert "use RPE alongside" in window.prescription_label.text()


def test_profile_dialog_follows_a_live_language_switch(qtbot: Any) -> None:
    from ui.i18n import set_language

    dialog = ProfileDialog(profiles_io.demo_profile(), lambda _p: None)
    qtbot.addWidget(dialog)
    dialog.show()
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save.text() == "Save"
    try:
        assert set_language("nl")
        qtbot.waitUntil(lambda: save.text() == "Opslaan", timeout=15000)
        assert _combo(dialog.editor, "hrmax_formula").currentText() == "Tanaka 208 - 0,7 x leeftijd"
        assert dialog.editor.labels["zone.low"].text() == "Zone ondergrens (% HFmax)"
    finally:
        set_language("en")
    qtbot.waitUntil(lambda: save.text() == "Save", timeout=15000)
