"""``runningroom decode KIND HEX...``: show what the app makes of pasted bytes.

A technician pastes bytes from a phone's BLE logger (nRF Connect shows
``(0x) 84-04-00-...``) or a serial capture and gets the decoded JSON on stdout (exit 0),
or a one-line reason on stderr (exit 1; exit 2 when the input holds no hex bytes). HEX
may be split over several arguments and may contain spaces, colons, dashes, commas and
``0x`` prefixes. Separate several packets
with ``;`` (treadmill-data merges split notifications); for the serial protocols
``->`` separates a request from its reply (CSAFE: ``"REQUEST -> REPLY"``, one frame
each, decoded as request and response). ``-`` as HEX reads the bytes from stdin.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from typing import Any

KINDS = (
    "treadmill-data",
    "fm-feature",
    "fm-status",
    "fm-control-point",
    "training-status",
    "speed-range",
    "incline-range",
    "heart-rate",
    "body-sensor-location",
    "csafe",
    "trackmaster",
    "woodway",
    "ant",
)

_SEPARATORS = re.compile(r"[\s:,\-_.()]+")


class HexError(ValueError):
    """The pasted text is not hexadecimal bytes."""


def parse_hex(text: str) -> bytes:
    """Parse loosely formatted hex (``"84-04 00:00"``, ``"0x8404"``) to bytes.

    Raises:
        HexError: empty input, an odd number of digits or non-hex characters.
    """
    cleaned = re.sub(r"0[xX]", "", text)
    cleaned = _SEPARATORS.sub("", cleaned)
    if not cleaned:
        raise HexError("no hex bytes given")
    if len(cleaned) % 2:
        raise HexError(f"odd number of hex digits ({len(cleaned)})")
    try:
        return bytes.fromhex(cleaned)
    except ValueError:
        bad = next(c for c in cleaned if c not in "0123456789abcdefABCDEF")
        raise HexError(f"not a hex digit: {bad!r}") from None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``decode`` subcommand."""
    parser = subparsers.add_parser(
        "decode",
        help="decode pasted protocol bytes to JSON",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("kind", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
    parser.add_argument("hex", nargs="+", metavar="HEX", help="the bytes in hex")
    parser.add_argument(
        "--direction",
        choices=("auto", "request", "response"),
        default="auto",
        help="CSAFE only: host->equipment request or equipment->host response",
    )
    parser.set_defaults(handler=_handle)


def _packets(text: str, separator: str) -> list[bytes]:
    packets = [parse_hex(part) for part in text.split(separator) if part.strip()]
    if not packets:
        raise HexError("no hex bytes given")
    return packets


def _decode(kind: str, text: str, direction: str) -> dict[str, Any]:
    from drivers.protocols import ant, ftms, heart_rate
    from drivers.protocols import trackmaster as tm

    single: dict[str, Callable[[bytes], Any]] = {
        "fm-feature": ftms.decode_feature,
        "fm-status": ftms.decode_machine_status,
        "training-status": ftms.decode_training_status,
        "speed-range": ftms.decode_speed_range,
        "incline-range": ftms.decode_incline_range,
        "heart-rate": heart_rate.decode_heart_rate_measurement,
        "ant": ant.decode_ant_message,
    }
    if kind in single:
        (data,) = _one_packet(text)
        return dict(single[kind](data).to_dict())
    if kind == "body-sensor-location":
        (data,) = _one_packet(text)
        return {"location": heart_rate.decode_body_sensor_location(data)}
    if kind == "fm-control-point":
        (data,) = _one_packet(text)
        if data[:1] == b"\x80":
            return {"direction": "indication", **ftms.decode_control_point_response(data).to_dict()}
        return {"direction": "write", **ftms.decode_control_point_request(data).to_dict()}
    if kind == "treadmill-data":
        packets = _packets(text, ";")
        if len(packets) == 1:
            return dict(ftms.decode_treadmill_data(packets[0]).to_dict())
        merger = ftms.TreadmillDataMerger()
        parts = [ftms.decode_treadmill_data(p).to_dict() for p in packets]
        merged = None
        for p in packets:
            merged = merger.feed(p) or merged
        return {"parts": parts, "merged": merged.to_dict() if merged else None}
    if kind == "csafe":
        if "->" in text:
            if ";" in text:
                raise HexError("csafe takes one request -> reply pair (no ';')")
            frames = _packets(text, "->")
            if len(frames) != 2:
                raise HexError("csafe takes 'REQUEST -> REPLY' (two frames)")
            return {
                "request": _decode_csafe(frames[0], "request"),
                "response": _decode_csafe(frames[1], "response"),
            }
        (data,) = _one_packet(text)
        return _decode_csafe(data, direction)
    # trackmaster / woodway
    dialect = tm.Dialect(kind)
    messages = [m.to_dict() for p in _packets(text, "->") for m in tm.decode_stream(p, dialect)]
    return {"dialect": dialect.value, "messages": messages}


def _decode_csafe(data: bytes, direction: str) -> dict[str, Any]:
    """One CSAFE frame as a request, a response, or (``auto``) whichever decodes."""
    from drivers.protocols import csafe
    from runningroom.errors import ProtocolError

    frame = csafe.decode_frame(data)
    out: dict[str, Any] = {}
    if frame.extended:
        out.update(destination=frame.destination, source=frame.source)
    if direction == "request":
        return {**out, **csafe.describe_request(frame)}
    if direction == "response":
        return {**out, **csafe.decode_response(frame.contents).to_dict()}
    try:
        return {**out, **csafe.describe_request(frame)}
    except ProtocolError:
        return {**out, **csafe.decode_response(frame.contents).to_dict()}


def _one_packet(text: str) -> list[bytes]:
    if ";" in text:
        raise HexError("this kind takes one packet (no ';')")
    return [parse_hex(text)]


def _handle(args: argparse.Namespace) -> int:
    from runningroom.errors import ProtocolError

    text = sys.stdin.read() if args.hex == ["-"] else " ".join(args.hex)
    try:
        result = _decode(args.kind, text, args.direction)
    except HexError as exc:
        sys.stderr.write(f"error: bad hex: {exc}\n")
        return 2
    except ProtocolError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        sys.stderr.write(f"error: cannot decode {args.kind}: {reason}\n")
        return 1
    sys.stdout.write(json.dumps({"kind": args.kind, **result}, indent=2) + "\n")
    return 0
