"""The post-session form from the summary: recorded, readable, shown; the check-in beside it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from runningroom.model import PhaseKind, PhaseSpec, SessionTemplate
from runningroom.records.forms import PostSessionForm, read_forms
from runningroom.session.model import SessionState, StopSession
from runningroom_app.desktop import make_builder
from tests.ui.conftest import wait_connected, wait_state
from ui.session_forms import PostSessionDialog

SHORT = SessionTemplate(
    name="short",
    warmup=PhaseSpec(PhaseKind.WARMUP, 90.0),
    main=PhaseSpec(PhaseKind.MAIN, 150.0),
    cooldown=PhaseSpec(PhaseKind.COOLDOWN, 60.0),
)


def test_post_session_form_is_recorded_and_readable(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    db = tmp_path / "rr.sqlite3"
    window = make_window(builder=make_builder(60.0, db), templates=[SHORT], pre_session_check=True)
    wait_connected(qtbot, window)
    qtbot.mouseClick(window.controls.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pre_session.dialog is not None, timeout=15000)
    check = window.pre_session.dialog
    qtbot.waitUntil(lambda: check.readout.hr_trusted, timeout=10_000)
    check.checkin.feeling.setCurrentIndex(check.checkin.feeling.findData(2))
    check.checkin.complaints.setPlainText("tired after a night shift")
    qtbot.mouseClick(check.start_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, [SessionState.WARMUP, SessionState.MAIN], timeout_ms=15_000)
    window.send(StopSession())
    qtbot.waitUntil(lambda: window.session_ended, timeout=15_000)
    section = window.summary_view.forms
    assert "Feeling today: +2" in section.pre_label.text()
    assert "tired after a night shift" in section.pre_label.text()
    assert "not filled in yet" in section.post_label.text()
    assert section.post_button.isEnabled()
    qtbot.mouseClick(section.post_button, Qt.MouseButton.LeftButton)
    dialog = section.dialog
    assert isinstance(dialog, PostSessionDialog) and dialog.isVisible()
    dialog.rpe.setCurrentIndex(dialog.rpe.findData(13))
    dialog.blood_pressure.set_values(142, 88)
    dialog.note.setPlainText("Walked 12 min; no complaints afterwards.")
    dialog.therapist.setText("M. Jansen")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: section.dialog is None, timeout=15000)
    with sqlite3.connect(db) as conn:
        (sid,) = conn.execute("SELECT session_id FROM sessions").fetchone()
        forms = read_forms(conn, sid)
    assert forms.post == PostSessionForm(
        session_rpe=13,
        bp_systolic_mmhg=142,
        bp_diastolic_mmhg=88,
        note="Walked 12 min; no complaints afterwards.",
        therapist_name="M. Jansen",
    )
    assert forms.pre is not None and forms.pre.feeling == 2
    text = section.post_label.text()
    assert "Session RPE: 13 somewhat hard" in text and "142/88 mmHg" in text
    assert "M. Jansen" in text and "no complaints afterwards" in text


def test_post_session_form_refuses_half_a_blood_pressure(qtbot: Any) -> None:
    saved: list[PostSessionForm] = []
    dialog = PostSessionDialog(saved.append)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.blood_pressure.systolic.setValue(130)
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert saved == [] and dialog.isVisible()
    assert "both blood pressure values" in dialog.error.text()
    dialog.blood_pressure.diastolic.setValue(80)
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert saved == [PostSessionForm(bp_systolic_mmhg=130, bp_diastolic_mmhg=80)]


def test_the_forms_are_in_dutch_after_a_language_switch(qtbot: Any) -> None:
    from ui.i18n import set_language

    dialog = PostSessionDialog(lambda _f: None)
    qtbot.addWidget(dialog)
    try:
        assert set_language("nl")
        qtbot.waitUntil(lambda: dialog.windowTitle() != "After the session", timeout=15000)
        assert dialog.buttons.button(dialog.buttons.StandardButton.Save).text() == "Opslaan"
        assert dialog.rpe_label.text() == "Sessie-RPE, Borg-schaal (6-20)"
        assert dialog.rpe.itemText(dialog.rpe.findData(13)) == "13 redelijk zwaar"
    finally:
        set_language("en")
