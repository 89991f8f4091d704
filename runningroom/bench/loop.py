"""The lean benchmark loop: the real session engine against the bench's plant.

One :class:`~runningroom.session.engine.SessionEngine` per session, driven
synchronously through its public API only, in 1-s steps of session time:

1. the belt (:attr:`BenchCase.new_belt`: latency and limited acceleration) is integrated
   and its measurement goes to :meth:`~SessionEngine.on_measurement`;
2. the patient model steps at the belt's *actual* speed and incline, the sensor turns
   the true HR into a reading (errors, faults, dropouts) for :meth:`~SessionEngine.on_hr`;
3. :meth:`~SessionEngine.tick`; every returned treadmill command goes to the belt and
   its outcome back through :meth:`~SessionEngine.command_result`;
4. a :class:`~runningroom.bench.therapist.VirtualTherapist` acknowledges alarms and
   gives :class:`~runningroom.session.model.ResumeController` after an HR-lost
   suspension once the HR has been trusted for ``resume_after_s``.

So the control step, the HR gate, the supervisor and the safety envelope are exactly
the engine's; the loop adds physics only. No asyncio, no clock, no recording (the
engine's rows go to a sink that drops them). ``runningroom bench --engine`` runs the
same cohort through the simulated devices and runtime instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from runningroom.bench.plant import LaggedBelt
from runningroom.bench.therapist import VirtualTherapist
from runningroom.control.base import Controller
from runningroom.devices import (
    BeltState,
    HrSample,
    SensorContact,
    TreadmillCapabilities,
    TreadmillMeasurement,
)
from runningroom.model import (
    Actuator,
    HrMaxSource,
    PatientLimits,
    PatientProfile,
    PhaseKind,
    PhaseSpec,
    Prescription,
    SessionTemplate,
)
from runningroom.recording.model import EventRecord, SampleRecord
from runningroom.session.engine import EngineConfig, SessionEngine
from runningroom.session.model import (
    SessionSnapshot,
    SessionState,
    SetInclineCommand,
    SetSpeedCommand,
    StartBeltCommand,
    StartSession,
    StopBeltCommand,
    StopSession,
    TreadmillCommand,
)

if TYPE_CHECKING:
    from runningroom.bench.case import Belt, BenchCase
    from runningroom.bench.runner import BenchProtocol, SessionTrace

#: The ceiling of a case without an HRmax is taken as this fraction of HRmax.
_CEILING_FRACTION_OF_HRMAX = 0.85
#: Extra session time allowed past the plan (pauses, waiting for HR in preflight).
_OVERRUN_S = 900.0

#: One control tick: the engine's snapshot after the tick and the true HR then.
Tick = tuple[SessionSnapshot, float]


class _DiscardSink:
    """A session sink that records nothing (the benchmark needs no database)."""

    def record_sample(self, sample: SampleRecord) -> None:
        """Drop the sample."""

    def record_event(self, event: EventRecord) -> None:
        """Drop the event."""

    def finish(self, status: str, summary: dict[str, Any]) -> None:
        """Nothing to close."""


def bench_template(protocol: BenchProtocol, case: BenchCase, *, steps: bool) -> SessionTemplate:
    """The session plan of one benchmark session (``steps``: the square-wave variant)."""
    return SessionTemplate(
        name="bench",
        warmup=PhaseSpec(PhaseKind.WARMUP, protocol.warmup_s, start_speed_kmh=case.start_speed_kmh),
        main=PhaseSpec(
            PhaseKind.MAIN,
            protocol.main_s,
            target_offset_bpm=protocol.step_amplitude_bpm if steps else 0.0,
            target_step_period_s=protocol.step_half_period_s if steps else 0.0,
        ),
        cooldown=PhaseSpec(PhaseKind.COOLDOWN, protocol.cooldown_s),
    )


def bench_profile(case: BenchCase) -> PatientProfile:
    """The patient as registered: the case's resting HR, speed range and actuators."""
    lim = case.limits
    if lim.use_speed and lim.use_incline:
        actuator = Actuator.BOTH
    elif lim.use_incline:
        actuator = Actuator.INCLINE
    else:
        actuator = Actuator.SPEED
    return PatientProfile(
        code=f"BENCH-{case.patient_id:04d}",
        resting_hr_bpm=round(case.hr_rest_bpm),
        limits=PatientLimits(
            max_speed_kmh=lim.max_speed_kmh,
            max_incline_pct=lim.max_incline_pct,
            min_speed_kmh=lim.min_speed_kmh,
        ),
        preferred_actuator=actuator,
        start_speed_kmh=case.start_speed_kmh,
    )


