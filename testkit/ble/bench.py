"""Latency and CPU benchmark of the BLE device layer (not a test; prints numbers).

Run::

    python -m testkit.ble.bench [--samples 400] [--busy] [--mode device|station]

*Latency*: from a Heart Rate Measurement notification arriving in
:class:`~drivers.ble.heart_rate.BleHeartRateStrap` to the resulting Set Target Speed
written to the simulated FTMS control point (real bleak calls over the project's fake
backend). ``device`` mode turns every sample into a speed command directly (the device
layer alone); ``station`` mode runs the real :class:`~runningroom.station.Station`
(engine, supervisor, model controller) and triggers a control step on every HR sample,
timing only the samples whose step wrote a speed. ``--bluez`` measures the same path
through a private D-Bus, BlueZoo and the simulated peripherals in their own processes
(unmodified bleak, BlueZ backend). ``--busy`` adds a thread that keeps
the interpreter busy the way a GUI thread drawing plots does (numpy work plus pure-Python
loops holding the GIL).

*CPU*: process CPU time per notification with both devices streaming at an accelerated
rate, and the share spent in the driver callbacks, extrapolated to a 45-minute session
at real rates (HR 1 Hz, Treadmill Data 4 notifications/s).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import math
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drivers.ble.ftms import FtmsTreadmill
from drivers.ble.heart_rate import BleHeartRateStrap
from drivers.ble.link import BleOptions
from runningroom.clock import Clock, ScaledClock, SystemClock
from runningroom.devices import HrSample
from testkit.ble.fake_backend import FakeRadio
from testkit.ble.peripherals import SimFtmsTreadmill, SimHrStrap

FTMS_ADDRESS = "F0:00:00:00:00:01"
HR_ADDRESS = "C0:00:00:00:00:02"
SESSION_S = 45 * 60
REAL_HR_HZ = 1.0
REAL_FTMS_NOTIFICATIONS_HZ = 4.0


def _options(radio: FakeRadio) -> BleOptions:
    return BleOptions(
        client_backend=radio.client_backend,
        scanner_backend=radio.scanner_backend,
        scan_timeout_s=2.0,
        connect_timeout_s=2.0,
    )


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


class _Busy:
    """A thread that keeps the GIL busy like a GUI thread redrawing plots."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="busy-gui", daemon=True)

    def _run(self) -> None:
        import numpy as np

        xs = np.linspace(0.0, 100.0, 20000)
        while not self._stop.is_set():
            ys = np.sin(xs) * np.cos(xs * 0.5)  # "plot data"
            _ = float(ys.max())
            acc = 0
            for i in range(20000):  # pure-Python work, holds the GIL
                acc += i * i
            time.sleep(0.001)

    def __enter__(self) -> _Busy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


class _Rig:
    def __init__(
        self, *, hr_period_s: float, ftms_period_s: float, clock: Clock | None = None
    ) -> None:
        self.radio = FakeRadio()
        self.tm_sim = self.radio.add(
            SimFtmsTreadmill(address=FTMS_ADDRESS, period_s=ftms_period_s, replay_captures=False)
        )
        self.hr_sim = self.radio.add(
            SimHrStrap(address=HR_ADDRESS, period_s=hr_period_s, replay_captures=False)
        )
        clock = clock or SystemClock()
        self.clock = clock
        self.treadmill = FtmsTreadmill(FTMS_ADDRESS, clock, options=_options(self.radio))
        self.strap = BleHeartRateStrap(HR_ADDRESS, clock, options=_options(self.radio))
        self.t_arrive_s = 0.0
        self.speed_writes: list[float] = []
        self.driver_cpu_s = 0.0
        self.notifications = 0
        original_write = self.tm_sim._handle_write

        def timed_write(uuid: str, data: bytes) -> None:
            if data[:1] == b"\x02":
                self.speed_writes.append(time.perf_counter())
            original_write(uuid, data)

        self.tm_sim._handle_write = timed_write  # type: ignore[method-assign]
        self._wrap_handler(self.strap, "_on_measurement", arrival=True)
        self._wrap_handler(self.treadmill, "_on_treadmill_data", arrival=False)

    def _wrap_handler(self, device: Any, name: str, *, arrival: bool) -> None:
        original: Callable[..., None] = getattr(device, name)

        def wrapper(char: Any, data: bytearray) -> None:
            t0 = time.perf_counter()
            if arrival:
                self.t_arrive_s = t0
            c0 = time.thread_time()
            original(char, data)
            self.driver_cpu_s += time.thread_time() - c0
            self.notifications += 1

        setattr(device, name, wrapper)

    async def connect(self) -> None:
        await self.treadmill.connect()
        await self.strap.connect()
        await self.treadmill.start()

    async def close(self) -> None:
        await self.strap.disconnect()
        await self.treadmill.disconnect()
        await self.tm_sim.aclose()
        await self.hr_sim.aclose()


