"""SimTreadmill and SimHrStrap: async ABCs, virtual-time stepping, injections, real time."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from drivers.sim.devices import SimHrStrap, SimTreadmill, make_sim_pair, run_realtime
from drivers.sim.patient import PatientParams, SimulatedPatient, steady_state_hr_bpm
from drivers.sim.sensor import FaultPlan, SensorKind
from runningroom.clock import ManualClock, ScaledClock
from runningroom.devices import (
    BeltState,
    DeviceEvent,
    DeviceEventKind,
    HrSample,
    HrSourceKind,
    TreadmillMeasurement,
)
from runningroom.errors import ControlNotPermittedError, DeviceError, DeviceTimeoutError

QUIET = PatientParams(
    hr_rest_bpm=70.0,
    hrmax_true_bpm=180.0,
    vo2max=30.0,
    hrv_lf_sigma_bpm=0.0,
    hrv_fast_sigma_bpm=0.0,
    drift_bpm_per_min=0.0,
)


class Recorder:
    def __init__(self) -> None:
        self.measurements: list[TreadmillMeasurement] = []
        self.samples: list[HrSample] = []
        self.events: list[DeviceEvent] = []

    def kinds(self) -> list[DeviceEventKind]:
        return [e.kind for e in self.events]


def _run(clock: ManualClock, devices: list[SimTreadmill | SimHrStrap], until_s: float) -> None:
    while clock.monotonic_s() < until_s - 1e-9:
        clock.advance(0.5)
        for d in devices:
            d.advance(clock.monotonic_s())


async def _connected_treadmill(
    clock: ManualClock, **kwargs: object
) -> tuple[SimTreadmill, Recorder]:
    tm = SimTreadmill(clock, **kwargs)  # type: ignore[arg-type]
    rec = Recorder()
    tm.add_measurement_listener(rec.measurements.append)
    tm.add_event_listener(rec.events.append)
    caps = await tm.connect()
    assert caps == tm.capabilities
    return tm, rec


async def test_treadmill_follows_commands_and_reports_at_1_hz() -> None:
    clock = ManualClock()
    tm, rec = await _connected_treadmill(clock, latency_s=1.0, accel_kmh_per_s=0.3)
    await tm.start()
    await tm.set_speed(4.5)
    await tm.set_incline(2.0)
    _run(clock, [tm], 60.0)
    assert len(rec.measurements) == pytest.approx(60, abs=1)
    last = rec.measurements[-1]
    assert last.speed_kmh == pytest.approx(4.5)
    assert last.incline_pct == pytest.approx(2.0)
    assert last.belt is BeltState.RUNNING
    assert last.distance_m is not None and 50 < last.distance_m < 75
    speeds = [m.speed_kmh or 0.0 for m in rec.measurements]
    assert max(b - a for a, b in itertools.pairwise(speeds)) <= 0.3 + 1e-6
    assert DeviceEventKind.CONNECTED in rec.kinds()


async def test_commands_need_a_connection_but_stop_always_works() -> None:
    clock = ManualClock()
    tm = SimTreadmill(clock)
    with pytest.raises(DeviceError):
        await tm.set_speed(3.0)
    await tm.stop()  # never raises
    await tm.disconnect()


async def test_console_changes_are_reported_and_applied() -> None:
    clock = ManualClock()
    tm, rec = await _connected_treadmill(clock)
    await tm.set_speed(4.0)
    _run(clock, [tm], 30.0)
    tm.console_set_speed(5.0)
    tm.console_set_incline(3.0)
    _run(clock, [tm], 60.0)
    assert tm.belt_speed_kmh == pytest.approx(5.0)
    assert tm.belt_incline_pct == pytest.approx(3.0)
    speed_events = [e for e in rec.events if e.kind is DeviceEventKind.CONSOLE_SPEED_CHANGED]
    assert speed_events and speed_events[0].value == pytest.approx(5.0)
    assert DeviceEventKind.CONSOLE_INCLINE_CHANGED in rec.kinds()
    tm.console_stop()
    _run(clock, [tm], 90.0)
    assert DeviceEventKind.STOPPED_BY_USER in rec.kinds()
    assert rec.measurements[-1].belt is BeltState.STOPPED


async def test_safety_key_stops_the_belt_and_refuses_commands() -> None:
    clock = ManualClock()
    tm, rec = await _connected_treadmill(clock)
    await tm.set_speed(6.0)
    tm.schedule(40.0, tm.pull_safety_key)
    _run(clock, [tm], 45.0)
    assert DeviceEventKind.SAFETY_KEY in rec.kinds()
    assert tm.belt_speed_kmh == 0.0
    with pytest.raises(DeviceError):
        await tm.set_speed(3.0)
    tm.insert_safety_key()
    await tm.set_speed(3.0)


async def test_not_responding_and_link_loss() -> None:
    clock = ManualClock()
    tm, rec = await _connected_treadmill(clock)
    tm.set_not_responding()
    before = len(rec.measurements)
    _run(clock, [tm], 10.0)
    assert len(rec.measurements) == before
    with pytest.raises(DeviceTimeoutError):
        await tm.set_speed(3.0)
    tm.set_not_responding(False)
    tm.drop_link()
    assert DeviceEventKind.DISCONNECTED in rec.kinds()
    with pytest.raises(DeviceError):
        await tm.set_speed(3.0)
    tm.restore_link()
    assert DeviceEventKind.RECONNECTED in rec.kinds()
    await tm.set_speed(3.0)


async def test_monitor_only_treadmill_refuses_control() -> None:
    from runningroom.devices import TreadmillCapabilities

    clock = ManualClock()
    tm, _ = await _connected_treadmill(
        clock, capabilities=TreadmillCapabilities(can_control_speed=False)
    )
    assert tm.capabilities.monitor_only
    with pytest.raises(ControlNotPermittedError):
        await tm.set_speed(3.0)


async def test_strap_heart_rate_follows_the_belt() -> None:
    clock = ManualClock()
    tm = SimTreadmill(clock)
    strap = SimHrStrap(clock, SimulatedPatient(QUIET), tm, faults=None, seed=3)
    samples: list[HrSample] = []
    strap.add_sample_listener(samples.append)
    await tm.connect()
    await strap.connect()
    _run(clock, [tm, strap], 30.0)
    assert all(abs(s.hr_bpm - 70) <= 2 for s in samples)
    await tm.set_speed(5.0)
    _run(clock, [tm, strap], 600.0)
    assert len(samples) == pytest.approx(600, abs=2)
    expected = steady_state_hr_bpm(QUIET, 5.0, 0.0)
    assert abs(samples[-1].hr_bpm - expected) <= 2
    assert samples[-1].source is HrSourceKind.CHEST_STRAP
    assert samples[-1].rr_ms and abs(60000 / samples[-1].rr_ms[0] - expected) < 2
    assert all(isinstance(s.hr_bpm, int) for s in samples)
    assert samples[1].t_s - samples[0].t_s == pytest.approx(1.0)


async def test_strap_faults_and_injections() -> None:
    clock = ManualClock()
    tm = SimTreadmill(clock)
    plan = FaultPlan(zeros=(20.0,), gaps=((40.0, 5.0),))
    strap = SimHrStrap(clock, SimulatedPatient(QUIET), tm, faults=plan, seed=1)
    samples: list[HrSample] = []
    events: list[DeviceEvent] = []
    strap.add_sample_listener(samples.append)
    strap.add_event_listener(events.append)
    await strap.connect()
    _run(clock, [tm, strap], 60.0)
    by_t = {round(s.t_s): s.hr_bpm for s in samples}
    assert by_t[20] == 0
    assert all(t not in by_t for t in range(40, 45))
    strap.inject_values([250, 0])
    strap.drop_link()
    _run(clock, [tm, strap], 70.0)
    assert max(by_t) < 61 and round(samples[-1].t_s) <= 60
    strap.restore_link()
    _run(clock, [tm, strap], 80.0)
    assert samples[-1].hr_bpm < 100
    assert [e.kind for e in events][-2:] == [
        DeviceEventKind.DISCONNECTED,
        DeviceEventKind.RECONNECTED,
    ]
    strap.faults_enabled = False
    assert not strap.sensor.faults_enabled


async def test_optical_patient_gives_an_optical_source_without_rr() -> None:
    clock = ManualClock()
    params = PatientParams(sensor=SensorKind.OPTICAL)
    strap = SimHrStrap(clock, SimulatedPatient(params), faults=None)
    samples: list[HrSample] = []
    strap.add_sample_listener(samples.append)
    await strap.connect()
    _run(clock, [strap], 5.0)
    assert samples and all(s.source is HrSourceKind.OPTICAL and not s.rr_ms for s in samples)


async def test_virtual_runs_are_reproducible() -> None:
    async def once() -> list[int]:
        clock = ManualClock()
        tm, strap = make_sim_pair(clock, seed=5, faults=True)
        out: list[int] = []
        strap.add_sample_listener(lambda s: out.append(s.hr_bpm))
        await tm.connect()
        await strap.connect()
        await tm.set_speed(5.0)
        _run(clock, [tm, strap], 900.0)
        return out

    assert await once() == await once()


async def test_realtime_driver_with_scaled_clock() -> None:
    clock = ScaledClock(speedup=200.0)
    tm, strap = make_sim_pair(clock, seed=1, realtime=True)
    samples: list[HrSample] = []
    strap.add_sample_listener(samples.append)
    await tm.connect()
    await strap.connect()
    await tm.set_speed(4.0)
    await asyncio.sleep(0.15)  # ~30 virtual seconds
    await tm.disconnect()
    await strap.disconnect()
    assert 10 <= len(samples) <= 60
    assert tm.belt_speed_kmh > 2.0


async def test_run_realtime_can_be_cancelled() -> None:
    clock = ScaledClock(speedup=100.0)
    tm = SimTreadmill(clock)
    task = asyncio.create_task(run_realtime([tm], clock, period_s=0.5))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert tm.physics.now_s > 0.0


async def test_treadmill_relays_the_patients_hr_when_it_reports_hr() -> None:
    from dataclasses import replace

    from drivers.sim.treadmill import SIM_CAPABILITIES

    clock = ManualClock()
    tm = SimTreadmill(clock, replace(SIM_CAPABILITIES, reports_hr=True), seed=2)
    strap = SimHrStrap(clock, SimulatedPatient(QUIET), tm, faults=None)
    measurements: list[TreadmillMeasurement] = []
    tm.add_measurement_listener(measurements.append)
    await tm.connect()
    await tm.set_speed(5.0)
    _run(clock, [tm, strap], 300.0)
    relayed = [m.hr_bpm for m in measurements[-60:]]
    assert all(r is not None for r in relayed)
    errors = [r - strap.true_hr_bpm for r in relayed if r is not None]
    assert abs(sum(errors) / len(errors)) < 3.0
    plain = SimTreadmill(clock)
    SimHrStrap(clock, SimulatedPatient(QUIET), plain, faults=None)
    plain_measurements: list[TreadmillMeasurement] = []
    plain.add_measurement_listener(plain_measurements.append)
    await plain.connect()
    _run(clock, [plain], 305.0)
    assert plain_measurements and all(m.hr_bpm is None for m in plain_measurements)
