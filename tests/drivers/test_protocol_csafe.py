"""CSAFE framing, stuffing, checksum, commands: vectors, round trips and fuzz."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.protocols import csafe
from drivers.protocols.csafe import Cmd, CsafeCommand, CsafeState, CsafeStatus, Unit
from drivers.protocols.errors import ChecksumError, EncodingError, FramingError, ProtocolError
from tests.drivers._vectors import hex_bytes, vector_id, vectors

CSAFE_VECTORS = vectors("CSAFE frame")


def test_seven_csafe_vectors() -> None:
    assert len(CSAFE_VECTORS) == 7


@pytest.mark.parametrize("vec", vectors("CSAFE frame (host->equipment)"), ids=vector_id)
def test_host_to_equipment_vectors(vec: dict[str, Any]) -> None:
    raw = hex_bytes(vec["hex"])
    d = vec["decoded"]
    frame = csafe.decode_frame(raw)
    cmds = csafe.decode_request(frame.contents)
    want_ids = [int(c.split()[0], 16) for c in d.get("cmds", [d.get("cmd", "")])]
    assert [c.cmd_id for c in cmds] == want_ids
    if "checksum" in d:
        assert raw[-2] == int(d["checksum"], 16)
    values = csafe.interpret(cmds[0])
    if "speed_kmh" in d:
        assert values["speed_kmh"] == pytest.approx(d["speed_kmh"])
        assert values["raw"] == d["value"]
        assert csafe.encode_request(csafe.cmd_set_speed(d["speed_kmh"])) == raw
    if "grade_pct" in d:
        assert values["grade_pct"] == pytest.approx(d["grade_pct"])
        assert csafe.encode_request(csafe.cmd_set_grade(d["grade_pct"])) == raw
    # re-encoding the parsed commands reproduces the frame
    assert csafe.encode_request(*cmds) == raw


def test_equipment_to_host_vector() -> None:
    (vec,) = vectors("CSAFE frame (equipment->host)")
    raw = hex_bytes(vec["hex"])
    resp = csafe.decode_response(csafe.decode_frame(raw).contents)
    assert resp.status.raw == 0x05
    assert resp.status.toggle is False
    assert resp.status.previous_frame == "ok"
    assert resp.status.state is CsafeState.IN_USE
    item = resp.item(Cmd.GET_HR_CUR)
    assert item is not None and csafe.interpret(item) == {"hr_bpm": vec["decoded"]["hr_bpm"]}
    assert csafe.encode_response(0x05, resp.items) == raw
    assert resp.to_dict()["items"][0]["hr_bpm"] == 140


def test_byte_stuffing_vector() -> None:
    (vec,) = vectors("CSAFE frame (byte stuffing)")
    raw = hex_bytes(vec["hex"])
    frame = csafe.decode_frame(raw)
    assert frame.contents == bytes([0x13, 0x01, 0xF1])
    (cmd,) = csafe.decode_request(frame.contents)
    assert cmd == CsafeCommand(Cmd.SET_TIMEOUT, b"\xf1")
    assert raw[-2] == int(vec["decoded"]["checksum"], 16)
    assert csafe.encode_frame(frame.contents) == raw


def test_stuffing_of_checksum_and_all_flag_bytes() -> None:
    assert csafe.stuff(bytes([0xF0, 0xF1, 0xF2, 0xF3, 0x10])) == bytes.fromhex("f300f301f302f30310")
    contents = bytes([0x21, 0x01, 0xF0 ^ 0x21 ^ 0x01 ^ 0x00])  # checksum lands on 0xF0
    frame = csafe.encode_frame(contents[:2] + b"\xd0")
    assert csafe.decode_frame(frame).contents == contents[:2] + b"\xd0"


def test_extended_frame_round_trip() -> None:
    raw = csafe.encode_frame(b"\x80", destination=0x02, source=0xF1)
    assert raw[0] == 0xF0
    frame = csafe.decode_frame(raw)
    assert (frame.extended, frame.destination, frame.source, frame.contents) == (
        True,
        2,
        0xF1,
        b"\x80",
    )
    with pytest.raises(EncodingError):
        csafe.encode_frame(b"\x80", destination=1)


def test_frame_errors_are_typed() -> None:
    with pytest.raises(ChecksumError):
        csafe.decode_frame(bytes.fromhex("f18081f2"))
    with pytest.raises(FramingError):
        csafe.decode_frame(bytes.fromhex("f28080f2"))
    with pytest.raises(FramingError):
        csafe.decode_frame(bytes.fromhex("f180f380f2"))
    with pytest.raises(FramingError):
        csafe.decode_frame(bytes.fromhex("f18080f1"))
    with pytest.raises(ProtocolError):
        csafe.decode_frame(bytes.fromhex("f1f2"))
    with pytest.raises(ProtocolError):
        csafe.decode_request(bytes([0x25, 0x03, 0x32]))
    with pytest.raises(ProtocolError):
        csafe.decode_request(bytes([0x7E]))
    with pytest.raises(ProtocolError):
        csafe.decode_response(bytes([0x05, 0xB0, 0x02, 0x8C]))


def test_split_frames_from_a_stream() -> None:
    stream = b"\x00\x11" + bytes.fromhex("f18080f2") + bytes.fromhex("f105b0018c38f2") + b"\xf1\xa5"
    frames, rest = csafe.split_frames(stream)
    assert frames == [bytes.fromhex("f18080f2"), bytes.fromhex("f105b0018c38f2")]
    assert rest == b"\xf1\xa5"
    assert csafe.split_frames(b"\x00\x01") == ([], b"")


def test_status_byte_fields() -> None:
    s = CsafeStatus.from_byte(CsafeStatus.make(CsafeState.PAUSED, "not_ready", toggle=True))
    assert (s.toggle, s.previous_frame, s.state) == (True, "not_ready", CsafeState.PAUSED)
    assert CsafeStatus.from_byte(0x0F).state is None


def test_interpret_typed_values() -> None:
    assert csafe.interpret(CsafeCommand(Cmd.GET_TWORK, bytes([0, 12, 30])))["elapsed_s"] == 750
    horizontal = csafe.interpret(
        CsafeCommand(Cmd.GET_HORIZONTAL, b"\x2c\x01" + bytes([Unit.METRE]))
    )
    assert horizontal["distance_m"] == 300
    mph = csafe.interpret(CsafeCommand(Cmd.GET_SPEED, b"\x23\x00" + bytes([Unit.MPH_0_1])))
    assert mph["speed_kmh"] == pytest.approx(3.5 * 1.609344)
    assert csafe.interpret(CsafeCommand(Cmd.GET_UNITS, b"\x01")) == {"units": "english"}
    version = csafe.interpret(CsafeCommand(Cmd.GET_VERSION, bytes([1, 2, 3, 4, 0, 5, 0])))
    assert version["hw_version"] == 4 and version["sw_version"] == 5
    grade = csafe.interpret(CsafeCommand(Cmd.GET_GRADE, b"\xec\xff" + bytes([Unit.GRADE_PCT_0_1])))
    assert grade["grade_pct"] == -2.0
    with pytest.raises(ProtocolError):
        csafe.interpret(CsafeCommand(Cmd.GET_SPEED, b"\x23\x00\x99"))
    with pytest.raises(ProtocolError):
        csafe.interpret(CsafeCommand(Cmd.GET_SPEED, b"\x23"))
    with pytest.raises(EncodingError):
        csafe.cmd_set_speed(5.0, Unit.GRADE_PCT)
    with pytest.raises(EncodingError):
        csafe.cmd_set_speed(float("nan"))


@settings(deadline=None)
@given(st.binary(max_size=60))
def test_frame_round_trip_any_contents(contents: bytes) -> None:
    raw = csafe.encode_frame(contents)
    assert all(b not in (0xF0, 0xF1, 0xF2) for b in raw[1:-1])
    assert csafe.decode_frame(raw).contents == contents
    frames, rest = csafe.split_frames(b"\x00" + raw + raw)
    assert frames == [raw, raw] and rest == b""


@settings(deadline=None)
@given(
    st.floats(min_value=0, max_value=30, allow_nan=False),
    st.sampled_from([Unit.KMH_0_1, Unit.KMH_0_01, Unit.MPH_0_1]),
)
def test_set_speed_round_trip(speed_kmh: float, unit: Unit) -> None:
    (cmd,) = csafe.decode_request(
        csafe.decode_frame(csafe.encode_request(csafe.cmd_set_speed(speed_kmh, unit))).contents
    )
    assert csafe.interpret(cmd)["speed_kmh"] == pytest.approx(speed_kmh, abs=0.1)


def _decode_everything(raw: bytes) -> None:
    try:
        frame = csafe.decode_frame(raw)
    except ProtocolError:
        return
    for fn in (csafe.describe_request, lambda f: csafe.decode_response(f.contents).to_dict()):
        with contextlib.suppress(ProtocolError):
            fn(frame)


@settings(deadline=None, max_examples=400)
@given(st.binary(max_size=40))
def test_fuzz_random_bytes(data: bytes) -> None:
    _decode_everything(data)
    _decode_everything(b"\xf1" + data + b"\xf2")
    for item_id in (
        Cmd.GET_SPEED,
        Cmd.GET_VERSION,
        Cmd.GET_TWORK,
        Cmd.GET_HR_CUR,
        Cmd.GET_UNITS,
        0x7F,
    ):
        with contextlib.suppress(ProtocolError):
            csafe.interpret(CsafeCommand(item_id, data[:8]))
    frames, _ = csafe.split_frames(data)
    for f in frames:
        _decode_everything(f)


@pytest.mark.parametrize("vec", CSAFE_VECTORS, ids=vector_id)
def test_every_truncation_of_every_vector(vec: dict[str, Any]) -> None:
    raw = hex_bytes(vec["hex"])
    for cut in range(len(raw) + 1):
        _decode_everything(raw[:cut])
        _decode_everything(raw[:cut] + b"\xf2")
        _decode_everything(raw[cut:])
