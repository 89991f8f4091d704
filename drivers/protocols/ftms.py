"""Fitness Machine Service (FTMS 1.0, service 0x1826) codecs for treadmills.

Pure functions over ``bytes``; all multi-byte fields are little-endian. Decoders return
frozen dataclasses or raise a :class:`~runningroom.errors.ProtocolError` subclass, never
anything else. Notification decoders are tolerant: a packet shorter than its flags
promise decodes the fields that fit (real Matrix treadmills do this) and records where
it ended.

Sentinels meaning "not available" decode to ``None``: 0xFFFF (uint16), 0xFF (uint8),
0x7FFF (sint16, and the uint16 elevation gains, a Life Fitness quirk), 0xFFFFFF (uint24).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import IntEnum
from types import MappingProxyType
from typing import Any, Final

from drivers.protocols.errors import EncodingError, TruncatedPacketError, UnknownOpcodeError

logger = logging.getLogger(__name__)

__all__ = [
    "ControlPointOpcode",
    "ControlPointRequest",
    "ControlPointResponse",
    "FitnessMachineFeatures",
    "MachineStatus",
    "MachineStatusOpcode",
    "ResultCode",
    "SupportedRange",
    "TrainingStatus",
    "TreadmillData",
    "TreadmillDataMerger",
    "TreadmillQuirks",
    "apply_quirks",
    "decode_control_point_request",
    "decode_control_point_response",
    "decode_feature",
    "decode_heart_rate_range",
    "decode_incline_range",
    "decode_machine_status",
    "decode_power_range",
    "decode_resistance_range",
    "decode_speed_range",
    "decode_training_status",
    "decode_treadmill_data",
    "encode_control_point_response",
    "encode_feature",
    "encode_incline_range",
    "encode_machine_status",
    "encode_pause",
    "encode_request_control",
    "encode_reset",
    "encode_set_target_inclination",
    "encode_set_target_speed",
    "encode_speed_range",
    "encode_start",
    "encode_stop",
    "encode_training_status",
    "encode_treadmill_data",
]

# --------------------------------------------------------------------------------------
# Little-endian field readers
# --------------------------------------------------------------------------------------

_SIZES: Final[dict[str, int]] = {"u8": 1, "u16": 2, "s16": 2, "u24": 3}


def _read(fmt: str, data: bytes, offset: int) -> int:
    size = _SIZES[fmt]
    return int.from_bytes(data[offset : offset + size], "little", signed=fmt.startswith("s"))


def _write(fmt: str, value: int) -> bytes:
    size = _SIZES[fmt]
    signed = fmt.startswith("s")
    try:
        return value.to_bytes(size, "little", signed=signed)
    except OverflowError as exc:
        raise EncodingError(f"{value} does not fit {fmt}") from exc


def _scaled(value: float, scale: float, fmt: str) -> bytes:
    if math.isnan(value) or math.isinf(value):
        raise EncodingError(f"cannot encode {value}")
    return _write(fmt, round(value / scale))


# --------------------------------------------------------------------------------------
# Treadmill Data 0x2ACD
# --------------------------------------------------------------------------------------

#: Flag bit 0 "More Data". INVERTED for the speed field: Instantaneous Speed is present
#: only when this bit is 0; bit = 1 means "more notifications of this record follow".
MORE_DATA_BIT: Final = 0x0001
#: Vendor extension (Urevo, CITYSPORTS-Linker): bit 13 announces a uint24 step count
#: after every standard field. FTMS 1.0 reserves bits 13-15.
STEP_COUNT_BIT: Final = 0x2000
_PACE_BITS: Final = 0x0060


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    fmt: str
    scale: float  # multiply raw by this; 1 keeps an int
    sentinels: tuple[int, ...]


# (flag mask, present-when-bit-is-set?, fields) in wire order.
_TREADMILL_LAYOUT: Final[tuple[tuple[int, bool, tuple[_Field, ...]], ...]] = (
    (0x0001, False, (_Field("inst_speed_kmh", "u16", 0.01, (0xFFFF,)),)),
    (0x0002, True, (_Field("avg_speed_kmh", "u16", 0.01, (0xFFFF,)),)),
    (0x0004, True, (_Field("total_distance_m", "u24", 1, (0xFFFFFF,)),)),
    (
        0x0008,
        True,
        (
            _Field("inclination_pct", "s16", 0.1, (0x7FFF,)),
            _Field("ramp_angle_deg", "s16", 0.1, (0x7FFF,)),
        ),
    ),
    (
        0x0010,
        True,
        (
            _Field("pos_elev_gain_m", "u16", 0.1, (0xFFFF, 0x7FFF)),
            _Field("neg_elev_gain_m", "u16", 0.1, (0xFFFF, 0x7FFF)),
        ),
    ),
    (0x0020, True, (_Field("inst_pace_km_per_min", "u8", 0.1, (0xFF,)),)),
    (0x0040, True, (_Field("avg_pace_km_per_min", "u8", 0.1, (0xFF,)),)),
    (
        0x0080,
        True,
        (
            _Field("total_energy_kcal", "u16", 1, (0xFFFF,)),
            _Field("energy_per_hour_kcal", "u16", 1, (0xFFFF,)),
            _Field("energy_per_min_kcal", "u8", 1, (0xFF,)),
        ),
    ),
    (0x0100, True, (_Field("heart_rate_bpm", "u8", 1, (0xFF,)),)),
    (0x0200, True, (_Field("met", "u8", 0.1, (0xFF,)),)),
    (0x0400, True, (_Field("elapsed_s", "u16", 1, (0xFFFF,)),)),
    (0x0800, True, (_Field("remaining_s", "u16", 1, (0xFFFF,)),)),
    (
        0x1000,
        True,
        (
            _Field("force_on_belt_n", "s16", 1, (0x7FFF,)),
            _Field("power_w", "s16", 1, (0x7FFF,)),
        ),
    ),
    (STEP_COUNT_BIT, True, (_Field("step_count", "u24", 1, (0xFFFFFF,)),)),
)

_DATA_FIELD_NAMES: Final = tuple(f.name for _, _, group in _TREADMILL_LAYOUT for f in group)


@dataclass(frozen=True, slots=True)
class TreadmillData:
    """One Treadmill Data record (one notification, or several merged).

    ``None`` means absent from the packet or sent as "not available"; ``present`` tells
    the two apart (it names every field the packet carried, including sentinels).

    Attributes:
        flags: the 16-bit flags field (OR of all parts for a merged record).
        more_data: flag bit 0; True means more notifications of this record follow.
        present: names of the fields the packet(s) carried.
        truncated_at: byte offset where the packet ended before its flags were
            satisfied, or ``None`` if complete.
        trailing: bytes left over that were too few for the next field.
    """

    flags: int
    more_data: bool
    inst_speed_kmh: float | None = None
    avg_speed_kmh: float | None = None
    total_distance_m: int | None = None
    inclination_pct: float | None = None
    ramp_angle_deg: float | None = None
    pos_elev_gain_m: float | None = None
    neg_elev_gain_m: float | None = None
    inst_pace_km_per_min: float | None = None
    avg_pace_km_per_min: float | None = None
    total_energy_kcal: int | None = None
    energy_per_hour_kcal: int | None = None
    energy_per_min_kcal: int | None = None
    heart_rate_bpm: int | None = None
    met: float | None = None
    elapsed_s: int | None = None
    remaining_s: int | None = None
    force_on_belt_n: int | None = None
    power_w: int | None = None
    step_count: int | None = None
    present: frozenset[str] = frozenset()
    truncated_at: int | None = None
    trailing: bytes = b""

    @property
    def is_all_zero(self) -> bool:
        """True when every carried value is 0 (idle/wake packets some machines send)."""
        values = [getattr(self, name) for name in self.present]
        return all(v == 0 for v in values)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict: flags as hex, only carried fields, truncation info."""
        out: dict[str, Any] = {"flags": f"0x{self.flags:04X}", "more_data": self.more_data}
        for name in _DATA_FIELD_NAMES:
            if name in self.present:
                out[name] = getattr(self, name)
        if self.truncated_at is not None:
            out["truncated_at"] = self.truncated_at
            out["trailing_hex"] = self.trailing.hex(" ")
        return out


