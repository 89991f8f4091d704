"""A request/response serial link: pyserial blocking I/O run in a worker thread.

One request at a time: an :class:`asyncio.Lock` orders requests on the loop, and a
:class:`threading.Lock` guards the port itself, so a request whose awaiting task was
cancelled cannot interleave with the next one.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import Any

import serial

try:  # POSIX: pyserial's termios calls raise termios.error, not OSError (e.g. EIO on unplug)
    import termios

    _PORT_ERRORS: tuple[type[BaseException], ...] = (
        serial.SerialException,
        OSError,
        termios.error,
    )
except ImportError:  # pragma: no cover - Windows
    _PORT_ERRORS = (serial.SerialException, OSError)

from runningroom.errors import DeviceError, DeviceNotFoundError, DeviceTimeoutError

logger = logging.getLogger(__name__)

class SerialPortError(DeviceError):
    """The port itself failed (USB adapter unplugged, pty closed): it must be reopened.

    Distinct from :class:`~runningroom.errors.DeviceTimeoutError`, where the port works
    but the device does not answer.
    """


#: Reads the reply from an open port; returns the bytes or raises DeviceTimeoutError.
ReplyReader = Callable[[Any], bytes]


class SerialLink:
    """A pyserial port used strictly request -> reply.

    Args:
        url: a device path (``/dev/ttyUSB0``) or a pyserial URL (``socket://``, ``loop://``).
        baudrate: line speed; 8N1 always.
        timeout_s: per-read timeout; a reply that does not arrive in time raises
            :class:`~runningroom.errors.DeviceTimeoutError`.
        serial_factory: replaces :func:`serial.serial_for_url` (tests).
    """

    def __init__(
        self,
        url: str,
        baudrate: int,
        timeout_s: float = 0.5,
        serial_factory: Callable[..., Any] | None = None,
    ) -> None:
        self.url = url
        self.baudrate = baudrate
        self.timeout_s = timeout_s
        self._factory = serial_factory or serial.serial_for_url
        self._port: Any = None
        self._io_lock = threading.Lock()
        self._request_lock = asyncio.Lock()

    @property
    def is_open(self) -> bool:
        """True while the port is open."""
        return self._port is not None

    async def open(self) -> None:
        """Open the port.

        Raises:
            DeviceNotFoundError: the port does not exist or cannot be opened.
        """
        if self._port is not None:
            return
        await asyncio.to_thread(self._open_blocking)

    def _open_blocking(self) -> None:
        try:
            port = self._factory(
                self.url,
                baudrate=self.baudrate,
                bytesize=serial.EIGHTBITS,
                parity=serial.PARITY_NONE,
                stopbits=serial.STOPBITS_ONE,
                timeout=self.timeout_s,
                write_timeout=self.timeout_s,
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceNotFoundError(f"cannot open serial port {self.url}: {exc}") from exc
        with self._io_lock:
            self._port = port
        logger.info("opened %s at %d baud", self.url, self.baudrate)

    async def close(self) -> None:
        """Close the port (waits for a request in flight); safe to call twice."""
        await asyncio.to_thread(self._close_blocking)

    def _close_blocking(self) -> None:
        with self._io_lock:
            port, self._port = self._port, None
            if port is not None:
                try:
                    port.close()
                except _PORT_ERRORS:
                    logger.debug("error closing %s", self.url, exc_info=True)

    async def request(self, data: bytes, read_reply: ReplyReader) -> bytes:
        """Write ``data`` and read the reply with ``read_reply(port)``.

        Raises:
            DeviceError: the port is closed.
            SerialPortError: the port failed (reopen it).
            DeviceTimeoutError: no complete reply in time.
        """
        async with self._request_lock:
            return await asyncio.to_thread(self._request_blocking, data, read_reply)

    def _request_blocking(self, data: bytes, read_reply: ReplyReader) -> bytes:
        with self._io_lock:
            port = self._port
            if port is None:
                raise DeviceError(f"serial port {self.url} is not open")
            try:
                port.reset_input_buffer()
                port.write(data)
                port.flush()
                return read_reply(port)
            except DeviceError:
                raise
            except serial.SerialTimeoutException as exc:
                raise DeviceTimeoutError(f"{self.url}: write timed out") from exc
            except _PORT_ERRORS as exc:
                raise SerialPortError(f"{self.url}: serial I/O failed: {exc}") from exc


def read_exactly(port: Any, count: int, what: str) -> bytes:
    """Read ``count`` bytes or raise DeviceTimeoutError (used inside reply readers)."""
    data = bytes(port.read(count))
    if len(data) < count:
        raise DeviceTimeoutError(f"no complete reply to {what} (got {len(data)} of {count} bytes)")
    return data
