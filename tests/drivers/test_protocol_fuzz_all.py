"""Every decoder of drivers.protocols, fuzzed in one place.

The contract: a decoder returns its result or raises a typed
:class:`~runningroom.errors.ProtocolError`, never anything else, for any input. The
per-protocol files fuzz their main decoders; this file guarantees that *every* public
``decode_*`` function (found by introspection, so a new decoder without fuzzing fails
``test_every_public_decoder_is_fuzzed``) plus the stateful parsers (FTMS merger, CSAFE
stream splitter, CSAFE item interpreter, Trackmaster reply length) obey it, and that
every result serialises to JSON as ``runningroom decode`` prints it.
"""

from __future__ import annotations

import contextlib
import inspect
import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.protocols import ant, csafe, ftms, heart_rate
from drivers.protocols import trackmaster as tm
from runningroom.errors import ProtocolError

MODULES: tuple[ModuleType, ...] = (ftms, heart_rate, csafe, tm, ant)


def _digits_speed(data: bytes) -> Any:
    return [tm.decode_digits_speed(data, d) for d in tm.Dialect]


def _stream(data: bytes) -> Any:
    return [m for d in tm.Dialect for m in tm.decode_stream(data, d)]


#: "module.function" -> a call taking the fuzzed bytes
DECODERS: dict[str, Callable[[bytes], Any]] = {
    "ftms.decode_treadmill_data": ftms.decode_treadmill_data,
    "ftms.decode_feature": ftms.decode_feature,
    "ftms.decode_speed_range": ftms.decode_speed_range,
    "ftms.decode_incline_range": ftms.decode_incline_range,
    "ftms.decode_resistance_range": ftms.decode_resistance_range,
    "ftms.decode_power_range": ftms.decode_power_range,
    "ftms.decode_heart_rate_range": ftms.decode_heart_rate_range,
    "ftms.decode_control_point_request": ftms.decode_control_point_request,
    "ftms.decode_control_point_response": ftms.decode_control_point_response,
    "ftms.decode_machine_status": ftms.decode_machine_status,
    "ftms.decode_training_status": ftms.decode_training_status,
    "heart_rate.decode_heart_rate_measurement": heart_rate.decode_heart_rate_measurement,
    "heart_rate.decode_body_sensor_location": heart_rate.decode_body_sensor_location,
    "csafe.decode_frame": csafe.decode_frame,
    "csafe.decode_request": csafe.decode_request,
    "csafe.decode_response": csafe.decode_response,
    "trackmaster.decode_digits_speed": _digits_speed,
    "trackmaster.decode_stream": _stream,
    "ant.decode_ant_message": ant.decode_ant_message,
}


def _public_decoders() -> set[str]:
    found = set()
    for module in MODULES:
        short = module.__name__.rsplit(".", 1)[-1]
        for name, obj in vars(module).items():
            if (
                name.startswith("decode_")
                and inspect.isfunction(obj)
                and obj.__module__ == module.__name__
            ):
                found.add(f"{short}.{name}")
    return found


def _jsonable(result: Any) -> None:
    """Results must serialise the way ``runningroom decode`` prints them."""
    items = result if isinstance(result, list | tuple) else [result]
    for item in items:
        to_dict = getattr(item, "to_dict", None)
        value = to_dict() if to_dict is not None else item
        json.dumps(value, default=str)


def _result_or_protocol_error(decoder: Callable[[bytes], Any], data: bytes) -> None:
    try:
        result = decoder(data)
    except ProtocolError:
        return
    assert result is not None
    _jsonable(result)


def test_every_public_decoder_is_fuzzed() -> None:
    assert _public_decoders() == set(DECODERS)


@pytest.mark.parametrize("name", sorted(DECODERS))
@settings(deadline=None, max_examples=150)
@given(data=st.binary(max_size=64))
def test_any_bytes_give_a_result_or_a_protocol_error(name: str, data: bytes) -> None:
    _result_or_protocol_error(DECODERS[name], data)


@settings(deadline=None, max_examples=150)
@given(st.lists(st.binary(max_size=24), max_size=8), st.booleans())
def test_treadmill_data_merger_never_raises_anything_else(
    packets: list[bytes], drop_all_zero: bool
) -> None:
    merger = ftms.TreadmillDataMerger(drop_all_zero=drop_all_zero)
    for packet in packets:
        try:
            record = merger.feed(packet)
        except ProtocolError:
            continue
        if record is not None:
            json.dumps(record.to_dict())


@settings(deadline=None, max_examples=150)
@given(st.binary(max_size=80))
def test_csafe_stream_splitter_and_frame_description(buffer: bytes) -> None:
    frames, rest = csafe.split_frames(buffer)
    assert len(rest) <= len(buffer)
    for raw in frames:
        try:
            frame = csafe.decode_frame(raw)
        except ProtocolError:
            continue
        for describe in (
            csafe.describe_request,
            lambda f: csafe.decode_response(f.contents).to_dict(),
        ):
            with contextlib.suppress(ProtocolError):
                json.dumps(describe(frame), default=str)


@settings(deadline=None, max_examples=200)
@given(st.integers(min_value=0, max_value=0xFF), st.binary(max_size=12))
def test_csafe_interpret_any_item(cmd_id: int, data: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        json.dumps(csafe.interpret(csafe.CsafeCommand(cmd_id, data)), default=str)


@settings(deadline=None, max_examples=150)
@given(st.binary(max_size=8), st.sampled_from(list(tm.Dialect)))
def test_trackmaster_reply_length_any_request(request_bytes: bytes, dialect: tm.Dialect) -> None:
    try:
        length = tm.reply_length(request_bytes, dialect)
    except ProtocolError:
        return
    assert length >= 0
