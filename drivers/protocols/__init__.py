"""Pure byte-level codecs for treadmill and heart-rate protocols (no I/O).

Modules:
    uuids: the one table of Bluetooth SIG UUIDs.
    ftms: Fitness Machine Service (Treadmill Data with split-notification merging,
        Feature, ranges, Control Point, Machine Status, Training Status).
    heart_rate: Heart Rate Measurement and Body Sensor Location.
    csafe: CSAFE frames (standard/extended, stuffing, checksum, status byte) and the
        treadmill commands with unit codes.
    trackmaster: Trackmaster and Woodway single-byte protocols (one codec, a dialect).
    ant: ANT serial messages and the ANT+ heart-rate data page.
    errors: the typed :class:`~runningroom.errors.ProtocolError` subclasses.

Every decoder returns a frozen dataclass or raises a ProtocolError subclass, never
anything else (tests: every vector of vectors.json, hypothesis fuzz, exhaustive flag
sweeps). ``runningroom decode KIND HEX...`` shows what a pasted packet decodes to.
"""
