"""FIT activity file encoder (Garmin Flexible and Interoperable Data Transfer).

A small, self-contained writer for the subset of the FIT protocol an activity file
needs: file header with header CRC, definition and data messages with normal record
headers, little-endian, and the trailing file CRC. The activity written by
:func:`encode_activity` contains, in order::

    file_id (type activity), event (timer start), record x N (timestamp, heart_rate,
    distance, speed, grade) interleaved with hrv (RR intervals, 5 per message),
    lap x phases (intensity warmup/active/cooldown), event (timer stop_all),
    session (with workout_rpe/workout_feel), activity

which Garmin Connect, Strava, GoldenCheetah and intervals.icu import. Values are
stored with the FIT profile's scales: distance in cm (scale 100), speed in mm/s
(scale 1000), times in ms (scale 1000), grade in 0.01 %.
"""

from __future__ import annotations

import logging
import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from runningroom.records.store import SessionData

logger = logging.getLogger(__name__)

#: Seconds between the Unix epoch and the FIT epoch (1989-12-31T00:00:00Z).
FIT_EPOCH_OFFSET_S = 631065600
#: FIT protocol 2.0 and the profile version the messages follow (21.40).
PROTOCOL_VERSION = 0x20
PROFILE_VERSION = 2140
#: manufacturer "development" (255) and our product number.
MANUFACTURER_DEVELOPMENT = 255
PRODUCT_ID = 1

_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)


def fit_crc(data: bytes, crc: int = 0) -> int:
    """The FIT CRC-16 of ``data`` (continuing from ``crc``)."""
    for byte in data:
        tmp = _CRC_TABLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ _CRC_TABLE[byte & 0xF]
        tmp = _CRC_TABLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ _CRC_TABLE[(byte >> 4) & 0xF]
    return crc


@dataclass(frozen=True, slots=True)
class BaseType:
    """A FIT base type: id byte, struct format and invalid value."""

    type_id: int
    fmt: str
    invalid: int

    @property
    def size(self) -> int:
        """Size in bytes."""
        return struct.calcsize("<" + self.fmt)


ENUM = BaseType(0x00, "B", 0xFF)
UINT8 = BaseType(0x02, "B", 0xFF)
SINT16 = BaseType(0x83, "h", 0x7FFF)
UINT16 = BaseType(0x84, "H", 0xFFFF)
UINT32 = BaseType(0x86, "I", 0xFFFFFFFF)
UINT32Z = BaseType(0x8C, "I", 0x00000000)
#: Array of 5 uint16 (the ``hrv.time`` field: RR intervals in ms, scale 1000 s).
UINT16_X5 = BaseType(0x84, "5H", 0xFFFF)
HRV_VALUES_PER_MESSAGE = 5

# Global message numbers.
MESG_FILE_ID = 0
MESG_SESSION = 18
MESG_LAP = 19
MESG_RECORD = 20
MESG_EVENT = 21
MESG_ACTIVITY = 34
MESG_HRV = 78

# Enum values from the FIT profile.
FILE_ACTIVITY = 4
EVENT_TIMER, EVENT_LAP, EVENT_SESSION, EVENT_ACTIVITY = 0, 9, 8, 26
EVENT_TYPE_START, EVENT_TYPE_STOP, EVENT_TYPE_STOP_ALL = 0, 1, 4
SPORT_RUNNING, SPORT_WALKING = 1, 11
SUB_SPORT_TREADMILL, SUB_SPORT_INDOOR_WALKING = 1, 27
INTENSITY = {"warmup": 2, "main": 0, "cooldown": 3}
INTENSITY_REST = 1
LAP_TRIGGER_TIME, LAP_TRIGGER_SESSION_END = 1, 7
SESSION_TRIGGER_ACTIVITY_END = 0
ACTIVITY_MANUAL = 0

#: Below this mean main-phase speed the activity is a walk, not a run.
WALK_RUN_KMH = 6.5

Field = tuple[int, BaseType]


