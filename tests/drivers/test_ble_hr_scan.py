"""BleHeartRateStrap and the scanner through unmodified bleak over the fake backend."""

from __future__ import annotations

import pytest
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData

from drivers.ble.heart_rate import BleHeartRateStrap
from drivers.ble.scanner import FoundKind, classify, parse_ftms_service_data, scan
from drivers.protocols import uuids
from runningroom.clock import ManualClock
from runningroom.devices import DeviceEvent, DeviceEventKind, HrSample, SensorContact
from runningroom.errors import DeviceNotFoundError
from testkit.ble import captures
from testkit.ble.fake_backend import FakeRadio
from testkit.ble.peripherals import SimFtmsTreadmill, SimHrStrap
from tests.drivers.ble_helpers import FTMS_ADDRESS, HR_ADDRESS, fast_options, kinds, wait_for


async def test_strap_replays_captures_then_live_samples() -> None:
    radio = FakeRadio()
    sim = radio.add(SimHrStrap(address=HR_ADDRESS, period_s=0.02, hr_bpm=131))
    strap = BleHeartRateStrap(HR_ADDRESS, ManualClock(), options=fast_options(radio))
    samples: list[HrSample] = []
    strap.add_sample_listener(samples.append)
    try:
        await strap.connect()
        n = len(captures.HEART_RATE_REPLAY_BPM)
        await wait_for(lambda: len(samples) >= n + 2)
        assert [s.hr_bpm for s in samples[:n]] == list(captures.HEART_RATE_REPLAY_BPM)
        assert samples[0].contact == SensorContact.CONTACT
        assert samples[0].rr_ms == pytest.approx((674 / 1024 * 1000,))
        assert len(samples[1].rr_ms) == 2
        assert samples[2].rr_ms == ()
        assert samples[3].contact == SensorContact.NOT_SUPPORTED  # Polar H10 flags 0x10
        assert samples[5].contact == SensorContact.NO_CONTACT
        assert samples[6].energy_kj == 300
        live = samples[n:]
        assert {s.hr_bpm for s in live} == {131}
        assert {s.contact for s in live[:2]} == {SensorContact.CONTACT, SensorContact.NOT_SUPPORTED}
        assert live[0].rr_ms == pytest.approx((round(60 / 131 * 1024) / 1024 * 1000,))
        assert strap.body_location == "chest"
    finally:
        await strap.disconnect()
        await sim.aclose()


async def test_strap_uint16_and_truncated_packets() -> None:
    radio = FakeRadio()
    sim = radio.add(
        SimHrStrap(
            address=HR_ADDRESS, period_s=0.02, hr_bpm=140, uint16=True, replay_captures=False
        )
    )
    strap = BleHeartRateStrap(HR_ADDRESS, ManualClock(), options=fast_options(radio))
    samples: list[HrSample] = []
    strap.add_sample_listener(samples.append)
    try:
        await strap.connect()
        await wait_for(lambda: len(samples) >= 2)
        assert samples[-1].hr_bpm == 140
        sim.faults.truncate = True
        errors_before = strap.decode_errors
        await wait_for(lambda: strap.decode_errors >= errors_before + 2)
        count = len(samples)
        sim.faults.truncate = False
        await wait_for(lambda: len(samples) > count)
    finally:
        await strap.disconnect()
        await sim.aclose()


async def test_strap_reconnects_after_link_loss() -> None:
    radio = FakeRadio()
    sim = radio.add(SimHrStrap(address=HR_ADDRESS, period_s=0.02, replay_captures=False))
    strap = BleHeartRateStrap(HR_ADDRESS, ManualClock(), options=fast_options(radio))
    events: list[DeviceEvent] = []
    samples: list[HrSample] = []
    strap.add_event_listener(events.append)
    strap.add_sample_listener(samples.append)
    try:
        await strap.connect()
        radio.set_reachable(HR_ADDRESS, False)
        radio.drop_link(HR_ADDRESS)
        await wait_for(lambda: kinds(events).count(DeviceEventKind.RECONNECTING) >= 2)
        radio.set_reachable(HR_ADDRESS, True)
        await wait_for(lambda: DeviceEventKind.RECONNECTED in kinds(events))
        count = len(samples)
        await wait_for(lambda: len(samples) > count + 1)
        assert kinds(events)[:3] == [
            DeviceEventKind.CONNECTED,
            DeviceEventKind.DISCONNECTED,
            DeviceEventKind.RECONNECTING,
        ]
        assert all(e.role == "hr" for e in events)
    finally:
        await strap.disconnect()
        await sim.aclose()


async def test_strap_not_found() -> None:
    strap = BleHeartRateStrap(
        HR_ADDRESS, ManualClock(), options=fast_options(FakeRadio(), scan_timeout_s=0.05)
    )
    with pytest.raises(DeviceNotFoundError):
        await strap.connect()
    await strap.disconnect()


