"""Validation of operator commands before the session engine acts on them.

Operator commands arrive from the UI, the CLI and scripts; their dataclasses are
not type-checked at run time, so ``RateRpe("x")`` or ``ManualSpeed(float("nan"))``
can reach the engine.  :func:`invalid_reason` names what is wrong with such a
command (the engine then records it as ``rejected`` and ignores it) and never
raises.

The rules, per field type:

=================  ==============================================================
field              accepted
=================  ==============================================================
number (bpm, km/h, a finite ``int`` or ``float``; ``bool`` and strings are refused
%)
integer rating,    an ``int`` (not ``bool``); the range check stays in the engine
alarm id
flag               a ``bool``
text               a ``str``
=================  ==============================================================

:func:`bounded_target_offset` keeps the therapist's cumulative target offset within
+/- :data:`MAX_TARGET_OFFSET_BPM`.
"""

from __future__ import annotations

import math
from dataclasses import fields
from typing import Final

from runningroom.session.model import (
    AcceptHrFailover,
    AcknowledgeAlarm,
    AdjustTarget,
    Annotate,
    ConfirmHr,
    ContinueWithoutHr,
    EmergencyStop,
    HoldController,
    ManualIncline,
    ManualSpeed,
    PauseSession,
    RateFeeling,
    RateRpe,
    ResumeController,
    ResumeSession,
    SkipPhase,
    StartSession,
    StopSession,
)

MAX_TARGET_OFFSET_BPM: Final = 30.0
"""Largest total shift (either sign) the therapist may apply to the control target."""

_NUMBER, _INTEGER, _FLAG, _TEXT = "number", "integer", "flag", "text"

_FIELD_KINDS: Final[dict[type, dict[str, str]]] = {
    StartSession: {"without_hr": _FLAG},
    PauseSession: {},
    ResumeSession: {},
    SkipPhase: {},
    StopSession: {"reason": _TEXT},
    EmergencyStop: {},
    ResumeController: {},
    AdjustTarget: {"delta_bpm": _NUMBER},
    ManualSpeed: {"speed_kmh": _NUMBER},
    ManualIncline: {"incline_pct": _NUMBER},
    HoldController: {"hold": _FLAG},
    AcceptHrFailover: {"accept": _FLAG},
    ContinueWithoutHr: {"enabled": _FLAG},
    ConfirmHr: {},
    Annotate: {"text": _TEXT},
    RateRpe: {"value": _INTEGER},
    RateFeeling: {"value": _INTEGER},
    AcknowledgeAlarm: {"alarm_id": _INTEGER},
}


def invalid_reason(cmd: object) -> str | None:
    """Why ``cmd`` cannot be applied (``None`` when every field has a valid type).

    Unknown command types are refused too.  Value ranges that depend on the session
    (RPE 6-20, the device's speed range...) are checked by the engine itself.
    """
    kinds = _FIELD_KINDS.get(type(cmd))
    if kinds is None:
        return f"unknown operator command type {type(cmd).__name__}"
    for f in fields(cmd):  # type: ignore[arg-type]
        problem = _field_problem(kinds.get(f.name, ""), getattr(cmd, f.name, None))
        if problem is not None:
            return f"{f.name} {problem}"
    return None


def _field_problem(kind: str, value: object) -> str | None:
    if kind == _NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"must be a number, not {type(value).__name__}"
        if not math.isfinite(value):
            return "must be a finite number"
        return None
    if kind == _INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"must be an integer, not {type(value).__name__}"
        return None
    if kind == _FLAG:
        return None if isinstance(value, bool) else f"must be true or false, not {value!r:.40}"
    if kind == _TEXT:
        return None if isinstance(value, str) else f"must be text, not {type(value).__name__}"
    return None


def bounded_target_offset(offset_bpm: float, delta_bpm: float) -> float:
    """The offset after adding ``delta_bpm``, clamped to +/- ``MAX_TARGET_OFFSET_BPM``.

    Both arguments are finite numbers (see :func:`invalid_reason`).
    """
    return max(-MAX_TARGET_OFFSET_BPM, min(MAX_TARGET_OFFSET_BPM, offset_bpm + delta_bpm))