class FitWriter:
    """Accumulates FIT messages and produces the complete file bytes.

    Each message kind gets a local message type (0-15) and is defined once before its
    first data message.
    """

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._defs: dict[int, tuple[int, tuple[Field, ...], struct.Struct]] = {}
        self._next_local = 0

    def define(self, global_num: int, fields: Sequence[Field]) -> int:
        """Write a definition message; returns its local message type."""
        local = self._next_local
        if local > 15:
            raise ValueError("more than 16 local message types")
        self._next_local += 1
        body = bytearray([0x40 | local, 0, 0])  # header, reserved, little-endian
        body += struct.pack("<HB", global_num, len(fields))
        for num, base in fields:
            body += bytes([num, base.size, base.type_id])
        self._chunks.append(bytes(body))
        fmt = "<B" + "".join(base.fmt for _, base in fields)
        self._defs[local] = (global_num, tuple(fields), struct.Struct(fmt))
        return local

    def write(self, local: int, values: Sequence[int | Sequence[int | None] | None]) -> None:
        """Write a data message; ``None`` values are stored as the type's invalid value.

        Array fields (format with a count, e.g. ``5H``) take a sequence of up to that many
        values, padded with the invalid value.
        """
        _, fields, packer = self._defs[local]
        packed: list[int] = [local]
        for (_, base), value in zip(fields, values, strict=True):
            if base.fmt[0].isdigit():
                count = int(base.fmt[:-1])
                items = list(value) if isinstance(value, Sequence) else []
                items = (items + [None] * count)[:count]
                packed.extend(base.invalid if v is None else _clamp(int(v), base)
                              for v in items)
            elif value is None or isinstance(value, Sequence):
                packed.append(base.invalid)
            else:
                packed.append(_clamp(int(value), base))
        self._chunks.append(packer.pack(*packed))

    def append_raw(self, message: bytes) -> None:
        """Append an already encoded data message (header byte included)."""
        self._chunks.append(message)

    def to_bytes(self) -> bytes:
        """The complete file: header (with CRC), records and file CRC."""
        data = b"".join(self._chunks)
        header = struct.pack("<BBHI4s", 14, PROTOCOL_VERSION, PROFILE_VERSION, len(data), b".FIT")
        header += struct.pack("<H", fit_crc(header))
        body = header + data
        return body + struct.pack("<H", fit_crc(body))


def _clamp(value: int, base: BaseType) -> int:
    """Keep a value inside its type's valid range (the invalid value excluded)."""
    if base.fmt == "h":
        return max(-0x7FFF, min(0x7FFE, value))
    top = (1 << (8 * struct.calcsize("<" + base.fmt[-1]))) - 1
    if base.invalid == top:
        return max(0, min(top - 1, value))
    return max(1 if base.invalid == 0 else 0, min(top, value))


def fit_time(value: datetime) -> int:
    """A FIT ``date_time``: whole seconds since the FIT epoch."""
    return round(value.astimezone(UTC).timestamp()) - FIT_EPOCH_OFFSET_S


