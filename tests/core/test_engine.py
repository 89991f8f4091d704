"""Session engine: full sessions in virtual time, transitions, recording."""

from __future__ import annotations

import time

from runningroom.session.model import SessionState, SetSpeedCommand, StartBeltCommand
from tests.core.engine_fakes import Rig


def test_full_session_reaches_zone_and_finishes_fast() -> None:
    rig = Rig()
    t0 = time.perf_counter()
    rig.start()
    rig.run_until(lambda: rig.engine.state.is_terminal, max_s=3000)
    elapsed = time.perf_counter() - t0
    assert rig.engine.state is SessionState.FINISHED
    assert elapsed < 1.0
    states = [(f, t) for f, t, _ in rig.sink.states()]
    assert states == [
        ("idle", "preflight"),
        ("preflight", "warmup"),
        ("warmup", "main"),
        ("main", "cooldown"),
        ("cooldown", "finished"),
    ]
    s = rig.engine.summary()
    assert s.entry_time_s is not None and s.entry_time_s < 300
    assert s.time_in_zone_pct_after_entry is not None and s.time_in_zone_pct_after_entry > 95
    assert s.rmse_bpm is not None and s.rmse_bpm < 3.0
    speeds = [0.0, *rig.speed_commands()]
    assert max(abs(b - a) for a, b in zip(speeds[1:], speeds[2:], strict=False)) <= 0.3 + 1e-9
    assert isinstance(rig.sent[0][1], StartBeltCommand)
    assert isinstance(rig.sent[1][1], SetSpeedCommand)
    assert len(rig.sink.samples) >= 2600
