"""CSAFE (Communications Specification for Fitness Equipment) framing and treadmill commands.

Physical layer: RS-232, 9600 baud 8N1; the PC is the master, the equipment answers.

Frames::

    standard  F1 | contents | checksum | F2
    extended  F0 | destination | source | contents | checksum | F2

The checksum is the XOR of all content bytes (starting from 0). Any byte 0xF0-0xF3
between the start and stop flags (contents, checksum, addresses) is sent as ``F3``
followed by its low two bits (``F1`` -> ``F3 01``).

Commands in a request: 0x80-0xFF are short (no data); 0x00-0x7F are long
(``[id][byte count][data...]``); several may share one frame. A response's contents are
``[status][cmd id][byte count][data...]...``. Status byte: bit 7 frame toggle, bits 5-4
previous frame status (0 OK, 1 reject, 2 bad, 3 not ready), bits 3-0 state.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Final

from drivers.protocols.errors import (
    ChecksumError,
    EncodingError,
    FramingError,
    InvalidValueError,
    TruncatedPacketError,
    UnknownOpcodeError,
)

__all__ = [
    "BAUD_RATE",
    "Cmd",
    "CsafeCommand",
    "CsafeFrame",
    "CsafeResponse",
    "CsafeState",
    "CsafeStatus",
    "Unit",
    "checksum",
    "cmd_set_grade",
    "cmd_set_speed",
    "decode_frame",
    "decode_request",
    "decode_response",
    "describe_request",
    "encode_frame",
    "encode_request",
    "encode_response",
    "interpret",
    "split_frames",
    "stuff",
    "unstuff",
    "value_with_unit",
]

BAUD_RATE: Final = 9600
EXTENDED_START: Final = 0xF0
STANDARD_START: Final = 0xF1
STOP_FLAG: Final = 0xF2
STUFF_FLAG: Final = 0xF3
#: Largest frame we accept (Concept2 notes 96 bytes on the PM; some code uses 120).
MAX_FRAME_BYTES: Final = 256


class Cmd(IntEnum):
    """CSAFE command identifiers used by treadmills."""

    SET_TIMEOUT = 0x13
    SET_TWORK = 0x20
    SET_HORIZONTAL = 0x21
    SET_CALORIES = 0x23
    SET_PROGRAM = 0x24
    SET_SPEED = 0x25
    SET_GRADE = 0x28
    SET_LEVEL = 0x2D
    SET_TARGET_HR = 0x30
    SET_METS = 0x33
    SET_POWER = 0x34
    SET_HR_ZONE = 0x35
    SET_HR_MAX = 0x36
    GET_STATUS = 0x80
    RESET = 0x81
    GO_IDLE = 0x82
    GO_HAVE_ID = 0x83
    GO_IN_USE = 0x85
    GO_FINISHED = 0x86
    GO_READY = 0x87
    BAD_ID = 0x88
    GET_VERSION = 0x91
    GET_ID = 0x92
    GET_UNITS = 0x93
    GET_SERIAL = 0x94
    GET_ODOMETER = 0x9B
    GET_ERROR_CODE = 0x9C
    GET_TWORK = 0xA0
    GET_HORIZONTAL = 0xA1
    GET_CALORIES = 0xA3
    GET_PROGRAM = 0xA4
    GET_SPEED = 0xA5
    GET_PACE = 0xA6
    GET_GRADE = 0xA8
    GET_HR_CUR = 0xB0
    GET_METS = 0xB3
    GET_POWER = 0xB4
    GET_HR_AVG = 0xB5
    GET_HR_MAX = 0xB6


class Unit(IntEnum):
    """CSAFE unit codes (subset a treadmill uses)."""

    MILE = 0x01
    MILE_0_1 = 0x02
    MILE_0_01 = 0x03
    MILE_0_001 = 0x04
    FOOT = 0x05
    MPH = 0x10
    MPH_0_1 = 0x11
    MPH_0_01 = 0x12
    KM = 0x21
    KM_0_1 = 0x22
    KM_0_01 = 0x23
    METRE = 0x24
    METRE_0_1 = 0x25
    KMH = 0x30
    KMH_0_1 = 0x31
    KMH_0_01 = 0x32
    CALORIES = 0x48
    GRADE_PCT = 0x4A
    GRADE_PCT_0_01 = 0x4B
    GRADE_PCT_0_1 = 0x4C
    BPM = 0x55
    WATTS = 0x58


_KMH_PER_MPH: Final = 1.609344
# unit -> (quantity, factor to SI-ish unit: km/h, %, m)
_UNIT_FACTORS: Final[dict[int, tuple[str, float]]] = {
    Unit.MPH: ("speed_kmh", _KMH_PER_MPH),
    Unit.MPH_0_1: ("speed_kmh", 0.1 * _KMH_PER_MPH),
    Unit.MPH_0_01: ("speed_kmh", 0.01 * _KMH_PER_MPH),
    Unit.KMH: ("speed_kmh", 1.0),
    Unit.KMH_0_1: ("speed_kmh", 0.1),
    Unit.KMH_0_01: ("speed_kmh", 0.01),
    Unit.GRADE_PCT: ("grade_pct", 1.0),
    Unit.GRADE_PCT_0_01: ("grade_pct", 0.01),
    Unit.GRADE_PCT_0_1: ("grade_pct", 0.1),
    Unit.MILE: ("distance_m", 1609.344),
    Unit.MILE_0_1: ("distance_m", 160.9344),
    Unit.MILE_0_01: ("distance_m", 16.09344),
    Unit.MILE_0_001: ("distance_m", 1.609344),
    Unit.FOOT: ("distance_m", 0.3048),
    Unit.KM: ("distance_m", 1000.0),
    Unit.KM_0_1: ("distance_m", 100.0),
    Unit.KM_0_01: ("distance_m", 10.0),
    Unit.METRE: ("distance_m", 1.0),
    Unit.METRE_0_1: ("distance_m", 0.1),
}


class CsafeState(IntEnum):
    """Equipment state (status byte bits 3-0)."""

    ERROR = 0
    READY = 1
    IDLE = 2
    HAVE_ID = 3
    IN_USE = 5
    PAUSED = 6
    FINISHED = 7
    MANUAL = 8
    OFFLINE = 9


PREVIOUS_FRAME_STATUS: Final[tuple[str, ...]] = ("ok", "reject", "bad", "not_ready")

# -- framing ---------------------------------------------------------------------------


def checksum(contents: bytes) -> int:
    """XOR of all content bytes, starting from 0."""
    value = 0
    for byte in contents:
        value ^= byte
    return value


def stuff(data: bytes) -> bytes:
    """Escape 0xF0-0xF3 as ``F3 0x`` (x = low two bits)."""
    out = bytearray()
    for byte in data:
        if 0xF0 <= byte <= 0xF3:
            out += bytes([STUFF_FLAG, byte & 0x03])
        else:
            out.append(byte)
    return bytes(out)


def unstuff(data: bytes) -> bytes:
    """Undo :func:`stuff`.

    Raises:
        FramingError: a raw flag byte, or ``F3`` not followed by 00-03.
    """
    out = bytearray()
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == STUFF_FLAG:
            if i + 1 >= len(data) or data[i + 1] > 0x03:
                raise FramingError(f"bad byte-stuffing sequence at offset {i}")
            out.append(0xF0 | data[i + 1])
            i += 2
            continue
        if 0xF0 <= byte <= 0xF2:
            raise FramingError(f"unescaped flag byte 0x{byte:02X} inside a frame")
        out.append(byte)
        i += 1
    return bytes(out)


@dataclass(frozen=True, slots=True)
class CsafeFrame:
    """A decoded frame (flags, stuffing and checksum removed).

    Attributes:
        contents: the frame contents.
        extended: True for an ``F0`` extended frame.
        destination: extended-frame destination address.
        source: extended-frame source address.
    """

    contents: bytes
    extended: bool = False
    destination: int | None = None
    source: int | None = None


def encode_frame(
    contents: bytes, *, destination: int | None = None, source: int | None = None
) -> bytes:
    """Wrap ``contents`` in a standard frame, or an extended one when addresses are given.

    Raises:
        EncodingError: only one address given or an address outside 0-255.
    """
    body = bytes(contents) + bytes([checksum(contents)])
    if destination is None and source is None:
        return bytes([STANDARD_START]) + stuff(body) + bytes([STOP_FLAG])
    if destination is None or source is None:
        raise EncodingError("an extended frame needs both destination and source")
    if not (0 <= destination <= 0xFF and 0 <= source <= 0xFF):
        raise EncodingError("CSAFE addresses are single bytes")
    return bytes([EXTENDED_START]) + stuff(bytes([destination, source]) + body) + bytes([STOP_FLAG])


def decode_frame(frame: bytes) -> CsafeFrame:
    """Decode one complete frame (start flag to stop flag).

    Raises:
        TruncatedPacketError: too short to hold a checksum.
        FramingError: bad start/stop flag or stuffing.
        ChecksumError: checksum mismatch.
    """
    frame = bytes(frame)
    if len(frame) > MAX_FRAME_BYTES:
        raise FramingError(f"frame longer than {MAX_FRAME_BYTES} bytes")
    if len(frame) < 3:
        raise TruncatedPacketError(f"CSAFE frame needs >= 3 bytes, got {len(frame)}")
    start = frame[0]
    if start not in (STANDARD_START, EXTENDED_START):
        raise FramingError(f"frame must start with F1 or F0, got {start:02X}")
    if frame[-1] != STOP_FLAG:
        raise FramingError(f"frame must end with F2, got {frame[-1]:02X}")
    body = unstuff(frame[1:-1])
    extended = start == EXTENDED_START
    header = 2 if extended else 0
    if len(body) < header + 1:
        raise TruncatedPacketError("CSAFE frame without checksum")
    contents = body[header:-1]
    if checksum(contents) != body[-1]:
        raise ChecksumError(
            f"CSAFE checksum 0x{body[-1]:02X} != computed 0x{checksum(contents):02X}"
        )
    if extended:
        return CsafeFrame(contents=contents, extended=True, destination=body[0], source=body[1])
    return CsafeFrame(contents=contents)


def split_frames(buffer: bytes) -> tuple[list[bytes], bytes]:
    """Cut complete frames out of a receive buffer.

    Bytes before a start flag are dropped (line noise). Returns the complete raw frames
    (flags included) and the unconsumed rest (a partial frame).
    """
    frames: list[bytes] = []
    i = 0
    n = len(buffer)
    while i < n:
        while i < n and buffer[i] not in (STANDARD_START, EXTENDED_START):
            i += 1
        if i >= n:
            return frames, b""
        end = buffer.find(bytes([STOP_FLAG]), i + 1)
        if end < 0:
            return frames, bytes(buffer[i:])
        frames.append(bytes(buffer[i : end + 1]))
        i = end + 1
    return frames, b""


# -- commands --------------------------------------------------------------------------


def _cmd_name(cmd_id: int) -> str:
    try:
        return Cmd(cmd_id).name.lower()
    except ValueError:
        return f"cmd_0x{cmd_id:02x}"


@dataclass(frozen=True, slots=True)
class CsafeCommand:
    """One command of a request, or one answer item of a response.

    Attributes:
        cmd_id: command identifier.
        data: data bytes (empty for short requests).
    """

    cmd_id: int
    data: bytes = b""

    @property
    def name(self) -> str:
        """Lower-case command name (``cmd_0xNN`` when unknown)."""
        return _cmd_name(self.cmd_id)

    @property
    def is_short(self) -> bool:
        """Short commands (0x80-0xFF) carry no data in a request."""
        return self.cmd_id >= 0x80


def _int16_with_unit(value: float, unit: Unit, quantity: str) -> bytes:
    if math.isnan(value) or math.isinf(value):
        raise EncodingError(f"cannot encode {value}")
    qty, factor = _UNIT_FACTORS[unit]
    if qty != quantity:
        raise EncodingError(f"unit {unit.name} is not a {quantity} unit")
    raw = round(value / factor)
    try:
        return raw.to_bytes(2, "little", signed=True) + bytes([unit])
    except OverflowError as exc:
        raise EncodingError(f"{value} does not fit int16 in {unit.name}") from exc


def cmd_set_speed(speed_kmh: float, unit: Unit = Unit.KMH_0_1) -> CsafeCommand:
    """SetSpeed (0x25): int16 LE + unit; 5.0 km/h in 0.1 km/h is ``25 03 32 00 31``.

    Raises:
        EncodingError: NaN, out of int16 range, or not a speed unit.
    """
    data = _int16_with_unit(speed_kmh, unit, "speed_kmh")
    return CsafeCommand(Cmd.SET_SPEED, data)


def cmd_set_grade(grade_pct: float, unit: Unit = Unit.GRADE_PCT_0_1) -> CsafeCommand:
    """SetGrade (0x28): int16 LE + unit; 5.0 % in 0.1 % is ``28 03 32 00 4c``.

    Raises:
        EncodingError: NaN, out of int16 range, or not a grade unit.
    """
    data = _int16_with_unit(grade_pct, unit, "grade_pct")
    return CsafeCommand(Cmd.SET_GRADE, data)


def _encode_commands(cmds: Iterable[CsafeCommand]) -> bytes:
    out = bytearray()
    for cmd in cmds:
        if not 0 <= cmd.cmd_id <= 0xFF:
            raise EncodingError(f"command id {cmd.cmd_id} is not a byte")
        if cmd.is_short:
            if cmd.data:
                raise EncodingError(f"short command {cmd.name} carries no data")
            out.append(cmd.cmd_id)
        else:
            if len(cmd.data) > 0xFF:
                raise EncodingError("command data longer than 255 bytes")
            out += bytes([cmd.cmd_id, len(cmd.data)]) + cmd.data
    return bytes(out)


def encode_request(*cmds: CsafeCommand) -> bytes:
    """Encode commands into one standard frame (e.g. ``f1 a5 a8 0d f2``)."""
    return encode_frame(_encode_commands(cmds))


def _item_data(contents: bytes, i: int, label: str) -> bytes:
    """The data of the item at ``contents[i]`` laid out as id, byte count, data.

    Raises:
        TruncatedPacketError: the count byte is missing or promises more than is there
            (the message starts with ``label``).
    """
    if i + 1 >= len(contents):
        raise TruncatedPacketError(f"{label} without byte count")
    count = contents[i + 1]
    data = contents[i + 2 : i + 2 + count]
    if len(data) < count:
        raise TruncatedPacketError(f"{label} promises {count} bytes")
    return bytes(data)


def decode_request(contents: bytes) -> tuple[CsafeCommand, ...]:
    """Parse the contents of a host->equipment frame into commands.

    Raises:
        TruncatedPacketError: a long command's count or data is cut off.
        UnknownOpcodeError: a command id outside the known table.
    """
    cmds: list[CsafeCommand] = []
    i = 0
    while i < len(contents):
        cmd_id = contents[i]
        if cmd_id not in Cmd._value2member_map_:
            raise UnknownOpcodeError(f"unknown CSAFE command 0x{cmd_id:02X}")
        if cmd_id >= 0x80:
            cmds.append(CsafeCommand(cmd_id))
            i += 1
            continue
        data = _item_data(contents, i, _cmd_name(cmd_id))
        cmds.append(CsafeCommand(cmd_id, data))
        i += 2 + len(data)
    return tuple(cmds)


@dataclass(frozen=True, slots=True)
class CsafeStatus:
    """The status byte of a response.

    Attributes:
        raw: the byte.
        toggle: bit 7, flips with every frame.
        previous_frame: "ok", "reject", "bad" or "not_ready" (bits 5-4).
        state: equipment state (bits 3-0), ``None`` for reserved values.
    """

    raw: int
    toggle: bool
    previous_frame: str
    state: CsafeState | None

    @classmethod
    def from_byte(cls, raw: int) -> CsafeStatus:
        """Split a status byte into its fields."""
        try:
            state: CsafeState | None = CsafeState(raw & 0x0F)
        except ValueError:
            state = None
        return cls(
            raw=raw,
            toggle=bool(raw & 0x80),
            previous_frame=PREVIOUS_FRAME_STATUS[(raw >> 4) & 0x03],
            state=state,
        )

    @staticmethod
    def make(state: CsafeState, previous_frame: str = "ok", toggle: bool = False) -> int:
        """Build a status byte."""
        return (
            (0x80 if toggle else 0)
            | (PREVIOUS_FRAME_STATUS.index(previous_frame) << 4)
            | int(state)
        )


@dataclass(frozen=True, slots=True)
class CsafeResponse:
    """An equipment->host response.

    Attributes:
        status: the status byte.
        items: ``[cmd id][count][data]`` answer items, in order.
    """

    status: CsafeStatus
    items: tuple[CsafeCommand, ...] = ()

    def item(self, cmd_id: int) -> CsafeCommand | None:
        """The first answer item for ``cmd_id``, if any."""
        return next((it for it in self.items if it.cmd_id == cmd_id), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict with interpreted values."""
        return {
            "direction": "equipment->host",
            "status": f"0x{self.status.raw:02X}",
            "toggle": self.status.toggle,
            "previous_frame": self.status.previous_frame,
            "state": self.status.state.name.lower() if self.status.state is not None else None,
            "items": [
                {"cmd": f"0x{it.cmd_id:02X}", "name": it.name, **interpret(it)} for it in self.items
            ],
        }


