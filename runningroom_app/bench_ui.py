"""Desktop-app performance numbers: ``python3 -m runningroom_app.bench_ui [--json]``.

Measures, offscreen:

* **time to first window**: from launching ``python3 -m runningroom_app demo`` to the
  console being shown (median of 3 cold processes);
* **redraw time per frame with 60 minutes of data**: :class:`ui.plots.LivePlots`
  ``refresh`` + synchronous repaint, one new row per frame (median, p99);
* **CPU use while a session runs**: process CPU time / wall time during a simulated
  session at 1x and at 10x speed, console and patient screen shown, plots redrawing;
* **HR-to-command latency while the plots redraw**: a simulated session at 10x with the
  plots pre-filled with 60 minutes of data: for every treadmill command, the wall time
  since the newest HR sample the engine had (median, p99, max), and the lateness of the
  control ticks on the worker loop against their schedule.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100.0 * (len(ordered) - 1))))
    return ordered[index]


def first_window_s(runs: int = 3) -> list[float]:
    """Wall seconds from process launch to the first shown window (cold processes)."""
    code = (
        "import time, sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "import ui\n"
        "app = QApplication(sys.argv[:1])\n"
        "from runningroom_app.desktop import create_window\n"
        "w = create_window(True, 1.0)\n"
        "w.show(); app.processEvents()\n"
        "print(time.time())\n"
        "w.confirm_close = lambda: True; w.close()\n"
    )
    results = []
    for _ in range(runs):
        t0 = time.time()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=120, check=True)
        shown = float(out.stdout.strip().splitlines()[-1])
        results.append(shown - t0)
    return results


def _fill_history(history: Any, minutes: float) -> None:
    from runningroom.session.model import HrQuality, Intent, SessionSnapshot, SessionState

    n = int(minutes * 60)
    for i in range(n):
        t = float(i)
        phase = (SessionState.WARMUP if t < 480 else SessionState.MAIN if t < 2280
                 else SessionState.COOLDOWN)
        hr = 110 + 8 * __import__("math").sin(t / 90.0) + (i * 7919 % 13) * 0.3
        history.add(SessionSnapshot(
            t_s=t, state=phase, phase=phase, phase_elapsed_s=0.0, phase_remaining_s=0.0,
            session_elapsed_s=t, hr_bpm=int(hr), hr_filtered_bpm=hr,
            hr_quality=HrQuality.OK, target_bpm=115.0, zone_low_bpm=105.0,
            zone_high_bpm=125.0, ceiling_bpm=150.0, speed_cmd_kmh=5.0 + (i % 50) * 0.01,
            speed_meas_kmh=5.0, incline_cmd_pct=1.0, incline_meas_pct=1.0,
            distance_m=t * 1.3, target_offset_bpm=0.0, controller_held=False,
            controller_suspended=False, advisory_mode=False, intent=Intent.HOLD))
        if i % 400 == 0:
            history.add_marker("alarm", "alarm")


def redraw_ms(frames: int = 300) -> list[float]:
    """Per-frame redraw time (ms) of the live plots holding 60 minutes of data."""
    from PySide6.QtWidgets import QApplication

    from ui.plots import LivePlots, SessionHistory

    app = QApplication.instance() or QApplication(sys.argv[:1])
    history = SessionHistory()
    _fill_history(history, 60.0)
    plots = LivePlots(history)
    plots.resize(960, 560)
    plots.show()
    app.processEvents()
    last = history._data[:, len(history) - 1].copy()
    times = []
    for i in range(frames):
        # one more row per frame, like a running session
        snap_x = float(last[0]) + (i + 1) / 60.0
        history._data[:, len(history) - 1] = last
        history._data[0, len(history) - 1] = snap_x
        history.version += 1
        t0 = time.perf_counter()
        plots.refresh()
        plots.graphics.repaint()
        times.append((time.perf_counter() - t0) * 1000.0)
    plots.close()
    return times


def session_numbers(speedup: float, seconds: float, prefill_min: float = 60.0) -> dict[str, Any]:
    """Run a simulated session through the console; CPU, HR-to-command latency, tick lateness."""
    from PySide6.QtWidgets import QApplication

    from runningroom import profiles_io
    from runningroom_app.desktop import make_builder
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    db = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    template = profiles_io.find_template("standard")
    window = MainWindow(make_builder(speedup, db), [profiles_io.demo_profile()], [template],
                        demo=True)
    window.resize(1366, 768)
    window.show()
    window.show_patient_screen(True)
    deadline = time.monotonic() + 20
    while not window.connected_ok and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    setup = window.bridge.setup
    station, treadmill, strap = setup.station, setup.treadmill, setup.hr_source
    hr_times: list[float] = []
    cmd_latency: list[float] = []
    tick_times: list[float] = []

    original_emit = strap._emit_sample

    def emit(sample: Any) -> None:
        hr_times.append(time.perf_counter())
        original_emit(sample)

    def wrap(name: str) -> None:
        original = getattr(treadmill, name)

        async def command(*args: Any) -> None:
            if hr_times:
                cmd_latency.append((time.perf_counter() - hr_times[-1]) * 1000.0)
            await original(*args)

        setattr(treadmill, name, command)

    original_step = station.step

    async def step(now_s: float) -> None:
        tick_times.append(time.perf_counter())
        await original_step(now_s)

    strap._emit_sample = emit
    wrap("set_speed")
    wrap("set_incline")
    station.step = step
    if prefill_min:
        _fill_history(window.history, prefill_min)
    window.start_session()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    frames_before = len(window.plots.frame_times_s)
    while time.perf_counter() - wall0 < seconds:
        app.processEvents()
        time.sleep(0.005)
    cpu = (time.process_time() - cpu0) / (time.perf_counter() - wall0) * 100.0
    frames = window.plots.frame_times_s[frames_before:]
    window.confirm_close = lambda: True
    window.close()
    period = 1.0 / speedup
    lateness = [max(0.0, (b - a) - period) * 1000.0 for a, b in
                itertools.pairwise(tick_times)]
    return {
        "speedup": speedup,
        "seconds": seconds,
        "cpu_pct_of_one_core": round(cpu, 1),
        "hr_samples": len(hr_times),
        "commands": len(cmd_latency),
        "hr_to_command_ms_median": round(statistics.median(cmd_latency), 1)
        if cmd_latency else None,
        "hr_to_command_ms_p99": round(_pct(cmd_latency, 99), 1) if cmd_latency else None,
        "hr_to_command_ms_max": round(max(cmd_latency), 1) if cmd_latency else None,
        "tick_lateness_ms_median": round(statistics.median(lateness), 2) if lateness else None,
        "tick_lateness_ms_p99": round(_pct(lateness, 99), 2) if lateness else None,
        "tick_lateness_ms_max": round(max(lateness), 2) if lateness else None,
        "plot_frames": len(frames),
        "plot_refresh_ms_median": round(statistics.median(frames) * 1000, 2) if frames else None,
    }


def main(argv: list[str] | None = None) -> int:
    """Run every measurement and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true", help="shorter runs")
    args = parser.parse_args(argv)
    os.environ.setdefault("RUNNINGROOM_HOME", tempfile.mkdtemp(prefix="rr-bench-"))
    import ui  # noqa: F401  (refcount workaround before Qt objects exist)

    first = first_window_s(1 if args.quick else 3)
    frames = redraw_ms(100 if args.quick else 300)
    live_1x = session_numbers(1.0, 10.0 if args.quick else 30.0)
    live_10x = session_numbers(10.0, 10.0 if args.quick else 30.0)
    result: dict[str, Any] = {
        "time_to_first_window_s_median": round(statistics.median(first), 2),
        "redraw_60min_ms_median": round(statistics.median(frames), 2),
        "redraw_60min_ms_p99": round(_pct(frames, 99), 2),
        "session_1x": live_1x,
        "session_10x": live_10x,
    }
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        sys.stdout.write(
            f"time to first window (median of {len(first)}): "
            f"{result['time_to_first_window_s_median']} s\n"
            f"redraw per frame, 60 min of data: median {result['redraw_60min_ms_median']} ms,"
            f" p99 {result['redraw_60min_ms_p99']} ms\n")
        for key in ("session_1x", "session_10x"):
            r = result[key]
            sys.stdout.write(
                f"session at {r['speedup']:g}x for {r['seconds']:g} s: CPU "
                f"{r['cpu_pct_of_one_core']} % of one core; HR-to-command latency median "
                f"{r['hr_to_command_ms_median']} ms, p99 {r['hr_to_command_ms_p99']} ms, max "
                f"{r['hr_to_command_ms_max']} ms over {r['commands']} commands; control tick "
                f"lateness median {r['tick_lateness_ms_median']} ms, p99 "
                f"{r['tick_lateness_ms_p99']} ms, max {r['tick_lateness_ms_max']} ms; "
                f"{r['plot_frames']} plot frames (median {r['plot_refresh_ms_median']} ms)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