_pace_warned = False


def decode_treadmill_data(data: bytes) -> TreadmillData:
    """Decode one Treadmill Data (0x2ACD) notification.

    Wire format (FTMS 1.0 4.9), little-endian, fields in this order when flagged::

        flags u16
        bit0=0  inst speed u16 0.01 km/h   (bit 0 "More Data" is inverted!)
        bit1    avg speed u16 0.01 km/h
        bit2    total distance u24 m
        bit3    inclination s16 0.1 %, ramp angle s16 0.1 deg
        bit4    +elevation gain u16 0.1 m, -elevation gain u16 0.1 m
        bit5    inst pace u8 0.1 km/min     bit6 avg pace u8 0.1 km/min
        bit7    total energy u16 kcal, energy/h u16 kcal, energy/min u8 kcal
        bit8    heart rate u8 bpm           bit9 MET u8 0.1
        bit10   elapsed time u16 s          bit11 remaining time u16 s
        bit12   force on belt s16 N, power output s16 W
        bit13   (vendor) step count u24

    Decoding stops at the first field that does not fit; nothing raises except a
    packet without a complete flags field.

    Raises:
        TruncatedPacketError: fewer than 2 bytes.
    """
    global _pace_warned
    data = bytes(data)
    if len(data) < 2:
        raise TruncatedPacketError(f"Treadmill Data needs 2 flag bytes, got {len(data)}")
    flags = int.from_bytes(data[0:2], "little")
    if flags & _PACE_BITS and not _pace_warned:
        _pace_warned = True
        logger.warning(
            "Treadmill Data with pace bits (decoded as uint8, please report): %s", data.hex(" ")
        )
    values: dict[str, Any] = {}
    offset = 2
    truncated_at: int | None = None
    for mask, when_set, group in _TREADMILL_LAYOUT:
        if bool(flags & mask) != when_set:
            continue
        for fld in group:
            size = _SIZES[fld.fmt]
            if offset + size > len(data):
                truncated_at = offset
                break
            raw = _read(fld.fmt, data, offset)
            offset += size
            raw_unsigned = raw & ((1 << (8 * size)) - 1)
            if raw_unsigned in fld.sentinels:
                values[fld.name] = None
            elif fld.scale == 1:
                values[fld.name] = raw
            else:
                values[fld.name] = round(raw * fld.scale, 2)
        if truncated_at is not None:
            break
    trailing = data[truncated_at:] if truncated_at is not None else b""
    return TreadmillData(
        flags=flags,
        more_data=bool(flags & MORE_DATA_BIT),
        present=frozenset(values),
        truncated_at=truncated_at,
        trailing=trailing,
        **values,
    )


