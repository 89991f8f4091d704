"""A bleak backend (the documented ``backend=`` parameter) routed to in-process simulators.

Usage::

    radio = FakeRadio()
    treadmill_sim = radio.add(SimFtmsTreadmill(address="F0:00:00:00:00:01"))
    client = BleakClient("F0:00:00:00:00:01", backend=radio.client_backend)
    scanner = BleakScanner(backend=radio.scanner_backend)

The application's real bleak calls (``connect``, ``read_gatt_char``, ``write_gatt_char``
with response, ``start_notify``, disconnect callbacks) run unchanged; only the transport
below bleak is simulated. Faults: :meth:`FakeRadio.drop_link` (unsolicited
disconnect), :meth:`FakeRadio.set_reachable` (out of range: connects fail),
:meth:`FakeRadio.hang_next_connects` (BlueZ aborted the attempt and bleak waits out its
whole timeout), :attr:`FakeRadio.adapter_present`, plus the peripherals' own fault
fields.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, TypeVar

from bleak.args import SizedBuffer
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient, NotifyCallback
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import (
    AdvertisementData,
    AdvertisementDataCallback,
    BaseBleakScanner,
)
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.exc import BleakDeviceNotFoundError, BleakError, BleakGATTProtocolError

from drivers.tasks import cancel_and_wait
from testkit.ble.peripherals import AttError, SimPeripheral

logger = logging.getLogger(__name__)

_P = TypeVar("_P", bound=SimPeripheral)

#: Interval at which the fake scanner repeats advertisements.
ADVERTISING_INTERVAL_S = 0.05


class FakeRadio:
    """The simulated air: peripherals by address, reachability and the adapter."""

    def __init__(self) -> None:
        self.peripherals: dict[str, SimPeripheral] = {}
        self.reachable: dict[str, bool] = {}
        self.adapter_present = True
        self.clients: list[FakeBleakClient] = []
        self.connect_attempts: dict[str, int] = {}
        self.hanging_connects: dict[str, int] = {}
        self.scan_starts = 0
        self._client_backend: type[FakeBleakClient] | None = None
        self._scanner_backend: type[FakeBleakScanner] | None = None

    def add(self, peripheral: _P) -> _P:
        """Place ``peripheral`` on the air (reachable); returns it."""
        self.peripherals[peripheral.address] = peripheral
        self.reachable[peripheral.address] = True
        return peripheral

    def set_reachable(self, address: str, reachable: bool) -> None:
        """Move a peripheral in or out of range (out of range: scans miss it, connects fail)."""
        self.reachable[address.upper()] = reachable

    def hang_next_connects(self, address: str, count: int = 1) -> None:
        """Make the next ``count`` connect attempts to ``address`` hang.

        Each such attempt waits the client's whole connect timeout and then raises
        ``TimeoutError``, as bleak does when BlueZ silently aborted the connection, even if
        the peripheral is reachable meanwhile.
        """
        self.hanging_connects[address.upper()] = count

    def drop_link(self, address: str) -> int:
        """Break every live connection to ``address`` as a radio link loss would.

        Returns:
            the number of connections dropped.
        """
        dropped = 0
        for client in list(self.clients):
            if client.address.upper() == address.upper() and client.is_connected:
                client.link_lost()
                dropped += 1
        return dropped

    @property
    def client_backend(self) -> type[FakeBleakClient]:
        """A :class:`FakeBleakClient` subclass bound to this radio (pass as ``backend=``)."""
        if self._client_backend is None:
            radio = self

            class BoundFakeBleakClient(FakeBleakClient):
                _radio = radio

            self._client_backend = BoundFakeBleakClient
        return self._client_backend

    @property
    def scanner_backend(self) -> type[FakeBleakScanner]:
        """A :class:`FakeBleakScanner` subclass bound to this radio (pass as ``backend=``)."""
        if self._scanner_backend is None:
            radio = self

            class BoundFakeBleakScanner(FakeBleakScanner):
                _radio = radio

            self._scanner_backend = BoundFakeBleakScanner
        return self._scanner_backend


def _max_write_size() -> int:
    return 20


class FakeBleakClient(BaseBleakClient):
    """bleak client backend talking to a :class:`SimPeripheral` on a :class:`FakeRadio`."""

    _radio: FakeRadio

    def __init__(self, address_or_ble_device: BLEDevice | str, **kwargs: Any) -> None:
        super().__init__(
            address_or_ble_device,
            disconnected_callback=kwargs.get("disconnected_callback"),
            timeout=float(kwargs.get("timeout", 10.0)),
        )
        self._connected = False
        self._peripheral: SimPeripheral | None = None
        self._callbacks: dict[str, NotifyCallback] = {}
        self._detach: Any = None

    @property
    def name(self) -> str:
        """The peripheral's advertised name."""
        return self._peripheral.name if self._peripheral else self.address

    @property
    def mtu_size(self) -> int:
        """Default ATT MTU."""
        return 23

    @property
    def is_connected(self) -> bool:
        """True while the simulated link is up."""
        return self._connected

    async def connect(self, pair: bool, **kwargs: Any) -> None:
        """Connect to the simulated peripheral and build the service collection."""
        radio = self._radio
        address = self.address.upper()
        radio.connect_attempts[address] = radio.connect_attempts.get(address, 0) + 1
        await asyncio.sleep(0)
        if not radio.adapter_present:
            raise BleakError("No Bluetooth adapters found.")
        if radio.hanging_connects.get(address, 0) > 0:
            radio.hanging_connects[address] -= 1
            await asyncio.sleep(self._timeout)
            raise TimeoutError(f"connect to {address} timed out after {self._timeout:g} s")
        peripheral = radio.peripherals.get(address)
        if peripheral is None or not radio.reachable.get(address, False):
            raise BleakDeviceNotFoundError(address, f"Device with address {address} not found")
        services = BleakGATTServiceCollection()
        handle = 0
        for sim_service in peripheral.services:
            handle += 1
            service = BleakGATTService(None, handle, sim_service.uuid)
            services.add_service(service)
            for sim_char in sim_service.characteristics:
                handle += 1
                props: list[Any] = list(sim_char.flags)
                char = BleakGATTCharacteristic(
                    None, handle, sim_char.uuid, props, _max_write_size, service
                )
                services.add_characteristic(char)
        self.services = services
        self._peripheral = peripheral
        self._connected = True
        self._detach = peripheral.attach(self._on_value)
        radio.clients.append(self)
        peripheral.on_connect()

    def _on_value(self, uuid: str, value: bytes) -> None:
        callback = self._callbacks.get(uuid)
        if callback is not None and self._connected:
            # Deliver asynchronously, as a real stack does.
            asyncio.get_running_loop().call_soon(callback, bytearray(value))

    def _teardown(self) -> None:
        self._connected = False
        self._callbacks.clear()
        if self._detach is not None:
            self._detach()
            self._detach = None
        if self._peripheral is not None:
            self._peripheral.on_disconnect()
        with contextlib.suppress(ValueError):
            self._radio.clients.remove(self)

    def link_lost(self) -> None:
        """Simulate an unsolicited disconnect (calls bleak's disconnected callback)."""
        if not self._connected:
            return
        self._teardown()
        if self._disconnected_callback is not None:
            asyncio.get_running_loop().call_soon(self._disconnected_callback)

    async def disconnect(self) -> None:
        """Disconnect on request (no disconnected callback, as in bleak)."""
        await asyncio.sleep(0)
        self._teardown()

    async def pair(self, *args: Any, **kwargs: Any) -> None:
        """Pairing is not needed by the simulators."""

    async def unpair(self) -> None:
        """Pairing is not needed by the simulators."""

    def _require(self) -> SimPeripheral:
        if not self._connected or self._peripheral is None:
            raise BleakError("Not connected")
        return self._peripheral

    async def read_gatt_char(
        self, characteristic: BleakGATTCharacteristic, *, use_cached: bool = False, **kwargs: Any
    ) -> bytearray:
        """Read a characteristic from the simulator."""
        peripheral = self._require()
        await asyncio.sleep(0)
        try:
            return bytearray(peripheral.read(characteristic.uuid))
        except AttError as exc:
            raise BleakGATTProtocolError(exc.code) from exc

    async def read_gatt_descriptor(
        self, descriptor: BleakGATTDescriptor, *, use_cached: bool = False, **kwargs: Any
    ) -> bytearray:
        """The simulators expose no descriptors."""
        raise BleakError("descriptors are not simulated")

    async def write_gatt_char(
        self, characteristic: BleakGATTCharacteristic, data: SizedBuffer, response: bool
    ) -> None:
        """Write to the simulator; ATT errors surface as ``BleakGATTProtocolError``."""
        peripheral = self._require()
        await asyncio.sleep(0)
        try:
            peripheral.write(characteristic.uuid, bytes(data))
        except AttError as exc:
            if response:
                raise BleakGATTProtocolError(exc.code) from exc
            logger.debug("write without response refused: %s", exc)

    async def write_gatt_descriptor(
        self, descriptor: BleakGATTDescriptor, data: SizedBuffer
    ) -> None:
        """The simulators expose no descriptors."""
        raise BleakError("descriptors are not simulated")

    async def start_notify(
        self, characteristic: BleakGATTCharacteristic, callback: NotifyCallback, **kwargs: Any
    ) -> None:
        """Enable notifications/indications (writes the simulated CCCD)."""
        peripheral = self._require()
        if not {"notify", "indicate"} & set(characteristic.properties):
            raise BleakGATTProtocolError(0x03)
        await asyncio.sleep(0)
        self._callbacks[characteristic.uuid] = callback
        peripheral.set_notifying(characteristic.uuid, True)

    async def stop_notify(self, characteristic: BleakGATTCharacteristic) -> None:
        """Disable notifications/indications."""
        peripheral = self._require()
        self._callbacks.pop(characteristic.uuid, None)
        peripheral.set_notifying(characteristic.uuid, False)