def _scaled(value: float | None, scale: float) -> int | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value * scale)


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of consecutive samples of one phase (one lap)."""

    phase: str
    first: int
    last: int  # inclusive


def phase_segments(data: SessionData) -> list[Segment]:
    """Split the samples into laps: one per run of consecutive identical phases."""
    out: list[Segment] = []
    for i, s in enumerate(data.samples):
        if out and out[-1].phase == s.phase:
            out[-1] = Segment(s.phase, out[-1].first, i)
        else:
            out.append(Segment(s.phase, i, i))
    return out


def hr_of(data: SessionData, i: int) -> int | None:
    """HR of sample ``i`` for activity files: raw bpm when trusted, else None."""
    s = data.samples[i]
    if s.hr_quality not in ("ok", "low_quality_source"):
        return None
    if s.hr_raw_bpm is not None and s.hr_raw_bpm > 0:
        return int(s.hr_raw_bpm)
    if s.hr_filtered_bpm is not None:
        return round(s.hr_filtered_bpm)
    return None


def speed_ms_of(data: SessionData, i: int) -> float | None:
    """Belt speed of sample ``i`` in m/s (measured, else commanded)."""
    s = data.samples[i]
    speed = s.speed_meas_kmh if s.speed_meas_kmh is not None else s.speed_cmd_kmh
    return None if speed is None else speed / 3.6


def activity_series(data: SessionData) -> tuple[list[int | None], list[float | None]]:
    """Per-sample HR (bpm, trusted only) and speed (m/s) as activity files carry them."""
    n = len(data.samples)
    return [hr_of(data, i) for i in range(n)], [speed_ms_of(data, i) for i in range(n)]


def segment_stats(
    data: SessionData,
    first: int,
    last: int,
    series: tuple[list[int | None], list[float | None]] | None = None,
) -> dict[str, float | None]:
    """Lap statistics of samples ``first..last``: elapsed_s, distance_m, avg/max HR and speed.

    ``series`` is :func:`activity_series` of the session (computed when not given).
    """
    if series is None:
        series = activity_series(data)
    hrs = [h for h in series[0][first:last + 1] if h is not None]
    speeds = [v for v in series[1][first:last + 1] if v is not None]
    d_first = data.samples[first - 1].distance_m if first > 0 else 0.0
    d_last = data.samples[last].distance_m
    dist = None if d_last is None else d_last - (d_first or 0.0)
    t0 = data.samples[first - 1].t_s if first > 0 else 0.0
    return {
        "elapsed_s": data.samples[last].t_s - t0,
        "distance_m": dist,
        "avg_hr": sum(hrs) / len(hrs) if hrs else None,
        "max_hr": max(hrs) if hrs else None,
        "avg_speed_ms": (dist / (data.samples[last].t_s - t0)) if dist is not None
        and data.samples[last].t_s > t0 else (sum(speeds) / len(speeds) if speeds else None),
        "max_speed_ms": max(speeds) if speeds else None,
        "start_t_s": t0,
    }


def sport_of(data: SessionData) -> tuple[int, int]:
    """(sport, sub_sport): running/treadmill, or walking/indoor_walking for walks."""
    main = [s.speed_meas_kmh for s in data.samples if s.phase == "main" and s.speed_meas_kmh]
    if main and sum(main) / len(main) < WALK_RUN_KMH:
        return SPORT_WALKING, SUB_SPORT_INDOOR_WALKING
    return SPORT_RUNNING, SUB_SPORT_TREADMILL


def _last_rating(value: object) -> float | None:
    if isinstance(value, list) and value:
        last = value[-1]
        if isinstance(last, (list, tuple)) and len(last) >= 2 and isinstance(last[1], (int,
                                                                                      float)):
            return float(last[1])
    return None


def encode_activity(data: SessionData) -> bytes:
    """Encode a recorded session as a FIT activity file.

    Returns:
        The file bytes, with valid header and file CRCs.

    Raises:
        ValueError: the session has no samples.
    """
    if not data.samples:
        raise ValueError(f"session {data.meta.session_id} has no samples")
    start = data.meta.started_at
    start_fit = fit_time(start)
    w = FitWriter()

    file_id = w.define(MESG_FILE_ID, [(0, ENUM), (1, UINT16), (2, UINT16), (3, UINT32Z),
                                      (4, UINT32)])
    w.write(file_id, [FILE_ACTIVITY, MANUFACTURER_DEVELOPMENT, PRODUCT_ID,
                      (data.meta.session_id % 0xFFFFFFFE) + 1, start_fit])

    event = w.define(MESG_EVENT, [(253, UINT32), (0, ENUM), (1, ENUM), (4, UINT8)])
    w.write(event, [start_fit, EVENT_TIMER, EVENT_TYPE_START, 0])

    record = w.define(MESG_RECORD, [(253, UINT32), (3, UINT8), (5, UINT32), (6, UINT16),
                                    (9, SINT16)])
    series = activity_series(data)
    hr_series, speed_series = series
    pack_record = struct.Struct("<BIBIHh").pack
    append = w.append_raw
    hrv: int | None = None
    rr_pending: list[float] = []
    last_ts = -1
    for i, s in enumerate(data.samples):
        rr_pending.extend(s.rr_ms)
        if len(rr_pending) >= HRV_VALUES_PER_MESSAGE:
            if hrv is None:
                hrv = w.define(MESG_HRV, [(0, UINT16_X5)])
            while len(rr_pending) >= HRV_VALUES_PER_MESSAGE:
                chunk = rr_pending[:HRV_VALUES_PER_MESSAGE]
                del rr_pending[:HRV_VALUES_PER_MESSAGE]
                w.write(hrv, [[round(v) for v in chunk]])
        ts = start_fit + round(s.t_s)
        if ts == last_ts:
            continue  # FIT records carry whole seconds: keep the first of each second
        last_ts = ts
        incline = s.incline_meas_pct if s.incline_meas_pct is not None else s.incline_cmd_pct
        hr = hr_series[i]
        speed = speed_series[i]
        dist = s.distance_m
        # inline encoding of the hot loop; same clamping as FitWriter.write
        append(pack_record(
            record,
            ts,
            0xFF if hr is None else max(0, min(0xFE, hr)),
            0xFFFFFFFF if dist is None else max(0, min(0xFFFFFFFE, round(dist * 100.0))),
            0xFFFF if speed is None else max(0, min(0xFFFE, round(speed * 1000.0))),
            0x7FFF if incline is None else max(-0x7FFF, min(0x7FFE, round(incline * 100.0))),
        ))
    if rr_pending:
        if hrv is None:
            hrv = w.define(MESG_HRV, [(0, UINT16_X5)])
        w.write(hrv, [[round(v) for v in rr_pending]])

    sport, sub_sport = sport_of(data)
    lap = w.define(MESG_LAP, [(254, UINT16), (253, UINT32), (0, ENUM), (1, ENUM), (2, UINT32),
                              (7, UINT32), (8, UINT32), (9, UINT32), (13, UINT16), (14, UINT16),
                              (15, UINT8), (16, UINT8), (23, ENUM), (24, ENUM), (25, ENUM),
                              (39, ENUM)])
    segments = phase_segments(data)
    for index, seg in enumerate(segments):
        st = segment_stats(data, seg.first, seg.last, series)
        lap_start = start_fit + round(st["start_t_s"] or 0.0)
        lap_end = start_fit + round(data.samples[seg.last].t_s)
        trigger = LAP_TRIGGER_SESSION_END if index == len(segments) - 1 else LAP_TRIGGER_TIME
        w.write(lap, [index, lap_end, EVENT_LAP, EVENT_TYPE_STOP, lap_start,
                      _scaled(st["elapsed_s"], 1000.0), _scaled(st["elapsed_s"], 1000.0),
                      _scaled(st["distance_m"], 100.0), _scaled(st["avg_speed_ms"], 1000.0),
                      _scaled(st["max_speed_ms"], 1000.0), _scaled(st["avg_hr"], 1.0),
                      _scaled(st["max_hr"], 1.0), INTENSITY.get(seg.phase, INTENSITY_REST),
                      trigger, sport, sub_sport])

    end_fit = start_fit + round(data.samples[-1].t_s)
    w.write(event, [end_fit, EVENT_TIMER, EVENT_TYPE_STOP_ALL, 0])

    total = segment_stats(data, 0, len(data.samples) - 1, series)
    rpe = _last_rating(data.meta.summary.get("rpe"))
    feeling = _last_rating(data.meta.summary.get("feeling"))
    session = w.define(MESG_SESSION, [(254, UINT16), (253, UINT32), (0, ENUM), (1, ENUM),
                                      (2, UINT32), (5, ENUM), (6, ENUM), (7, UINT32),
                                      (8, UINT32), (9, UINT32), (14, UINT16), (15, UINT16),
                                      (16, UINT8), (17, UINT8), (25, UINT16), (26, UINT16),
                                      (28, ENUM), (192, UINT8), (193, UINT8)])
    elapsed_s = float(data.samples[-1].t_s)
    w.write(session, [0, end_fit, EVENT_SESSION, EVENT_TYPE_STOP, start_fit, sport, sub_sport,
                      _scaled(elapsed_s, 1000.0), _scaled(elapsed_s, 1000.0),
                      _scaled(total["distance_m"], 100.0), _scaled(total["avg_speed_ms"], 1000.0),
                      _scaled(total["max_speed_ms"], 1000.0), _scaled(total["avg_hr"], 1.0),
                      _scaled(total["max_hr"], 1.0), 0, len(segments),
                      SESSION_TRIGGER_ACTIVITY_END,
                      None if feeling is None else round((feeling + 5.0) * 10.0),
                      None if rpe is None else borg_to_fit_rpe(rpe)])

    activity = w.define(MESG_ACTIVITY, [(253, UINT32), (0, UINT32), (1, UINT16), (2, ENUM),
                                        (3, ENUM), (4, ENUM)])
    w.write(activity, [end_fit, _scaled(elapsed_s, 1000.0), 1, ACTIVITY_MANUAL, EVENT_ACTIVITY,
                       EVENT_TYPE_STOP])
    out = w.to_bytes()
    logger.debug("FIT for session %s: %d bytes, %d laps", data.meta.session_id, len(out),
                 len(segments))
    return out


def borg_to_fit_rpe(borg: float) -> int:
    """Map Borg RPE 6-20 to the FIT ``workout_rpe`` field (1-10 scale stored x10).

    Linear map 6 -> 10 (1/10) and 20 -> 100 (10/10), rounded to whole points.
    """
    cr10 = 1.0 + (min(20.0, max(6.0, borg)) - 6.0) * 9.0 / 14.0
    return round(cr10) * 10