def encode_treadmill_data(
    values: Mapping[str, float | int | None], more_data: bool = False
) -> bytes:
    """Build a Treadmill Data packet carrying exactly the named fields (for simulators).

    ``None`` values are sent as the field's "not available" sentinel.

    Raises:
        EncodingError: an unknown field name or a value that does not fit.
    """
    unknown = set(values) - set(_DATA_FIELD_NAMES)
    if unknown:
        raise EncodingError(f"unknown Treadmill Data fields: {sorted(unknown)}")
    if more_data and "inst_speed_kmh" in values:
        raise EncodingError("inst_speed_kmh cannot be sent with More Data set")
    flags = MORE_DATA_BIT if more_data else 0
    body = b""
    for mask, _when_set, group in _TREADMILL_LAYOUT:
        names = [f.name for f in group]
        if mask == MORE_DATA_BIT:
            if more_data:
                continue
        elif not any(n in values for n in names):
            continue
        else:
            flags |= mask
        for fld in group:
            value = values.get(fld.name)
            if value is None:
                body += _write(fld.fmt, _signed_sentinel(fld))
            else:
                body += _scaled(float(value), fld.scale, fld.fmt)
    return flags.to_bytes(2, "little") + body


def _signed_sentinel(fld: _Field) -> int:
    raw = fld.sentinels[0]
    if fld.fmt.startswith("s") and raw >= 1 << (8 * _SIZES[fld.fmt] - 1):
        raw -= 1 << (8 * _SIZES[fld.fmt])
    return raw


class TreadmillDataMerger:
    """Merge split Treadmill Data notifications into whole records.

    Every part of a split record except the last has More Data (bit 0) = 1; the last
    has bit 0 = 0 and carries the instantaneous speed. Fields of later parts override
    earlier ones.

    Args:
        drop_all_zero: ignore complete single-packet records whose values are all 0
            (wake/sleep packets of some machines); off by default.
        max_parts: a record is published anyway after this many More Data parts.
    """

    def __init__(self, *, drop_all_zero: bool = False, max_parts: int = 8) -> None:
        self._drop_all_zero = drop_all_zero
        self._max_parts = max_parts
        self._parts: list[TreadmillData] = []

    def reset(self) -> None:
        """Forget a partially received record (e.g. after a reconnect)."""
        self._parts.clear()

    def feed(self, data: bytes) -> TreadmillData | None:
        """Add one notification; return the merged record when it is complete.

        Raises:
            TruncatedPacketError: the notification has no complete flags field.
        """
        part = decode_treadmill_data(data)
        self._parts.append(part)
        if part.more_data and len(self._parts) < self._max_parts:
            return None
        parts, self._parts = self._parts, []
        merged = part if len(parts) == 1 else _merge(parts)
        if self._drop_all_zero and merged.present and merged.is_all_zero:
            return None
        return merged


def _merge(parts: list[TreadmillData]) -> TreadmillData:
    values: dict[str, Any] = {}
    flags = 0
    for p in parts:
        flags |= p.flags
        for name in p.present:
            values[name] = getattr(p, name)
    last = parts[-1]
    truncated = next((p for p in parts if p.truncated_at is not None), None)
    return TreadmillData(
        flags=flags & ~MORE_DATA_BIT if not last.more_data else flags,
        more_data=last.more_data,
        present=frozenset(values),
        truncated_at=truncated.truncated_at if truncated else None,
        trailing=truncated.trailing if truncated else b"",
        **values,
    )


_KMH_PER_MPH: Final = 1.609344


@dataclass(frozen=True, slots=True)
class TreadmillQuirks:
    """Per-device corrections for firmware that deviates from FTMS (keep one per model).

    Attributes:
        speed_in_mph: speed fields carry 0.01 mph, not 0.01 km/h (FitShow firmware in
            miles mode: Bowflex T9; T3G Elite and TheRun T15 when set to miles).
    """

    speed_in_mph: bool = False


def apply_quirks(data: TreadmillData, quirks: TreadmillQuirks) -> TreadmillData:
    """Return ``data`` corrected for a device's known quirks (a no-op for the defaults)."""
    if not quirks.speed_in_mph:
        return data
    changes: dict[str, Any] = {}
    for name in ("inst_speed_kmh", "avg_speed_kmh"):
        value = getattr(data, name)
        if value is not None:
            changes[name] = round(value * _KMH_PER_MPH, 2)
    return replace(data, **changes)


# --------------------------------------------------------------------------------------
# Fitness Machine Feature 0x2ACC
# --------------------------------------------------------------------------------------

