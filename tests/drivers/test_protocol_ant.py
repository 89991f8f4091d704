"""ANT serial messages and the HRM data page: vectors and fuzz."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.protocols.ant import decode_ant_message, encode_ant_message
from drivers.protocols.errors import ChecksumError, ProtocolError
from tests.drivers._vectors import hex_bytes, vector_id, vectors

ANT_VECTORS = vectors("ANT serial message")
SKIP_KEYS = {
    "sync", "len", "msg_id", "checksum", "checksum_ok", "responding_to", "code",
    "device_number", "device_type", "transmission_type", "rf_freq", "page", "rate_hz",
}  # fmt: skip


@pytest.mark.parametrize("vec", ANT_VECTORS, ids=vector_id)
def test_ant_vectors(vec: dict[str, Any]) -> None:
    raw = hex_bytes(vec["hex"])
    d = vec["decoded"]
    msg = decode_ant_message(raw)
    assert msg.msg_id == int(d["msg_id"].split()[0], 16)
    assert encode_ant_message(msg.msg_id, msg.payload) == raw
    for key, want in d.items():
        if key in SKIP_KEYS:
            continue
        if key == "hrm_page":
            assert msg.values["page"] == want
        elif key == "model":
            assert msg.values["model"] == int(want, 16)
        else:
            assert msg.values[key] == want, key
    if "device_type" in d:
        assert msg.values["device_type"] == 120
    if "period_counts" in d:
        assert msg.values["rate_hz"] == pytest.approx(d["rate_hz"], abs=0.01)


def test_page4_rr_interval() -> None:
    msg = decode_ant_message(bytes.fromhex("a4094e000405107a40128b4819"))
    assert msg.values["computed_hr_bpm"] == 72
    assert msg.values["rr_ms"] == pytest.approx(((4672 - 31248) & 0xFFFF) * 1000 / 1024, abs=0.1)


def test_checksum_error() -> None:
    with pytest.raises(ChecksumError):
        decode_ant_message(bytes.fromhex("a403400046 00a2".replace(" ", "")))


@settings(deadline=None)
@given(st.binary(max_size=20))
def test_fuzz(data: bytes) -> None:
    for raw in (data, b"\xa4" + data):
        with contextlib.suppress(ProtocolError):
            decode_ant_message(raw).to_dict()
