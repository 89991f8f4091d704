"""``runningroom decode``: JSON on stdout / one-line reason on stderr."""

from __future__ import annotations

import json
from typing import Any

import pytest

from runningroom_app.cli import main
from tests.drivers._vectors import vectors


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    code = main(["decode", *argv])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else {}), err


def test_treadmill_data_with_nrf_connect_formatting(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "treadmill-data", "(0x) 9E-04-73-02-33-02-25-00-00-3C-00-FF-7F",
                          "00:00 ff:7f 02:00 ff:ff ff 1f 00")  # fmt: skip
    assert code == 0 and err == ""
    assert out["kind"] == "treadmill-data"
    assert out["inst_speed_kmh"] == 6.27
    assert out["neg_elev_gain_m"] is None
    assert out["elapsed_s"] == 31


def test_treadmill_data_merges_split_packets(capsys: pytest.CaptureFixture[str]) -> None:
    p1, p2 = (v["hex"] for v in vectors("0x2ACD") if "technogym" in v["source"])
    code, out, _ = _run(capsys, "treadmill-data", f"{p1};{p2}")
    assert code == 0
    assert len(out["parts"]) == 2
    assert out["merged"]["inst_speed_kmh"] == 5.9
    assert out["merged"]["total_distance_m"] == 42


@pytest.mark.parametrize(
    ("kind", "hex_text", "key", "value"),
    [
        ("fm-feature", "5c 16 00 00 03 00 00 00", "target_bits", ["speed", "inclination"]),
        ("fm-status", "03", "name", "stopped_by_safety_key"),
        ("fm-status", "05 69 00", "target_speed_kmh", 1.05),
        ("fm-control-point", "02 e8 03", "target_speed_kmh", 10.0),
        ("fm-control-point", "80 07 04", "result_name", "operation_failed"),
        ("training-status", "01 01", "name", "idle"),
        ("heart-rate", "10 3b 53 04", "sensor_contact", "not_supported"),
        ("csafe", "f1 05 b0 01 8c 38 f2", "state", "in_use"),
        ("csafe", "f1 25 03 32 00 31 25 f2", "direction", "host->equipment"),
        ("woodway", "a3 30 30 35 35", "dialect", "woodway"),
        ("speed-range", "32 00 08 07 0a 00", "max", 18.0),
        ("body-sensor-location", "01", "location", "chest"),
        ("ant", "a4 03 40 00 46 00 a1", "name", "channel_response"),
    ],
)
def test_kinds(
    capsys: pytest.CaptureFixture[str], kind: str, hex_text: str, key: str, value: Any
) -> None:
    code, out, err = _run(capsys, kind, *hex_text.split())
    assert code == 0, err
    assert out[key] == value


def test_trackmaster_request_and_reply(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "trackmaster", "c1 -> d1 30 30 33 35")
    assert code == 0
    request, reply = out["messages"]
    assert request["kind"] == "status_request"
    assert reply["speed_mph"] == 3.5


def test_csafe_request_arrow_reply_decodes_both_frames(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _run(capsys, "csafe", "f1 a5 a5 f2 -> f1 85 a5 03 32 00 32 23 f2")
    assert code == 0, err
    assert out["request"]["direction"] == "host->equipment"
    assert out["request"]["commands"][0]["name"] == "get_speed"
    assert out["response"]["direction"] == "equipment->host"
    assert out["response"]["state"] == "in_use"
    assert out["response"]["items"][0]["speed_kmh"] == 0.5


def test_csafe_arrow_needs_exactly_two_frames(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["decode", "csafe", "f1 80 80 f2 -> f1 80 80 f2 -> f1 80 80 f2"])
    _out, err = capsys.readouterr()
    assert code == 2 and "two frames" in err


def test_csafe_forced_direction(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "csafe", "--direction", "response", "f1 80 80 f2")
    assert code == 0 and out["direction"] == "equipment->host" and out["toggle"] is True


@pytest.mark.parametrize(
    ("argv", "exit_code", "fragment"),
    [
        (("heart-rate", "01"), 1, "cannot decode heart-rate"),
        (("csafe", "f1 80 81 f2"), 1, "checksum"),
        (("treadmill-data", "0"), 2, "odd number"),
        (("fm-feature", "zz"), 2, "not a hex digit"),
        (("trackmaster", "00"), 1, "starts no"),
        (("fm-status", "03;04"), 2, "one packet"),
        (("treadmill-data", ""), 2, "no hex bytes"),
        (("treadmill-data", " ; "), 2, "no hex bytes"),
        (("trackmaster", " "), 2, "no hex bytes"),
        (("woodway", " -> "), 2, "no hex bytes"),
    ],
)
def test_errors_are_one_line_on_stderr(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], exit_code: int, fragment: str
) -> None:
    code = main(["decode", *argv])
    out, err = capsys.readouterr()
    assert code == exit_code
    assert out == ""
    assert fragment in err
    assert err.count("\n") == 1


def test_unknown_kind_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["decode", "bogus", "00"])
    assert exc.value.code == 2
    capsys.readouterr()


def test_hex_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("16 59\na2 02\n"))
    code, out, _ = _run(capsys, "heart-rate", "-")
    assert code == 0 and out["hr_bpm"] == 89 and out["rr_raw_1_1024s"] == [674]
