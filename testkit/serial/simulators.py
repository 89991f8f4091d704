"""Simulated serial treadmills served on a pty pair, for tests and demos without hardware.

Each simulator opens ``os.openpty()`` (both ends in raw mode), serves the master end
from a thread and publishes the slave path (:attr:`PtySerialSimulator.port`), which
the app opens with ordinary pyserial, so the real serial code path (termios settings,
timeouts, ``read``) runs. Belt physics are deliberately simple: speed ramps toward
the target at fixed acceleration limits, incline at a fixed rate, distance integrates.

Behaviours real machines show, each switched on per simulator (all one-shot
attributes can be set while it runs):

* console stop / pause: :meth:`press_stop`, :meth:`CsafeTreadmillSimulator.press_pause`;
* console speed change: :meth:`console_set_speed`;
* safety key: :meth:`pull_safety_key` / :meth:`insert_safety_key`; CSAFE goes to Error,
  or with ``safety_key_state=CsafeState.OFFLINE`` to Offline, answering with registers
  frozen at the pull;
* any CSAFE console state (reset, workout timeout): :meth:`CsafeTreadmillSimulator.enter_state`;
* a device that stops answering: :attr:`silent`; a cable pulled and plugged back on the
  same path: :attr:`cable_out` True, then False;
* a reading answered late, after a command the host queued meanwhile (the race behind
  phantom console changes): Trackmaster ``hold_reply_to`` + ``release_reply()``;
* a late reply, after the host's timeout: ``late_reply_to`` (CSAFE command id,
  Trackmaster request byte);
* a corrupted reply to a command that was applied: ``corrupt_reply_to`` (CSAFE command
  id, Trackmaster request byte);
* a speed above the machine's limit: ``max_speed_kmh=`` (CSAFE reject, Trackmaster BE);
* a refusal reported in the next reply's status: CSAFE ``verdict_in_next_reply=True``;
* a machine that ignores SetSpeed: CSAFE ``honours_set_speed=False``;
* mph units: CSAFE ``english_units=True`` (Trackmaster and Woodway always use 0.1 mph);
* the Woodway hardware watchdog: ``TrackmasterTreadmillSimulator("woodway", watchdog_s=...)``.

``python -m testkit.serial.simulators csafe --safety-key offline --max-speed 10`` serves one
on a pty for a manual run (``--help`` lists the switches).
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
import time
import tty
from collections.abc import Callable
from types import TracebackType

from drivers.protocols import ant, csafe
from drivers.protocols import trackmaster as tm
from drivers.protocols.csafe import Cmd, CsafeCommand, CsafeState, CsafeStatus, Unit
from drivers.protocols.trackmaster import Dialect
from runningroom.errors import ProtocolError

logger = logging.getLogger(__name__)

_MPH = tm.KMH_PER_MPH


class BeltSim:
    """Physics-lite belt: rate-limited speed and incline, integrated distance.

    Thread-safe: every method takes the same lock.

    Args:
        accel_kmh_per_s: speed-up limit.
        decel_kmh_per_s: slow-down limit.
        incline_rate_pct_per_s: incline motor speed.
        min_speed_kmh: speed the belt starts at.
        time_fn: monotonic seconds.
    """

    def __init__(
        self,
        *,
        accel_kmh_per_s: float = 4.0,
        decel_kmh_per_s: float = 6.0,
        incline_rate_pct_per_s: float = 5.0,
        min_speed_kmh: float = 0.8,
        time_fn: Callable[[], float] = time.monotonic,
    ) -> None:
        self.accel_kmh_per_s = accel_kmh_per_s
        self.decel_kmh_per_s = decel_kmh_per_s
        self.incline_rate_pct_per_s = incline_rate_pct_per_s
        self.min_speed_kmh = min_speed_kmh
        self._time = time_fn
        self._lock = threading.RLock()
        self._t_s = time_fn()
        self.running = False
        self.target_speed_kmh = 0.0
        self.setpoint_speed_kmh = 0.0  # what the device will run at when started
        self.target_incline_pct = 0.0
        self.speed_kmh = 0.0
        self.incline_pct = 0.0
        self.distance_m = 0.0
        self.elapsed_s = 0.0

    def update(self) -> None:
        """Integrate up to now."""
        with self._lock:
            now = self._time()
            dt = max(0.0, now - self._t_s)
            self._t_s = now
            if dt == 0:
                return
            old = self.speed_kmh
            target = self.target_speed_kmh if self.running else 0.0
            if target > old:
                self.speed_kmh = min(target, old + self.accel_kmh_per_s * dt)
            else:
                self.speed_kmh = max(target, old - self.decel_kmh_per_s * dt)
            self.distance_m += (old + self.speed_kmh) / 2 / 3.6 * dt
            if self.running:
                self.elapsed_s += dt
            step = self.incline_rate_pct_per_s * dt
            diff = self.target_incline_pct - self.incline_pct
            self.incline_pct += max(-step, min(step, diff))

    def start(self) -> None:
        """Run at the setpoint (at least the minimum speed)."""
        with self._lock:
            self.update()
            self.running = True
            self.target_speed_kmh = max(self.setpoint_speed_kmh, self.min_speed_kmh)
            self.setpoint_speed_kmh = self.target_speed_kmh

    def stop(self, *, emergency: bool = False) -> None:
        """Decelerate to a standstill (instantly for an emergency stop)."""
        with self._lock:
            self.update()
            self.running = False
            self.target_speed_kmh = 0.0
            if emergency:
                self.speed_kmh = 0.0

    def set_speed(self, speed_kmh: float) -> None:
        """New setpoint; the running belt follows it."""
        with self._lock:
            self.update()
            self.setpoint_speed_kmh = speed_kmh
            if self.running:
                self.target_speed_kmh = speed_kmh

    def set_incline(self, incline_pct: float) -> None:
        """New incline target."""
        with self._lock:
            self.update()
            self.target_incline_pct = incline_pct

    def snapshot(self) -> tuple[float, float, float, float, bool]:
        """``(speed_kmh, incline_pct, distance_m, elapsed_s, running)`` now."""
        with self._lock:
            self.update()
            return self.speed_kmh, self.incline_pct, self.distance_m, self.elapsed_s, self.running


class PtySerialSimulator:
    """A device on the master end of a pty pair, served from a thread.

    Subclasses implement :meth:`handle` (bytes in -> reply bytes) and may override
    :meth:`tick` (called every loop turn, ~50 Hz).
    """

    def __init__(self, belt: BeltSim | None = None) -> None:
        self.belt = belt or BeltSim()
        self._master_fd, self._slave_fd = os.openpty()
        tty.setraw(self._master_fd)
        tty.setraw(self._slave_fd)
        #: Path of the slave end: open it with pyserial.
        self.port = os.ttyname(self._slave_fd)
        #: When True the device reads but never answers.
        self.silent = False
        #: When True the cable is out: the device neither hears the host nor answers
        #: (a Woodway watchdog then trips); False plugs it back on the same path.
        self.cable_out = False
        #: Every byte received, for assertions.
        self.received = bytearray()
        self.last_rx_s = time.monotonic()
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> PtySerialSimulator:
        """Start serving; returns self."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._serve, name=f"{type(self).__name__} {self.port}", daemon=True
            )
            self._thread.start()
        return self

    def close(self) -> None:
        """Stop the thread and close both pty ends."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
            self._thread = None
        for fd in (self._master_fd, self._slave_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._master_fd = self._slave_fd = -1

    def __enter__(self) -> PtySerialSimulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self._master_fd], [], [], 0.02)
            except (OSError, ValueError):
                return
            with self._lock:
                self.tick()
                if not ready:
                    continue
                try:
                    data = os.read(self._master_fd, 1024)
                except OSError:
                    continue
                if not data or self.cable_out:
                    continue
                self.received += data
                self.last_rx_s = time.monotonic()
                if self.silent:
                    continue
                try:
                    reply = self.handle(data)
                except Exception:  # a simulator bug must not kill the thread silently
                    logger.exception("simulator failed on %s", data.hex(" "))
                    continue
                if reply:
                    with contextlib.suppress(OSError):
                        os.write(self._master_fd, reply)

    # -- hooks --------------------------------------------------------------------------

    def handle(self, data: bytes) -> bytes:
        """Consume received bytes; return bytes to send back."""
        raise NotImplementedError

    def tick(self) -> None:
        """Periodic work (physics, watchdog)."""
        self.belt.update()

    # -- injections and ground truth ------------------------------------------------------

    @property
    def belt_speed_kmh(self) -> float:
        """Actual belt speed."""
        return self.belt.snapshot()[0]

    @property
    def belt_incline_pct(self) -> float:
        """Actual incline."""
        return self.belt.snapshot()[1]

    def press_stop(self) -> None:
        """Someone pressed STOP on the console."""
        with self._lock:
            self.belt.stop()

    def pull_safety_key(self) -> None:
        """The safety key was pulled: emergency stop."""
        with self._lock:
            self.belt.stop(emergency=True)

    def console_set_speed(self, speed_kmh: float) -> None:
        """Someone changed the speed at the console."""
        with self._lock:
            self.belt.set_speed(speed_kmh)


_ANY_STATE = frozenset(CsafeState)
#: command -> (states it is accepted in, resulting state): the CSAFE state diagram.
_CSAFE_TRANSITIONS: dict[int, tuple[frozenset[CsafeState], CsafeState]] = {
    Cmd.RESET: (_ANY_STATE, CsafeState.READY),
    Cmd.GO_READY: (
        frozenset({CsafeState.FINISHED, CsafeState.ERROR, CsafeState.IDLE, CsafeState.HAVE_ID}),
        CsafeState.READY,
    ),
    Cmd.GO_IDLE: (frozenset({CsafeState.READY, CsafeState.IDLE}), CsafeState.IDLE),
    Cmd.GO_HAVE_ID: (frozenset({CsafeState.IDLE, CsafeState.HAVE_ID}), CsafeState.HAVE_ID),
    Cmd.GO_IN_USE: (
        frozenset({CsafeState.HAVE_ID, CsafeState.PAUSED, CsafeState.IN_USE}),
        CsafeState.IN_USE,
    ),
    Cmd.GO_FINISHED: (
        frozenset({CsafeState.IN_USE, CsafeState.PAUSED, CsafeState.FINISHED}),
        CsafeState.FINISHED,
    ),
}


def _frame_has(raw: bytes, cmd_id: int) -> bool:
    """True if the request frame ``raw`` holds command ``cmd_id``."""
    try:
        return any(
            c.cmd_id == cmd_id for c in csafe.decode_request(csafe.decode_frame(raw).contents)
        )
    except ProtocolError:
        return False


class CsafeTreadmillSimulator(PtySerialSimulator):
    """A CSAFE treadmill: state machine Ready -> InUse -> Paused/Finished, belt physics.

    Args:
        belt: belt physics (default :class:`BeltSim`).
        english_units: answer speeds in 0.1 mph and report English units.
        honours_set_speed: when False, SetSpeed/SetGrade frames are rejected (a machine
            that treats them as goals only).
        hr_bpm: heart rate the console reports (0 = none).
        strict: enforce the CSAFE state diagram (Ready -> GoIdle -> Idle -> GoHaveID ->
            HaveID -> GoInUse -> InUse -> GoFinished -> Finished -> GoReady -> Ready);
            an illegal transition rejects the frame.
        safety_key_state: the state a pulled safety key leaves the console in: Error
            (default) or Offline. An Offline console keeps answering, but its speed,
            grade and distance registers stay frozen at the moment the key was pulled
            (a real console stops updating them), and every state command is rejected
            until :meth:`insert_safety_key`, which returns it to Ready.
        max_speed_kmh: the machine's own top speed; a SetSpeed above it is rejected.
        verdict_in_next_reply: report each frame's verdict (ok/reject/bad) in the
            status byte of the *next* reply, as the CSAFE "previous frame status"
            says; by default the frame's own reply carries it.

    One-shot injections: :attr:`late_reply_to` (a reply arrives after the host's
    timeout, during its next request), :attr:`corrupt_reply_to` (a frame is executed
    but its reply is corrupted on the wire).
    """

    def __init__(
        self,
        belt: BeltSim | None = None,
        *,
        english_units: bool = False,
        honours_set_speed: bool = True,
        hr_bpm: int = 0,
        strict: bool = True,
        safety_key_state: CsafeState = CsafeState.ERROR,
        max_speed_kmh: float | None = None,
        verdict_in_next_reply: bool = False,
    ) -> None:
        super().__init__(belt)
        if safety_key_state not in (CsafeState.ERROR, CsafeState.OFFLINE):
            raise ValueError("safety_key_state must be ERROR or OFFLINE")
        self.strict = strict
        self.safety_key_state = safety_key_state
        #: registers shown while Offline: (speed, incline, distance, elapsed) at the pull
        self._frozen: tuple[float, float, float, float] | None = None
        self.safety_key_in = True
        self.english_units = english_units
        self.honours_set_speed = honours_set_speed
        self.hr_bpm = hr_bpm
        self.state = CsafeState.READY
        self.frames_received = 0
        #: a command id: the reply to the next frame holding it is sent late, just
        #: before the reply to the following frame (one shot)
        self.late_reply_to: int | None = None
        self._held_reply: bytes | None = None
        #: a command id: the next frame holding it is executed, but its reply arrives
        #: with a broken checksum (one shot)
        self.corrupt_reply_to: int | None = None
        self.max_speed_kmh = max_speed_kmh
        self.verdict_in_next_reply = verdict_in_next_reply
        self._pending_verdict = "ok"
        self._toggle = False
        self._buffer = b""

    def handle(self, data: bytes) -> bytes:
        """Answer every complete frame in the buffer (a held late reply first)."""
        self._buffer += data
        frames, self._buffer = csafe.split_frames(self._buffer)
        out = bytearray()
        for frame in frames:
            reply = self._answer(frame)
            if self._held_reply is not None:
                out += self._held_reply
                self._held_reply = None
            if self.late_reply_to is not None and _frame_has(frame, self.late_reply_to):
                self.late_reply_to = None
                self._held_reply = reply
                continue
            out += reply
        return bytes(out)

    def _status(self, previous: str) -> int:
        self._toggle = not self._toggle
        return CsafeStatus.make(self.state, previous, self._toggle)

    def _answer(self, raw: bytes) -> bytes:
        self.frames_received += 1
        verdict, items = self._run_frame(raw)
        if self.verdict_in_next_reply:
            # the status byte reports the frame before this one, as CSAFE specifies
            verdict, self._pending_verdict = self._pending_verdict, verdict
        reply = csafe.encode_response(self._status(verdict), items)
        if self.corrupt_reply_to is not None and _frame_has(raw, self.corrupt_reply_to):
            self.corrupt_reply_to = None
            reply = reply[:-2] + bytes([reply[-2] ^ 0x5A]) + reply[-1:]  # bad checksum
        return reply

    def _run_frame(self, raw: bytes) -> tuple[str, list[CsafeCommand]]:
        """Execute a request frame: its verdict and answer items."""
        try:
            cmds = csafe.decode_request(csafe.decode_frame(raw).contents)
        except ProtocolError:
            return "bad", []
        if not self.honours_set_speed and any(
            c.cmd_id in (Cmd.SET_SPEED, Cmd.SET_GRADE) for c in cmds
        ):
            return "reject", []
        items: list[CsafeCommand] = []
        try:
            for cmd in cmds:
                item = self._execute(cmd)
                if item is not None:
                    items.append(item)
        except ProtocolError:
            return "reject", []
        return "ok", items

    def _execute(self, cmd: CsafeCommand) -> CsafeCommand | None:
        speed_kmh, incline_pct, distance_m, elapsed_s, _running = self.belt.snapshot()
        if self._frozen is not None:
            speed_kmh, incline_pct, distance_m, elapsed_s = self._frozen
        cid = cmd.cmd_id
        if cid == Cmd.GET_STATUS:
            return None
        if cid == Cmd.GET_VERSION:
            return CsafeCommand(cid, bytes([1, 0, 42, 1, 0, 2, 0]))
        if cid == Cmd.GET_UNITS:
            return CsafeCommand(cid, bytes([1 if self.english_units else 0]))
        if cid == Cmd.GET_SPEED:
            if self.english_units:
                raw, unit = round(speed_kmh / _MPH * 10), Unit.MPH_0_1
            else:
                raw, unit = round(speed_kmh * 100), Unit.KMH_0_01
            return CsafeCommand(cid, raw.to_bytes(2, "little", signed=True) + bytes([unit]))
        if cid == Cmd.GET_GRADE:
            raw = round(incline_pct * 10)
            return CsafeCommand(
                cid, raw.to_bytes(2, "little", signed=True) + bytes([Unit.GRADE_PCT_0_1])
            )
        if cid == Cmd.GET_HR_CUR:
            return CsafeCommand(cid, bytes([max(0, min(255, self.hr_bpm))]))
        if cid == Cmd.GET_TWORK:
            total = int(elapsed_s)
            return CsafeCommand(cid, bytes([min(total // 3600, 255), total // 60 % 60, total % 60]))
        if cid == Cmd.GET_HORIZONTAL:
            raw = min(int(distance_m), 0x7FFF)
            return CsafeCommand(cid, raw.to_bytes(2, "little", signed=True) + bytes([Unit.METRE]))
        if cid in _CSAFE_TRANSITIONS:
            allowed_from, target = _CSAFE_TRANSITIONS[cid]
            if not self.safety_key_in:
                raise ProtocolError("safety key out")
            if self.strict and self.state not in allowed_from:
                raise ProtocolError(f"{cmd.name} not allowed in state {self.state.name}")
            self.state = target
            if target is CsafeState.IN_USE:
                self.belt.start()
            else:
                self.belt.stop()
            return None
        if cid == Cmd.SET_SPEED:
            wanted_kmh = float(csafe.interpret(cmd)["speed_kmh"])
            if self.max_speed_kmh is not None and wanted_kmh > self.max_speed_kmh + 1e-6:
                raise ProtocolError(f"speed {wanted_kmh} above the machine's limit")
            self.belt.set_speed(wanted_kmh)
            return None
        if cid == Cmd.SET_GRADE:
            self.belt.set_incline(float(csafe.interpret(cmd)["grade_pct"]))
            return None
        if cid == Cmd.SET_TIMEOUT:
            return None
        raise ProtocolError(f"unsupported command {cmd.name}")

    def press_stop(self) -> None:
        """Console STOP: the belt stops and the workout finishes."""
        with self._lock:
            super().press_stop()
            self.state = CsafeState.FINISHED

    def press_pause(self) -> None:
        """Console PAUSE."""
        with self._lock:
            self.belt.stop()
            self.state = CsafeState.PAUSED

    def pull_safety_key(self) -> None:
        """Safety key: emergency stop into :attr:`safety_key_state` (Error or Offline).

        Error lasts until the key is back and GoReady/Reset; Offline answers frozen
        registers until the key is back.
        """
        with self._lock:
            if self.safety_key_state is CsafeState.OFFLINE:
                speed, incline, distance, elapsed, _running = self.belt.snapshot()
                self._frozen = (speed, incline, distance, elapsed)
            super().pull_safety_key()
            self.safety_key_in = False
            self.state = self.safety_key_state

    def insert_safety_key(self) -> None:
        """The key is back: Error stays until GoReady or Reset; Offline returns to Ready."""
        with self._lock:
            self.safety_key_in = True
            self._frozen = None
            if self.state is CsafeState.OFFLINE:
                self.state = CsafeState.READY

    def enter_state(self, state: CsafeState) -> None:
        """The console moves to ``state`` by itself (console reset, workout timeout...).

        Any state but InUse and Manual stops the belt (at once for Error and Offline).
        """
        with self._lock:
            if state not in (CsafeState.IN_USE, CsafeState.MANUAL):
                self.belt.stop(emergency=state in (CsafeState.ERROR, CsafeState.OFFLINE))
            self.state = state


class TrackmasterTreadmillSimulator(PtySerialSimulator):
    """A Trackmaster or Woodway treadmill with acks, error bytes and (Woodway) watchdog.

    Args:
        dialect: "trackmaster" or "woodway".
        belt: belt physics.
        watchdog_s: Woodway: silence after an ``A0`` start that trips the watchdog.
        max_speed_kmh: the machine's own top speed; a set speed above it gets ``BE``.

    One-shot injections: :attr:`hold_reply_to` with :meth:`release_reply` (a reading
    answered late, after a command the host queued meanwhile), :attr:`corrupt_reply_to`
    (a command is executed but its acknowledgement arrives as a garbage byte).
    """

    def __init__(
        self,
        dialect: Dialect | str = Dialect.TRACKMASTER,
        belt: BeltSim | None = None,
        *,
        watchdog_s: float = 1.5,
        max_speed_kmh: float | None = None,
    ) -> None:
        self.dialect = Dialect(dialect)
        self.max_speed_kmh = max_speed_kmh
        #: a request byte whose next reply is replaced by a garbage byte (one shot)
        self.corrupt_reply_to: int | None = None
        #: a request byte whose next reply is sent late, just before the reply to the
        #: following request (one shot)
        self.late_reply_to: int | None = None
        self._late_reply: bytes | None = None
        super().__init__(
            belt
            or BeltSim(min_speed_kmh=(0.2 if self.dialect is Dialect.TRACKMASTER else 0.5) * _MPH)
        )
        self.watchdog_s = watchdog_s
        #: a request byte (e.g. ``0xC3``) whose next reply is read at once but held back
        #: until :meth:`release_reply` (one shot): the host sees the old reading late,
        #: after any command it queued meanwhile, the race behind phantom console changes
        self.hold_reply_to: int | None = None
        #: set while a reply is held
        self.holding_reply = threading.Event()
        self._release = threading.Event()
        self.watchdog_armed = False
        self.watchdog_tripped = False
        self._report_trip = False
        self._pending = b""

    def tick(self) -> None:
        """Physics and the Woodway communication watchdog."""
        super().tick()
        if (
            self.watchdog_armed
            and self.belt.running
            and time.monotonic() - self.last_rx_s > self.watchdog_s
        ):
            logger.info("woodway simulator: communication watchdog tripped")
            self.belt.stop()
            self.watchdog_armed = False
            self.watchdog_tripped = True
            self._report_trip = True

    def handle(self, data: bytes) -> bytes:
        """Consume the command stream byte by byte."""
        out = bytearray()
        self._pending += data
        while self._pending:
            code = self._pending[0]
            if code in (tm.SET_SPEED, tm.SET_ELEVATION):
                if len(self._pending) < 5:
                    break
                msg, self._pending = self._pending[:5], self._pending[5:]
            else:
                msg, self._pending = self._pending[:1], self._pending[1:]
            reply = self._answer(msg)
            if self._late_reply is not None:
                out += self._late_reply
                self._late_reply = None
            if msg[0] == self.late_reply_to:
                self.late_reply_to = None
                self._late_reply = reply
                continue
            out += reply
        return bytes(out)

    def _digits_speed(self, speed_kmh: float) -> bytes:
        mph = min(round(speed_kmh / _MPH, 1), self.dialect.max_speed_mph)
        return tm.encode_speed_digits(mph, self.dialect)

    def _answer(self, msg: bytes) -> bytes:
        if self._report_trip and self.dialect is Dialect.WOODWAY:
            self._report_trip = False
            return bytes([tm.ERROR_COMMS_TIMEOUT])
        try:
            (parsed,) = tm.decode_stream(msg, self.dialect)
        except ProtocolError as exc:
            code = tm.ERROR_OUT_OF_RANGE if len(msg) == 5 else tm.ERROR_ILLEGAL_COMMAND
            logger.debug("simulator rejects %s: %s", msg.hex(" "), exc)
            return bytes([code])
        if parsed.kind == "command":
            ack = self._command(parsed)
            if parsed.code == self.corrupt_reply_to:
                self.corrupt_reply_to = None
                return b"\x00"  # executed, but the acknowledgement is lost in noise
            return ack
        if parsed.kind == "status_request":
            reply = bytes([parsed.code + 0x10]) + self._status_data(parsed.code)
            if parsed.code == self.hold_reply_to:
                self.hold_reply_to = None
                self._release.clear()
                self.holding_reply.set()
                self._release.wait(timeout=10.0)
                self.holding_reply.clear()
            return reply
        return bytes([tm.ERROR_ILLEGAL_COMMAND])

    def release_reply(self) -> None:
        """Send the reply held by :attr:`hold_reply_to`."""
        self._release.set()

    def _command(self, msg: tm.TrackmasterMessage) -> bytes:
        code = msg.code
        if code == tm.SET_SPEED:
            assert msg.speed_mph is not None
            if msg.reverse or msg.speed_mph > self.dialect.max_speed_mph:
                return bytes([tm.ERROR_OUT_OF_RANGE])
            if self.max_speed_kmh is not None and msg.speed_mph * _MPH > self.max_speed_kmh + 1e-6:
                return bytes([tm.ERROR_OUT_OF_RANGE])
            self.belt.set_speed(msg.speed_mph * _MPH)
        elif code == tm.SET_ELEVATION:
            assert msg.grade_pct is not None
            if msg.grade_pct > self.dialect.max_grade_pct:
                return bytes([tm.ERROR_OUT_OF_RANGE])
            self.belt.set_incline(msg.grade_pct)
        elif code in (tm.START_TRACKMASTER, tm.START_WOODWAY, tm.START_WATCHDOG):
            self.belt.start()
            self.watchdog_armed = code == tm.START_WATCHDOG
            self.watchdog_tripped = False
        elif code == tm.STOP:
            self.belt.stop()
            self.watchdog_armed = False
        elif code == tm.AUTO_STOP:
            self.belt.set_incline(0.0)
            self.belt.stop()
            self.watchdog_armed = False
        return bytes([code + 0x10])

    def _status_data(self, code: int) -> bytes:
        speed_kmh, incline_pct, _distance, _elapsed, running = self.belt.snapshot()
        if code == tm.QUERY_STATUS:
            return b"2" if running else b"1"
        if code == tm.QUERY_SPEED:
            return self._digits_speed(speed_kmh)
        if code == tm.QUERY_ELEVATION:
            return f"{round(incline_pct * 10):04d}".encode("ascii")
        if code == tm.QUERY_C3:
            if self.dialect is Dialect.WOODWAY:
                return b"V2.1"
            return self._digits_speed(self.belt.setpoint_speed_kmh)
        return f"{round(self.belt.target_incline_pct * 10):04d}".encode("ascii")


class AntStickSimulator(PtySerialSimulator):
    """An ANT USB1 stick with one HRM strap in range, on a pty.

    Answers every setup message with a 0x40 channel response (code 0; a reset with the
    0x6F startup message) and, once the channel is open, broadcasts HRM page 4 at
    ~4 Hz with a beat count and beat times that follow :attr:`hr_bpm`.

    Args:
        hr_bpm: the strap's heart rate.
        refuse: a message id the stick refuses (code 0x28), for tests.
    """

    def __init__(self, hr_bpm: float = 72.0, *, refuse: int | None = None) -> None:
        super().__init__()
        self.hr_bpm = hr_bpm
        self.refuse = refuse
        self.channel_open = False
        self.network_key: bytes | None = None
        self._buffer = b""
        self._beat_count = 0
        self._beat_time = 0  # 1/1024 s
        self._previous_beat_time = 0
        self._next_beat_s = time.monotonic()
        self._next_broadcast_s = time.monotonic()

    def handle(self, data: bytes) -> bytes:
        """Answer setup messages."""
        self._buffer += data
        out = bytearray()
        while True:
            start = self._buffer.find(bytes([ant.SYNC]))
            if start < 0:
                self._buffer = b""
                break
            buf = self._buffer[start:]
            if len(buf) < 2 or len(buf) < buf[1] + 4:
                self._buffer = buf
                break
            raw, self._buffer = buf[: buf[1] + 4], buf[buf[1] + 4 :]
            try:
                msg = ant.decode_ant_message(raw)
            except ProtocolError:
                continue
            if msg.msg_id == 0x4A:
                self.channel_open = False
                out += ant.encode_ant_message(0x6F, b"\x00")
                continue
            if msg.msg_id == 0x46:
                self.network_key = msg.payload[1:9]
            code = 0x28 if msg.msg_id == self.refuse else 0
            if msg.msg_id == 0x4B and code == 0:
                self.channel_open = True
            if msg.msg_id == 0x4C:
                self.channel_open = False
            out += ant.encode_ant_message(
                0x40, bytes([msg.payload[0] if msg.payload else 0, msg.msg_id, code])
            )
        return bytes(out)

    def tick(self) -> None:
        """Beats and broadcasts."""
        now = time.monotonic()
        if self.hr_bpm > 0 and now >= self._next_beat_s:
            interval_s = 60.0 / self.hr_bpm
            self._next_beat_s = now + interval_s
            self._previous_beat_time = self._beat_time
            self._beat_time = (self._beat_time + round(interval_s * 1024)) & 0xFFFF
            self._beat_count = (self._beat_count + 1) & 0xFF
        if self.channel_open and not self.silent and now >= self._next_broadcast_s:
            self._next_broadcast_s = now + 8070 / 32768
            page = (
                bytes([0x04, 0x00])
                + self._previous_beat_time.to_bytes(2, "little")
                + self._beat_time.to_bytes(2, "little")
                + bytes([self._beat_count, round(self.hr_bpm) & 0xFF])
            )
            with contextlib.suppress(OSError):
                os.write(self._master_fd, ant.encode_ant_message(0x4E, b"\x00" + page))


def main(argv: list[str] | None = None) -> int:
    """Serve a simulated serial device until Ctrl-C and print its port.

    ``python -m testkit.serial.simulators csafe`` prints e.g. ``/dev/pts/7``; then
    ``runningroom run --treadmill 'serial:/dev/pts/7?protocol=csafe' ...`` drives it.
    """
    import argparse
    import sys

    parser = argparse.ArgumentParser(description="Serve a simulated serial device on a pty.")
    parser.add_argument("device", choices=("csafe", "trackmaster", "woodway", "ant"))
    parser.add_argument("--hr", type=float, default=0.0, help="heart rate the device reports")
    parser.add_argument(
        "--max-speed", type=float, default=None, help="the machine's own top speed, km/h"
    )
    parser.add_argument("--english", action="store_true", help="CSAFE: English units (mph)")
    parser.add_argument(
        "--safety-key",
        choices=("error", "offline"),
        default="error",
        help="CSAFE: the state a pulled safety key leaves",
    )
    parser.add_argument(
        "--verdict-next-reply",
        action="store_true",
        help="CSAFE: report each frame's verdict in the next reply's status",
    )
    args = parser.parse_args(argv)
    sim: PtySerialSimulator
    if args.device == "csafe":
        sim = CsafeTreadmillSimulator(
            hr_bpm=int(args.hr),
            english_units=args.english,
            max_speed_kmh=args.max_speed,
            safety_key_state=(
                CsafeState.OFFLINE if args.safety_key == "offline" else CsafeState.ERROR
            ),
            verdict_in_next_reply=args.verdict_next_reply,
        )
    elif args.device == "ant":
        sim = AntStickSimulator(hr_bpm=args.hr or 72.0)
    else:
        sim = TrackmasterTreadmillSimulator(args.device, max_speed_kmh=args.max_speed)
    with sim:
        sys.stdout.write(f"{sim.port}\n")
        sys.stdout.flush()
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
