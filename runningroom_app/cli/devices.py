"""``runningroom devices scan [--timeout S] [--json] [--adapter hci0]``: list nearby devices.

Lists FTMS treadmills (by service UUID or FTMS service data) and heart-rate straps with
their stable address (``ble:AA:BB:...``, usable with ``runningroom run``), name and
signal strength. Without a Bluetooth adapter it prints one line on stderr and exits 2.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys

logger = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``devices`` subcommand."""
    parser = subparsers.add_parser("devices", help="find Bluetooth treadmills and HR straps")
    sub = parser.add_subparsers(dest="devices_command", metavar="ACTION", required=True)
    scan = sub.add_parser("scan", help="scan for FTMS treadmills and heart-rate straps")
    scan.add_argument("--timeout", type=float, default=5.0, metavar="S", help="seconds to scan")
    scan.add_argument("--json", action="store_true", help="print JSON instead of a table")
    scan.add_argument("--adapter", default=None, help="Bluetooth adapter (Linux), e.g. hci0")
    scan.set_defaults(handler=_scan_handler)


def _scan_handler(args: argparse.Namespace) -> int:
    from drivers.ble.link import BleOptions
    from drivers.ble.scanner import scan
    from runningroom.errors import DeviceError

    if args.timeout <= 0:
        sys.stderr.write("runningroom devices scan: --timeout must be positive\n")
        return 2
    try:
        results = asyncio.run(scan(args.timeout, options=BleOptions(adapter=args.adapter)))
    except DeviceError as exc:
        sys.stderr.write(f"runningroom devices scan: {exc}\n")
        return 2
    except Exception as exc:  # any stack failure must be one line for the user
        logger.debug("scan failed", exc_info=True)
        sys.stderr.write(f"runningroom devices scan: Bluetooth unavailable: {exc}\n")
        return 2
    if args.json:
        sys.stdout.write(json.dumps([r.to_dict() for r in results], indent=2) + "\n")
        return 0
    if not results:
        sys.stdout.write("no treadmills or heart-rate straps found\n")
        return 0
    sys.stdout.write(f"{'KIND':<10} {'ADDRESS':<24} {'RSSI':>5}  NAME\n")
    for r in results:
        rssi = "" if r.rssi_dbm is None else str(r.rssi_dbm)
        note = "" if r.service_data_valid else "  (malformed FTMS service data)"
        sys.stdout.write(f"{r.kind!s:<10} {r.address:<24} {rssi:>5}  {r.name}{note}\n")
    return 0
