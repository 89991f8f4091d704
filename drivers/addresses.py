"""Stable device address strings and the factories that open them.

Grammar (usable on the command line and in settings)::

    ble:AA:BB:CC:DD:EE:FF[?adapter=hci0]          FTMS treadmill / BLE HR strap
    ble:XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX      (macOS CoreBluetooth identifiers)
    serial:/dev/ttyUSB0?protocol=csafe|trackmaster|woodway   serial treadmills
    serial:/dev/ttyUSB0?protocol=ant              ANT+ HR receiver (USB1 stick, serial)
    sim:[?seed=N&faults=0|1]                      simulated devices (demo, tests)

Device modules are imported lazily, so opening a ``sim:`` device never imports bleak
or pyserial.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from runningroom.errors import ValidationError

if TYPE_CHECKING:
    from runningroom.clock import Clock
    from runningroom.devices import HrSource, Treadmill

logger = logging.getLogger(__name__)

SCHEMES = ("ble", "serial", "sim")
SERIAL_PROTOCOLS = ("csafe", "trackmaster", "woodway")
SERIAL_HR_PROTOCOLS = ("ant",)
_MAC_RE = re.compile(r"^[0-9A-F]{2}(:[0-9A-F]{2}){5}$")
_UUID_RE = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")
_EXPECTED = (
    "ble:AA:BB:CC:DD:EE:FF[?adapter=hci0], "
    "serial:/dev/ttyUSB0?protocol=csafe|trackmaster|woodway|ant or sim:"
)


@dataclass(frozen=True)
class DeviceAddress:
    """A parsed device address.

    Attributes:
        scheme: "ble", "serial" or "sim".
        target: BLE address (upper case), serial port path, or "" for sim.
        params: query parameters (adapter, protocol, seed, faults).
    """

    scheme: str
    target: str
    params: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.scheme}:{self.target}" + (f"?{query}" if query else "")


def _invalid(text: str, detail: str) -> ValidationError:
    return ValidationError("device address", "", f"{_EXPECTED} ({detail})", text)


def parse_address(text: str) -> DeviceAddress:
    """Parse and normalise a device address string.

    Raises:
        ValidationError: the string does not follow the grammar above.
    """
    raw = text.strip()
    scheme, sep, rest = raw.partition(":")
    scheme = scheme.lower()
    if not sep or scheme not in SCHEMES:
        raise _invalid(text, f"unknown scheme {scheme!r}")
    target, _, query = rest.partition("?")
    try:
        params = dict(parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query)))
    except ValueError as exc:
        raise _invalid(text, f"bad query {query!r}") from exc
    if scheme == "ble":
        target = target.upper()
        if not (_MAC_RE.match(target) or _UUID_RE.match(target)):
            raise _invalid(text, f"bad Bluetooth address {target!r}")
        unknown = set(params) - {"adapter"}
    elif scheme == "serial":
        if not target:
            raise _invalid(text, "missing serial port")
        protocol = params.get("protocol", "").lower()
        known = SERIAL_PROTOCOLS + SERIAL_HR_PROTOCOLS
        if protocol not in known:
            raise _invalid(text, f"protocol must be one of {', '.join(known)}")
        params["protocol"] = protocol
        unknown = set(params) - {"protocol"}
    else:
        if target:
            raise _invalid(text, "sim: takes no target")
        unknown = set(params) - {"seed", "faults"}
        for key in ("seed", "faults"):
            if key in params and not params[key].isdigit():
                raise _invalid(text, f"{key} must be a non-negative integer")
    if unknown:
        raise _invalid(text, f"unknown parameter(s) {', '.join(sorted(unknown))}")
    return DeviceAddress(scheme, target, params)


def open_treadmill(address: str, clock: Clock) -> Treadmill:
    """Create (not connect) the treadmill at ``address``.

    Raises:
        ValidationError: malformed address.
    """
    parsed = parse_address(address)
    if parsed.scheme == "ble":
        from drivers.ble.ftms import FtmsTreadmill
        from drivers.ble.link import BleOptions

        return FtmsTreadmill(
            parsed.target, clock, options=BleOptions(adapter=parsed.params.get("adapter"))
        )
    if parsed.scheme == "serial":
        if parsed.params["protocol"] not in SERIAL_PROTOCOLS:
            raise ValidationError(
                "device address", "", "a treadmill protocol (csafe, trackmaster, woodway)", address
            )
        # D1's serial package; resolved at run time so this module never needs pyserial.
        serial_module = importlib.import_module("drivers.serial")
        factory: Callable[[str, str, Clock], Treadmill] = serial_module.open_serial_treadmill
        return factory(parsed.target, parsed.params["protocol"], clock)
    from drivers.sim.devices import SimTreadmill

    return SimTreadmill(clock, realtime=True, address=str(parsed))


def open_hr_source(address: str, clock: Clock, *, treadmill: Treadmill | None = None) -> HrSource:
    """Create (not connect) the heart-rate source at ``address``.

    Args:
        address: a ``ble:``, ``sim:`` or ``serial:...?protocol=ant`` address.
        clock: time source.
        treadmill: for ``sim:``, the simulated treadmill the simulated patient walks on.

    Raises:
        ValidationError: malformed address or a scheme that has no HR source.
    """
    parsed = parse_address(address)
    if parsed.scheme == "ble":
        from drivers.ble.heart_rate import BleHeartRateStrap
        from drivers.ble.link import BleOptions

        return BleHeartRateStrap(
            parsed.target, clock, options=BleOptions(adapter=parsed.params.get("adapter"))
        )
    if parsed.scheme == "serial":
        if parsed.params["protocol"] not in SERIAL_HR_PROTOCOLS:
            raise ValidationError(
                "device address",
                "",
                "a heart-rate source (ble:, sim: or serial:...?protocol=ant)",
                address,
            )
        serial_module = importlib.import_module("drivers.serial")
        hr_factory: Callable[[str, str, Clock], HrSource] = serial_module.open_serial_hr_source
        return hr_factory(parsed.target, parsed.params["protocol"], clock)
    from drivers.sim.devices import DEFAULT_FAULTS, SimHrStrap, SimTreadmill
    from drivers.sim.patient import PatientParams, SimulatedPatient

    seed = int(parsed.params.get("seed", "0"))
    faults_on = parsed.params.get("faults", "0") != "0"
    sim_treadmill = treadmill if isinstance(treadmill, SimTreadmill) else None
    if sim_treadmill is None:
        logger.info("sim: HR source without a simulated treadmill: the patient stands still")
    return SimHrStrap(
        clock,
        SimulatedPatient(PatientParams(seed=seed)),
        sim_treadmill,
        seed=seed,
        faults=DEFAULT_FAULTS if faults_on else None,
        realtime=True,
        address=str(parsed),
    )
