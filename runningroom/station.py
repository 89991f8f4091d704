"""The asyncio runtime of one station: treadmill + HR source + patient + engine.

A :class:`Station` owns the devices' callbacks, a :class:`SessionEngine`, the
session's recorder and a command sender. Everything runs on one asyncio loop (the
UI's worker loop, the CLI's loop or a test's loop); nothing here is thread-safe, so
other threads use ``loop.call_soon_threadsafe(station.submit, cmd)``.

Life cycle::

    station = Station(...)
    result = await station.connect()     # connect both devices, preflight, build the engine
    station.submit(StartSession())       # optional: run() starts the session if needed
    summary = await station.run()        # ticks until a terminal state; belt stopped at the end
    await station.shutdown()             # stop belt, finish recording, disconnect

Guarantees:
  * treadmill commands are sent one at a time, each with a timeout, and every outcome
    is reported to the engine (:meth:`SessionEngine.command_result`); a belt stop
    jumps the queue (queued commands before it are dropped and a command still in
    flight is abandoned, so a hanging speed command cannot delay a stop);
  * :meth:`run` always leaves the belt stopped, including when it is cancelled
    (``CancelledError``, e.g. Ctrl-C): the session then ends as ``stopped``, the
    recording is finished with the summary, and the cancellation propagates;
  * monitor-only treadmills run in advisory mode (the snapshot carries the advised
    speed; no speed commands are sent).

Virtual-time runners call :meth:`step` themselves instead of :meth:`run`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from runningroom.clock import Clock
from runningroom.control.base import Controller
from runningroom.devices import (
    DeviceEvent,
    HrSample,
    HrSource,
    Treadmill,
    TreadmillCapabilities,
    TreadmillMeasurement,
)
from runningroom.errors import DeviceError, RecordingError
from runningroom.model import PatientProfile, Prescription, SessionTemplate
from runningroom.recording.model import EventRecord, SampleRecord
from runningroom.session.engine import EngineConfig, SessionEngine
from runningroom.session.model import (
    Cause,
    EmergencyStop,
    HrQuality,
    OperatorCommand,
    SessionSnapshot,
    SessionState,
    SetInclineCommand,
    SetSpeedCommand,
    StartBeltCommand,
    StartSession,
    StopBeltCommand,
    TreadmillCommand,
)
from runningroom.session.summary import SessionSummary

if TYPE_CHECKING:
    from runningroom.recording.recorder import SessionDatabase, SessionRecorder

logger = logging.getLogger(__name__)

SnapshotListener = Callable[[SessionSnapshot], None]
RecordListener = Callable[[EventRecord], None]


@dataclass(frozen=True, slots=True)
class PreflightResult:
    """Outcome of :meth:`Station.connect`.

    Attributes:
        capabilities: what the treadmill reported.
        advisory_mode: the treadmill is monitor-only; the session gives speed advice.
        hr_connected: the HR source connected (the session waits for a trusted HR in
            preflight either way).
        messages: human-readable findings (English) for the operator.
    """

    capabilities: TreadmillCapabilities
    advisory_mode: bool
    hr_connected: bool
    messages: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the session can start with full control."""
        return self.hr_connected and not self.advisory_mode


class _StationSink:
    """The engine's sink: forwards to the recorder (if any) and to event listeners."""

    def __init__(self) -> None:
        self.recorder: SessionRecorder | None = None
        self.event_listeners: list[RecordListener] = []
        self.closed = False  # set once the station has finished (or tried to) the recording

    def _open_recorder(self) -> SessionRecorder | None:
        """The recorder while the session is being recorded (None once finished).

        Device events after the end (e.g. the disconnects at shutdown) belong to no
        session; they still reach the listeners but are not sent to a finished recording.
        """
        recorder = self.recorder
        if recorder is None or self.closed or recorder.finished:
            return None
        return recorder

    def record_sample(self, sample: SampleRecord) -> None:
        recorder = self._open_recorder()
        if recorder is not None:
            recorder.record_sample(sample)

    def record_event(self, event: EventRecord) -> None:
        for listener in list(self.event_listeners):
            try:
                listener(event)
            except Exception:
                logger.exception("event listener failed")
        recorder = self._open_recorder()
        if recorder is not None:
            recorder.record_event(event)
        elif self.recorder is not None:
            logger.debug("event after the recording ended (not recorded): %s", event.message)

    def finish(self, status: str, summary: dict[str, Any]) -> None:
        if self.recorder is not None:
            self.recorder.finish(status, summary)


