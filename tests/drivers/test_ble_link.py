"""BleLink: error mapping, the remembered-device cache and reconnect timing."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from bleak.backends.device import BLEDevice
from bleak.exc import (
    BleakBluetoothNotAvailableError,
    BleakBluetoothNotAvailableReason,
    BleakDeviceNotFoundError,
    BleakError,
)

from drivers.ble.ftms import SAFE_RESUME_WINDOW_S, FtmsTreadmill
from drivers.ble.heart_rate import BleHeartRateStrap
from drivers.ble.link import BleOptions, forget_device, map_bleak_error, remember_device
from drivers.serial.base import REOPEN_BACKOFF_S
from runningroom.clock import ManualClock, SystemClock
from runningroom.devices import DeviceEvent, DeviceEventKind
from runningroom.errors import DeviceError, DeviceNotFoundError
from testkit.ble.fake_backend import FakeRadio
from testkit.ble.peripherals import SimFtmsTreadmill, SimHrStrap
from tests.drivers.ble_helpers import FTMS_ADDRESS, HR_ADDRESS, fast_options, kinds, wait_for


@pytest.mark.parametrize(
    ("exc", "not_found", "text"),
    [
        (BleakDeviceNotFoundError("AA"), True, "no BLE device at X"),
        (
            BleakBluetoothNotAvailableError("off", BleakBluetoothNotAvailableReason.NO_BLUETOOTH),
            True,
            "no Bluetooth adapter found",
        ),
        (FileNotFoundError(2, "No such file or directory"), True, "system D-Bus"),
        (
            BleakError("[org.freedesktop.DBus.Error.ServiceUnknown] org.bluez was not provided"),
            True,
            "bluetoothd",
        ),
        (TimeoutError(), True, "did not answer"),
        (BleakError("Software caused connection abort"), False, "connection abort"),
    ],
)
def test_map_bleak_error(exc: BaseException, not_found: bool, text: str) -> None:
    mapped = map_bleak_error(exc, "X")
    assert isinstance(mapped, DeviceError)
    assert isinstance(mapped, DeviceNotFoundError) is not_found
    assert text in str(mapped)


async def test_stale_remembered_device_falls_back_to_a_scan() -> None:
    radio = FakeRadio()
    options = fast_options(radio)
    # a remembered device object the backend no longer knows (e.g. another session)
    remember_device(BLEDevice("c0:00:00:00:00:02", "old", None), options)
    radio.connect_attempts.clear()
    sim = radio.add(SimHrStrap(address=HR_ADDRESS, period_s=0.05))
    radio.set_reachable(HR_ADDRESS, False)
    strap = BleHeartRateStrap(HR_ADDRESS, ManualClock(), options=options)

    try:
        with pytest.raises(DeviceNotFoundError):
            await strap.connect()  # cached device fails, the rescan does not see it either
        radio.set_reachable(HR_ADDRESS, True)
        await strap.connect()
        assert strap.connected
        assert radio.connect_attempts[HR_ADDRESS] >= 2
    finally:
        await strap.disconnect()
        await sim.aclose()
        forget_device(HR_ADDRESS, options)


@pytest.mark.parametrize(
    "schedule",
    [BleOptions().reconnect_backoff_s, REOPEN_BACKOFF_S],
    ids=["ble", "serial"],
)
def test_default_backoff_retries_often_within_the_10_s_resume_window(
    schedule: tuple[float, ...],
) -> None:
    # attempt start times when every attempt fails at once; a device back at any moment
    # of the host watchdog's window must be found <= 2 s later (within the window)
    starts, t = [0.0], 0.0
    for attempt in range(20):
        t += schedule[min(attempt, len(schedule) - 1)]
        starts.append(t)
    in_window = [s for s in starts if s <= SAFE_RESUME_WINDOW_S]
    assert max(b - a for a, b in itertools.pairwise(in_window)) <= 2.0
    assert SAFE_RESUME_WINDOW_S - in_window[-1] <= 2.0
    later = [b - a for a, b in itertools.pairwise(starts) if a >= SAFE_RESUME_WINDOW_S]
    assert min(later) >= 2.0  # then it backs off


async def test_hanging_connect_attempt_does_not_turn_a_5_s_dropout_into_a_pause() -> None:
    # BlueZ aborts the first reconnect attempt and bleak waits out its whole timeout: with
    # the default options several attempts still fit inside the engine's 10 s grace.
    radio = FakeRadio()
    sim = radio.add(SimFtmsTreadmill(address=FTMS_ADDRESS, period_s=0.05, replay_captures=False))
    defaults = BleOptions()
    options = BleOptions(client_backend=radio.client_backend, scanner_backend=radio.scanner_backend)
    treadmill = FtmsTreadmill(FTMS_ADDRESS, SystemClock(), options=options)
    events: list[DeviceEvent] = []
    treadmill.add_event_listener(events.append)
    loop = asyncio.get_running_loop()
    try:
        await treadmill.connect()
        radio.set_reachable(FTMS_ADDRESS, False)
        radio.hang_next_connects(FTMS_ADDRESS, 1)
        dropout_start_s = loop.time()
        assert radio.drop_link(FTMS_ADDRESS) == 1
        await wait_for(lambda: radio.hanging_connects[FTMS_ADDRESS] == 0, 5.0)  # it hangs
        await wait_for(lambda: loop.time() - dropout_start_s >= 5.0, 10.0)  # the dropout
        radio.set_reachable(FTMS_ADDRESS, True)
        await wait_for(lambda: DeviceEventKind.RECONNECTED in kinds(events), 15.0)
    finally:
        await treadmill.disconnect()
        await sim.aclose()
    outage_s = next(e.value for e in events if e.kind == DeviceEventKind.RECONNECTED)
    assert outage_s is not None
    assert 5.0 <= outage_s < SAFE_RESUME_WINDOW_S, outage_s  # not waited out into a pause
    assert defaults.connect_timeout_s <= 3.0


async def test_first_connect_retries_an_attempt_that_timed_out() -> None:
    radio = FakeRadio()
    sim = radio.add(SimFtmsTreadmill(address=FTMS_ADDRESS, period_s=0.05, replay_captures=False))
    treadmill = FtmsTreadmill(
        FTMS_ADDRESS, SystemClock(), options=fast_options(radio, connect_timeout_s=0.2)
    )
    radio.hang_next_connects(FTMS_ADDRESS, 1)
    try:
        caps = await treadmill.connect()
        assert caps.can_control_speed and treadmill.connected
        assert radio.connect_attempts[FTMS_ADDRESS] == 2
    finally:
        await treadmill.disconnect()
        await sim.aclose()
