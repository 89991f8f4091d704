"""A treadmill that refuses speed control at Start turns the session advisory."""

from __future__ import annotations

from runningroom.devices import CONTROL_REFUSED_AT_START, DeviceEvent, DeviceEventKind, DeviceRole
from runningroom.session.model import SessionState, SetSpeedCommand, SkipPhase, StopSession
from tests.core.engine_fakes import Rig

TM = DeviceRole.TREADMILL


def _refused_rig() -> Rig:
    rig = Rig()
    rig.start()
    rig.run_until(lambda: rig.engine.state is SessionState.WARMUP, max_s=60)
    rig.event(
        DeviceEvent(
            rig.now_s,
            TM,
            DeviceEventKind.CONTROL_LOST,
            "treadmill refused speed control after Start",
            value=CONTROL_REFUSED_AT_START,
        )
    )
    return rig


def test_speed_refused_at_start_makes_the_session_advisory_and_records_it() -> None:
    rig = _refused_rig()
    assert rig.engine.advisory_mode and rig.engine.snapshot().advisory_mode
    advisory = [e for e in rig.sink.kinds("controller") if e.data.get("action") == "advisory"]
    assert len(advisory) == 1 and "refused speed control" in advisory[0].message
    sent_before = len(rig.sent)
    rig.command(SkipPhase())
    rig.run(120)
    later = [c for _, c in rig.sent[sent_before:] if isinstance(c, SetSpeedCommand)]
    assert later == []  # advised, never commanded
    assert rig.engine.snapshot().advised_speed_kmh is not None
    rig.command(StopSession())
    assert rig.engine.summary().advisory is True


def test_a_controlled_session_is_not_summarised_as_advisory() -> None:
    rig = Rig()
    rig.start()
    rig.run(120)
    rig.command(StopSession())
    assert rig.engine.summary().advisory is False


def test_control_lost_without_the_refusal_value_keeps_driving() -> None:
    rig = Rig()
    rig.start()
    rig.run_until(lambda: rig.engine.state is SessionState.WARMUP, max_s=60)
    rig.event(DeviceEvent(rig.now_s, TM, DeviceEventKind.CONTROL_LOST, "control lost"))
    assert not rig.engine.advisory_mode
