"""Group therapy: several stations in one process, concurrently, with no shared state.

Issue 2: "One engine instance per station (treadmill + HR source + patient), with no
global state: one app will drive several treadmills at once."  Two stations share one
event loop and one session database; what happens at one (an emergency stop, a target
change, a lost HR strap) must not leak into the other.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from drivers.sim.devices import SimHrStrap, SimTreadmill
from drivers.sim.patient import SimulatedPatient, params_for_profile
from runningroom.clock import ManualClock
from runningroom.model import PatientProfile, PhaseKind, PhaseSpec, SessionTemplate
from runningroom.profiles_io import demo_profile
from runningroom.recording.recorder import SessionDatabase
from runningroom.session.model import AdjustTarget, EmergencyStop, SessionState, StartSession
from runningroom.station import Station
from tests.core.engine_fakes import PiController

TEMPLATE = SessionTemplate(
    name="group-short",
    warmup=PhaseSpec(PhaseKind.WARMUP, 120.0, start_speed_kmh=3.5),
    main=PhaseSpec(PhaseKind.MAIN, 600.0),
    cooldown=PhaseSpec(PhaseKind.COOLDOWN, 120.0),
)


class Rig:
    """One station on its own simulated treadmill, strap and clock."""

    def __init__(self, name: str, profile: PatientProfile, db: SessionDatabase, seed: int) -> None:
        self.clock = ManualClock()
        self.tm = SimTreadmill(self.clock)
        self.strap = SimHrStrap(
            self.clock,
            SimulatedPatient(params_for_profile(profile, seed)),
            self.tm,
            faults=None,
            seed=seed,
        )
        self.station = Station(
            name=name,
            treadmill=self.tm,
            hr_source=self.strap,
            profile=profile,
            template=TEMPLATE,
            database=db,
            clock=self.clock,
            controller_factory=PiController,
        )

    async def tick(self) -> None:
        self.clock.advance(1.0)
        now = self.clock.monotonic_s()
        self.tm.advance(now)
        self.strap.advance(now)
        await self.station.step(now)

    @property
    def state(self) -> SessionState:
        assert self.station.engine is not None
        return self.station.engine.state


async def _drive(rig: Rig, actions: dict[int, object], max_s: int = 3000) -> None:
    """Tick ``rig`` once a second, yielding to the other station after every tick."""
    for t in range(max_s):
        action = actions.get(t)
        if action is not None:
            rig.station.submit(action)  # type: ignore[arg-type]
        await rig.tick()
        await asyncio.sleep(0)  # interleave with the other station
        if rig.state.is_terminal:
            return
    raise AssertionError(f"{rig.station.name} did not end")


async def test_two_stations_run_concurrently_without_interfering(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    db = SessionDatabase(tmp_path / "group.sqlite3")
    patient_a = demo_profile()
    patient_b = replace(demo_profile(), code="GRP-002", resting_hr_bpm=62, display_name=None)
    a = Rig("station-1", patient_a, db, seed=3)
    b = Rig("station-2", patient_b, db, seed=7)
    assert (await a.station.connect()).ok and (await b.station.connect()).ok
    ea, eb = a.station.engine, b.station.engine
    assert ea is not None and eb is not None
    assert ea is not eb and ea.controller is not eb.controller
    target_b_before = eb.prescription.target_bpm

    await asyncio.gather(
        # A: a target change mid main phase, then the session runs to its end
        _drive(a, {0: StartSession(), 300: AdjustTarget(+4.0)}),
        # B: emergency stop in the main phase
        _drive(b, {0: StartSession(), 400: EmergencyStop()}),
    )
    assert a.state is SessionState.FINISHED
    assert b.state is SessionState.EMERGENCY_STOPPED
    # A's belt kept running after B's e-stop; B's belt was stopped at once
    assert a.clock.monotonic_s() > b.clock.monotonic_s() + 300
    assert b.tm.command_log[-1][1] == "stop"
    # A's target change did not move B's target
    now_b = b.clock.monotonic_s()
    assert eb.target_bpm(now_b) <= target_b_before + 1e-9
    await a.station.shutdown()
    await b.station.shutdown()
    assert a.tm.command_log[-1][1] == "stop"  # the belt is left stopped at the end

    con = sqlite3.connect(db.path)
    rows = dict(
        con.execute("SELECT session_id, patient_code FROM sessions ORDER BY session_id").fetchall()
    )
    assert sorted(rows.values()) == ["DEMO-001", "GRP-002"]
    assert a.station.session_id != b.station.session_id

    def events(sid: int | None) -> list[str]:
        return [
            str(r[0])
            for r in con.execute(
                "SELECT data_json FROM events WHERE session_id = ? AND kind = 'override'", (sid,)
            )
        ]

    a_overrides = " ".join(events(a.station.session_id))
    b_overrides = " ".join(events(b.station.session_id))
    assert "adjust_target" in a_overrides and "emergency_stop" not in a_overrides
    assert "emergency_stop" in b_overrides and "adjust_target" not in b_overrides
    statuses = dict(con.execute("SELECT session_id, status FROM sessions").fetchall())
    assert statuses[a.station.session_id] == "finished"
    assert statuses[b.station.session_id] == "emergency_stopped"
    for rig in (a, b):
        (n,) = con.execute(
            "SELECT COUNT(*) FROM samples WHERE session_id = ?", (rig.station.session_id,)
        ).fetchone()
        assert n >= 0.9 * rig.clock.monotonic_s() - 30  # 1 Hz for the session's whole length
    con.close()
    db.close()
    # shutdown's device disconnects come after the recording ended: not sent to it
    assert not [r for r in caplog.records if "after finish" in r.getMessage()]
