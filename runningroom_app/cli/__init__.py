"""The ``runningroom`` command line: an entry point that composes core, drivers and ui.

Each subcommand lives in its own module under ``runningroom_app.cli`` and exposes
``register(subparsers)``; the module keeps heavy imports (Qt, bleak, serial) inside its
handler so ``runningroom simulate`` never loads Qt. Without a subcommand the desktop
app opens.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from runningroom import __version__

logger = logging.getLogger(__name__)

#: Subcommand modules, in help order.
SUBCOMMAND_MODULES = (
    "runningroom_app.cli.app",  # gui (default), demo
    "runningroom_app.cli.simulate",
    "runningroom_app.cli.bench",
    "runningroom_app.cli.run",
    "runningroom_app.cli.devices",
    "runningroom_app.cli.decode",
    "runningroom_app.cli.export",
    "runningroom_app.cli.records",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every available subcommand."""
    parser = argparse.ArgumentParser(
        prog="runningroom", description="Treadmill-session controller for running therapy."
    )
    parser.add_argument("--version", action="version", version=f"runningroom {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command is None:
        args = parser.parse_args(["gui", *(argv or sys.argv[1:])])
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    result: int = handler(args)
    return result
