"""``runningroom gui`` (the default command) and ``runningroom demo``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``gui`` and ``demo`` subcommands."""
    gui = subparsers.add_parser("gui", help="open the desktop app (default)")
    gui.add_argument("--language", choices=("en", "nl"), help="UI language (remembered)")
    gui.set_defaults(handler=_gui)
    demo = subparsers.add_parser(
        "demo",
        help="open the app with a simulated treadmill, HR strap and the demo patient",
    )
    demo.add_argument("--speedup", type=float, default=None,
                      help="play the session X times faster (default 1; 60 with --screenshot)")
    demo.add_argument("--template", default="standard",
                      help="session template name (default: standard)")
    demo.add_argument("--screenshot", type=Path, metavar="DIR",
                      help="run a demo session, write PNGs to DIR and exit (offscreen unless"
                           " QT_QPA_PLATFORM names a platform)")
    demo.add_argument("--language", choices=("en", "nl"), help="UI language (remembered)")
    demo.add_argument("--faults", action="store_true",
                      help="simulate HR sensor faults (gaps, zeros, spikes) to train alarms")
    demo.set_defaults(handler=_demo)


def _gui(args: argparse.Namespace) -> int:
    from runningroom_app.desktop import run_app

    return int(run_app(demo=False, language=args.language))


def _demo(args: argparse.Namespace) -> int:
    from runningroom_app.desktop import run_app

    speedup = args.speedup
    if speedup is None:
        speedup = 60.0 if args.screenshot is not None else 1.0
    if speedup <= 0:
        raise SystemExit("--speedup must be > 0")
    exit_code = run_app(
        demo=True,
        speedup=float(speedup),
        screenshot=args.screenshot,
        template=args.template,
        language=args.language,
        faults=args.faults,
    )
    return int(exit_code)
