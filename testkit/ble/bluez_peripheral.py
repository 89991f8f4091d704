"""Serve a simulated peripheral over the BlueZ D-Bus API (GattManager1 + LEAdvertisingManager1).

Written directly on ``dbus-fast`` (the library bleak itself uses) rather than bless, to
avoid bless's pitfalls with BlueZoo (characteristics that start with ``Notifying = true``,
no ``Confirm`` method, no discoverable flag). Run as a subprocess next to BlueZoo::

    python -m testkit.ble.bluez_peripheral --kind ftms --adapter hci1 [--fault start_required]

It prints ``READY <address>`` on stdout once the GATT application and the advertisement
are registered, then ``WRITE <uuid> <hex> <monotonic s>`` for every write it receives,
and serves until terminated (SIGTERM/SIGINT). Works against real BlueZ too (for a
developer with a spare adapter), though that is not what it is tested with.
"""

# No ``from __future__ import annotations``: dbus-fast reads the signature annotations.

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
import time
from collections.abc import Sequence

from dbus_fast import BusType, DBusError, PropertyAccess, Variant
from dbus_fast.aio import MessageBus
from dbus_fast.annotations import DBusBool, DBusBytes, DBusDict, DBusObjectPath, DBusStr
from dbus_fast.service import ServiceInterface, dbus_method, dbus_property

from testkit.ble.peripherals import (
    AttError,
    SimCharacteristic,
    SimFtmsTreadmill,
    SimHrStrap,
    SimPeripheral,
)

logger = logging.getLogger(__name__)

APP_PATH = "/org/runningroom/sim"
ADV_PATH = "/org/runningroom/adv0"
#: Vendor service-data UUID carrying the rolling advertisement counter.
ROLLING_UUID = "52520000-4f4f-4d00-8000-000000000001"


class _GattService(ServiceInterface):
    def __init__(self, uuid: str) -> None:
        super().__init__("org.bluez.GattService1")
        self._uuid = uuid

    @dbus_property(access=PropertyAccess.READ)
    def UUID(self) -> DBusStr:  # noqa: N802 - D-Bus member name
        return self._uuid

    @dbus_property(access=PropertyAccess.READ)
    def Primary(self) -> DBusBool:  # noqa: N802
        return True


class _GattCharacteristic(ServiceInterface):
    def __init__(self, sim: SimPeripheral, char: SimCharacteristic, service_path: str) -> None:
        super().__init__("org.bluez.GattCharacteristic1")
        self._sim = sim
        self._char = char
        self._service_path = service_path
        self._value = b""
        self._notifying = False

    def push(self, value: bytes) -> None:
        """Publish a new value (BlueZ turns it into a notification or indication)."""
        self._value = value
        self.emit_properties_changed({"Value": value})

    @dbus_method()
    def ReadValue(self, options: DBusDict) -> DBusBytes:  # noqa: N802
        try:
            return self._sim.read(self._char.uuid)
        except AttError as exc:
            raise DBusError("org.bluez.Error.NotPermitted", str(exc)) from exc

    @dbus_method()
    def WriteValue(self, value: DBusBytes, options: DBusDict) -> None:  # noqa: N802
        t_s = time.monotonic()  # CLOCK_MONOTONIC: comparable across processes (latency bench)
        sys.stdout.write(f"WRITE {self._char.uuid} {bytes(value).hex()} {t_s:.6f}\n")
        sys.stdout.flush()
        try:
            self._sim.write(self._char.uuid, bytes(value))
        except AttError as exc:
            raise DBusError("org.bluez.Error.Failed", f"0x{exc.code:02x}") from exc

    @dbus_method()
    def StartNotify(self) -> None:  # noqa: N802
        self._sim.set_notifying(self._char.uuid, True)
        self._notifying = True
        self.emit_properties_changed({"Notifying": True})

    @dbus_method()
    def StopNotify(self) -> None:  # noqa: N802
        self._sim.set_notifying(self._char.uuid, False)
        self._notifying = False
        self.emit_properties_changed({"Notifying": False})

    @dbus_method()
    def Confirm(self) -> None:  # noqa: N802
        """Indication confirmed by the client (BlueZoo calls this after every value)."""

    @dbus_property(access=PropertyAccess.READ)
    def UUID(self) -> DBusStr:  # noqa: N802
        return self._char.uuid

    @dbus_property(access=PropertyAccess.READ)
    def Service(self) -> DBusObjectPath:  # noqa: N802
        return self._service_path

    @dbus_property(access=PropertyAccess.READ)
    def Flags(self) -> "as":  # type: ignore[valid-type]  # noqa: F722, N802
        return list(self._char.flags)

    @dbus_property(access=PropertyAccess.READ)
    def Value(self) -> DBusBytes:  # noqa: N802
        return self._value

    @dbus_property(access=PropertyAccess.READ)
    def Notifying(self) -> DBusBool:  # noqa: N802
        return self._notifying


