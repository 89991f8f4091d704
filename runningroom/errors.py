"""The RunningRoom exception hierarchy.

::

    RunningRoomError
     +-- ValidationError          a profile/template/setting file or value is invalid
     +-- RecordingError           the session database cannot be opened or written
     |    +-- DatabaseLockedError  another process holds the database
     |    +-- DiskFullError        the disk (or quota) holding the database is full
     +-- DeviceError              a device could not be reached or refused a request
     |    +-- DeviceNotFoundError  no adapter / port / device at that address
     |    +-- ControlNotPermittedError  the device refuses control (monitor only)
     |    +-- DeviceTimeoutError   a request got no answer in time
     +-- ProtocolError            bytes from a device could not be decoded
     +-- ExportError              an export could not be written
"""

from __future__ import annotations

import reprlib
from collections.abc import Mapping

#: A text value longer than this is shortened in error messages.
MAX_SHOWN_CHARS = 120
#: How many characters of a shortened text value are shown.
SHOWN_PREFIX_CHARS = 80

_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxstring = SHOWN_PREFIX_CHARS
_REPR.maxother = SHOWN_PREFIX_CHARS
_REPR.maxlong = SHOWN_PREFIX_CHARS


class Abbreviated:
    """A shortened stand-in for a value too large or too deep to show whole.

    Its ``repr`` is the short text, so messages that show ``{got!r}`` stay short.

    Attributes:
        text: the short representation.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Abbreviated) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def shorten(text: str) -> str:
    """``text`` itself, or its first 80 characters and "… (N characters)" when longer than 120.

    Shortening a shortened text gives it back unchanged.
    """
    if len(text) <= MAX_SHOWN_CHARS:
        return text
    return f"{text[:SHOWN_PREFIX_CHARS]}… ({len(text)} characters)"


def shown_value(value: object) -> object:
    """A value as an error message may show it: short texts, numbers and None unchanged.

    A long text is shortened (:func:`shorten`); a container (table, array) becomes an
    :class:`Abbreviated` whose representation is at most three levels deep and about
    120 characters long, so a 50 MB field or a 5,000-deep nesting never reaches a message.
    """
    if value is None or isinstance(value, bool | int | float | Abbreviated):
        return value
    if isinstance(value, str):
        return shorten(value)
    if isinstance(value, Mapping | list | tuple | set | frozenset | bytes | bytearray):
        return Abbreviated(shorten(_REPR.repr(value)))
    try:
        text = repr(value)
    except (RecursionError, ValueError):
        text = f"<{type(value).__name__}>"
    return value if len(text) <= MAX_SHOWN_CHARS else Abbreviated(shorten(text))


class RunningRoomError(Exception):
    """Base class of every error RunningRoom raises on purpose."""


class ValidationError(RunningRoomError):
    """A file or value failed validation.

    Args:
        source: the file (or other origin) that was being read.
        field: dotted path of the offending field, or "" for the whole document.
        expected: what would have been valid.
        got: what was found; kept (and shown) shortened by :func:`shown_value`, so a
            huge or deeply nested value never makes a huge message.
    """

    def __init__(self, source: str, field: str, expected: str, got: object = None) -> None:
        self.source = source
        self.field = field
        self.expected = expected
        self.got = shown_value(got)
        shown_source = shorten(source)
        where = f"{shown_source}: {field}" if field else shown_source
        found = "" if self.got is None else f", got {self.got!r}"
        super().__init__(f"{where}: expected {expected}{found}")


class RecordingError(RunningRoomError):
    """The session database could not be opened, read or written."""


class DatabaseLockedError(RecordingError):
    """The session database is locked by another process."""


class DiskFullError(RecordingError):
    """The disk (or the user's quota) that holds the session database is full."""


class DeviceError(RunningRoomError):
    """A device could not be reached or refused a request."""


class DeviceNotFoundError(DeviceError):
    """No adapter, port or device exists at the given address."""


class ControlNotPermittedError(DeviceError):
    """The device refuses control commands; it can only be monitored."""


class DeviceTimeoutError(DeviceError):
    """A request to a device got no answer in time."""


class ProtocolError(RunningRoomError):
    """Bytes from a device could not be decoded."""


class ExportError(RunningRoomError):
    """An export could not be written."""
