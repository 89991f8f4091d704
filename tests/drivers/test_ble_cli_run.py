"""``runningroom run`` over BLE devices on the fake backend: Ctrl-C stops the belt safely."""

from __future__ import annotations

import asyncio
import io
import os
import signal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from drivers.ble.ftms import FtmsTreadmill
from drivers.ble.heart_rate import BleHeartRateStrap
from runningroom.clock import SystemClock
from runningroom.profiles_io import find_patient, find_template
from runningroom.recording.recorder import SessionDatabase
from runningroom.session.model import AcceptHrFailover, StopSession
from runningroom.station import Station
from runningroom_app.cli import main
from runningroom_app.cli.run import EXIT_DEVICE, EXIT_OK, EXIT_USAGE, run_station
from testkit.ble.fake_backend import FakeRadio
from testkit.ble.peripherals import SimFtmsTreadmill, SimHrStrap
from tests.drivers.ble_helpers import FTMS_ADDRESS, HR_ADDRESS, fast_options, wait_for


async def test_sigint_stops_belt_and_ends_session_as_stopped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    radio = FakeRadio()
    tm_sim = radio.add(SimFtmsTreadmill(address=FTMS_ADDRESS, period_s=0.05, replay_captures=False))
    hr_sim = radio.add(
        SimHrStrap(address=HR_ADDRESS, period_s=0.05, hr_bpm=95, replay_captures=False)
    )
    clock = SystemClock()
    treadmill = FtmsTreadmill(FTMS_ADDRESS, clock, options=fast_options(radio))
    strap = BleHeartRateStrap(HR_ADDRESS, clock, options=fast_options(radio))
    database = SessionDatabase(tmp_path / "sessions.db")
    station = Station(
        name="test",
        treadmill=treadmill,
        hr_source=strap,
        profile=find_patient("DEMO-001"),
        template=find_template("standard"),
        database=database,
        clock=clock,
        control_period_s=0.05,
    )
    try:
        task = asyncio.create_task(run_station(station, status_every_s=0.2))
        await wait_for(lambda: station.engine is not None and tm_sim.control_granted, 5.0)
        await asyncio.sleep(0.5)
        os.kill(os.getpid(), signal.SIGINT)
        code = await asyncio.wait_for(task, 10.0)
    finally:
        database.close()
        await tm_sim.aclose()
        await hr_sim.aclose()
    assert code == EXIT_OK
    out = capsys.readouterr().out
    assert "stopping: belt to standstill" in out
    assert '"status": "stopped"' in out
    assert tm_sim.control_point_log[-1] == b"\x08\x01"  # Stop
    assert not tm_sim.running
    assert not treadmill.connected and not strap.connected
    # the default SIGINT behaviour is back after the run
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


