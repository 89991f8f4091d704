"""Trackmaster and Woodway clinical treadmills on a serial port (4800 8N1).

Every command is acknowledged by one byte (or an error byte); status requests are
answered by ``D?`` + data. Speeds travel in 0.1 mph and grades in 0.1 %. The Woodway
dialect starts the belt with ``A0``, which arms the treadmill's hardware communication
watchdog: the belt stops by itself if this host goes silent (crash, unplugged cable).
Polling at >= 1 Hz keeps the watchdog fed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Final

from drivers.protocols import trackmaster as tm
from drivers.protocols.trackmaster import Dialect, TrackmasterMessage
from drivers.serial.base import CommandRefusedError, PollingSerialTreadmill, PollResult
from drivers.serial.link import SerialLink, read_exactly
from runningroom.clock import Clock
from runningroom.devices import BeltState, DeviceEventKind, TreadmillCapabilities
from runningroom.errors import DeviceError, DeviceTimeoutError, ProtocolError

logger = logging.getLogger(__name__)


class WatchdogTrippedError(DeviceError):
    """A Woodway treadmill reports that its communication watchdog stopped the belt."""


_MPH: Final = tm.KMH_PER_MPH

TRACKMASTER_CAPABILITIES: Final = TreadmillCapabilities(
    min_speed_kmh=round(0.2 * _MPH, 6),
    max_speed_kmh=round(15.0 * _MPH, 6),
    speed_increment_kmh=round(0.1 * _MPH, 6),
    min_incline_pct=0.0,
    max_incline_pct=25.0,
    incline_increment_pct=0.5,
    model="Trackmaster treadmill (serial)",
)
WOODWAY_CAPABILITIES: Final = TreadmillCapabilities(
    min_speed_kmh=round(0.5 * _MPH, 6),
    max_speed_kmh=round(29.9 * _MPH, 6),
    speed_increment_kmh=round(0.1 * _MPH, 6),
    min_incline_pct=0.0,
    max_incline_pct=25.0,
    incline_increment_pct=0.5,
    model="Woodway treadmill (serial)",
)


def kmh_to_mph(speed_kmh: float) -> float:
    """Convert and round to the protocol's 0.1 mph."""
    return round(speed_kmh / _MPH, 1)


#: Late replies to earlier requests dropped at most while reading one reply.
_MAX_STALE_REPLIES: Final = 4


def _reply_length(code: int, dialect: Dialect) -> int | None:
    """Length of the treadmill message starting with ``code`` (None: not a reply)."""
    if not 0xB0 <= code <= 0xDF:
        return None
    try:
        return tm.reply_length(bytes([code - 0x10]), dialect)
    except ProtocolError:
        return None


