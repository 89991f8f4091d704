"""Operator commands with wrong field types are rejected; the target offset is bounded."""

from __future__ import annotations

from typing import Any

import pytest

from runningroom.session.model import (
    AcceptHrFailover,
    AcknowledgeAlarm,
    AdjustTarget,
    Annotate,
    HoldController,
    ManualIncline,
    ManualSpeed,
    RateFeeling,
    RateRpe,
    SessionState,
    SkipPhase,
)
from runningroom.session.operator_validation import MAX_TARGET_OFFSET_BPM, invalid_reason
from tests.core.engine_fakes import Rig


def _main_phase_rig() -> Rig:
    rig = Rig()
    rig.start()
    rig.step()
    rig.command(SkipPhase())
    rig.run(5)
    assert rig.engine.state is SessionState.MAIN
    return rig


BAD_COMMANDS: list[Any] = [
    RateRpe("x"),  # type: ignore[arg-type]
    RateRpe(12.5),  # type: ignore[arg-type]
    RateRpe(True),
    RateFeeling("2"),  # type: ignore[arg-type]
    RateFeeling(None),  # type: ignore[arg-type]
    AdjustTarget("5"),  # type: ignore[arg-type]
    AdjustTarget(True),
    AdjustTarget(None),  # type: ignore[arg-type]
    AdjustTarget(float("nan")),
    ManualSpeed("7"),  # type: ignore[arg-type]
    ManualSpeed(False),
    ManualSpeed(float("inf")),
    ManualIncline("2"),  # type: ignore[arg-type]
    HoldController("no"),  # type: ignore[arg-type]
    AcceptHrFailover(1),  # type: ignore[arg-type]
    Annotate(42),  # type: ignore[arg-type]
    AcknowledgeAlarm("1"),  # type: ignore[arg-type]
    object(),
]


def _cmd_id(cmd: object) -> str:
    return repr(cmd) if type(cmd) is not object else "not-a-command"


@pytest.mark.parametrize("cmd", BAD_COMMANDS, ids=_cmd_id)
def test_operator_command_with_wrong_field_type_is_rejected_not_raised(cmd: Any) -> None:
    rig = _main_phase_rig()
    speed_before = rig.engine.snapshot().speed_cmd_kmh
    offset_before = rig.engine.snapshot().target_offset_bpm
    rejected_before = len(rig.sink.kinds("rejected"))

    out = rig.engine.command(cmd, rig.now_s)

    assert out == []
    rejected = rig.sink.kinds("rejected")
    assert len(rejected) == rejected_before + 1
    assert rejected[-1].data["command"] == type(cmd).__name__
    snap = rig.engine.snapshot()
    assert snap.speed_cmd_kmh == speed_before
    assert snap.target_offset_bpm == offset_before
    assert snap.rpe is None and snap.feeling is None
    rig.run(5)  # the engine keeps working afterwards
    assert rig.engine.state is SessionState.MAIN


def test_rate_rpe_string_is_rejected_with_a_reason() -> None:
    rig = _main_phase_rig()
    rig.engine.command(RateRpe("x"), rig.now_s)  # type: ignore[arg-type]
    (event,) = rig.sink.kinds("rejected")
    assert "value must be an integer" in event.data["reason"]


@pytest.mark.parametrize(
    "cmd",
    [RateRpe(13), RateFeeling(-2), AdjustTarget(3), AdjustTarget(-2.5), ManualSpeed(5)],
    ids=repr,
)
def test_well_typed_commands_pass_validation(cmd: Any) -> None:
    assert invalid_reason(cmd) is None


def test_huge_target_adjustments_keep_the_offset_bounded() -> None:
    rig = _main_phase_rig()
    rig.command(AdjustTarget(1e308))
    rig.command(AdjustTarget(1e308))
    snap = rig.engine.snapshot()
    assert snap.target_offset_bpm == MAX_TARGET_OFFSET_BPM
    assert snap.target_bpm <= 117.0 + MAX_TARGET_OFFSET_BPM
    (applied,) = [e for e in rig.sink.kinds("override") if e.data["command"] == "adjust_target"]
    assert applied.data["offset_bpm"] == MAX_TARGET_OFFSET_BPM
    assert applied.data["limited"] is True
    (refused,) = rig.sink.kinds("rejected")
    assert "limit" in refused.data["reason"]
    # the therapist can still come back down from the limit
    rig.command(AdjustTarget(-1e308))
    assert rig.engine.snapshot().target_offset_bpm == -MAX_TARGET_OFFSET_BPM
    rig.command(AdjustTarget(+35.0))
    assert rig.engine.snapshot().target_offset_bpm == pytest.approx(5.0)


def test_small_target_adjustments_are_applied_in_full() -> None:
    rig = _main_phase_rig()
    rig.command(AdjustTarget(5.0))
    rig.command(AdjustTarget(-2.0))
    assert rig.engine.snapshot().target_offset_bpm == pytest.approx(3.0)
    applied = [e for e in rig.sink.kinds("override") if e.data["command"] == "adjust_target"]
    assert [e.data["limited"] for e in applied] == [False, False]
    assert rig.sink.kinds("rejected") == []
