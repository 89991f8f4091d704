"""HR gate benchmark: false alarms on healthy sessions, detection of wrong-HR families.

Drives :class:`~runningroom.session.supervisor.HrQualityGate` and
:class:`~runningroom.session.supervisor.SafetySupervisor` with the simulated cohort
(patient model and HR sensor from :mod:`drivers.sim`) on a fixed speed schedule, and
prints, per scenario, the share of sessions with an HR alarm (HR_LOST / HR_UNTRUSTED)
and the median / max delay from the fault onset to the alarm.

Usage: ``python scripts/hr_gate_bench.py [--patients 50] [--seed 1]``
"""

from __future__ import annotations

import argparse
import logging
import statistics
from collections.abc import Callable

from drivers.sim.sensor import cadence_spm
from runningroom.devices import HrSample, SensorContact
from runningroom.session.supervisor import HrQualityGate, SafetySupervisor
from runningroom_app.cli.bench import SimCohortFactory

logger = logging.getLogger("hr_gate_bench")

SESSION_S = 2280
FAULT_AT_S = 900.0

#: (t_s, reported bpm, speed) -> (bpm or None, contact)
Fault = Callable[[float, int, float], tuple[int | None, SensorContact]]


FAMILIES: dict[str, Fault | None] = {
    "half HR": lambda t, bpm, v: (round(bpm / 2), SensorContact.NOT_SUPPORTED),
    "cadence lock": lambda t, bpm, v: (round(cadence_spm(v)), SensorContact.NOT_SUPPORTED),
    "slow drift down": lambda t, bpm, v: (
        round(bpm - 0.1 * (t - FAULT_AT_S)),
        SensorContact.NOT_SUPPORTED,
    ),
    "1 bpm toggle": lambda t, bpm, v: (120 + int(t) % 2, SensorContact.NOT_SUPPORTED),
    "contact flapping": lambda t, bpm, v: (
        bpm,
        SensorContact.NO_CONTACT if int(t) // 5 % 2 else SensorContact.NOT_SUPPORTED,
    ),
    "alternating zeros": lambda t, bpm, v: (0 if int(t) % 2 else bpm, SensorContact.CONTACT),
}


def _speed_kmh(t: float, top_kmh: float) -> float:
    if t < 480.0:
        return 3.0 + (top_kmh - 3.0) * t / 480.0
    return top_kmh + (0.5 if int(t // 300) % 2 else 0.0)


def run_one(index: int, factory: SimCohortFactory, fault: Fault | None) -> float | None:
    """Seconds from the fault onset (or session start) to the first HR alarm, or None."""
    case = factory(index)
    patient = case.new_patient()
    patient.reset(0.0, 0.0)
    sensor = case.new_sensor()
    gate = HrQualityGate()
    sup = SafetySupervisor(case.ceiling_bpm)
    top = min(case.fixed_speed_kmh, case.limits.max_speed_kmh)
    start = FAULT_AT_S if fault is not None else 0.0
    for k in range(1, SESSION_S + 1):
        t = float(k)
        v = _speed_kmh(t, top)
        true = patient.step(1.0, v, 0.0)
        bpm = sensor.read(t, true, v)
        gate.note_speed(v)
        if bpm is not None:
            contact = SensorContact.NOT_SUPPORTED
            if fault is not None and t >= FAULT_AT_S:
                bpm, contact = fault(t, bpm, v)
            if bpm is not None:
                gate.add(HrSample(t_s=t, hr_bpm=bpm, contact=contact))
        q = gate.quality(t)
        verdict = sup.evaluate(t, q, 100.0 if q.trusted else None, flapping=gate.flapping(t))
        if verdict.hr_alarm is not None and t >= start:
            return t - start
    return None


def main() -> None:
    """Run every scenario over the cohort and log one line each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    clean = SimCohortFactory(args.patients, args.seed, faults=False)
    faulty = SimCohortFactory(args.patients, args.seed, faults=True)
    rows: list[tuple[str, SimCohortFactory, Fault | None]] = [
        ("healthy, no sensor faults", clean, None),
        ("healthy, simulator's sensor faults", faulty, None),
    ]
    rows += [(name, clean, fault) for name, fault in FAMILIES.items()]
    for name, factory, fault in rows:
        delays = [run_one(i, factory, fault) for i in range(args.patients)]
        hit = [d for d in delays if d is not None]
        med = f"{statistics.median(hit):.0f}" if hit else "-"
        worst = f"{max(hit):.0f}" if hit else "-"
        logger.info(
            "%-36s alarms %3d/%d  delay median %s s, max %s s",
            name,
            len(hit),
            args.patients,
            med,
            worst,
        )


if __name__ == "__main__":
    main()
