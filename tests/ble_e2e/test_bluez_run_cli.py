"""``runningroom devices scan`` and ``runningroom run`` end to end.

The real CLI processes with unmodified bleak on BlueZoo's hci0, an FTMS treadmill (hci1)
and an HR strap (hci2) served over the BlueZ D-Bus API. Ctrl-C (SIGINT) must stop the
belt and end the session as ``stopped``.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from testkit.ble.bluezoo_world import parent_death_signal
from tests.ble_e2e.conftest import APP_ADAPTER, BluezWorld, _read_line

pytestmark = pytest.mark.ble_e2e

_STATUS = re.compile(r"warmup: HR (\d+) bpm .*speed (\d+\.\d)/")


def test_run_cli_session_and_sigint_over_bluez(bluez_world: BluezWorld, tmp_path: Path) -> None:
    ftms = bluez_world.start_peripheral("ftms")
    hr = bluez_world.start_peripheral("hr")
    scan = subprocess.run(
        [sys.executable, "-m", "runningroom_app", "devices", "scan", "--json", "--adapter",
         APP_ADAPTER, "--timeout", "1.5"],
        capture_output=True, text=True, timeout=60, check=False,
        preexec_fn=parent_death_signal(signal.SIGKILL),
    )  # fmt: skip
    assert scan.returncode == 0, scan.stderr
    rows = json.loads(scan.stdout)
    assert sorted((r["kind"], r["address"], r["name"]) for r in rows) == [
        ("hr", f"ble:{hr}", "SIM-HRM"),
        ("treadmill", f"ble:{ftms}", "SIM-FTMS"),
    ]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "runningroom_app",
            "run",
            "--profile",
            "DEMO-001",
            "--template",
            "standard",
            "--treadmill",
            f"ble:{ftms}?adapter={APP_ADAPTER}",
            "--hr",
            f"ble:{hr}?adapter={APP_ADAPTER}",
            "--db",
            str(tmp_path / "sessions.db"),
            "--status-every",
            "0.5",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # if pytest dies mid-session the BLE links die with it and `run` would keep
        # reconnecting forever: it must not outlive the test
        preexec_fn=parent_death_signal(signal.SIGKILL),
    )
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 40.0
        moving = False
        while time.monotonic() < deadline and proc.poll() is None:
            line = _read_line(proc, max(0.1, deadline - time.monotonic()))
            seen.append(line)
            match = _STATUS.search(line)
            if match and int(match.group(1)) > 0 and float(match.group(2)) > 0:
                moving = True  # HR from the strap, belt measured moving
                break
        assert moving, "\n".join(seen)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    stdout = "\n".join(seen) + out.decode()
    assert proc.returncode == 0, err.decode()
    assert "preflight: devices ready" in stdout
    assert "stopping: belt to standstill" in stdout
    assert '"status": "stopped"' in stdout
    writes = [
        line.split()[2]
        for line in bluez_world.peripheral_output("ftms").splitlines()
        if line.startswith("WRITE 00002ad9")
    ]
    assert writes[0] == "00"  # Request Control first
    assert "07" in writes  # Start
    assert any(w.startswith("02") for w in writes)  # Set Target Speed
    assert writes[-1] == "0801"  # the belt was stopped last
