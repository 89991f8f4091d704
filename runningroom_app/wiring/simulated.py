"""Run whole sessions against the simulators, in virtual time or scaled real time.

:func:`run_simulation` composes a :class:`~drivers.sim.devices.SimTreadmill`, a
:class:`~drivers.sim.devices.SimHrStrap` worn by a simulated (or plug-in) patient, a
controller from :func:`runningroom.control.make_controller`, the session engine and
(optionally) a :class:`~runningroom.recording.recorder.SessionDatabase`. With the
default :class:`~runningroom.clock.ManualClock` nothing sleeps: a 45-min session takes
about 0.2-0.3 s. With ``speedup`` the same loop runs on a
:class:`~runningroom.clock.ScaledClock` and sleeps between steps (demo).

Each step of ``dt_s`` virtual seconds: set the clock, advance the treadmill, then the
strap (their samples, measurements and events reach the engine through listeners),
then at every control period one control tick. Two runtimes give identical sessions:
``use_station=True`` goes through :class:`runningroom.station.Station` (``connect``,
``submit``, ``step``, ``shutdown``: what the app and ``runningroom run`` use; the CLI
uses it); the default drives the :class:`~runningroom.session.engine.SessionEngine`
directly with the same protocol (every returned treadmill command sent, its outcome
reported with ``command_result``), which is a little faster and needs no Station.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from drivers.sim.devices import SimHrStrap, SimTreadmill
from drivers.sim.patient import (
    HandrailConfig,
    HandrailHolding,
    PatientModel,
    PatientParams,
    SimulatedPatient,
    params_for_profile,
    steady_state_gain_bpm_per_kmh,
    steady_state_gain_bpm_per_pct,
)
from drivers.sim.sensor import FaultConfig
from runningroom.bench.therapist import VirtualTherapist
from runningroom.clock import ManualClock, ScaledClock
from runningroom.control.base import Controller, PlantEstimate
from runningroom.devices import DeviceEvent
from runningroom.errors import DeviceError, RecordingError
from runningroom.model import PatientProfile, Prescription, SessionTemplate
from runningroom.recording.model import EventRecord, SampleRecord
from runningroom.session.model import (
    OperatorCommand,
    SetInclineCommand,
    SetSpeedCommand,
    StartBeltCommand,
    StartSession,
    StopBeltCommand,
    StopSession,
    TreadmillCommand,
)

if TYPE_CHECKING:
    from runningroom.recording.recorder import SessionDatabase
    from runningroom.session.engine import SessionEngine
    from runningroom.session.summary import SessionSummary
    from runningroom.station import Station

logger = logging.getLogger(__name__)

#: Extra virtual time allowed beyond the template's planned duration before stopping.
DEFAULT_OVERRUN_S = 900.0

#: Hook to inject events: called with the devices before the session starts.
Scenario = Callable[[SimTreadmill, SimHrStrap], None]


class _MemorySink:
    """Session sink used without a database."""

    def __init__(self) -> None:
        self.samples: list[SampleRecord] = []
        self.events: list[EventRecord] = []
        self.status: str | None = None
        self.summary: dict[str, Any] = {}

    def record_sample(self, sample: SampleRecord) -> None:
        self.samples.append(sample)

    def record_event(self, event: EventRecord) -> None:
        self.events.append(event)

    def finish(self, status: str, summary: dict[str, Any]) -> None:
        self.status = status
        self.summary = summary


@dataclass
class SimulationResult:
    """Everything a simulated session produced.

    Attributes:
        summary: the engine's session summary.
        session_id: recorded session id (None without a database).
        params: the simulated patient's parameters (the plug-in got these too).
        patient: the patient model used.
        treadmill: the simulated treadmill (command log, distance).
        strap: the simulated HR sensor (true HR, fault plan).
        engine: the session engine (samples, events, alarms).
        virtual_s: simulated session time.
        wall_s: real time the run took.
        plant_estimate: the plant identified (saved to the database when finished).
        true_hr_bpm: (t_s, true HR) per control tick, for analysis.
    """

    summary: SessionSummary
    session_id: int | None
    params: PatientParams
    patient: PatientModel
    treadmill: SimTreadmill
    strap: SimHrStrap
    engine: SessionEngine
    virtual_s: float
    wall_s: float
    plant_estimate: PlantEstimate | None
    true_hr_bpm: list[tuple[float, float]] = field(default_factory=list)


#: why ``oracle`` cannot run against a plug-in patient model
ORACLE_WITH_PLUGIN_MESSAGE = (
    "the oracle controller needs the true plant of the built-in simulated patient; "
    "a plug-in patient model (--patient-model) has its own physiology, which the oracle "
    "would not know (it would control with the wrong gain and dead time)"
)


def oracle_plant(
    params: PatientParams, speed_kmh: float = 5.0, incline_pct: float = 0.0
) -> PlantEstimate:
    """The true plant of a simulated patient near an operating point (oracle controller)."""
    return PlantEstimate(
        gain_bpm_per_kmh=steady_state_gain_bpm_per_kmh(params, speed_kmh, incline_pct),
        gain_bpm_per_pct=steady_state_gain_bpm_per_pct(params, speed_kmh, incline_pct),
        tau_s=params.tau_slow_s,
        dead_time_s=params.dead_time_s,
    )


#: the ``fixed-speed`` baseline ramps to its speed over this share of the warm-up
FIXED_SPEED_RAMP_SHARE = 0.75


def _make_controller(
    name: str,
    params: PatientParams,
    plant: PlantEstimate | None,
    start_speed_kmh: float,
    fixed_speed_kmh: float,
    warmup_s: float,
) -> Controller:
    """The named controller for a simulated session.

    ``oracle`` gets the simulated patient's true plant; ``fixed-speed`` ramps to the
    therapist's speed (:func:`~runningroom_app.wiring.therapist.therapist_speed_kmh`)
    over :data:`FIXED_SPEED_RAMP_SHARE` of the warm-up and holds it.
    """
    from runningroom.control import make_controller
    from runningroom.control.baselines import FixedSpeedController

    if name == "oracle":
        return make_controller(name, oracle_plant(params, start_speed_kmh + 2.0))
    if name == "fixed-speed":
        return FixedSpeedController(fixed_speed_kmh, ramp_s=FIXED_SPEED_RAMP_SHARE * warmup_s)
    return make_controller(name, plant)


async def _send(
    engine: SessionEngine, treadmill: SimTreadmill, cmds: list[TreadmillCommand], now_s: float
) -> None:
    for cmd in cmds:
        try:
            if isinstance(cmd, SetSpeedCommand):
                await treadmill.set_speed(cmd.speed_kmh)
            elif isinstance(cmd, SetInclineCommand):
                await treadmill.set_incline(cmd.incline_pct)
            elif isinstance(cmd, StartBeltCommand):
                await treadmill.start()
            elif isinstance(cmd, StopBeltCommand):
                await treadmill.stop()
        except DeviceError as exc:
            engine.command_result(cmd, False, now_s, str(exc))
        else:
            engine.command_result(cmd, True, now_s)


class _Runtime(Protocol):
    """What the simulation loop drives: the engine directly, or a Station."""

    @property
    def engine(self) -> SessionEngine: ...

    async def start(self, now_s: float) -> None: ...

    async def after_advance(self, now_s: float) -> None: ...

    async def command(self, cmd: OperatorCommand, now_s: float) -> None: ...

    async def tick(self, now_s: float) -> None: ...

    async def finish(
        self, now_s: float
    ) -> tuple[SessionSummary, int | None, PlantEstimate | None]: ...


class _EngineRuntime:
    """Drives a :class:`SessionEngine` directly (the lean, deterministic default)."""

    def __init__(
        self,
        *,
        profile: PatientProfile,
        template: SessionTemplate,
        prescription: Prescription,
        controller: Controller,
        plant: PlantEstimate | None,
        database: SessionDatabase | None,
        clock: ManualClock | ScaledClock,
        treadmill: SimTreadmill,
        strap: SimHrStrap,
        station_name: str,
        devices: dict[str, str],
    ) -> None:
        from runningroom.session.engine import SessionEngine

        self._profile = profile
        self._database = database
        self._treadmill = treadmill
        self._strap = strap
        self._recorder: Any
        if database is not None:
            self._recorder = database.start_session(
                patient_code=profile.code,
                started_at=clock.wall(),
                profile=profile,
                template=template,
                prescription=prescription,
                station=station_name,
                supervised=False,
                devices=devices,
            )
        else:
            self._recorder = _MemorySink()
        self._engine = SessionEngine(
            profile=profile,
            template=template,
            prescription=prescription,
            capabilities=treadmill.capabilities,
            controller=controller,
            sink=self._recorder,
            plant_estimate=plant,
        )
        self._event_cmds: list[TreadmillCommand] = []
        treadmill.add_measurement_listener(self._engine.on_measurement)
        treadmill.add_event_listener(self._on_event)
        strap.add_sample_listener(self._engine.on_hr)
        strap.add_event_listener(self._on_event)

    @property
    def engine(self) -> SessionEngine:
        return self._engine

    def _on_event(self, ev: DeviceEvent) -> None:
        self._event_cmds.extend(self._engine.on_device_event(ev))

    async def start(self, now_s: float) -> None:
        await self._treadmill.connect()
        await self._strap.connect()
        await self.command(StartSession(), now_s)

    async def after_advance(self, now_s: float) -> None:
        if self._event_cmds:
            cmds, self._event_cmds = self._event_cmds, []
            await _send(self._engine, self._treadmill, cmds, now_s)

    async def command(self, cmd: OperatorCommand, now_s: float) -> None:
        await _send(self._engine, self._treadmill, self._engine.command(cmd, now_s), now_s)

    async def tick(self, now_s: float) -> None:
        await _send(self._engine, self._treadmill, self._engine.tick(now_s), now_s)

    async def finish(self, now_s: float) -> tuple[SessionSummary, int | None, PlantEstimate | None]:
        engine = self._engine
        if not engine.state.is_terminal:
            # cancelled (Ctrl-C in real time) or failed: stop the session and the belt
            await self.command(StopSession(), now_s)
        await self._treadmill.stop()
        await self._strap.disconnect()
        await self._treadmill.disconnect()
        summary = engine.summary()
        est = engine.plant_estimate()
        reached_main = any(s.phase in ("main", "cooldown") for s in engine.samples)
        try:
            self._recorder.finish(summary.status, summary.to_dict())
            if self._database is not None and est is not None and reached_main:
                self._database.save_plant_estimate(
                    self._profile.code, est, self._recorder.session_id
                )
        except RecordingError:
            logger.exception("could not finish the recording")
        return summary, getattr(self._recorder, "session_id", None), est


class _StationRuntime:
    """Drives a :class:`runningroom.station.Station` with :meth:`Station.step`."""

    def __init__(self, station: Station) -> None:
        self.station = station

    @property
    def engine(self) -> SessionEngine:
        engine = self.station.engine
        assert engine is not None, "station not connected"
        return engine

    async def start(self, now_s: float) -> None:
        await self.station.connect()
        self.station.submit(StartSession())

    async def after_advance(self, now_s: float) -> None:
        return None

    async def command(self, cmd: OperatorCommand, now_s: float) -> None:
        self.station.submit(cmd)

    async def tick(self, now_s: float) -> None:
        await self.station.step(now_s)

    async def finish(self, now_s: float) -> tuple[SessionSummary, int | None, PlantEstimate | None]:
        station = self.station
        await station.shutdown()
        engine = station.engine
        summary = station.summary
        if summary is None:
            assert engine is not None
            summary = engine.summary()
        est = engine.plant_estimate() if engine is not None else None
        return summary, station.session_id, est


async def run_simulation(
    profile: PatientProfile,
    template: SessionTemplate,
    *,
    seed: int = 0,
    patient: PatientModel | None = None,
    params: PatientParams | None = None,
    database: SessionDatabase | None = None,
    controller: str = "model",
    faults: bool = True,
    dt_s: float = 1.0,
    control_period_s: float = 1.0,
    speedup: float | None = None,
    scenario: Scenario | None = None,
    max_overrun_s: float = DEFAULT_OVERRUN_S,
    station_name: str = "sim",
    on_tick: Callable[[SessionEngine, float], None] | None = None,
    operator: Sequence[tuple[float, OperatorCommand]] = (),
    use_station: bool = False,
    handrail: bool = False,
    therapist: bool = True,
) -> SimulationResult:
    """Run one whole session against the simulators and return everything it produced.

    Args:
        profile: the patient.
        template: the session plan.
        seed: seed of the simulated patient, its HRV, sensor noise and faults.
        patient: a plug-in patient model (default: :class:`SimulatedPatient` with
            ``params``).
        params: simulated patient parameters (default: :func:`params_for_profile`).
        database: record the session here (None: keep it in memory only).
        controller: controller name for :func:`runningroom.control.make_controller`;
            ``oracle`` gets the simulated patient's true plant (so it cannot run with a
            plug-in ``patient``); ``fixed-speed`` ramps to the therapist's speed from the
            profile during the warm-up and holds it.
        faults: inject the reference HR sensor faults.
        dt_s: simulation step (<= ``control_period_s``).
        control_period_s: engine tick period.
        speedup: None runs as fast as possible (virtual time); a number runs on a
            :class:`ScaledClock` that many times faster than real time.
        scenario: called with (treadmill, strap) before the start, to schedule
            injections (console changes, safety key, lost strap, ...).
        max_overrun_s: stop the session if it runs this long past the planned duration.
        station_name: station label stored with the recording.
        on_tick: called after every engine tick with (engine, session seconds).
        operator: therapist commands to give at session times (seconds from the start).
        use_station: run through :class:`runningroom.station.Station` (the runtime the
            app and ``runningroom run`` use) instead of driving the engine directly.
        handrail: the patient holds the handrails now and then (10-20 % less load for
            30-120 s, about 1.5 times per 45 min; :class:`HandrailHolding`).
        therapist: a :class:`VirtualTherapist` acknowledges alarms and resumes a
            suspended controller once HR is trusted again (False: nobody attends).

    Raises:
        RecordingError: the database could not start the session.
        ValueError: ``controller="oracle"`` with a plug-in ``patient``.
    """
    from runningroom.prescription import compute_prescription
    from runningroom_app.wiring.therapist import therapist_speed_kmh

    if controller == "oracle" and patient is not None:
        raise ValueError(ORACLE_WITH_PLUGIN_MESSAGE)
    wall_start = time.perf_counter()
    clock: ManualClock | ScaledClock = (
        ManualClock(start_wall=datetime.now(UTC)) if speedup is None else ScaledClock(speedup)
    )
    params = params or params_for_profile(profile, seed)
    model: PatientModel = patient if patient is not None else SimulatedPatient(params)
    if handrail:
        model = HandrailHolding(model, seed, HandrailConfig(session_s=template.planned_duration_s))
    treadmill = SimTreadmill(clock)
    fault_config = FaultConfig(session_s=template.planned_duration_s) if faults else None
    strap = SimHrStrap(clock, model, treadmill, faults=fault_config, seed=seed)
    if scenario is not None:
        scenario(treadmill, strap)

    prescription = compute_prescription(profile, clock.wall().date())
    plant = database.load_plant_estimate(profile.code) if database is not None else None
    start_speed_kmh = template.warmup.start_speed_kmh or profile.start_speed_kmh or 2.5
    fixed_speed_kmh = therapist_speed_kmh(profile, prescription, template)
    devices = {
        "treadmill": f"{treadmill.address} (simulated)",
        "hr": f"{strap.address} (simulated {strap.sensor.kind}, seed {seed})",
        "controller": controller,
    }

    def controller_factory() -> Controller:
        return _make_controller(
            controller, params, plant, start_speed_kmh, fixed_speed_kmh, template.warmup.duration_s
        )

    runtime: _Runtime
    if use_station:
        from runningroom.station import Station

        runtime = _StationRuntime(
            Station(
                name=station_name,
                treadmill=treadmill,
                hr_source=strap,
                profile=profile,
                template=template,
                database=database,
                clock=clock,
                controller_factory=controller_factory,
                control_period_s=control_period_s,
                prescription=prescription,
                supervised=False,
                devices=devices,
            )
        )
    else:
        runtime = _EngineRuntime(
            profile=profile,
            template=template,
            prescription=prescription,
            controller=controller_factory(),
            plant=plant,
            database=database,
            clock=clock,
            treadmill=treadmill,
            strap=strap,
            station_name=station_name,
            devices=devices,
        )

    true_hr: list[tuple[float, float]] = []
    scripted = sorted(operator, key=lambda item: item[0])
    attending = VirtualTherapist() if therapist else None
    rate = 1.0 if speedup is None else speedup
    origin_s = clock.monotonic_s()
    now_s = origin_s
    deadline_s = origin_s + template.planned_duration_s + max_overrun_s
    stopped_for_overrun = False
    try:
        await runtime.start(now_s)
        engine = runtime.engine
        next_tick_s = now_s
        while not engine.state.is_terminal:
            if isinstance(clock, ManualClock):
                now_s += dt_s
                clock.set(now_s)
            else:
                # scaled real time: devices stamp commands with the clock, so follow it
                target_s = now_s + dt_s
                delay_s = (target_s - clock.monotonic_s()) / rate
                if delay_s > 0:
                    await asyncio.sleep(delay_s)
                now_s = max(clock.monotonic_s(), target_s)
            treadmill.advance(now_s)
            strap.advance(now_s)
            await runtime.after_advance(now_s)
            while scripted and scripted[0][0] <= now_s - origin_s + 1e-9:
                await runtime.command(scripted.pop(0)[1], now_s)
            if now_s + 1e-9 >= next_tick_s:
                next_tick_s += control_period_s
                if next_tick_s <= now_s - control_period_s:
                    next_tick_s = now_s  # fell behind real time: do not burst
                await runtime.tick(now_s)
                if attending is not None and not engine.state.is_terminal:
                    for cmd in attending.act(engine, now_s - origin_s):
                        await runtime.command(cmd, now_s)
                true_hr.append((now_s - origin_s, strap.true_hr_bpm))
                if on_tick is not None:
                    on_tick(engine, now_s - origin_s)
            if now_s >= deadline_s and not engine.state.is_terminal:
                stopped_for_overrun = True
                await runtime.command(StopSession(), now_s)
    finally:
        summary, session_id, est = await runtime.finish(now_s)
    if stopped_for_overrun:
        logger.warning("session overran the planned duration by %.0f s: stopped", max_overrun_s)
    return SimulationResult(
        summary=summary,
        session_id=session_id,
        params=params,
        patient=model,
        treadmill=treadmill,
        strap=strap,
        engine=runtime.engine,
        virtual_s=now_s - origin_s,
        wall_s=time.perf_counter() - wall_start,
        plant_estimate=est,
        true_hr_bpm=true_hr,
    )


def simulate_session(
    profile: PatientProfile,
    template: SessionTemplate,
    *,
    seed: int,
    patient: PatientModel | None = None,
    database: SessionDatabase | None = None,
    controller: str = "model",
    faults: bool = True,
    use_station: bool = False,
) -> SessionSummary:
    """Run one session as fast as possible (virtual time) and return its summary.

    Synchronous wrapper of :func:`run_simulation` (which see); must not be called from
    a running event loop (await :func:`run_simulation` there).
    """
    result = asyncio.run(
        run_simulation(
            profile,
            template,
            seed=seed,
            patient=patient,
            database=database,
            controller=controller,
            faults=faults,
            use_station=use_station,
        )
    )
    return result.summary
