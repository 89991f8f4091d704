"""Quick entry feedback: empty rating boxes, a list of what was recorded, labelled markers,
notes and overrides on the summary."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from runningroom.recording.model import EventRecord
from runningroom.session.model import Annotate, RateFeeling, RateRpe, SessionState
from runningroom.session.summary import summarise
from tests.core.test_summary import build
from tests.ui.conftest import wait_connected, wait_state
from tests.ui.fakes import FakeStation
from ui.summary import SummaryView


def _connected(qtbot: Any, make_window: Any) -> tuple[Any, FakeStation]:
    stations: list[FakeStation] = []
    window = make_window(stations=stations, dt_s=0.0, tick_real_s=0.02)
    wait_connected(qtbot, window)
    return window, stations[-1]


def _start(qtbot: Any, window: Any) -> None:
    qtbot.mouseClick(window.controls.start_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, SessionState.WARMUP)


def _at(window: Any, station: FakeStation, elapsed_s: float) -> None:
    window.bridge.loop_thread.call(setattr, station, "elapsed_s", elapsed_s)


def test_entry_spin_boxes_start_empty_and_disabled_before_start(
    qtbot: Any, make_window: Any
) -> None:
    window, station = _connected(qtbot, make_window)
    entry = window.entry
    assert entry.rpe.text() == "\u2013" and entry.rpe.rating() is None
    assert entry.feeling.text() == "\u2013" and entry.feeling.rating() is None
    for widget in (entry.rpe, entry.feeling, entry.note, entry.rpe_button,
                   entry.feeling_button, entry.note_button):
        assert not widget.isEnabled()
    _start(qtbot, window)
    assert entry.rpe.isEnabled() and entry.feeling.isEnabled() and entry.note.isEnabled()
    # nothing picked yet: nothing to record
    assert not entry.rpe_button.isEnabled() and not entry.feeling_button.isEnabled()
    entry.rpe.stepBy(1)  # the first step from empty lands mid-scale, not on an end
    assert entry.rpe.rating() == 13 and entry.rpe_button.isEnabled()
    entry.feeling.stepBy(1)
    entry.feeling.stepBy(1)
    assert entry.feeling.rating() == 1 and entry.feeling.text() == "+1"
    qtbot.mouseClick(entry.feeling_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: RateFeeling(1) in station.commands, timeout=15000)
    assert entry.feeling.rating() is None  # empty again: the next rating is picked anew
    assert not any(isinstance(c, RateRpe) for c in station.commands)


def test_entries_are_listed_with_their_time(qtbot: Any, make_window: Any) -> None:
    window, station = _connected(qtbot, make_window)
    entry = window.entry
    _start(qtbot, window)
    _at(window, station, 750.0)
    entry.rpe.setValue(13)
    qtbot.mouseClick(entry.rpe_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: entry.entry_texts() == ["+12:30  RPE 13"], timeout=15000)
    _at(window, station, 842.0)
    entry.feeling.setValue(2)
    qtbot.mouseClick(entry.feeling_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(entry.entry_texts()) == 2, timeout=15000)
    _at(window, station, 1200.0)
    window.activateWindow()
    entry.note.setFocus()
    qtbot.keyClicks(entry.note, "talks in full sentences")
    qtbot.keyClick(entry.note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(entry.entry_texts()) == 3, timeout=15000)
    assert Annotate("talks in full sentences") in station.commands
    assert entry.entry_texts() == [  # newest first
        "+20:00  Note: talks in full sentences",
        "+14:02  Feeling +2",
        "+12:30  RPE 13",
    ]
    # a refused entry says so instead of looking recorded
    window.bridge.loop_thread.call(
        lambda: station._event("rejected", "RateRpe rejected", command="RateRpe",
                               reason="RPE must be 6-20"))
    qtbot.waitUntil(lambda: entry.entry_texts()[0] == "+20:00  Not recorded: RPE must be 6-20",
                    timeout=15000)


def test_entries_are_listed_in_dutch(qtbot: Any, make_window: Any) -> None:
    window, _station = _connected(qtbot, make_window)
    _start(qtbot, window)
    window.language_combo.setCurrentIndex(window.language_combo.findData("nl"))
    qtbot.waitUntil(lambda: window.entry.rpe_button.text() != "Record RPE", timeout=15000)
    window.entry.feeling.setValue(-2)
    qtbot.mouseClick(window.entry.feeling_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.entry.entry_texts() == ["+0:00  Gevoel -2"], timeout=15000)
    assert window.entry.list_label.text().startswith("Vastgelegd")


def _labels(plot: Any) -> list[str]:
    """The texts beside the plot's marker lines."""
    labels = [getattr(line, "label", None) for line in plot._marker_items]
    return [label.toPlainText() for label in labels if label is not None]


def test_plot_markers_are_labelled(qtbot: Any, make_window: Any) -> None:
    window, station = _connected(qtbot, make_window)
    entry = window.entry
    _start(qtbot, window)
    entry.rpe.setValue(13)
    qtbot.mouseClick(entry.rpe_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(entry.entry_texts()) == 1, timeout=15000)
    _at(window, station, 300.0)
    entry.feeling.setValue(2)
    qtbot.mouseClick(entry.feeling_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(entry.entry_texts()) == 2, timeout=15000)
    _at(window, station, 600.0)
    entry.note.setText("asks for water")
    qtbot.mouseClick(entry.note_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(entry.entry_texts()) == 3, timeout=15000)
    qtbot.waitUntil(
        lambda: {"RPE 13", "+2", "note"} <= set(_labels(window.plots.detail)), timeout=15000)


def test_summary_lists_notes_and_overrides(qtbot: Any) -> None:
    events = [
        EventRecord(61.0, "annotation", "therapist", "talks in full sentences",
                    {"text": "talks in full sentences"}),
        EventRecord(90.0, "override", "therapist", "speed set to 5.5 km/h",
                    {"command": "manual_speed", "speed_kmh": 5.5}),
        EventRecord(120.0, "override", "therapist", "target offset +5 bpm",
                    {"command": "adjust_target", "delta_bpm": 5.0, "offset_bpm": 5.0}),
        EventRecord(150.0, "override", "therapist", "therapist paused the session",
                    {"command": "pause"}),
        EventRecord(160.0, "override", "therapist", "continue without HR",
                    {"command": "continue_without_hr", "enabled": True}),
        EventRecord(170.0, "override", "therapist", "skip main -> cooldown",
                    {"command": "skip_phase"}),
    ]
    view = SummaryView()
    qtbot.addWidget(view)
    view.set_summary(summarise(build(), events, status="finished"), None)
    view.show()
    lines = view.notes_lines()
    assert lines == [
        "+1:01  Note: talks in full sentences",
        "+1:30  Speed set by the therapist to 5.5 km/h",
        "+2:00  Target changed by the therapist: +5 bpm (now +5 bpm from the prescription)",
        "+2:30  Session paused by the therapist",
        "+2:40  Therapist continues without heart rate (safety limit kept)",
        "+2:50  Phase skipped by the therapist: Main phase \u2192 Cool-down",
    ]
    assert view.notes_box.isVisible()
    assert "talks in full sentences" in view.notes_label.text()
