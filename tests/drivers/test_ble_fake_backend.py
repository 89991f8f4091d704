"""The fake bleak backend and the simulated FTMS state machine, driven by raw bleak calls."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from bleak import BleakClient, BleakScanner
from bleak.exc import BleakDeviceNotFoundError, BleakError, BleakGATTProtocolError

from drivers.protocols import uuids
from testkit.ble.fake_backend import FakeRadio
from testkit.ble.peripherals import SimFtmsTreadmill, SimHrStrap
from tests.drivers.ble_helpers import FTMS_ADDRESS, HR_ADDRESS, wait_for

CP = uuids.FITNESS_MACHINE_CONTROL_POINT


@pytest.fixture
async def ftms() -> AsyncIterator[tuple[FakeRadio, SimFtmsTreadmill, BleakClient]]:
    radio = FakeRadio()
    sim = radio.add(SimFtmsTreadmill(address=FTMS_ADDRESS, period_s=0.02, replay_captures=False))
    client = BleakClient(FTMS_ADDRESS, backend=radio.client_backend)
    await client.connect()
    yield radio, sim, client
    if client.is_connected:
        await client.disconnect()
    await sim.aclose()


async def test_gatt_table_and_reads(ftms: tuple[FakeRadio, SimFtmsTreadmill, BleakClient]) -> None:
    _, _, client = ftms
    service = client.services.get_service(uuids.FITNESS_MACHINE_SERVICE)
    assert service is not None
    cp = client.services.get_characteristic(CP)
    assert cp is not None and set(cp.properties) == {"write", "indicate"}
    assert bytes(await client.read_gatt_char(uuids.SUPPORTED_SPEED_RANGE)) == bytes.fromhex(
        "5000 0807 0a00"
    )
    with pytest.raises(BleakGATTProtocolError):
        await client.read_gatt_char(uuids.TREADMILL_DATA)


async def test_control_point_state_machine(
    ftms: tuple[FakeRadio, SimFtmsTreadmill, BleakClient],
) -> None:
    _, sim, client = ftms
    # indications not enabled: ATT 0xFD
    with pytest.raises(BleakGATTProtocolError) as excinfo:
        await client.write_gatt_char(CP, b"\x00", response=True)
    assert excinfo.value.code == 0xFD
    indications: list[bytes] = []
    await client.start_notify(CP, lambda _c, d: indications.append(bytes(d)))
    # not in control yet: 0x05
    await client.write_gatt_char(CP, b"\x02\xe8\x03", response=True)
    await wait_for(lambda: len(indications) == 1)
    assert indications[-1] == b"\x80\x02\x05"
    sim.faults.response_delay_s = 0.05
    await client.write_gatt_char(CP, b"\x00", response=True)
    # a second request while the first is unanswered: ATT 0xFE
    with pytest.raises(BleakGATTProtocolError) as excinfo:
        await client.write_gatt_char(CP, b"\x07", response=True)
    assert excinfo.value.code == 0xFE
    await wait_for(lambda: len(indications) == 2)
    assert indications[-1] == b"\x80\x00\x01"
    sim.faults.response_delay_s = 0.0
    await client.write_gatt_char(CP, b"\x02\x10\x27", response=True)  # 100 km/h
    await wait_for(lambda: len(indications) == 3)
    assert indications[-1] == b"\x80\x02\x03"  # invalid parameter
    await client.write_gatt_char(CP, b"\x13\x01", response=True)  # spin down: unsupported
    await wait_for(lambda: len(indications) == 4)
    assert indications[-1] == b"\x80\x13\x02"
    assert sim.control_granted


async def test_link_loss_calls_disconnected_callback() -> None:
    radio = FakeRadio()
    sim = radio.add(SimHrStrap(address=HR_ADDRESS, period_s=0.02))
    lost = asyncio.Event()
    client = BleakClient(
        HR_ADDRESS, disconnected_callback=lambda _c: lost.set(), backend=radio.client_backend
    )
    await client.connect()
    assert radio.drop_link(HR_ADDRESS) == 1
    await asyncio.wait_for(lost.wait(), 1.0)
    assert not client.is_connected and not sim.connected
    with pytest.raises(BleakError):
        await client.read_gatt_char(uuids.BODY_SENSOR_LOCATION)
    radio.set_reachable(HR_ADDRESS, False)
    with pytest.raises(BleakDeviceNotFoundError):
        await client.connect()
    await sim.aclose()


async def test_scanner_filters_by_service_uuid() -> None:
    radio = FakeRadio()
    radio.add(SimFtmsTreadmill(address=FTMS_ADDRESS))
    radio.add(SimHrStrap(address=HR_ADDRESS))
    devices = await BleakScanner.discover(
        0.1, service_uuids=[uuids.HEART_RATE_SERVICE], backend=radio.scanner_backend
    )
    assert [d.address for d in devices] == [HR_ADDRESS]
    found = await BleakScanner.discover(0.1, return_adv=True, backend=radio.scanner_backend)
    _, adv = found[FTMS_ADDRESS]
    assert adv.service_data == {uuids.FITNESS_MACHINE_SERVICE: b"\x01\x01\x00"}
    assert adv.rssi == -55 and adv.local_name == "SIM-FTMS"
