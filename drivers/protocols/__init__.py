"""Pure byte-level codecs for treadmill and heart-rate protocols (no I/O).

Every decoder returns a frozen dataclass or raises a
:class:`~drivers.protocols.errors.ProtocolError` subclass, never anything else.
"""
