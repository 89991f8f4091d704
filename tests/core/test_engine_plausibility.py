"""The engine acts on the HR plausibility monitor: alarm, no increases, confirmation."""

from __future__ import annotations

from runningroom.session.engine import EngineConfig
from runningroom.session.model import AlarmKind, ConfirmHr, SessionState, SkipPhase
from tests.core.engine_fakes import Rig


def _main_phase_rig(config: EngineConfig | None = None) -> Rig:
    rig = Rig(config=config)
    rig.start()
    rig.run_until(lambda: rig.engine.state is SessionState.WARMUP, max_s=60)
    rig.command(SkipPhase())
    rig.run(300)  # settle in the main phase on a plausible HR
    assert rig.engine.state is SessionState.MAIN
    return rig


def _implausible(rig: Rig) -> bool:
    return any(a.kind is AlarmKind.HR_IMPLAUSIBLE for a in rig.engine.active_alarms())


def test_half_true_hr_raises_the_implausible_alarm_and_blocks_increases() -> None:
    rig = _main_phase_rig()
    assert not _implausible(rig) and rig.engine.snapshot().hr_plausible
    rig.hr_override = lambda t, hr: None if hr is None else round(hr / 2)
    onset_s = rig.now_s
    delay_s = rig.run_until(lambda: _implausible(rig), max_s=60)
    assert delay_s <= 60
    snap = rig.engine.snapshot()
    assert not snap.hr_plausible and snap.hr_implausible_reason
    alarm = next(a for a in snap.active_alarms if a.kind is AlarmKind.HR_IMPLAUSIBLE)
    assert "the load predicts" in alarm.message
    flagged_s = rig.now_s
    speed_at_flag = rig.engine.speed_cmd_kmh
    rig.run(120)
    later = [v for t, v in _speeds(rig) if t > flagged_s]
    assert all(v <= speed_at_flag + 1e-9 for v in later), (speed_at_flag, later)
    assert rig.engine.speed_cmd_kmh <= speed_at_flag + 1e-9
    assert onset_s < flagged_s


def test_confirm_hr_clears_the_alarm_and_is_recorded() -> None:
    rig = _main_phase_rig()
    rig.hr_override = lambda t, hr: None if hr is None else round(hr / 2)
    rig.run_until(lambda: _implausible(rig), max_s=60)
    snap_reason = rig.engine.snapshot().hr_implausible_reason
    assert snap_reason
    rig.command(ConfirmHr())
    assert not _implausible(rig)
    assert rig.engine.snapshot().hr_plausible
    confirmations = [e for e in rig.sink.kinds("override") if e.data.get("command") == "confirm_hr"]
    assert len(confirmations) == 1
    assert snap_reason in confirmations[0].message


def test_confirm_hr_without_an_implausible_hr_is_rejected() -> None:
    rig = _main_phase_rig()
    rig.command(ConfirmHr())
    rejected = rig.sink.kinds("rejected")
    assert rejected and rejected[-1].data["command"] == "ConfirmHr"


def test_plausibility_check_can_be_switched_off() -> None:
    rig = _main_phase_rig(EngineConfig(check_hr_plausibility=False))
    rig.hr_override = lambda t, hr: None if hr is None else round(hr / 2)
    rig.run(120)
    assert not _implausible(rig)


def test_plausible_hr_over_a_whole_session_raises_no_implausible_alarm() -> None:
    rig = Rig()
    rig.start()
    rig.run_until(lambda: rig.engine.state.is_terminal, max_s=3600)
    assert not [a for a in rig.engine.alarms if a.kind is AlarmKind.HR_IMPLAUSIBLE]


def _speeds(rig: Rig) -> list[tuple[float, float]]:
    from runningroom.session.model import SetSpeedCommand

    return [(t, c.speed_kmh) for t, c in rig.sent if isinstance(c, SetSpeedCommand)]
