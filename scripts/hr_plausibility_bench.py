"""HR plausibility benchmark: false alarms on real HR, detection of wrong-but-plausible HR.

For every patient of the simulated cohort (:mod:`drivers.sim`, the same cohort as
``runningroom bench``) one session (8 min warm-up, 30 min main phase, 7 min cool-down)
is run in closed loop with the model controller on a clean chest strap or optical
sensor, with handrail holding (10-20 % less load for 30-120 s, about 1.5 episodes per
45 min) on top of the model's drift and HRV. Even patients get a constant target, odd
patients the +/-6 bpm square wave (the load moves). The session's belt load and true HR
are then replayed through a fresh sensor, a fault family corrupts the *measured* HR
from ``--onset`` on, :class:`~runningroom.session.supervisor.HrQualityGate` decides
which samples are trusted, and :class:`~runningroom.session.plausibility.PlausibilityMonitor`
judges them; the controller's identified plant is handed to it at the end of the
warm-up, as the engine would.

Rows: "real HR" = sessions without a fault (any IMPLAUSIBLE verdict is a false alarm);
with ``--sim-faults``, "simulator sensor faults" = the simulator's own dropouts, spikes,
frozen values and optical cadence locks (flags there are mostly right, listed for
information); then each failure family from ``--onset`` (and half the true HR from
240 s, before the plant is identified): share of sessions flagged and the median /
90th-percentile / max delay after the onset. Beside it: how often the quality gate
already kept the HR untrusted for 10 s within 10 min of the onset, and the detection
among the sessions where the fault is physically visible (median reported-minus-true
error of at least 15 bpm over its first 5 min). The monitor is given every sample
inside 30-230 bpm as trusted, so the table measures the monitor itself.
The replay keeps the load of the clean session: a controller driven by the wrong HR
would usually move the load more (toward the patient's maximum), which makes most
faults easier to see, so the delays here are on the conservative side.

Usage: ``python scripts/hr_plausibility_bench.py [--patients 100] [--seed 1]``
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import logging
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from drivers.sim.patient import HandrailHolding
from drivers.sim.sensor import cadence_spm
from runningroom.bench.case import BenchCase, HrReader
from runningroom.bench.runner import BenchProtocol, build_controller, run_session
from runningroom.control.base import PlantEstimate
from runningroom.devices import HrSample
from runningroom.session.plausibility import PlausibilityMonitor
from runningroom.session.supervisor import HrQualityGate
from runningroom_app.cli.bench import SimCohortFactory

logger = logging.getLogger("hr_plausibility_bench")

#: (t_s, reported bpm, belt speed, onset_s, state) -> corrupted bpm or None
Fault = Callable[[float, int, float, float, dict[str, float]], int | None]


def _half(t: float, bpm: int, v: float, onset: float, st: dict[str, float]) -> int | None:
    return round(bpm / 2)


def _cadence(t: float, bpm: int, v: float, onset: float, st: dict[str, float]) -> int | None:
    # the reading drifts onto the cadence with an 8 s time constant (no jump to catch)
    blend = 1.0 - math.exp(-(t - onset + 1.0) / 8.0)
    noise = float((int(t) * 7919) % 5 - 2)  # +/-2 spm of step-to-step variation
    return round(bpm + (cadence_spm(v) + noise - bpm) * blend)


def _drift(t: float, bpm: int, v: float, onset: float, st: dict[str, float]) -> int | None:
    return round(bpm - 0.5 * (t - onset) / 60.0)


def _toggle(t: float, bpm: int, v: float, onset: float, st: dict[str, float]) -> int | None:
    if "stuck" not in st:
        st["stuck"] = float(bpm)
    return int(st["stuck"]) + int(t) % 2


FAMILIES: dict[str, Fault] = {
    "half the true HR": _half,
    "optical cadence lock": _cadence,
    "dying sensor, -0.5 bpm/min": _drift,
    "stuck, toggling by 1 bpm": _toggle,
}


@dataclass(frozen=True, slots=True)
class Replay:
    """One clean closed-loop session, ready to be replayed with faults."""

    case: BenchCase
    belt_kmh: np.ndarray
    incline_pct: np.ndarray
    true_bpm: np.ndarray
    plant: PlantEstimate | None
    warmup_s: float


def record(case: BenchCase, protocol: BenchProtocol, steps: bool, seed: int) -> Replay:
    """Run the clean closed-loop session (with handrail holding) and keep its load."""
    inner = case.new_patient
    with_rail = dataclasses.replace(case, new_patient=lambda: HandrailHolding(inner(), seed=seed))
    controller = build_controller("model", with_rail, protocol)
    trace = run_session(with_rail, controller, protocol, steps=steps)
    # the belt during tick k is the command of tick k-1
    speed = np.concatenate(([case.start_speed_kmh], trace.speed_kmh[:-1]))
    incline = np.concatenate(([case.limits.min_incline_pct], trace.incline_pct[:-1]))
    return Replay(
        with_rail,
        speed,
        incline,
        trace.hr_true_bpm,
        controller.plant_estimate(),
        protocol.warmup_s,
    )


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one replay gave.

    Attributes:
        monitor_delay_s: onset (or session start) to the first IMPLAUSIBLE, or None.
        gate_delay_s: onset to the first 10 s the gate kept the HR untrusted, or None.
        error_bpm: median |reported - true HR| over the first 5 min after the onset.
        first: the first IMPLAUSIBLE verdict, for ``--explain``.
    """

    monitor_delay_s: float | None
    gate_delay_s: float | None
    first: str = ""
    error_bpm: float = 0.0


