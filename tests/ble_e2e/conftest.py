"""End-to-end BLE tier: unmodified bleak against BlueZoo on a private D-Bus.

* ``private_system_bus`` (session scope) starts a private ``dbus-daemon`` and points
  ``DBUS_SYSTEM_BUS_ADDRESS`` at it, so bleak, BlueZoo and the peripherals never touch
  the machine's real system bus.
* ``bluez_world`` (function scope) starts a fresh BlueZoo with two virtual adapters
  (hci0 for the app, hci1 for the peripheral): BlueZoo 1.0.2 allows one connection per
  device per instance, so every test gets its own.
* ``start_peripheral`` launches :mod:`drivers.ble.sim.bluez_peripheral` as a subprocess
  on hci1 and waits for its ``READY`` line.

Everything is torn down by PID. If ``dbus-daemon`` or BlueZoo are missing the tier is
skipped with the reason, unless ``RUNNINGROOM_REQUIRE_BLE_E2E=1`` (then it fails).
"""

from __future__ import annotations

import importlib.util
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

APP_ADAPTER = "hci0"
APP_ADAPTER_ADDRESS = "00:00:00:11:11:11"
#: peripheral kind -> (adapter, address); BlueZoo reports one advertiser per adapter
PERIPHERALS = {
    "ftms": ("hci1", "00:00:00:22:22:22"),
    "hr": ("hci2", "00:00:00:33:33:33"),
}
REPO_ROOT = Path(__file__).resolve().parents[2]

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


def _die_with_parent() -> None:
    """preexec_fn: SIGTERM the child when pytest dies (Linux PR_SET_PDEATHSIG)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _missing_reason() -> str | None:
    if shutil.which("dbus-daemon") is None:
        return "dbus-daemon not installed (apt-get install dbus-daemon)"
    if importlib.util.find_spec("bluezoo") is None:
        return "bluezoo not installed (pip install bluezoo==1.0.2)"
    if importlib.util.find_spec("dbus_fast") is None:
        return "dbus-fast not installed"
    return None


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("RUNNINGROOM_REQUIRE_BLE_E2E") == "1":
        pytest.fail(f"BLE e2e tier required but unavailable: {reason}")
    pytest.skip(reason)


def _stop(proc: subprocess.Popen[bytes], timeout_s: float = 3.0) -> None:
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


def _read_line(proc: subprocess.Popen[bytes], timeout_s: float) -> str:
    assert proc.stdout is not None
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
                return buf.decode().strip()
        elif proc.poll() is not None:
            break
    return buf.decode().strip()


@pytest.fixture(scope="session")
def private_system_bus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private dbus-daemon used as the system bus for the whole session."""
    reason = _missing_reason()
    if reason:
        _skip_or_fail(reason)
    workdir = tmp_path_factory.mktemp("dbus")
    config = workdir / "bus.conf"
    config.write_text(_BUS_CONFIG.format(dir=workdir))
    proc = subprocess.Popen(
        ["dbus-daemon", f"--config-file={config}", "--print-address=1", "--nofork"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    address = _read_line(proc, 10.0)
    if not address.startswith("unix:"):
        _stop(proc)
        _skip_or_fail(f"dbus-daemon did not start (got {address!r})")
    previous = os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
    os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = address
    try:
        yield address
    finally:
        if previous is None:
            os.environ.pop("DBUS_SYSTEM_BUS_ADDRESS", None)
        else:
            os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = previous
        _stop(proc)


@dataclass
class BluezWorld:
    """A running BlueZoo and a way to add peripherals to it.

    Attributes:
        bus_address: the private system bus.
        log_dir: where BlueZoo and peripheral logs go.
        start_peripheral: ``start_peripheral(kind)`` starts "ftms" or "hr" and returns
            its Bluetooth address.
        peripheral_output: ``peripheral_output(kind)`` stops that peripheral and returns
            what it printed after ``READY`` (one ``WRITE <uuid> <hex>`` line per write).
    """

    bus_address: str
    log_dir: Path
    start_peripheral: Callable[[str], str]
    peripheral_output: Callable[[str], str]


@pytest.fixture
def bluez_world(private_system_bus: str, tmp_path: Path) -> Iterator[BluezWorld]:
    """A fresh BlueZoo with hci0 (app) and hci1 (peripheral) on the private bus."""
    env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=private_system_bus)
    bluezoo_log = tmp_path / "bluezoo.log"
    procs: list[subprocess.Popen[bytes]] = []
    with bluezoo_log.open("wb") as log:
        bluezoo = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from bluezoo.bluezoo import main; sys.exit(main())",
                "--auto-enable",
                "--scan-interval",
                "1",
                "-a",
                APP_ADAPTER_ADDRESS,
                "-a",
                PERIPHERALS["ftms"][1],
                "-a",
                PERIPHERALS["hr"][1],
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            preexec_fn=_die_with_parent,
        )
    procs.append(bluezoo)
    deadline = time.monotonic() + 10.0
    while f"[{PERIPHERALS['hr'][1]}]" not in bluezoo_log.read_text(errors="replace"):
        if bluezoo.poll() is not None or time.monotonic() > deadline:
            _stop(bluezoo)
            pytest.fail(f"BlueZoo did not start:\n{bluezoo_log.read_text(errors='replace')}")
        time.sleep(0.02)

    by_kind: dict[str, subprocess.Popen[bytes]] = {}

    def start_peripheral(kind: str) -> str:
        adapter, address = PERIPHERALS[kind]
        log_path = tmp_path / f"peripheral-{kind}.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "drivers.ble.sim.bluez_peripheral",
                    "--kind",
                    kind,
                    "--adapter",
                    adapter,
                    "--address",
                    address,
                    "--period-s",
                    "0.1",
                ],
                env=env,
                cwd=REPO_ROOT,
                stdout=subprocess.PIPE,
                stderr=log,
                preexec_fn=_die_with_parent,
            )
        procs.append(proc)
        by_kind[kind] = proc
        line = _read_line(proc, 15.0)
        if not line.startswith("READY"):
            pytest.fail(
                f"simulated {kind} peripheral did not start ({line!r}):\n"
                f"{log_path.read_text(errors='replace')}"
            )
        return address

    def peripheral_output(kind: str) -> str:
        proc = by_kind[kind]
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(5.0)
        assert proc.stdout is not None
        return proc.stdout.read().decode(errors="replace")

    try:
        yield BluezWorld(private_system_bus, tmp_path, start_peripheral, peripheral_output)
    finally:
        for proc in reversed(procs):
            _stop(proc)
