"""Whole simulated sessions in virtual time (runningroom_app.wiring.simulated)."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.sim.devices import SimHrStrap, SimTreadmill
from drivers.sim.plugin import load_patient_factory
from runningroom.profiles_io import demo_profile, find_template
from runningroom.recording.recorder import SessionDatabase
from runningroom.session.model import ResumeSession
from runningroom_app.wiring.simulated import run_simulation, simulate_session

EXAMPLE = Path(__file__).resolve().parents[2] / "drivers" / "sim" / "example_patient_model.py"


@pytest.mark.parametrize("use_station", [False, True])
def test_a_45_minute_session_simulates_and_holds_the_zone(use_station: bool) -> None:
    # virtual time; how fast it runs is printed by `runningroom simulate`, not tested
    summary = simulate_session(
        demo_profile(), find_template("standard"), seed=1, use_station=use_station
    )
    assert summary.status == "finished"
    assert summary.duration_s >= 44 * 60
    assert summary.entry_time_s is not None and summary.entry_time_s < 6 * 60
    assert summary.rmse_bpm is not None and summary.rmse_bpm < 3.5
    assert summary.time_in_zone_pct_after_entry is not None
    assert summary.time_in_zone_pct_after_entry > 90
    assert summary.time_above_ceiling_s == 0
    assert summary.phases["main"].duration_s == pytest.approx(1800, abs=2)


def test_both_runtimes_give_the_same_session() -> None:
    direct = simulate_session(demo_profile(), find_template("walking"), seed=6)
    station = simulate_session(demo_profile(), find_template("walking"), seed=6, use_station=True)
    assert direct == station


def test_runs_are_reproducible() -> None:
    a = simulate_session(demo_profile(), find_template("walking"), seed=3)
    b = simulate_session(demo_profile(), find_template("walking"), seed=3)
    c = simulate_session(demo_profile(), find_template("walking"), seed=4)
    assert a == b
    assert a != c


@pytest.mark.parametrize("use_station", [False, True])
async def test_session_is_recorded_and_the_plant_carried_over(
    tmp_path: Path, use_station: bool
) -> None:
    db = SessionDatabase(tmp_path / "rr.sqlite3")
    try:
        result = await run_simulation(
            demo_profile(),
            find_template("standard"),
            seed=2,
            database=db,
            faults=False,
            use_station=use_station,
        )
        assert result.session_id is not None
        conn = db.connect_readonly()
        status, summary_json = conn.execute(
            "SELECT status, summary_json FROM sessions WHERE session_id = ?", (result.session_id,)
        ).fetchone()
        n_samples = conn.execute(
            "SELECT COUNT(*) FROM samples WHERE session_id = ?", (result.session_id,)
        ).fetchone()[0]
        conn.close()
        assert status == "finished"
        assert "rmse_bpm" in summary_json
        assert n_samples == pytest.approx(result.virtual_s, abs=5)
        assert result.plant_estimate is not None
        carried = db.load_plant_estimate(demo_profile().code)
        assert carried is not None
        assert carried.gain_bpm_per_kmh == pytest.approx(result.plant_estimate.gain_bpm_per_kmh)
    finally:
        db.close()


async def test_true_hr_tracks_the_reported_hr() -> None:
    result = await run_simulation(demo_profile(), find_template("standard"), seed=5, faults=False)
    true_hr = dict((round(t), hr) for t, hr in result.true_hr_bpm)
    samples = [s for s in result.engine.samples if s.hr_raw_bpm]
    diffs = [abs(s.hr_raw_bpm - true_hr[round(s.t_s)]) for s in samples if round(s.t_s) in true_hr]
    assert len(diffs) > 2000
    assert sum(diffs) / len(diffs) < 1.5


@pytest.mark.parametrize("use_station", [False, True])
async def test_safety_key_stops_the_belt_until_the_therapist_resumes(use_station: bool) -> None:
    def scenario(tm: SimTreadmill, strap: SimHrStrap) -> None:
        tm.schedule(1200.0, tm.pull_safety_key)
        tm.schedule(1260.0, tm.insert_safety_key)

    result = await run_simulation(
        demo_profile(),
        find_template("standard"),
        seed=1,
        faults=False,
        scenario=scenario,
        operator=[(1290.0, ResumeSession())],
        use_station=use_station,
    )
    assert "safety_key" in result.summary.alarm_kinds
    speeds = {round(s.t_s): s.speed_meas_kmh for s in result.engine.samples}
    assert speeds[1205] == 0.0
    assert (speeds[1400] or 0.0) > 2.0
    assert result.summary.status == "finished"


async def test_a_paused_session_is_stopped_after_the_overrun() -> None:
    def scenario(tm: SimTreadmill, strap: SimHrStrap) -> None:
        tm.schedule(1200.0, tm.pull_safety_key)

    result = await run_simulation(
        demo_profile(),
        find_template("standard"),
        seed=1,
        faults=False,
        scenario=scenario,
        max_overrun_s=60.0,
    )
    assert result.summary.status == "stopped"
    assert result.treadmill.belt_speed_kmh == 0.0
    assert result.virtual_s == pytest.approx(2760.0, abs=2.0)


async def test_console_speed_change_is_adopted() -> None:
    def scenario(tm: SimTreadmill, strap: SimHrStrap) -> None:
        tm.schedule(900.0, lambda: tm.console_set_speed(tm.belt_speed_kmh + 1.0))

    result = await run_simulation(
        demo_profile(), find_template("standard"), seed=1, faults=False, scenario=scenario
    )
    assert result.summary.status == "finished"
    kinds = " ".join(e.message for e in result.engine.events)
    assert "console" in kinds


async def test_lost_strap_triggers_hr_lost_and_no_acceleration() -> None:
    def scenario(tm: SimTreadmill, strap: SimHrStrap) -> None:
        strap.schedule(1000.0, strap.drop_link)
        strap.schedule(1100.0, strap.restore_link)

    result = await run_simulation(
        demo_profile(), find_template("standard"), seed=1, faults=False, scenario=scenario
    )
    assert "hr_lost" in result.summary.alarm_kinds
    speeds = [(t, v) for t, kind, v in result.treadmill.command_log if kind == "speed"]
    during = [v for t, v in speeds if 1006.0 <= t <= 1100.0]
    before = [v for t, v in speeds if t < 1000.0]
    assert before and all(v is not None and v <= before[-1] for v in during)


async def test_plugin_patient_and_oracle_controller() -> None:
    profile = demo_profile()
    factory = load_patient_factory(EXAMPLE)
    from drivers.sim.patient import params_for_profile

    params = params_for_profile(profile, 1)
    result = await run_simulation(
        profile, find_template("standard"), seed=1, patient=factory(params, 1), params=params
    )
    assert result.summary.status == "finished"
    assert result.summary.rmse_bpm is not None
    oracle = await run_simulation(profile, find_template("standard"), seed=1, controller="oracle")
    assert oracle.summary.status == "finished"


async def test_scaled_real_time_mode_runs_the_same_loop() -> None:
    result = await run_simulation(
        demo_profile(), find_template("standard"), seed=1, faults=False, speedup=4000.0
    )
    assert result.summary.status == "finished"
    assert result.wall_s >= 2700 / 4000.0
    assert result.summary.rmse_bpm is not None and result.summary.rmse_bpm < 4.0


async def test_handrail_patient_session_still_finishes() -> None:
    result = await run_simulation(
        demo_profile(), find_template("standard"), seed=3, faults=False, handrail=True
    )
    assert result.summary.status == "finished"
    assert result.summary.rmse_bpm is not None and result.summary.rmse_bpm < 4.0


@pytest.mark.parametrize("therapist", [True, False])
async def test_virtual_therapist_resumes_a_suspended_controller(therapist: bool) -> None:
    def scenario(tm: SimTreadmill, strap: SimHrStrap) -> None:
        strap.schedule(900.0, strap.drop_link)
        strap.schedule(990.0, strap.restore_link)

    result = await run_simulation(
        demo_profile(),
        find_template("standard"),
        seed=1,
        faults=False,
        scenario=scenario,
        therapist=therapist,
    )
    messages = [e.message for e in result.engine.events]
    assert any("suspended" in m for m in messages)
    resumed = any("therapist resumed the controller" in m for m in messages)
    assert resumed is therapist
    late_speed_commands = [
        t for t, kind, _ in result.treadmill.command_log if kind == "speed" and 1100 < t < 2000
    ]
    assert bool(late_speed_commands) is therapist


async def test_oracle_controller_refuses_a_plugin_patient() -> None:
    from drivers.sim.patient import params_for_profile

    profile = demo_profile()
    params = params_for_profile(profile, 1)
    patient = load_patient_factory(EXAMPLE)(params, 1)
    with pytest.raises(ValueError, match="oracle controller needs the true plant"):
        await run_simulation(
            profile,
            find_template("standard"),
            seed=1,
            patient=patient,
            params=params,
            controller="oracle",
        )
