"""Run BlueZoo and simulated peripherals on a private D-Bus (end-to-end tests, benchmarks).

::

    with PrivateBus() as bus, Bluezoo(bus.address, ["00:00:00:11:11:11", ...], log) as zoo:
        p = PeripheralProcess.start("ftms", "hci1", "00:00:00:22:22:22", bus.address, log2)
        ...  # unmodified bleak on hci0 with DBUS_SYSTEM_BUS_ADDRESS=bus.address
        p.stop()

Every process gets ``PR_SET_PDEATHSIG`` so nothing outlives the Python process that
started it, and is stopped by PID (never by name). The processes never touch the
machine's real system bus.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

logger = logging.getLogger(__name__)

_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class WorldError(RuntimeError):
    """A BlueZoo world process did not start."""


def missing_reason() -> str | None:
    """Why the BlueZoo tier cannot run here, or None when it can."""
    if shutil.which("dbus-daemon") is None:
        return "dbus-daemon not installed (apt-get install dbus-daemon)"
    if importlib.util.find_spec("bluezoo") is None:
        return "bluezoo not installed (pip install bluezoo==1.0.2)"
    if importlib.util.find_spec("dbus_fast") is None:
        return "dbus-fast not installed"
    return None


def parent_death_signal(sig: int = signal.SIGTERM) -> Callable[[], None]:
    """A ``preexec_fn`` that sends ``sig`` to the child when its parent dies.

    Linux ``PR_SET_PDEATHSIG``; a no-op elsewhere. Use ``signal.SIGKILL`` for children
    (such as ``runningroom run``) whose graceful SIGTERM path may wait for devices that
    died with the parent.
    """

    def preexec() -> None:
        try:
            import ctypes

            ctypes.CDLL(None).prctl(1, int(sig))
        except (OSError, AttributeError):
            pass

    return preexec


_die_with_parent = parent_death_signal(signal.SIGTERM)


def stop_process(proc: subprocess.Popen[bytes], timeout_s: float = 3.0) -> None:
    """SIGTERM (then SIGKILL) one process we started, and close its pipes."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout_s)
    for stream in (proc.stdout, proc.stderr, proc.stdin):
        if stream is not None:
            stream.close()


def read_line(proc: subprocess.Popen[bytes], timeout_s: float) -> str:
    """Read one stdout line from ``proc`` within ``timeout_s`` ("" on timeout or EOF)."""
    if proc.stdout is None:
        raise ValueError("process has no stdout pipe")
    deadline = time.monotonic() + timeout_s
    buf = b""
    fd = proc.stdout.fileno()
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            chunk = os.read(fd, 1)
            if not chunk:
                break
            buf += chunk
            if chunk == b"\n":
                return buf.decode(errors="replace").strip()
        elif proc.poll() is not None:
            break
    return buf.decode(errors="replace").strip()


