"""Warm-up behaviour on the simulated patient: a warm-up does not slow a patient down.

Before the floor, the controller took jogging warm-ups from 4.5 km/h down to about 2 km/h
(standard: 3.5 -> 1.9) after the phase-I HR jump overshot the ramping target.
"""

from __future__ import annotations

import asyncio

import pytest

from runningroom.profiles_io import demo_profile, find_template
from runningroom_app.wiring.simulated import run_simulation


@pytest.mark.parametrize("template_name", ["standard", "walking", "jogging"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_warmup_slows_at_most_a_little_below_the_start_speed_unless_hr_is_above_the_zone(
    template_name: str, seed: int
) -> None:
    result = asyncio.run(
        run_simulation(demo_profile(), find_template(template_name), seed=seed, faults=False)
    )
    engine = result.engine
    warmup = [s for s in engine.samples if s.phase == "warmup" and s.speed_cmd_kmh is not None]
    assert warmup, "the session has a warm-up"
    start_kmh = warmup[0].speed_cmd_kmh
    assert start_kmh is not None
    zone_high = engine.prescription.zone_high_bpm
    slack_kmh = engine.config.warmup_max_slowdown_kmh
    assert slack_kmh <= 0.6
    for sample in warmup:
        assert sample.speed_cmd_kmh is not None
        if sample.hr_filtered_bpm is not None and sample.hr_filtered_bpm <= zone_high:
            assert sample.speed_cmd_kmh >= start_kmh - slack_kmh - 1e-9, (
                sample.t_s,
                sample.speed_cmd_kmh,
            )
    # and the warm-up still hands over a patient near the zone
    assert result.summary.entry_time_s is not None
    assert result.summary.entry_time_s < 240
