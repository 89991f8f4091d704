"""Trackmaster and Woodway single-byte command protocols (one codec, a dialect flag).

Both: 4800 baud 8N1. The host sends a command byte ``0xA?`` (set commands, some with 4
ASCII digits) or a status request ``0xC?``; the treadmill answers a command with one
acknowledgement byte ``0xB?`` (command + 0x10) or an error byte, and a status request
with ``0xD?`` (request + 0x10) followed by data.

=========  ==========================  =====================================
byte       Trackmaster                 Woodway
=========  ==========================  =====================================
A0         --                          start belt with communication watchdog
A1         start belt                  --
A9         --                          start belt (no watchdog)
A2         stop belt                   disengage
A3 dddd    set speed, 0.1 mph          set speed: direction ('0' fwd, '3' rev)
                                       + tens, units, tenths of mph
A4 dddd    set elevation, 0.1 %        set elevation, 0.1 %
AA         auto-stop (speed, grade 0)  auto-stop
C0 -> D0 b belt status: '1' stopped,   test comms, 1 state byte
           '2' started CDS enabled,
           '3' started CDS disabled
C1 -> D1   actual speed, 4 digits      speed, 4 digits (as A3)
C2 -> D2   actual elevation            elevation
C3 -> D3   set speed, 4 digits         firmware revision, 4 bytes
C4 -> D4   set elevation, 4 digits     --
BD         --                          error: master (comms) timeout
BE         error: data out of range    error: invalid data
BF         error: illegal command      error: invalid command
=========  ==========================  =====================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from drivers.protocols.errors import (
    EncodingError,
    InvalidValueError,
    TruncatedPacketError,
    UnknownOpcodeError,
)

__all__ = [
    "BAUD_RATE",
    "KMH_PER_MPH",
    "Dialect",
    "TrackmasterMessage",
    "decode_digits_speed",
    "decode_stream",
    "encode_auto_stop",
    "encode_query",
    "encode_set_elevation",
    "encode_set_speed",
    "encode_start",
    "encode_stop",
    "reply_length",
]

BAUD_RATE: Final = 4800
KMH_PER_MPH: Final = 1.609344

START_WATCHDOG: Final = 0xA0
START_TRACKMASTER: Final = 0xA1
STOP: Final = 0xA2
SET_SPEED: Final = 0xA3
SET_ELEVATION: Final = 0xA4
START_WOODWAY: Final = 0xA9
AUTO_STOP: Final = 0xAA
QUERY_STATUS: Final = 0xC0
QUERY_SPEED: Final = 0xC1
QUERY_ELEVATION: Final = 0xC2
QUERY_C3: Final = 0xC3
QUERY_C4: Final = 0xC4
ERROR_COMMS_TIMEOUT: Final = 0xBD
ERROR_OUT_OF_RANGE: Final = 0xBE
ERROR_ILLEGAL_COMMAND: Final = 0xBF

ERROR_MESSAGES: Final[dict[int, str]] = {
    ERROR_COMMS_TIMEOUT: "communication watchdog timed out",
    ERROR_OUT_OF_RANGE: "command data out of range",
    ERROR_ILLEGAL_COMMAND: "illegal command",
}

BELT_STATUS: Final[dict[int, str]] = {
    ord("1"): "stopped",
    ord("2"): "running_cds_enabled",
    ord("3"): "running_cds_disabled",
}


class Dialect(StrEnum):
    """Which treadmill family speaks the protocol."""

    TRACKMASTER = "trackmaster"
    WOODWAY = "woodway"

    @property
    def max_speed_mph(self) -> float:
        """Highest speed the dialect can encode/accept."""
        return 15.0 if self is Dialect.TRACKMASTER else 29.9

    @property
    def min_speed_mph(self) -> float:
        """Lowest non-zero belt speed."""
        return 0.2 if self is Dialect.TRACKMASTER else 0.1

    @property
    def max_grade_pct(self) -> float:
        """Highest elevation."""
        return 25.0 if self is Dialect.TRACKMASTER else 29.9


_COMMANDS: Final[dict[Dialect, dict[int, str]]] = {
    Dialect.TRACKMASTER: {
        START_TRACKMASTER: "start",
        STOP: "stop",
        SET_SPEED: "set_speed",
        SET_ELEVATION: "set_elevation",
        AUTO_STOP: "auto_stop",
    },
    Dialect.WOODWAY: {
        START_WATCHDOG: "start_with_watchdog",
        START_WOODWAY: "start",
        STOP: "disengage",
        SET_SPEED: "set_speed",
        SET_ELEVATION: "set_elevation",
        AUTO_STOP: "auto_stop",
    },
}
_QUERIES: Final[dict[Dialect, dict[int, tuple[str, int]]]] = {
    # request -> (name, reply data length)
    Dialect.TRACKMASTER: {
        QUERY_STATUS: ("belt_status", 1),
        QUERY_SPEED: ("actual_speed", 4),
        QUERY_ELEVATION: ("actual_elevation", 4),
        QUERY_C3: ("set_speed", 4),
        QUERY_C4: ("set_elevation", 4),
    },
    Dialect.WOODWAY: {
        QUERY_STATUS: ("test_comms", 1),
        QUERY_SPEED: ("speed", 4),
        QUERY_ELEVATION: ("elevation", 4),
        QUERY_C3: ("firmware_revision", 4),
    },
}
_ERRORS: Final[dict[Dialect, frozenset[int]]] = {
    Dialect.TRACKMASTER: frozenset({ERROR_OUT_OF_RANGE, ERROR_ILLEGAL_COMMAND}),
    Dialect.WOODWAY: frozenset({ERROR_COMMS_TIMEOUT, ERROR_OUT_OF_RANGE, ERROR_ILLEGAL_COMMAND}),
}


def _dialect(dialect: Dialect | str) -> Dialect:
    try:
        return Dialect(dialect)
    except ValueError as exc:
        raise EncodingError(f"unknown dialect {dialect!r}") from exc


# -- encoders ----------------------------------------------------------------------------


def _tenths(value: float, what: str, unit: str, maximum: float, d: Dialect) -> int:
    """``value`` in whole tenths, checked against 0..``maximum`` of dialect ``d``.

    Raises:
        EncodingError: NaN, infinite, negative or above ``maximum``.
    """
    if math.isnan(value) or math.isinf(value):
        raise EncodingError(f"cannot encode {what} {value}")
    tenths = round(value * 10)
    if tenths < 0 or tenths > round(maximum * 10):
        raise EncodingError(f"{what} {value} {unit} outside 0..{maximum} for {d}")
    return tenths


def encode_speed_digits(speed_mph: float, dialect: Dialect | str, reverse: bool = False) -> bytes:
    """Encode a speed as the 4 ASCII digits both dialects use.

    Trackmaster ``'0035'`` = 3.5 mph; Woodway ``'0055'`` = forward 5.5 mph (first digit
    '0' forward, '3' reverse).

    Raises:
        EncodingError: negative, NaN, or above the dialect's maximum.
    """
    d = _dialect(dialect)
    tenths = _tenths(speed_mph, "speed", "mph", d.max_speed_mph, d)
    if d is Dialect.TRACKMASTER:
        if reverse:
            raise EncodingError("Trackmaster has no reverse")
        return f"{tenths:04d}".encode("ascii")
    return ("3" if reverse else "0").encode("ascii") + f"{tenths:03d}".encode("ascii")


def encode_set_speed(speed_mph: float, dialect: Dialect | str, reverse: bool = False) -> bytes:
    """Set speed: ``A3`` + 4 ASCII digits (see :func:`encode_speed_digits`)."""
    return bytes([SET_SPEED]) + encode_speed_digits(speed_mph, dialect, reverse)


def encode_set_elevation(grade_pct: float, dialect: Dialect | str) -> bytes:
    """Set elevation: ``A4`` + 4 ASCII digits in 0.1 % (``'0050'`` = 5.0 %).

    Raises:
        EncodingError: negative, NaN, or above the dialect's maximum.
    """
    d = _dialect(dialect)
    tenths = _tenths(grade_pct, "grade", "%", d.max_grade_pct, d)
    return bytes([SET_ELEVATION]) + f"{tenths:04d}".encode("ascii")


def encode_start(dialect: Dialect | str, watchdog: bool = True) -> bytes:
    """Start the belt.

    Trackmaster ``A1``; Woodway ``A0`` (hardware communication watchdog: the belt stops
    if the host goes silent) or ``A9`` without it.
    """
    d = _dialect(dialect)
    if d is Dialect.TRACKMASTER:
        return bytes([START_TRACKMASTER])
    return bytes([START_WATCHDOG if watchdog else START_WOODWAY])


def encode_stop(dialect: Dialect | str) -> bytes:
    """Stop (Trackmaster) / disengage (Woodway): ``A2``."""
    _dialect(dialect)
    return bytes([STOP])


def encode_auto_stop(dialect: Dialect | str) -> bytes:
    """Auto-stop, speed and grade to 0: ``AA``."""
    _dialect(dialect)
    return bytes([AUTO_STOP])


def encode_query(code: int, dialect: Dialect | str) -> bytes:
    """A status request ``C0``-``C4`` valid for the dialect.

    Raises:
        EncodingError: the dialect has no such request.
    """
    d = _dialect(dialect)
    if code not in _QUERIES[d]:
        raise EncodingError(f"0x{code:02X} is not a {d} status request")
    return bytes([code])


def reply_length(request: bytes, dialect: Dialect | str) -> int:
    """Bytes the treadmill sends back for ``request`` when it succeeds.

    Commands get a 1-byte acknowledgement; status requests get ``D?`` + data. An error
    reply is always 1 byte.

    Raises:
        UnknownOpcodeError: not a command of this dialect.
    """
    d = _dialect(dialect)
    if not request:
        raise TruncatedPacketError("empty request")
    code = request[0]
    if code in _COMMANDS[d]:
        return 1
    if code in _QUERIES[d]:
        return 1 + _QUERIES[d][code][1]
    raise UnknownOpcodeError(f"0x{code:02X} is not a {d} command")


# -- decoders ----------------------------------------------------------------------------


def _digits(data: bytes) -> int:
    text = data.decode("ascii", errors="replace")
    if len(text) != 4 or not text.isdigit() or not text.isascii():
        raise InvalidValueError(f"expected 4 ASCII digits, got {data!r}")
    return int(text)


def decode_digits_speed(data: bytes, dialect: Dialect | str) -> tuple[float, bool]:
    """Decode 4 speed digits to ``(speed_mph, reverse)``.

    Raises:
        InvalidValueError: not 4 ASCII digits or a bad Woodway direction digit.
    """
    d = _dialect(dialect)
    value = _digits(data)
    if d is Dialect.TRACKMASTER:
        return value / 10.0, False
    direction = data[0:1]
    if direction not in (b"0", b"3"):
        raise InvalidValueError(f"Woodway direction digit must be '0' or '3', got {direction!r}")
    return (value % 1000) / 10.0, direction == b"3"


@dataclass(frozen=True, slots=True)
class TrackmasterMessage:
    """One message of the Trackmaster/Woodway byte stream.

    Attributes:
        code: the command/reply byte.
        kind: "command", "ack", "error", "status_request" or "status_reply".
        name: lower-case name (for acks and replies: the name of what they answer).
        data: bytes following the code (digits, state byte, firmware).
        speed_mph: decoded speed for set-speed commands and speed replies.
        reverse: Woodway direction for speeds.
        grade_pct: decoded elevation.
        status: belt status text (Trackmaster ``D0``) or the raw state byte as text.
        error: error description for error bytes.
    """

    code: int
    kind: str
    name: str
    data: bytes = b""
    speed_mph: float | None = None
    reverse: bool | None = None
    grade_pct: float | None = None
    status: str | None = None
    error: str | None = None

    @property
    def speed_kmh(self) -> float | None:
        """Speed converted to km/h."""
        return None if self.speed_mph is None else round(self.speed_mph * KMH_PER_MPH, 3)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict with only the meaningful fields."""
        out: dict[str, Any] = {"code": f"0x{self.code:02X}", "kind": self.kind, "name": self.name}
        if self.data:
            out["data_hex"] = self.data.hex(" ")
        for key in ("speed_mph", "speed_kmh", "reverse", "grade_pct", "status", "error"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


def _decode_value(code: int, name: str, data: bytes, d: Dialect) -> dict[str, Any]:
    if "speed" in name:
        speed, rev = decode_digits_speed(data, d)
        return {"speed_mph": speed, "reverse": rev if d is Dialect.WOODWAY else None}
    if "elevation" in name:
        return {"grade_pct": _digits(data) / 10.0}
    if name == "belt_status":
        return {"status": BELT_STATUS.get(data[0], f"unknown_0x{data[0]:02x}")}
    if name == "test_comms":
        return {"status": f"0x{data[0]:02x}"}
    if name == "firmware_revision":
        return {"status": data.decode("ascii", errors="replace")}
    return {}


def decode_stream(data: bytes, dialect: Dialect | str) -> tuple[TrackmasterMessage, ...]:
    """Decode a byte stream (host and/or treadmill side) into messages.

    Host bytes (``A?``, ``C?``) and treadmill bytes (``B?``, ``D?``) are told apart by
    their high nibble, so a captured conversation decodes without context.

    Raises:
        TruncatedPacketError: a message's data is cut off (or the stream is empty).
        UnknownOpcodeError: a byte that starts no message of this dialect.
        InvalidValueError: malformed digits.
    """
    d = _dialect(dialect)
    data = bytes(data)
    if not data:
        raise TruncatedPacketError("empty Trackmaster/Woodway stream")
    messages: list[TrackmasterMessage] = []
    i = 0
    while i < len(data):
        code = data[i]
        commands = _COMMANDS[d]
        queries = _QUERIES[d]
        if code in commands:
            name = commands[code]
            n = 4 if code in (SET_SPEED, SET_ELEVATION) else 0
            body = data[i + 1 : i + 1 + n]
            if len(body) < n:
                raise TruncatedPacketError(f"{name} needs {n} ASCII digits")
            values = _decode_value(code, name, body, d) if n else {}
            messages.append(TrackmasterMessage(code, "command", name, body, **values))
            i += 1 + n
        elif code in queries:
            messages.append(TrackmasterMessage(code, "status_request", queries[code][0]))
            i += 1
        elif code - 0x10 in commands:
            messages.append(TrackmasterMessage(code, "ack", commands[code - 0x10]))
            i += 1
        elif code in _ERRORS[d]:
            messages.append(TrackmasterMessage(code, "error", "error", error=ERROR_MESSAGES[code]))
            i += 1
        elif code - 0x10 in queries:
            name, n = queries[code - 0x10]
            body = data[i + 1 : i + 1 + n]
            if len(body) < n:
                raise TruncatedPacketError(f"{name} reply needs {n} data bytes")
            values = _decode_value(code, name, body, d)
            messages.append(TrackmasterMessage(code, "status_reply", name, body, **values))
            i += 1 + n
        else:
            raise UnknownOpcodeError(f"0x{code:02X} starts no {d} message")
    return tuple(messages)
