"""Session engine: full sessions in virtual time, transitions, recording."""

from __future__ import annotations

import itertools
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
    speeds = rig.speed_commands()  # the first is the warm-up start speed
    assert max(abs(b - a) for a, b in itertools.pairwise(speeds)) <= 0.3 + 1e-9
    assert isinstance(rig.sent[0][1], StartBeltCommand)
    assert isinstance(rig.sent[1][1], SetSpeedCommand)
    # 1 Hz samples, t_s since session start, no gaps
    ts = [x.t_s for x in rig.sink.samples]
    assert len(ts) >= 2400
    assert all(abs((b - a) - 1.0) < 1e-6 for a, b in itertools.pairwise(ts))