#: The gate counts as having caught a fault once it kept the HR untrusted this long...
GATE_CATCH_S = 10.0
#: ...within this time of the onset (fault replays stop there once the monitor flagged).
GATE_HORIZON_S = 600.0


class Judge:
    """Sensor, quality gate and plausibility monitor of one replay (copyable at an onset).

    The monitor is given every sample the gate's per-sample range check would pass
    (30-230 bpm) as trusted, so its own detections are measured; the gate's verdict is
    reported beside it.
    """

    def __init__(self, rep: Replay, sensor: HrReader) -> None:
        self.rep = rep
        self.sensor = sensor
        self.gate = HrQualityGate()
        self.monitor = PlausibilityMonitor(rep.case.hr_rest_bpm)
        self.state: dict[str, float] = {}
        self.untrusted_since: float | None = None
        self.k = 0

    def run(self, fault: Fault | None, onset_s: float, until_s: float | None = None) -> Outcome:
        """Advance to ``until_s`` (or the end); delays count from ``onset_s``."""
        rep = self.rep
        monitor_delay: float | None = None
        gate_delay: float | None = None
        first = ""
        errors: list[float] = []
        n = len(rep.true_bpm)
        while self.k < n:
            t = float(self.k + 1)
            if until_s is not None and t > until_s:
                break
            v = float(rep.belt_kmh[self.k])
            inc = float(rep.incline_pct[self.k])
            bpm = self.sensor.read(t, float(rep.true_bpm[self.k]), v)
            if bpm is not None and fault is not None and t >= onset_s:
                bpm = fault(t, bpm, v, onset_s, self.state)
            true = float(rep.true_bpm[self.k])
            if bpm is not None and onset_s <= t < onset_s + 300.0:
                errors.append(abs(bpm - true))
            self.gate.note_speed(v)
            if bpm is not None:
                self.gate.add(HrSample(t_s=t, hr_bpm=bpm))
            if self.gate.quality(t).trusted:
                self.untrusted_since = None
            elif self.untrusted_since is None:
                self.untrusted_since = t
            since = self.untrusted_since
            if (
                gate_delay is None
                and since is not None
                and t - since >= GATE_CATCH_S
                and onset_s <= since <= onset_s + GATE_HORIZON_S
            ):
                gate_delay = since - onset_s
            if self.k + 1 == int(rep.warmup_s):
                self.monitor.set_plant(t, rep.plant)
            valid = bpm is not None and 30 <= bpm <= 230
            verdict = self.monitor.observe(t, bpm, valid, v, inc)
            self.k += 1
            if monitor_delay is None and not verdict.plausible and t >= onset_s:
                monitor_delay = t - onset_s
                first = (
                    f"t={t:.0f} s {verdict.reason}: HR {verdict.measured_hr_bpm}, predicted "
                    f"{verdict.predicted_hr_bpm:.1f} band {verdict.band_low_bpm:.1f}-"
                    f"{verdict.band_high_bpm:.1f}, identified {verdict.identified}, "
                    f"true {rep.true_bpm[self.k - 1]:.1f}, belt {v:.1f} km/h {inc:.1f} %"
                )
            done_gate = gate_delay is not None or t > onset_s + GATE_HORIZON_S
            if fault is not None and monitor_delay is not None and done_gate:
                break
        error = statistics.median(errors) if errors else 0.0
        return Outcome(monitor_delay, gate_delay, first, error)


