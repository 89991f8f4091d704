"""Scan for FTMS treadmills and heart-rate straps.

A device counts as an FTMS machine when it lists service 0x1826 among its advertised
service UUIDs *or* carries FTMS service data (protocol reference section 1.2). The service
data (flags uint8, Fitness Machine Type uint16) is decoded tolerantly: some machines send
the type bytes reversed or as a single byte, so every byte after the flags is OR-ed
together (pyftms does the same). Machines whose type says they are not treadmills (bikes,
rowers) are left out; malformed or missing service data keeps the device in the list with
an unknown type. Heart-rate straps advertise service 0x180D.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bleak import BleakScanner
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData
from bleak.exc import BleakError

from drivers.ble.link import BleOptions, map_bleak_error, remember_device
from drivers.protocols import uuids

logger = logging.getLogger(__name__)

#: Fitness Machine Type bits in the FTMS service data.
MACHINE_TYPE_BITS = ("treadmill", "cross_trainer", "step_climber", "stair_climber", "rower", "bike")


class FoundKind(StrEnum):
    """What a scan result is."""

    TREADMILL = "treadmill"
    HR = "hr"


@dataclass(frozen=True)
class FtmsServiceData:
    """Decoded FTMS advertising service data.

    Attributes:
        available: Fitness Machine Available flag (bit 0 of the flags byte).
        machine_types: names of the set Fitness Machine Type bits.
    """

    available: bool
    machine_types: tuple[str, ...]


def parse_ftms_service_data(data: bytes) -> FtmsServiceData | None:
    """Decode FTMS service data; None when it is too short to mean anything.

    Never raises: advertisements come from arbitrary devices.
    """
    data = bytes(data)
    if len(data) < 2:
        return None
    type_bits = 0
    for byte in data[1:]:
        type_bits |= byte
    names = tuple(name for bit, name in enumerate(MACHINE_TYPE_BITS) if type_bits & (1 << bit))
    return FtmsServiceData(available=bool(data[0] & 0x01), machine_types=names)


@dataclass(frozen=True)
class ScanResult:
    """One device found by :func:`scan`.

    Attributes:
        kind: treadmill or HR strap.
        address: stable device address string (``ble:AA:BB:...``), usable on the CLI.
        name: advertised name ("" when none).
        rssi_dbm: signal strength of the strongest advertisement seen.
        machine_types: FTMS machine types from service data (empty when unknown).
        service_data_valid: False when FTMS service data was present but malformed.
    """

    kind: FoundKind
    address: str
    name: str
    rssi_dbm: int | None
    machine_types: tuple[str, ...] = ()
    service_data_valid: bool = True

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict."""
        return {
            "kind": str(self.kind),
            "address": self.address,
            "name": self.name,
            "rssi_dbm": self.rssi_dbm,
            "machine_types": list(self.machine_types),
            "service_data_valid": self.service_data_valid,
        }


def classify(device: BLEDevice, adv: AdvertisementData) -> ScanResult | None:
    """Turn one advertisement into a :class:`ScanResult`, or None if it is not ours."""
    service_uuids = {u.lower() for u in adv.service_uuids}
    service_data = {k.lower(): v for k, v in adv.service_data.items()}
    name = adv.local_name or device.name or ""
    address = f"ble:{device.address.upper()}"
    ftms_data = service_data.get(uuids.FITNESS_MACHINE_SERVICE)
    if uuids.FITNESS_MACHINE_SERVICE in service_uuids or ftms_data is not None:
        parsed = parse_ftms_service_data(ftms_data) if ftms_data is not None else None
        if parsed is not None and parsed.machine_types and "treadmill" not in parsed.machine_types:
            return None  # a bike or rower
        return ScanResult(
            kind=FoundKind.TREADMILL,
            address=address,
            name=name,
            rssi_dbm=adv.rssi,
            machine_types=parsed.machine_types if parsed else (),
            service_data_valid=ftms_data is None or parsed is not None,
        )
    if uuids.HEART_RATE_SERVICE in service_uuids:
        return ScanResult(kind=FoundKind.HR, address=address, name=name, rssi_dbm=adv.rssi)
    return None


async def scan(timeout_s: float = 5.0, *, options: BleOptions | None = None) -> list[ScanResult]:
    """Scan for ``timeout_s`` seconds; return treadmills then HR straps, strongest first.

    Raises:
        DeviceNotFoundError: no Bluetooth adapter.
        DeviceError: the scan could not be started.
    """
    options = options or BleOptions()
    found: dict[str, ScanResult] = {}

    def on_detect(device: BLEDevice, adv: AdvertisementData) -> None:
        result = classify(device, adv)
        if result is None:
            return
        remember_device(device, options)
        previous = found.get(result.address)
        if previous is not None and (previous.rssi_dbm or -999) > (result.rssi_dbm or -999):
            result = ScanResult(
                result.kind,
                result.address,
                result.name or previous.name,
                previous.rssi_dbm,
                result.machine_types or previous.machine_types,
                result.service_data_valid,
            )
        found[result.address] = result

    try:
        scanner = BleakScanner(on_detect, backend=options.scanner_backend, **options.bleak_kwargs())
        await scanner.start()
    except (BleakError, OSError) as exc:
        raise map_bleak_error(exc, "scan") from exc
    try:
        await asyncio.sleep(timeout_s)
    finally:
        with contextlib.suppress(BleakError, OSError):
            await scanner.stop()
    order = {FoundKind.TREADMILL: 0, FoundKind.HR: 1}
    return sorted(found.values(), key=lambda r: (order[r.kind], -(r.rssi_dbm or -999), r.address))