class FakeBleakScanner(BaseBleakScanner):
    """bleak scanner backend reporting the reachable peripherals of a :class:`FakeRadio`."""

    _radio: FakeRadio

    def __init__(
        self,
        detection_callback: AdvertisementDataCallback | None,
        service_uuids: list[str] | None,
        scanning_mode: str = "active",
        **kwargs: Any,
    ) -> None:
        super().__init__(detection_callback, service_uuids)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start advertising reports; raises ``BleakError`` without an adapter."""
        if not self._radio.adapter_present:
            raise BleakError("No Bluetooth adapters found.")
        self._radio.scan_starts += 1
        self.seen_devices = {}
        self._task = asyncio.get_running_loop().create_task(self._advertise())

    async def stop(self) -> None:
        """Stop advertising reports."""
        task, self._task = self._task, None
        await cancel_and_wait(task)

    async def _advertise(self) -> None:
        while True:
            for address, peripheral in list(self._radio.peripherals.items()):
                if not self._radio.reachable.get(address, False) or peripheral.connected:
                    continue
                uuids = peripheral.advertised_service_uuids
                if not self.is_allowed_uuid(uuids):
                    continue
                adv = AdvertisementData(
                    local_name=peripheral.name,
                    manufacturer_data={},
                    service_data=dict(peripheral.service_data),
                    service_uuids=list(uuids),
                    tx_power=None,
                    rssi=peripheral.rssi_dbm,
                    platform_data=(),
                )
                device = self.create_or_update_device(
                    address, address, peripheral.name, {"sim": peripheral}, adv
                )
                self.call_detection_callbacks(device, adv)
            await asyncio.sleep(ADVERTISING_INTERVAL_S)
