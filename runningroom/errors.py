"""The RunningRoom exception hierarchy.

::

    RunningRoomError
     +-- ValidationError          a profile/template/setting file or value is invalid
     +-- RecordingError           the session database cannot be opened or written
     |    +-- DatabaseLockedError  another process holds the database
     +-- DeviceError              a device could not be reached or refused a request
     |    +-- DeviceNotFoundError  no adapter / port / device at that address
     |    +-- ControlNotPermittedError  the device refuses control (monitor only)
     |    +-- DeviceTimeoutError   a request got no answer in time
     +-- ProtocolError            bytes from a device could not be decoded
     +-- ExportError              an export could not be written
"""

from __future__ import annotations


class RunningRoomError(Exception):
    """Base class of every error RunningRoom raises on purpose."""


class ValidationError(RunningRoomError):
    """A file or value failed validation.

    Args:
        source: the file (or other origin) that was being read.
        field: dotted path of the offending field, or "" for the whole document.
        expected: what would have been valid.
        got: a short representation of what was found.
    """

    def __init__(self, source: str, field: str, expected: str, got: object = None) -> None:
        self.source = source
        self.field = field
        self.expected = expected
        self.got = got
        where = f"{source}: {field}" if field else source
        found = "" if got is None else f", got {got!r}"
        super().__init__(f"{where}: expected {expected}{found}")


class RecordingError(RunningRoomError):
    """The session database could not be opened, read or written."""


class DatabaseLockedError(RecordingError):
    """The session database is locked by another process."""


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
