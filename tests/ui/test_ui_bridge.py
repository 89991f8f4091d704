"""The asyncio worker thread and the bridge: commands in, signals out, clean shutdown."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from runningroom.session.model import EmergencyStop, PauseSession, SessionState
from tests.ui.fakes import FakeStation
from ui.bridge import LoopThread, StationBridge, StationSetup


def test_loop_thread_runs_coroutines_off_the_gui_thread() -> None:
    lt = LoopThread()
    lt.start()
    try:
        async def which() -> str:
            await asyncio.sleep(0)
            return threading.current_thread().name

        assert lt.run(which()).result(2) == "runningroom-loop"
    finally:
        lt.stop()
    assert not lt.running


def test_bridge_session_signals_and_shutdown(qtbot: Any) -> None:
    stations: list[FakeStation] = []

    async def factory() -> StationSetup:
        stations.append(FakeStation(tick_real_s=0.001))
        return StationSetup(station=stations[-1])

    bridge = StationBridge()
    try:
        with qtbot.waitSignal(bridge.connected, timeout=3000):
            bridge.attach(factory)
        with qtbot.waitSignal(bridge.snapshotsReady, timeout=3000):
            bridge.start_session()
        qtbot.waitUntil(lambda: bridge.latest is not None
                        and bridge.latest.state == SessionState.WARMUP, timeout=15000)
        snaps = bridge.drain_snapshots()
        assert snaps and all(s.t_s <= snaps[-1].t_s for s in snaps)
        bridge.submit(PauseSession())
        qtbot.waitUntil(lambda: stations[0].state == SessionState.PAUSED, timeout=15000)
        assert bridge.session_running
    finally:
        bridge.shutdown()
    station = stations[0]
    assert station.state == SessionState.STOPPED
    assert station.recording_status == "stopped"
    assert not station.belt_running
    assert not bridge.loop_thread.running


def test_emergency_stop_without_a_running_session_stops_the_belt_directly(qtbot: Any) -> None:
    stations: list[FakeStation] = []
    direct: list[bool] = []

    async def factory() -> StationSetup:
        stations.append(FakeStation())

        async def belt_stop() -> None:
            direct.append(True)

        return StationSetup(station=stations[-1], emergency_belt_stop=belt_stop)

    bridge = StationBridge()
    try:
        with qtbot.waitSignal(bridge.connected, timeout=3000):
            bridge.attach(factory)
        with qtbot.waitSignal(bridge.emergencyStopSent, timeout=1000):
            bridge.emergency_stop()
        qtbot.waitUntil(lambda: bool(direct), timeout=15000)
        assert EmergencyStop() in stations[0].commands
    finally:
        bridge.shutdown()
