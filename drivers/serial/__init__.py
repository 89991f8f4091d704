"""Serial treadmills (CSAFE, Trackmaster/Woodway) over pyserial, and their simulators."""

from __future__ import annotations

from drivers.serial.csafe_treadmill import CsafeTreadmill
from drivers.serial.factory import (
    HR_PROTOCOLS,
    PROTOCOLS,
    open_serial_hr_source,
    open_serial_treadmill,
)
from drivers.serial.trackmaster_treadmill import TrackmasterTreadmill

__all__ = [
    "HR_PROTOCOLS",
    "PROTOCOLS",
    "CsafeTreadmill",
    "TrackmasterTreadmill",
    "open_serial_hr_source",
    "open_serial_treadmill",
]