FEATURE_BITS: Final[tuple[str, ...]] = (
    "average_speed",
    "cadence",
    "total_distance",
    "inclination",
    "elevation_gain",
    "pace",
    "step_count",
    "resistance_level",
    "stride_count",
    "expended_energy",
    "heart_rate",
    "metabolic_equivalent",
    "elapsed_time",
    "remaining_time",
    "power_measurement",
    "force_on_belt_and_power_output",
    "user_data_retention",
)
TARGET_SETTING_BITS: Final[tuple[str, ...]] = (
    "speed",
    "inclination",
    "resistance",
    "power",
    "heart_rate",
    "expended_energy",
    "steps",
    "strides",
    "distance",
    "training_time",
    "time_in_2_hr_zones",
    "time_in_3_hr_zones",
    "time_in_5_hr_zones",
    "indoor_bike_sim",
    "wheel_circumference",
    "spin_down",
    "targeted_cadence",
)


def _bit_names(value: int, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for bit, name in enumerate(names) if value & (1 << bit))


@dataclass(frozen=True, slots=True)
class FitnessMachineFeatures:
    """Fitness Machine Feature (0x2ACC).

    Attributes:
        features: Fitness Machine Features bit field.
        target_settings: Target Setting Features bit field (0 if the packet omits it).
    """

    features: int
    target_settings: int

    @property
    def feature_names(self) -> tuple[str, ...]:
        """Names of the set feature bits (reserved bits omitted)."""
        return _bit_names(self.features, FEATURE_BITS)

    @property
    def target_names(self) -> tuple[str, ...]:
        """Names of the set target-setting bits (reserved bits omitted)."""
        return _bit_names(self.target_settings, TARGET_SETTING_BITS)

    @property
    def supports_speed_target(self) -> bool:
        """The machine accepts Set Target Speed."""
        return bool(self.target_settings & 0x1)

    @property
    def supports_inclination_target(self) -> bool:
        """The machine accepts Set Target Inclination."""
        return bool(self.target_settings & 0x2)

    @property
    def reports_heart_rate(self) -> bool:
        """The machine relays a heart rate in Treadmill Data."""
        return bool(self.features & (1 << 10))

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict."""
        return {
            "features": f"0x{self.features:08X}",
            "feature_bits": list(self.feature_names),
            "target_settings": f"0x{self.target_settings:08X}",
            "target_bits": list(self.target_names),
        }


def decode_feature(data: bytes) -> FitnessMachineFeatures:
    """Decode Fitness Machine Feature (0x2ACC).

    Wire format: Features uint32, Target Setting Features uint32 (8 bytes). A packet of
    4-7 bytes decodes with target settings 0.

    Raises:
        TruncatedPacketError: fewer than 4 bytes.
    """
    data = bytes(data)
    if len(data) < 4:
        raise TruncatedPacketError(f"Fitness Machine Feature needs >= 4 bytes, got {len(data)}")
    features = int.from_bytes(data[0:4], "little")
    targets = int.from_bytes(data[4:8], "little") if len(data) >= 8 else 0
    return FitnessMachineFeatures(features=features, target_settings=targets)


def encode_feature(features: int, target_settings: int) -> bytes:
    """Encode Fitness Machine Feature (two uint32)."""
    try:
        return features.to_bytes(4, "little") + target_settings.to_bytes(4, "little")
    except OverflowError as exc:
        raise EncodingError("feature fields are uint32") from exc


# --------------------------------------------------------------------------------------
# Supported ranges 0x2AD4..0x2AD8
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SupportedRange:
    """A Supported * Range characteristic, already scaled to its unit.

    Attributes:
        minimum: lowest settable value.
        maximum: highest settable value.
        increment: smallest step.
        unit: "km/h", "%", "W", "bpm" or "" (resistance).
    """

    minimum: float
    maximum: float
    increment: float
    unit: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict."""
        return {
            "min": self.minimum,
            "max": self.maximum,
            "increment": self.increment,
            "unit": self.unit,
        }


def _decode_range(
    data: bytes, fmt_min: str, fmt_inc: str, scale: float, unit: str, what: str
) -> SupportedRange:
    data = bytes(data)
    size = 2 * _SIZES[fmt_min] + _SIZES[fmt_inc]
    if len(data) < size:
        raise TruncatedPacketError(f"{what} needs {size} bytes, got {len(data)}")
    n = _SIZES[fmt_min]
    lo = _read(fmt_min, data, 0)
    hi = _read(fmt_min, data, n)
    inc = _read(fmt_inc, data, 2 * n)
    return SupportedRange(
        minimum=round(lo * scale, 3),
        maximum=round(hi * scale, 3),
        increment=round(inc * scale, 3),
        unit=unit,
    )


def decode_speed_range(data: bytes) -> SupportedRange:
    """Decode Supported Speed Range (0x2AD4): min, max, increment, each uint16 0.01 km/h.

    Raises:
        TruncatedPacketError: fewer than 6 bytes.
    """
    return _decode_range(data, "u16", "u16", 0.01, "km/h", "Supported Speed Range")


