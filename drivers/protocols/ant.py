"""ANT serial messages (USB1 stick, 115200 baud) and the ANT+ heart-rate data page.

Message::

    A4 | length | msg id | payload (length bytes) | checksum (XOR of all previous bytes)

HRM broadcast (msg 0x4E) payload: ``[channel][8-byte page]``; page byte 0 = page number
(bit 7 toggles every 4 messages), bytes 4-5 last beat event time u16 1/1024 s, byte 6
beat count u8, byte 7 computed HR bpm; page 4 carries the previous beat time in bytes
2-3. The ANT+ network key is not part of this code base.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from drivers.protocols.errors import (
    ChecksumError,
    EncodingError,
    FramingError,
    TruncatedPacketError,
)

__all__ = ["AntMessage", "decode_ant_message", "encode_ant_message"]

SYNC: Final = 0xA4
BAUD_RATE: Final = 115200
HRM_DEVICE_TYPE: Final = 120

MESSAGE_NAMES: Final[dict[int, str]] = {
    0x40: "channel_response",
    0x42: "assign_channel",
    0x43: "channel_period",
    0x45: "channel_rf_frequency",
    0x46: "set_network_key",
    0x4A: "reset_system",
    0x4B: "open_channel",
    0x4E: "broadcast_data",
    0x51: "channel_id",
    0x6F: "startup_message",
}


@dataclass(frozen=True, slots=True)
class AntMessage:
    """A decoded ANT message.

    Attributes:
        msg_id: message id.
        name: lower-case name ("unknown" otherwise).
        payload: payload bytes.
        values: interpreted payload fields (channel, HRM page values, ...).
    """

    msg_id: int
    name: str
    payload: bytes
    values: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict."""
        return {
            "msg_id": f"0x{self.msg_id:02X}",
            "name": self.name,
            "payload_hex": self.payload.hex(" "),
            **self.values,
        }


def _checksum(data: bytes) -> int:
    value = 0
    for byte in data:
        value ^= byte
    return value


def encode_ant_message(msg_id: int, payload: bytes) -> bytes:
    """Build ``A4 len id payload checksum``."""
    if len(payload) > 0xFF or not 0 <= msg_id <= 0xFF:
        raise EncodingError("ANT payload longer than 255 bytes or bad id")
    head = bytes([SYNC, len(payload), msg_id]) + bytes(payload)
    return head + bytes([_checksum(head)])


def _page(page: bytes) -> dict[str, Any]:
    number = page[0] & 0x7F
    out: dict[str, Any] = {"page": number, "toggle_bit": page[0] >> 7}
    if number == 0x50:  # common page 80: manufacturer's information
        out.update(
            hw_rev=page[3],
            manufacturer_id=int.from_bytes(page[4:6], "little"),
            model=int.from_bytes(page[6:8], "little"),
        )
        return out
    out.update(
        beat_time_1_1024s=int.from_bytes(page[4:6], "little"),
        beat_count=page[6],
        computed_hr_bpm=page[7],
    )
    if number == 4:
        out.update(
            manufacturer_specific=page[1],
            previous_beat_time_1_1024s=int.from_bytes(page[2:4], "little"),
        )
        rr = (out["beat_time_1_1024s"] - out["previous_beat_time_1_1024s"]) & 0xFFFF
        out["rr_ms"] = round(rr * 1000 / 1024, 1)
    return out


def decode_ant_message(data: bytes) -> AntMessage:
    """Decode one complete ANT message.

    Raises:
        TruncatedPacketError: shorter than its length byte promises.
        FramingError: no A4 sync byte.
        ChecksumError: checksum mismatch.
    """
    data = bytes(data)
    if len(data) < 4:
        raise TruncatedPacketError(f"ANT message needs >= 4 bytes, got {len(data)}")
    if data[0] != SYNC:
        raise FramingError(f"ANT message must start with A4, got {data[0]:02X}")
    length = data[1]
    if len(data) < 4 + length:
        raise TruncatedPacketError(f"ANT message promises {length} payload bytes")
    end = 3 + length
    if _checksum(data[:end]) != data[end]:
        raise ChecksumError(f"ANT checksum 0x{data[end]:02X} != 0x{_checksum(data[:end]):02X}")
    msg_id = data[2]
    payload = data[3:end]
    values: dict[str, Any] = {}
    if payload:
        values["channel"] = payload[0]
    if msg_id == 0x4E and len(payload) >= 9:
        values.update(_page(payload[1:9]))
    elif msg_id == 0x40 and len(payload) >= 3:
        values.update(responding_to=f"0x{payload[1]:02X}", code=payload[2])
    elif msg_id == 0x51 and len(payload) >= 5:
        values.update(
            device_number=int.from_bytes(payload[1:3], "little"),
            device_type=payload[3],
            transmission_type=payload[4],
        )
    elif msg_id == 0x43 and len(payload) >= 3:
        period = int.from_bytes(payload[1:3], "little")
        values.update(period_counts=period, rate_hz=round(32768 / period, 2) if period else None)
    elif msg_id == 0x45 and len(payload) >= 2:
        values.update(rf_freq=payload[1], frequency_mhz=2400 + payload[1])
    return AntMessage(
        msg_id=msg_id, name=MESSAGE_NAMES.get(msg_id, "unknown"), payload=payload, values=values
    )