def bench_prescription(case: BenchCase) -> Prescription:
    """The case's zone, target and ceiling as a prescription."""
    hrmax = case.hrmax_bpm or case.ceiling_bpm / _CEILING_FRACTION_OF_HRMAX
    return Prescription(
        hrmax_bpm=hrmax,
        hrmax_source=HrMaxSource.TANAKA,
        age_years=None,
        zone_low_bpm=case.zone_low_bpm,
        zone_high_bpm=case.zone_high_bpm,
        target_bpm=case.target_bpm,
        ceiling_bpm=case.ceiling_bpm,
        zone_source="benchmark case",
        resting_hr_bpm=round(case.hr_rest_bpm),
    )


def bench_capabilities(case: BenchCase) -> TreadmillCapabilities:
    """A treadmill wider than every patient's limits, on the case's command grid."""
    lim = case.limits
    return TreadmillCapabilities(
        speed_increment_kmh=lim.speed_step_kmh or 0.1,
        incline_increment_pct=lim.incline_step_pct or 0.5,
        model="benchmark belt",
    )


def make_engine(
    case: BenchCase,
    controller: Controller,
    protocol: BenchProtocol,
    *,
    steps: bool = False,
    config: EngineConfig | None = None,
) -> SessionEngine:
    """A session engine for one benchmark session (no recording)."""
    return SessionEngine(
        profile=bench_profile(case),
        template=bench_template(protocol, case, steps=steps),
        prescription=bench_prescription(case),
        capabilities=bench_capabilities(case),
        controller=controller,
        sink=_DiscardSink(),
        config=config,
    )


class _BeltLink:
    """Sends the engine's treadmill commands to the belt and reports the outcome."""

    def __init__(self, engine: SessionEngine, belt: Belt) -> None:
        self.engine = engine
        self.belt = belt
        self.running = False

    def send(self, cmds: Sequence[TreadmillCommand], now_s: float) -> None:
        for cmd in cmds:
            if isinstance(cmd, SetSpeedCommand):
                self.belt.command_speed(now_s, cmd.speed_kmh)
                self.running = True
            elif isinstance(cmd, SetInclineCommand):
                self.belt.command_incline(now_s, cmd.incline_pct)
            elif isinstance(cmd, StartBeltCommand):
                self.belt.start(now_s)
                self.running = True
            elif isinstance(cmd, StopBeltCommand):
                self.belt.stop(now_s)
                self.running = False
            self.engine.command_result(cmd, True, now_s)

    def measurement(self, now_s: float) -> TreadmillMeasurement:
        belt = self.belt
        moving = self.running or belt.speed_kmh > 0.0
        return TreadmillMeasurement(
            t_s=now_s,
            speed_kmh=round(belt.speed_kmh, 2),
            incline_pct=round(belt.incline_pct, 1),
            distance_m=round(belt.distance_m, 1),
            belt=BeltState.RUNNING if moving else BeltState.STOPPED,
        )