def decode_incline_range(data: bytes) -> SupportedRange:
    """Decode Supported Inclination Range (0x2AD5): min s16, max s16, increment u16, 0.1 %.

    Raises:
        TruncatedPacketError: fewer than 6 bytes.
    """
    return _decode_range(data, "s16", "u16", 0.1, "%", "Supported Inclination Range")


def decode_resistance_range(data: bytes) -> SupportedRange:
    """Decode Supported Resistance Level Range (0x2AD6): s16, s16, u16, each x0.1.

    Raises:
        TruncatedPacketError: fewer than 6 bytes.
    """
    return _decode_range(data, "s16", "u16", 0.1, "", "Supported Resistance Level Range")


def decode_power_range(data: bytes) -> SupportedRange:
    """Decode Supported Power Range (0x2AD8): s16 W, s16 W, u16 W.

    Raises:
        TruncatedPacketError: fewer than 6 bytes.
    """
    return _decode_range(data, "s16", "u16", 1, "W", "Supported Power Range")


def decode_heart_rate_range(data: bytes) -> SupportedRange:
    """Decode Supported Heart Rate Range (0x2AD7): three uint8 bpm.

    Raises:
        TruncatedPacketError: fewer than 3 bytes.
    """
    return _decode_range(data, "u8", "u8", 1, "bpm", "Supported Heart Rate Range")


def encode_speed_range(min_kmh: float, max_kmh: float, increment_kmh: float) -> bytes:
    """Encode Supported Speed Range (for simulators)."""
    return b"".join(_scaled(v, 0.01, "u16") for v in (min_kmh, max_kmh, increment_kmh))


def encode_incline_range(min_pct: float, max_pct: float, increment_pct: float) -> bytes:
    """Encode Supported Inclination Range (for simulators)."""
    return (
        _scaled(min_pct, 0.1, "s16")
        + _scaled(max_pct, 0.1, "s16")
        + _scaled(increment_pct, 0.1, "u16")
    )


# --------------------------------------------------------------------------------------
# Control Point 0x2AD9
# --------------------------------------------------------------------------------------


class ControlPointOpcode(IntEnum):
    """Fitness Machine Control Point opcodes (FTMS 1.0 4.16.1)."""

    REQUEST_CONTROL = 0x00
    RESET = 0x01
    SET_TARGET_SPEED = 0x02
    SET_TARGET_INCLINATION = 0x03
    SET_TARGET_RESISTANCE = 0x04
    SET_TARGET_POWER = 0x05
    SET_TARGET_HEART_RATE = 0x06
    START_OR_RESUME = 0x07
    STOP_OR_PAUSE = 0x08
    SET_TARGETED_EXPENDED_ENERGY = 0x09
    SET_TARGETED_STEPS = 0x0A
    SET_TARGETED_STRIDES = 0x0B
    SET_TARGETED_DISTANCE = 0x0C
    SET_TARGETED_TRAINING_TIME = 0x0D
    SET_TARGETED_TIME_2_ZONES = 0x0E
    SET_TARGETED_TIME_3_ZONES = 0x0F
    SET_TARGETED_TIME_5_ZONES = 0x10
    SET_INDOOR_BIKE_SIMULATION = 0x11
    SET_WHEEL_CIRCUMFERENCE = 0x12
    SPIN_DOWN_CONTROL = 0x13
    SET_TARGETED_CADENCE = 0x14
    RESPONSE_CODE = 0x80


class ResultCode(IntEnum):
    """Control Point result codes."""

    SUCCESS = 0x01
    OP_CODE_NOT_SUPPORTED = 0x02
    INVALID_PARAMETER = 0x03
    OPERATION_FAILED = 0x04
    CONTROL_NOT_PERMITTED = 0x05


#: Parameter length in bytes for each request opcode.
_REQUEST_PARAM_LEN: Final[dict[int, int]] = {
    0x00: 0, 0x01: 0, 0x02: 2, 0x03: 2, 0x04: 1, 0x05: 2, 0x06: 1, 0x07: 0, 0x08: 1,
    0x09: 2, 0x0A: 2, 0x0B: 2, 0x0C: 3, 0x0D: 2, 0x0E: 4, 0x0F: 6, 0x10: 10, 0x11: 6,
    0x12: 2, 0x13: 1, 0x14: 2,
}  # fmt: skip

STOP: Final = 0x01
PAUSE: Final = 0x02


def encode_request_control() -> bytes:
    """Request Control: ``00``."""
    return bytes([ControlPointOpcode.REQUEST_CONTROL])


def encode_reset() -> bytes:
    """Reset: ``01``."""
    return bytes([ControlPointOpcode.RESET])


def encode_start() -> bytes:
    """Start or Resume: ``07``."""
    return bytes([ControlPointOpcode.START_OR_RESUME])


def encode_stop() -> bytes:
    """Stop: ``08 01``."""
    return bytes([ControlPointOpcode.STOP_OR_PAUSE, STOP])


def encode_pause() -> bytes:
    """Pause: ``08 02``."""
    return bytes([ControlPointOpcode.STOP_OR_PAUSE, PAUSE])


