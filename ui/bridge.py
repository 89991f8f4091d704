"""The one bridge between the Qt GUI thread and the station's asyncio loop.

One asyncio loop runs on a dedicated worker thread (:class:`LoopThread`). It owns the
devices, the session engine and the control loop, so a slow repaint never delays a
control tick. The GUI talks to it only through :class:`StationBridge`:

* commands go in with ``loop.call_soon_threadsafe`` / ``run_coroutine_threadsafe``;
* snapshots and events come out through Qt signals. Snapshots are buffered and the
  ``snapshotsReady`` signal is coalesced (at most one pending emission), so a fast
  simulated session cannot flood the GUI event queue; the plots redraw on their own
  fixed timer from that buffer.

Everything the bridge knows about a station is in :class:`StationSetup`, which
:mod:`runningroom_app.wiring.app` builds (devices, database, station, background tasks).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal

from runningroom.recording.model import EventRecord
from runningroom.session.model import (
    EmergencyStop,
    OperatorCommand,
    SessionSnapshot,
    StartSession,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")


class LoopThread:
    """An asyncio event loop running forever on its own (daemon) thread.

    Args:
        name: thread name, shown in debuggers and ``threading.enumerate()``.
    """

    def __init__(self, name: str = "runningroom-loop") -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._started = threading.Event()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.call_soon(self._started.set)
        self.loop.run_forever()
        # Drain: cancel whatever is left so the loop can close without warnings.
        pending = asyncio.all_tasks(self.loop)
        for task in pending:
            task.cancel()
        if pending:
            self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()

    @property
    def thread(self) -> threading.Thread:
        """The worker thread."""
        return self._thread

    @property
    def running(self) -> bool:
        """True while the worker thread is alive."""
        return self._thread.is_alive()

    def start(self) -> None:
        """Start the thread and wait until the loop runs."""
        self._thread.start()
        self._started.wait(5.0)

    def run(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Schedule ``coro`` on the loop from any thread."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def call(self, fn: Callable[..., Any], *args: Any) -> None:
        """Call ``fn(*args)`` on the loop thread as soon as possible."""
        if self.loop.is_closed():
            logger.warning("loop closed; dropped call to %r", fn)
            return
        self.loop.call_soon_threadsafe(fn, *args)

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop the loop (cancelling leftover tasks) and join the thread."""
        if not self._thread.is_alive():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout_s)
        if self._thread.is_alive():
            logger.error("asyncio loop thread did not stop within %.1f s", timeout_s)


class StationLike(Protocol):
    """The part of :class:`runningroom.station.Station` the bridge uses."""

    async def connect(self) -> Any:
        """Connect the devices and run the preflight."""
        ...

    def submit(self, cmd: OperatorCommand) -> None:
        """Queue an operator command (loop thread only)."""
        ...

    async def run(self) -> Any:
        """Run the session until a terminal state; returns the summary."""
        ...

    async def shutdown(self) -> None:
        """Stop the belt, finish the recording, disconnect."""
        ...

    def add_snapshot_listener(self, cb: Callable[[SessionSnapshot], None]) -> None:
        """Register a snapshot callback (called on the loop thread)."""
        ...

    def add_event_listener(self, cb: Callable[[EventRecord], None]) -> None:
        """Register an event callback (called on the loop thread)."""
        ...


@dataclass
class StationSetup:
    """A composed station, ready to connect.

    Attributes:
        station: the station runtime.
        devices: human-readable description of the devices (role -> address/model).
        background: coroutine factories started on the loop before connecting (for
            example the simulators' real-time driver); cancelled on close.
        emergency_belt_stop: coroutine factory that stops the belt directly, used when
            an emergency stop is pressed and no session runs.
        on_close: coroutine factories run at close (disconnect, close the database).
        info: free-form facts for the UI (speedup, database path, ...).
    """

    station: StationLike
    devices: dict[str, str] = field(default_factory=dict)
    background: list[Callable[[], Coroutine[Any, Any, Any]]] = field(default_factory=list)
    emergency_belt_stop: Callable[[], Awaitable[None]] | None = None
    on_close: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)