def _adv(
    *, uuids_: list[str], service_data: dict[str, bytes] | None = None, rssi: int = -60
) -> AdvertisementData:
    return AdvertisementData(
        local_name="X",
        manufacturer_data={},
        service_data=service_data or {},
        service_uuids=uuids_,
        tx_power=None,
        rssi=rssi,
        platform_data=(),
    )


@pytest.mark.parametrize(
    ("data", "types"),
    [
        (b"\x01\x01\x00", ("treadmill",)),
        (b"\x01\x00\x01", ("treadmill",)),  # reversed type bytes
        (b"\x01\x01", ("treadmill",)),  # single type byte
        (b"\x01\x20\x00", ("bike",)),
    ],
)
def test_parse_ftms_service_data(data: bytes, types: tuple[str, ...]) -> None:
    parsed = parse_ftms_service_data(data)
    assert parsed is not None and parsed.available
    assert parsed.machine_types == types


def test_parse_malformed_service_data_is_none() -> None:
    assert parse_ftms_service_data(b"") is None
    assert parse_ftms_service_data(b"\x01") is None


def test_classify() -> None:
    dev = BLEDevice("aa:bb:cc:dd:ee:ff", "X", None)
    ftms = uuids.FITNESS_MACHINE_SERVICE
    by_uuid = classify(dev, _adv(uuids_=[ftms]))
    assert by_uuid is not None and by_uuid.kind == FoundKind.TREADMILL
    assert by_uuid.address == "ble:AA:BB:CC:DD:EE:FF"
    by_data_only = classify(dev, _adv(uuids_=[], service_data={ftms: b"\x01\x01\x00"}))
    assert by_data_only is not None and by_data_only.machine_types == ("treadmill",)
    malformed = classify(dev, _adv(uuids_=[ftms], service_data={ftms: b"\x01"}))
    assert malformed is not None and not malformed.service_data_valid
    assert classify(dev, _adv(uuids_=[ftms], service_data={ftms: b"\x01\x20\x00"})) is None
    hr = classify(dev, _adv(uuids_=[uuids.HEART_RATE_SERVICE]))
    assert hr is not None and hr.kind == FoundKind.HR
    assert classify(dev, _adv(uuids_=["0000180f-0000-1000-8000-00805f9b34fb"])) is None


async def test_scan_lists_treadmills_and_straps() -> None:
    radio = FakeRadio()
    radio.add(SimFtmsTreadmill(address=FTMS_ADDRESS))
    hidden = radio.add(SimFtmsTreadmill(address="F0:00:00:00:00:09", service_data=b"\x01"))
    hidden.advertise_uuids = False  # only (malformed) service data
    strap = radio.add(SimHrStrap(address=HR_ADDRESS))
    strap.rssi_dbm = -70
    bike = radio.add(SimFtmsTreadmill(address="B1:00:00:00:00:01", service_data=b"\x01\x20\x00"))
    bike.advertise_uuids = False
    results = await scan(0.15, options=fast_options(radio))
    assert [(r.kind, r.address) for r in results] == [
        (FoundKind.TREADMILL, f"ble:{FTMS_ADDRESS}"),
        (FoundKind.TREADMILL, "ble:F0:00:00:00:00:09"),
        (FoundKind.HR, f"ble:{HR_ADDRESS}"),
    ]
    assert results[0].name == "SIM-FTMS" and results[0].rssi_dbm == -55
    assert results[2].rssi_dbm == -70


async def test_scan_without_adapter() -> None:
    radio = FakeRadio()
    radio.adapter_present = False
    with pytest.raises(DeviceNotFoundError, match="adapter"):
        await scan(0.05, options=fast_options(radio))


async def test_reconnect_rescans_after_repeated_failures() -> None:
    radio = FakeRadio()
    sim = radio.add(SimHrStrap(address=HR_ADDRESS, period_s=0.02, replay_captures=False))
    strap = BleHeartRateStrap(
        HR_ADDRESS, ManualClock(), options=fast_options(radio, scan_timeout_s=0.05)
    )
    events: list[DeviceEvent] = []
    strap.add_event_listener(events.append)
    try:
        await strap.connect()
        scans = radio.scan_starts
        radio.set_reachable(HR_ADDRESS, False)
        radio.drop_link(HR_ADDRESS)
        await wait_for(lambda: kinds(events).count(DeviceEventKind.RECONNECTING) >= 5)
        assert radio.scan_starts > scans  # the remembered device was dropped, a scan ran
        radio.set_reachable(HR_ADDRESS, True)
        await wait_for(lambda: DeviceEventKind.RECONNECTED in kinds(events))
    finally:
        await strap.disconnect()
        await sim.aclose()
