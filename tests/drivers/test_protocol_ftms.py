"""FTMS codecs: every FTMS vector of vectors.json, quirks, merging, encoders, fuzz."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.protocols import ftms
from drivers.protocols.errors import EncodingError, ProtocolError, TruncatedPacketError
from drivers.protocols.ftms import ResultCode
from tests.drivers._vectors import hex_bytes, vector_id, vectors

TREADMILL_VECTORS = vectors("0x2ACD")
# vector key -> TreadmillData attribute
KEY_MAP = {"force_on_belt_N": "force_on_belt_n", "power_W": "power_w"}
NON_VALUE_KEYS = {
    "flags",
    "more_data",
    "note",
    "quirk",
    "TRUNCATED_at_offset",
    "trailing_bytes_hex",
}


def test_vector_counts_are_what_the_reference_promises() -> None:
    assert len(TREADMILL_VECTORS) == 9
    assert len(vectors("0x2AD9")) == 7
    assert len(vectors("0x2ADA")) == 2


@pytest.mark.parametrize("vec", TREADMILL_VECTORS, ids=vector_id)
def test_treadmill_data_vectors(vec: dict[str, Any]) -> None:
    data = hex_bytes(vec["hex"])
    decoded = vec["decoded"]
    result = ftms.decode_treadmill_data(data)
    assert result.flags == int(decoded["flags"], 16)
    assert result.more_data is decoded["more_data"]
    expected_fields = set()
    for key, want in decoded.items():
        if key in NON_VALUE_KEYS:
            continue
        attr = KEY_MAP.get(key, key)
        expected_fields.add(attr)
        got = getattr(result, attr)
        if want is None:
            assert got is None, key
        else:
            assert got == pytest.approx(want, abs=1e-6), key
    # nothing decoded that the reference does not list
    assert result.present == expected_fields
    if "TRUNCATED_at_offset" in decoded:
        assert result.truncated_at == decoded["TRUNCATED_at_offset"]
        assert result.trailing == hex_bytes(decoded["trailing_bytes_hex"])
    else:
        assert result.truncated_at is None


def test_more_data_bit_zero_means_speed_present() -> None:
    # bit 0 clear: speed present (a public parser reads this backwards)
    assert ftms.decode_treadmill_data(bytes.fromhex("0000e803")).inst_speed_kmh == 10.0
    with_more = ftms.decode_treadmill_data(bytes.fromhex("0100e803"))
    assert with_more.more_data is True
    assert with_more.inst_speed_kmh is None
    assert "inst_speed_kmh" not in with_more.present


def _pair(prefix_note: str) -> list[bytes]:
    return [hex_bytes(v["hex"]) for v in TREADMILL_VECTORS if prefix_note in v["source"]]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "Matrix Performance TouchXL",
            {"inst_speed_kmh": 1.13, "avg_speed_kmh": 0.97, "total_distance_m": 54,
             "inclination_pct": 0.0, "ramp_angle_deg": None, "total_energy_kcal": 5,
             "energy_per_hour_kcal": 110, "energy_per_min_kcal": 2, "heart_rate_bpm": 0,
             "met": 0.2, "elapsed_s": 204, "remaining_s": 1596, "force_on_belt_n": None,
             "power_w": 26},
        ),
        (
            "technogym_myrun",
            {"inst_speed_kmh": 5.9, "avg_speed_kmh": 3.88, "total_distance_m": 42,
             "pos_elev_gain_m": 0.1, "total_energy_kcal": 2, "energy_per_hour_kcal": None,
             "met": 5.5, "elapsed_s": 39},
        ),
    ],
)  # fmt: skip
def test_split_notifications_merge_into_one_record(source: str, expected: dict[str, Any]) -> None:
    parts = _pair(source)
    assert len(parts) == 2
    merger = ftms.TreadmillDataMerger()
    assert merger.feed(parts[0]) is None
    record = merger.feed(parts[1])
    assert record is not None
    assert record.more_data is False
    for key, want in expected.items():
        assert getattr(record, key) == (pytest.approx(want) if want is not None else None), key
    # the merger starts afresh
    assert merger.feed(parts[1]) == ftms.decode_treadmill_data(parts[1])


def test_merger_reset_drops_partial_record_and_drop_all_zero() -> None:
    merger = ftms.TreadmillDataMerger()
    assert merger.feed(bytes.fromhex("03002a00")) is None
    merger.reset()
    record = merger.feed(bytes.fromhex("0000e803"))
    assert record is not None and record.avg_speed_kmh is None
    quiet = ftms.TreadmillDataMerger(drop_all_zero=True)
    assert quiet.feed(bytes.fromhex("8404") + bytes(12)) is None
    assert quiet.feed(bytes.fromhex("0000e803")) is not None


def test_merger_publishes_after_max_parts() -> None:
    merger = ftms.TreadmillDataMerger(max_parts=3)
    assert merger.feed(bytes.fromhex("03000100")) is None
    assert merger.feed(bytes.fromhex("03000200")) is None
    record = merger.feed(bytes.fromhex("03000300"))
    assert record is not None and record.avg_speed_kmh == 0.03 and record.more_data


def test_matrix_flags_promise_more_than_packet_holds() -> None:
    # 0x1F9E in a 20-byte packet: decode speed..energy, then stop without raising
    data = bytes.fromhex("9e1f c603 9402 3e0100 5a00 ff7f 3200 ffff 2500 ff".replace(" ", ""))
    result = ftms.decode_treadmill_data(data)
    assert result.inst_speed_kmh == 9.66
    assert result.avg_speed_kmh == 6.6
    assert result.total_distance_m == 318
    assert result.inclination_pct == 9.0
    assert result.pos_elev_gain_m == 5.0
    assert result.total_energy_kcal == 37
    assert result.energy_per_hour_kcal is None  # truncated -> never present
    assert "energy_per_hour_kcal" not in result.present
    assert result.truncated_at == 19
    assert result.heart_rate_bpm is None and result.elapsed_s is None


def test_vendor_bit13_step_counter_citysports() -> None:
    # flags 0x2484: speed, distance u24, energy (5), elapsed, steps u24 = 17 bytes
    data = bytes.fromhex("8424f401e803001400ffffff3c00d20400")
    assert len(data) == 17
    result = ftms.decode_treadmill_data(data)
    assert result.inst_speed_kmh == 5.0
    assert result.total_distance_m == 1000
    assert result.total_energy_kcal == 20
    assert result.energy_per_hour_kcal is None and result.energy_per_min_kcal is None
    assert result.elapsed_s == 60
    assert result.step_count == 1234
    assert result.truncated_at is None


def test_vendor_bit13_urevo_26_bytes() -> None:
    values = {
        "inst_speed_kmh": 3.2, "total_distance_m": 500, "inclination_pct": 2.0,
        "ramp_angle_deg": None, "pos_elev_gain_m": 1.0, "neg_elev_gain_m": 0.0,
        "total_energy_kcal": 30, "energy_per_hour_kcal": 200, "energy_per_min_kcal": 3,
        "heart_rate_bpm": 101, "elapsed_s": 600, "step_count": 900,
    }  # fmt: skip
    data = ftms.encode_treadmill_data(values)
    assert int.from_bytes(data[:2], "little") == 0x259C
    assert len(data) == 26
    assert ftms.decode_treadmill_data(data).step_count == 900


def test_not_available_sentinels() -> None:
    data = ftms.encode_treadmill_data(
        {"inst_speed_kmh": None, "total_distance_m": None, "heart_rate_bpm": None, "met": None,
         "force_on_belt_n": None, "power_w": None, "elapsed_s": None}
    )  # fmt: skip
    result = ftms.decode_treadmill_data(data)
    for name in ("inst_speed_kmh", "total_distance_m", "heart_rate_bpm", "met",
                 "force_on_belt_n", "power_w", "elapsed_s"):  # fmt: skip
        assert name in result.present
        assert getattr(result, name) is None
    assert data[2:4] == b"\xff\xff"


def test_negative_incline_and_reserved_bits_ignored() -> None:
    data = bytes.fromhex("08c0f401ecff0000")  # bits 14,15 set, incline -2.0 %
    result = ftms.decode_treadmill_data(data)
    assert result.inclination_pct == -2.0
    assert result.inst_speed_kmh == 5.0
    assert result.truncated_at is None


def test_too_short_for_flags_raises_protocol_error() -> None:
    for data in (b"", b"\x00"):
        with pytest.raises(TruncatedPacketError):
            ftms.decode_treadmill_data(data)


def test_to_dict_is_json_friendly() -> None:
    d = ftms.decode_treadmill_data(hex_bytes(TREADMILL_VECTORS[4]["hex"])).to_dict()
    assert d["flags"] == "0x1B9E"
    assert d["truncated_at"] == 19
    assert d["ramp_angle_deg"] is None


# -- feature, ranges ---------------------------------------------------------------------


@pytest.mark.parametrize("vec", vectors("0x2ACC"), ids=vector_id)
def test_feature_vectors(vec: dict[str, Any]) -> None:
    result = ftms.decode_feature(hex_bytes(vec["hex"]))
    d = vec["decoded"]
    assert result.features == int(d["features"], 16)
    assert result.target_settings == int(d["target_settings"], 16)
    assert list(result.feature_names) == d["feature_bits"]
    assert list(result.target_names) == d["target_bits"]
    assert ftms.encode_feature(result.features, result.target_settings) == hex_bytes(vec["hex"])


def test_feature_fitshow_treadmill_targets() -> None:
    f = ftms.decode_feature(bytes.fromhex("5c16000003000000"))
    assert f.supports_speed_target and f.supports_inclination_target and f.reports_heart_rate
    assert not ftms.decode_feature(bytes.fromhex("5c160000")).supports_speed_target
    with pytest.raises(TruncatedPacketError):
        ftms.decode_feature(b"\x5c\x16\x00")


def test_range_vectors() -> None:
    (res,) = vectors("0x2AD6")
    r = ftms.decode_resistance_range(hex_bytes(res["hex"]))
    assert (r.minimum, r.maximum, r.increment) == (0.0, 20.0, 0.1)
    (pwr,) = vectors("0x2AD8")
    p = ftms.decode_power_range(hex_bytes(pwr["hex"]))
    assert (p.minimum, p.maximum, p.increment) == (
        pwr["decoded"]["min_W"], pwr["decoded"]["max_W"], pwr["decoded"]["increment_W"],
    )  # fmt: skip


def test_speed_and_incline_ranges_round_trip() -> None:
    s = ftms.decode_speed_range(ftms.encode_speed_range(0.5, 18.0, 0.1))
    assert (s.minimum, s.maximum, s.increment, s.unit) == (0.5, 18.0, 0.1, "km/h")
    i = ftms.decode_incline_range(ftms.encode_incline_range(-3.0, 15.0, 0.5))
    assert (i.minimum, i.maximum, i.increment, i.unit) == (-3.0, 15.0, 0.5, "%")
    assert ftms.decode_heart_rate_range(bytes([60, 200, 1])).maximum == 200
    with pytest.raises(TruncatedPacketError):
        ftms.decode_speed_range(b"\x00\x00\x00\x00\x00")


# -- control point ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "vec", vectors("0x2AD9 Fitness Machine Control Point (write)"), ids=vector_id
)
def test_control_point_write_vectors(vec: dict[str, Any]) -> None:
    data = hex_bytes(vec["hex"])
    d = vec["decoded"]
    req = ftms.decode_control_point_request(data)
    assert req.opcode == int(d["opcode"].split()[0], 16)
    if "target_speed_kmh" in d:
        assert req.target_speed_kmh == d["target_speed_kmh"]
        assert ftms.encode_set_target_speed(d["target_speed_kmh"]) == data
    if "target_incline_pct" in d:
        assert req.target_incline_pct == d["target_incline_pct"]
        assert ftms.encode_set_target_inclination(d["target_incline_pct"]) == data
    if "param" in d:
        assert req.stop_or_pause == "stop"
        assert ftms.encode_stop() == data
    if req.opcode == ftms.ControlPointOpcode.REQUEST_CONTROL:
        assert ftms.encode_request_control() == data


@pytest.mark.parametrize(
    "vec", vectors("0x2AD9 Fitness Machine Control Point (indication)"), ids=vector_id
)
def test_control_point_indication_vectors(vec: dict[str, Any]) -> None:
    d = vec["decoded"]
    resp = ftms.decode_control_point_response(hex_bytes(vec["hex"]))
    assert resp.request_opcode == int(d["request_opcode"].split()[0], 16)
    assert resp.result == int(d["result"].split()[0], 16)
    assert resp.ok is (resp.result is ResultCode.SUCCESS)
    assert ftms.encode_control_point_response(resp.request_opcode, resp.result) == hex_bytes(
        vec["hex"]
    )


def test_control_point_encoders() -> None:
    assert ftms.encode_start() == b"\x07"
    assert ftms.encode_pause() == b"\x08\x02"
    assert ftms.encode_reset() == b"\x01"
    assert ftms.decode_control_point_request(ftms.encode_pause()).stop_or_pause == "pause"
    for bad in (-0.1, float("nan"), 700.0):
        with pytest.raises(EncodingError):
            ftms.encode_set_target_speed(bad)
    with pytest.raises(EncodingError):
        ftms.encode_set_target_inclination(float("inf"))


def test_control_point_errors_are_typed() -> None:
    with pytest.raises(ProtocolError):
        ftms.decode_control_point_response(b"\x80\x02")
    with pytest.raises(ProtocolError):
        ftms.decode_control_point_response(b"\x81\x02\x01")
    with pytest.raises(ProtocolError):
        ftms.decode_control_point_response(b"\x80\x02\x09")
    with pytest.raises(ProtocolError):
        ftms.decode_control_point_request(b"\x02\x10")
    with pytest.raises(ProtocolError):
        ftms.decode_control_point_request(b"\x7f")
    cnp = ftms.decode_control_point_response(b"\x80\x02\x05")
    assert cnp.result is ResultCode.CONTROL_NOT_PERMITTED and not cnp.ok


@settings(deadline=None)
@given(st.floats(min_value=0, max_value=655.35, allow_nan=False))
def test_speed_encoder_round_trip(speed_kmh: float) -> None:
    req = ftms.decode_control_point_request(ftms.encode_set_target_speed(speed_kmh))
    assert req.target_speed_kmh == pytest.approx(speed_kmh, abs=0.005 + 1e-9)


@settings(deadline=None)
@given(st.floats(min_value=-3276.8, max_value=3276.7, allow_nan=False))
def test_incline_encoder_round_trip(incline_pct: float) -> None:
    req = ftms.decode_control_point_request(ftms.encode_set_target_inclination(incline_pct))
    assert req.target_incline_pct == pytest.approx(incline_pct, abs=0.05 + 1e-9)


# -- machine status, training status ------------------------------------------------------


@pytest.mark.parametrize("vec", vectors("0x2ADA"), ids=vector_id)
def test_machine_status_vectors(vec: dict[str, Any]) -> None:
    status = ftms.decode_machine_status(hex_bytes(vec["hex"]))
    d = vec["decoded"]
    assert status.opcode == int(d["opcode"].split()[0], 16)
    for key, want in d.items():
        if key == "opcode":
            continue
        got_key = {"new_target_speed_kmh": "target_speed_kmh"}.get(key, key)
        assert status.values[got_key] == pytest.approx(want), key
    assert not status.truncated


def test_machine_status_safety_states() -> None:
    stop = ftms.decode_machine_status(b"\x02\x01")
    assert stop.stopped_by_user and not stop.paused_by_user
    pause = ftms.decode_machine_status(b"\x02\x02")
    assert pause.paused_by_user and not pause.stopped_by_user
    assert ftms.decode_machine_status(b"\x03").safety_key
    assert ftms.decode_machine_status(b"\xff").control_permission_lost
    assert ftms.decode_machine_status(b"\x04").started_by_user
    incline = ftms.decode_machine_status(b"\x06\xec\xff")
    assert incline.target_incline_pct == -2.0
    assert ftms.decode_machine_status(b"\x05\x69\x00").target_speed_kmh == 1.05
    short = ftms.decode_machine_status(b"\x05\x69")
    assert short.truncated and short.target_speed_kmh is None
    assert ftms.decode_machine_status(b"\x42\x01").name == "reserved"
    with pytest.raises(TruncatedPacketError):
        ftms.decode_machine_status(b"")


def test_machine_status_encoder_round_trip() -> None:
    data = ftms.encode_machine_status(
        ftms.MachineStatusOpcode.TARGET_SPEED_CHANGED, target_speed_kmh=7.5
    )
    assert ftms.decode_machine_status(data).target_speed_kmh == 7.5
    with pytest.raises(EncodingError):
        ftms.encode_machine_status(ftms.MachineStatusOpcode.TARGET_SPEED_CHANGED)


def test_training_status_vector_and_string() -> None:
    (vec,) = vectors("0x2AD3")
    ts = ftms.decode_training_status(hex_bytes(vec["hex"]))
    assert (ts.flags, ts.status, ts.name, ts.text) == (1, 1, "idle", None)
    ts2 = ftms.decode_training_status(ftms.encode_training_status(0x0D, "Quick Start"))
    assert ts2.name == "manual_mode" and ts2.text == "Quick Start"
    assert ftms.decode_training_status(b"\x00\x20").name == "reserved"
    assert ftms.decode_training_status(b"\x01\x01\xff").text == "\ufffd"
    with pytest.raises(TruncatedPacketError):
        ftms.decode_training_status(b"\x01")


# -- fuzz -----------------------------------------------------------------------------------

FTMS_CHARACTERISTICS = {"0x2ACD", "0x2ACC", "0x2AD3", "0x2AD6", "0x2AD8", "0x2AD9", "0x2ADA"}
DECODERS = (
    ftms.decode_treadmill_data,
    ftms.decode_feature,
    ftms.decode_speed_range,
    ftms.decode_incline_range,
    ftms.decode_resistance_range,
    ftms.decode_power_range,
    ftms.decode_heart_rate_range,
    ftms.decode_control_point_request,
    ftms.decode_control_point_response,
    ftms.decode_machine_status,
    ftms.decode_training_status,
)


def _result_or_protocol_error(decoder: Any, data: bytes) -> None:
    try:
        result = decoder(data)
    except ProtocolError:
        return
    assert result is not None
    to_dict = getattr(result, "to_dict", None)
    if to_dict is not None:
        to_dict()


@settings(deadline=None, max_examples=300)
@given(st.binary(max_size=40))
def test_fuzz_random_bytes(data: bytes) -> None:
    for decoder in DECODERS:
        _result_or_protocol_error(decoder, data)


@settings(deadline=None, max_examples=400)
@given(st.integers(min_value=0, max_value=0xFFFF), st.binary(max_size=40))
def test_fuzz_every_flag_combination(flags: int, body: bytes) -> None:
    data = flags.to_bytes(2, "little") + body
    result = ftms.decode_treadmill_data(data)
    assert result.flags == flags
    assert result.more_data is bool(flags & 1)
    if result.truncated_at is not None:
        assert result.truncated_at <= len(data)


def test_every_flag_value_with_full_body_decodes_completely() -> None:
    body = bytes(range(1, 40))
    for flags in range(0x4000):
        result = ftms.decode_treadmill_data(flags.to_bytes(2, "little") + body)
        assert result.truncated_at is None


@pytest.mark.parametrize(
    "vec",
    [v for v in vectors("0x2A") if v["characteristic"][:6] in FTMS_CHARACTERISTICS],
    ids=vector_id,
)  # fmt: skip
def test_every_truncation_of_every_vector(vec: dict[str, Any]) -> None:
    data = hex_bytes(vec["hex"])
    for cut in range(len(data) + 1):
        for decoder in DECODERS:
            _result_or_protocol_error(decoder, data[:cut])
    merger = ftms.TreadmillDataMerger()
    for cut in range(2, len(data) + 1):
        merger.feed(data[:cut])


@settings(deadline=None, max_examples=200)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            name: st.one_of(st.none(), st.integers(min_value=0, max_value=25))
            for name in ftms.treadmill_data_field_names()
        },
    ),
    st.booleans(),
)
def test_treadmill_data_encoder_round_trip(values: dict[str, int | None], more: bool) -> None:
    if more:
        values.pop("inst_speed_kmh", None)
    data = ftms.encode_treadmill_data(values, more_data=more)
    result = ftms.decode_treadmill_data(data)
    assert result.more_data is more
    expected_present = set(values) | ({"inst_speed_kmh"} if not more else set())
    # grouped fields travel together: every member of a flagged group is present
    assert set(values) <= result.present
    assert result.present >= expected_present - {"inst_speed_kmh"}
    for name, value in values.items():
        assert getattr(result, name) == (None if value is None else pytest.approx(value))


def test_mph_quirk_converts_speeds_only() -> None:
    data = ftms.decode_treadmill_data(
        ftms.encode_treadmill_data(
            {"inst_speed_kmh": 5.0, "avg_speed_kmh": None, "total_distance_m": 10}
        )
    )
    fixed = ftms.apply_quirks(data, ftms.TreadmillQuirks(speed_in_mph=True))
    assert fixed.inst_speed_kmh == pytest.approx(8.05, abs=0.01)
    assert fixed.avg_speed_kmh is None and fixed.total_distance_m == 10
    assert ftms.apply_quirks(data, ftms.TreadmillQuirks()) is data