def encode_set_target_speed(speed_kmh: float) -> bytes:
    """Set Target Speed: ``02`` + uint16 km/h x0.01, little-endian (10 km/h = 02 e8 03).

    Raises:
        EncodingError: negative, NaN or above 655.35 km/h.
    """
    return bytes([ControlPointOpcode.SET_TARGET_SPEED]) + _scaled(speed_kmh, 0.01, "u16")


def encode_set_target_inclination(incline_pct: float) -> bytes:
    """Set Target Inclination: ``03`` + sint16 % x0.1 (-2.0 % = 03 ec ff).

    Raises:
        EncodingError: NaN or outside +-3276.7 %.
    """
    return bytes([ControlPointOpcode.SET_TARGET_INCLINATION]) + _scaled(incline_pct, 0.1, "s16")


@dataclass(frozen=True, slots=True)
class ControlPointRequest:
    """A decoded control-point write (what a client sent; used by simulators and the CLI).

    Attributes:
        opcode: the request opcode.
        parameter: raw parameter bytes.
        target_speed_kmh: for Set Target Speed.
        target_incline_pct: for Set Target Inclination.
        stop_or_pause: for Stop or Pause: "stop", "pause" or "reserved".
    """

    opcode: ControlPointOpcode
    parameter: bytes = b""
    target_speed_kmh: float | None = None
    target_incline_pct: float | None = None
    stop_or_pause: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict."""
        out: dict[str, Any] = {
            "opcode": f"0x{self.opcode:02X}",
            "procedure": self.opcode.name.lower(),
        }
        if self.parameter:
            out["parameter_hex"] = self.parameter.hex(" ")
        for name in ("target_speed_kmh", "target_incline_pct", "stop_or_pause"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


def decode_control_point_request(data: bytes) -> ControlPointRequest:
    """Decode a control-point write ``[opcode][parameter]``.

    Raises:
        TruncatedPacketError: empty, or the parameter is shorter than the opcode needs.
        UnknownOpcodeError: an opcode outside 0x00-0x14.
    """
    data = bytes(data)
    if not data:
        raise TruncatedPacketError("empty control point request")
    op = data[0]
    if op not in _REQUEST_PARAM_LEN:
        raise UnknownOpcodeError(f"unknown control point opcode 0x{op:02X}")
    need = _REQUEST_PARAM_LEN[op]
    param = data[1:]
    if len(param) < need:
        raise TruncatedPacketError(
            f"opcode 0x{op:02X} needs {need} parameter bytes, got {len(param)}"
        )
    opcode = ControlPointOpcode(op)
    speed = incline = None
    stop_pause = None
    if opcode is ControlPointOpcode.SET_TARGET_SPEED:
        speed = round(_read("u16", param, 0) * 0.01, 2)
    elif opcode is ControlPointOpcode.SET_TARGET_INCLINATION:
        incline = round(_read("s16", param, 0) * 0.1, 1)
    elif opcode is ControlPointOpcode.STOP_OR_PAUSE:
        stop_pause = {STOP: "stop", PAUSE: "pause"}.get(param[0], "reserved")
    return ControlPointRequest(
        opcode=opcode,
        parameter=param,
        target_speed_kmh=speed,
        target_incline_pct=incline,
        stop_or_pause=stop_pause,
    )


@dataclass(frozen=True, slots=True)
class ControlPointResponse:
    """A control-point indication ``80 <request opcode> <result> [parameter]``.

    Attributes:
        request_opcode: the opcode being answered (raw int: may be one we never sent).
        result: the result code.
        parameter: optional response parameter (spin down only).
    """

    request_opcode: int
    result: ResultCode
    parameter: bytes = b""

    @property
    def ok(self) -> bool:
        """True for Success."""
        return self.result is ResultCode.SUCCESS

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict."""
        try:
            proc = ControlPointOpcode(self.request_opcode).name.lower()
        except ValueError:
            proc = "unknown"
        out: dict[str, Any] = {
            "opcode": "0x80",
            "request_opcode": f"0x{self.request_opcode:02X}",
            "procedure": proc,
            "result": f"0x{self.result:02X}",
            "result_name": self.result.name.lower(),
        }
        if self.parameter:
            out["parameter_hex"] = self.parameter.hex(" ")
        return out


def decode_control_point_response(data: bytes) -> ControlPointResponse:
    """Decode a control-point indication: ``0x80``, request opcode u8, result u8, [param].

    Raises:
        TruncatedPacketError: fewer than 3 bytes.
        UnknownOpcodeError: first byte is not 0x80, or a reserved result code.
    """
    data = bytes(data)
    if len(data) < 3:
        raise TruncatedPacketError(f"control point response needs 3 bytes, got {len(data)}")
    if data[0] != ControlPointOpcode.RESPONSE_CODE:
        raise UnknownOpcodeError(f"not a control point response (0x{data[0]:02X} != 0x80)")
    try:
        result = ResultCode(data[2])
    except ValueError as exc:
        raise UnknownOpcodeError(f"reserved result code 0x{data[2]:02X}") from exc
    return ControlPointResponse(request_opcode=data[1], result=result, parameter=data[3:])