class Station:
    """One treadmill, one HR source, one patient, one session at a time.

    Args:
        name: station label (stored with the recording).
        treadmill: the treadmill (not yet connected).
        hr_source: the HR source (not yet connected).
        profile: the patient.
        template: the session plan.
        database: where to record (None: nothing is stored).
        clock: time source; :class:`~runningroom.clock.ScaledClock` makes :meth:`run`
            sleep ``control_period_s / clock.rate`` between ticks.
        controller_factory: builds the controller; default
            ``make_controller("model", <carried-over plant>)``.
        control_period_s: tick period in clock seconds.
        prescription: the prescription (default: computed for the clock's date).
        engine_config: engine tunables.
        command_timeout_s: real-time limit for one treadmill command.
        supervised: stored with the recording.
        devices: role -> address/description stored with the recording.
        step_on_hr: in :meth:`run`, tick right after an HR sample arrives (at most one
            tick per 3/4 period) instead of on a free-running timer, so a new HR reaches
            the treadmill within milliseconds; without HR the ticks fall back to the period.
    """

    def __init__(
        self,
        *,
        name: str,
        treadmill: Treadmill,
        hr_source: HrSource,
        profile: PatientProfile,
        template: SessionTemplate,
        database: SessionDatabase | None,
        clock: Clock,
        controller_factory: Callable[[], Controller] | None = None,
        control_period_s: float = 1.0,
        prescription: Prescription | None = None,
        engine_config: EngineConfig | None = None,
        command_timeout_s: float = 5.0,
        supervised: bool = True,
        devices: dict[str, str] | None = None,
        step_on_hr: bool = True,
    ) -> None:
        if control_period_s <= 0:
            raise ValueError("control_period_s must be > 0")
        self.name = name
        self.treadmill = treadmill
        self.hr_source = hr_source
        self.profile = profile
        self.template = template
        self.database = database
        self.clock = clock
        self.controller_factory = controller_factory
        self.control_period_s = control_period_s
        self.prescription = prescription
        self.engine_config = engine_config
        self.command_timeout_s = command_timeout_s
        self.supervised = supervised
        self.devices = dict(devices or {})
        self.engine: SessionEngine | None = None
        self.session_id: int | None = None
        self.summary: SessionSummary | None = None
        self.preflight: PreflightResult | None = None
        self._sink = _StationSink()
        self._snapshot_listeners: list[SnapshotListener] = []
        self._queue: deque[TreadmillCommand] = deque()
        self._early: list[OperatorCommand] = []
        self._send_lock = asyncio.Lock()
        self._sender: asyncio.Task[None] | None = None
        self._aux_tasks: set[asyncio.Task[Any]] = set()
        self._finished = False
        self._connected = False
        self.step_on_hr = step_on_hr
        self._wake = asyncio.Event()
        self._hr_pending = False
        self._last_hr_s: float | None = None
        self._last_step_s: float | None = None
        treadmill.add_measurement_listener(self._on_measurement)
        treadmill.add_event_listener(self._on_device_event)
        hr_source.add_sample_listener(self._on_hr)
        hr_source.add_event_listener(self._on_device_event)

    # ------------------------------------------------------------------ listeners

    def add_snapshot_listener(self, cb: SnapshotListener) -> None:
        """Call ``cb`` with a fresh snapshot after every tick and operator command."""
        self._snapshot_listeners.append(cb)

    def add_event_listener(self, cb: RecordListener) -> None:
        """Call ``cb`` for every event the engine records (on the loop thread)."""
        self._sink.event_listeners.append(cb)

    def snapshot(self) -> SessionSnapshot | None:
        """The engine's current snapshot (None before :meth:`connect`)."""
        return self.engine.snapshot() if self.engine is not None else None

    def hr_quality_now(self) -> HrQuality | None:
        """The HR gate's verdict on the HR in use now (None before :meth:`connect`)."""
        if self.engine is None:
            return None
        return self.engine.hr_quality_now(self.clock.monotonic_s())

    def _notify(self) -> None:
        if self.engine is None or not self._snapshot_listeners:
            return
        snap = self.engine.snapshot()
        for cb in list(self._snapshot_listeners):
            try:
                cb(snap)
            except Exception:
                logger.exception("snapshot listener failed")

    # ------------------------------------------------------------------ device callbacks

    def _on_hr(self, sample: HrSample) -> None:
        if self.engine is not None:
            self._last_hr_s = self.clock.monotonic_s()
            self.engine.on_hr(sample, arrival_s=self._last_hr_s)
            self._hr_pending = True
            if self.step_on_hr:
                self._wake.set()

    def _on_measurement(self, m: TreadmillMeasurement) -> None:
        if self.engine is not None:
            self.engine.on_measurement(m)

    def _on_device_event(self, ev: DeviceEvent) -> None:
        if self.engine is not None:
            self._enqueue(self.engine.on_device_event(ev))

    # ------------------------------------------------------------------ connect

    async def connect(self) -> PreflightResult:
        """Connect both devices, run the preflight and build the engine.

        Raises:
            DeviceError: the treadmill could not be connected (the HR source failing
                is reported in the result instead: the session waits for HR).
            RuntimeError: a session was already started on this station.
        """
        if self.engine is not None and self.engine.state is not SessionState.IDLE:
            raise RuntimeError("Station.connect() while a session exists; use a new Station")
        messages: list[str] = []
        caps = await self.treadmill.connect()
        self._connected = True
        advisory = caps.monitor_only
        if advisory:
            messages.append(
                "treadmill accepts no speed commands (monitor only): advisory mode, "
                "set the advised speed by hand"
            )
        hr_ok = True
        try:
            await self.hr_source.connect()
        except DeviceError as exc:
            hr_ok = False
            messages.append(f"HR source not connected: {exc}")
            logger.warning("HR source connect failed: %s", exc)
        prescription = self.prescription
        if prescription is None:
            from runningroom.prescription import compute_prescription

            prescription = compute_prescription(self.profile, self.clock.wall().date())
            self.prescription = prescription
        plant = None
        if self.database is not None:
            try:
                plant = self.database.load_plant_estimate(self.profile.code)
            except RecordingError as exc:
                logger.warning("cannot load the plant estimate: %s", exc)
        if self.controller_factory is not None:
            controller = self.controller_factory()
        else:
            from runningroom.control import make_controller

            controller = make_controller("model", plant)
        self.engine = SessionEngine(
            profile=self.profile,
            template=self.template,
            prescription=prescription,
            capabilities=caps,
            controller=controller,
            sink=self._sink,
            plant_estimate=plant,
            config=self.engine_config,
        )
        self.preflight = PreflightResult(
            capabilities=caps, advisory_mode=advisory, hr_connected=hr_ok, messages=tuple(messages)
        )
        logger.info("station %s connected: %s", self.name, self.preflight)
        early, self._early = self._early, []
        for cmd in early:
            self._apply(cmd)
        self._notify()
        return self.preflight

    # ------------------------------------------------------------------ commands

    def submit(self, cmd: OperatorCommand) -> None:
        """Apply an operator command now (call on the station's loop thread).

        Before :meth:`connect` the command is kept and applied after it, except an
        emergency stop, which stops the belt directly.
        """
        if self.engine is None:
            if isinstance(cmd, EmergencyStop):
                self._spawn(self._direct_stop())
            else:
                self._early.append(cmd)
            return
        self._apply(cmd)

    def _apply(self, cmd: OperatorCommand) -> None:
        engine = self.engine
        assert engine is not None
        if isinstance(cmd, StartSession) and engine.state is SessionState.IDLE:
            self._start_recording()
        self._enqueue(engine.command(cmd, self.clock.monotonic_s()))
        if engine.state.is_terminal:
            self._wake.set()  # let run() finish now
        self._notify()

    def _start_recording(self) -> None:
        if self.database is None or self._sink.recorder is not None:
            return
        assert self.prescription is not None
        devices = {
            "treadmill": self.treadmill.address or type(self.treadmill).__name__,
            "hr": self.hr_source.address or type(self.hr_source).__name__,
            **self.devices,
        }
        if self.engine is not None:
            devices.setdefault("controller", getattr(self.engine.controller, "name", ""))
        recorder = self.database.start_session(
            patient_code=self.profile.code,
            started_at=self.clock.wall(),
            profile=self.profile,
            template=self.template,
            prescription=self.prescription,
            station=self.name,
            supervised=self.supervised,
            devices=devices,
        )
        self._sink.recorder = recorder
        self.session_id = recorder.session_id
        logger.info("station %s recording session %s", self.name, self.session_id)

    def _enqueue(self, cmds: list[TreadmillCommand]) -> None:
        if not cmds:
            return
        preempt = False
        for cmd in cmds:
            if isinstance(cmd, StopBeltCommand):
                self._queue.clear()  # a stop supersedes everything queued before it
                preempt = True
            self._queue.append(cmd)
        if preempt and self._sender is not None and not self._sender.done():
            # a stop must not wait behind a hanging command: abandon the one in flight
            logger.warning("belt stop pre-empts the command in flight")
            self._sender.cancel()
            self._sender = None
        self._kick()

    def _kick(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop: the next step()/run() drains the queue
        if self._sender is None or self._sender.done():
            self._sender = loop.create_task(self._drain())

    def _spawn(self, coro: Any) -> None:
        try:
            task = asyncio.get_running_loop().create_task(coro)
        except RuntimeError:
            coro.close()
            logger.error("no running loop: cannot run %r", coro)
            return
        self._aux_tasks.add(task)
        task.add_done_callback(self._aux_tasks.discard)

    async def _drain(self) -> None:
        async with self._send_lock:
            while self._queue:
                cmd = self._queue.popleft()
                await self._send(cmd)

    async def _send(self, cmd: TreadmillCommand) -> None:
        tm = self.treadmill
        try:
            if isinstance(cmd, SetSpeedCommand):
                await asyncio.wait_for(tm.set_speed(cmd.speed_kmh), self.command_timeout_s)
            elif isinstance(cmd, SetInclineCommand):
                await asyncio.wait_for(tm.set_incline(cmd.incline_pct), self.command_timeout_s)
            elif isinstance(cmd, StartBeltCommand):
                await asyncio.wait_for(tm.start(), self.command_timeout_s)
            elif isinstance(cmd, StopBeltCommand):
                await asyncio.wait_for(tm.stop(), self.command_timeout_s)
        except (DeviceError, TimeoutError) as exc:
            error = str(exc) or type(exc).__name__
            logger.warning("treadmill command %s failed: %s", cmd, error)
            if self.engine is not None:
                self.engine.command_result(cmd, False, self.clock.monotonic_s(), error)
            return
        if self.engine is not None:
            self.engine.command_result(cmd, True, self.clock.monotonic_s())

    async def _direct_stop(self) -> bool:
        """Stop the belt directly (bypassing the queue); True if the device confirmed."""
        for attempt in range(3):
            try:
                await asyncio.wait_for(self.treadmill.stop(), self.command_timeout_s)
                return True
            except (DeviceError, TimeoutError) as exc:
                logger.error("belt stop attempt %d failed: %s", attempt + 1, exc)
        return False

    # ------------------------------------------------------------------ running

    async def step(self, now_s: float) -> None:
        """One control tick at ``now_s``: engine tick, send its commands, notify."""
        if self.engine is None:
            raise RuntimeError("Station.step() before connect()")
        self._hr_pending = False
        self._last_step_s = now_s
        self._enqueue(self.engine.tick(now_s))
        await self._flush()
        self._notify()

    async def _flush(self) -> None:
        """Wait until the sender has sent everything queued (a pre-empted sender too)."""
        self._kick()
        while self._sender is not None and not self._sender.done():
            await asyncio.wait({self._sender})
            if self._queue:
                self._kick()

    async def run(self) -> SessionSummary:
        """Run the session until it reaches a terminal state and return its summary.

        Starts the session if nobody submitted :class:`StartSession`. Always leaves the
        belt stopped and the recording finished; on cancellation the session ends as
        ``stopped`` and :class:`asyncio.CancelledError` propagates; on any other error it
        ends as ``aborted`` and the error propagates.
        """
        if self.engine is None:
            await self.connect()
        engine = self.engine
        assert engine is not None
        if engine.state is SessionState.IDLE:
            self._apply(StartSession())
        try:
            while not engine.state.is_terminal:
                await self.step(self.clock.monotonic_s())
                if engine.state.is_terminal:
                    break
                await self._wait_next_tick()
        except asyncio.CancelledError:
            logger.warning("station %s: run cancelled; stopping the belt", self.name)
            if not engine.state.is_terminal:
                engine.stop_for(self.clock.monotonic_s(), Cause.SYSTEM, "session cancelled")
            raise
        except Exception as exc:
            logger.exception("station %s: session aborted by an error", self.name)
            if not engine.state.is_terminal:
                engine.abort(self.clock.monotonic_s(), f"aborted by an error: {exc!r}")
            raise
        finally:
            await self._end_session()
        assert self.summary is not None
        return self.summary

    async def _wait_next_tick(self) -> None:
        """Sleep until the next tick is due.

        Without HR the ticks run every ``control_period_s``. With ``step_on_hr`` and a
        live HR source the tick follows an HR sample that arrives at least 3/4 of a
        period after the previous tick (so a faster strap does not speed the controller
        up); the timer then only backs it up after 1.5 periods, so the ticks lock onto
        the HR notifications instead of beating against them.
        """
        period = self.control_period_s
        rate = float(getattr(self.clock, "rate", 1.0)) or 1.0
        while True:
            if self.engine is None or self.engine.state.is_terminal:
                return
            now = self.clock.monotonic_s()
            since = now - (self._last_step_s if self._last_step_s is not None else now)
            hr_live = self._last_hr_s is not None and now - self._last_hr_s < 2.0 * period
            fallback = period * (1.5 if self.step_on_hr and hr_live else 1.0)
            if since >= fallback:
                return
            if self.step_on_hr and self._hr_pending and since >= 0.75 * period:
                return
            wait_s = fallback - since
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(wait_s, 0.0) / rate)

    async def _end_session(self) -> None:
        """Belt stopped (shielded from a second cancel), recording finished."""
        self._queue.clear()
        if self._sender is not None and not self._sender.done():
            self._sender.cancel()
        stop = asyncio.ensure_future(self._direct_stop())
        try:
            ok = await asyncio.shield(stop)
            if not ok:
                logger.error("station %s: the belt stop was not confirmed", self.name)
        except asyncio.CancelledError:
            logger.warning("cancelled again while stopping the belt; the stop continues")
            self._aux_tasks.add(stop)
            stop.add_done_callback(self._aux_tasks.discard)
            self._finish_recording()
            raise
        self._finish_recording()

    def _finish_recording(self) -> None:
        if self._finished or self.engine is None:
            return
        engine = self.engine
        if not engine.state.is_terminal and engine.state is not SessionState.IDLE:
            engine.stop_for(self.clock.monotonic_s(), Cause.SYSTEM, "station shut down")
        self._finished = True
        self.summary = engine.summary()
        recorder = self._sink.recorder
        if recorder is None:
            return
        if engine.retry_pending_records():
            # the database is still failing: the recorder keeps the backlog, so the
            # final commit (now, or when the database is closed) includes it, or it
            # goes to a rescue file next to the database
            recorder.keep_unsent(engine.take_pending_records())
        self._sink.closed = True
        try:
            recorder.finish(str(engine.state), self.summary.to_dict())
        except RecordingError as exc:
            logger.error(
                "finishing the recording failed (retried when the database is closed): %s", exc
            )
        reached_main = any(s.phase in ("main", "cooldown") for s in engine.samples)
        estimate = engine.plant_estimate()
        if self.database is not None and estimate is not None and reached_main:
            assert self.session_id is not None
            try:
                self.database.save_plant_estimate(self.profile.code, estimate, self.session_id)
            except RecordingError as exc:
                logger.error("saving the plant estimate failed: %s", exc)

    async def shutdown(self) -> None:
        """Stop the belt, finish the recording and disconnect. Safe to call twice."""
        engine = self.engine
        if (
            engine is not None
            and engine.state not in (SessionState.IDLE,)
            and not (engine.state.is_terminal)
        ):
            engine.stop_for(self.clock.monotonic_s(), Cause.SYSTEM, "station shut down")
        if self._connected:
            await self._end_session()
        for task in list(self._aux_tasks):
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(task, self.command_timeout_s)
        if self._sender is not None and not self._sender.done():
            self._sender.cancel()
            with contextlib.suppress(BaseException):
                await self._sender
        for device in (self.hr_source, self.treadmill):
            try:
                await asyncio.wait_for(device.disconnect(), self.command_timeout_s)
            except (DeviceError, TimeoutError) as exc:
                logger.warning("disconnect failed: %s", exc)
        self._connected = False
