"""Station runtime: asyncio composition, command sending, belt always stopped at the end."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from runningroom.clock import ManualClock, ScaledClock
from runningroom.devices import DeviceEvent, DeviceEventKind, DeviceRole
from runningroom.model import PhaseKind, PhaseSpec, SessionTemplate
from runningroom.session.model import (
    AlarmKind,
    EmergencyStop,
    ManualSpeed,
    SessionSnapshot,
    SessionState,
    StartSession,
)
from runningroom.station import Station
from tests.core.engine_fakes import (
    CAPS,
    PRESCRIPTION,
    PROFILE,
    FakeStrap,
    FakeTreadmill,
    PiController,
    drive_devices,
)

SHORT = SessionTemplate(
    name="short",
    warmup=PhaseSpec(PhaseKind.WARMUP, 60.0, start_speed_kmh=3.0),
    main=PhaseSpec(PhaseKind.MAIN, 60.0),
    cooldown=PhaseSpec(PhaseKind.COOLDOWN, 60.0),
)


def make_station(
    clock: object,
    *,
    treadmill: FakeTreadmill | None = None,
    database: object = None,
    template: SessionTemplate = SHORT,
) -> tuple[Station, FakeTreadmill, FakeStrap]:
    tm = treadmill or FakeTreadmill()
    strap = FakeStrap(tm)
    station = Station(
        name="test-station",
        treadmill=tm,
        hr_source=strap,
        profile=PROFILE,
        template=template,
        database=database,  # type: ignore[arg-type]
        clock=clock,  # type: ignore[arg-type]
        controller_factory=PiController,
        prescription=PRESCRIPTION,
        command_timeout_s=0.2,
    )
    return station, tm, strap


async def tick(
    station: Station,
    clock: ManualClock,
    tm: FakeTreadmill,
    strap: FakeStrap | None,
    seconds: int,
) -> None:
    """Advance ``clock`` 1 s at a time: a belt reading, an HR sample (unless ``strap`` is
    None), then one station step."""
    for _ in range(seconds):
        clock.advance(1.0)
        tm.emit(clock.monotonic_s(), 1.0)
        if strap is not None:
            strap.emit(clock.monotonic_s(), 1.0)
        await station.step(clock.monotonic_s())


async def test_run_short_session_scaled_clock_ends_belt_stopped(tmp_path: Path) -> None:
    from runningroom.recording.recorder import SessionDatabase

    db = SessionDatabase(tmp_path / "rr.sqlite")
    clock = ScaledClock(400.0)
    station, tm, strap = make_station(clock, database=db)
    snaps: list[SessionSnapshot] = []
    events: list[str] = []
    station.add_snapshot_listener(snaps.append)
    station.add_event_listener(lambda e: events.append(e.kind))
    result = await station.connect()
    assert result.ok and not result.advisory_mode
    driver = asyncio.create_task(drive_devices(clock, tm, strap, period_s=0.5))
    try:
        summary = await asyncio.wait_for(station.run(), 10)
    finally:
        driver.cancel()
    assert summary.status == "finished"
    assert not tm.running and tm.calls[-1] == ("stop", None)
    assert [c for c, _ in tm.calls].count("start") == 1
    assert snaps and snaps[-1].state is SessionState.FINISHED
    assert "state" in events
    await station.shutdown()
    assert tm.calls[-1] == ("disconnect", None)
    con = sqlite3.connect(db.path)
    status, summary_json = con.execute(
        "SELECT status, summary_json FROM sessions WHERE session_id = ?", (station.session_id,)
    ).fetchone()
    assert status == "finished" and '"phases"' in summary_json
    n = con.execute("SELECT COUNT(*) FROM samples WHERE session_id = ?", (station.session_id,))
    assert n.fetchone()[0] >= 60  # 1 Hz in virtual time; ticks may be late at 400x
    assert db.load_plant_estimate(PROFILE.code) is not None
    db.close()


async def test_cancel_run_stops_belt_and_records_stopped(tmp_path: Path) -> None:
    from runningroom.recording.recorder import SessionDatabase

    db = SessionDatabase(tmp_path / "rr.sqlite")
    clock = ScaledClock(50.0)
    station, tm, strap = make_station(clock, database=db)
    await station.connect()
    driver = asyncio.create_task(drive_devices(clock, tm, strap, period_s=0.5))
    task = asyncio.create_task(station.run())
    try:
        while station.engine is None or station.engine.state is not SessionState.WARMUP:
            await asyncio.sleep(0.01)
        while not tm.running or tm.speed_kmh < 2.9:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    finally:
        driver.cancel()
    assert not tm.running and tm.speed_kmh == 0.0
    assert tm.calls[-1] == ("stop", None)
    assert station.engine is not None and station.engine.state is SessionState.STOPPED
    assert station.summary is not None and station.summary.status == "stopped"
    con = sqlite3.connect(db.path)
    (status,) = con.execute(
        "SELECT status FROM sessions WHERE session_id = ?", (station.session_id,)
    ).fetchone()
    assert status == "stopped"
    await station.shutdown()
    db.close()


async def test_virtual_time_steps_with_manual_clock() -> None:
    clock = ManualClock()
    template = replace(
        SHORT,
        warmup=PhaseSpec(PhaseKind.WARMUP, 480.0, start_speed_kmh=2.5),
        main=PhaseSpec(PhaseKind.MAIN, 1800.0),
        cooldown=PhaseSpec(PhaseKind.COOLDOWN, 420.0),
    )
    station, tm, strap = make_station(clock, template=template)
    await station.connect()
    station.submit(StartSession())
    assert station.engine is not None
    while not station.engine.state.is_terminal:
        clock.advance(1.0)
        tm.emit(clock.monotonic_s(), 1.0)
        strap.emit(clock.monotonic_s(), 1.0)
        await station.step(clock.monotonic_s())
        assert clock.monotonic_s() < 3600
    assert station.engine.state is SessionState.FINISHED
    assert not tm.running
    s = station.engine.summary()
    assert s.time_in_zone_pct_after_entry is not None and s.time_in_zone_pct_after_entry > 90


async def test_advisory_mode_sends_no_speed_commands() -> None:
    clock = ManualClock()
    tm = FakeTreadmill(replace(CAPS, can_control_speed=False, can_control_incline=False))
    station, tm, strap = make_station(clock, treadmill=tm)
    result = await station.connect()
    assert result.advisory_mode and not result.ok and result.messages
    station.submit(StartSession())
    assert station.engine is not None
    snap = station.engine.snapshot()
    for _ in range(120):
        clock.advance(1.0)
        # the therapist follows the advice by hand
        if snap.advised_speed_kmh is not None:
            tm.running = True
            tm.speed_kmh = snap.advised_speed_kmh
        tm.emit(clock.monotonic_s(), 1.0)
        strap.emit(clock.monotonic_s(), 1.0)
        await station.step(clock.monotonic_s())
        snap = station.engine.snapshot()
    assert snap.advisory_mode
    assert snap.advised_speed_kmh is not None and snap.advised_speed_kmh >= 3.0
    assert not [c for c in tm.calls if c[0] in ("speed", "incline", "start")]
    await station.shutdown()
    assert ("stop", None) in tm.calls


async def test_hanging_command_times_out_and_raises_not_responding() -> None:
    clock = ManualClock()
    station, tm, strap = make_station(clock)
    await station.connect()
    station.submit(StartSession())
    engine = station.engine
    assert engine is not None
    await tick(station, clock, tm, strap, 3)
    assert engine.state is SessionState.WARMUP
    tm.hang_set_speed = True
    for speed in (3.2, 3.4, 3.6):
        station.submit(ManualSpeed(speed))
        await station.step(clock.monotonic_s())
    kinds = {a.kind for a in engine.active_alarms()}
    assert AlarmKind.TREADMILL_NOT_RESPONDING in kinds
    assert engine.controller_suspended
    await station.shutdown()


async def test_emergency_stop_before_connect_stops_belt_directly() -> None:
    clock = ManualClock()
    station, tm, _ = make_station(clock)
    tm.running = True
    station.submit(EmergencyStop())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert ("stop", None) in tm.calls and not tm.running


async def test_emergency_stop_jumps_the_queue() -> None:
    clock = ManualClock()
    station, tm, strap = make_station(clock)
    await station.connect()
    station.submit(StartSession())
    await tick(station, clock, tm, strap, 3)
    tm.calls.clear()
    # queue speed commands, then an emergency stop before the loop gets to send them
    station.submit(ManualSpeed(4.0))
    station.submit(EmergencyStop())
    await station.step(clock.monotonic_s())
    assert tm.calls == [("stop", None)]
    assert station.engine is not None
    assert station.engine.state is SessionState.EMERGENCY_STOPPED


async def test_hr_source_connect_failure_is_reported_and_session_waits() -> None:
    clock = ManualClock()
    station, tm, strap = make_station(clock)
    strap.fail_connect = True
    strap.silent = True
    result = await station.connect()
    assert not result.hr_connected and not result.ok
    station.submit(StartSession())
    await tick(station, clock, tm, None, 40)  # the strap stays silent
    assert station.engine is not None
    assert station.engine.state is SessionState.PREFLIGHT
    assert not [c for c in tm.calls if c[0] in ("start", "speed")]
    assert AlarmKind.HR_LOST in {a.kind for a in station.engine.active_alarms()}
    await station.shutdown()


async def test_device_event_routed_to_engine_pauses_on_safety_key() -> None:
    clock = ManualClock()
    station, tm, strap = make_station(clock)
    await station.connect()
    station.submit(StartSession())
    await tick(station, clock, tm, strap, 5)
    tm.fire(DeviceEvent(clock.monotonic_s(), DeviceRole.TREADMILL, DeviceEventKind.SAFETY_KEY))
    await asyncio.sleep(0)
    await station.step(clock.monotonic_s())
    assert station.engine is not None and station.engine.state is SessionState.PAUSED
    assert tm.calls[-1] == ("stop", None)
    await station.shutdown()


async def test_error_during_run_aborts_session_and_stops_belt() -> None:
    clock = ScaledClock(100.0)
    station, tm, strap = make_station(clock)
    await station.connect()
    engine = station.engine
    assert engine is not None
    calls = {"n": 0}
    real_tick = engine.tick

    def broken_tick(now_s: float) -> list[object]:
        calls["n"] += 1
        if calls["n"] > 5:
            raise ZeroDivisionError("bug")
        return real_tick(now_s)  # type: ignore[return-value]

    engine.tick = broken_tick  # type: ignore[method-assign]
    driver = asyncio.create_task(drive_devices(clock, tm, strap, period_s=0.5))
    try:
        with pytest.raises(ZeroDivisionError):
            await asyncio.wait_for(station.run(), 5)
    finally:
        driver.cancel()
    assert engine.state is SessionState.ABORTED
    assert tm.calls[-1] == ("stop", None) and not tm.running
    assert station.summary is not None and station.summary.status == "aborted"


async def test_ticks_lock_onto_hr_samples_and_fall_back_to_period() -> None:
    clock = ScaledClock(5.0)
    station, tm, strap = make_station(clock)
    await station.connect()
    engine = station.engine
    assert engine is not None
    ticks: list[float] = []
    real_tick = engine.tick

    def spy(now_s: float) -> list[object]:
        ticks.append(now_s)
        return real_tick(now_s)  # type: ignore[return-value]

    engine.tick = spy  # type: ignore[method-assign]
    hr_times: list[float] = []

    async def hr_driver() -> None:
        await asyncio.sleep(0.3 / clock.rate)  # HR out of phase with the first tick
        for _ in range(8):
            t = clock.monotonic_s()
            hr_times.append(t)
            tm.emit(t, 1.0)
            strap.emit(t, 1.0)
            await asyncio.sleep(1.0 / clock.rate)

    runner = asyncio.create_task(station.run())
    await hr_driver()
    n_with_hr = len(ticks)
    await asyncio.sleep(8.0 / clock.rate)  # no HR: timer ticks at the period
    runner.cancel()
    with pytest.raises(asyncio.CancelledError):
        await runner
    # after lock-in, a tick follows each HR sample promptly
    lags = [min(t - h for t in ticks if t >= h) for h in hr_times[2:]]
    assert sorted(lags)[len(lags) // 2] < 0.3  # virtual s (60 ms real at 5x)
    no_hr = [b - a for a, b in itertools.pairwise(ticks[n_with_hr + 2 :])]
    assert len(no_hr) >= 3
    assert 0.95 <= sorted(no_hr)[len(no_hr) // 2] <= 1.2  # the period, not 1.5 periods
    assert not tm.running


async def test_stop_does_not_wait_behind_a_hanging_command() -> None:
    clock = ManualClock()
    station, tm, strap = make_station(clock)
    station.command_timeout_s = 30.0
    await station.connect()
    station.submit(StartSession())
    await tick(station, clock, tm, strap, 3)
    tm.hang_set_speed = True
    station.submit(ManualSpeed(4.0))  # hangs in the treadmill for 30 s
    await asyncio.sleep(0.01)
    assert tm.calls[-1] == ("speed", 4.0)
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    station.submit(EmergencyStop())
    await asyncio.wait_for(station.step(clock.monotonic_s()), 2.0)
    assert tm.calls[-1] == ("stop", None) and not tm.running
    assert loop.time() - t0 < 1.0
    await station.shutdown()


async def test_commands_submitted_before_connect_apply_after_it() -> None:
    clock = ManualClock()
    station, tm, _strap = make_station(clock)
    station.submit(StartSession())
    assert station.engine is None
    await station.connect()
    assert station.engine is not None and station.engine.state is SessionState.PREFLIGHT
    with pytest.raises(RuntimeError):
        await station.connect()
    await station.shutdown()
    assert station.engine.state is SessionState.STOPPED
    assert tm.calls[-2:] == [("stop", None), ("disconnect", None)]
