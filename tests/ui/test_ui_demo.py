"""The real stack through the UI: Station + simulators + recorder on the worker loop."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from runningroom.model import PhaseKind, PhaseSpec, SessionTemplate
from runningroom.session.model import SessionState
from runningroom_app.desktop import make_builder
from tests.ui.conftest import wait_connected, wait_state
from ui.main_window import EMERGENCY_STOP_KEY

SHORT = SessionTemplate(
    name="short",
    warmup=PhaseSpec(PhaseKind.WARMUP, 90.0),
    main=PhaseSpec(PhaseKind.MAIN, 150.0),
    cooldown=PhaseSpec(PhaseKind.COOLDOWN, 60.0),
)
SPEEDUP = 60.0


def _sessions(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as con:
        return con.execute(
            "SELECT session_id, status, ended_at, summary_json,"
            " (SELECT COUNT(*) FROM samples s WHERE s.session_id = x.session_id)"
            " FROM sessions x").fetchall()


@pytest.mark.slow
def test_demo_session_runs_to_the_end_through_the_ui(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    db = tmp_path / "rr.sqlite3"
    window = make_window(builder=make_builder(SPEEDUP, db), templates=[SHORT])
    wait_connected(qtbot, window)
    assert window.controls.start_button.isEnabled()
    qtbot.mouseClick(window.controls.start_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, SessionState.MAIN, timeout_ms=20_000)
    window.entry.rpe.setValue(13)
    qtbot.mouseClick(window.entry.rpe_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session_ended, timeout=30_000)
    assert window.latest.state == SessionState.FINISHED
    assert window.tabs.currentWidget() is window.summary_view
    assert window.summary_view.data["status"] == "finished"
    assert [r[1] for r in window.summary_view.data["rpe"]] == [13]
    # The plot history spans the session from start to end; how many rows it holds
    # depends on how many ticks a busy machine managed at 60x, so only the span is
    # asserted, not the rate.
    times_s = window.history.column("x_min") * 60.0
    assert len(times_s) >= 10
    assert times_s[0] <= 10.0
    assert times_s[-1] >= 0.9 * window.latest.session_elapsed_s
    assert window.plots.frame_times_s, "the plots redrew during the session"
    (session,) = _sessions(db)
    assert session[1] == "finished" and session[2] is not None and session[3]
    # every sample the engine produced reached the database
    engine = window.bridge.setup.station.engine
    assert engine is not None and session[4] == len(engine.samples) > 0
    treadmill = window.bridge.setup.treadmill
    assert treadmill.command_log[-1][1] == "stop"


@pytest.mark.slow
def test_closing_mid_session_finishes_the_recording_and_stops_the_belt(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    db = tmp_path / "rr.sqlite3"
    window = make_window(builder=make_builder(SPEEDUP, db), templates=[SHORT])
    wait_connected(qtbot, window)
    qtbot.mouseClick(window.controls.start_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, SessionState.MAIN, timeout_ms=20_000)
    setup = window.bridge.setup
    treadmill, clock = setup.treadmill, setup.clock
    assert treadmill.belt_speed_kmh > 0
    window.confirm_close = lambda: True
    window.close()
    assert not window.bridge.loop_thread.running
    (session,) = _sessions(db)
    assert session[1] == "stopped" and session[2] is not None and session[3]
    kinds = [kind for _t, kind, _v in treadmill.command_log]
    assert kinds[-1] == "stop"
    treadmill.advance(clock.monotonic_s() + 60.0)  # let the belt run down
    assert treadmill.belt_speed_kmh == 0.0


@pytest.mark.slow
def test_emergency_stop_key_with_the_real_engine(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    db = tmp_path / "rr.sqlite3"
    window = make_window(builder=make_builder(SPEEDUP, db), templates=[SHORT])
    wait_connected(qtbot, window)
    qtbot.mouseClick(window.controls.start_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, SessionState.WARMUP, timeout_ms=20_000)
    qtbot.keyClick(window, EMERGENCY_STOP_KEY)
    qtbot.waitUntil(lambda: window.session_ended, timeout=10_000)
    assert window.latest.state == SessionState.EMERGENCY_STOPPED
    (session,) = _sessions(db)
    assert session[1] == "emergency_stopped"
    assert window.bridge.setup.treadmill.command_log[-1][1] == "stop"
