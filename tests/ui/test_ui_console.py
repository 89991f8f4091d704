"""Therapist console against a fake station: safety keys, alarms, language, closing."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from runningroom.session.model import (
    AcknowledgeAlarm,
    AlarmKind,
    EmergencyStop,
    PauseSession,
    RateRpe,
    SessionState,
    SkipPhase,
)
from tests.ui.conftest import answer_question, wait_connected, wait_state
from tests.ui.fakes import FakeStation
from ui.main_window import EMERGENCY_STOP_KEY


def _running(qtbot: Any, make_window: Any, **kwargs: Any) -> tuple[Any, FakeStation]:
    """A connected window over a fake station whose session clock stands still.

    Phases change only by the therapist's buttons, so a slow machine cannot let a phase run
    out (or the session finish) between a step of the test and its check.
    """
    stations: list[FakeStation] = []
    kwargs.setdefault("dt_s", 0.0)
    window = make_window(stations=stations, **kwargs)
    wait_connected(qtbot, window)
    station = stations[-1]
    return window, station


def _advance_to(qtbot: Any, window: Any, station: FakeStation, state: SessionState) -> None:
    """Put the session in ``state`` (idle = connected, not started)."""
    if state == SessionState.IDLE:
        return
    qtbot.mouseClick(window.controls.start_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, SessionState.WARMUP)
    if state == SessionState.PAUSED:
        qtbot.mouseClick(window.controls.pause_button, Qt.MouseButton.LeftButton)
    elif state in (SessionState.MAIN, SessionState.COOLDOWN, SessionState.FINISHED):
        steps = {SessionState.MAIN: 1, SessionState.COOLDOWN: 2, SessionState.FINISHED: 3}
        for _ in range(steps[state]):
            before = window.latest.state
            qtbot.mouseClick(window.controls.next_button, Qt.MouseButton.LeftButton)
            answer_question(qtbot, window, yes=True)
            qtbot.waitUntil(lambda b=before: window.latest.state != b, timeout=15000)
    wait_state(qtbot, window, state)


STATES = [SessionState.IDLE, SessionState.WARMUP, SessionState.MAIN, SessionState.COOLDOWN,
          SessionState.PAUSED, SessionState.FINISHED]


@pytest.mark.parametrize("state", STATES, ids=[str(s) for s in STATES])
def test_emergency_stop_from_the_keyboard_in_every_state(
    qtbot: Any, make_window: Any, state: SessionState
) -> None:
    window, station = _running(qtbot, make_window, tick_real_s=0.02)
    _advance_to(qtbot, window, station, state)
    stops_before = station.belt_stops
    window.activateWindow()
    window.entry.note.setFocus()  # a focused text field must not swallow the key
    qtbot.keyClick(QApplication.focusWidget() or window, EMERGENCY_STOP_KEY)
    qtbot.waitUntil(lambda: EmergencyStop() in station.commands, timeout=15000)
    qtbot.waitUntil(lambda: station.belt_stops > stops_before, timeout=15000)
    assert window.emergency_count == 1
    if not station.state.is_terminal or state != SessionState.FINISHED:
        assert station.state == SessionState.EMERGENCY_STOPPED
    assert "EMERGENCY STOP" in window.status_line.text()


def test_emergency_stop_button_and_patient_screen_key(qtbot: Any, make_window: Any) -> None:
    window, station = _running(qtbot, make_window, tick_real_s=0.02)
    _advance_to(qtbot, window, station, SessionState.MAIN)
    assert window.controls.estop.isEnabled()
    qtbot.mouseClick(window.controls.estop, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: station.state == SessionState.EMERGENCY_STOPPED, timeout=15000)
    # the key works from the patient screen too
    window.show_patient_screen(True)
    n = len(station.commands)
    qtbot.keyClick(window.patient_screen, EMERGENCY_STOP_KEY)
    qtbot.waitUntil(lambda: len(station.commands) > n, timeout=15000)
    assert station.commands[-1] == EmergencyStop()
    assert window.controls.estop.isEnabled()


def test_space_in_a_text_field_types_a_space(qtbot: Any, make_window: Any) -> None:
    window, station = _running(qtbot, make_window, tick_real_s=0.02)
    _advance_to(qtbot, window, station, SessionState.WARMUP)
    window.activateWindow()
    window.entry.note.setFocus()
    qtbot.keyClicks(window.entry.note, "needs water")
    assert window.entry.note.text() == "needs water"
    assert EmergencyStop() not in station.commands
    qtbot.keyClick(window.entry.note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(e.kind == "annotation" for e in station.events), timeout=15000)
    # the emergency stop key still stops from a text field
    window.entry.note.setFocus()
    qtbot.keyClick(window.entry.note, EMERGENCY_STOP_KEY)
    qtbot.waitUntil(lambda: EmergencyStop() in station.commands, timeout=15000)


def test_alarm_appears_sounds_once_and_is_acknowledged(qtbot: Any, make_window: Any) -> None:
    window, station = _running(qtbot, make_window, tick_real_s=0.02)
    _advance_to(qtbot, window, station, SessionState.MAIN)
    window.bridge.loop_thread.call(station.raise_alarm, AlarmKind.HR_LOST,
                                   "no HR for 5 s", "speed held")
    qtbot.waitUntil(lambda: len(window.alarms.cards) == 1, timeout=15000)
    card = next(iter(window.alarms.cards.values()))
    assert card.isVisible()
    assert "Heart rate lost" in card.title.text()
    assert "speed held" in card.detail.text()
    for _ in range(3):  # more snapshots with the same alarm: no second beep, no second card
        seen = window.latest
        qtbot.waitUntil(lambda s=seen: window.latest is not s, timeout=10_000)
    assert window.alarms.beeps == 1 and len(window.alarms.cards) == 1
    qtbot.mouseClick(card.ack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: AcknowledgeAlarm(card.alarm.alarm_id) in station.commands,
                    timeout=15000)
    qtbot.waitUntil(lambda: any(e.kind == "alarm_ack" for e in station.events), timeout=15000)
    assert not card.ack_button.isEnabled()
    assert window.alarms.unacknowledged == []


def test_cleared_but_unacknowledged_alarm_stays(qtbot: Any, make_window: Any) -> None:
    window, station = _running(qtbot, make_window, tick_real_s=0.02)
    _advance_to(qtbot, window, station, SessionState.MAIN)
    window.bridge.loop_thread.call(station.raise_alarm, AlarmKind.HR_ABOVE_CEILING,
                                   "HR 160 > 150", "step down")
    qtbot.waitUntil(lambda: len(window.alarms.cards) == 1, timeout=15000)
    alarm_id = next(iter(window.alarms.cards))

    def clear() -> None:
        station.alarms.pop(alarm_id)

    window.bridge.loop_thread.call(clear)
    qtbot.waitUntil(lambda: window.alarms.cards[alarm_id].cleared, timeout=15000)
    assert window.alarms.unacknowledged == [alarm_id]
    qtbot.mouseClick(window.alarms.cards[alarm_id].ack_button, Qt.MouseButton.LeftButton)
    assert alarm_id not in window.alarms.cards


def test_overrides_and_ratings_reach_the_station(qtbot: Any, make_window: Any) -> None:
    window, station = _running(qtbot, make_window, tick_real_s=0.02)
    _advance_to(qtbot, window, station, SessionState.WARMUP)
    window.entry.rpe.setValue(13)
    qtbot.mouseClick(window.entry.rpe_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.controls.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: PauseSession() in station.commands, timeout=15000)
    assert RateRpe(13) in station.commands
    wait_state(qtbot, window, SessionState.PAUSED)
    assert window.controls.pause_button.text() == "Resume"
    assert not window.controls.next_button.isEnabled()
    assert SkipPhase() not in station.commands


def test_language_switch_changes_the_strings(qtbot: Any, make_window: Any) -> None:
    window, station = _running(qtbot, make_window, tick_real_s=0.02)
    _advance_to(qtbot, window, station, SessionState.WARMUP)
    assert window.controls.estop.text() == "EMERGENCY STOP"
    window.language_combo.setCurrentIndex(window.language_combo.findData("nl"))
    qtbot.waitUntil(lambda: window.controls.estop.text() == "NOODSTOP", timeout=15000)
    assert window.controls.start_button.text() == "Starten"
    assert window.tabs.tabText(0) == "Sessie"
    qtbot.waitUntil(lambda: window.phase_value.text() == "Warming-up", timeout=15000)
    assert window.patient_screen.unit_label.text() == "slagen/min"
    from ui.settings import LANGUAGE_KEY, app_settings
    assert app_settings().value(LANGUAGE_KEY) == "nl"
    assert window.language_combo.currentText() == "Nederlands"
    window.change_language("en")
    qtbot.waitUntil(lambda: window.controls.start_button.text() == "Start", timeout=15000)
    assert window.tabs.tabText(0) == "Session"


def test_closing_mid_session_asks_and_then_stops_cleanly(qtbot: Any, make_window: Any) -> None:
    window, station = _running(qtbot, make_window, tick_real_s=0.02)
    _advance_to(qtbot, window, station, SessionState.MAIN)
    asked: list[bool] = []

    def refuse() -> bool:
        asked.append(True)
        return False

    window.confirm_close = refuse
    window.close()
    assert asked and window.isVisible() and station.state == SessionState.MAIN
    window.confirm_close = lambda: True
    window.close()
    assert not window.isVisible()
    assert station.state == SessionState.STOPPED
    assert station.recording_status == "stopped"
    assert not station.belt_running
    assert not window.bridge.loop_thread.running


@pytest.mark.parametrize("language", ["en", "nl"])
def test_console_fits_1366x768(qtbot: Any, make_window: Any, language: str) -> None:
    window, station = _running(qtbot, make_window, tick_real_s=0.02)
    window.change_language(language)
    estop_text = {"en": "EMERGENCY STOP", "nl": "NOODSTOP"}[language]
    qtbot.waitUntil(lambda: window.controls.estop.text() == estop_text, timeout=10_000)
    _advance_to(qtbot, window, station, SessionState.MAIN)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768, (language, hint)
