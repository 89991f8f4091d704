"""ANT+ HR receiver (USB1 stick over pyserial) against a simulated stick on a pty."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from drivers.serial.ant_hr import NETWORK_KEY_ENV, AntHrReceiver, network_key_from_env
from runningroom.clock import SystemClock
from runningroom.devices import DeviceEvent, DeviceEventKind, HrSample
from runningroom.errors import DeviceError, DeviceNotFoundError, DeviceTimeoutError
from testkit.serial.simulators import AntStickSimulator
from tests.drivers.serial_helpers import wait_for

pytestmark = pytest.mark.serial_e2e

TEST_KEY = bytes(range(8))  # not the ANT+ key: the simulator accepts any


@pytest.fixture
async def stick() -> AsyncIterator[AntStickSimulator]:
    sim = AntStickSimulator(hr_bpm=120.0)
    sim.start()
    yield sim
    sim.close()


async def test_receives_hr_and_rr_from_the_strap(stick: AntStickSimulator) -> None:
    receiver = AntHrReceiver(stick.port, SystemClock(), network_key=TEST_KEY, timeout_s=0.5)
    samples: list[HrSample] = []
    events: list[DeviceEvent] = []
    receiver.add_sample_listener(samples.append)
    receiver.add_event_listener(events.append)
    await receiver.connect()
    try:
        assert stick.channel_open and stick.network_key == TEST_KEY
        assert await wait_for(lambda: sum(1 for s in samples if s.rr_ms) >= 2)
        with_rr = [s for s in samples if s.rr_ms]
        assert all(s.hr_bpm == 120 for s in samples)
        assert with_rr[-1].rr_ms[0] == pytest.approx(500.0, abs=2.0)
        assert events[0].kind is DeviceEventKind.CONNECTED
    finally:
        await receiver.disconnect()
    assert not stick.channel_open
    await receiver.disconnect()


async def test_refused_setup_step_is_a_device_error(stick: AntStickSimulator) -> None:
    stick.refuse = 0x51
    receiver = AntHrReceiver(stick.port, SystemClock(), network_key=TEST_KEY, timeout_s=0.5)
    with pytest.raises(DeviceError, match="0x51"):
        await receiver.connect()


async def test_silent_stick_times_out(stick: AntStickSimulator) -> None:
    stick.silent = True
    receiver = AntHrReceiver(stick.port, SystemClock(), network_key=TEST_KEY, timeout_s=0.2)
    with pytest.raises(DeviceTimeoutError):
        await receiver.connect()


async def test_missing_port_and_missing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    receiver = AntHrReceiver("/dev/runningroom-no-stick", SystemClock(), network_key=TEST_KEY)
    with pytest.raises(DeviceNotFoundError):
        await receiver.connect()
    monkeypatch.delenv(NETWORK_KEY_ENV, raising=False)
    with pytest.raises(DeviceError, match=NETWORK_KEY_ENV):
        network_key_from_env()
    monkeypatch.setenv(NETWORK_KEY_ENV, "00 01 02 03 04 05 06 07")
    assert network_key_from_env() == TEST_KEY
    with pytest.raises(ValueError):
        AntHrReceiver("/dev/null", SystemClock(), network_key=b"\x00")


async def test_lost_and_regained_strap_are_reported(stick: AntStickSimulator) -> None:
    receiver = AntHrReceiver(
        stick.port, SystemClock(), network_key=TEST_KEY, timeout_s=0.5, signal_lost_s=0.4
    )
    events: list[DeviceEvent] = []
    receiver.add_event_listener(events.append)
    await receiver.connect()
    try:
        stick.silent = True
        assert await wait_for(lambda: DeviceEventKind.NOT_RESPONDING in [e.kind for e in events])
        stick.silent = False
        assert await wait_for(lambda: DeviceEventKind.RECONNECTED in [e.kind for e in events])
    finally:
        await receiver.disconnect()


def test_factory() -> None:
    from drivers.serial import open_serial_hr_source

    assert isinstance(open_serial_hr_source("/dev/null", "ANT", SystemClock()), AntHrReceiver)
    with pytest.raises(ValueError):
        open_serial_hr_source("/dev/null", "polar-hrmi", SystemClock())


async def test_unplugged_stick_is_reopened_with_backoff(tmp_path: Path) -> None:
    first = AntStickSimulator(hr_bpm=120.0).start()
    link = tmp_path / "ttyANT"  # stable name, like /dev/serial/by-id/...
    link.symlink_to(first.port)
    receiver = AntHrReceiver(str(link), SystemClock(), network_key=TEST_KEY, timeout_s=0.5)
    receiver.reopen_backoff_s = (0.05, 0.1)
    events: list[DeviceEvent] = []
    samples: list[HrSample] = []
    receiver.add_event_listener(events.append)
    receiver.add_sample_listener(samples.append)
    second: AntStickSimulator | None = None
    await receiver.connect()
    try:
        assert await wait_for(lambda: bool(samples))
        first.close()  # unplugged
        assert await wait_for(
            lambda: [e.kind for e in events].count(DeviceEventKind.RECONNECTING) >= 2
        )
        assert DeviceEventKind.DISCONNECTED in [e.kind for e in events]
        second = AntStickSimulator(hr_bpm=90.0).start()  # plugged in again
        if link.resolve() != Path(second.port):
            link.unlink()
            link.symlink_to(second.port)
        assert await wait_for(lambda: DeviceEventKind.RECONNECTED in [e.kind for e in events])
        assert await wait_for(lambda: bool(samples) and samples[-1].hr_bpm == 90, 5.0)
    finally:
        await receiver.disconnect()
        if second is not None:
            second.close()
