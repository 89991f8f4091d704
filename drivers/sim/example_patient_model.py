"""Example plug-in patient model: a plain first-order-plus-dead-time HR response.

Use it with ``runningroom simulate --profile DEMO-001 --template walking
--patient-model drivers/sim/example_patient_model.py``.

A plug-in file needs only ``reset`` and ``step`` (see :mod:`drivers.sim.patient`); it
may import numpy or anything else installed. ``create_patient`` receives the
:class:`~drivers.sim.patient.PatientParams` the simulator derived from the profile (so
resting HR and HRmax match the patient) and the run's seed.
"""

from __future__ import annotations

import math
import random
from collections import deque

from drivers.sim.patient import PatientParams


class FirstOrderPatient:
    """HR = rest + gain * speed through a first-order lag with dead time, plus white noise.

    Args:
        hr_rest_bpm: resting heart rate.
        gain_bpm_per_kmh: static gain on belt speed.
        gain_bpm_per_pct: static gain on incline.
        tau_s: time constant.
        dead_time_s: pure delay.
        noise_bpm: SD of white noise added to every step.
        seed: noise seed.
    """

    def __init__(
        self,
        hr_rest_bpm: float = 70.0,
        gain_bpm_per_kmh: float = 8.0,
        gain_bpm_per_pct: float = 3.0,
        tau_s: float = 60.0,
        dead_time_s: float = 5.0,
        noise_bpm: float = 1.5,
        seed: int = 0,
    ) -> None:
        self.hr_rest_bpm = hr_rest_bpm
        self.gain_bpm_per_kmh = gain_bpm_per_kmh
        self.gain_bpm_per_pct = gain_bpm_per_pct
        self.tau_s = tau_s
        self.dead_time_s = dead_time_s
        self.noise_bpm = noise_bpm
        self.seed = seed
        self.reset(0.0, 0.0)

    def _target(self, speed_kmh: float, incline_pct: float) -> float:
        return self.gain_bpm_per_kmh * speed_kmh + self.gain_bpm_per_pct * incline_pct

    def reset(self, speed_kmh: float, incline_pct: float) -> None:
        """Start at equilibrium for the given load."""
        self._rng = random.Random(self.seed)
        self._t_s = 0.0
        self._x_bpm = self._target(speed_kmh, incline_pct)
        self._queue: deque[tuple[float, float]] = deque([(0.0, self._x_bpm)])

    def step(self, dt_s: float, speed_kmh: float, incline_pct: float) -> float:
        """Advance ``dt_s`` seconds; return the true HR in bpm."""
        self._t_s += dt_s
        self._queue.append((self._t_s, self._target(speed_kmh, incline_pct)))
        while len(self._queue) > 1 and self._queue[1][0] <= self._t_s - self.dead_time_s:
            self._queue.popleft()
        delayed = self._queue[0][1]
        self._x_bpm += (delayed - self._x_bpm) * (1.0 - math.exp(-dt_s / self.tau_s))
        return self.hr_rest_bpm + self._x_bpm + self._rng.gauss(0.0, self.noise_bpm)


def create_patient(params: PatientParams, seed: int) -> FirstOrderPatient:
    """Factory the simulator calls: match the profile's resting HR, seed the noise."""
    return FirstOrderPatient(hr_rest_bpm=params.hr_rest_bpm, seed=seed)
