"""Simulated devices: :class:`SimTreadmill` and :class:`SimHrStrap`, driven by a clock.

Both implement the async device ABCs of :mod:`runningroom.devices`. Nothing moves by
itself unless asked to: time advances only through :meth:`SimTreadmill.advance` and
:meth:`SimHrStrap.advance` (virtual-time runners call them with a
:class:`~runningroom.clock.ManualClock`), or through a real-time driver task
(``realtime=True`` starts one on ``connect``; :func:`run_realtime` drives several
devices in a fixed order). The driver sleeps ``period_s / clock.rate`` real seconds,
so with a :class:`~runningroom.clock.ScaledClock` a session runs ``rate`` times faster.

Advance the treadmill before the strap: the strap reads the belt's actual speed and
incline to step the patient.

Injections for tests and demos (all take effect at the clock's current time):
:meth:`SimTreadmill.console_set_speed`, :meth:`~SimTreadmill.console_set_incline`,
:meth:`~SimTreadmill.console_stop`, :meth:`~SimTreadmill.console_start`,
:meth:`~SimTreadmill.pull_safety_key` / :meth:`~SimTreadmill.insert_safety_key`,
:meth:`~SimTreadmill.set_not_responding`, :meth:`~SimTreadmill.drop_link` /
:meth:`~SimTreadmill.restore_link`, :meth:`SimTreadmill.schedule` (run any of these at a
future time); :meth:`SimHrStrap.drop_link`, :meth:`SimHrStrap.restore_link`,
:meth:`SimHrStrap.inject_values`, :attr:`SimHrStrap.faults_enabled`,
:meth:`SimHrStrap.schedule`.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import random
from collections.abc import Callable, Sequence
from typing import Protocol

from drivers.sim.patient import PatientModel, PatientParams, SimulatedPatient
from drivers.sim.sensor import FaultConfig, FaultPlan, HrSensor, SensorKind
from drivers.sim.treadmill import SIM_CAPABILITIES, BeltConfig, BeltPhysics
from drivers.tasks import cancel_and_wait
from runningroom.clock import Clock
from runningroom.devices import (
    BeltState,
    DeviceEvent,
    DeviceEventKind,
    DeviceRole,
    HrSample,
    HrSource,
    HrSourceKind,
    SensorContact,
    Treadmill,
    TreadmillCapabilities,
    TreadmillMeasurement,
)
from runningroom.errors import ControlNotPermittedError, DeviceError, DeviceTimeoutError

logger = logging.getLogger(__name__)

#: Default real-time driver period.
REALTIME_PERIOD_S = 0.25
#: Sensor faults of a :class:`SimHrStrap` unless told otherwise (the reference rates).
DEFAULT_FAULTS = FaultConfig()


class Advanceable(Protocol):
    """Anything stepped in time by :func:`run_realtime`."""

    def advance(self, now_s: float) -> None:
        """Bring the simulation up to ``now_s``."""
        ...


async def run_realtime(
    devices: Sequence[Advanceable], clock: Clock, period_s: float = REALTIME_PERIOD_S
) -> None:
    """Advance ``devices`` (in order) to the clock's time every ``period_s`` virtual seconds.

    Runs until cancelled. Real sleeps are ``period_s / rate`` for clocks with a ``rate``
    attribute (:class:`~runningroom.clock.ScaledClock`).
    """
    rate = float(getattr(clock, "rate", 1.0))
    while True:
        now_s = clock.monotonic_s()
        for device in devices:
            try:
                device.advance(now_s)
            except Exception:
                logger.exception("simulated device failed to advance")
        await asyncio.sleep(period_s / rate)


class _Scheduler:
    """Callbacks to run at future virtual times."""

    def __init__(self) -> None:
        self._queue: list[tuple[float, int, Callable[[], None]]] = []
        self._seq = itertools.count()

    def add(self, at_s: float, action: Callable[[], None]) -> None:
        heapq.heappush(self._queue, (at_s, next(self._seq), action))

    def due(self, now_s: float) -> list[Callable[[], None]]:
        out: list[Callable[[], None]] = []
        while self._queue and self._queue[0][0] <= now_s:
            out.append(heapq.heappop(self._queue)[2])
        return out


class _RealtimeDriver:
    """Owns the optional real-time task of one device."""

    def __init__(self) -> None:
        self.task: asyncio.Task[None] | None = None

    def start(self, device: Advanceable, clock: Clock, period_s: float) -> None:
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(
                run_realtime([device], clock, period_s), name="sim-device-driver"
            )

    async def stop(self) -> None:
        task, self.task = self.task, None
        await cancel_and_wait(task)


class SimTreadmill(Treadmill):
    """A simulated treadmill with belt physics (:mod:`drivers.sim.treadmill`).

    Commands need a connection; ``stop`` works in any state. A speed command to a
    stopped belt starts it (``auto_start``). Measurements are emitted every
    ``measurement_period_s`` from :meth:`advance` while connected.

    Args:
        clock: time source.
        capabilities: ranges and increments (default :data:`SIM_CAPABILITIES`).
        latency_s: command latency.
        accel_kmh_per_s: acceleration limit.
        decel_kmh_per_s: deceleration limit.
        incline_rate_pct_per_s: incline motor speed.
        measurement_period_s: interval between measurements.
        auto_start: a speed command starts a stopped belt.
        realtime: start a real-time driver task on ``connect`` (demo).
        realtime_period_s: period of that task.
        address: address string shown in logs and recordings.
        relay_hr_sigma_bpm: when ``capabilities.reports_hr``, the treadmill relays the
            true HR of the patient on it (a :class:`SimHrStrap` attached to it) with this
            extra error, like hand grips or the console's own receiver.
        seed: seed of the relayed-HR error.
    """

    def __init__(
        self,
        clock: Clock,
        capabilities: TreadmillCapabilities | None = None,
        *,
        latency_s: float = 1.0,
        accel_kmh_per_s: float = 0.3,
        decel_kmh_per_s: float = 0.5,
        incline_rate_pct_per_s: float = 0.2,
        measurement_period_s: float = 1.0,
        auto_start: bool = True,
        realtime: bool = False,
        realtime_period_s: float = REALTIME_PERIOD_S,
        address: str = "sim:treadmill",
        relay_hr_sigma_bpm: float = 3.0,
        seed: int = 0,
    ) -> None:
        super().__init__()
        self.clock = clock
        self.address = address
        self.capabilities = capabilities or SIM_CAPABILITIES
        self.relay_hr_sigma_bpm = relay_hr_sigma_bpm
        #: Source of the true HR relayed when ``capabilities.reports_hr`` (set by the strap).
        self.hr_truth: Callable[[], float] | None = None
        self._relay_rng = random.Random(seed)
        self.physics = BeltPhysics(
            BeltConfig(
                capabilities=self.capabilities,
                latency_s=latency_s,
                accel_kmh_per_s=accel_kmh_per_s,
                decel_kmh_per_s=decel_kmh_per_s,
                incline_rate_pct_per_s=incline_rate_pct_per_s,
            ),
            now_s=clock.monotonic_s(),
        )
        self.measurement_period_s = measurement_period_s
        self.auto_start = auto_start
        self.realtime = realtime
        self.realtime_period_s = realtime_period_s
        self.connected = False
        self.safety_key_in = True
        self.responding = True
        self.link_up = True
        #: Every accepted command: (t_s, kind, value).
        self.command_log: list[tuple[float, str, float | None]] = []
        self._next_measurement_s: float | None = None
        self._scheduler = _Scheduler()
        self._driver = _RealtimeDriver()

    # -- state ---------------------------------------------------------------------------

    @property
    def belt_speed_kmh(self) -> float:
        """Actual belt speed."""
        return self.physics.speed_kmh

    @property
    def belt_incline_pct(self) -> float:
        """Actual incline."""
        return self.physics.incline_pct

    @property
    def distance_m(self) -> float:
        """Distance since creation."""
        return self.physics.distance_m

    @property
    def belt_state(self) -> BeltState:
        """Running while commanded to run or still moving, else stopped."""
        return BeltState.STOPPED if self.physics.stopped else BeltState.RUNNING

    # -- ABC -----------------------------------------------------------------------------

    async def connect(self) -> TreadmillCapabilities:
        """Connect (always succeeds unless the link is dropped) and report capabilities."""
        if not self.link_up:
            raise DeviceTimeoutError(f"{self.address}: no answer (link down)")
        self.connected = True
        now_s = self.clock.monotonic_s()
        self.physics.advance(now_s)
        self._next_measurement_s = now_s
        self._event(DeviceEventKind.CONNECTED, "simulated treadmill connected")
        if self.capabilities.can_control_speed:
            self._event(DeviceEventKind.CONTROL_GRANTED, "control granted")
        if self.realtime:
            self._driver.start(self, self.clock, self.realtime_period_s)
        return self.capabilities

    async def disconnect(self) -> None:
        """Stop the driver task (if any) and disconnect; the belt keeps its state."""
        await self._driver.stop()
        if self.connected:
            self.connected = False
            self._event(DeviceEventKind.DISCONNECTED, "simulated treadmill disconnected")

    async def start(self) -> None:
        """Start the belt at the minimum speed (after the latency)."""
        self._check_command("start")
        self.physics.start(self.clock.monotonic_s())
        self._log("start", None)

    async def stop(self) -> None:
        """Stop the belt; works in any state (the sim's stop line never fails)."""
        now_s = self.clock.monotonic_s()
        self.physics.advance(now_s)
        self.physics.stop(now_s)
        self._log("stop", None)

    async def set_speed(self, speed_kmh: float) -> None:
        """Command a belt speed (starts a stopped belt when ``auto_start``)."""
        self._check_command("set_speed")
        if not self.capabilities.can_control_speed:
            raise ControlNotPermittedError(f"{self.address}: speed control not permitted")
        if self.physics.stopped and not self.auto_start:
            raise DeviceError(f"{self.address}: belt is stopped; start it first")
        value = self.physics.command_speed(self.clock.monotonic_s(), speed_kmh)
        self._log("speed", value)

    async def set_incline(self, incline_pct: float) -> None:
        """Command an incline."""
        self._check_command("set_incline")
        if not self.capabilities.can_control_incline:
            raise ControlNotPermittedError(f"{self.address}: incline control not permitted")
        value = self.physics.command_incline(self.clock.monotonic_s(), incline_pct)
        self._log("incline", value)

    def _check_command(self, what: str) -> None:
        if not self.connected or not self.link_up:
            raise DeviceError(f"{self.address}: not connected ({what})")
        if not self.responding:
            raise DeviceTimeoutError(f"{self.address}: no answer to {what}")
        if not self.safety_key_in:
            raise DeviceError(f"{self.address}: safety key removed ({what} refused)")

    def _log(self, kind: str, value: float | None) -> None:
        self.command_log.append((self.clock.monotonic_s(), kind, value))

    def _event(self, kind: DeviceEventKind, message: str, value: float | None = None) -> None:
        self._emit_event(
            DeviceEvent(self.clock.monotonic_s(), DeviceRole.TREADMILL, kind, message, value)
        )

    # -- time ----------------------------------------------------------------------------

    def advance(self, now_s: float) -> None:
        """Run scheduled injections, integrate the belt, emit due measurements."""
        for action in self._scheduler.due(now_s):
            action()
        self.physics.advance(now_s)
        if not (self.connected and self.link_up and self.responding):
            return
        if self._next_measurement_s is None:
            self._next_measurement_s = now_s
        if now_s + 1e-9 >= self._next_measurement_s:
            self._emit_measurement(
                TreadmillMeasurement(
                    t_s=now_s,
                    speed_kmh=round(self.physics.speed_kmh, 2),
                    incline_pct=round(self.physics.incline_pct, 1),
                    distance_m=round(self.physics.distance_m, 1),
                    hr_bpm=self._relayed_hr_bpm(),
                    belt=self.belt_state,
                )
            )
            while self._next_measurement_s <= now_s + 1e-9:
                self._next_measurement_s += self.measurement_period_s

    def _relayed_hr_bpm(self) -> int | None:
        if not self.capabilities.reports_hr or self.hr_truth is None:
            return None
        true_bpm = self.hr_truth()
        if true_bpm != true_bpm:  # NaN: no patient yet
            return None
        return max(round(true_bpm + self._relay_rng.gauss(0.0, self.relay_hr_sigma_bpm)), 0)

    def schedule(self, at_s: float, action: Callable[[], None]) -> None:
        """Run ``action`` (e.g. ``lambda: tm.pull_safety_key()``) when time reaches ``at_s``."""
        self._scheduler.add(at_s, action)

    # -- injections ----------------------------------------------------------------------

    def console_set_speed(self, speed_kmh: float) -> None:
        """Someone pressed speed keys on the console: immediate, reported as an event."""
        now_s = self.clock.monotonic_s()
        self.physics.advance(now_s)
        value = self.physics.command_speed(now_s, speed_kmh, immediate=True)
        self._event(DeviceEventKind.CONSOLE_SPEED_CHANGED, f"console speed {value} km/h", value)

    def console_set_incline(self, incline_pct: float) -> None:
        """Someone pressed incline keys on the console."""
        now_s = self.clock.monotonic_s()
        self.physics.advance(now_s)
        value = self.physics.command_incline(now_s, incline_pct, immediate=True)
        self._event(DeviceEventKind.CONSOLE_INCLINE_CHANGED, f"console incline {value} %", value)

    def console_stop(self) -> None:
        """Someone pressed STOP on the console."""
        now_s = self.clock.monotonic_s()
        self.physics.advance(now_s)
        self.physics.stop(now_s - self.physics.config.latency_s)
        self._event(DeviceEventKind.STOPPED_BY_USER, "stopped on the console")

    def console_start(self) -> None:
        """Someone pressed START on the console."""
        now_s = self.clock.monotonic_s()
        self.physics.advance(now_s)
        self.physics.start(now_s, immediate=True)
        self._event(DeviceEventKind.STARTED_BY_USER, "started on the console")

    def pull_safety_key(self) -> None:
        """The patient pulled the safety key: emergency stop, commands refused."""
        self.safety_key_in = False
        self.physics.stop(self.clock.monotonic_s(), emergency=True)
        self._event(DeviceEventKind.SAFETY_KEY, "safety key pulled: belt stopped")

    def insert_safety_key(self) -> None:
        """The safety key is back; the belt stays stopped until started."""
        self.safety_key_in = True
        self._event(DeviceEventKind.SAFETY_KEY, "safety key inserted", 1.0)

    def set_not_responding(self, not_responding: bool = True) -> None:
        """Freeze the controller board: no measurements, commands time out."""
        self.responding = not not_responding

    def drop_link(self) -> None:
        """Lose the connection (reported); commands fail until :meth:`restore_link`."""
        self.link_up = False
        if self.connected:
            self._event(DeviceEventKind.DISCONNECTED, "simulated treadmill link lost")

    def restore_link(self) -> None:
        """The connection comes back."""
        self.link_up = True
        if self.connected:
            self._event(DeviceEventKind.RECONNECTED, "simulated treadmill link restored")


class SimHrStrap(HrSource):
    """A simulated HR sensor worn by a simulated (or plug-in) patient.

    The patient is stepped every ``step_s`` with the treadmill's actual belt speed and
    incline; a sample (integer bpm through :class:`~drivers.sim.sensor.HrSensor`) is
    emitted every ``sample_period_s`` while connected. Fault times count from the
    creation of the strap (the session start in virtual-time runs).

    Args:
        clock: time source.
        patient: the patient model (default: a typical :class:`SimulatedPatient`).
        treadmill: the belt the patient walks on (None: standing still).
        sensor: chest or optical (default: ``patient.params.sensor`` when available).
        faults: fault plan or configuration (default: the reference fault rates;
            None or ``FaultConfig.none()``: no faults).
        seed: seed of the sensor's measurement error and drawn faults.
        step_s: patient integration step.
        sample_period_s: interval between samples.
        rr_intervals: report RR intervals (chest straps only).
        realtime: start a real-time driver task on ``connect`` (demo).
        realtime_period_s: period of that task.
        address: address string shown in logs and recordings.
    """

    def __init__(
        self,
        clock: Clock,
        patient: PatientModel | None = None,
        treadmill: SimTreadmill | None = None,
        *,
        sensor: SensorKind | None = None,
        faults: FaultPlan | FaultConfig | None = DEFAULT_FAULTS,
        seed: int = 0,
        step_s: float = 1.0,
        sample_period_s: float = 1.0,
        rr_intervals: bool = True,
        realtime: bool = False,
        realtime_period_s: float = REALTIME_PERIOD_S,
        address: str = "sim:hr",
    ) -> None:
        super().__init__()
        self.clock = clock
        self.patient: PatientModel = patient or SimulatedPatient(PatientParams(seed=seed))
        self.treadmill = treadmill
        if sensor is None:
            params = getattr(self.patient, "params", None)
            sensor = params.sensor if isinstance(params, PatientParams) else SensorKind.CHEST
        self.sensor = HrSensor(sensor, seed=seed, faults=faults)
        self.kind = (
            HrSourceKind.OPTICAL if sensor is SensorKind.OPTICAL else (HrSourceKind.CHEST_STRAP)
        )
        self.address = address
        self.step_s = step_s
        self.sample_period_s = sample_period_s
        self.rr_intervals = rr_intervals and sensor is SensorKind.CHEST
        self.realtime = realtime
        self.realtime_period_s = realtime_period_s
        self.connected = False
        self.link_up = True
        self._origin_s = clock.monotonic_s()
        self._patient_t_s = self._origin_s
        self._next_sample_s = self._origin_s + sample_period_s
        self._true_hr_bpm = float("nan")
        self._beats = 0.0
        self._injected: list[int] = []
        self._scheduler = _Scheduler()
        self._driver = _RealtimeDriver()
        if treadmill is not None:
            self.attach_treadmill(treadmill)
        self.patient.reset(*self._load())

    @property
    def true_hr_bpm(self) -> float:
        """The patient's true HR at the last step (NaN before the first step)."""
        return self._true_hr_bpm

    @property
    def faults_enabled(self) -> bool:
        """Whether the planned sensor faults are applied (switchable at run time)."""
        return self.sensor.faults_enabled

    @faults_enabled.setter
    def faults_enabled(self, enabled: bool) -> None:
        self.sensor.faults_enabled = enabled

    def attach_treadmill(self, treadmill: SimTreadmill) -> None:
        """Put the patient on ``treadmill`` (for late pairing, e.g. address resolution)."""
        self.treadmill = treadmill
        treadmill.hr_truth = lambda: self._true_hr_bpm

    def _load(self) -> tuple[float, float]:
        if self.treadmill is None:
            return 0.0, 0.0
        return self.treadmill.belt_speed_kmh, self.treadmill.belt_incline_pct

    # -- ABC -----------------------------------------------------------------------------

    async def connect(self) -> None:
        """Connect and start notifications."""
        if not self.link_up:
            raise DeviceTimeoutError(f"{self.address}: no answer (link down)")
        self.connected = True
        self._emit_event(
            DeviceEvent(
                self.clock.monotonic_s(),
                DeviceRole.HR,
                DeviceEventKind.CONNECTED,
                f"simulated {self.sensor.kind} sensor connected",
            )
        )
        if self.realtime:
            self._driver.start(self, self.clock, self.realtime_period_s)

    async def disconnect(self) -> None:
        """Stop notifications (and the driver task)."""
        await self._driver.stop()
        if self.connected:
            self.connected = False
            self._emit_event(
                DeviceEvent(
                    self.clock.monotonic_s(),
                    DeviceRole.HR,
                    DeviceEventKind.DISCONNECTED,
                    "simulated HR sensor disconnected",
                )
            )

    # -- time ----------------------------------------------------------------------------

    def advance(self, now_s: float) -> None:
        """Step the patient up to ``now_s`` and emit the samples that fell due."""
        for action in self._scheduler.due(now_s):
            action()
        while self._patient_t_s + self.step_s <= now_s + 1e-9:
            self._patient_t_s += self.step_s
            self._true_hr_bpm = self.patient.step(self.step_s, *self._load())
            self._beats += self._true_hr_bpm / 60.0 * self.step_s
            while self._next_sample_s <= self._patient_t_s + 1e-9:
                self._sample(self._next_sample_s)
                self._next_sample_s += self.sample_period_s

    def _sample(self, t_s: float) -> None:
        speed_kmh = self._load()[0]
        value = self.sensor.read(t_s - self._origin_s, self._true_hr_bpm, speed_kmh)
        if self._injected:
            value = self._injected.pop(0)
        beats = int(self._beats)
        self._beats -= beats
        if value is None or not (self.connected and self.link_up):
            return
        rr: tuple[float, ...] = ()
        if self.rr_intervals and value > 0:
            rr = tuple(round(60000.0 / self._true_hr_bpm, 1) for _ in range(beats))
        self._emit_sample(
            HrSample(
                t_s=t_s,
                hr_bpm=value,
                rr_ms=rr,
                contact=SensorContact.CONTACT,
                source=self.kind,
            )
        )

    def schedule(self, at_s: float, action: Callable[[], None]) -> None:
        """Run ``action`` when time reaches ``at_s``."""
        self._scheduler.add(at_s, action)

    # -- injections ----------------------------------------------------------------------

    def inject_values(self, values_bpm: Sequence[int]) -> None:
        """Report these values (one per sample) instead of the measured ones."""
        self._injected.extend(values_bpm)

    def drop_link(self) -> None:
        """Lose the strap (no samples) until :meth:`restore_link`; reported."""
        self.link_up = False
        if self.connected:
            self._emit_event(
                DeviceEvent(
                    self.clock.monotonic_s(),
                    DeviceRole.HR,
                    DeviceEventKind.DISCONNECTED,
                    "simulated HR sensor link lost",
                )
            )

    def restore_link(self) -> None:
        """The strap comes back."""
        self.link_up = True
        if self.connected:
            self._emit_event(
                DeviceEvent(
                    self.clock.monotonic_s(),
                    DeviceRole.HR,
                    DeviceEventKind.RECONNECTED,
                    "simulated HR sensor link restored",
                )
            )


def make_sim_pair(
    clock: Clock,
    params: PatientParams | None = None,
    *,
    patient: PatientModel | None = None,
    seed: int = 0,
    faults: bool | FaultConfig | FaultPlan = False,
    realtime: bool = False,
    capabilities: TreadmillCapabilities | None = None,
) -> tuple[SimTreadmill, SimHrStrap]:
    """A simulated treadmill and a strap worn by a patient walking on it.

    Args:
        clock: time source for both.
        params: patient parameters (default: typical patient with ``seed``).
        patient: a plug-in model instead of :class:`SimulatedPatient` (wins over params).
        seed: seed for the default patient and the sensor.
        faults: True for the default fault configuration, or a config/plan.
        realtime: both devices start real-time driver tasks on connect.
        capabilities: treadmill capabilities (default :data:`SIM_CAPABILITIES`).
    """
    treadmill = SimTreadmill(clock, capabilities, realtime=realtime)
    if patient is None:
        patient = SimulatedPatient(params or PatientParams(seed=seed))
    fault_spec: FaultPlan | FaultConfig | None = (
        (FaultConfig() if faults else None) if isinstance(faults, bool) else faults
    )
    strap = SimHrStrap(clock, patient, treadmill, faults=fault_spec, seed=seed, realtime=realtime)
    return treadmill, strap
