"""``runningroom run``: a real-time headless session against real (or simulated) devices.

::

    runningroom run --profile DEMO-001 --template standard
        --treadmill ble:AA:BB:CC:DD:EE:FF --hr ble:11:22:33:44:55:66 [--db PATH]

Uses the same station and engine as the desktop app (for kiosks, tests and field
diagnosis). Progress goes to stdout about every ``--status-every`` seconds (also while
paused; a new alarm prints at once) with the alarms that are still active, and the
session summary is printed as JSON at the end. Ctrl-C or SIGTERM stops the belt safely
and ends the session as ``stopped``; a second Ctrl-C is an emergency stop. If the HR
strap is lost while the treadmill reports a heart rate, the switch is offered on stdout
and SIGUSR1 accepts it (the GUI's "use treadmill HR"); it is never taken silently.

A paused session (console stop, safety key, a long dropout) is resumed with SIGUSR1,
or ends with SIGTERM/SIGINT. On a terminal, single keys work too: ``r`` resume, ``p``
pause, ``s`` or ``q`` stop the session (belt stopped, ``stopped``), ``u`` use the
treadmill's heart rate. After ``--pause-timeout`` seconds in pause (default 600, 0 =
never) the session ends as ``stopped`` with the belt stopped.

Exit codes: 0 session ended (finished or stopped), 2 bad arguments (profile, template,
address, database), 3 device error (not found, no adapter, connection failed), 4 the
session could not start its recording (database locked or not writable; belt not started).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from runningroom.session.model import SessionSnapshot
    from runningroom.station import Station

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_DEVICE = 3
EXIT_RECORDING = 4

#: A session paused longer than this (s) ends as stopped, unless told otherwise.
DEFAULT_PAUSE_TIMEOUT_S = 600.0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``run`` subcommand."""
    parser = subparsers.add_parser("run", help="run a real-time session headless against devices")
    parser.add_argument("--profile", required=True, help="patient code or profile TOML path")
    parser.add_argument("--template", default="standard", help="template name or TOML path")
    parser.add_argument("--treadmill", required=True, metavar="ADDR", help="e.g. ble:AA:BB:..")
    parser.add_argument(
        "--hr",
        required=True,
        metavar="ADDR",
        help="e.g. ble:11:22:.., serial:PORT?protocol=ant, sim:",
    )
    parser.add_argument("--db", type=Path, default=None, help="session database (default: user)")
    parser.add_argument("--station", default="station-1", help="station name for the record")
    parser.add_argument(
        "--status-every", type=float, default=10.0, metavar="S", help="status line interval"
    )
    parser.add_argument(
        "--pause-timeout",
        type=float,
        default=DEFAULT_PAUSE_TIMEOUT_S,
        metavar="SECONDS",
        help="a pause longer than this ends the session as stopped (default 600, 0 = never)",
    )
    parser.add_argument(
        "--speedup",
        type=float,
        default=None,
        metavar="X",
        help="run the clock X times faster (simulated devices only: demos and tests)",
    )
    parser.set_defaults(handler=_run_handler)


def _fail(code: int, message: str) -> int:
    _say(f"runningroom run: {message}\n", sys.stderr)
    return code


def _say(text: str, stream: TextIO | None = None) -> None:
    """Write to stdout (or ``stream``); a closed pipe or terminal must not break the run.

    A kiosk whose terminal went away, or ``runningroom run | head``, leaves stdout
    broken: Ctrl-C and SIGTERM must still stop the belt and end the session.
    """
    out = stream or sys.stdout
    try:
        out.write(text)
        out.flush()
    except (OSError, ValueError):  # BrokenPipeError, closed file
        logger.debug("cannot write to %s", getattr(out, "name", out), exc_info=True)


def _run_handler(args: argparse.Namespace) -> int:
    from drivers.addresses import open_hr_source, open_treadmill
    from runningroom.clock import Clock, ScaledClock, SystemClock
    from runningroom.errors import RecordingError, ValidationError
    from runningroom.profiles_io import find_patient, find_template
    from runningroom.recording.recorder import SessionDatabase
    from runningroom.station import Station

    try:
        profile = find_patient(args.profile)
        template = find_template(args.template)
    except (ValidationError, OSError, LookupError) as exc:
        return _fail(EXIT_USAGE, str(exc))
    if args.speedup is not None and not (
        args.speedup > 0 and args.treadmill.startswith("sim:") and args.hr.startswith("sim:")
    ):
        return _fail(EXIT_USAGE, "--speedup needs --treadmill sim: and --hr sim: (and X > 0)")
    clock: Clock = ScaledClock(args.speedup) if args.speedup else SystemClock()
    try:
        treadmill = open_treadmill(args.treadmill, clock)
        hr_source = open_hr_source(args.hr, clock, treadmill=treadmill)
    except ValidationError as exc:
        return _fail(EXIT_USAGE, str(exc))
    try:
        database = SessionDatabase(args.db) if args.db else SessionDatabase.default()
    except RecordingError as exc:
        return _fail(EXIT_USAGE, str(exc))
    try:
        # like the desktop app and ``simulate``: sessions left running by a crashed
        # process become ``aborted`` (sessions of live recorders are left alone)
        recovered = database.recover_interrupted()
    except RecordingError as exc:
        database.close()
        return _fail(EXIT_USAGE, str(exc))
    if recovered:
        _say(f"recovered interrupted sessions as aborted: {recovered}\n")
    station = Station(
        name=args.station,
        treadmill=treadmill,
        hr_source=hr_source,
        profile=profile,
        template=template,
        database=database,
        clock=clock,
    )
    try:
        return asyncio.run(
            run_station(
                station, status_every_s=args.status_every, pause_timeout_s=args.pause_timeout
            )
        )
    finally:
        database.close()
        for line in database.rescue_report():
            sys.stderr.write(f"runningroom run: {line}\n")


