"""Station on the real simulators (drivers.sim) in virtual time, incl. device injections."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from drivers.sim.devices import SimHrStrap, SimTreadmill
from drivers.sim.patient import SimulatedPatient, params_for_profile
from runningroom.clock import ManualClock
from runningroom.control.base import Controller
from runningroom.profiles_io import demo_profile, find_template
from runningroom.session.engine import SessionEngine
from runningroom.session.model import AlarmKind, ResumeSession, SessionState, StartSession
from runningroom.station import Station
from tests.core.engine_fakes import PiController


def make(
    controller: Callable[[], Controller] = PiController, template: str = "standard", seed: int = 3
) -> tuple[Station, SimTreadmill, SimHrStrap, ManualClock]:
    clock = ManualClock()
    profile = demo_profile()
    tm = SimTreadmill(clock)
    strap = SimHrStrap(
        clock, SimulatedPatient(params_for_profile(profile, seed)), tm, faults=None, seed=seed
    )
    station = Station(
        name="sim",
        treadmill=tm,
        hr_source=strap,
        profile=profile,
        template=find_template(template),
        database=None,
        clock=clock,
        controller_factory=controller,
    )
    return station, tm, strap, clock


async def run_until(
    station: Station,
    tm: SimTreadmill,
    strap: SimHrStrap,
    clock: ManualClock,
    done: Callable[[], bool],
    max_s: float = 4000,
) -> None:
    start = clock.monotonic_s()
    while not done():
        clock.advance(1.0)
        now = clock.monotonic_s()
        tm.advance(now)
        strap.advance(now)
        await station.step(now)
        assert now - start < max_s, "condition not reached"


async def started_in_main() -> tuple[Station, SimTreadmill, SimHrStrap, ManualClock, SessionEngine]:
    """A connected station on the simulators whose session has reached the main phase."""
    station, tm, strap, clock = make()
    await station.connect()
    engine = station.engine
    assert engine is not None
    station.submit(StartSession())
    await run_until(station, tm, strap, clock, lambda: engine.state is SessionState.MAIN)
    return station, tm, strap, clock, engine


async def test_full_session_on_simulators_with_model_controller() -> None:
    from runningroom.control import make_controller

    station, tm, strap, clock = make(lambda: make_controller("model"))
    await station.connect()
    engine = station.engine
    assert engine is not None
    station.submit(StartSession())
    await run_until(station, tm, strap, clock, lambda: engine.state.is_terminal)
    assert engine.state is SessionState.FINISHED
    s = engine.summary()
    assert s.entry_time_s is not None
    assert s.time_in_zone_pct_after_entry is not None and s.time_in_zone_pct_after_entry > 90
    speeds = [v for _, kind, v in tm.command_log if kind == "speed" and v is not None]
    assert max(abs(b - a) for a, b in itertools.pairwise(speeds)) <= 0.3 + 1e-6
    assert tm.command_log[-1][1] == "stop"


async def test_console_change_is_adopted_not_fought() -> None:
    station, tm, strap, clock, engine = await started_in_main()
    await run_until(
        station, tm, strap, clock, lambda: engine.phase_elapsed_s(clock.monotonic_s()) > 120
    )
    before = engine.speed_cmd_kmh
    tm.console_set_speed(before - 1.5)
    await run_until(station, tm, strap, clock, lambda: engine.speed_cmd_kmh != before, max_s=5)
    assert engine.speed_cmd_kmh == pytest.approx(before - 1.5)
    # the following commands start from the console's speed (no jump back)
    n = len(tm.command_log)
    await run_until(station, tm, strap, clock, lambda: len(tm.command_log) >= n + 3, max_s=300)
    new = [v for _, kind, v in tm.command_log[n:] if kind == "speed" and v is not None]
    assert abs(new[0] - (before - 1.5)) <= 0.3 + 1e-6


async def test_safety_key_pause_insert_resume_and_finish() -> None:
    station, tm, strap, clock, engine = await started_in_main()
    tm.pull_safety_key()
    await run_until(station, tm, strap, clock, lambda: engine.state is SessionState.PAUSED, max_s=3)
    assert AlarmKind.SAFETY_KEY in {a.kind for a in engine.active_alarms() if a.cleared_t_s is None}
    await run_until(station, tm, strap, clock, lambda: tm.belt_speed_kmh == 0.0, max_s=60)
    tm.insert_safety_key()
    await run_until(station, tm, strap, clock, lambda: True, max_s=3)
    await station.step(clock.monotonic_s())
    assert AlarmKind.SAFETY_KEY not in {
        a.kind for a in engine.active_alarms() if a.cleared_t_s is None
    }
    assert engine.state is SessionState.PAUSED
    station.submit(ResumeSession())
    await run_until(station, tm, strap, clock, lambda: tm.belt_speed_kmh > 3.0, max_s=60)
    assert engine.state is SessionState.MAIN
    await run_until(station, tm, strap, clock, lambda: engine.state.is_terminal)
    assert engine.state is SessionState.FINISHED


async def test_short_link_drop_resumes_long_drop_pauses() -> None:
    station, tm, strap, clock, engine = await started_in_main()
    tm.drop_link()
    t_drop = clock.monotonic_s()
    await run_until(station, tm, strap, clock, lambda: clock.monotonic_s() - t_drop >= 5)
    assert engine.controller_suspended
    tm.restore_link()
    await run_until(station, tm, strap, clock, lambda: clock.monotonic_s() - t_drop >= 8)
    assert engine.state is SessionState.MAIN and not engine.controller_suspended
    tm.drop_link()
    await run_until(
        station, tm, strap, clock, lambda: engine.state is SessionState.PAUSED, max_s=12
    )
    assert clock.monotonic_s() - t_drop >= 8 + 10
    tm.restore_link()
    await run_until(station, tm, strap, clock, lambda: tm.belt_speed_kmh == 0.0, max_s=60)
    assert engine.state is SessionState.PAUSED