def decode_response(contents: bytes) -> CsafeResponse:
    """Parse the contents of an equipment->host frame.

    Raises:
        TruncatedPacketError: empty, or an item's count promises more than is there.
    """
    if not contents:
        raise TruncatedPacketError("CSAFE response without status byte")
    status = CsafeStatus.from_byte(contents[0])
    items: list[CsafeCommand] = []
    i = 1
    while i < len(contents):
        data = _item_data(contents, i, f"response item 0x{contents[i]:02X}")
        items.append(CsafeCommand(contents[i], data))
        i += 2 + len(data)
    return CsafeResponse(status=status, items=tuple(items))


def encode_response(status: int, items: Sequence[CsafeCommand] = ()) -> bytes:
    """Encode a response frame (for simulators): ``[status]([cmd][count][data])*``."""
    out = bytearray([status & 0xFF])
    for it in items:
        if len(it.data) > 0xFF:
            raise EncodingError("response item data longer than 255 bytes")
        out += bytes([it.cmd_id, len(it.data)]) + it.data
    return encode_frame(bytes(out))


def value_with_unit(raw: int, unit: int) -> dict[str, Any]:
    """Convert a raw value and unit code to ``{"speed_kmh"|"grade_pct"|"distance_m": x}``.

    Raises:
        InvalidValueError: an unknown unit code.
    """
    if unit not in _UNIT_FACTORS:
        raise InvalidValueError(f"unsupported CSAFE unit code 0x{unit:02X}")
    quantity, factor = _UNIT_FACTORS[unit]
    return {quantity: round(raw * factor, 4), "raw": raw, "unit": f"0x{unit:02X}"}