class _StartStop:
    """Context manager for a helper process: ``start()`` on entry, ``stop()`` on exit."""

    def start(self) -> object:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class PrivateBus(_StartStop):
    """A private ``dbus-daemon`` used as the system bus.

    Args:
        workdir: where the config and socket go (default: a new temporary directory).
    """

    def __init__(self, workdir: Path | None = None) -> None:
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if workdir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="rr-dbus-")
            workdir = Path(self._tmp.name)
        self.workdir = workdir
        self.address = ""
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> str:
        """Start the daemon; returns its address (``unix:path=...``)."""
        config = self.workdir / "bus.conf"
        config.write_text(_BUS_CONFIG.format(dir=self.workdir))
        self._proc = subprocess.Popen(
            ["dbus-daemon", f"--config-file={config}", "--print-address=1", "--nofork"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        self.address = read_line(self._proc, 10.0)
        if not self.address.startswith("unix:"):
            self.stop()
            raise WorldError(f"dbus-daemon did not start (got {self.address!r})")
        return self.address

    def stop(self) -> None:
        """Stop the daemon and remove the temporary directory."""
        if self._proc is not None:
            stop_process(self._proc)
            self._proc = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


class Bluezoo(_StartStop):
    """BlueZoo with the given adapters (hci0, hci1, ... in order) on ``bus_address``.

    Args:
        bus_address: the private system bus.
        adapter_addresses: one Bluetooth address per virtual adapter.
        log_path: BlueZoo's log file.
        scan_interval_s: BlueZoo's scan interval (integer seconds).
    """

    def __init__(
        self,
        bus_address: str,
        adapter_addresses: list[str],
        log_path: Path,
        scan_interval_s: int = 1,
    ) -> None:
        self.bus_address = bus_address
        self.adapter_addresses = adapter_addresses
        self.log_path = log_path
        self.scan_interval_s = scan_interval_s
        self._proc: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        """Environment for processes that must use the private bus."""
        return dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.bus_address)

    def start(self, timeout_s: float = 10.0) -> None:
        """Start BlueZoo and wait until its last adapter exists."""
        args = [
            sys.executable,
            "-c",
            "import sys; from bluezoo.bluezoo import main; sys.exit(main())",
            "--auto-enable",
            "--scan-interval",
            str(self.scan_interval_s),
        ]
        for address in self.adapter_addresses:
            args += ["-a", address]
        with self.log_path.open("wb") as log:
            self._proc = subprocess.Popen(
                args,
                env=self.env(),
                stdout=subprocess.DEVNULL,
                stderr=log,
                preexec_fn=_die_with_parent,
            )
        marker = f"[{self.adapter_addresses[-1]}]"
        deadline = time.monotonic() + timeout_s
        while marker not in self.log_path.read_text(errors="replace"):
            if self._proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise WorldError(
                    f"BlueZoo did not start:\n{self.log_path.read_text(errors='replace')}"
                )
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop BlueZoo."""
        if self._proc is not None:
            stop_process(self._proc)
            self._proc = None


class PeripheralProcess:
    """A :mod:`testkit.ble.bluez_peripheral` subprocess."""

    def __init__(self, proc: subprocess.Popen[bytes], kind: str, address: str) -> None:
        self.proc = proc
        self.kind = kind
        self.address = address

    @classmethod
    def start(
        cls,
        kind: str,
        adapter: str,
        address: str,
        bus_address: str,
        log_path: Path,
        *,
        period_s: float | None = None,
        timeout_s: float = 15.0,
        faults: Sequence[str] = (),
    ) -> PeripheralProcess:
        """Start a simulated ``kind`` ("ftms" or "hr") on ``adapter``; wait for READY.

        ``faults`` switch on treadmill field behaviours (``--fault`` of
        :mod:`testkit.ble.bluez_peripheral`, e.g. ``("start_required",)``).

        ``period_s`` defaults to 0.1 s for a treadmill and to 1 s, as real straps send,
        for an HR strap (the HR gate takes more than 4 samples a second for a burst).
        """
        if period_s is None:
            period_s = 1.0 if kind == "hr" else 0.1
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "testkit.ble.bluez_peripheral",
                    "--kind",
                    kind,
                    "--adapter",
                    adapter,
                    "--address",
                    address,
                    "--period-s",
                    str(period_s),
                    *(arg for fault in faults for arg in ("--fault", fault)),
                ],
                env=dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=bus_address),
                stdout=subprocess.PIPE,
                stderr=log,
                preexec_fn=_die_with_parent,
            )
        line = read_line(proc, timeout_s)
        if not line.startswith("READY"):
            stop_process(proc)
            raise WorldError(
                f"simulated {kind} peripheral did not start ({line!r}):\n"
                f"{log_path.read_text(errors='replace')}"
            )
        return cls(proc, kind, address)

    def output(self) -> str:
        """Stop the peripheral and return what it printed after ``READY``."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(5.0)
        if self.proc.stdout is None or self.proc.stdout.closed:
            return ""
        text = self.proc.stdout.read().decode(errors="replace")
        stop_process(self.proc)
        return text

    def stop(self) -> None:
        """Stop the peripheral."""
        stop_process(self.proc)