def drive_session(
    case: BenchCase,
    controller: Controller,
    protocol: BenchProtocol,
    *,
    steps: bool = False,
    config: EngineConfig | None = None,
) -> tuple[SessionEngine, list[Tick]]:
    """Run one whole session through the engine; returns the engine and its ticks.

    The session ends when the engine reaches a terminal state, or is stopped
    (:class:`StopSession`) ``_OVERRUN_S`` after its planned duration.
    """
    engine = make_engine(case, controller, protocol, steps=steps, config=config)
    link = _BeltLink(engine, case.new_belt() if case.new_belt is not None else LaggedBelt())
    patient = case.new_patient()
    patient.reset(0.0, 0.0)
    sensor = case.new_sensor()
    therapist = VirtualTherapist(protocol.ack_after_s, protocol.resume_after_s)
    deadline_s = engine.template.planned_duration_s + _OVERRUN_S
    now_s = 0.0
    link.send(engine.command(StartSession(), now_s), now_s)
    ticks: list[Tick] = []
    while not engine.state.is_terminal:
        now_s += 1.0
        link.belt.advance(now_s)
        engine.on_measurement(link.measurement(now_s))
        true_bpm = patient.step(1.0, link.belt.speed_kmh, link.belt.incline_pct)
        raw = sensor.read(now_s, true_bpm, link.belt.speed_kmh)
        if raw is not None:
            sample = HrSample(t_s=now_s, hr_bpm=raw, contact=SensorContact.CONTACT)
            engine.on_hr(sample, arrival_s=now_s)
        link.send(engine.tick(now_s), now_s)
        snap = engine.snapshot()
        if not engine.state.is_terminal:
            ops = therapist.act_on(snap, now_s)
            for op in ops:
                link.send(engine.command(op, now_s), now_s)
            if ops:
                snap = engine.snapshot()
        ticks.append((snap, true_bpm))
        if now_s >= deadline_s and not engine.state.is_terminal:
            link.send(engine.command(StopSession(), now_s), now_s)
    return engine, ticks


def trace_from_ticks(ticks: Sequence[Tick], protocol: BenchProtocol) -> SessionTrace:
    """The benchmark trace of a session's ticks (used by both benchmark paths).

    Keeps the exercising ticks (warm-up, main, cool-down; not paused): ``main`` marks
    main-phase ticks; the cool-down has no target. A tick counts as the controller's
    when no alarm is active and the controller is not suspended; ``supervisor_actions``
    counts ticks with an active alarm. ``forced_cooldown``: the main phase ended more
    than 5 s early.
    """
    from runningroom.bench.runner import SessionTrace

    exercising = (SessionState.WARMUP, SessionState.MAIN, SessionState.COOLDOWN)
    keep = [(s, hr) for s, hr in ticks if s.state in exercising]
    n = len(keep)
    main = np.array([s.state is SessionState.MAIN for s, _ in keep], dtype=bool)
    control = [s.state is not SessionState.COOLDOWN for s, _ in keep]
    return SessionTrace(
        t_s=np.arange(1, n + 1, dtype=float),
        main=main,
        hr_true_bpm=np.array([hr for _, hr in keep], dtype=float),
        hr_measured_bpm=np.array(
            [
                math.nan if s.hr_filtered_bpm is None or not c else s.hr_filtered_bpm
                for (s, _), c in zip(keep, control, strict=True)
            ],
            dtype=float,
        ),
        target_bpm=np.array(
            [s.target_bpm if c else math.nan for (s, _), c in zip(keep, control, strict=True)],
            dtype=float,
        ),
        speed_kmh=np.array([s.speed_cmd_kmh for s, _ in keep], dtype=float),
        incline_pct=np.array([s.incline_cmd_pct for s, _ in keep], dtype=float),
        forced_cooldown=int(main.sum()) < protocol.main_s - 5,
        supervisor_actions=sum(1 for s, _ in keep if s.active_alarms),
        by_controller=np.array(
            [
                c and not s.active_alarms and not s.controller_suspended
                for (s, _), c in zip(keep, control, strict=True)
            ],
            dtype=bool,
        ),
    )


def run_session(
    case: BenchCase,
    controller: Controller,
    protocol: BenchProtocol,
    *,
    steps: bool = False,
    config: EngineConfig | None = None,
) -> SessionTrace:
    """Simulate warm-up, main phase and cool-down of one patient with one controller.

    Args:
        case: the patient.
        controller: a fresh controller.
        protocol: timings.
        steps: run the square-wave variant.
        config: engine tunables (default :class:`EngineConfig`).

    Returns:
        The 1 Hz trace (see :func:`trace_from_ticks`).
    """
    _engine, ticks = drive_session(case, controller, protocol, steps=steps, config=config)
    return trace_from_ticks(ticks, protocol)
