"""Exhaustive sweeps: every flag/opcode/status value with every body length.

A decoder either returns a result (whose ``to_dict`` works) or raises ProtocolError.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drivers.protocols import csafe, ftms, heart_rate
from drivers.protocols import trackmaster as tm
from runningroom.errors import ProtocolError

BODY = bytes([0xFF, 0x7F, 0x00, 0x80, 0x01, 0xF1, 0xF3, 0x30]) * 5


def _ok(decoder: Callable[[bytes], Any], data: bytes) -> Any:
    try:
        result = decoder(data)
    except ProtocolError:
        return None
    if hasattr(result, "to_dict"):
        result.to_dict()
    return result


def test_heart_rate_every_flags_value_every_length() -> None:
    for flags in range(256):
        for length in range(0, 24):
            data = bytes([flags]) + BODY[:length]
            m = _ok(heart_rate.decode_heart_rate_measurement, data)
            if m is not None:
                assert m.flags == flags
                assert len(m.rr_raw) <= max(0, (length - 1) // 2)


def test_machine_status_every_opcode_every_length() -> None:
    for op in range(256):
        for length in range(0, 12):
            status = _ok(ftms.decode_machine_status, bytes([op]) + BODY[:length])
            assert status is not None and status.opcode == op


def test_control_point_every_opcode_and_result() -> None:
    for op in range(256):
        for length in range(0, 12):
            _ok(ftms.decode_control_point_request, bytes([op]) + BODY[:length])
        for result in range(256):
            resp = _ok(ftms.decode_control_point_response, bytes([0x80, op, result]))
            assert (resp is not None) == (1 <= result <= 5)


def test_training_status_every_flags_and_status() -> None:
    for flags in range(256):
        for status in range(0, 256, 7):
            ts = _ok(ftms.decode_training_status, bytes([flags, status]) + b"Warm")
            assert ts is not None


def test_treadmill_data_every_flags_every_length() -> None:
    for flags in range(0, 0x10000, 3):
        data = flags.to_bytes(2, "little") + BODY[: flags % 37]
        td = _ok(ftms.decode_treadmill_data, data)
        assert td is not None and td.flags == flags


def test_csafe_every_status_byte_and_command_id() -> None:
    for status in range(256):
        resp = _ok(csafe.decode_response, bytes([status]))
        assert resp is not None and resp.status.raw == status
    for cmd_id in range(256):
        for length in range(0, 6):
            contents = bytes([cmd_id]) + BODY[:length]
            _ok(csafe.decode_request, contents)
            _ok(csafe.decode_response, bytes([0x05]) + contents)
            _ok(lambda data: csafe.interpret(csafe.CsafeCommand(data[0], data[1:])), contents)
            _ok(csafe.decode_frame, csafe.encode_frame(contents))


def test_trackmaster_every_byte_every_dialect() -> None:
    for dialect in tm.Dialect:
        for code in range(256):
            for tail in (b"", b"0", b"0035", b"3055", b"\xff\xff\xff\xff"):
                _ok(lambda data, d=dialect: tm.decode_stream(data, d), bytes([code]) + tail)
