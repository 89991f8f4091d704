"""``runningroom run`` while paused: resume (signal or key), end, pause timeout.

Through the CLI entry point with the simulated devices (``sim:``) on a sped-up clock
(``--speedup``). The simulated treadmill's scheduler injects the console stop that
pauses the session, and sends the signals or presses the keys at set virtual times, so
nothing waits on wall-clock sleeps. A late fallback SIGINT keeps a broken run from
hanging the test (it then fails its assertions).
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import sqlite3
import termios
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import drivers.addresses
from drivers.sim.devices import SimTreadmill
from runningroom.clock import Clock
from runningroom.devices import Treadmill
from runningroom_app.cli import main
from runningroom_app.cli.run import EXIT_OK

SPEEDUP = 50.0
#: earliest virtual time of the console stop that pauses the session (once the belt runs);
#: the other scheduled times count from ``PAUSE_AT_S`` as if the pause came then
PAUSE_AT_S = 30.0
#: a run still going this long (virtual s) after the pause is broken: end it so the test
#: can fail
FALLBACK_END_S = 400.0

Schedule = list[tuple[float, Callable[[], None]]]


def _run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schedule: Schedule, *extra: str
) -> tuple[int, SimTreadmill]:
    opened: list[SimTreadmill] = []
    original = drivers.addresses.open_treadmill

    def open_treadmill(address: str, clock: Clock) -> Treadmill:
        tm = original(address, clock)
        assert isinstance(tm, SimTreadmill)

        def pause_once_the_belt_runs() -> None:
            # connecting may take long on a busy machine: pause a running warm-up, and
            # time the rest of the schedule from the pause
            now_s = tm.clock.monotonic_s()
            if tm.belt_speed_kmh <= 0.0:
                tm.schedule(now_s + 5.0, pause_once_the_belt_runs)
                return
            tm.console_stop()
            for at_s, action in schedule:
                tm.schedule(now_s + at_s - PAUSE_AT_S, action)
            tm.schedule(now_s + FALLBACK_END_S, lambda: os.kill(os.getpid(), signal.SIGINT))

        tm.schedule(PAUSE_AT_S, pause_once_the_belt_runs)
        opened.append(tm)
        return tm

    monkeypatch.setattr(drivers.addresses, "open_treadmill", open_treadmill)
    code = main(
        ["run", "--profile", "DEMO-001", "--treadmill", "sim:", "--hr", "sim:",
         "--db", str(tmp_path / "s.db"), "--speedup", str(SPEEDUP), *extra]
    )  # fmt: skip
    return code, opened[0]


def _statuses(out: str) -> list[tuple[float, str]]:
    """(session elapsed s, state) of every status line."""
    return [(float(t), state) for t, state in re.findall(r"^\[\s*(\d+) s\] (\w+):", out, re.M)]


def _record_status(tmp_path: Path) -> list[str]:
    con = sqlite3.connect(tmp_path / "s.db")
    try:
        return [str(row[0]) for row in con.execute("SELECT status FROM sessions")]
    finally:
        con.close()


def _override_messages(tmp_path: Path) -> list[str]:
    con = sqlite3.connect(tmp_path / "s.db")
    try:
        return [str(r[0]) for r in con.execute("SELECT message FROM events WHERE kind='override'")]
    finally:
        con.close()


def _belt_comes_to_standstill(tm: SimTreadmill) -> bool:
    """True when the belt stands or is commanded to (the Stop may still be in latency)."""
    tm.physics.advance(tm.physics.now_s + 60.0)
    return tm.physics.stopped


def _kill(sig: signal.Signals) -> Callable[[], None]:
    return lambda: os.kill(os.getpid(), sig)


def test_paused_run_ends_as_stopped_after_the_pause_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, tm = _run(tmp_path, monkeypatch, [], "--pause-timeout", "60", "--status-every", "15")
    out = capsys.readouterr().out
    assert code == EXIT_OK
    assert "session paused:" in out and "ends as stopped after 60 s" in out
    assert "pause timeout: paused for 60 s" in out
    assert "stopping: belt to standstill" not in out  # not the fallback signal
    assert '"status": "stopped"' in out
    assert _record_status(tmp_path) == ["stopped"]
    assert _belt_comes_to_standstill(tm)
    overrides = _override_messages(tmp_path)
    assert "session stopped: pause timeout after 60 s" in overrides
    assert "therapist stopped the session" not in overrides
    # while paused the status line follows --status-every (not every tick)
    paused = [t for t, state in _statuses(out) if state == "paused"]
    assert 2 <= len(paused) <= 6
    assert all(b - a >= 14.0 for a, b in itertools.pairwise(paused))


def test_sigusr1_resumes_a_paused_run_and_sigterm_ends_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    schedule: Schedule = [(60.0, _kill(signal.SIGUSR1)), (120.0, _kill(signal.SIGTERM))]
    code, tm = _run(tmp_path, monkeypatch, schedule, "--status-every", "5")
    out = capsys.readouterr().out
    assert code == EXIT_OK
    assert "resuming the session" in out
    states = [state for _, state in _statuses(out)]
    assert "paused" in states
    after_pause = states[states.index("paused") :]
    assert any(state not in ("paused", "stopped") for state in after_pause)  # resumed
    assert "stopping: belt to standstill" in out
    assert _record_status(tmp_path) == ["stopped"]
    assert _belt_comes_to_standstill(tm)
    assert signal.getsignal(signal.SIGUSR1) is signal.SIG_DFL


def test_keys_on_a_terminal_resume_and_end_a_paused_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    master, slave = os.openpty()
    terminal = os.fdopen(slave, "r")
    before = termios.tcgetattr(slave)

    def press(key: bytes) -> Callable[[], None]:
        return lambda: os.write(master, key) and None

    monkeypatch.setattr("sys.stdin", terminal)
    try:
        code, tm = _run(tmp_path, monkeypatch, [(60.0, press(b"r")), (120.0, press(b"q"))])
        after = termios.tcgetattr(slave)
    finally:
        terminal.close()
        os.close(master)
    out = capsys.readouterr().out
    assert code == EXIT_OK
    assert "keys: r resume" in out
    assert "resuming the session" in out and "stopping: belt to standstill" in out
    assert out.index("session paused:") < out.index("resuming the session")
    assert _record_status(tmp_path) == ["stopped"]
    assert _belt_comes_to_standstill(tm)
    assert after == before  # cbreak mode undone


def test_status_line_lists_only_uncleared_alarms() -> None:
    from types import SimpleNamespace

    from runningroom.session.model import Alarm, AlarmKind
    from runningroom_app.cli.run import _status_line

    alarms = (
        Alarm(1, AlarmKind.TREADMILL_NOT_RESPONDING, 1.0, "no data", "held", cleared_t_s=3.0),
        Alarm(2, AlarmKind.CONTROL_LOST, 4.0, "lost", "suspended"),
    )
    snap: Any = SimpleNamespace(
        session_elapsed_s=5.0, hr_bpm=None, speed_meas_kmh=None, active_alarms=alarms,
        advisory_mode=False, advised_speed_kmh=None, state="paused", zone_low_bpm=100.0,
        zone_high_bpm=120.0, speed_cmd_kmh=0.0, incline_cmd_pct=0.0,
        hr_failover_available=False, hr_failover_active=False,
    )  # fmt: skip
    line = _status_line(snap)
    assert "ALARM control_lost" in line
    assert "treadmill_not_responding" not in line
