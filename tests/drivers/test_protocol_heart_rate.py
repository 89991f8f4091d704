"""Heart Rate Measurement and Body Sensor Location: vectors, contact bits, fuzz."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.protocols.errors import ProtocolError, TruncatedPacketError
from drivers.protocols.heart_rate import (
    decode_body_sensor_location,
    decode_heart_rate_measurement,
    encode_heart_rate_measurement,
)
from runningroom.devices import SensorContact
from tests.drivers._vectors import hex_bytes, vector_id, vectors

HR_VECTORS = vectors("0x2A37")
CONTACT_TEXT = {
    "not supported": SensorContact.NOT_SUPPORTED,
    "supported, not detected": SensorContact.NO_CONTACT,
    "supported, detected": SensorContact.CONTACT,
}


def test_there_are_13_hr_vectors() -> None:
    assert len(HR_VECTORS) == 13


@pytest.mark.parametrize("vec", HR_VECTORS, ids=vector_id)
def test_heart_rate_vectors(vec: dict[str, Any]) -> None:
    d = vec["decoded"]
    m = decode_heart_rate_measurement(hex_bytes(vec["hex"]))
    assert m.flags == int(d["flags"], 16)
    assert m.hr_bpm == d["hr_bpm"]
    assert m.contact is CONTACT_TEXT[d["sensor_contact"]]
    assert m.energy_kj == d.get("energy_expended_kJ")
    assert list(m.rr_raw) == d.get("rr_raw_1_1024s", [])
    assert [round(v, 1) for v in m.rr_ms] == d.get("rr_ms", [])
    assert not m.truncated


def test_polar_h10_flags_0x10_is_not_supported_not_no_contact() -> None:
    m = decode_heart_rate_measurement(bytes.fromhex("103b5304"))
    assert m.contact is SensorContact.NOT_SUPPORTED
    assert decode_heart_rate_measurement(b"\x02\x3b").contact is SensorContact.NOT_SUPPORTED
    assert decode_heart_rate_measurement(b"\x04\x3b").contact is SensorContact.NO_CONTACT


def test_rr_intervals_in_ms_and_multiple_per_packet() -> None:
    m = decode_heart_rate_measurement(bytes.fromhex("1673 1002 0d02 0004".replace(" ", "")))
    assert m.rr_ms == pytest.approx((528000 / 1024, 525000 / 1024, 1000.0))
    assert decode_heart_rate_measurement(b"\x10\x3c").rr_ms == ()


def test_uint16_hr_and_truncated_fields() -> None:
    assert decode_heart_rate_measurement(b"\x01\x2c\x01").hr_bpm == 300
    odd = decode_heart_rate_measurement(b"\x10\x3c\x00\x04\x11")
    assert odd.rr_raw == (1024,) and odd.truncated
    no_energy = decode_heart_rate_measurement(b"\x08\x3c\x01")
    assert no_energy.energy_kj is None and no_energy.truncated
    for bad in (b"", b"\x01\x3c", b"\x00"):
        with pytest.raises(TruncatedPacketError):
            decode_heart_rate_measurement(bad)


@settings(deadline=None)
@given(
    hr_bpm=st.integers(min_value=0, max_value=0xFFFF),
    contact=st.sampled_from(list(SensorContact)),
    energy=st.one_of(st.none(), st.integers(min_value=0, max_value=0xFFFF)),
    rr_raw=st.lists(st.integers(min_value=0, max_value=0xFFFF), max_size=9),
)
def test_encoder_round_trip(
    hr_bpm: int, contact: SensorContact, energy: int | None, rr_raw: list[int]
) -> None:
    rr_ms = tuple(r * 1000 / 1024 for r in rr_raw)
    data = encode_heart_rate_measurement(hr_bpm, contact=contact, energy_kj=energy, rr_ms=rr_ms)
    m = decode_heart_rate_measurement(data)
    assert (m.hr_bpm, m.contact, m.energy_kj, list(m.rr_raw)) == (hr_bpm, contact, energy, rr_raw)


def test_body_sensor_location() -> None:
    assert decode_body_sensor_location(b"\x01") == "chest"
    assert decode_body_sensor_location(b"\x06") == "foot"
    assert decode_body_sensor_location(b"\x07") == "reserved"
    with pytest.raises(ProtocolError):
        decode_body_sensor_location(b"")


@settings(deadline=None, max_examples=500)
@given(st.integers(min_value=0, max_value=0xFF), st.binary(max_size=24))
def test_fuzz_every_flag_combination(flags: int, body: bytes) -> None:
    try:
        m = decode_heart_rate_measurement(bytes([flags]) + body)
    except ProtocolError:
        return
    assert m.flags == flags
    m.to_dict()
    assert all(v >= 0 for v in m.rr_ms)


@pytest.mark.parametrize("vec", HR_VECTORS, ids=vector_id)
def test_every_truncation_of_every_vector(vec: dict[str, Any]) -> None:
    data = hex_bytes(vec["hex"])
    for cut in range(len(data) + 1):
        with contextlib.suppress(ProtocolError):
            decode_heart_rate_measurement(data[:cut])
        with contextlib.suppress(ProtocolError):
            decode_body_sensor_location(data[:cut])
