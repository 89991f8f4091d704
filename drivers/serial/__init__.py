"""Serial devices over pyserial.

Treadmills (:class:`~runningroom.devices.Treadmill`): :class:`CsafeTreadmill` (9600 8N1)
and :class:`TrackmasterTreadmill` with dialect ``"trackmaster"`` or ``"woodway"``
(4800 8N1; Woodway starts the belt with its hardware communication watchdog). Blocking
I/O runs in a worker thread, one request at a time; a missing reply raises
:class:`~runningroom.errors.DeviceTimeoutError`; commands are clamped and quantised to
the capabilities; measurements are polled at 2 Hz by default; unexpected stops, pauses,
safety-key and console changes become device events.

Heart rate (:class:`~runningroom.devices.HrSource`): an ANT+ strap through an ANT USB1
stick (``open_serial_hr_source(url, "ant", clock)``).

Simulators, outside the runtime packages (:mod:`testkit.serial.simulators`), run CSAFE,
Trackmaster/Woodway and ANT stick state machines on a pty;
``python -m testkit.serial.simulators csafe`` prints a port path to use as
``serial:/dev/pts/N?protocol=csafe``.
"""

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
