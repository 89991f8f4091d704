"""Every vector in vectors.json goes through the decoder for its characteristic.

The detailed value checks live in the per-protocol test files; this file guarantees no
vector is left out (a new vector with an unknown characteristic fails here).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from drivers.protocols import ant, csafe, ftms, heart_rate
from drivers.protocols import trackmaster as tm
from tests.drivers._vectors import all_vectors, hex_bytes, vector_id


def _csafe(raw: bytes) -> Any:
    frame = csafe.decode_frame(raw)
    try:
        return csafe.describe_request(frame)
    except csafe.UnknownOpcodeError:
        return csafe.decode_response(frame.contents)


def _stream(dialect: tm.Dialect) -> Callable[[bytes], Any]:
    return lambda raw: tm.decode_stream(raw, dialect)


ROUTES: dict[str, Callable[[bytes], Any]] = {
    "0x2ACD": ftms.decode_treadmill_data,
    "0x2ACC": ftms.decode_feature,
    "0x2AD3": ftms.decode_training_status,
    "0x2AD6": ftms.decode_resistance_range,
    "0x2AD8": ftms.decode_power_range,
    "0x2ADA": ftms.decode_machine_status,
    "0x2AD9 Fitness Machine Control Point (write)": ftms.decode_control_point_request,
    "0x2AD9 Fitness Machine Control Point (indication)": ftms.decode_control_point_response,
    "0x2A37": heart_rate.decode_heart_rate_measurement,
    "ANT serial message": ant.decode_ant_message,
    "CSAFE frame": _csafe,
    "Trackmaster serial": _stream(tm.Dialect.TRACKMASTER),
    "Woodway serial": _stream(tm.Dialect.WOODWAY),
}


def _route(vec: dict[str, Any]) -> Callable[[bytes], Any]:
    matches = [k for k in ROUTES if vec["characteristic"].startswith(k)]
    assert matches, f"no decoder for {vec['characteristic']}"
    return ROUTES[max(matches, key=len)]


def test_all_53_vectors_are_routed() -> None:
    assert len(all_vectors()) == 53
    for vec in all_vectors():
        _route(vec)


@pytest.mark.parametrize("vec", all_vectors(), ids=vector_id)
def test_vector_decodes(vec: dict[str, Any]) -> None:
    decoder = _route(vec)
    for part in vec["hex"].split("->"):
        result = decoder(hex_bytes(part))
        assert result is not None


def test_simulated_peripherals_replay_packets_from_vectors_json() -> None:
    from testkit.ble import captures

    known = {hex_bytes(part) for vec in all_vectors() for part in vec["hex"].split("->")}
    replayed = (
        *captures.TREADMILL_DATA_REPLAY,
        *captures.HEART_RATE_REPLAY,
        captures.TRAINING_STATUS_IDLE,
    )
    missing = [h for h in replayed if hex_bytes(h) not in known]
    assert not missing, f"replayed packets not in vectors.json: {missing}"