def _status_line(snap: SessionSnapshot) -> str:
    hr = "--" if snap.hr_bpm is None else str(snap.hr_bpm)
    speed = "--" if snap.speed_meas_kmh is None else f"{snap.speed_meas_kmh:.1f}"
    alarms = ",".join(sorted(_uncleared_alarms(snap)))
    advice = ""
    if snap.advisory_mode and snap.advised_speed_kmh is not None:
        advice = f" SET SPEED {snap.advised_speed_kmh:.1f} km/h"
    if snap.hr_failover_active:
        advice += " HR FROM TREADMILL (lower quality)"
    elif snap.hr_failover_available:
        advice += " TREADMILL HR OFFERED (SIGUSR1 to use it)"
    if str(snap.state) == "paused":
        advice += " PAUSED (SIGUSR1 or r resumes)"
    return (
        f"[{snap.session_elapsed_s:7.0f} s] {snap.state}: HR {hr} bpm "
        f"(zone {snap.zone_low_bpm:.0f}-{snap.zone_high_bpm:.0f}), "
        f"speed {speed}/{snap.speed_cmd_kmh:.1f} km/h, incline {snap.incline_cmd_pct:.1f} %"
        f"{advice}{' ALARM ' + alarms if alarms else ''}\n"
    )


def _uncleared_alarms(snap: SessionSnapshot) -> set[str]:
    """Kinds of the alarms still active (the snapshot also lists cleared, unacknowledged)."""
    return {str(a.kind) for a in snap.active_alarms if a.cleared_t_s is None}


