"""The pre-session check between Start and the belt: go/no-go, check-in, start without HR."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from runningroom.model import PhaseKind, PhaseSpec, SessionTemplate
from runningroom.records.forms import read_forms
from runningroom.session.model import HrQuality, SessionSnapshot, SessionState, StartSession
from runningroom_app.desktop import make_builder
from tests.ui.conftest import wait_connected, wait_state
from tests.ui.fakes import FakeStation
from ui.bridge import StationSetup

SHORT = SessionTemplate(
    name="short",
    warmup=PhaseSpec(PhaseKind.WARMUP, 90.0),
    main=PhaseSpec(PhaseKind.MAIN, 150.0),
    cooldown=PhaseSpec(PhaseKind.COOLDOWN, 60.0),
)


class NoHrStation(FakeStation):
    """A fake station whose strap sends nothing."""

    def snapshot(self) -> SessionSnapshot:
        from dataclasses import replace

        snap = super().snapshot()
        return replace(snap, hr_bpm=None, hr_filtered_bpm=None, hr_quality=HrQuality.NO_SIGNAL)

    def hr_quality_now(self) -> HrQuality:
        return HrQuality.NO_SIGNAL


def _builder(stations: list[FakeStation], cls: type[FakeStation] = FakeStation) -> Any:
    def builder(profile: Any, template: Any, tm: str, hr: str) -> Any:
        async def factory() -> StationSetup:
            station = cls(dt_s=0.0)
            stations.append(station)
            return StationSetup(station=station)

        return factory

    return builder


def _open_check(qtbot: Any, window: Any) -> Any:
    qtbot.mouseClick(window.controls.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.pre_session.dialog is not None and window.pre_session.dialog.isVisible(),
        timeout=3000,
    )
    return window.pre_session.dialog


def _starts(station: FakeStation) -> list[StartSession]:
    return [c for c in station.commands if isinstance(c, StartSession)]


def test_start_without_trusted_hr_requires_explicit_choice(qtbot: Any, make_window: Any) -> None:
    stations: list[FakeStation] = []
    window = make_window(builder=_builder(stations, NoHrStation), pre_session_check=True)
    wait_connected(qtbot, window)
    dialog = _open_check(qtbot, window)
    qtbot.waitUntil(lambda: dialog.readout.hr_quality is HrQuality.NO_SIGNAL, timeout=15000)
    mark, _title, value = dialog.rows["hr"]
    assert mark.property("level") == "no" and "no trusted heart rate" in value.text()
    assert not dialog.start_button.isEnabled()
    assert dialog.without_hr.isVisible() and not dialog.without_hr.isChecked()
    assert _starts(stations[-1]) == []  # Start alone did not start the session
    dialog.without_hr.setChecked(True)
    assert dialog.without_hr_warning.isVisible()
    assert dialog.start_button.isEnabled()
    assert dialog.start_button.text() == "Start WITHOUT heart rate"
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(_starts(stations[-1])), timeout=15000)
    assert _starts(stations[-1]) == [StartSession(without_hr=True)]


def test_start_with_a_trusted_hr_goes_after_the_check_in(qtbot: Any, make_window: Any) -> None:
    stations: list[FakeStation] = []
    window = make_window(builder=_builder(stations), pre_session_check=True)
    wait_connected(qtbot, window)
    dialog = _open_check(qtbot, window)
    qtbot.waitUntil(lambda: dialog.readout.hr_trusted, timeout=15000)
    assert dialog.rows["hr"][0].property("level") == "ok"
    assert "80 bpm, trusted" in dialog.rows["hr"][2].text()
    assert "automatic control" in dialog.rows["treadmill"][2].text()
    assert "DEMO-001" in dialog.rows["patient"][2].text()
    assert "fast" in dialog.rows["template"][2].text()
    assert not dialog.without_hr.isVisible()
    assert dialog.start_button.isEnabled() and dialog.start_button.text() == "Start session"
    checkin = dialog.checkin
    checkin.feeling.setCurrentIndex(checkin.feeling.findData(3))
    checkin.complaints.setPlainText("slight knee pain")
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, SessionState.WARMUP)
    assert _starts(stations[-1]) == [StartSession(without_hr=False)]
    pre = window.pre_session.last_forms.pre
    assert pre is not None and pre.feeling == 3 and pre.complaints == "slight knee pain"


def test_cancel_in_the_check_does_not_start(qtbot: Any, make_window: Any) -> None:
    stations: list[FakeStation] = []
    window = make_window(builder=_builder(stations), pre_session_check=True)
    wait_connected(qtbot, window)
    dialog = _open_check(qtbot, window)
    dialog.reject()
    qtbot.waitUntil(lambda: window.pre_session.dialog is None, timeout=15000)
    assert _starts(stations[-1]) == []
    assert window.controls.start_button.isEnabled()


def test_the_check_shows_the_straps_battery_signal_and_advisory_mode(
    qtbot: Any, make_window: Any
) -> None:
    stations: list[FakeStation] = []
    window = make_window(builder=_builder(stations), pre_session_check=True)
    wait_connected(qtbot, window)
    dialog = _open_check(qtbot, window)
    assert "battery not reported" in dialog.rows["strap"][2].text()
    station = stations[-1]
    window.bridge.run_on_loop(_device_events(station)).result(3)
    qtbot.waitUntil(lambda: "battery 15 %" in dialog.rows["strap"][2].text(), timeout=15000)
    assert "signal -70 dBm" in dialog.rows["strap"][2].text()
    assert dialog.rows["strap"][0].property("level") == "note"  # battery low
    window.pre_session._on_connected(type("P", (), {"advisory_mode": True, "hr_connected": True})())
    dialog.show_readout(type(dialog.readout)(hr_bpm=80, hr_quality=HrQuality.OK))
    assert "advisory mode" in dialog.rows["treadmill"][2].text()


async def _device_events(station: FakeStation) -> None:
    station._event("device", "battery", role="hr", device_kind="battery", value=15)
    station._event("device", "signal", role="hr", device_kind="signal", value=-70)


def test_start_without_hr_choice_is_recorded(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    """Through the real station, engine and recorder: a strap that never connects."""
    db = tmp_path / "rr.sqlite3"
    inner = make_builder(60.0, db)

    def builder(*args: Any) -> Any:
        make = inner(*args)

        async def factory() -> Any:
            setup = await make()
            setup.hr_source.link_up = False  # the strap does not answer
            return setup

        return factory

    window = make_window(builder=builder, templates=[SHORT], pre_session_check=True)
    wait_connected(qtbot, window)
    dialog = _open_check(qtbot, window)
    qtbot.waitUntil(lambda: dialog.readout.hr_quality is HrQuality.NO_SIGNAL, timeout=15000)
    assert "not connected" in dialog.rows["strap"][2].text()
    assert not dialog.start_button.isEnabled()
    dialog.checkin.feeling.setCurrentIndex(dialog.checkin.feeling.findData(-1))
    dialog.checkin.blood_pressure.set_values(135, 85)
    dialog.without_hr.setChecked(True)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, [SessionState.WARMUP, SessionState.MAIN], timeout_ms=10_000)
    assert window.latest.continue_without_hr
    assert window.without_hr.enabled_now  # the console's red banner is on
    qtbot.waitUntil(lambda: window.pre_session.pending_form is None, timeout=15000)
    with sqlite3.connect(db) as conn:
        (sid,) = conn.execute("SELECT session_id FROM sessions").fetchone()
        forms = read_forms(conn, sid)
        qtbot.waitUntil(lambda: _override_recorded(db), timeout=15000)
    assert forms.pre is not None
    assert forms.pre.started_without_hr and forms.pre.feeling == -1
    assert (forms.pre.bp_systolic_mmhg, forms.pre.bp_diastolic_mmhg) == (135, 85)


def _override_recorded(db: Path) -> bool:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT data_json FROM events WHERE kind = 'override' AND message LIKE "
            "'%continues without HR%'"
        ).fetchall()
    return len(rows) == 1 and '"enabled": true' in rows[0][0]