SetupFactory = Callable[[], Awaitable[StationSetup]]


class StationBridge(QObject):
    """Qt face of one station running on the worker loop.

    Signals (all delivered on the GUI thread):
        snapshotsReady: new snapshots are in the buffer (coalesced); call
            :meth:`drain_snapshots`.
        eventRecorded(object): an :class:`EventRecord` the station recorded.
        connected(object): the preflight result after a successful connect.
        connectFailed(str): connecting or preflight failed (message).
        sessionFinished(object): the session summary (or ``None``) once ``run`` ended.
        errorOccurred(str): an unexpected error on the loop.
        sessionStartFailed(str): the session could not start (for example the session
            database is locked or cannot be written); the message says why. The belt
            was not started (a direct belt stop is sent as a guard), ``run`` is not
            called and ``sessionFinished`` is not emitted: the station stays connected,
            so the therapist can fix the cause and press Start again.
        emergencyStopSent(): an emergency stop was issued.
    """

    snapshotsReady = Signal()
    eventRecorded = Signal(object)
    connected = Signal(object)
    connectFailed = Signal(str)
    sessionFinished = Signal(object)
    errorOccurred = Signal(str)
    sessionStartFailed = Signal(str)
    emergencyStopSent = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._loop_thread = LoopThread()
        self._loop_thread.start()
        self._lock = threading.Lock()
        self._buffer: deque[SessionSnapshot] = deque(maxlen=100_000)
        self._pending = False
        self._latest: SessionSnapshot | None = None
        self._setup: StationSetup | None = None
        self._bg_tasks: list[asyncio.Task[Any]] = []
        self._run_future: concurrent.futures.Future[Any] | None = None
        self._closed = False
        self.last_snapshot_wall_s = 0.0

    # ---- properties -----------------------------------------------------------------

    @property
    def loop_thread(self) -> LoopThread:
        """The worker thread running the asyncio loop."""
        return self._loop_thread

    @property
    def setup(self) -> StationSetup | None:
        """The attached station setup, if any."""
        return self._setup

    @property
    def latest(self) -> SessionSnapshot | None:
        """The most recent snapshot (any thread may read it)."""
        return self._latest

    @property
    def session_running(self) -> bool:
        """True while the station's ``run`` coroutine has not returned."""
        return self._run_future is not None and not self._run_future.done()

    # ---- loop-thread callbacks ----------------------------------------------------------

    def _on_snapshot(self, snap: SessionSnapshot) -> None:
        with self._lock:
            self._buffer.append(snap)
            self._latest = snap
            self.last_snapshot_wall_s = time.monotonic()
            emit = not self._pending
            self._pending = True
        if emit:
            self.snapshotsReady.emit()

    def _on_event(self, event: EventRecord) -> None:
        self.eventRecorded.emit(event)

    # ---- GUI-thread API ---------------------------------------------------------------

    def drain_snapshots(self) -> list[SessionSnapshot]:
        """Take every buffered snapshot (oldest first) and re-arm the signal."""
        with self._lock:
            items = list(self._buffer)
            self._buffer.clear()
            self._pending = False
        return items

    def attach(self, factory: SetupFactory) -> concurrent.futures.Future[Any]:
        """Build, start and connect a station on the loop.

        ``factory`` runs on the loop; background tasks start, then the station
        connects. Emits ``connected`` or ``connectFailed``.
        """
        return self._loop_thread.run(self._attach(factory))

    async def _attach(self, factory: SetupFactory) -> Any:
        try:
            if self._setup is not None:
                await self._close_setup()
            setup = await factory()
            self._setup = setup
            setup.station.add_snapshot_listener(self._on_snapshot)
            setup.station.add_event_listener(self._on_event)
            for make in setup.background:
                self._bg_tasks.append(asyncio.get_running_loop().create_task(make()))
            result = await setup.station.connect()
        except Exception as exc:
            logger.exception("connecting the station failed")
            self.connectFailed.emit(str(exc) or type(exc).__name__)
            return None
        self.connected.emit(result)
        return result

    def start_session(self, without_hr: bool = False) -> None:
        """Submit :class:`StartSession` and run the station until it ends.

        ``without_hr``: the therapist chose to start without a trusted HR
        (``StartSession(without_hr=True)``, recorded by the engine).
        """
        if self._setup is None or self.session_running:
            logger.warning("start ignored: no station or already running")
            return
        self._run_future = self._loop_thread.run(self._run_session(without_hr))

    async def _run_session(self, without_hr: bool = False) -> Any:
        assert self._setup is not None
        station = self._setup.station
        try:
            # starting opens the recording: a locked or unwritable database fails here
            station.submit(StartSession(without_hr=without_hr))
        except Exception as exc:
            logger.exception("starting the session failed")
            if self._setup.emergency_belt_stop is not None:
                await self._direct_belt_stop()  # guard: the belt must stay stopped
            reason = str(exc) or type(exc).__name__
            self.sessionStartFailed.emit(f"the session did not start: {reason}")
            return None
        summary: Any = None
        try:
            summary = await station.run()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            logger.exception("station run failed")
            self.errorOccurred.emit(str(exc) or type(exc).__name__)
        self.sessionFinished.emit(summary)
        return summary

    def submit(self, cmd: OperatorCommand) -> None:
        """Send an operator command to the station (thread-safe, non-blocking)."""
        if self._setup is None:
            logger.info("command %r ignored: no station", cmd)
            return
        logger.info("operator command %r", cmd)
        self._loop_thread.call(self._setup.station.submit, cmd)

    def emergency_stop(self) -> None:
        """Emergency stop from any state.

        With a session the engine gets :class:`EmergencyStop` (recorded; belt stop
        command). In any case the belt is also stopped directly when the setup knows
        how, so the stop works before a session started and after it ended.
        """
        logger.warning("EMERGENCY STOP pressed")
        if self._setup is not None:
            self._loop_thread.call(self._setup.station.submit, EmergencyStop())
            if self._setup.emergency_belt_stop is not None and not self.session_running:
                self._loop_thread.run(self._direct_belt_stop())
        self.emergencyStopSent.emit()

    async def _direct_belt_stop(self) -> None:
        assert self._setup is not None and self._setup.emergency_belt_stop is not None
        try:
            await self._setup.emergency_belt_stop()
        except Exception:
            logger.exception("direct belt stop failed")

    def shutdown(self, timeout_s: float = 10.0) -> None:
        """Stop the belt, end the recording, disconnect and stop the loop thread.

        Blocks the caller (the GUI thread at close) for at most about ``timeout_s``.
        Safe to call more than once.
        """
        if self._closed:
            return
        self._closed = True
        try:
            fut = self._loop_thread.run(self._shutdown())
            fut.result(timeout_s)
        except Exception:
            logger.exception("orderly station shutdown failed")
        self._loop_thread.stop()

    async def _shutdown(self) -> None:
        if self._setup is None:
            return
        station = self._setup.station
        try:
            await asyncio.wait_for(station.shutdown(), 8.0)
        except Exception:
            logger.exception("station shutdown failed")
        if self._run_future is not None:
            run_future = self._run_future
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.wrap_future(run_future), 5.0)
        await self._close_setup()

    async def _close_setup(self) -> None:
        setup, self._setup = self._setup, None
        for task in self._bg_tasks:
            task.cancel()
        if self._bg_tasks:
            await asyncio.gather(*self._bg_tasks, return_exceptions=True)
        self._bg_tasks.clear()
        if setup is None:
            return
        for closer in setup.on_close:
            try:
                await closer()
            except Exception:
                logger.exception("closing station resource failed")

    def run_on_loop(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Run an arbitrary coroutine on the worker loop (device scans etc.)."""
        return self._loop_thread.run(coro)
