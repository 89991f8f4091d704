"""Heart Rate Service (0x180D) codecs: Heart Rate Measurement and Body Sensor Location.

Pure functions over ``bytes``; decoders return frozen dataclasses or raise a
:class:`~runningroom.errors.ProtocolError` subclass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from drivers.protocols.errors import EncodingError, TruncatedPacketError
from runningroom.devices import SensorContact

__all__ = [
    "BODY_SENSOR_LOCATIONS",
    "HeartRateMeasurement",
    "decode_body_sensor_location",
    "decode_heart_rate_measurement",
    "encode_heart_rate_measurement",
]

_HR_UINT16: Final = 0x01
_CONTACT_SHIFT: Final = 1
_ENERGY_PRESENT: Final = 0x08
_RR_PRESENT: Final = 0x10
#: RR intervals are sent in units of 1/1024 s.
RR_UNITS_PER_S: Final = 1024.0

_CONTACT_BITS: Final[dict[SensorContact, int]] = {
    SensorContact.NOT_SUPPORTED: 0b000,
    SensorContact.NO_CONTACT: 0b100,
    SensorContact.CONTACT: 0b110,
}

BODY_SENSOR_LOCATIONS: Final[tuple[str, ...]] = (
    "other",
    "chest",
    "wrist",
    "finger",
    "hand",
    "ear_lobe",
    "foot",
)


@dataclass(frozen=True, slots=True)
class HeartRateMeasurement:
    """One Heart Rate Measurement notification.

    Attributes:
        flags: the flags byte.
        hr_bpm: heart rate (0 is passed through).
        contact: sensor contact; flag values 0b00/0b01 mean NOT_SUPPORTED, never "no
            contact" (Polar H10 sends flags 0x10).
        energy_kj: cumulative energy expended, if present.
        rr_ms: RR intervals in milliseconds, oldest first (0, 1 or several).
        rr_raw: the same RR intervals in raw 1/1024 s units.
        truncated: the packet ended inside a flagged field (energy or a trailing odd
            byte of the RR list); what fitted was decoded.
    """

    flags: int
    hr_bpm: int
    contact: SensorContact
    energy_kj: int | None = None
    rr_ms: tuple[float, ...] = ()
    rr_raw: tuple[int, ...] = ()
    truncated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict."""
        out: dict[str, Any] = {
            "flags": f"0x{self.flags:02X}",
            "hr_bpm": self.hr_bpm,
            "hr_format": "uint16" if self.flags & _HR_UINT16 else "uint8",
            "sensor_contact": self.contact.value,
        }
        if self.energy_kj is not None:
            out["energy_expended_kj"] = self.energy_kj
        if self.flags & _RR_PRESENT:
            out["rr_raw_1_1024s"] = list(self.rr_raw)
            out["rr_ms"] = [round(v, 1) for v in self.rr_ms]
        if self.truncated:
            out["truncated"] = True
        return out


def _contact_from_flags(flags: int) -> SensorContact:
    bits = (flags >> _CONTACT_SHIFT) & 0x03
    if bits == 0b11:
        return SensorContact.CONTACT
    if bits == 0b10:
        return SensorContact.NO_CONTACT
    return SensorContact.NOT_SUPPORTED


def decode_heart_rate_measurement(data: bytes) -> HeartRateMeasurement:
    """Decode Heart Rate Measurement (0x2A37).

    Wire format, little-endian::

        flags u8: bit0 HR format (0 uint8, 1 uint16); bits1-2 contact (0/1 not
                  supported, 2 supported+no contact, 3 supported+contact);
                  bit3 energy expended present; bit4 RR intervals present
        HR        uint8 or uint16, bpm
        [energy]  uint16 kJ
        [RR...]   uint16 each, 1/1024 s, until the end of the packet

    Raises:
        TruncatedPacketError: the packet ends before the heart-rate value.
    """
    data = bytes(data)
    if not data:
        raise TruncatedPacketError("empty Heart Rate Measurement")
    flags = data[0]
    hr_size = 2 if flags & _HR_UINT16 else 1
    if len(data) < 1 + hr_size:
        raise TruncatedPacketError(
            f"Heart Rate Measurement flags 0x{flags:02X} need {1 + hr_size} bytes, got {len(data)}"
        )
    hr_bpm = int.from_bytes(data[1 : 1 + hr_size], "little")
    offset = 1 + hr_size
    truncated = False
    energy: int | None = None
    if flags & _ENERGY_PRESENT:
        if offset + 2 <= len(data):
            energy = int.from_bytes(data[offset : offset + 2], "little")
            offset += 2
        else:
            truncated = True
            offset = len(data)
    rr_raw: list[int] = []
    if flags & _RR_PRESENT:
        while offset + 2 <= len(data):
            rr_raw.append(int.from_bytes(data[offset : offset + 2], "little"))
            offset += 2
        if offset < len(data):
            truncated = True
    return HeartRateMeasurement(
        flags=flags,
        hr_bpm=hr_bpm,
        contact=_contact_from_flags(flags),
        energy_kj=energy,
        rr_ms=tuple(raw * 1000.0 / RR_UNITS_PER_S for raw in rr_raw),
        rr_raw=tuple(rr_raw),
        truncated=truncated,
    )


def encode_heart_rate_measurement(
    hr_bpm: int,
    *,
    contact: SensorContact = SensorContact.NOT_SUPPORTED,
    energy_kj: int | None = None,
    rr_ms: tuple[float, ...] = (),
    uint16: bool | None = None,
    rr_flag: bool | None = None,
) -> bytes:
    """Encode a Heart Rate Measurement (for simulated straps).

    Args:
        hr_bpm: heart rate; uint16 format is chosen automatically above 255.
        contact: encoded as 0b00, 0b10 or 0b11.
        energy_kj: adds the energy field when given.
        rr_ms: RR intervals in ms, rounded to 1/1024 s.
        uint16: force the HR format.
        rr_flag: set the RR flag even with an empty list (default: only with values).

    Raises:
        EncodingError: a value does not fit its field.
    """
    wide = hr_bpm > 0xFF if uint16 is None else uint16
    flags = _HR_UINT16 if wide else 0
    flags |= _CONTACT_BITS[contact]
    try:
        body = hr_bpm.to_bytes(2 if wide else 1, "little")
        if energy_kj is not None:
            flags |= _ENERGY_PRESENT
            body += energy_kj.to_bytes(2, "little")
        if rr_ms or rr_flag:
            flags |= _RR_PRESENT
            for value in rr_ms:
                body += round(value * RR_UNITS_PER_S / 1000.0).to_bytes(2, "little")
    except (OverflowError, ValueError) as exc:
        raise EncodingError(str(exc)) from exc
    return bytes([flags]) + body


def decode_body_sensor_location(data: bytes) -> str:
    """Decode Body Sensor Location (0x2A38) to a lower-case name.

    Wire format: one uint8: 0 other, 1 chest, 2 wrist, 3 finger, 4 hand, 5 ear lobe,
    6 foot, 7-255 reserved.

    Raises:
        TruncatedPacketError: empty.
    """
    data = bytes(data)
    if not data:
        raise TruncatedPacketError("empty Body Sensor Location")
    code = data[0]
    return BODY_SENSOR_LOCATIONS[code] if code < len(BODY_SENSOR_LOCATIONS) else "reserved"