async def run_station(
    station: Station,
    *,
    status_every_s: float = 10.0,
    pause_timeout_s: float = DEFAULT_PAUSE_TIMEOUT_S,
    stdin: TextIO | None = None,
) -> int:
    """Connect, preflight, run the session to its end and shut down safely.

    The first SIGINT/SIGTERM submits ``StopSession`` (belt stopped, session ``stopped``),
    a second one ``EmergencyStop``. SIGUSR1 resumes a paused session; otherwise, when the
    strap is lost and the treadmill reports a heart rate, the failover is offered on
    stdout, never taken silently, and SIGUSR1 accepts it (``AcceptHrFailover``). If
    ``stdin`` (default ``sys.stdin``) is a terminal it is read without blocking, one key
    at a time (see the module docstring). A pause longer than ``pause_timeout_s``
    (station clock; 0 = never) submits ``StopSession``. The station is always shut down
    (belt stopped, recording finished, devices disconnected).

    Returns:
        the process exit code.
    """
    from runningroom.errors import DeviceError, RecordingError
    from runningroom.session.model import (
        AcceptHrFailover,
        EmergencyStop,
        PauseSession,
        ResumeSession,
        StopSession,
    )

    loop = asyncio.get_running_loop()
    clock = getattr(station, "clock", None)

    def now_s() -> float:
        return float(clock.monotonic_s()) if clock is not None else loop.time()

    interrupts = 0
    paused_since_s: float | None = None
    pause_timed_out = False

    def on_signal() -> None:
        nonlocal interrupts
        interrupts += 1
        # submit first: writing to a broken stdout must not swallow the stop
        if interrupts == 1:
            station.submit(StopSession())
            _say("stopping: belt to standstill, session ends as stopped\n")
        else:
            station.submit(EmergencyStop())
            _say("emergency stop\n")

    def on_accept_failover() -> None:
        # the headless stand-in for the GUI's "use treadmill HR" button: never automatic
        station.submit(AcceptHrFailover(accept=True))
        _say("using the treadmill's heart rate (lower quality) while the strap is lost\n")

    def on_resume() -> None:
        station.submit(ResumeSession())
        _say("resuming the session\n")

    def on_usr1() -> None:
        if paused_since_s is not None:
            on_resume()
        else:
            on_accept_failover()

    def on_key(key: str) -> None:
        if key == "r":
            on_resume()
        elif key == "p":
            station.submit(PauseSession())
            _say("pausing: belt to standstill\n")
        elif key in ("s", "q"):
            on_signal()
        elif key == "u":
            on_accept_failover()

    handlers = [(signal.SIGINT, on_signal), (signal.SIGTERM, on_signal)]
    if hasattr(signal, "SIGUSR1"):
        handlers.append((signal.SIGUSR1, on_usr1))
    installed: list[signal.Signals] = []
    for sig, handler in handlers:
        try:
            loop.add_signal_handler(sig, handler)
            installed.append(sig)
        except (NotImplementedError, RuntimeError):  # not the main thread / Windows
            logger.debug("cannot install a handler for %s", sig)

    last_status_s = -1e9
    shown_alarms: set[str] = set()
    offered = False

    def on_snapshot(snap: SessionSnapshot) -> None:
        nonlocal last_status_s, offered, paused_since_s, pause_timed_out
        if snap.hr_failover_available and not offered:
            _say(
                "heart-rate strap lost; the treadmill reports a heart rate (lower quality): "
                f"send SIGUSR1 (kill -USR1 {os.getpid()}) to use it\n"
            )
        offered = snap.hr_failover_available
        if str(snap.state) == "paused":
            if paused_since_s is None:
                paused_since_s = now_s()
                limit = f"; ends as stopped after {pause_timeout_s:g} s" if pause_timeout_s else ""
                _say(
                    f"session paused: SIGUSR1 (kill -USR1 {os.getpid()}) or r resumes, "
                    f"SIGTERM, Ctrl-C, s or q ends it{limit}\n"
                )
            elif (
                pause_timeout_s > 0
                and not pause_timed_out
                and now_s() - paused_since_s >= pause_timeout_s
            ):
                pause_timed_out = True
                station.submit(StopSession(reason=f"pause timeout after {pause_timeout_s:g} s"))
                _say(
                    f"pause timeout: paused for {pause_timeout_s:g} s; belt to standstill, "
                    "session ends as stopped\n"
                )
        else:
            paused_since_s = None
        alarms = _uncleared_alarms(snap)
        new_alarm = bool(alarms - shown_alarms)
        shown_alarms.intersection_update(alarms)
        shown_alarms.update(alarms)
        if snap.session_elapsed_s - last_status_s >= status_every_s or new_alarm:
            last_status_s = snap.session_elapsed_s
            _say(_status_line(snap))

    station.add_snapshot_listener(on_snapshot)
    keys = _KeyReader(stdin if stdin is not None else sys.stdin, on_key)
    if keys.start(loop):
        _say("keys: r resume, p pause, s or q stop the session, u use the treadmill HR\n")
    try:
        try:
            preflight = await station.connect()
        except DeviceError as exc:
            return _fail(EXIT_DEVICE, str(exc))
        for message in preflight.messages or ("devices ready",):
            _say(f"preflight: {message}\n")
        try:
            summary = await station.run()  # starts the session (warm-up) itself
        except RecordingError as exc:
            # the start opens the recording (the belt is not started when that fails);
            # later database trouble is normally an alarm inside the session
            started = getattr(station, "session_id", None) is not None
            what = (
                "the session ended on a recording error"
                if started
                else ("the session did not start")
            )
            return _fail(EXIT_RECORDING, f"{what}: {exc}")
        summary_dict: dict[str, Any] = summary.to_dict()
        _say(json.dumps(summary_dict, indent=2, default=str) + "\n")
        return EXIT_OK
    finally:
        keys.stop(loop)
        for sig in installed:
            loop.remove_signal_handler(sig)
        await station.shutdown()


class _KeyReader:
    """Single keys from a terminal, read without blocking the event loop.

    Only a TTY is read (then switched to cbreak mode, restored by :meth:`stop`); a pipe
    or ``/dev/null`` is left alone, so scripts use signals instead.
    """

    def __init__(self, stream: TextIO, on_key: Callable[[str], None]) -> None:
        self._stream = stream
        self._on_key = on_key
        self._fd: int | None = None
        self._saved: list[Any] | None = None

    def start(self, loop: asyncio.AbstractEventLoop) -> bool:
        """Start reading; False when the stream is not a terminal (or cannot be read)."""
        try:
            if not self._stream.isatty():
                return False
            fd = self._stream.fileno()
        except (OSError, ValueError, AttributeError):
            return False
        try:
            import termios
            import tty

            self._saved = termios.tcgetattr(fd)
            tty.setcbreak(fd)
        except (ImportError, OSError, termios.error) as exc:
            logger.debug("cannot switch the terminal to cbreak mode: %s", exc)
            self._saved = None
        try:
            loop.add_reader(fd, self._read)
        except (NotImplementedError, OSError, ValueError):
            self._restore(fd)
            return False
        self._fd = fd
        return True

    def _read(self) -> None:
        assert self._fd is not None
        try:
            data = os.read(self._fd, 64)
        except OSError:
            data = b""
        if not data:  # terminal gone: stop reading, signals still work
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_reader(self._fd)
            return
        for key in data.decode(errors="ignore").lower():
            self._on_key(key)

    def _restore(self, fd: int) -> None:
        if self._saved is None:
            return
        try:
            import termios

            termios.tcsetattr(fd, termios.TCSADRAIN, self._saved)
        except Exception as exc:  # termios.error, OSError: the terminal went away
            logger.debug("cannot restore the terminal: %s", exc)
        self._saved = None

    def stop(self, loop: asyncio.AbstractEventLoop) -> None:
        """Stop reading and restore the terminal mode."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(Exception):
            loop.remove_reader(fd)
        self._restore(fd)
