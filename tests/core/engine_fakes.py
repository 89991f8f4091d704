"""Shared fakes for the engine, supervisor and station tests."""

from __future__ import annotations

import asyncio
import math
import random
from dataclasses import dataclass, field
from typing import Any

from runningroom.clock import Clock
from runningroom.control.base import ActuatorLimits, ControlInput, ControlOutput, PlantEstimate
from runningroom.devices import (
    DeviceEvent,
    HrSample,
    HrSource,
    SensorContact,
    Treadmill,
    TreadmillCapabilities,
    TreadmillMeasurement,
)
from runningroom.errors import DeviceError, RecordingError
from runningroom.model import (
    HrMaxSource,
    PatientProfile,
    PhaseKind,
    PhaseSpec,
    Prescription,
    SessionTemplate,
)
from runningroom.recording.model import EventRecord, SampleRecord
from runningroom.session.engine import EngineConfig, SessionEngine
from runningroom.session.model import (
    Intent,
    OperatorCommand,
    SetInclineCommand,
    SetSpeedCommand,
    StartBeltCommand,
    StartSession,
    StopBeltCommand,
    TreadmillCommand,
)

PRESCRIPTION = Prescription(
    hrmax_bpm=180.0,
    hrmax_source=HrMaxSource.TANAKA,
    age_years=40,
    zone_low_bpm=108.0,
    zone_high_bpm=126.0,
    target_bpm=117.0,
    ceiling_bpm=153.0,
    zone_source="60-70 % HRmax (test)",
    resting_hr_bpm=65,
)

PROFILE = PatientProfile(code="T-001", resting_hr_bpm=65)

TEMPLATE = SessionTemplate(
    name="standard",
    warmup=PhaseSpec(PhaseKind.WARMUP, 480.0, start_speed_kmh=2.5),
    main=PhaseSpec(PhaseKind.MAIN, 1800.0),
    cooldown=PhaseSpec(PhaseKind.COOLDOWN, 420.0, recovery_hr_pct_hrmax=55.0, end_speed_kmh=2.0),
)

CAPS = TreadmillCapabilities(
    min_speed_kmh=1.0,
    max_speed_kmh=12.0,
    speed_increment_kmh=0.1,
    min_incline_pct=0.0,
    max_incline_pct=10.0,
    incline_increment_pct=0.5,
)


class PiController:
    """A plain PI speed controller used to test the engine (not the product's)."""

    name = "test-pi"

    def __init__(self, kp: float = 0.05, ki: float = 0.0012) -> None:
        self.kp = kp
        self.ki = ki
        self.limits: ActuatorLimits | None = None
        self.base_kmh = 0.0
        self.incline_pct = 0.0
        self.integral = 0.0
        self.reseeds: list[tuple[float, float, float]] = []
        self.updates: list[ControlInput] = []
        self.resets = 0
        self.first_err: float | None = None

    def reset(
        self, now_s: float, speed_kmh: float, incline_pct: float, limits: ActuatorLimits
    ) -> None:
        self.limits = limits
        self.base_kmh = speed_kmh
        self.incline_pct = incline_pct
        self.integral = 0.0
        self.first_err = None
        self.resets += 1

    def reseed(self, now_s: float, speed_kmh: float, incline_pct: float) -> None:
        self.reseeds.append((now_s, speed_kmh, incline_pct))
        self.base_kmh = speed_kmh
        self.incline_pct = incline_pct
        self.integral = 0.0
        self.first_err = None

    def update(self, inp: ControlInput) -> ControlOutput:
        self.updates.append(inp)
        assert self.limits is not None
        if inp.hr_bpm is None:
            return ControlOutput(inp.speed_kmh, inp.incline_pct, Intent.HOLD)
        err = inp.target_bpm - inp.hr_bpm
        if self.first_err is None:
            self.first_err = err  # bumpless: the proportional part starts from zero
        want = self.base_kmh + self.kp * (err - self.first_err) + self.integral + self.ki * err
        step = self.limits.max_speed_step_kmh
        limited = min(max(want, inp.speed_kmh - step), inp.speed_kmh + step)
        limited = min(max(limited, self.limits.min_speed_kmh), self.limits.max_speed_kmh)
        if not inp.allow_increase:
            limited = min(limited, inp.speed_kmh)
        if limited == want:  # anti-windup: integrate only when not saturated
            self.integral += self.ki * err
        q = self.limits.speed_step_kmh
        out = round(round(limited / q) * q, 3)
        intent = (
            Intent.FASTER
            if out > inp.speed_kmh
            else Intent.SLOWER
            if out < inp.speed_kmh
            else Intent.HOLD
        )
        return ControlOutput(out, inp.incline_pct, intent)

    def plant_estimate(self) -> PlantEstimate | None:
        return PlantEstimate(gain_bpm_per_kmh=9.0)


class GreedyController(PiController):
    """Asks for absurd speeds: the engine must rate-limit and clamp."""

    name = "greedy"

    def update(self, inp: ControlInput) -> ControlOutput:
        self.updates.append(inp)
        return ControlOutput(99.0, 50.0, Intent.FASTER)


