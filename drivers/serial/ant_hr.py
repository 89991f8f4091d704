"""Heart rate from an ANT+ strap through an ANT USB1 stick (a CP210x serial bridge).

Only the USB1 stick (VID 0x0FCF, PID 0x1004) is a serial device (115200 8N1); USB2 and
USB-m sticks need libusb and are not supported here. Channel setup (one message each,
every one answered by a 0x40 channel response with code 0)::

    4A reset -> (6F startup)   46 network key   42 assign channel 0, receive
    51 channel id: device 0 (wildcard), type 120 (HRM), transmission 0
    43 period 8070 (4.06 Hz)   45 RF frequency 57 (2457 MHz)   4B open

Then the strap's pages arrive as 0x4E broadcasts (see :mod:`drivers.protocols.ant`).
The ANT+ network key is issued to registered ANT+ adopters; it is never stored in this
code base: pass it in or set ``RUNNINGROOM_ANT_NETWORK_KEY`` (16 hex digits).

A stick that fails (unplugged) is reopened with backoff and the channel set up again:
``DISCONNECTED``, ``RECONNECTING`` per attempt, ``RECONNECTED`` with the outage in s.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections.abc import Callable
from typing import Any, Final

import serial

from drivers.protocols import ant
from drivers.serial.base import REOPEN_BACKOFF_S
from drivers.tasks import cancel_and_wait
from runningroom.clock import Clock
from runningroom.devices import (
    DeviceEvent,
    DeviceEventKind,
    DeviceRole,
    HrSample,
    HrSource,
    HrSourceKind,
    SensorContact,
)
from runningroom.errors import DeviceError, DeviceNotFoundError, DeviceTimeoutError, ProtocolError

logger = logging.getLogger(__name__)

NETWORK_KEY_ENV: Final = "RUNNINGROOM_ANT_NETWORK_KEY"
HRM_PERIOD_COUNTS: Final = 8070
HRM_RF_FREQUENCY: Final = 57
#: An HR sample is emitted on every new beat, and at least this often without beats.
MAX_SAMPLE_INTERVAL_S: Final = 1.0
#: No broadcast for this long: the strap is reported lost.
SIGNAL_LOST_S: Final = 5.0


def network_key_from_env() -> bytes:
    """Read the 8-byte ANT+ network key from ``RUNNINGROOM_ANT_NETWORK_KEY``.

    Raises:
        DeviceError: unset or not 16 hex digits.
    """
    text = os.environ.get(NETWORK_KEY_ENV, "").replace(" ", "")
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != 8:
        raise DeviceError(f"set {NETWORK_KEY_ENV} to the 8-byte ANT+ network key (16 hex digits)")
    return key


def read_ant_message(port: Any) -> bytes | None:
    """Read one message (sync to A4); ``None`` when the read timed out."""
    while True:
        first = bytes(port.read(1))
        if not first:
            return None
        if first[0] == ant.SYNC:
            break
    length = bytes(port.read(1))
    if not length:
        return None
    rest = bytes(port.read(length[0] + 2))
    if len(rest) < length[0] + 2:
        return None
    return first + length + rest


class AntHrReceiver(HrSource):
    """An ANT+ heart-rate strap received through an ANT USB1 stick.

    Args:
        url: serial device of the stick (or a pyserial URL).
        clock: time source.
        network_key: the ANT+ network key (default: from the environment).
        device_number: pair with this strap only (0: the first one heard).
        channel: ANT channel to use.
        timeout_s: answer timeout of each setup message.
        signal_lost_s: silence after which the strap is reported lost.
        serial_factory: replaces :func:`serial.serial_for_url` (tests).
    """

    kind = HrSourceKind.CHEST_STRAP

    def __init__(
        self,
        url: str,
        clock: Clock,
        *,
        network_key: bytes | None = None,
        device_number: int = 0,
        channel: int = 0,
        timeout_s: float = 1.0,
        signal_lost_s: float = SIGNAL_LOST_S,
        serial_factory: Callable[..., Any] | None = None,
    ) -> None:
        super().__init__()
        self.signal_lost_s = signal_lost_s
        if network_key is not None and len(network_key) != 8:
            raise ValueError("the ANT network key has 8 bytes")
        self.url = url
        self.address = f"serial:{url}?protocol=ant"
        self.clock = clock
        self._network_key = network_key
        self.device_number = device_number
        self.channel = channel
        self.timeout_s = timeout_s
        self._factory = serial_factory or serial.serial_for_url
        self._port: Any = None
        self._reader: threading.Thread | None = None
        self._stop = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._responses: asyncio.Queue[ant.AntMessage] | None = None
        self._watch_task: asyncio.Task[None] | None = None
        self._last_count: int | None = None
        self._last_beat_time: int | None = None
        self._last_emit_s: float | None = None
        self._last_rx_s: float | None = None
        self._signal_lost = False
        self._reopen_task: asyncio.Task[None] | None = None
        #: waits between attempts to reopen a failed stick (tests shorten them)
        self.reopen_backoff_s: tuple[float, ...] = REOPEN_BACKOFF_S

    # -- HrSource -------------------------------------------------------------------------

    async def connect(self) -> None:
        """Open the stick, set up and open an HRM receive channel.

        Raises:
            DeviceNotFoundError: no such serial port.
            DeviceTimeoutError: the stick does not answer.
            DeviceError: no network key, or the stick refuses a setup step.
        """
        await self._open_channel()
        self._last_rx_s = self.clock.monotonic_s()
        self._watch_task = asyncio.create_task(self._watch_signal(), name="ant-signal-watch")
        self._event(DeviceEventKind.CONNECTED, f"ANT+ HR channel open on {self.url}")

    async def _open_channel(self) -> None:
        """Open the port, start the reader and set up the HRM channel (connect and reopen)."""
        key = self._network_key if self._network_key is not None else network_key_from_env()
        try:
            self._port = await asyncio.to_thread(
                self._factory, self.url, baudrate=ant.BAUD_RATE, timeout=0.1
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceNotFoundError(f"cannot open ANT stick {self.url}: {exc}") from exc
        self._loop = asyncio.get_running_loop()
        self._responses = asyncio.Queue()
        self._stop.clear()
        self._reader = threading.Thread(target=self._read_loop, name="ant-reader", daemon=True)
        self._reader.start()
        ch = self.channel
        try:
            await self._send(0x4A, b"\x00", expect=0x6F, required=False)
            await self._send(0x46, bytes([0]) + key)
            await self._send(0x42, bytes([ch, 0x00, 0]))
            await self._send(
                0x51, bytes([ch]) + self.device_number.to_bytes(2, "little") + bytes([120, 0])
            )
            await self._send(0x43, bytes([ch]) + HRM_PERIOD_COUNTS.to_bytes(2, "little"))
            await self._send(0x45, bytes([ch, HRM_RF_FREQUENCY]))
            await self._send(0x4B, bytes([ch]))
        except BaseException:
            await self._close_port()
            raise

    async def disconnect(self) -> None:
        """Close the channel and the port; safe to call twice."""
        for task in (self._watch_task, self._reopen_task):
            await cancel_and_wait(task)
        self._watch_task = self._reopen_task = None
        if self._port is not None:
            with contextlib.suppress(OSError, serial.SerialException):
                await asyncio.to_thread(
                    self._port.write, ant.encode_ant_message(0x4C, bytes([self.channel]))
                )
            await self._close_port()
            self._event(DeviceEventKind.DISCONNECTED, "ANT+ HR channel closed")

    # -- internals ------------------------------------------------------------------------

    async def _close_port(self) -> None:
        self._stop.set()
        if self._reader is not None:
            await asyncio.to_thread(self._reader.join, 1.0)
            self._reader = None
        port, self._port = self._port, None
        if port is not None:
            with contextlib.suppress(OSError, serial.SerialException):
                port.close()

    async def _send(
        self, msg_id: int, payload: bytes, *, expect: int = 0x40, required: bool = True
    ) -> None:
        assert self._responses is not None
        while not self._responses.empty():
            self._responses.get_nowait()
        await asyncio.to_thread(self._port.write, ant.encode_ant_message(msg_id, payload))
        try:
            async with asyncio.timeout(self.timeout_s):
                while True:
                    msg = await self._responses.get()
                    if msg.msg_id != expect:
                        continue
                    if expect != 0x40:
                        return
                    if msg.values.get("responding_to") == f"0x{msg_id:02X}":
                        if msg.values.get("code") != 0:
                            raise DeviceError(
                                f"ANT stick refused 0x{msg_id:02X} (code {msg.values.get('code')})"
                            )
                        return
        except TimeoutError as exc:
            if not required:
                logger.info("ANT stick sent no 0x%02X after 0x%02X", expect, msg_id)
                return
            raise DeviceTimeoutError(f"ANT stick did not answer 0x{msg_id:02X}") from exc

    def _read_loop(self) -> None:
        port = self._port
        while not self._stop.is_set() and port is not None:
            try:
                raw = read_ant_message(port)
            except Exception as exc:  # OSError, SerialException, termios.error (unplugged)
                logger.debug("ANT read failed", exc_info=True)
                if not self._stop.is_set() and self._loop is not None:
                    with contextlib.suppress(RuntimeError):
                        self._loop.call_soon_threadsafe(self._on_port_failed, exc)
                return
            if raw is None:
                continue
            try:
                msg = ant.decode_ant_message(raw)
            except ProtocolError as exc:
                logger.debug("bad ANT message %s: %s", raw.hex(" "), exc)
                continue
            if self._loop is not None:
                with contextlib.suppress(RuntimeError):
                    self._loop.call_soon_threadsafe(self._dispatch, msg)

    def _on_port_failed(self, exc: Exception) -> None:
        if self._reopen_task is None or self._reopen_task.done():
            self._reopen_task = asyncio.get_running_loop().create_task(
                self._reopen(exc), name="ant-reopen"
            )

    async def _reopen(self, cause: Exception) -> None:
        """The stick failed (unplugged): reopen it with backoff, reporting every step."""
        lost_at_s = self.clock.monotonic_s()
        logger.warning("ANT stick %s failed: %s", self.url, cause)
        self._event(DeviceEventKind.DISCONNECTED, f"ANT+ stick lost: {cause}")
        await self._close_port()
        backoff = self.reopen_backoff_s or (1.0,)
        attempt = 0
        while True:
            attempt += 1
            self._event(
                DeviceEventKind.RECONNECTING,
                f"reopening ANT+ stick {self.url} (attempt {attempt})",
                float(attempt),
            )
            try:
                await self._open_channel()
            except DeviceError as exc:
                logger.info("ANT reopen attempt %d failed: %s", attempt, exc)
                await asyncio.sleep(backoff[min(attempt - 1, len(backoff) - 1)])
                continue
            break
        self._last_rx_s = self.clock.monotonic_s()
        outage_s = self._last_rx_s - lost_at_s
        self._event(
            DeviceEventKind.RECONNECTED, f"ANT+ stick back after {outage_s:.1f} s", outage_s
        )

    def _dispatch(self, msg: ant.AntMessage) -> None:
        if msg.msg_id == 0x4E:
            self._on_broadcast(msg)
        elif self._responses is not None:
            self._responses.put_nowait(msg)

    def _on_broadcast(self, msg: ant.AntMessage) -> None:
        values = msg.values
        if "computed_hr_bpm" not in values:
            return  # manufacturer/common pages
        now_s = self.clock.monotonic_s()
        self._last_rx_s = now_s
        if self._signal_lost:
            self._signal_lost = False
            self._event(DeviceEventKind.RECONNECTED, "ANT+ strap heard again")
        count = int(values["beat_count"])
        beat_time = int(values["beat_time_1_1024s"])
        rr: tuple[float, ...] = ()
        new_beat = self._last_count is not None and count != self._last_count
        if new_beat and self._last_count is not None:
            missed = (count - self._last_count) & 0xFF
            previous = values.get("previous_beat_time_1_1024s")
            if missed == 1:
                ref = previous if previous is not None else self._last_beat_time
                if ref is not None:
                    rr = (((beat_time - int(ref)) & 0xFFFF) * 1000.0 / 1024.0,)
        first = self._last_count is None
        self._last_count, self._last_beat_time = count, beat_time
        due = self._last_emit_s is None or now_s - self._last_emit_s >= MAX_SAMPLE_INTERVAL_S
        if not (first or new_beat or due):
            return
        self._last_emit_s = now_s
        self._emit_sample(
            HrSample(
                t_s=now_s,
                hr_bpm=int(values["computed_hr_bpm"]),
                rr_ms=rr,
                contact=SensorContact.NOT_SUPPORTED,
                source=HrSourceKind.CHEST_STRAP,
            )
        )

    async def _watch_signal(self) -> None:
        while True:
            await asyncio.sleep(min(1.0, self.signal_lost_s / 4))
            last = self._last_rx_s
            if (
                last is not None
                and not self._signal_lost
                and self.clock.monotonic_s() - last > self.signal_lost_s
            ):
                self._signal_lost = True
                self._event(
                    DeviceEventKind.NOT_RESPONDING,
                    f"no ANT+ heart-rate data for {self.signal_lost_s:g} s",
                )

    def _event(self, kind: DeviceEventKind, message: str, value: float | None = None) -> None:
        self._emit_event(
            DeviceEvent(self.clock.monotonic_s(), DeviceRole.HR, kind, message, value)
        )