def encode_control_point_response(request_opcode: int, result: ResultCode) -> bytes:
    """Encode an indication ``80 op result`` (for simulators)."""
    if not 0 <= request_opcode <= 0xFF:
        raise EncodingError(f"opcode {request_opcode} is not a byte")
    return bytes([ControlPointOpcode.RESPONSE_CODE, request_opcode, int(result)])


# --------------------------------------------------------------------------------------
# Fitness Machine Status 0x2ADA
# --------------------------------------------------------------------------------------


class MachineStatusOpcode(IntEnum):
    """Fitness Machine Status opcodes (FTMS 1.0 4.17)."""

    RESET = 0x01
    STOPPED_OR_PAUSED_BY_USER = 0x02
    STOPPED_BY_SAFETY_KEY = 0x03
    STARTED_OR_RESUMED_BY_USER = 0x04
    TARGET_SPEED_CHANGED = 0x05
    TARGET_INCLINE_CHANGED = 0x06
    TARGET_RESISTANCE_CHANGED = 0x07
    TARGET_POWER_CHANGED = 0x08
    TARGET_HEART_RATE_CHANGED = 0x09
    TARGETED_ENERGY_CHANGED = 0x0A
    TARGETED_STEPS_CHANGED = 0x0B
    TARGETED_STRIDES_CHANGED = 0x0C
    TARGETED_DISTANCE_CHANGED = 0x0D
    TARGETED_TIME_CHANGED = 0x0E
    TARGETED_TIME_2_ZONES_CHANGED = 0x0F
    TARGETED_TIME_3_ZONES_CHANGED = 0x10
    TARGETED_TIME_5_ZONES_CHANGED = 0x11
    INDOOR_BIKE_SIMULATION_CHANGED = 0x12
    WHEEL_CIRCUMFERENCE_CHANGED = 0x13
    SPIN_DOWN_STATUS = 0x14
    TARGETED_CADENCE_CHANGED = 0x15
    CONTROL_PERMISSION_LOST = 0xFF


# Parameter layout per status opcode: (name, fmt, scale)
_STATUS_PARAMS: Final[dict[int, tuple[tuple[str, str, float], ...]]] = {
    0x02: (("stop_or_pause", "u8", 1),),
    0x05: (("target_speed_kmh", "u16", 0.01),),
    0x06: (("target_incline_pct", "s16", 0.1),),
    0x07: (("target_resistance", "u8", 0.1),),
    0x08: (("target_power_w", "s16", 1),),
    0x09: (("target_hr_bpm", "u8", 1),),
    0x0A: (("targeted_energy_kcal", "u16", 1),),
    0x0B: (("targeted_steps", "u16", 1),),
    0x0C: (("targeted_strides", "u16", 1),),
    0x0D: (("targeted_distance_m", "u24", 1),),
    0x0E: (("targeted_time_s", "u16", 1),),
    0x0F: tuple((f"zone{i}_time_s", "u16", 1) for i in range(1, 3)),
    0x10: tuple((f"zone{i}_time_s", "u16", 1) for i in range(1, 4)),
    0x11: tuple((f"zone{i}_time_s", "u16", 1) for i in range(1, 6)),
    0x12: (
        ("wind_speed_mps", "s16", 0.001),
        ("grade_pct", "s16", 0.01),
        ("crr", "u8", 0.0001),
        ("cw_kg_per_m", "u8", 0.01),
    ),
    0x13: (("wheel_circumference_mm", "u16", 0.1),),
    0x14: (("spin_down_status", "u8", 1),),
    0x15: (("targeted_cadence_per_min", "u16", 0.5),),
}