class _BrokenPipe(io.StringIO):
    """stdout after the terminal or the reading end of a pipe went away."""

    def write(self, s: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


async def test_sigint_with_broken_stdout_still_stops_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A kiosk whose terminal closed (or `runningroom run | head`): every write to stdout
    # fails, and Ctrl-C/SIGTERM must still stop the belt and end the session as stopped.
    radio = FakeRadio()
    tm_sim = radio.add(SimFtmsTreadmill(address=FTMS_ADDRESS, period_s=0.05, replay_captures=False))
    hr_sim = radio.add(
        SimHrStrap(address=HR_ADDRESS, period_s=0.05, hr_bpm=95, replay_captures=False)
    )
    clock = SystemClock()
    database = SessionDatabase(tmp_path / "sessions.db")
    station = Station(
        name="test",
        treadmill=FtmsTreadmill(FTMS_ADDRESS, clock, options=fast_options(radio)),
        hr_source=BleHeartRateStrap(HR_ADDRESS, clock, options=fast_options(radio)),
        profile=find_patient("DEMO-001"),
        template=find_template("standard"),
        database=database,
        clock=clock,
        control_period_s=0.05,
    )
    monkeypatch.setattr("sys.stdout", _BrokenPipe())
    try:
        task = asyncio.create_task(run_station(station, status_every_s=0.1))
        await wait_for(lambda: station.engine is not None and tm_sim.running, 10.0)
        os.kill(os.getpid(), signal.SIGTERM)
        code = await asyncio.wait_for(task, 10.0)
        with database.connect_readonly() as conn:
            statuses = [row[0] for row in conn.execute("SELECT status FROM sessions")]
    finally:
        database.close()
        await tm_sim.aclose()
        await hr_sim.aclose()
    assert code == EXIT_OK
    assert statuses == ["stopped"]
    assert tm_sim.control_point_log[-1] == b"\x08\x01"  # Stop
    assert not tm_sim.running


def test_run_rejects_bad_address(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(
        [
            "run",
            "--profile",
            "DEMO-001",
            "--treadmill",
            "bt:nope",
            "--hr",
            "sim:",
            "--db",
            str(tmp_path / "s.db"),
        ]
    )
    assert code == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("runningroom run: device address") and err.count("\n") == 1


def test_run_rejects_unknown_profile(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(
        ["run", "--profile", "NOPE-999", "--treadmill", "sim:", "--hr", "sim:", "--db",
         str(tmp_path / "s.db")]
    )  # fmt: skip
    assert code == EXIT_USAGE
    assert capsys.readouterr().err.startswith("runningroom run:")


def test_run_reports_missing_ble_device(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus")
    code = main(
        ["run", "--profile", "DEMO-001", "--treadmill", "ble:AA:BB:CC:DD:EE:FF", "--hr",
         "sim:", "--db", str(tmp_path / "s.db")]
    )  # fmt: skip
    assert code == EXIT_DEVICE
    err = capsys.readouterr().err
    assert "no Bluetooth adapter" in err and err.count("\n") == 1


class _FakeStation:
    """Just what run_station uses: listeners, connect, run, submit, shutdown."""

    def __init__(self) -> None:
        self.submitted: list[object] = []
        self.listeners: list[Any] = []
        self.done = asyncio.Event()
        self.shut_down = False

    def add_snapshot_listener(self, cb: Any) -> None:
        self.listeners.append(cb)

    async def connect(self) -> Any:
        return SimpleNamespace(messages=("devices ready",))

    def submit(self, cmd: object) -> None:
        self.submitted.append(cmd)
        if isinstance(cmd, StopSession):
            self.done.set()

    async def run(self) -> Any:
        await self.done.wait()
        return SimpleNamespace(to_dict=lambda: {"status": "stopped"})

    async def shutdown(self) -> None:
        self.shut_down = True

    def publish(self, t_s: float, *, available: bool, active: bool = False) -> None:
        snap = SimpleNamespace(
            session_elapsed_s=t_s, hr_bpm=None, speed_meas_kmh=4.0, active_alarms=(),
            advisory_mode=False, advised_speed_kmh=None, state="main", zone_low_bpm=100.0,
            zone_high_bpm=120.0, speed_cmd_kmh=4.0, incline_cmd_pct=0.0,
            hr_failover_available=available, hr_failover_active=active,
        )  # fmt: skip
        for cb in self.listeners:
            cb(snap)


async def test_hr_failover_is_offered_and_taken_only_on_sigusr1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    station = _FakeStation()
    task = asyncio.create_task(run_station(station, status_every_s=0.0))  # type: ignore[arg-type]
    await wait_for(lambda: bool(station.listeners), 5.0)
    station.publish(1.0, available=True)
    station.publish(2.0, available=True)
    out = capsys.readouterr().out
    assert out.count("the treadmill reports a heart rate (lower quality)") == 1  # offered once
    assert "TREADMILL HR OFFERED" in out
    assert not any(isinstance(c, AcceptHrFailover) for c in station.submitted)  # not silent
    os.kill(os.getpid(), signal.SIGUSR1)
    await wait_for(lambda: any(isinstance(c, AcceptHrFailover) for c in station.submitted))
    assert station.submitted == [AcceptHrFailover(accept=True)]
    station.publish(3.0, available=False, active=True)
    assert "HR FROM TREADMILL (lower quality)" in capsys.readouterr().out
    os.kill(os.getpid(), signal.SIGINT)
    assert await asyncio.wait_for(task, 5.0) == EXIT_OK
    assert station.shut_down
    assert signal.getsignal(signal.SIGUSR1) is signal.SIG_DFL


async def test_run_drives_a_start_required_treadmill(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    radio = FakeRadio()
    tm_sim = radio.add(SimFtmsTreadmill(address=FTMS_ADDRESS, period_s=0.05, replay_captures=False))
    tm_sim.faults.start_required = True  # Set Target Speed refused until Start/Resume
    hr_sim = radio.add(
        SimHrStrap(address=HR_ADDRESS, period_s=0.05, hr_bpm=95, replay_captures=False)
    )
    clock = SystemClock()
    database = SessionDatabase(tmp_path / "sessions.db")
    station = Station(
        name="test",
        treadmill=FtmsTreadmill(FTMS_ADDRESS, clock, options=fast_options(radio)),
        hr_source=BleHeartRateStrap(HR_ADDRESS, clock, options=fast_options(radio)),
        profile=find_patient("DEMO-001"),
        template=find_template("standard"),
        database=database,
        clock=clock,
        control_period_s=0.05,
    )
    try:
        task = asyncio.create_task(run_station(station, status_every_s=0.2))
        await wait_for(lambda: station.preflight is not None, 10.0)
        assert station.preflight is not None and not station.preflight.advisory_mode
        assert station.preflight.capabilities.model.endswith("control: start-required")
        await wait_for(lambda: tm_sim.running and tm_sim.speed_kmh > 0, 10.0)  # driven
        os.kill(os.getpid(), signal.SIGINT)
        code = await asyncio.wait_for(task, 10.0)
    finally:
        database.close()
        await tm_sim.aclose()
        await hr_sim.aclose()
    assert code == EXIT_OK
    assert tm_sim.control_point_log[:3] == [b"\x00", b"\x07", b"\x02\x50\x00"]
    assert tm_sim.control_point_log[-1] == b"\x08\x01"
    assert not tm_sim.running
