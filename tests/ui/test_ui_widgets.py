"""Profile editor, patient screen, timeline, summary and translations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLineEdit

from runningroom import profiles_io
from runningroom.session.model import HrQuality, Intent, SessionSnapshot, SessionState
from tests.ui.fakes import FAST_TEMPLATE
from ui.i18n.build import extract, source_files
from ui.i18n.nl import DUTCH
from ui.patient_screen import PatientScreen
from ui.profile_editor import ProfileDialog, ProfileEditor
from ui.summary import SummaryView
from ui.timeline import TemplateTimeline


def _set(editor: ProfileEditor, field: str, text: str) -> None:
    widget = editor.inputs[field]
    assert isinstance(widget, QLineEdit)
    widget.setText(text)


def test_profile_editor_round_trips_the_demo_profile(qtbot: Any) -> None:
    editor = ProfileEditor()
    qtbot.addWidget(editor)
    demo = profiles_io.demo_profile()
    editor.set_profile(demo)
    assert editor.validate() == demo


@pytest.mark.parametrize(
    ("field", "text", "fragment"),
    [
        ("resting_hr_bpm", "abc", "got 'abc'"),
        ("resting_hr_bpm", "300", "300"),
        ("code", "bad code with spaces", "pseudonymous code"),
        ("limits.max_speed_kmh", "99", "99"),
        ("zone.high", "50", "zone.low"),
        ("age_years", "45", "not both"),
    ],
)
def test_profile_editor_rejects_bad_input_next_to_the_field(
    qtbot: Any, field: str, text: str, fragment: str
) -> None:
    editor = ProfileEditor()
    qtbot.addWidget(editor)
    editor.set_profile(profiles_io.demo_profile())
    _set(editor, field, text)
    assert editor.validate() is None
    shown = editor.error_text(field)
    assert fragment in shown, shown
    others = [f for f in editor.errors if f != field and editor.error_text(f)]
    assert others == []
    # fixing the field clears the error
    editor.set_profile(profiles_io.demo_profile())
    assert editor.validate() is not None
    assert editor.error_text(field) == ""


def test_new_profile_requires_a_code_and_saves_when_valid(qtbot: Any, tmp_path: Path) -> None:
    saved: list[Any] = []

    def save(profile: Any) -> Path:
        saved.append(profile)
        return profiles_io.save_patient(profile, tmp_path)

    dialog = ProfileDialog(None, save)
    qtbot.addWidget(dialog)
    dialog.try_save()
    assert not saved and dialog.editor.error_text("code")
    _set(dialog.editor, "code", "P-0042")
    _set(dialog.editor, "resting_hr_bpm", "68")
    dialog.try_save()
    assert not saved and "birth_year" in dialog.editor.errors
    assert dialog.editor.error_text("birth_year")
    _set(dialog.editor, "birth_year", "1960")
    dialog.try_save()
    assert saved and saved[0].code == "P-0042" and saved[0].birth_year == 1960
    assert profiles_io.load_profile(tmp_path / "P-0042.toml") == saved[0]


def _snap(state: SessionState, hr: int | None, intent: Intent = Intent.HOLD) -> SessionSnapshot:
    return SessionSnapshot(
        t_s=100.0, state=state, phase=SessionState.MAIN if state.is_exercising else None,
        phase_elapsed_s=40.0, phase_remaining_s=125.0, session_elapsed_s=400.0, hr_bpm=hr,
        hr_filtered_bpm=None if hr is None else float(hr), hr_quality=HrQuality.OK,
        target_bpm=115.0, zone_low_bpm=105.0, zone_high_bpm=125.0, ceiling_bpm=150.0,
        speed_cmd_kmh=5.0, speed_meas_kmh=5.0, incline_cmd_pct=0.0, incline_meas_pct=0.0,
        distance_m=900.0, target_offset_bpm=0.0, controller_held=False,
        controller_suspended=False, advisory_mode=False, intent=intent)


@pytest.mark.parametrize(
    ("hr", "intent", "word", "cue"),
    [
        (95, Intent.FASTER, "below your zone", "The belt speeds up a little"),
        (115, Intent.HOLD, "in your zone", "The belt keeps this pace"),
        (131, Intent.SLOWER, "above your zone", "The belt slows down a little"),
    ],
)
def test_patient_screen_shows_zone_and_cue(
    qtbot: Any, hr: int, intent: Intent, word: str, cue: str
) -> None:
    screen = PatientScreen()
    qtbot.addWidget(screen)
    screen.show_snapshot(_snap(SessionState.MAIN, hr, intent))
    assert screen.hr_label.text() == str(hr)
    assert screen.zone_word.text() == word
    assert screen.cue_label.text() == cue
    assert screen.time_label.text() == "2:05 left in this phase"
    assert screen.phase_label.text() == "Main phase"


def test_patient_screen_remembers_its_screen(qtbot: Any) -> None:
    screen = PatientScreen()
    qtbot.addWidget(screen)
    screen.show()
    screen.move(40, 30)
    screen.save_placement()
    screen.close()
    again = PatientScreen()
    qtbot.addWidget(again)
    again.restore_placement()
    again.show()
    from ui.settings import PATIENT_GEOMETRY_KEY, PATIENT_SCREEN_KEY, app_settings

    assert app_settings().value(PATIENT_SCREEN_KEY) == screen.screen().name()
    assert app_settings().value(PATIENT_GEOMETRY_KEY)
    assert again.screen() is not None
    assert again.screen().name() == screen.screen().name()
    assert again.pos().y() == screen.pos().y()


def test_timeline_and_summary(qtbot: Any) -> None:
    timeline = TemplateTimeline()
    qtbot.addWidget(timeline)
    timeline.set_template(FAST_TEMPLATE)
    assert timeline.phase_texts() == ["Warm-up 1 min", "Main phase 2 min", "Cool-down 1 min"]
    view = SummaryView()
    qtbot.addWidget(view)
    view.set_summary({"status": "finished", "duration_s": 2700.0, "distance_m": 4200.0,
                      "phases": {"main": {"duration_s": 1800.0, "time_in_zone_pct": 97.5}},
                      "rpe": [(600.0, 12), (1800.0, 14)], "feeling": [(600.0, 3)],
                      "alarms": 1, "alarm_kinds": ["hr_lost"]}, None)
    assert view.title.text() == "Session summary: Finished"
    assert "12 (10:00), 14 (30:00)" in view.rpe_label.text()
    assert "+3" in view.rpe_label.text()


def test_every_visible_string_has_a_dutch_translation() -> None:
    messages = extract([p for p in source_files() if "records" not in p.parts])
    assert len(messages) > 150
    missing = sorted({text for _ctx, text in messages if text not in DUTCH})
    assert missing == []


def test_compiled_translation_is_current() -> None:
    """Every console string is in the committed .ts/.qm with its Dutch text."""
    import xml.etree.ElementTree as ET

    from PySide6.QtCore import QTranslator

    from ui.i18n import qm_path

    ts = ET.parse(qm_path("nl").with_suffix(".ts")).getroot()
    committed = {(c.findtext("name"), m.findtext("source")): m.findtext("translation")
                 for c in ts.iter("context") for m in c.iter("message")}
    translator = QTranslator()
    assert translator.load(str(qm_path("nl")))
    for ctx, text in extract([p for p in source_files() if "records" not in p.parts]):
        assert committed.get((ctx, text)) == DUTCH[text], "run: python3 -m ui.i18n.build"
        assert translator.translate(ctx, text) == DUTCH[text], (ctx, text)


def test_step_compression_keeps_the_corners_only() -> None:
    import numpy as np

    from ui.plots import steps

    x = np.arange(3600.0)
    y = np.full(3600, 105.0)
    y[1800:] = 107.0
    xs, ys = steps(x, y)
    assert list(xs) == [0.0, 1800.0, 1800.0, 3599.0]
    assert list(ys) == [105.0, 105.0, 107.0, 107.0]


def test_history_plots_an_hour_without_growing_the_band(qtbot: Any) -> None:
    from runningroom_app.bench_ui import _fill_history
    from ui.plots import LivePlots, SessionHistory

    history = SessionHistory()
    _fill_history(history, 60.0)
    assert len(history) == 3600
    plots = LivePlots(history)
    qtbot.addWidget(plots)
    plots.refresh()
    x, _y = plots.detail.zone_low.getData()
    assert len(x) == 2
    lo, hi = plots.detail_item.viewRange()[0]
    assert hi == pytest.approx(59.983, abs=0.01) and hi - lo == pytest.approx(5.0)


def test_device_panel_sorts_scan_results_and_shows_the_preflight(qtbot: Any) -> None:
    from types import SimpleNamespace

    from runningroom.devices import TreadmillCapabilities
    from ui.devices_panel import DevicePanel

    panel = DevicePanel()
    qtbot.addWidget(panel)
    panel.set_scan_results([("ble:AA", "Treadmill X", "treadmill", -60),
                            ("ble:BB", "Polar H10", "hr", -70)])
    assert panel.treadmill_address.findText("ble:AA") >= 0
    assert panel.treadmill_address.findText("ble:BB") < 0
    assert panel.hr_address.findText("ble:BB") >= 0
    assert "-70 dBm" in panel.scan_results.text()
    caps = TreadmillCapabilities(can_control_speed=False, model="Console only")
    panel.set_preflight(SimpleNamespace(ok=False, advisory_mode=True, hr_connected=True,
                                        capabilities=caps, messages=("monitor only",)))
    assert panel.control.text() == "monitor only (advisory mode)"
    assert "Console only" in panel.tm_status.text()
    assert "monitor only" in panel.preflight.text()


def test_device_panel_follows_device_events(qtbot: Any) -> None:
    from runningroom.recording.model import EventRecord
    from ui.devices_panel import DevicePanel

    panel = DevicePanel()
    qtbot.addWidget(panel)

    def ev(role: str, kind: str, value: float | None = None) -> EventRecord:
        return EventRecord(1.0, "device", "device", kind,
                           {"role": role, "device_kind": kind, "value": value})

    panel.on_event(ev("hr", "connected"))
    panel.on_event(ev("hr", "battery", 80))
    panel.on_event(ev("treadmill", "control_lost"))
    assert panel.hr_status.text() == "connected"
    assert panel.battery.text() == "80 %"
    assert panel.control.text() == "monitor only (advisory mode)"
    panel.on_event(ev("hr", "disconnected"))
    assert panel.hr_status.text() == "not connected"


def test_patient_screen_full_screen_is_remembered(qtbot: Any) -> None:
    screen = PatientScreen()
    qtbot.addWidget(screen)
    screen.show_placed()
    assert not screen.isFullScreen()
    screen.toggle_full_screen()
    assert screen.isFullScreen()
    screen.close()
    again = PatientScreen()
    qtbot.addWidget(again)
    again.show_placed()
    assert again.isFullScreen()
    again.toggle_full_screen()
    assert not again.isFullScreen()
