"""A session that cannot start (database locked or unwritable) tells the therapist why.

Starting a session opens its recording. When that fails the error must reach the
console (signal, status line, message box), the belt must stay stopped and the
station must stay usable: Start works again once the cause is gone.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from runningroom.devices import BeltState
from runningroom.errors import DatabaseLockedError
from runningroom.profiles_io import demo_profile
from runningroom.recording.recorder import SessionDatabase
from runningroom.session.model import SessionState, StartSession
from runningroom_app.wiring.app import build_sim_station
from tests.ui.conftest import wait_connected
from tests.ui.fakes import FAST_TEMPLATE, FakeStation
from ui.bridge import StationBridge, StationSetup


def _session_rows(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT count(*) FROM sessions").fetchone()[0])
    finally:
        con.close()


def test_locked_database_at_start_reaches_the_ui_and_the_belt_stays_stopped(
    qtbot: Any, tmp_path: Path
) -> None:
    path = tmp_path / "rr.sqlite3"
    SessionDatabase(path).close()  # create the schema
    setups: list[Any] = []

    async def factory() -> StationSetup:
        db = SessionDatabase(path, busy_timeout_s=0.05)
        setup = build_sim_station(demo_profile(), FAST_TEMPLATE, speedup=20.0, database=db)

        async def close_db() -> None:
            db.close()

        setup.on_close.append(close_db)
        setups.append(setup)
        return setup

    lock = sqlite3.connect(path, isolation_level=None)
    bridge = StationBridge()
    finished: list[Any] = []
    bridge.sessionFinished.connect(finished.append)
    try:
        with qtbot.waitSignal(bridge.connected, timeout=5000):
            bridge.attach(factory)
        lock.execute("BEGIN EXCLUSIVE")  # another program holds the database
        with qtbot.waitSignal(bridge.sessionStartFailed, timeout=5000) as failed:
            bridge.start_session()
        message = failed.args[0]
        assert "did not start" in message and "locked" in message
        qtbot.waitUntil(lambda: not bridge.session_running, timeout=15000)
        treadmill = setups[0].treadmill
        assert treadmill.belt_state is BeltState.STOPPED
        assert "start" not in [kind for _, kind, _ in treadmill.command_log]
        assert setups[0].station.engine.state is SessionState.IDLE
        assert finished == []
        lock.rollback()
        lock.close()
        assert _session_rows(path) == 0
        # the cause is gone: Start works on the same, still connected station
        bridge.start_session()
        qtbot.waitUntil(lambda: bridge.latest is not None
                        and bridge.latest.state == SessionState.WARMUP, timeout=15000)
        assert _session_rows(path) == 1
    finally:
        bridge.shutdown()
        lock.close()


class _LockedStation(FakeStation):
    """A fake station whose recording cannot start."""

    def submit(self, cmd: Any) -> None:
        if isinstance(cmd, StartSession):
            raise DatabaseLockedError("rr.sqlite3: starting the session: the database is locked")
        super().submit(cmd)


def test_console_shows_a_start_failure_and_allows_start_again(
    qtbot: Any, make_window: Any
) -> None:
    stations: list[FakeStation] = []

    def builder(profile: Any, template: Any, tm: str, hr: str) -> Any:
        async def factory() -> StationSetup:
            stations.append(_LockedStation())
            return StationSetup(station=stations[-1])

        return factory

    window = make_window(builder=builder)
    wait_connected(qtbot, window)
    window.start_session()
    qtbot.waitUntil(lambda: window.start_error_box is not None, timeout=15000)
    box = window.start_error_box
    assert box.isVisible()
    assert "database is locked" in box.text() and "did not start" in box.text()
    assert "database is locked" in window.status_line.text()
    assert not window.session_started
    assert window.controls.start_button.isEnabled()
    assert not stations[0].belt_running
    assert window.summary is None and not window.session_ended
    box.close()