class TrackmasterTreadmill(PollingSerialTreadmill):
    """A Trackmaster or Woodway treadmill.

    Args:
        url: serial device path or pyserial URL.
        clock: time source.
        dialect: "trackmaster" or "woodway".
        capabilities: ranges (default per dialect).
        watchdog: Woodway only: start with the hardware communication watchdog (A0).
        poll_period_s: measurement interval (<= 1 s; also feeds the watchdog).
        timeout_s: reply timeout per request.
        serial_factory: replaces :func:`serial.serial_for_url` (tests).
    """

    def __init__(
        self,
        url: str,
        clock: Clock,
        dialect: Dialect | str = Dialect.TRACKMASTER,
        *,
        capabilities: TreadmillCapabilities | None = None,
        watchdog: bool = True,
        poll_period_s: float = 0.5,
        timeout_s: float = 0.5,
        serial_factory: Callable[..., Any] | None = None,
    ) -> None:
        self.dialect = Dialect(dialect)
        default = (
            TRACKMASTER_CAPABILITIES
            if self.dialect is Dialect.TRACKMASTER
            else WOODWAY_CAPABILITIES
        )
        link = SerialLink(url, tm.BAUD_RATE, timeout_s, serial_factory)
        super().__init__(
            link,
            clock,
            capabilities or default,
            poll_period_s=poll_period_s,
            address=f"serial:{url}?protocol={self.dialect.value}",
        )
        self.watchdog = watchdog
        self.firmware: str | None = None
        #: late replies to earlier requests dropped so far
        self.stale_replies_dropped = 0

    async def command(self, request: bytes) -> TrackmasterMessage:
        """Send one command or status request and return the decoded reply.

        Raises:
            DeviceTimeoutError: no (complete) reply in time.
            DeviceError: the treadmill answered with an error byte.
            ProtocolError: the reply is not the expected acknowledgement/reply.
        """
        dialect = self.dialect
        expected = tm.reply_length(request, dialect)

        answer = request[0] + 0x10
        what = f"0x{request[0]:02X}"

        def read_reply(port: Any) -> bytes:
            for _ in range(_MAX_STALE_REPLIES + 1):
                first = read_exactly(port, 1, what)
                code = first[0]
                if code == answer and expected > 1:
                    return first + read_exactly(port, expected - 1, what)
                if code == answer or code in tm.ERROR_MESSAGES:
                    return first
                stale_length = _reply_length(code, dialect)
                if stale_length is None:
                    return first  # not a reply at all: a protocol error for the caller
                # a late reply to an earlier request (after its timeout): drop it
                stale = first + read_exactly(port, stale_length - 1, what)
                self.stale_replies_dropped += 1
                logger.info("%s: dropped a late reply %s", self.address, stale.hex(" "))
            raise DeviceTimeoutError(f"only stale replies to {what}")

        raw = await self.link.request(request, read_reply)
        (reply, *extra) = tm.decode_stream(raw, dialect)
        if extra:
            raise ProtocolError(f"unexpected extra reply bytes {raw.hex(' ')}")
        if reply.kind == "error":
            if reply.code == tm.ERROR_COMMS_TIMEOUT:
                self._event(
                    DeviceEventKind.NOT_RESPONDING,
                    "Woodway communication watchdog tripped: belt stopped",
                )
                raise WatchdogTrippedError(f"{self.address}: communication watchdog tripped")
            message = f"{self.address}: treadmill refused 0x{request[0]:02X}: {reply.error}"
            if reply.code == tm.ERROR_OUT_OF_RANGE:
                raise CommandRefusedError(message)
            raise DeviceError(message)
        if reply.code != request[0] + 0x10:
            raise ProtocolError(f"reply 0x{reply.code:02X} does not answer 0x{request[0]:02X}")
        return reply

    async def _probe(self) -> None:
        try:
            await self.command(tm.encode_query(tm.QUERY_STATUS, self.dialect))
        except WatchdogTrippedError:
            # the treadmill reports the trip once (after a host crash); it answers again
            logger.warning("%s: watchdog had stopped the belt before this connect", self.address)
            await self.command(tm.encode_query(tm.QUERY_STATUS, self.dialect))
        if self.dialect is Dialect.WOODWAY:
            try:
                self.firmware = (await self.command(bytes([tm.QUERY_C3]))).status
            except (DeviceError, ProtocolError):
                logger.info("%s: no firmware revision", self.address)

    async def _poll_once(self) -> PollResult:
        speed = await self.command(bytes([tm.QUERY_SPEED]))
        elevation = await self.command(bytes([tm.QUERY_ELEVATION]))
        speed_kmh = round((speed.speed_mph or 0.0) * _MPH, 2)
        if self.dialect is Dialect.TRACKMASTER:
            status = await self.command(bytes([tm.QUERY_STATUS]))
            set_speed = await self.command(bytes([tm.QUERY_C3]))
            set_elevation = await self.command(bytes([tm.QUERY_C4]))
            belt = BeltState.STOPPED if status.status == "stopped" else BeltState.RUNNING
            running = belt is BeltState.RUNNING
            return PollResult(
                speed_kmh=speed_kmh,
                incline_pct=elevation.grade_pct,
                belt=belt,
                target_speed_kmh=(
                    round((set_speed.speed_mph or 0.0) * _MPH, 2) if running else None
                ),
                target_incline_pct=set_elevation.grade_pct,
            )
        belt = BeltState.RUNNING if speed_kmh > 0 else BeltState.STOPPED
        return PollResult(speed_kmh=speed_kmh, incline_pct=elevation.grade_pct, belt=belt)

    @property
    def stops_when_host_silent(self) -> bool:
        """Woodway started with ``A0``: its hardware watchdog stops the belt."""
        return self.dialect is Dialect.WOODWAY and self.watchdog

    async def _read_back_speed(self, value_kmh: float) -> float | None:
        """Trackmaster: the setpoint (C3) shows whether a speed command took effect."""
        if self.dialect is not Dialect.TRACKMASTER:
            return None  # Woodway's C3 is the firmware revision: send again
        _request, sent_kmh = self._speed_request(value_kmh)
        setpoint = await self.command(bytes([tm.QUERY_C3]))
        if setpoint.speed_mph is None or abs(setpoint.speed_mph * _MPH - sent_kmh) > 1e-3:
            return None
        return sent_kmh

    async def _running_setpoint_kmh(self) -> float | None:
        """The setpoint if the belt runs (Trackmaster C0/C3; Woodway: C1 speed > 0)."""
        if self.dialect is Dialect.TRACKMASTER:
            status = await self.command(bytes([tm.QUERY_STATUS]))
            if status.status == "stopped":
                return None
            setpoint = await self.command(bytes([tm.QUERY_C3]))
            return round((setpoint.speed_mph or 0.0) * _MPH, 6) or None
        speed = await self.command(bytes([tm.QUERY_SPEED]))
        if not speed.speed_mph:
            return None
        return self._target_speed_kmh or round(speed.speed_mph * _MPH, 6)

    def _speed_request(self, speed_kmh: float) -> tuple[bytes, float]:
        """The set-speed command and the km/h equivalent of the mph value it carries."""
        mph = min(max(kmh_to_mph(speed_kmh), 0.0), self.dialect.max_speed_mph)
        return tm.encode_set_speed(mph, self.dialect), round(mph * _MPH, 6)

    async def _send_start(self) -> float:
        request, sent_kmh = self._speed_request(self.capabilities.min_speed_kmh)
        await self.command(request)
        await self.command(tm.encode_start(self.dialect, watchdog=self.watchdog))
        return sent_kmh

    async def _send_stop(self) -> None:
        await self.command(tm.encode_stop(self.dialect))

    async def _send_speed(self, speed_kmh: float) -> float:
        request, sent_kmh = self._speed_request(speed_kmh)
        await self.command(request)
        if not self._commanded_running:
            await self.command(tm.encode_start(self.dialect, watchdog=self.watchdog))
        return sent_kmh

    async def _send_incline(self, incline_pct: float) -> None:
        grade = min(max(round(incline_pct, 1), 0.0), self.dialect.max_grade_pct)
        await self.command(tm.encode_set_elevation(grade, self.dialect))
