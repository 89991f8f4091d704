"""Typed protocol errors, all subclasses of :class:`runningroom.errors.ProtocolError`."""

from __future__ import annotations

from runningroom.errors import ProtocolError

__all__ = [
    "ChecksumError",
    "EncodingError",
    "FramingError",
    "InvalidValueError",
    "ProtocolError",
    "TruncatedPacketError",
    "UnknownOpcodeError",
]


class TruncatedPacketError(ProtocolError):
    """The packet is too short to carry even its mandatory header."""


class FramingError(ProtocolError):
    """A serial frame has missing/invalid start, stop or stuffing bytes."""


class ChecksumError(ProtocolError):
    """A serial frame's checksum does not match its contents."""


class UnknownOpcodeError(ProtocolError):
    """An opcode, command or result code outside the protocol's table."""


class InvalidValueError(ProtocolError):
    """A field holds a value the protocol does not allow (e.g. non-digit ASCII)."""


class EncodingError(ProtocolError):
    """A value cannot be encoded (out of the wire format's range, or NaN)."""