@dataclass(frozen=True, slots=True)
class MachineStatus:
    """A Fitness Machine Status notification.

    Attributes:
        opcode: raw opcode (reserved ones are kept, with ``name`` "reserved").
        name: lower-case opcode name.
        values: decoded parameter values by name (missing when the packet is short).
        parameter: raw parameter bytes.
        truncated: the parameter was shorter than the opcode defines.
    """

    opcode: int
    name: str
    values: Mapping[str, float | int] = field(default_factory=dict)
    parameter: bytes = b""
    truncated: bool = False

    @property
    def stopped_by_user(self) -> bool:
        """Opcode 0x02 with parameter 1 (stop); a short 0x02 packet counts as stop."""
        return self.opcode == 0x02 and self.values.get("stop_or_pause", STOP) == STOP

    @property
    def paused_by_user(self) -> bool:
        """Opcode 0x02 with parameter 2 (pause)."""
        return self.opcode == 0x02 and self.values.get("stop_or_pause") == PAUSE

    @property
    def safety_key(self) -> bool:
        """Opcode 0x03: the belt was stopped by the safety key."""
        return self.opcode == MachineStatusOpcode.STOPPED_BY_SAFETY_KEY

    @property
    def started_by_user(self) -> bool:
        """Opcode 0x04: started or resumed at the console."""
        return self.opcode == MachineStatusOpcode.STARTED_OR_RESUMED_BY_USER

    @property
    def control_permission_lost(self) -> bool:
        """Opcode 0xFF: this client no longer holds control."""
        return self.opcode == MachineStatusOpcode.CONTROL_PERMISSION_LOST

    @property
    def target_speed_kmh(self) -> float | None:
        """New target speed for opcode 0x05."""
        value = self.values.get("target_speed_kmh")
        return None if value is None else float(value)

    @property
    def target_incline_pct(self) -> float | None:
        """New target incline for opcode 0x06."""
        value = self.values.get("target_incline_pct")
        return None if value is None else float(value)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict."""
        out: dict[str, Any] = {"opcode": f"0x{self.opcode:02X}", "name": self.name}
        out.update(self.values)
        if self.truncated:
            out["truncated"] = True
            out["parameter_hex"] = self.parameter.hex(" ")
        return out


def decode_machine_status(data: bytes) -> MachineStatus:
    """Decode Fitness Machine Status (0x2ADA): ``[opcode u8][parameter]``.

    Parameters (little-endian): 0x02 u8 (1 stop, 2 pause); 0x05 u16 0.01 km/h; 0x06 s16
    0.1 %; 0x07 u8 0.1; 0x08 s16 W; 0x09 u8 bpm; 0x0A-0x0C u16; 0x0D u24 m; 0x0E u16 s;
    0x0F/0x10/0x11 2/3/5 x u16 s; 0x12 s16 wind 0.001 m/s, s16 grade 0.01 %, u8 Crr
    0.0001, u8 Cw 0.01 kg/m; 0x13 u16 0.1 mm; 0x14 u8; 0x15 u16 0.5 /min; 0x01, 0x03,
    0x04, 0xFF none. Reserved opcodes decode with name "reserved"; short parameters
    decode what fits.

    Raises:
        TruncatedPacketError: empty packet.
    """
    data = bytes(data)
    if not data:
        raise TruncatedPacketError("empty Fitness Machine Status")
    op = data[0]
    try:
        name = MachineStatusOpcode(op).name.lower()
    except ValueError:
        name = "reserved"
    param = data[1:]
    values: dict[str, float | int] = {}
    offset = 0
    truncated = False
    for pname, fmt, scale in _STATUS_PARAMS.get(op, ()):
        size = _SIZES[fmt]
        if offset + size > len(param):
            truncated = True
            break
        raw = _read(fmt, param, offset)
        offset += size
        values[pname] = raw if scale == 1 else round(raw * scale, 4)
    return MachineStatus(
        opcode=op, name=name, values=MappingProxyType(values), parameter=param, truncated=truncated
    )


def encode_machine_status(opcode: MachineStatusOpcode, **values: float) -> bytes:
    """Encode a Fitness Machine Status notification (for simulators).

    Raises:
        EncodingError: a parameter is missing or does not fit.
    """
    out = bytes([int(opcode)])
    for pname, fmt, scale in _STATUS_PARAMS.get(int(opcode), ()):
        if pname not in values:
            raise EncodingError(f"{opcode.name} needs {pname}")
        out += _scaled(float(values[pname]), scale, fmt)
    return out


# --------------------------------------------------------------------------------------
# Training Status 0x2AD3
# --------------------------------------------------------------------------------------

TRAINING_STATUS_NAMES: Final[tuple[str, ...]] = (
    "other",
    "idle",
    "warming_up",
    "low_intensity_interval",
    "high_intensity_interval",
    "recovery_interval",
    "isometric",
    "heart_rate_control",
    "fitness_test",
    "speed_outside_control_region_low",
    "speed_outside_control_region_high",
    "cool_down",
    "watt_control",
    "manual_mode",
    "pre_workout",
    "post_workout",
)


@dataclass(frozen=True, slots=True)
class TrainingStatus:
    """Training Status (0x2AD3).

    Attributes:
        flags: bit 0 string present, bit 1 extended string present.
        status: the status code.
        name: lower-case name ("reserved" beyond 0x0F).
        text: the status string, ``None`` when absent (even if flagged, a FitShow quirk).
    """

    flags: int
    status: int
    name: str
    text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict."""
        return {
            "flags": f"0x{self.flags:02X}",
            "status": f"0x{self.status:02X}",
            "name": self.name,
            "text": self.text,
        }


def decode_training_status(data: bytes) -> TrainingStatus:
    """Decode Training Status: flags u8, status u8, optional UTF-8 string.

    Raises:
        TruncatedPacketError: fewer than 2 bytes.
    """
    data = bytes(data)
    if len(data) < 2:
        raise TruncatedPacketError(f"Training Status needs 2 bytes, got {len(data)}")
    flags, status = data[0], data[1]
    name = TRAINING_STATUS_NAMES[status] if status < len(TRAINING_STATUS_NAMES) else "reserved"
    text: str | None = None
    if flags & 0x03 and len(data) > 2:
        text = data[2:].decode("utf-8", errors="replace")
    return TrainingStatus(flags=flags, status=status, name=name, text=text)


def encode_training_status(status: int, text: str | None = None) -> bytes:
    """Encode Training Status (for simulators)."""
    if not 0 <= status <= 0xFF:
        raise EncodingError(f"status {status} is not a byte")
    if text is None:
        return bytes([0, status])
    return bytes([1, status]) + text.encode("utf-8")


def treadmill_data_field_names() -> tuple[str, ...]:
    """Names of the :class:`TreadmillData` value fields, in wire order."""
    return _DATA_FIELD_NAMES