_VALUE_WITH_UNIT_CMDS: Final = frozenset(
    {
        Cmd.SET_SPEED,
        Cmd.GET_SPEED,
        Cmd.SET_GRADE,
        Cmd.GET_GRADE,
        Cmd.SET_HORIZONTAL,
        Cmd.GET_HORIZONTAL,
    }
)


def interpret(item: CsafeCommand) -> dict[str, Any]:
    """Decode the data of a known command (request or response item) to named values.

    Layouts: SetSpeed/GetSpeed/SetGrade/GetGrade/SetHorizontal/GetHorizontal int16 LE +
    unit; GetHRCur/HRAvg/HRMax u8 bpm; GetTWork/SetTWork h, m, s; GetUnits u8 (0 metric,
    1 English); GetVersion mfg, cid, model u8, hw u16, sw u16; SetTimeout u8 s.

    Raises:
        TruncatedPacketError: fewer data bytes than the layout needs.
        InvalidValueError: unknown unit code.
    """
    cid = item.cmd_id
    data = item.data
    if cid >= 0x80 and not data:
        return {}

    def need(n: int) -> None:
        if len(data) < n:
            raise TruncatedPacketError(f"{item.name} needs {n} data bytes, got {len(data)}")

    if cid in _VALUE_WITH_UNIT_CMDS:
        need(3)
        return value_with_unit(int.from_bytes(data[0:2], "little", signed=True), data[2])
    if cid in (Cmd.GET_HR_CUR, Cmd.GET_HR_AVG, Cmd.GET_HR_MAX, Cmd.SET_TARGET_HR, Cmd.SET_HR_MAX):
        need(1)
        return {"hr_bpm": data[0]}
    if cid in (Cmd.GET_TWORK, Cmd.SET_TWORK):
        need(3)
        h, m, s = data[0], data[1], data[2]
        return {"hours": h, "minutes": m, "seconds": s, "elapsed_s": h * 3600 + m * 60 + s}
    if cid == Cmd.GET_UNITS:
        need(1)
        return {"units": "english" if data[0] else "metric"}
    if cid == Cmd.GET_VERSION:
        need(7)
        return {
            "manufacturer": data[0],
            "cid": data[1],
            "model": data[2],
            "hw_version": int.from_bytes(data[3:5], "little"),
            "sw_version": int.from_bytes(data[5:7], "little"),
        }
    if cid == Cmd.SET_TIMEOUT:
        need(1)
        return {"timeout_s": data[0]}
    return {"data_hex": data.hex(" ")} if data else {}


def describe_request(frame: CsafeFrame) -> dict[str, Any]:
    """JSON-friendly description of a host->equipment frame.

    Raises:
        ProtocolError: the contents are not a valid command list.
    """
    cmds = decode_request(frame.contents)
    return {
        "direction": "host->equipment",
        "commands": [{"cmd": f"0x{c.cmd_id:02X}", "name": c.name, **interpret(c)} for c in cmds],
    }
