"""Shared machinery of the serial treadmills: connect, poll, events, safe stop.

Subclasses implement the protocol-specific hooks (``_probe``, ``_poll_once``,
``_send_start``, ``_send_stop``, ``_send_speed``, ``_send_incline``); this base class
runs a polling task that emits a :class:`TreadmillMeasurement` every ``poll_period_s``
(<= 1 s), turns unexpected belt stops into events and reports a device that stopped
answering. A port that fails (USB adapter unplugged) is closed and reopened with backoff
(``DISCONNECTED``, ``RECONNECTING`` per attempt, ``RECONNECTED`` with the outage in s);
a stop asked for meanwhile raises and is sent as soon as the port is back.
"""

from __future__ import annotations

import asyncio
import logging
import math
from abc import abstractmethod
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from drivers.serial.link import SerialLink, SerialPortError
from drivers.tasks import cancel_and_wait
from runningroom.clock import Clock
from runningroom.devices import (
    BeltState,
    DeviceEvent,
    DeviceEventKind,
    DeviceRole,
    Treadmill,
    TreadmillCapabilities,
    TreadmillMeasurement,
)
from runningroom.errors import (
    ControlNotPermittedError,
    DeviceError,
    DeviceTimeoutError,
    ProtocolError,
)

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

#: Consecutive failed polls before NOT_RESPONDING is reported.
FAILED_POLLS_BEFORE_ALARM = 2
#: Waits between attempts to reopen a failed serial port; the last value repeats (gaps
#: <= 2 s during the 10 s in which the session may resume, then 5 s).
REOPEN_BACKOFF_S: tuple[float, ...] = (0.5, 1.0, 1.0, 2.0, 2.0, 2.0, 5.0)