class _Advertisement(ServiceInterface):
    """LE advertisement with a rolling counter in vendor service data.

    The counter (under :data:`ROLLING_UUID`) changes every interval, so BlueZoo reports
    the device on every scan, as real BlueZ does through RSSI updates; without it a
    second scan (another process, or the second device of a station) would not see it.
    """

    def __init__(self, sim: SimPeripheral) -> None:
        super().__init__("org.bluez.LEAdvertisement1")
        self._sim = sim
        self.counter = 0

    def bump(self) -> None:
        """Advance the rolling counter and publish the new service data."""
        self.counter = (self.counter + 1) % 256
        self.emit_properties_changed({"ServiceData": self._service_data()})

    def _service_data(self) -> dict[str, Variant]:
        data = {k: Variant("ay", v) for k, v in self._sim.service_data.items()}
        data[ROLLING_UUID] = Variant("ay", bytes((self.counter,)))
        return data

    @dbus_method()
    def Release(self) -> None:  # noqa: N802
        logger.info("advertisement released")

    @dbus_property(access=PropertyAccess.READ)
    def Type(self) -> DBusStr:  # noqa: N802
        return "peripheral"

    @dbus_property(access=PropertyAccess.READ)
    def ServiceUUIDs(self) -> "as":  # type: ignore[valid-type]  # noqa: F722, N802
        return self._sim.advertised_service_uuids

    @dbus_property(access=PropertyAccess.READ)
    def ServiceData(self) -> DBusDict:  # noqa: N802
        return self._service_data()

    @dbus_property(access=PropertyAccess.READ)
    def LocalName(self) -> DBusStr:  # noqa: N802
        return self._sim.name

    @dbus_property(access=PropertyAccess.READ)
    def Discoverable(self) -> DBusBool:  # noqa: N802
        return True


async def serve(sim: SimPeripheral, adapter: str, stop: asyncio.Event) -> None:
    """Export ``sim`` on the system bus, register it with ``adapter``, serve until ``stop``.

    Args:
        sim: the peripheral model to serve.
        adapter: BlueZ adapter name ("hci1").
        stop: set to end serving.
    """
    bus = await MessageBus(bus_type=BusType.SYSTEM).connect()
    chars: dict[str, _GattCharacteristic] = {}
    for s_index, service in enumerate(sim.services):
        service_path = f"{APP_PATH}/service{s_index}"
        bus.export(service_path, _GattService(service.uuid))
        for c_index, char in enumerate(service.characteristics):
            iface = _GattCharacteristic(sim, char, service_path)
            bus.export(f"{service_path}/char{c_index}", iface)
            chars[char.uuid] = iface
    sim.attach(lambda uuid, value: chars[uuid].push(value))
    advertisement = _Advertisement(sim)
    bus.export(ADV_PATH, advertisement)

    adapter_path = f"/org/bluez/{adapter}"
    introspection = await bus.introspect("org.bluez", adapter_path)
    proxy = bus.get_proxy_object("org.bluez", adapter_path, introspection)
    props = proxy.get_interface("org.freedesktop.DBus.Properties")
    await props.call_set("org.bluez.Adapter1", "Alias", Variant("s", sim.name))  # type: ignore[attr-defined]
    await props.call_set("org.bluez.Adapter1", "Discoverable", Variant("b", True))  # type: ignore[attr-defined]
    gatt = proxy.get_interface("org.bluez.GattManager1")
    await gatt.call_register_application(APP_PATH, {})  # type: ignore[attr-defined]
    adv = proxy.get_interface("org.bluez.LEAdvertisingManager1")
    await adv.call_register_advertisement(ADV_PATH, {})  # type: ignore[attr-defined]

    sim.on_connect()  # BlueZ does not tell a GATT server about centrals; start the loop now.
    sys.stdout.write(f"READY {sim.address}\n")
    sys.stdout.flush()
    try:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.5)
            advertisement.bump()
    finally:
        await sim.aclose()
        bus.disconnect()


def build_peripheral(
    kind: str, address: str, period_s: float, faults: Sequence[str] = ()
) -> SimPeripheral:
    """Create the simulated peripheral of ``kind`` ("ftms" or "hr").

    ``faults`` are ``NAME`` or ``NAME=VALUE`` settings of the treadmill's
    :class:`~testkit.ble.peripherals.FtmsFaults` (``start_required``,
    ``start_required_result=4``, ``speed_starts_belt``, ``response_delay_s=0.5``...).
    """
    if kind == "ftms":
        sim = SimFtmsTreadmill(address=address, name="SIM-FTMS", period_s=period_s)
        for item in faults:
            name, _, raw = item.partition("=")
            current = getattr(sim.faults, name)  # AttributeError: unknown fault
            if isinstance(current, bool):
                value: object = raw.lower() not in ("0", "false", "no") if raw else True
            else:
                value = type(current)(raw)
            setattr(sim.faults, name, value)
        return sim
    if kind == "hr":
        return SimHrStrap(address=address, name="SIM-HRM", period_s=period_s)
    raise ValueError(f"unknown peripheral kind {kind!r}")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--kind", choices=("ftms", "hr"), required=True)
    parser.add_argument("--adapter", default="hci1")
    parser.add_argument("--address", required=True, help="the adapter's address")
    parser.add_argument("--period-s", type=float, default=0.2)
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME[=VALUE]",
        help="switch on a treadmill field behaviour (FtmsFaults field), repeatable",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    sim = build_peripheral(args.kind, args.address, args.period_s, args.fault)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await serve(sim, args.adapter, stop)

    asyncio.run(run())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
