"""End-to-end BLE tier: unmodified bleak against BlueZoo on a private D-Bus.

* ``private_system_bus`` (session scope) starts a private ``dbus-daemon`` and points
  ``DBUS_SYSTEM_BUS_ADDRESS`` at it, so bleak, BlueZoo and the peripherals never touch
  the machine's real system bus.
* ``bluez_world`` (function scope) starts a fresh BlueZoo with three virtual adapters
  (hci0 for the app, hci1 for a treadmill, hci2 for a strap): BlueZoo 1.0.2 allows one
  connection per device per instance, so every test gets its own.
* ``BluezWorld.start_peripheral`` launches :mod:`testkit.ble.bluez_peripheral` as a
  subprocess and waits for its ``READY`` line.

The process plumbing lives in :mod:`testkit.ble.bluezoo_world`; everything is torn
down by PID and dies with pytest. If ``dbus-daemon`` or BlueZoo are missing the tier is
skipped with the reason, unless ``RUNNINGROOM_REQUIRE_BLE_E2E=1`` (then it fails).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from testkit.ble.bluezoo_world import (
    Bluezoo,
    PeripheralProcess,
    PrivateBus,
    WorldError,
    missing_reason,
    read_line,
)

APP_ADAPTER = "hci0"
APP_ADAPTER_ADDRESS = "00:00:00:11:11:11"
#: peripheral kind -> (adapter, address); BlueZoo reports one advertiser per adapter
PERIPHERALS = {
    "ftms": ("hci1", "00:00:00:22:22:22"),
    "hr": ("hci2", "00:00:00:33:33:33"),
}


def _read_line(proc: subprocess.Popen[bytes], timeout_s: float) -> str:
    return read_line(proc, timeout_s)


def _live_children(pid: int) -> dict[int, str]:
    """Direct, non-zombie child processes of ``pid`` (Linux /proc), pid -> command line."""
    children: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may contain spaces, so split after ")"
        fields = stat.rsplit(")", 1)[-1].split()
        if fields[0] != "Z" and int(fields[1]) == pid:
            children[int(entry.name)] = cmdline.strip()
    return children


@pytest.fixture(autouse=True)
def _no_leaked_processes() -> Iterator[None]:
    """Fail a test that leaves a child process (BlueZoo, peripheral, ``runningroom run``).

    Autouse fixtures are set up first and torn down last, so this runs after the
    ``bluez_world`` teardown. Leftovers are killed (by PID) so they cannot pile up.
    """
    if not Path("/proc/self/stat").exists():
        yield
        return
    before = set(_live_children(os.getpid()))
    yield
    deadline = time.monotonic() + 10.0
    leaked = {p: c for p, c in _live_children(os.getpid()).items() if p not in before}
    while leaked and time.monotonic() < deadline:
        time.sleep(0.1)
        leaked = {p: c for p, c in _live_children(os.getpid()).items() if p not in before}
    for pid in leaked:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    assert not leaked, f"test left child processes behind: {leaked}"


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("RUNNINGROOM_REQUIRE_BLE_E2E") == "1":
        pytest.fail(f"BLE e2e tier required but unavailable: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def private_system_bus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private dbus-daemon used as the system bus for the whole session."""
    reason = missing_reason()
    if reason:
        _skip_or_fail(reason)
    bus = PrivateBus(tmp_path_factory.mktemp("dbus"))
    try:
        address = bus.start()
    except WorldError as exc:
        _skip_or_fail(str(exc))
    previous = os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
    os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = address
    try:
        yield address
    finally:
        if previous is None:
            os.environ.pop("DBUS_SYSTEM_BUS_ADDRESS", None)
        else:
            os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = previous
        bus.stop()


@dataclass
class BluezWorld:
    """A running BlueZoo and a way to add peripherals to it.

    Attributes:
        bus_address: the private system bus.
        log_dir: where BlueZoo and peripheral logs go.
        start_peripheral: ``start_peripheral(kind, faults=())`` starts "ftms" or "hr"
            (with treadmill field behaviours switched on, e.g. ``("start_required",)``)
            and returns its Bluetooth address.
        peripheral_output: ``peripheral_output(kind)`` stops that peripheral and returns
            what it printed after ``READY`` (one ``WRITE <uuid> <hex> <t>`` line per write).
    """

    bus_address: str
    log_dir: Path
    start_peripheral: Callable[..., str]
    peripheral_output: Callable[[str], str]


@pytest.fixture
def bluez_world(private_system_bus: str, tmp_path: Path) -> Iterator[BluezWorld]:
    """A fresh BlueZoo with hci0 (app), hci1 (treadmill) and hci2 (strap)."""
    zoo = Bluezoo(
        private_system_bus,
        [APP_ADAPTER_ADDRESS, PERIPHERALS["ftms"][1], PERIPHERALS["hr"][1]],
        tmp_path / "bluezoo.log",
    )
    try:
        zoo.start()
    except WorldError as exc:
        pytest.fail(str(exc))
    peripherals: dict[str, PeripheralProcess] = {}

    def start_peripheral(kind: str, faults: Sequence[str] = ()) -> str:
        adapter, address = PERIPHERALS[kind]
        try:
            peripherals[kind] = PeripheralProcess.start(
                kind,
                adapter,
                address,
                private_system_bus,
                tmp_path / f"peripheral-{kind}.log",
                faults=faults,
            )
        except WorldError as exc:
            pytest.fail(str(exc))
        return address

    def peripheral_output(kind: str) -> str:
        return peripherals[kind].output()

    try:
        yield BluezWorld(private_system_bus, tmp_path, start_peripheral, peripheral_output)
    finally:
        for peripheral in peripherals.values():
            peripheral.stop()
        zoo.stop()
