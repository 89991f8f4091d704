"""The patient screen and the console tell the truth about the phase, the HR and the belt.

* HR is graded against the current phase's target band (warm-up and cool-down have
  their own), on the console and on the patient screen.
* The patient screen's grade and cue come from one state and never disagree; the cue
  says what the belt does, never what the patient should do.
* At the end the HR goes neutral and the screen says the belt has stopped.
* The therapist can hide the numbers; the summary reports the main phase's time in zone
  and the warm-up and cool-down by their HR change.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from runningroom.model import PhaseKind, PhaseSpec, SessionTemplate
from runningroom.session.model import HrQuality, Intent, SessionSnapshot, SessionState
from runningroom_app.desktop import make_builder
from tests.ui.conftest import wait_connected, wait_state
from ui.i18n import set_language
from ui.patient_screen import PatientScreen
from ui.summary import SummaryView
from ui.texts import NO_VALUE

ZONE = (105.0, 125.0)
WARMUP_BAND = (88.0, 125.0)
COOLDOWN_BAND = (65.0, 125.0)

_ORDERS = ("faster", "ease off", "keep this pace", "keep going", "well done")


def _snap(
    state: SessionState,
    hr: int | None,
    intent: Intent = Intent.HOLD,
    band: tuple[float, float] | None = None,
    phase: SessionState | None = None,
    speed_kmh: float = 5.0,
) -> SessionSnapshot:
    if phase is None:
        phase = state if state.is_exercising else None
    return SessionSnapshot(
        t_s=100.0, state=state, phase=phase, phase_elapsed_s=40.0, phase_remaining_s=125.0,
        session_elapsed_s=400.0, hr_bpm=hr, hr_filtered_bpm=None if hr is None else float(hr),
        hr_quality=HrQuality.OK, target_bpm=92.0 if state == SessionState.COOLDOWN else 115.0,
        zone_low_bpm=ZONE[0], zone_high_bpm=ZONE[1], ceiling_bpm=150.0,
        speed_cmd_kmh=speed_kmh, speed_meas_kmh=speed_kmh, incline_cmd_pct=0.0,
        incline_meas_pct=0.0, distance_m=900.0, target_offset_bpm=0.0, controller_held=False,
        controller_suspended=False, advisory_mode=False, intent=intent,
        phase_target_low_bpm=None if band is None else band[0],
        phase_target_high_bpm=None if band is None else band[1],
        session_remaining_s=1325.0,
    )


def _screen(qtbot: Any) -> PatientScreen:
    screen = PatientScreen()
    qtbot.addWidget(screen)
    screen.show()
    return screen


# ---- point 6: one target per phase ---------------------------------------------------


def test_cooldown_is_graded_against_the_cooldown_band(qtbot: Any, make_window: Any) -> None:
    # HR 95 in the cool-down: below the main zone, but where a cool-down should be
    snap = _snap(SessionState.COOLDOWN, 95, Intent.SLOWER, band=COOLDOWN_BAND)
    screen = _screen(qtbot)
    screen.show_snapshot(snap)
    assert screen.zone_word.text() == "on target"
    assert screen.zone_bar.segment == 1
    window = make_window()
    window._show(snap)
    assert window.zone_state.text() == "on target"
    assert "cool-down 65-125" in window.detail_value.text()
    assert "zone 105-125" not in window.detail_value.text()


def test_warmup_is_graded_against_the_warmup_band(qtbot: Any, make_window: Any) -> None:
    snap = _snap(SessionState.WARMUP, 96, Intent.FASTER, band=WARMUP_BAND)
    screen = _screen(qtbot)
    screen.show_snapshot(snap)
    assert screen.zone_word.text() == "on target"
    window = make_window()
    window._show(snap)
    assert window.zone_state.text() == "on target"
    assert "warm-up 88-125" in window.detail_value.text()


def test_main_phase_is_still_graded_against_the_zone(qtbot: Any, make_window: Any) -> None:
    snap = _snap(SessionState.MAIN, 95, Intent.FASTER, band=ZONE)
    screen = _screen(qtbot)
    screen.show_snapshot(snap)
    assert screen.zone_word.text() == "below your zone"
    window = make_window()
    window._show(snap)
    assert window.zone_state.text() == "below zone"
    assert "zone 105-125" in window.detail_value.text()


def test_summary_reports_main_phase_time_in_zone(qtbot: Any) -> None:
    view = SummaryView()
    qtbot.addWidget(view)
    view.set_summary({
        "status": "finished",
        "phases": {
            "warmup": {"duration_s": 480.0, "time_in_zone_pct": 6.0,
                       "hr_start_bpm": 92.0, "hr_end_bpm": 118.0},
            "main": {"duration_s": 1800.0, "time_in_zone_pct": 84.0,
                     "hr_start_bpm": 110.0, "hr_end_bpm": 116.0},
            "cooldown": {"duration_s": 420.0, "time_in_zone_pct": 3.0,
                         "hr_start_bpm": 117.0, "hr_end_bpm": 96.0},
        },
    }, None)
    shown = {key: view.findChild(QLabel, f"phase:{key}") for key in ("warmup", "main", "cooldown")}
    assert shown["main"].text() == "84 % in zone"
    assert shown["warmup"].text() == "HR 92 \u2192 118 bpm"
    assert shown["cooldown"].text() == "HR 117 \u2192 96 bpm"
    texts = [w.text() for w in view.phases_box.findChildren(QLabel)]
    assert not any("6 %" in t or "3 %" in t for t in texts)  # no warm-up "% in zone"


# ---- point 7: a patient screen that tells the truth ----------------------------------


@pytest.mark.parametrize("phase", [SessionState.WARMUP, SessionState.MAIN,
                                   SessionState.COOLDOWN])
@pytest.mark.parametrize("hr", [70, 95, 115, 135, 160, None])
@pytest.mark.parametrize("intent", list(Intent))
def test_patient_cue_agrees_with_grade(
    qtbot: Any, phase: SessionState, hr: int | None, intent: Intent
) -> None:
    band = {SessionState.WARMUP: WARMUP_BAND, SessionState.MAIN: ZONE,
            SessionState.COOLDOWN: COOLDOWN_BAND}[phase]
    screen = _screen(qtbot)
    screen.show_snapshot(_snap(phase, hr, intent, band=band))
    word = screen.zone_word.text()
    cue = screen.cue_label.text()
    assert cue.startswith("The belt"), cue  # says what the belt does
    assert not any(order in cue.lower() for order in _ORDERS), cue
    if word in ("in your zone", "on target") and phase == SessionState.MAIN:
        assert cue == "The belt keeps this pace"
    if word.startswith("below"):
        assert "slows down" not in cue
    if word.startswith("above"):
        assert "speeds up" not in cue
    if phase == SessionState.COOLDOWN:
        assert "speeds up" not in cue


def test_patient_screen_says_belt_stopped_at_end(qtbot: Any) -> None:
    screen = _screen(qtbot)
    screen.show_snapshot(_snap(SessionState.MAIN, 115, band=ZONE))
    assert screen.zone_word.text() == "in your zone"
    # the last snapshot still carries the last HR; the screen must not freeze it
    screen.show_snapshot(_snap(SessionState.FINISHED, 115, Intent.NONE, band=ZONE,
                               phase=SessionState.COOLDOWN, speed_kmh=0.0))
    assert screen.phase_label.text() == "Session finished"
    assert screen.cue_label.text() == "The belt has stopped"
    assert screen.hr_label.text() == NO_VALUE
    assert screen.zone_word.text() == ""
    assert screen.zone_bar.segment is None
    assert screen.time_label.text() == "" and screen.total_label.text() == ""
    # while the belt still turns after an early stop, it says so
    screen.show_snapshot(_snap(SessionState.STOPPED, 115, Intent.NONE, band=ZONE,
                               phase=SessionState.MAIN, speed_kmh=3.0))
    assert screen.phase_label.text() == "Session ended"
    assert screen.cue_label.text() == "The belt is stopping"
    screen.session_run_ended()  # the station stopped the belt when the run ended
    assert screen.cue_label.text() == "The belt has stopped"
    # a new session's first snapshot forgets it
    screen.show_snapshot(None)
    assert screen.cue_label.text() == "The session will start soon"


def test_patient_screen_shows_session_time_left(qtbot: Any) -> None:
    screen = _screen(qtbot)
    screen.show_snapshot(_snap(SessionState.MAIN, 115, band=ZONE))
    assert screen.time_label.text() == "2:05 left in this phase"
    assert screen.total_label.text() == "22:05 left in total"


def test_hide_numbers_hides_hr(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    screen = window.patient_screen
    window.show_patient_screen(True)
    screen.show_snapshot(_snap(SessionState.MAIN, 131, Intent.SLOWER, band=ZONE))
    assert screen.hr_label.isVisible() and screen.hr_label.text() == "131"
    box = screen.console_options().hide_numbers
    assert box.window() is window, "the switch is on the therapist's console"
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert box.isChecked()
    qtbot.waitUntil(lambda: not screen.hr_label.isVisible())
    for label in (screen.unit_label, screen.time_label, screen.total_label):
        assert not label.isVisible()
    assert screen.zone_word.isVisible() and screen.zone_word.text() == "above your zone"
    assert screen.cue_label.text() == "The belt slows down a little"
    # remembered for the next patient screen
    again = PatientScreen()
    qtbot.addWidget(again)
    assert again.numbers_hidden
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.hr_label.isVisible())


def test_patient_screen_has_no_double_hyphen(qtbot: Any) -> None:
    screen = _screen(qtbot)
    for snap in (None, _snap(SessionState.MAIN, None, band=ZONE)):
        screen.show_snapshot(snap)
        assert "--" not in screen.hr_label.text()
        assert screen.hr_label.text() == NO_VALUE
        assert screen.hr_label.fontMetrics().inFontUcs4(ord(NO_VALUE))


def test_patient_screen_in_dutch(qtbot: Any) -> None:
    screen = _screen(qtbot)
    set_language("nl")
    try:
        screen.show_snapshot(_snap(SessionState.COOLDOWN, 95, Intent.SLOWER,
                                   band=COOLDOWN_BAND))
        assert screen.zone_word.text() == "op streefwaarde"
        assert screen.cue_label.text() == "De band gaat iets langzamer"
        screen.show_snapshot(replace(_snap(SessionState.FINISHED, 95, Intent.NONE,
                                           phase=SessionState.COOLDOWN, speed_kmh=0.0)))
        assert screen.cue_label.text() == "De band staat stil"
    finally:
        set_language("en")


def test_dutch_patient_texts_can_say_u(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    screen = window.patient_screen
    window.show_patient_screen(True)
    formal = screen.console_options().formal
    assert not formal.isVisible()  # only offered in Dutch
    set_language("nl")
    try:
        qtbot.waitUntil(formal.isVisible)
        screen.show_snapshot(_snap(SessionState.MAIN, 115, band=ZONE))
        assert screen.zone_word.text() == "in je zone"
        qtbot.mouseClick(formal, Qt.MouseButton.LeftButton)
        assert screen.zone_word.text() == "in uw zone"
        screen.show_snapshot(None)
        assert screen.phase_label.text() == "Maakt u zich klaar"
        again = PatientScreen()
        qtbot.addWidget(again)
        assert again.formal  # remembered
        qtbot.mouseClick(formal, Qt.MouseButton.LeftButton)
        assert screen.phase_label.text() == "Maak je klaar"
    finally:
        set_language("en")
    screen.show_snapshot(_snap(SessionState.MAIN, 115, band=ZONE))
    assert screen.zone_word.text() == "in your zone"


# ---- the real stack ----------------------------------------------------------------

SHORT = SessionTemplate(
    name="short",
    warmup=PhaseSpec(PhaseKind.WARMUP, 120.0),
    main=PhaseSpec(PhaseKind.MAIN, 150.0),
    cooldown=PhaseSpec(PhaseKind.COOLDOWN, 90.0),
)


@pytest.mark.slow
def test_simulated_session_grades_each_phase_against_its_band(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    window = make_window(builder=make_builder(60.0, tmp_path / "rr.sqlite3"), templates=[SHORT])
    window.show_patient_screen(True)
    screen = window.patient_screen
    seen: list[tuple[SessionState, str, str, str]] = []
    original = screen.show_snapshot

    def spy(snap: SessionSnapshot | None) -> None:
        original(snap)
        if snap is not None:
            seen.append((snap.state, screen.zone_word.text(), screen.cue_label.text(),
                         window.zone_state.text()))

    screen.show_snapshot = spy  # type: ignore[method-assign]
    wait_connected(qtbot, window)
    qtbot.mouseClick(window.controls.start_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, SessionState.COOLDOWN, timeout_ms=30_000)
    snap = window.latest
    assert snap.phase_target_high_bpm == snap.zone_high_bpm
    qtbot.waitUntil(lambda: window.session_ended, timeout=30_000)
    # the last snapshot still shows the belt turning; the station stopped it when the
    # run ended, and the screen says so
    qtbot.waitUntil(lambda: screen.cue_label.text() == "The belt has stopped")
    assert screen.phase_label.text() == "Session finished"
    assert not screen.unit_label.isVisible()
    cooldown = [s for s in seen if s[0] == SessionState.COOLDOWN]
    assert cooldown
    assert not any(word == "below your zone" or console == "below zone"
                   for _, word, _, console in cooldown)
    assert screen.hr_label.text() == NO_VALUE
    phases = window.summary_view.data["phases"]
    assert phases["warmup"]["hr_end_bpm"] > phases["warmup"]["hr_start_bpm"]
    warm = window.summary_view.findChild(QLabel, "phase:warmup")
    assert warm.text().startswith("HR ")
