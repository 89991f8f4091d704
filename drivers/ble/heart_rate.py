"""BLE heart-rate strap (Heart Rate Service 0x180D) through bleak.

Subscribes to Heart Rate Measurement (0x2A37) and turns every notification into an
:class:`~runningroom.devices.HrSample` (uint8/uint16 HR, contact state where "not
supported" is never reported as "no contact", energy, zero or more RR intervals).
Body Sensor Location (0x2A38) decides the source kind: chest → chest strap, wrist,
finger, hand or ear lobe → optical. The link is supervised by
:class:`~drivers.ble.link.BleLink`: link loss emits ``DISCONNECTED`` and the strap
reconnects with backoff, emitting ``RECONNECTING``/``RECONNECTED``.
"""

from __future__ import annotations

import logging

from bleak import BleakClient
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.exc import BleakError

from drivers.ble.link import BleLink, BleLinked, BleOptions
from drivers.protocols import heart_rate, uuids
from runningroom.clock import Clock
from runningroom.devices import DeviceRole, HrSample, HrSource, HrSourceKind
from runningroom.errors import DeviceError, ProtocolError

logger = logging.getLogger(__name__)

_OPTICAL_LOCATIONS = frozenset({"wrist", "finger", "hand", "ear_lobe"})


class BleHeartRateStrap(BleLinked, HrSource):
    """A standard BLE heart-rate sensor.

    Args:
        address: Bluetooth address ``AA:BB:CC:DD:EE:FF``.
        clock: time source for sample timestamps.
        options: transport options (adapter, bleak backends, timeouts, backoff).
    """

    def __init__(self, address: str, clock: Clock, *, options: BleOptions | None = None) -> None:
        super().__init__()
        self.address = f"ble:{address.upper()}"
        self.kind = HrSourceKind.CHEST_STRAP
        self._clock = clock
        self._link = BleLink(
            address,
            role=DeviceRole.HR,
            clock=clock,
            options=options or BleOptions(),
            setup=self._setup,
            emit=self._emit_event,
        )
        self.body_location: str | None = None
        self.decode_errors = 0
        self.samples_received = 0
        self.last_sample: HrSample | None = None

    async def connect(self) -> None:
        """Find the strap, connect and start notifications.

        Raises:
            DeviceNotFoundError: no adapter or no device at the address.
            DeviceError: the device has no Heart Rate service or the link failed.
        """
        await self._link.open()

    async def disconnect(self) -> None:
        """Stop reconnecting, stop notifications and release the strap."""
        await self._link.close()

    async def _setup(self, client: BleakClient, is_reconnect: bool) -> None:
        if client.services.get_characteristic(uuids.HEART_RATE_MEASUREMENT) is None:
            raise DeviceError(f"{self.address} has no Heart Rate Measurement characteristic")
        if client.services.get_characteristic(uuids.BODY_SENSOR_LOCATION) is not None:
            try:
                raw = await client.read_gatt_char(uuids.BODY_SENSOR_LOCATION)
                self.body_location = heart_rate.decode_body_sensor_location(bytes(raw))
            except (ProtocolError, BleakError) as exc:
                logger.info("%s: body sensor location unreadable: %s", self.address, exc)
        if self.body_location in _OPTICAL_LOCATIONS:
            self.kind = HrSourceKind.OPTICAL
        await client.start_notify(uuids.HEART_RATE_MEASUREMENT, self._on_measurement)

    def _on_measurement(self, _char: BleakGATTCharacteristic, data: bytearray) -> None:
        t_s = self._clock.monotonic_s()
        try:
            m = heart_rate.decode_heart_rate_measurement(bytes(data))
        except ProtocolError as exc:
            self.decode_errors += 1
            logger.debug("%s: undecodable HR packet %s: %s", self.address, data.hex(), exc)
            return
        sample = HrSample(
            t_s=t_s,
            hr_bpm=m.hr_bpm,
            rr_ms=m.rr_ms,
            contact=m.contact,
            source=self.kind,
            energy_kj=m.energy_kj,
        )
        self.samples_received += 1
        self.last_sample = sample
        self._emit_sample(sample)