async def _latency_device(samples: int) -> list[float]:
    rig = _Rig(hr_period_s=3600.0, ftms_period_s=0.25)
    await rig.connect()
    pending: set[asyncio.Task[None]] = set()

    def on_sample(sample: HrSample) -> None:
        # a trivial "controller": every sample changes the target
        task = asyncio.get_running_loop().create_task(
            rig.treadmill.set_speed(4.0 + (sample.hr_bpm % 2) * 0.5)
        )
        pending.add(task)
        task.add_done_callback(pending.discard)

    rig.strap.add_sample_listener(on_sample)
    latencies_ms: list[float] = []
    try:
        for i in range(samples):
            n_writes = len(rig.speed_writes)
            rig.hr_sim.send_now(100 + i % 2)
            while len(rig.speed_writes) == n_writes:
                await asyncio.sleep(0)
            latencies_ms.append((rig.speed_writes[-1] - rig.t_arrive_s) * 1000)
            await asyncio.sleep(0.002)
    finally:
        await rig.close()
    return latencies_ms


async def _latency_station(hr_samples: int) -> tuple[list[float], int]:
    from runningroom.profiles_io import find_patient, find_template
    from runningroom.session.model import SkipPhase
    from runningroom.station import Station

    # Session time runs 50x faster so that the controller acts about once per HR sample
    # (HR every 20 ms of real time = every second of session time); Treadmill Data too.
    rig = _Rig(hr_period_s=3600.0, ftms_period_s=0.02, clock=ScaledClock(50.0))
    station = Station(
        name="bench",
        treadmill=rig.treadmill,
        hr_source=rig.strap,
        profile=find_patient("DEMO-001"),
        template=find_template("standard"),
        database=None,
        clock=rig.clock,
        control_period_s=3600.0,
    )
    await station.connect()
    latencies_ms: list[float] = []
    sent = 0
    try:
        runner = asyncio.get_running_loop().create_task(station.run())
        await asyncio.sleep(0.05)
        station.submit(SkipPhase())  # warm-up -> main phase, where the controller acts
        while sent < hr_samples:
            n_writes = len(rig.speed_writes)
            rig.hr_sim.send_now(round(112 + 25 * math.sin(sent / 40)))
            sent += 1
            await asyncio.sleep(0)
            await station.step(rig.clock.monotonic_s())
            if len(rig.speed_writes) > n_writes:
                latencies_ms.append((rig.speed_writes[-1] - rig.t_arrive_s) * 1000)
            await asyncio.sleep(0.02)
        runner.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await runner
    finally:
        await station.shutdown()
        await rig.tm_sim.aclose()
        await rig.hr_sim.aclose()
    return latencies_ms, sent


async def _cpu(duration_s: float) -> dict[str, float]:
    rig = _Rig(hr_period_s=0.005, ftms_period_s=0.005)
    await rig.connect()
    await rig.treadmill.set_speed(6.0)
    rig.notifications = 0
    rig.driver_cpu_s = 0.0
    c0 = time.process_time()
    w0 = time.perf_counter()
    await asyncio.sleep(duration_s)
    cpu_s = time.process_time() - c0
    wall_s = time.perf_counter() - w0
    n = rig.notifications
    driver_cpu_s = rig.driver_cpu_s
    await rig.close()
    per_session = SESSION_S * (REAL_HR_HZ + REAL_FTMS_NOTIFICATIONS_HZ)
    return {
        "notifications": float(n),
        "wall_s": wall_s,
        "process_cpu_us_per_notification": cpu_s / n * 1e6,
        "driver_cpu_us_per_notification": driver_cpu_s / n * 1e6,
        "session_process_cpu_s": cpu_s / n * per_session,
        "session_driver_cpu_s": driver_cpu_s / n * per_session,
        "process_cpu_pct_of_core": cpu_s / n * (REAL_HR_HZ + REAL_FTMS_NOTIFICATIONS_HZ) * 100,
    }


async def _latency_bluez(samples: int, log_dir: Path) -> list[float]:
    """HR notification -> Set Target Speed through D-Bus and BlueZoo (separate processes).

    Both timestamps are CLOCK_MONOTONIC: arrival in the strap's handler here, receipt of
    the write in the simulated treadmill's process.
    """
    from testkit.ble.bluezoo_world import Bluezoo, PeripheralProcess, PrivateBus

    app, tm_addr, hr_addr = "00:00:00:11:11:11", "00:00:00:22:22:22", "00:00:00:33:33:33"
    previous = os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
    with PrivateBus() as bus:
        os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = bus.address
        try:
            with Bluezoo(bus.address, [app, tm_addr, hr_addr], log_dir / "bluezoo.log"):
                tm_proc = PeripheralProcess.start(
                    "ftms", "hci1", tm_addr, bus.address, log_dir / "ftms.log", period_s=0.25
                )
                hr_proc = PeripheralProcess.start(
                    "hr", "hci2", hr_addr, bus.address, log_dir / "hr.log", period_s=0.05
                )
                try:
                    arrivals = await _drive_bluez(samples, tm_addr, hr_addr)
                finally:
                    hr_proc.stop()
                    output = tm_proc.output()
        finally:
            if previous is None:
                os.environ.pop("DBUS_SYSTEM_BUS_ADDRESS", None)
            else:
                os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = previous
    latencies_ms: list[float] = []
    for line in output.splitlines():
        parts = line.split()
        if len(parts) != 4 or not parts[2].startswith("02"):
            continue
        speed_kmh = round(int.from_bytes(bytes.fromhex(parts[2])[1:3], "little") / 100, 2)
        t_write = float(parts[3])
        candidates = [t for t, v in arrivals if v == speed_kmh and t <= t_write]
        if candidates:
            latencies_ms.append((t_write - max(candidates)) * 1000)
    return latencies_ms


