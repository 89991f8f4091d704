"""Trackmaster/Woodway codec: vectors, acks, error bytes, watchdog start, fuzz."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.protocols import trackmaster as tm
from drivers.protocols.errors import EncodingError, ProtocolError
from drivers.protocols.trackmaster import Dialect
from tests.drivers._vectors import hex_bytes, vector_id, vectors

TM_VECTORS = vectors("Trackmaster serial")
WW_VECTORS = vectors("Woodway serial")


def _parts(hex_text: str) -> list[bytes]:
    return [hex_bytes(p) for p in hex_text.split("->")]


@pytest.mark.parametrize("vec", TM_VECTORS + WW_VECTORS, ids=vector_id)
def test_serial_vectors(vec: dict[str, Any]) -> None:
    dialect = (
        Dialect.WOODWAY if vec["characteristic"].startswith("Woodway") else Dialect.TRACKMASTER
    )
    d = vec["decoded"]
    parts = _parts(vec["hex"])
    messages = [m for p in parts for m in tm.decode_stream(p, dialect)]
    if "cmd" in d:
        (msg,) = messages
        assert msg.code == int(d["cmd"].split()[0], 16) and msg.kind == "command"
        assert msg.data.decode("ascii") == d.get("ascii", msg.data.decode("ascii"))
        if "speed_mph" in d:
            assert msg.speed_mph == d["speed_mph"]
            assert tm.encode_set_speed(d["speed_mph"], dialect) == parts[0]
        if "grade_pct" in d:
            assert msg.grade_pct == d["grade_pct"]
            assert tm.encode_set_elevation(d["grade_pct"], dialect) == parts[0]
        ack = tm.decode_stream(bytes([int(d["expected_ack"], 16)]), dialect)[0]
        assert ack.kind == "ack" and ack.name == msg.name
        assert tm.reply_length(parts[0], dialect) == 1
    else:
        request, reply = messages
        assert request.kind == "status_request" and reply.kind == "status_reply"
        assert reply.speed_mph == d["speed_mph"]
        assert tm.reply_length(parts[0], dialect) == len(parts[1])


def test_woodway_direction_digit_and_reverse() -> None:
    assert tm.encode_set_speed(5.5, "woodway") == b"\xa30055"
    assert tm.encode_set_speed(12.3, "woodway", reverse=True) == b"\xa33123"
    (msg,) = tm.decode_stream(b"\xa33123", "woodway")
    assert msg.speed_mph == 12.3 and msg.reverse is True
    with pytest.raises(ProtocolError):
        tm.decode_stream(b"\xa31055", "woodway")
    with pytest.raises(EncodingError):
        tm.encode_set_speed(3.0, "trackmaster", reverse=True)


def test_speed_limits_per_dialect() -> None:
    assert tm.encode_set_speed(15.0, "trackmaster") == b"\xa30150"
    with pytest.raises(EncodingError):
        tm.encode_set_speed(15.1, "trackmaster")
    assert tm.encode_set_speed(29.9, "woodway") == b"\xa30299"
    with pytest.raises(EncodingError):
        tm.encode_set_speed(30.0, "woodway")
    with pytest.raises(EncodingError):
        tm.encode_set_elevation(-0.5, "trackmaster")
    with pytest.raises(EncodingError):
        tm.encode_set_elevation(float("nan"), "woodway")
    with pytest.raises(EncodingError):
        tm.encode_start("coscom")


def test_start_commands_and_watchdog() -> None:
    assert tm.encode_start("trackmaster") == b"\xa1"
    assert tm.encode_start("woodway") == b"\xa0"  # hardware watchdog by default
    assert tm.encode_start("woodway", watchdog=False) == b"\xa9"
    assert tm.decode_stream(b"\xa0\xb0", "woodway")[0].name == "start_with_watchdog"
    assert tm.encode_stop("woodway") == b"\xa2" and tm.encode_auto_stop("trackmaster") == b"\xaa"


def test_error_bytes() -> None:
    for code, text in ((0xBE, "out of range"), (0xBF, "illegal command")):
        (msg,) = tm.decode_stream(bytes([code]), "trackmaster")
        assert msg.kind == "error" and text in (msg.error or "")
    assert tm.decode_stream(b"\xbd", "woodway")[0].kind == "error"
    with pytest.raises(ProtocolError):
        tm.decode_stream(b"\xbd", "trackmaster")  # no comms watchdog on Trackmaster


def test_status_replies() -> None:
    belt = tm.decode_stream(b"\xc0\xd0" + b"1", "trackmaster")[1]
    assert belt.status == "stopped"
    assert tm.decode_stream(b"\xd03", "trackmaster")[0].status == "running_cds_disabled"
    elev = tm.decode_stream(b"\xd2" + b"0125", "trackmaster")[0]
    assert elev.grade_pct == 12.5
    fw = tm.decode_stream(b"\xd3" + b"V1.2", "woodway")[0]
    assert fw.name == "firmware_revision" and fw.status == "V1.2"
    assert tm.reply_length(b"\xc0", "woodway") == 2
    with pytest.raises(ProtocolError):
        tm.reply_length(b"\xc4", "woodway")
    with pytest.raises(ProtocolError):
        tm.encode_query(0xC4, "woodway")
    assert tm.encode_query(0xC4, "trackmaster") == b"\xc4"


def test_decode_errors_are_typed() -> None:
    for bad in (b"", b"\xa3003", b"\xa300x5", b"\x00", b"\xd1\x30"):
        with pytest.raises(ProtocolError):
            tm.decode_stream(bad, "trackmaster")


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=150))
def test_trackmaster_speed_round_trip(tenths: int) -> None:
    (msg,) = tm.decode_stream(tm.encode_set_speed(tenths / 10, "trackmaster"), "trackmaster")
    assert msg.speed_mph == tenths / 10


@settings(deadline=None)
@given(
    st.integers(min_value=0, max_value=299), st.booleans(), st.integers(min_value=0, max_value=299)
)
def test_woodway_round_trip(tenths: int, reverse: bool, grade_tenths: int) -> None:
    data = tm.encode_set_speed(tenths / 10, "woodway", reverse) + tm.encode_set_elevation(
        grade_tenths / 10, "woodway"
    )
    speed, elevation = tm.decode_stream(data, "woodway")
    assert (speed.speed_mph, speed.reverse, elevation.grade_pct) == (
        tenths / 10,
        reverse,
        grade_tenths / 10,
    )


@settings(deadline=None)
@given(st.binary(max_size=30), st.sampled_from(list(Dialect)))
def test_fuzz_random_bytes(data: bytes, dialect: Dialect) -> None:
    try:
        for msg in tm.decode_stream(data, dialect):
            msg.to_dict()
    except ProtocolError:
        pass
    with contextlib.suppress(ProtocolError):
        tm.reply_length(data, dialect)


@pytest.mark.parametrize("vec", TM_VECTORS + WW_VECTORS, ids=vector_id)
def test_every_truncation_of_every_vector(vec: dict[str, Any]) -> None:
    for part in _parts(vec["hex"]):
        for cut in range(len(part) + 1):
            for dialect in Dialect:
                with contextlib.suppress(ProtocolError):
                    tm.decode_stream(part[:cut], dialect)