class CommandRefusedError(ControlNotPermittedError):
    """The machine answered a command with a refusal of its value (out of its range)."""


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll learned.

    Attributes:
        speed_kmh: measured belt speed.
        incline_pct: measured incline.
        belt: belt state as reported or inferred.
        hr_bpm: relayed heart rate (None when absent or 0).
        distance_m: device distance (None: the base class integrates speed).
        elapsed_s: device elapsed time.
        event: a device-reported event (kind, message) found by this poll.
        event_value: the value that event carries (e.g. 1.0: safety key back).
        target_speed_kmh: the device's own speed setpoint if it reports one.
        target_incline_pct: the device's own incline setpoint if it reports one.
    """

    speed_kmh: float | None
    incline_pct: float | None = None
    belt: BeltState = BeltState.UNKNOWN
    hr_bpm: int | None = None
    distance_m: float | None = None
    elapsed_s: float | None = None
    event: tuple[DeviceEventKind, str] | None = None
    event_value: float | None = None
    target_speed_kmh: float | None = None
    target_incline_pct: float | None = None


class PollingSerialTreadmill(Treadmill):
    """Base class of the serial treadmills.

    Args:
        link: the serial link (not yet open).
        clock: time source for measurement and event timestamps.
        capabilities: ranges and increments; commands are clamped and quantised to them.
        poll_period_s: measurement interval (must be <= 1 s).
        address: address string for logs.
    """

    def __init__(
        self,
        link: SerialLink,
        clock: Clock,
        capabilities: TreadmillCapabilities,
        *,
        poll_period_s: float = 0.5,
        address: str = "",
    ) -> None:
        super().__init__()
        if not 0 < poll_period_s <= 1.0:
            raise ValueError("poll_period_s must be in (0, 1] to deliver >= 1 Hz")
        self.link = link
        self.clock = clock
        self.capabilities = capabilities
        self.poll_period_s = poll_period_s
        self.address = address or link.url
        self.connected = False
        self._poll_task: asyncio.Task[None] | None = None
        self._failed_polls = 0
        self._belt = BeltState.UNKNOWN
        #: True while we have commanded the belt to run.
        self._commanded_running = False
        self._target_speed_kmh = 0.0
        self._target_incline_pct = 0.0
        self._distance_m = 0.0
        self._last_poll_s: float | None = None
        self._last_speed_kmh = 0.0
        self._seen_first_poll = False
        #: waits between reopen attempts after a port failure (tests shorten them)
        self.reopen_backoff_s: tuple[float, ...] = REOPEN_BACKOFF_S
        self._reopening = False
        self._stop_pending = False
        self._start_failed = False
        #: highest speed the machine accepted, and the limit learned from a refusal
        self._accepted_max_kmh: float | None = None
        self._speed_limit_kmh: float | None = None
        #: commands being sent now, and a counter bumped when one starts or ends: a poll
        #: that overlapped a command does not compare its readings with the new target
        self._commands_in_flight = 0
        self._command_epoch = 0

    # -- protocol hooks ------------------------------------------------------------------

    @abstractmethod
    async def _probe(self) -> None:
        """Prove the device answers (raises DeviceError/ProtocolError otherwise)."""

    @abstractmethod
    async def _poll_once(self) -> PollResult:
        """Ask the device for its measurements."""

    @abstractmethod
    async def _send_start(self) -> float:
        """Send the protocol's start command; return the start speed sent, in km/h."""

    @abstractmethod
    async def _send_stop(self) -> None:
        """Send the protocol's stop command."""

    @abstractmethod
    async def _send_speed(self, speed_kmh: float) -> float:
        """Send a (quantised, in-range) speed command.

        Returns the speed actually sent, in km/h: on a machine that takes mph, the km/h
        equivalent of the mph value on the wire (converted once, from that value).
        """

    @abstractmethod
    async def _send_incline(self, incline_pct: float) -> None:
        """Send a (quantised, in-range) incline command."""

    # -- Treadmill ABC -------------------------------------------------------------------

    async def connect(self) -> TreadmillCapabilities:
        """Open the port, prove the device answers, start polling.

        Raises:
            DeviceNotFoundError: the port does not exist.
            DeviceTimeoutError: the device does not answer.
            DeviceError: it answers garbage.
        """
        if self.connected:
            return self.capabilities
        await self.link.open()
        try:
            await self._probe()
        except ProtocolError as exc:
            await self.link.close()
            raise DeviceError(f"{self.address}: unexpected reply: {exc}") from exc
        except BaseException:
            await self.link.close()
            raise
        self.connected = True
        self._failed_polls = 0
        self._seen_first_poll = False
        self._event(DeviceEventKind.CONNECTED, f"serial treadmill connected on {self.address}")
        if self.capabilities.can_control_speed:
            self._event(DeviceEventKind.CONTROL_GRANTED, "serial control available")
        # first measurement (and the device's state) right away; a port failure here is
        # left to the poll loop, which reopens the port
        await self._poll_and_emit(reopen=False)
        self._poll_task = asyncio.create_task(self._poll_loop(), name=f"poll {self.address}")
        return self.capabilities

    async def disconnect(self) -> None:
        """Stop polling and close the port; does not stop the belt. Safe to call twice."""
        task, self._poll_task = self._poll_task, None
        await cancel_and_wait(task)
        was_connected = self.connected
        self.connected = False
        await self.link.close()
        if was_connected:
            self._event(DeviceEventKind.DISCONNECTED, "serial treadmill disconnected")

    async def start(self) -> None:
        """Start the belt at the minimum speed.

        A start whose reply was lost or corrupted is checked with the machine
        (:meth:`_running_setpoint_kmh`) before it counts as failed; a start asked again
        after a failed one on a belt that is running by then is confirmed without
        sending the start sequence again (which would drop the belt to the minimum).
        """
        self._require_connected("start")
        if self._start_failed:
            setpoint_kmh = await self._run(self._running_setpoint_kmh(), "start (check)")
            if setpoint_kmh is not None:
                logger.info("%s: belt already running after a failed start", self.address)
                self._start_failed = False
                self._commanded_running = True
                self._target_speed_kmh = setpoint_kmh
                return
        self._start_failed = True
        sent_kmh = await self._run(self._start_checked(), "start")
        self._start_failed = False
        self._commanded_running = True
        self._target_speed_kmh = sent_kmh

    async def _start_checked(self) -> float:
        try:
            return await self._send_start()
        except (DeviceTimeoutError, ProtocolError) as exc:
            setpoint_kmh = await self._running_setpoint_kmh()
            if setpoint_kmh is None:
                raise
            logger.info("%s: start reply lost (%s), but the belt runs", self.address, exc)
            return setpoint_kmh

    async def stop(self) -> None:
        """Stop the belt; safe in any state.

        Not connected (before connect, after a failed connect, after disconnect): only
        logs, there is nothing to talk to. Connected: sends stop (once more after a
        timeout) and raises DeviceError if the treadmill does not confirm, so the
        station can alarm.
        """
        if self._reopening:
            self._commanded_running = False
            self._target_speed_kmh = 0.0
            self._stop_pending = True
            raise DeviceError(f"{self.address}: serial link lost; Stop is sent when it is back")
        if not self.connected or not self.link.is_open:
            logger.info("%s: stop while not connected (nothing sent)", self.address)
            self._commanded_running = False
            return
        self._commanded_running = False
        self._target_speed_kmh = 0.0
        try:
            await self._run(self._send_stop(), "stop")
        except SerialPortError:
            self._stop_pending = True  # sent again once the poll loop has reopened the port
            raise
        except DeviceTimeoutError:
            logger.warning("%s: stop got no answer, sending it again", self.address)
            await self._run(self._send_stop(), "stop (retry)")

    async def set_speed(self, speed_kmh: float) -> None:
        """Command a belt speed, clamped and quantised; 0 (or less) stops the belt.

        Raises:
            DeviceError: not connected, refused, or no answer.
        """
        self._require_connected("set_speed")
        if math.isnan(speed_kmh):
            raise DeviceError("speed is NaN")
        if speed_kmh <= 0:
            await self.stop()
            return
        value = self.capabilities.quantise_speed_kmh(speed_kmh)
        if self._speed_limit_kmh is not None and value > self._speed_limit_kmh:
            logger.debug("%s: %.2f km/h clamped to the machine's limit", self.address, value)
            value = self._speed_limit_kmh
        sent_kmh = await self._run(self._speed_within_limit(value), "set_speed")
        if abs(sent_kmh - speed_kmh) > 1e-6:
            logger.debug("%s: asked %.3f km/h, sent %.3f km/h", self.address, speed_kmh, sent_kmh)
        self._target_speed_kmh = sent_kmh
        self._commanded_running = True

    async def set_incline(self, incline_pct: float) -> None:
        """Command an incline, clamped and quantised.

        Raises:
            DeviceError: not connected, refused, or no answer.
        """
        self._require_connected("set_incline")
        if math.isnan(incline_pct):
            raise DeviceError("incline is NaN")
        value = self.capabilities.quantise_incline_pct(incline_pct)
        await self._run(self._send_incline(value), "set_incline")
        self._target_incline_pct = value

    @property
    def stops_when_host_silent(self) -> bool:
        """True if the machine stops the belt by itself when this host goes silent.

        CSAFE and Trackmaster have no communication watchdog: the belt keeps running
        through a crash or a pulled cable. Woodway started with its watchdog overrides this.
        """
        return False

    @property
    def speed_limit_kmh(self) -> float | None:
        """The highest speed the machine accepted below one it refused (None: none refused)."""
        return self._speed_limit_kmh

    async def _speed_within_limit(self, value_kmh: float) -> float:
        """Send ``value_kmh``; if the machine refuses it as out of range, clamp.

        The highest grid speed it accepts is found by bisection between the highest
        speed it accepted before (or the minimum) and the refused one; every speed
        sent lies between those two. It becomes :attr:`speed_limit_kmh`, later
        commands are clamped to it without asking again, and the refusal is reported
        once (COMMAND_FAILED with the limit as value). Returns the speed sent.

        Raises:
            ControlNotPermittedError: the machine refuses even the minimum speed.
        """
        try:
            sent_kmh = await self._speed_checked(value_kmh)
        except CommandRefusedError:
            pass
        else:
            self._accepted_max_kmh = max(self._accepted_max_kmh or 0.0, value_kmh)
            return sent_kmh
        caps = self.capabilities
        step = caps.speed_increment_kmh or 0.1

        def at(k: int) -> float:
            return round(caps.min_speed_kmh + k * step, 6)

        hi = round((value_kmh - caps.min_speed_kmh) / step)
        known = self._accepted_max_kmh
        lo: int | None = None
        if known is not None and known < value_kmh:
            lo = round((known - caps.min_speed_kmh) / step)
        sent_at: int | None = None
        if lo is None:
            try:
                sent_kmh = await self._speed_checked(at(0))
            except CommandRefusedError as exc:
                raise ControlNotPermittedError(
                    f"{self.address}: treadmill refuses every speed ({exc})"
                ) from exc
            lo = sent_at = 0
        while hi - lo > 1:
            mid = (lo + hi) // 2
            try:
                sent_kmh = await self._speed_checked(at(mid))
            except CommandRefusedError:
                hi = mid
            else:
                lo = sent_at = mid
        if sent_at != lo:  # refused commands are not applied: make at(lo) the setpoint
            sent_kmh = await self._speed_checked(at(lo))
        self._speed_limit_kmh = self._accepted_max_kmh = at(lo)
        self._event(
            DeviceEventKind.COMMAND_FAILED,
            f"treadmill refused {value_kmh:.2f} km/h (above its limit); "
            f"clamped to {at(lo):.2f} km/h",
            at(lo),
        )
        return sent_kmh

    async def _speed_checked(self, value_kmh: float) -> float:
        """Send a speed; a lost or corrupted reply is read back before it is sent again."""
        try:
            return await self._send_speed(value_kmh)
        except (DeviceTimeoutError, ProtocolError) as exc:
            applied_kmh = await self._read_back_speed(value_kmh)
            if applied_kmh is not None:
                logger.info("%s: speed reply lost (%s); read back: applied", self.address, exc)
                return applied_kmh
            logger.info("%s: speed reply lost (%s); not applied, sending again", self.address, exc)
            return await self._send_speed(value_kmh)

    async def _read_back_speed(self, value_kmh: float) -> float | None:
        """Whether a speed command whose reply was lost took effect.

        Returns the km/h the machine runs at (was told) if it did, None if it did not
        or the protocol cannot tell (the command is then sent again; speed commands are
        idempotent). Protocols that can read their setpoint override this.
        """
        return None

    async def _running_setpoint_kmh(self) -> float | None:
        """The belt's speed setpoint if it runs under our control now, else None.

        Asked after a start whose reply was lost and before a start repeated after a
        failed one. Protocols override this; the default cannot tell.
        """
        return None

    # -- internals -----------------------------------------------------------------------

    def _require_connected(self, what: str) -> None:
        if not self.connected:
            raise DeviceError(f"{self.address}: not connected ({what})")

    @property
    def commanded_speed_kmh(self) -> float:
        """The belt speed last sent, in km/h as the machine was told it (0: stopped).

        On an mph machine this is the km/h equivalent of the mph value on the wire,
        which can differ from the km/h asked for by up to half a 0.1 mph step.
        """
        return self._target_speed_kmh if self._commanded_running else 0.0

    async def _run(self, coro: Coroutine[Any, Any, _T], what: str) -> _T:
        self._commands_in_flight += 1
        self._command_epoch += 1
        try:
            return await coro
        except ProtocolError as exc:
            self._event(DeviceEventKind.COMMAND_FAILED, f"{what}: unexpected reply: {exc}")
            raise DeviceError(f"{self.address}: {what}: unexpected reply: {exc}") from exc
        except DeviceError as exc:
            self._event(DeviceEventKind.COMMAND_FAILED, f"{what}: {exc}")
            raise
        finally:
            self._commands_in_flight -= 1
            self._command_epoch += 1

    def _event(self, kind: DeviceEventKind, message: str, value: float | None = None) -> None:
        self._emit_event(
            DeviceEvent(self.clock.monotonic_s(), DeviceRole.TREADMILL, kind, message, value)
        )

    async def _poll_loop(self) -> None:
        loop = asyncio.get_running_loop()
        next_at = loop.time()
        while True:
            next_at += self.poll_period_s
            delay = next_at - loop.time()
            if delay < 0:  # fell behind (slow device): do not burst
                next_at = loop.time()
                delay = 0
            await asyncio.sleep(delay)
            await self._poll_and_emit()

    async def _reopen(self, cause: SerialPortError) -> None:
        """Close the failed port and reopen it with backoff until the device answers."""
        self._reopening = True
        lost_at_s = self.clock.monotonic_s()
        logger.warning("%s: serial link lost: %s", self.address, cause)
        self._event(DeviceEventKind.DISCONNECTED, f"serial link lost: {cause}")
        await self.link.close()
        backoff = self.reopen_backoff_s or (1.0,)
        attempt = 0
        try:
            while True:
                attempt += 1
                self._event(
                    DeviceEventKind.RECONNECTING,
                    f"reopening {self.address} (attempt {attempt})",
                    float(attempt),
                )
                try:
                    await self.link.open()
                    await self._probe()
                except (DeviceError, ProtocolError) as exc:
                    logger.info("%s: reopen attempt %d failed: %s", self.address, attempt, exc)
                    await self.link.close()
                    await asyncio.sleep(backoff[min(attempt - 1, len(backoff) - 1)])
                    continue
                break
        finally:
            self._reopening = False
        self._failed_polls = 0
        outage_s = self.clock.monotonic_s() - lost_at_s
        self._event(
            DeviceEventKind.RECONNECTED,
            f"serial link back after {outage_s:.1f} s",
            outage_s,
        )
        if self._stop_pending:
            self._stop_pending = False
            try:
                await self.stop()
            except DeviceError as exc:
                logger.error("%s: pending stop failed after reopening: %s", self.address, exc)

    async def _poll_and_emit(self, *, reopen: bool = True) -> None:
        epoch = self._command_epoch
        idle = self._commands_in_flight == 0
        try:
            result = await self._poll_once()
        except SerialPortError as exc:
            if reopen:
                await self._reopen(exc)
            else:
                self._poll_failed(exc)
            return
        except (DeviceError, ProtocolError) as exc:
            self._poll_failed(exc)
            return
        except Exception as exc:  # a bug must not kill the poll loop (and the data with it)
            logger.exception("%s: unexpected poll failure", self.address)
            self._poll_failed(exc)
            return
        if self._failed_polls >= FAILED_POLLS_BEFORE_ALARM:
            self._event(DeviceEventKind.RECONNECTED, "treadmill answers again")
        self._failed_polls = 0
        now_s = self.clock.monotonic_s()
        settled = idle and self._commands_in_flight == 0 and self._command_epoch == epoch
        self._track_state(result, settled=settled)
        distance_m = result.distance_m
        if distance_m is None:
            if self._last_poll_s is not None and now_s > self._last_poll_s:
                self._distance_m += self._last_speed_kmh / 3.6 * (now_s - self._last_poll_s)
            distance_m = round(self._distance_m, 1)
        self._last_poll_s = now_s
        self._last_speed_kmh = result.speed_kmh or 0.0
        self._emit_measurement(
            TreadmillMeasurement(
                t_s=now_s,
                speed_kmh=result.speed_kmh,
                incline_pct=result.incline_pct,
                distance_m=distance_m,
                hr_bpm=result.hr_bpm,
                belt=result.belt,
                elapsed_s=result.elapsed_s,
            )
        )

    def _poll_failed(self, exc: Exception) -> None:
        self._failed_polls += 1
        logger.debug("%s: poll failed: %s", self.address, exc)
        if self._failed_polls == FAILED_POLLS_BEFORE_ALARM:
            self._event(DeviceEventKind.NOT_RESPONDING, f"treadmill not answering: {exc}")

    def _infer_belt_events(self, result: PollResult) -> None:
        """Stops and starts at the console, from the belt state a poll found."""
        if (
            result.belt is BeltState.STOPPED
            and self._commanded_running
            and (
                self._belt is BeltState.RUNNING
                or (result.speed_kmh or 0.0) > 0.05  # reports stopped while still moving
                or self._last_speed_kmh > 0.05
            )
        ):
            self._commanded_running = False
            self._event(DeviceEventKind.STOPPED_BY_USER, "belt stopped at the treadmill")
        elif (
            result.belt is BeltState.RUNNING
            and self._belt is BeltState.STOPPED
            and not self._commanded_running
        ):
            self._commanded_running = True
            self._event(DeviceEventKind.STARTED_BY_USER, "belt started at the treadmill")

    def _track_state(self, result: PollResult, *, settled: bool = True) -> None:
        """Turn a poll into events.

        ``settled`` is False when one of our own commands was sent while the poll was
        reading: its readings may predate the command, so they are not compared with
        the new target (that would report our own command as a console change); only
        device-reported events are passed on, and the next poll compares.
        """
        if not self._seen_first_poll:
            # adopt the device's state as found, without events
            self._seen_first_poll = True
            self._belt = result.belt
            self._commanded_running = result.belt is BeltState.RUNNING
            if result.target_speed_kmh is not None:
                self._target_speed_kmh = result.target_speed_kmh
            if result.target_incline_pct is not None:
                self._target_incline_pct = result.target_incline_pct
            return
        if result.event is not None:
            kind, message = result.event
            self._event(kind, message, result.event_value)
            if kind in (
                DeviceEventKind.STOPPED_BY_USER,
                DeviceEventKind.SAFETY_KEY,
                DeviceEventKind.PAUSED_BY_USER,
            ):
                self._commanded_running = False
        if not settled:
            return
        if result.event is None:
            self._infer_belt_events(result)
        self._belt = result.belt
        if (
            result.target_speed_kmh is not None
            and self._commanded_running
            and result.target_speed_kmh > 0
            and abs(result.target_speed_kmh - self._target_speed_kmh) > 0.15
        ):
            self._target_speed_kmh = result.target_speed_kmh
            self._event(
                DeviceEventKind.CONSOLE_SPEED_CHANGED,
                f"console speed {result.target_speed_kmh:.1f} km/h",
                result.target_speed_kmh,
            )
        if (
            result.target_incline_pct is not None
            and abs(result.target_incline_pct - self._target_incline_pct) > 0.05
        ):
            self._target_incline_pct = result.target_incline_pct
            self._event(
                DeviceEventKind.CONSOLE_INCLINE_CHANGED,
                f"console incline {result.target_incline_pct:.1f} %",
                result.target_incline_pct,
            )