async def _drive_bluez(samples: int, tm_addr: str, hr_addr: str) -> list[tuple[float, float]]:
    options = BleOptions(adapter="hci0", scan_timeout_s=10.0, connect_timeout_s=10.0)
    clock = SystemClock()
    treadmill = FtmsTreadmill(tm_addr, clock, options=options)
    strap = BleHeartRateStrap(hr_addr, clock, options=options)
    arrivals: list[tuple[float, float]] = []
    pending: set[asyncio.Task[None]] = set()
    original: Callable[..., None] = strap._on_measurement

    def on_measurement(char: Any, data: bytearray) -> None:
        t_arrival = time.monotonic()
        speed_kmh = round(3.0 + (len(arrivals) % 20) * 0.1, 2)
        arrivals.append((t_arrival, speed_kmh))
        original(char, data)
        task = asyncio.get_running_loop().create_task(treadmill.set_speed(speed_kmh))
        pending.add(task)
        task.add_done_callback(pending.discard)

    strap._on_measurement = on_measurement  # type: ignore[method-assign,assignment]
    await treadmill.connect()
    await treadmill.start()
    await strap.connect()
    try:
        while len(arrivals) < samples:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
    finally:
        await strap.disconnect()
        await treadmill.stop()
        await treadmill.disconnect()
    return arrivals


def _report(name: str, latencies_ms: list[float]) -> None:
    if not latencies_ms:
        sys.stdout.write(f"{name}: no speed commands\n")
        return
    sys.stdout.write(
        f"{name}: n={len(latencies_ms)} median={statistics.median(latencies_ms):.3f} ms "
        f"p99={_percentile(latencies_ms, 99):.3f} ms max={max(latencies_ms):.3f} ms\n"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the numbers; returns the exit code."""
    parser = argparse.ArgumentParser(description="BLE device-layer latency and CPU benchmark")
    parser.add_argument("--samples", type=int, default=400, help="device-mode HR samples")
    parser.add_argument(
        "--station-hr", type=int, default=1500, help="station-mode HR samples (20 ms apart)"
    )
    parser.add_argument("--mode", choices=("device", "station", "all"), default="all")
    parser.add_argument("--busy", action="store_true", help="also measure with a busy thread")
    parser.add_argument("--cpu-seconds", type=float, default=3.0)
    parser.add_argument(
        "--bluez", action="store_true", help="also measure through D-Bus + BlueZoo processes"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    loads = [False, True] if args.busy else [False]
    for busy in loads:
        label = "busy GUI thread" if busy else "idle"
        ctx: Any = _Busy() if busy else None
        if ctx is not None:
            ctx.__enter__()
        try:
            if args.mode in ("device", "all"):
                _report(f"device layer, {label}", asyncio.run(_latency_device(args.samples)))
            if args.mode in ("station", "all"):
                lat, sent = asyncio.run(_latency_station(args.station_hr))
                _report(f"station (engine+controller+devices), {label}, {sent} HR sent", lat)
        finally:
            if ctx is not None:
                ctx.__exit__(None, None, None)
    if args.bluez:
        with tempfile.TemporaryDirectory(prefix="rr-bench-") as log_dir:
            lat = asyncio.run(_latency_bluez(min(args.samples, 400), Path(log_dir)))
        _report("BlueZ D-Bus path (BlueZoo, separate processes), idle", lat)
    cpu = asyncio.run(_cpu(args.cpu_seconds))
    sys.stdout.write(
        "cpu: {n:.0f} notifications in {w:.1f} s; process {p:.1f} us/notification "
        "(driver callbacks {d:.1f} us); 45-min session at real rates: process {sp:.2f} s CPU "
        "(driver {sd:.3f} s), {pct:.3f} % of one core\n".format(
            n=cpu["notifications"],
            w=cpu["wall_s"],
            p=cpu["process_cpu_us_per_notification"],
            d=cpu["driver_cpu_us_per_notification"],
            sp=cpu["session_process_cpu_s"],
            sd=cpu["session_driver_cpu_s"],
            pct=cpu["process_cpu_pct_of_core"],
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
