"""Starting without a trusted HR: the therapist's recorded choice, straight to the warm-up."""

from __future__ import annotations

from runningroom.session.model import HrQuality, SessionState, StartSession
from tests.core.engine_fakes import Rig


def test_start_without_hr_enters_the_warmup_and_records_the_choice() -> None:
    rig = Rig()
    rig.hr_override = lambda _t, _hr: None  # the strap sends nothing
    rig.command(StartSession(without_hr=True))
    assert rig.engine.state is SessionState.WARMUP
    overrides = [
        e for e in rig.sink.kinds("override") if e.data.get("command") == "continue_without_hr"
    ]
    assert len(overrides) == 1 and overrides[0].data["enabled"] is True
    assert ("preflight", "warmup", "therapist") in rig.sink.states()
    assert rig.engine.snapshot().continue_without_hr


def test_a_plain_start_still_waits_for_a_trusted_hr() -> None:
    rig = Rig()
    rig.hr_override = lambda _t, _hr: None
    rig.command(StartSession())
    rig.run(20)
    assert rig.engine.state is SessionState.PREFLIGHT
    assert not rig.engine.snapshot().continue_without_hr


def test_hr_quality_now_sees_a_strap_gone_silent_before_any_tick() -> None:
    rig = Rig()
    rig.feed()
    assert rig.engine.hr_quality_now(rig.now_s) is HrQuality.OK
    assert rig.engine.hr_quality_now(rig.now_s + 10.0) is HrQuality.STALE
