"""Build a serial treadmill from a port and a protocol name."""

from __future__ import annotations

from typing import Any

from runningroom.clock import Clock
from runningroom.devices import HrSource, Treadmill

#: Protocol names accepted by :func:`open_serial_treadmill`.
PROTOCOLS = ("csafe", "trackmaster", "woodway")


def open_serial_treadmill(url: str, protocol: str, clock: Clock, **options: Any) -> Treadmill:
    """Create (not connect) a serial treadmill.

    Args:
        url: device path (``/dev/ttyUSB0``) or pyserial URL (``socket://host:port``).
        protocol: "csafe", "trackmaster" or "woodway".
        clock: time source.
        **options: passed to the driver (``poll_period_s``, ``timeout_s``, ``watchdog``...).

    Raises:
        ValueError: unknown protocol.
    """
    from drivers.serial.csafe_treadmill import CsafeTreadmill
    from drivers.serial.trackmaster_treadmill import TrackmasterTreadmill

    name = protocol.strip().lower()
    if name == "csafe":
        return CsafeTreadmill(url, clock, **options)
    if name in ("trackmaster", "woodway"):
        return TrackmasterTreadmill(url, clock, name, **options)
    raise ValueError(f"unknown serial treadmill protocol {protocol!r}; use one of {PROTOCOLS}")


#: HR protocols accepted by :func:`open_serial_hr_source`.
HR_PROTOCOLS = ("ant",)


def open_serial_hr_source(url: str, protocol: str, clock: Clock, **options: Any) -> HrSource:
    """Create (not connect) a serial heart-rate source: ``ant`` (ANT USB1 stick).

    The ANT+ network key comes from ``options["network_key"]`` or the environment
    (``RUNNINGROOM_ANT_NETWORK_KEY``) at connect time.

    Raises:
        ValueError: unknown protocol.
    """
    from drivers.serial.ant_hr import AntHrReceiver

    if protocol.strip().lower() == "ant":
        return AntHrReceiver(url, clock, **options)
    raise ValueError(f"unknown serial HR protocol {protocol!r}; use one of {HR_PROTOCOLS}")