def replay_families(rep: Replay, onset_s: float) -> dict[str, Outcome]:
    """Each fault family from ``onset_s`` on, sharing the clean run up to the onset."""
    judge = Judge(rep, rep.case.new_sensor())
    judge.run(None, 0.0, until_s=onset_s - 1.0)
    return {name: copy.deepcopy(judge).run(fault, onset_s) for name, fault in FAMILIES.items()}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


#: A fault whose median error over its first 5 min is below this is not counted as
#: physically detectable (it stays inside HRV, handrail and gain uncertainty).
DETECTABLE_ERROR_BPM = 15.0


def _detectable(outcomes: list[Outcome]) -> str:
    big = [o for o in outcomes if o.error_bpm >= DETECTABLE_ERROR_BPM]
    if all(o.error_bpm == 0.0 for o in outcomes):
        return "-"
    hit = [o.monitor_delay_s for o in big if o.monitor_delay_s is not None]
    med = _fmt(statistics.median(hit) if hit else None)
    return f"{len(hit)}/{len(big)}, median {med}"


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} s"


def main() -> None:
    """Run every row over the cohort and log the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--onset", type=float, default=900.0, help="fault onset, s")
    parser.add_argument(
        "--sim-faults", action="store_true", help="add a row with the simulator's faults"
    )
    parser.add_argument("--explain", action="store_true", help="print each first alarm")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    t0 = time.monotonic()
    protocol = BenchProtocol()
    clean = SimCohortFactory(args.patients, args.seed, faults=False)
    faulty = SimCohortFactory(args.patients, args.seed, faults=True)
    replays = [
        record(clean(i), protocol, steps=i % 2 == 1, seed=args.seed * 1009 + i)
        for i in range(args.patients)
    ]
    identified = sum(r.plant is not None for r in replays)
    rows: list[tuple[str, list[Outcome]]] = [
        (
            "real HR (drift, HRV, handrail)",
            [Judge(r, r.case.new_sensor()).run(None, 0.0) for r in replays],
        )
    ]
    if args.sim_faults:
        rows.append(
            (
                "simulator sensor faults (info)",
                [Judge(r, faulty(i).new_sensor()).run(None, 0.0) for i, r in enumerate(replays)],
            )
        )
    per_patient = [replay_families(r, args.onset) for r in replays]
    for name in FAMILIES:
        rows.append((name, [outcomes[name] for outcomes in per_patient]))
    rows.append(
        (
            "half the true HR, prior only (240 s)",
            [Judge(r, r.case.new_sensor()).run(_half, 240.0) for r in replays],
        )
    )
    logger.info(
        "%d patients (seed %d), %d with an identified plant; fault onset %.0f s",
        args.patients,
        args.seed,
        identified,
        args.onset,
    )
    logger.info(
        "%-38s | %-34s | %-17s | %s",
        "",
        "plausibility monitor",
        "gate (>= 10 s)",
        "detectable (error >= 15 bpm): flagged",
    )
    logger.info(
        "%-38s | %9s %7s %7s %7s | %9s %7s | %s",
        "scenario",
        "flagged",
        "median",
        "p90",
        "max",
        "flagged",
        "median",
        "",
    )
    for name, outcomes in rows:
        hit = [o.monitor_delay_s for o in outcomes if o.monitor_delay_s is not None]
        gate = [o.gate_delay_s for o in outcomes if o.gate_delay_s is not None]
        logger.info(
            "%-38s | %4d/%-4d %7s %7s %7s | %4d/%-4d %7s | %s",
            name,
            len(hit),
            len(outcomes),
            _fmt(statistics.median(hit) if hit else None),
            _fmt(_pct(hit, 0.9) if hit else None),
            _fmt(max(hit) if hit else None),
            len(gate),
            len(outcomes),
            _fmt(statistics.median(gate) if gate else None),
            _detectable(outcomes),
        )
        if args.explain:
            for i, o in enumerate(outcomes):
                if o.first:
                    logger.info("    patient %d: %s", i, o.first)
    logger.info("elapsed %.0f s", time.monotonic() - t0)


if __name__ == "__main__":
    main()
