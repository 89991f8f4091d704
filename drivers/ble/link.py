"""One supervised BLE connection: discovery, connect, link-loss watchdog, reconnect with backoff.

Both BLE device kinds own a :class:`BleLink`. The link reports every disconnect and
reconnect as a :class:`~runningroom.devices.DeviceEvent` through the ``emit`` callback
and calls the owner's ``setup`` coroutine after every (re)connection, so subscriptions
and the FTMS control handshake are redone on the new link.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bleak import BleakClient, BleakScanner
from bleak.backends.client import BaseBleakClient
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData, BaseBleakScanner
from bleak.exc import BleakBluetoothNotAvailableError, BleakDeviceNotFoundError, BleakError

from drivers.tasks import cancel_and_wait
from runningroom.clock import Clock
from runningroom.devices import DeviceEvent, DeviceEventKind, DeviceRole
from runningroom.errors import DeviceError, DeviceNotFoundError

logger = logging.getLogger(__name__)

SetupCallback = Callable[[BleakClient, bool], Awaitable[None]]
"""``setup(client, is_reconnect)``: subscribe, read state, take control."""

ReconnectedCallback = Callable[[float], Awaitable[None]]
"""``on_reconnected(outage_s)``: called after a successful reconnect and setup."""


#: Default limit of one connect attempt (s): several fit inside the 10 s reconnect grace.
CONNECT_ATTEMPT_TIMEOUT_S = 3.0

#: Default waits between reconnect attempts (s); the last value repeats.
RECONNECT_BACKOFF_S: tuple[float, ...] = (0.5, 1.0, 1.0, 2.0, 2.0, 2.0, 5.0)


@dataclass(frozen=True)
class BleOptions:
    """Transport options shared by the BLE devices.

    Attributes:
        adapter: BlueZ adapter name ("hci0"); None for the system default.
        client_backend: bleak client backend class (tests: the fake backend).
        scanner_backend: bleak scanner backend class.
        scan_timeout_s: how long to look for the device before giving up (first
            connection; a reconnect's rescan waits at most ``connect_timeout_s``).
        connect_timeout_s: limit of one connect attempt (bleak's timeout, also enforced
            around it). Short, so that when BlueZ aborts an attempt and bleak waits it
            out, several attempts still fit inside the 10 s reconnect grace (a 5 s
            dropout must not become a 10 s outage).
        reconnect_backoff_s: waits between reconnect attempts; the last value repeats.
            The default keeps the gaps at <= 2 s during the host watchdog's 10 s resume
            window (a device back after 8 s must not wait for an attempt at 15 s), then
            backs off to 5 s.
    """

    adapter: str | None = None
    client_backend: type[BaseBleakClient] | None = None
    scanner_backend: type[BaseBleakScanner] | None = None
    scan_timeout_s: float = 10.0
    connect_timeout_s: float = CONNECT_ATTEMPT_TIMEOUT_S
    reconnect_backoff_s: Sequence[float] = field(default=RECONNECT_BACKOFF_S)

    def bleak_kwargs(self) -> dict[str, Any]:
        """Keyword arguments common to BleakClient and BleakScanner."""
        kwargs: dict[str, Any] = {}
        if self.adapter:
            kwargs["bluez"] = {"adapter": self.adapter}
        return kwargs


def map_bleak_error(exc: BaseException, address: str) -> DeviceError:
    """Translate a bleak/OS error into the RunningRoom device error hierarchy.

    Missing adapters and missing Bluetooth stacks become
    :class:`~runningroom.errors.DeviceNotFoundError` with a one-line English reason.
    """
    if isinstance(exc, BleakDeviceNotFoundError):
        return DeviceNotFoundError(f"no BLE device at {address}")
    if isinstance(exc, BleakBluetoothNotAvailableError):
        return DeviceNotFoundError("no Bluetooth adapter found")
    text = str(exc)
    lowered = text.lower()
    if isinstance(exc, FileNotFoundError | ConnectionRefusedError) or "no such file" in lowered:
        return DeviceNotFoundError(
            "no Bluetooth adapter: the system D-Bus is not reachable (is BlueZ installed?)"
        )
    if "serviceunknown" in lowered or "org.bluez was not provided" in lowered:
        return DeviceNotFoundError("no Bluetooth adapter: BlueZ (bluetoothd) is not running")
    if "adapter" in lowered and ("not found" in lowered or "no bluetooth" in lowered):
        return DeviceNotFoundError(f"no Bluetooth adapter: {text}")
    if isinstance(exc, asyncio.TimeoutError | TimeoutError):
        return DeviceNotFoundError(f"BLE device {address} did not answer in time")
    return DeviceError(f"BLE error with {address}: {text or type(exc).__name__}")


#: Extra time allowed around bleak's own connect timeout before the attempt is abandoned.
CONNECT_GUARD_S = 0.5

#: Connect attempts made by :meth:`BleLink.open` when they time out.
OPEN_ATTEMPTS = 3


class _AttemptTimeoutError(DeviceNotFoundError):
    """One connect attempt took its whole timeout (BlueZ may have aborted it)."""


#: Every this many failed reconnect attempts the device is looked up by a new scan.
RESCAN_EVERY_ATTEMPTS = 3

#: Devices seen by earlier scans, keyed by (backend, adapter, address). Real BlueZ keeps
#: reporting known devices on every scan, but not every stack (nor BlueZoo) does, so a
#: device found by ``runningroom devices scan`` in the same process is reused directly.
_known_devices: dict[tuple[str, str, str], BLEDevice] = {}


def _device_key(address: str, options: BleOptions) -> tuple[str, str, str]:
    cls = options.client_backend
    backend = f"{cls.__qualname__}@{id(cls):x}" if cls is not None else "default"
    return (backend, options.adapter or "", address.upper())


def remember_device(device: BLEDevice, options: BleOptions) -> None:
    """Remember a scanned device so a later connect need not see it advertise again."""
    _known_devices[_device_key(device.address, options)] = device


def forget_device(address: str, options: BleOptions) -> None:
    """Drop a remembered device (e.g. after a failed connect)."""
    _known_devices.pop(_device_key(address, options), None)


async def find_device(address: str, options: BleOptions) -> BLEDevice:
    """Scan until ``address`` advertises; the detection callback is registered before start.

    Raises:
        DeviceNotFoundError: no adapter, or the device was not seen within the timeout.
    """
    wanted = address.upper()
    found: asyncio.Future[BLEDevice] = asyncio.get_running_loop().create_future()

    def on_detect(device: BLEDevice, adv: AdvertisementData) -> None:
        remember_device(device, options)  # the other station device may be among them
        if device.address.upper() == wanted and not found.done():
            found.set_result(device)

    try:
        scanner = BleakScanner(on_detect, backend=options.scanner_backend, **options.bleak_kwargs())
        await scanner.start()
    except (BleakError, OSError) as exc:
        raise map_bleak_error(exc, address) from exc
    try:
        device = await asyncio.wait_for(found, options.scan_timeout_s)
    except TimeoutError as exc:
        raise DeviceNotFoundError(
            f"BLE device {address} not found within {options.scan_timeout_s:g} s"
        ) from exc
    finally:
        with contextlib.suppress(BleakError, OSError):
            await scanner.stop()
    remember_device(device, options)
    return device


class BleLink:
    """A connection to one peripheral with watchdog and automatic reconnection.

    Args:
        address: Bluetooth address.
        role: which station device this is (for events).
        clock: time source for event timestamps and outage durations.
        options: transport options.
        setup: coroutine run after every (re)connection.
        emit: receives every :class:`DeviceEvent`.
        on_reconnected: coroutine run after a reconnect's setup, with the outage length.
    """

    def __init__(
        self,
        address: str,
        *,
        role: DeviceRole,
        clock: Clock,
        options: BleOptions,
        setup: SetupCallback,
        emit: Callable[[DeviceEvent], None],
        on_reconnected: ReconnectedCallback | None = None,
    ) -> None:
        self.address = address.upper()
        self._role = role
        self._clock = clock
        self._options = options
        self._setup = setup
        self._emit = emit
        self._on_reconnected = on_reconnected
        self._device: BLEDevice | None = None
        self.client: BleakClient | None = None
        self._closing = False
        self._reconnect_task: asyncio.Task[None] | None = None
        self.lost_at_s: float | None = None
        self.reconnect_count = 0

    @property
    def connected(self) -> bool:
        """True while a live connection exists."""
        return self.client is not None and self.client.is_connected

    @property
    def reconnecting(self) -> bool:
        """True while the watchdog is trying to get the link back."""
        return self._reconnect_task is not None and not self._reconnect_task.done()

    def _event(self, kind: DeviceEventKind, message: str, value: float | None = None) -> None:
        self._emit(DeviceEvent(self._clock.monotonic_s(), self._role, kind, message, value))

    async def _connect_once(self, is_reconnect: bool) -> None:
        if self._device is None:
            self._device = _known_devices.get(_device_key(self.address, self._options))
        if self._device is None:
            options = self._options
            if is_reconnect:  # a rescan must not eat the reconnect grace either
                scan_s = min(options.scan_timeout_s, options.connect_timeout_s)
                options = replace(options, scan_timeout_s=scan_s)
            self._device = await find_device(self.address, options)
        timeout_s = self._options.connect_timeout_s
        client = BleakClient(
            self._device,
            disconnected_callback=self._on_disconnected,
            timeout=timeout_s,
            backend=self._options.client_backend,
            **self._options.bleak_kwargs(),
        )
        try:
            # bleak applies the timeout too; the guard also covers a backend that hangs
            async with asyncio.timeout(timeout_s + CONNECT_GUARD_S):
                await client.connect()
        except (BleakError, OSError, TimeoutError) as exc:
            with contextlib.suppress(BleakError, OSError, TimeoutError):
                async with asyncio.timeout(CONNECT_GUARD_S):
                    await client.disconnect()  # abandon the pending attempt
            if isinstance(exc, TimeoutError):
                raise _AttemptTimeoutError(
                    f"BLE device {self.address} did not answer within {timeout_s:g} s"
                ) from exc
            raise map_bleak_error(exc, self.address) from exc
        self.client = client
        try:
            await self._setup(client, is_reconnect)
        except BaseException:
            self.client = None
            with contextlib.suppress(BleakError, OSError, TimeoutError):
                await client.disconnect()
            raise

    async def open(self) -> None:
        """Find and connect to the device and run ``setup``.

        Raises:
            DeviceNotFoundError: no adapter or no such device.
            DeviceError: connection or setup failed.
        """
        self._closing = False
        cached = self._device is None and _device_key(self.address, self._options) in _known_devices
        try:
            await self._connect_attempts()
        except DeviceError:
            if not cached:
                raise
            logger.info("%s: remembered device failed; scanning again", self.address)
            forget_device(self.address, self._options)
            self._device = None
            await self._connect_attempts()
        self._event(DeviceEventKind.CONNECTED, f"connected to {self.address}")

    async def _connect_attempts(self) -> None:
        """First connection: attempts that time out are repeated (they are kept short)."""
        for attempt in range(1, OPEN_ATTEMPTS + 1):
            try:
                await self._connect_once(is_reconnect=False)
                return
            except _AttemptTimeoutError:
                if attempt == OPEN_ATTEMPTS:
                    raise
                logger.info("connect attempt %d to %s timed out; retrying", attempt, self.address)

    def _on_disconnected(self, client: BleakClient) -> None:
        if client is not self.client or self._closing:
            return
        self.client = None
        self.lost_at_s = self._clock.monotonic_s()
        logger.warning("BLE link to %s lost", self.address)
        self._event(DeviceEventKind.DISCONNECTED, f"link to {self.address} lost")
        if self._reconnect_task is None or self._reconnect_task.done():
            self._reconnect_task = asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        backoff = list(self._options.reconnect_backoff_s) or [1.0]
        attempt = 0
        lost_at_s = self.lost_at_s if self.lost_at_s is not None else self._clock.monotonic_s()
        while not self._closing:
            attempt += 1
            self._event(
                DeviceEventKind.RECONNECTING,
                f"reconnecting to {self.address} (attempt {attempt})",
                float(attempt),
            )
            try:
                await self._connect_once(is_reconnect=True)
            except (DeviceError, BleakError, OSError, TimeoutError) as exc:
                logger.info("reconnect attempt %d to %s failed: %s", attempt, self.address, exc)
                if attempt % RESCAN_EVERY_ATTEMPTS == 0:
                    # the stack may have forgotten the device: look for it afresh
                    self._device = None
                    forget_device(self.address, self._options)
                await asyncio.sleep(backoff[min(attempt - 1, len(backoff) - 1)])
                continue
            outage_s = self._clock.monotonic_s() - lost_at_s
            self.reconnect_count += 1
            self._event(
                DeviceEventKind.RECONNECTED,
                f"reconnected to {self.address} after {outage_s:.1f} s",
                outage_s,
            )
            if self._on_reconnected is not None:
                await self._on_reconnected(outage_s)
            return

    async def wait_connected(self, timeout_s: float) -> bool:
        """Wait until the link is up again (or ``timeout_s`` passes); True when connected."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while not self.connected:
            if loop.time() >= deadline:
                return False
            await asyncio.sleep(0.01)
        task = self._reconnect_task
        if task is not None and not task.done():
            with contextlib.suppress(asyncio.TimeoutError, TimeoutError):
                await asyncio.wait_for(asyncio.shield(task), max(0.0, deadline - loop.time()))
        return self.connected

    async def close(self) -> None:
        """Stop reconnecting and disconnect; safe to call in any state."""
        self._closing = True
        task, self._reconnect_task = self._reconnect_task, None
        await cancel_and_wait(task)
        client, self.client = self.client, None
        if client is not None:
            with contextlib.suppress(BleakError, OSError, TimeoutError):
                await client.disconnect()
            self._event(DeviceEventKind.DISCONNECTED, f"disconnected from {self.address}")


class BleLinked:
    """Mixin for a device driver that talks through one :class:`BleLink` (``self._link``)."""

    _link: BleLink

    @property
    def link(self) -> BleLink:
        """The supervised BLE link (for diagnostics and tests)."""
        return self._link

    @property
    def connected(self) -> bool:
        """True while the BLE link is up."""
        return self._link.connected
