"""Console: "Confirm HR" on an implausible-HR alarm, and "Continue without HR"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from runningroom.session.model import (
    Alarm,
    AlarmKind,
    ConfirmHr,
    ContinueWithoutHr,
    SessionState,
)
from runningroom.session.plausibility import REASONS
from tests.ui.conftest import answer_question, wait_connected, wait_state
from tests.ui.fakes import FakeStation

TOO_LOW = "HR far below what the load predicts"

DUTCH_REASONS = {
    "HR far below what the load predicts": "Hartslag ver onder wat de belasting voorspelt",
    "HR far above what the load predicts": "Hartslag ver boven wat de belasting voorspelt",
    "HR barely moves while the load changes": (
        "Hartslag verandert nauwelijks terwijl de belasting verandert"
    ),
    "HR moves against the load": "Hartslag beweegt tegen de belasting in",
}


def _in_main(qtbot: Any, make_window: Any) -> tuple[Any, FakeStation]:
    """A window over a fake station in the main phase, its session clock standing still."""
    stations: list[FakeStation] = []
    window = make_window(stations=stations, dt_s=0.0, tick_real_s=0.02)
    wait_connected(qtbot, window)
    station = stations[-1]
    qtbot.mouseClick(window.controls.start_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, SessionState.WARMUP)
    qtbot.mouseClick(window.controls.next_button, Qt.MouseButton.LeftButton)
    answer_question(qtbot, window, yes=True)
    wait_state(qtbot, window, SessionState.MAIN)
    return window, station


def _card(qtbot: Any, window: Any, kind: AlarmKind) -> Any:
    qtbot.waitUntil(
        lambda: any(c.alarm.kind == kind for c in window.alarms.cards.values()), timeout=3000
    )
    return next(c for c in window.alarms.cards.values() if c.alarm.kind == kind)


@pytest.fixture
def dutch(qapp: Any) -> Iterator[None]:
    from ui.i18n import set_language

    assert set_language("nl")
    yield
    set_language("en")


def test_confirm_hr_button_appears_with_the_implausible_alarm_and_sends_confirm_hr(
    qtbot: Any, make_window: Any
) -> None:
    window, station = _in_main(qtbot, make_window)
    window.bridge.loop_thread.call(station.make_hr_implausible, TOO_LOW)
    card = _card(qtbot, window, AlarmKind.HR_IMPLAUSIBLE)
    qtbot.waitUntil(lambda: card.confirm_hr_button.isEnabled(), timeout=15000)
    assert card.confirm_hr_button.isVisible()
    assert card.confirm_hr_button.text() == "Confirm HR"
    assert TOO_LOW in card.detail.text()
    assert "does not match the load" in window.controller_value.text()
    assert ConfirmHr() not in station.commands
    qtbot.mouseClick(card.confirm_hr_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ConfirmHr() in station.commands, timeout=15000)
    # the station now reports the HR plausible (confirmed): nothing left to confirm
    qtbot.waitUntil(lambda: not card.confirm_hr_button.isEnabled(), timeout=15000)
    assert card.confirm_hr_button.text() == "HR confirmed"
    assert TOO_LOW in card.detail.text()  # the card still says what was wrong
    assert "does not match the load" not in window.controller_value.text()


def test_confirm_hr_is_offered_only_on_the_implausible_alarm(qtbot: Any, make_window: Any) -> None:
    window, station = _in_main(qtbot, make_window)
    window.bridge.loop_thread.call(
        station.raise_alarm,
        AlarmKind.HR_ABOVE_CEILING,
        "HR 160 bpm above the safety ceiling 150 bpm",
        "step down",
    )
    card = _card(qtbot, window, AlarmKind.HR_ABOVE_CEILING)
    assert card.isVisible() and not card.confirm_hr_button.isVisible()
    window.bridge.loop_thread.call(station.make_hr_implausible, TOO_LOW)
    implausible = _card(qtbot, window, AlarmKind.HR_IMPLAUSIBLE)
    assert implausible.confirm_hr_button.isVisible()
    alarm_id = implausible.alarm.alarm_id

    def clear() -> None:
        station.alarms[alarm_id].cleared_t_s = station.elapsed_s

    window.bridge.loop_thread.call(clear)
    qtbot.waitUntil(lambda: implausible.cleared, timeout=15000)
    assert not implausible.confirm_hr_button.isVisible()


@pytest.mark.parametrize("kind", [AlarmKind.HR_LOST, AlarmKind.HR_UNTRUSTED])
def test_continue_without_hr_is_offered_only_while_hr_is_lost_or_untrusted(
    qtbot: Any, make_window: Any, kind: AlarmKind
) -> None:
    window, station = _in_main(qtbot, make_window)
    assert not window.without_hr.isVisible()
    window.bridge.loop_thread.call(
        station.raise_alarm,
        AlarmKind.RECORDING_FAILED,
        "recording failed: disk full",
        "session continues",
    )
    _card(qtbot, window, AlarmKind.RECORDING_FAILED)
    assert not window.without_hr.isVisible()
    window.bridge.loop_thread.call(station.raise_alarm, kind, "lost", "held")
    alarm_id = _card(qtbot, window, kind).alarm.alarm_id
    qtbot.waitUntil(lambda: window.without_hr.isVisible(), timeout=15000)
    assert window.without_hr.button.text() == "Continue without HR..."

    def clear() -> None:
        station.alarms[alarm_id].cleared_t_s = station.elapsed_s

    window.bridge.loop_thread.call(clear)
    qtbot.waitUntil(lambda: not window.without_hr.isVisible(), timeout=15000)


def test_continue_without_hr_asks_for_confirmation_before_sending(
    qtbot: Any, make_window: Any
) -> None:
    window, station = _in_main(qtbot, make_window)
    window.bridge.loop_thread.call(station.raise_alarm, AlarmKind.HR_LOST, "lost", "held")
    qtbot.waitUntil(lambda: window.without_hr.isVisible(), timeout=15000)
    bar = window.without_hr
    # "Cancel" sends nothing
    qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    box = bar.confirm_box
    assert box is not None and box.isVisible()
    assert "will NOT slow down automatically" in box.informativeText()
    assert "ceiling rule" in box.informativeText()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.confirm_box is None, timeout=15000)
    assert not any(isinstance(c, ContinueWithoutHr) for c in station.commands)
    # "Continue without HR" in the dialog sends the choice
    qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    box = bar.confirm_box
    assert box is not None
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ContinueWithoutHr(True) in station.commands, timeout=15000)
    assert [c for c in station.commands if isinstance(c, ContinueWithoutHr)] == [
        ContinueWithoutHr(True)
    ]
    # the console shows it loudly and offers the way back
    qtbot.waitUntil(lambda: bar.enabled_now, timeout=15000)
    assert "RUNNING WITHOUT HEART RATE" in bar.label.text()
    assert "only the ceiling rule stays" in bar.label.text()
    assert bar.button.text() == "Use heart rate again"
    assert "continuing WITHOUT heart rate" in window.controller_value.text()


def test_continue_without_hr_stays_visible_while_on_and_turns_off_without_a_dialog(
    qtbot: Any, make_window: Any
) -> None:
    window, station = _in_main(qtbot, make_window)
    window.bridge.loop_thread.call(station.raise_alarm, AlarmKind.HR_UNTRUSTED, "untrusted", "held")
    alarm_id = _card(qtbot, window, AlarmKind.HR_UNTRUSTED).alarm.alarm_id
    bar = window.without_hr
    qtbot.waitUntil(lambda: bar.isVisible(), timeout=15000)
    window.bridge.loop_thread.call(station.submit, ContinueWithoutHr(True))
    qtbot.waitUntil(lambda: bar.enabled_now, timeout=15000)

    def clear() -> None:
        station.alarms[alarm_id].cleared_t_s = station.elapsed_s

    window.bridge.loop_thread.call(clear)
    qtbot.waitUntil(lambda: window.alarms.cards[alarm_id].cleared, timeout=15000)
    assert bar.isVisible()  # the choice is still on: its banner stays
    qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    assert bar.confirm_box is None
    qtbot.waitUntil(lambda: ContinueWithoutHr(False) in station.commands, timeout=15000)
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=15000)
    assert "WITHOUT" not in window.controller_value.text()


def test_a_pending_confirmation_is_dropped_when_the_hr_comes_back(
    qtbot: Any, make_window: Any
) -> None:
    window, station = _in_main(qtbot, make_window)
    window.bridge.loop_thread.call(station.raise_alarm, AlarmKind.HR_LOST, "lost", "held")
    alarm_id = _card(qtbot, window, AlarmKind.HR_LOST).alarm.alarm_id
    bar = window.without_hr
    qtbot.waitUntil(lambda: bar.isVisible(), timeout=15000)
    box = bar.ask_to_enable()

    def clear() -> None:
        station.alarms[alarm_id].cleared_t_s = station.elapsed_s

    window.bridge.loop_thread.call(clear)
    qtbot.waitUntil(lambda: bar.confirm_box is None, timeout=15000)
    assert not shiboken6.isValid(box) or not box.isVisible()  # closed (maybe deleted)
    assert not any(isinstance(c, ContinueWithoutHr) for c in station.commands)


_PANELS: list[Any] = []  # keeps the panels (and so their cards) alive during a test


def _panel_card(
    qtbot: Any, alarm: Alarm, plausible: bool = False, reason: str | None = None
) -> Any:
    from ui.alarms import AlarmPanel

    panel = AlarmPanel()
    qtbot.addWidget(panel)
    _PANELS.append(panel)
    panel.update_alarms((alarm,), plausible, reason)
    return panel.cards[alarm.alarm_id]


@pytest.fixture(autouse=True)
def _drop_panels() -> Iterator[None]:
    yield
    _PANELS.clear()


@pytest.mark.parametrize("reason", list(REASONS.values()))
def test_implausible_reason_is_translated_in_dutch(qtbot: Any, dutch: None, reason: str) -> None:
    alarm = Alarm(
        3,
        AlarmKind.HR_IMPLAUSIBLE,
        75.0,
        f"HR implausible: {reason}",
        "no increases until the HR agrees with the load or is confirmed",
    )
    card = _panel_card(qtbot, alarm, reason=reason)
    text = card.title.text() + "\n" + card.detail.text()
    assert DUTCH_REASONS[reason] in text, text
    assert "Hartslag past niet bij de belasting" in card.title.text()
    assert "snelheid en helling gaan niet omhoog" in text
    assert reason not in text and alarm.action not in text and alarm.message not in text
    assert card.confirm_hr_button.text() == "Hartslag klopt"
    assert card.detail.toolTip() == ""  # no English device detail either


def test_implausible_reason_comes_from_the_snapshot_when_the_message_names_none(
    qtbot: Any, qapp: Any
) -> None:
    alarm = Alarm(4, AlarmKind.HR_IMPLAUSIBLE, 75.0, "heart rate implausible", "held")
    card = _panel_card(qtbot, alarm, reason="HR moves against the load")
    assert "HR moves against the load" in card.detail.text()
    unnamed = _panel_card(qtbot, Alarm(5, AlarmKind.HR_IMPLAUSIBLE, 75.0, "odd", "held"))
    assert "The heart rate does not match what the load predicts" in unnamed.detail.text()


def test_unknown_implausible_reason_shows_no_english_in_dutch(qapp: Any, dutch: None) -> None:
    from ui.texts import implausible_reason

    assert implausible_reason(None) is None
    assert implausible_reason("a brand new reason") == (
        "Hartslag klopt niet met wat de belasting voorspelt"
    )
    assert {implausible_reason(r) for r in REASONS.values()} == set(DUTCH_REASONS.values())


def test_continue_without_hr_dialog_and_banner_in_dutch(qtbot: Any, make_window: Any) -> None:
    window, station = _in_main(qtbot, make_window)
    window.change_language("nl")
    qtbot.waitUntil(lambda: window.controls.estop.text() == "NOODSTOP", timeout=15000)
    window.bridge.loop_thread.call(station.raise_alarm, AlarmKind.HR_LOST, "lost", "held")
    bar = window.without_hr
    qtbot.waitUntil(lambda: bar.isVisible(), timeout=15000)
    assert bar.button.text() == "Doorgaan zonder hartslag..."
    box = bar.ask_to_enable()
    assert box.windowTitle() == "Doorgaan zonder hartslag?"
    assert "plafondregel" in box.informativeText()
    assert box.button(QMessageBox.StandardButton.Yes).text() == "Doorgaan zonder hartslag"
    assert box.button(QMessageBox.StandardButton.Cancel).text() == "Annuleren"
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.enabled_now, timeout=15000)
    assert bar.label.text().startswith("ZONDER HARTSLAG")
    assert bar.button.text() == "Hartslag weer gebruiken"
    assert "doorgaan ZONDER hartslag" in window.controller_value.text()


def test_close_alarm_markers_get_their_labels_on_different_heights(qtbot: Any) -> None:
    from runningroom_app.bench_ui import _fill_history
    from ui.plots import LivePlots, SessionHistory

    history = SessionHistory()
    _fill_history(history, 3.0)
    history.add_marker("Heart rate lost", "alarm", x_min=1.7)
    history.add_marker("Heart rate does not match the load", "alarm", x_min=1.9)
    history.add_marker("Recording failed", "alarm", x_min=2.9)
    plots = LivePlots(history)
    qtbot.addWidget(plots)
    plots.refresh()
    heights = {
        item.label.format: item.label.orthoPos
        for item in plots.detail._marker_items
        if item.label is not None and item.value() >= 1.5
    }
    assert heights["Heart rate lost"] != heights["Heart rate does not match the load"]
    assert heights["Recording failed"] == heights["Heart rate lost"]  # far apart: top again


def test_implausible_alarm_keeps_the_measured_and_predicted_hr_in_dutch(
    qtbot: Any, dutch: None
) -> None:
    message = f"{TOO_LOW} (HR 62 bpm, the load predicts about 124 bpm)"
    alarm = Alarm(
        6,
        AlarmKind.HR_IMPLAUSIBLE,
        75.0,
        message,
        "no speed or incline increases; confirm the HR if it is right",
    )
    card = _panel_card(qtbot, alarm, reason=TOO_LOW)
    assert card.detail.text().splitlines() == [
        "Hartslag ver onder wat de belasting voorspelt (hartslag 62 slagen/min, bij deze "
        "belasting verwacht: ongeveer 124 slagen/min)",
        "Actie van het systeem: snelheid en helling gaan niet omhoog; bevestig de hartslag "
        "als die klopt",
    ]


def test_marker_labels_without_room_are_left_out_instead_of_overlapping(qtbot: Any) -> None:
    from runningroom_app.bench_ui import _fill_history
    from ui.plots import LivePlots, SessionHistory

    history = SessionHistory()
    _fill_history(history, 3.0)
    for i in range(6):  # six long labels within 30 s: at most three heights
        history.add_marker(f"Heart rate lost, long label number {i}", "alarm", x_min=2.0 + i / 12)
    plots = LivePlots(history)
    qtbot.addWidget(plots)
    plots.refresh()
    labelled = [
        (item.value(), item.label.orthoPos)
        for item in plots.detail._marker_items
        if getattr(item, "label", None) is not None and item.value() >= 1.9
    ]
    lines = [item for item in plots.detail._marker_items if item.value() >= 1.9]
    assert len(lines) == 6  # every marker keeps its line
    heights = [pos for _x, pos in labelled]
    assert 1 <= len(labelled) <= 3 and len(set(heights)) == len(heights)