@dataclass
class MemorySink:
    """In-memory SessionSink; set ``fail`` to make every write raise."""

    samples: list[SampleRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    finished: tuple[str, dict[str, Any]] | None = None
    fail: bool = False

    def record_sample(self, sample: SampleRecord) -> None:
        if self.fail:
            raise RecordingError("disk full (test)")
        self.samples.append(sample)

    def record_event(self, event: EventRecord) -> None:
        if self.fail:
            raise RecordingError("disk full (test)")
        self.events.append(event)

    def finish(self, status: str, summary: dict[str, Any]) -> None:
        self.finished = (status, summary)

    def kinds(self, kind: str) -> list[EventRecord]:
        return [e for e in self.events if e.kind == kind]

    def states(self) -> list[tuple[str, str, str]]:
        return [(e.data["from"], e.data["to"], e.cause) for e in self.events if e.kind == "state"]


class FirstOrderPlant:
    """HR = rest + gain x speed (+ incline term), first-order lag with tau_s."""

    def __init__(
        self,
        rest_bpm: float = 60.0,
        gain_bpm_per_kmh: float = 9.0,
        gain_bpm_per_pct: float = 3.0,
        tau_s: float = 45.0,
        start_bpm: float = 70.0,
        noise_bpm: float = 1.0,
        seed: int = 1,
    ) -> None:
        self.rng = random.Random(seed)
        self.noise_bpm = noise_bpm
        self.rest_bpm = rest_bpm
        self.gain = gain_bpm_per_kmh
        self.gain_incline = gain_bpm_per_pct
        self.tau_s = tau_s
        self.hr_bpm = start_bpm

    def step(self, dt_s: float, speed_kmh: float, incline_pct: float) -> float:
        ss = self.rest_bpm + self.gain * speed_kmh + self.gain_incline * incline_pct
        self.hr_bpm += (ss - self.hr_bpm) * (1.0 - math.exp(-dt_s / self.tau_s))
        return self.hr_bpm + self.rng.gauss(0.0, self.noise_bpm)


class Rig:
    """Drives an engine against a fake belt (instant) and a plant in virtual time."""

    def __init__(
        self,
        *,
        controller: Any = None,
        template: SessionTemplate = TEMPLATE,
        profile: PatientProfile = PROFILE,
        caps: TreadmillCapabilities = CAPS,
        plant: FirstOrderPlant | None = None,
        config: EngineConfig | None = None,
        prescription: Prescription = PRESCRIPTION,
    ) -> None:
        self.sink = MemorySink()
        self.controller = controller or PiController()
        self.plant = plant or FirstOrderPlant()
        self.engine = SessionEngine(
            profile=profile,
            template=template,
            prescription=prescription,
            capabilities=caps,
            controller=self.controller,
            sink=self.sink,
            config=config,
        )
        self.now_s = 100.0
        self.belt_running = False
        self.speed_kmh = 0.0
        self.incline_pct = 0.0
        self.distance_m = 0.0
        self.sent: list[tuple[float, TreadmillCommand]] = []
        self.hr_override: Any = None  # callable(t, hr) -> int | None (None = no sample)
        self.contact = SensorContact.CONTACT
        self.fail_commands = False
        self.treadmill_hr: int | None = None
        self.follow_commands = True
        self.silent_treadmill = False

    def apply(self, cmds: list[TreadmillCommand]) -> None:
        for cmd in cmds:
            self.sent.append((self.now_s, cmd))
            ok = not self.fail_commands
            if ok and self.follow_commands:
                if isinstance(cmd, StartBeltCommand):
                    self.belt_running = True
                elif isinstance(cmd, StopBeltCommand):
                    self.belt_running = False
                    self.speed_kmh = 0.0
                elif isinstance(cmd, SetSpeedCommand):
                    self.speed_kmh = cmd.speed_kmh if self.belt_running else 0.0
                elif isinstance(cmd, SetInclineCommand):
                    self.incline_pct = cmd.incline_pct
            self.engine.command_result(cmd, ok, self.now_s, "" if ok else "timeout")

    def command(self, cmd: OperatorCommand) -> list[TreadmillCommand]:
        cmds = self.engine.command(cmd, self.now_s)
        self.apply(cmds)
        return cmds

    def event(self, ev: DeviceEvent) -> list[TreadmillCommand]:
        cmds = self.engine.on_device_event(ev)
        self.apply(cmds)
        return cmds

    def start(self) -> None:
        self.feed()
        self.command(StartSession())

    def feed(self) -> None:
        speed = self.speed_kmh if self.belt_running else 0.0
        hr_true = self.plant.step(1.0, speed, self.incline_pct)
        self.distance_m += speed / 3.6
        hr: int | None = round(hr_true)
        if self.hr_override is not None:
            hr = self.hr_override(self.now_s, hr)
        if hr is not None:
            self.engine.on_hr(
                HrSample(t_s=self.now_s, hr_bpm=hr, contact=self.contact), arrival_s=self.now_s
            )
        if self.silent_treadmill:
            return
        self.engine.on_measurement(
            TreadmillMeasurement(
                t_s=self.now_s,
                speed_kmh=speed,
                incline_pct=self.incline_pct,
                distance_m=self.distance_m,
                hr_bpm=self.treadmill_hr,
            )
        )

    def feed_measurement_only(self) -> None:
        """Emit one treadmill measurement of the current belt state (no HR)."""
        speed = self.speed_kmh if self.belt_running else 0.0
        self.distance_m += speed / 3.6
        self.engine.on_measurement(
            TreadmillMeasurement(
                t_s=self.now_s,
                speed_kmh=speed,
                incline_pct=self.incline_pct,
                distance_m=self.distance_m,
            )
        )

    def step(self, dt_s: float = 1.0) -> list[TreadmillCommand]:
        self.now_s += dt_s
        self.feed()
        cmds = self.engine.tick(self.now_s)
        self.apply(cmds)
        return cmds

    def run(self, seconds: float, dt_s: float = 1.0) -> None:
        for _ in range(round(seconds / dt_s)):
            self.step(dt_s)

    def run_until(self, predicate: Any, max_s: float = 4000.0) -> float:
        start = self.now_s
        while not predicate():
            if self.now_s - start > max_s:
                raise AssertionError("condition not reached")
            self.step()
        return self.now_s - start

    def speed_commands(self) -> list[float]:
        return [c.speed_kmh for _, c in self.sent if isinstance(c, SetSpeedCommand)]


# ---- async fake devices for the station tests ------------------------------------------


class FakeTreadmill(Treadmill):
    """Instant belt; records calls; can hang or fail on purpose."""

    def __init__(self, caps: TreadmillCapabilities = CAPS) -> None:
        super().__init__()
        self.caps = caps
        self.address = "fake:treadmill"
        self.running = False
        self.speed_kmh = 0.0
        self.incline_pct = 0.0
        self.distance_m = 0.0
        self.calls: list[tuple[str, float | None]] = []
        self.hang_set_speed = False
        self.fail_all = False
        self.connected = False

    async def connect(self) -> TreadmillCapabilities:
        self.connected = True
        return self.caps

    async def disconnect(self) -> None:
        self.connected = False
        self.calls.append(("disconnect", None))

    async def start(self) -> None:
        self.calls.append(("start", None))
        if self.fail_all:
            raise DeviceError("refused (test)")
        self.running = True

    async def stop(self) -> None:
        self.calls.append(("stop", None))
        self.running = False
        self.speed_kmh = 0.0

    async def set_speed(self, speed_kmh: float) -> None:
        self.calls.append(("speed", speed_kmh))
        if self.hang_set_speed:
            await asyncio.sleep(3600)
        if self.fail_all:
            raise DeviceError("refused (test)")
        if self.running:
            self.speed_kmh = speed_kmh

    async def set_incline(self, incline_pct: float) -> None:
        self.calls.append(("incline", incline_pct))
        if self.fail_all:
            raise DeviceError("refused (test)")
        self.incline_pct = incline_pct

    def emit(self, t_s: float, dt_s: float) -> None:
        self.distance_m += self.speed_kmh / 3.6 * dt_s
        self._emit_measurement(
            TreadmillMeasurement(
                t_s=t_s,
                speed_kmh=self.speed_kmh,
                incline_pct=self.incline_pct,
                distance_m=self.distance_m,
            )
        )

    def fire(self, ev: DeviceEvent) -> None:
        self._emit_event(ev)


class FakeStrap(HrSource):
    """Emits the HR of a FirstOrderPlant driven by a FakeTreadmill."""

    def __init__(self, treadmill: FakeTreadmill, plant: FirstOrderPlant | None = None) -> None:
        super().__init__()
        self.treadmill = treadmill
        self.plant = plant or FirstOrderPlant()
        self.fail_connect = False
        self.silent = False

    async def connect(self) -> None:
        if self.fail_connect:
            raise DeviceError("no strap (test)")

    async def disconnect(self) -> None:
        pass

    def emit(self, t_s: float, dt_s: float) -> None:
        hr = self.plant.step(dt_s, self.treadmill.speed_kmh, self.treadmill.incline_pct)
        if not self.silent:
            self._emit_sample(HrSample(t_s=t_s, hr_bpm=round(hr), contact=SensorContact.CONTACT))


async def drive_devices(
    clock: Clock, treadmill: FakeTreadmill, strap: FakeStrap, period_s: float = 1.0
) -> None:
    """Advance the fake devices every ``period_s`` clock seconds (until cancelled)."""
    rate = float(getattr(clock, "rate", 1.0))
    last = clock.monotonic_s()
    while True:
        await asyncio.sleep(period_s / rate)
        now = clock.monotonic_s()
        treadmill.emit(now, now - last)
        strap.emit(now, now - last)
        last = now
