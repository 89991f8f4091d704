"""Recorded events in words, for reports: alarms, therapist overrides, safety actions.

The engine records English identifiers and messages (``hr_lost cleared``, ``skip main
-> cooldown``); a report for the patient file says what happened in the current
language. Alarm texts reuse :mod:`ui.texts` (the console's own wording); an event this
module does not know keeps the engine's message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from runningroom.recording.model import EventRecord
from runningroom.session.model import Alarm, AlarmKind
from ui.texts import alarm_action, alarm_event_text, alarm_message, fmt, phase_name


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReportLog", text)


def _number(data: Mapping[str, Any], key: str) -> float | None:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _alarm_text(event: EventRecord) -> str:
    data = event.data
    kind = str(data.get("alarm_kind", ""))
    if kind not in AlarmKind._value2member_map_:
        return event.message
    stage = str(data.get("stage", "raised"))
    if stage != "raised":
        return alarm_event_text(data, event.message)
    alarm = Alarm(alarm_id=int(data.get("alarm_id", 0) or 0), kind=AlarmKind(kind),
                  raised_t_s=event.t_s, message=event.message,
                  action=str(data.get("action", "")))
    text = _tr("Alarm: %1").replace("%1", alarm_message(alarm))
    action = alarm_action(alarm) if alarm.action else ""
    return f"{text} → {action}" if action else text


_SKIP = re.compile(r"skip (\w+) -> (\w+)")


def _skip_text(event: EventRecord) -> str:
    m = _SKIP.fullmatch(event.message.strip())
    if m is None:
        return _tr("Phase skipped by the therapist")
    return (_tr("Phase skipped by the therapist: %1 → %2")
            .replace("%1", phase_name(m[1])).replace("%2", phase_name(m[2])))


def _target_text(data: Mapping[str, Any]) -> str:
    delta = _number(data, "delta_bpm")
    offset = _number(data, "offset_bpm")
    if delta is None:
        return _tr("Target changed by the therapist")
    text = _tr("Target changed by the therapist: %1 bpm").replace("%1", f"{delta:+.0f}")
    if offset is not None:
        text += " " + _tr("(now %1 bpm from the prescription)").replace("%1", f"{offset:+.0f}")
    return text


def _speed_text(data: Mapping[str, Any]) -> str:
    speed = _number(data, "speed_kmh")
    if speed is None:
        return _tr("Speed set by the therapist")
    return _tr("Speed set by the therapist to %1 km/h").replace("%1", fmt(speed, 1))


def _incline_text(data: Mapping[str, Any]) -> str:
    incline = _number(data, "incline_pct")
    if incline is None:
        return _tr("Incline set by the therapist")
    return _tr("Incline set by the therapist to %1 %").replace("%1", fmt(incline, 1))


def _flag(data: Mapping[str, Any], key: str) -> bool:
    return bool(data.get(key, True))


_OVERRIDES: dict[str, Callable[[EventRecord], str]] = {
    "pause": lambda e: _tr("Session paused by the therapist"),
    "resume": lambda e: _tr("Session resumed by the therapist"),
    "stop": lambda e: _tr("Session stopped by the therapist"),
    "emergency_stop": lambda e: _tr("EMERGENCY STOP by the therapist"),
    "skip_phase": _skip_text,
    "adjust_target": lambda e: _target_text(e.data),
    "manual_speed": lambda e: _speed_text(e.data),
    "manual_incline": lambda e: _incline_text(e.data),
    "hold": lambda e: (_tr("Automatic control held by the therapist") if _flag(e.data, "hold")
                       else _tr("Automatic control released by the therapist")),
    "resume_controller": lambda e: _tr("Automatic control resumed by the therapist"),
    "hr_failover": lambda e: (_tr("Treadmill heart rate accepted") if _flag(e.data, "accept")
                              else _tr("Treadmill heart rate declined")),
    "continue_without_hr": lambda e: (
        _tr("Therapist continues without heart rate (safety limit kept)")
        if _flag(e.data, "enabled")
        else _tr("Therapist ended continue-without-heart-rate")),
    "confirm_hr": lambda e: _tr("Therapist confirmed the heart rate"),
}


def _safety_text(event: EventRecord) -> str:
    data = event.data
    rule = str(data.get("rule", ""))
    speed = _number(data, "speed_kmh")
    if rule == "ceiling_step_down" and speed is not None:
        return (_tr("Heart rate above the safety limit: speed lowered to %1 km/h")
                .replace("%1", fmt(speed, 1)))
    if rule == "ceiling_cooldown":
        return _tr("Heart rate above the safety limit for too long: cool-down started")
    if rule == "hr_lost_ramp_down" and speed is not None:
        return (_tr("No trusted heart rate: speed lowered to %1 km/h")
                .replace("%1", fmt(speed, 1)))
    if rule == "speed_limit" and speed is not None:
        return (_tr("Speed set on the treadmill outside the patient's limits: set to %1 km/h")
                .replace("%1", fmt(speed, 1)))
    envelope = {
        "E1_finite": _tr("Safety check: an invalid command was not sent"),
        "E1_range": _tr("Safety check: a command was limited to the patient's range"),
        "E2_state": _tr("Safety check: no belt command outside the exercise phases"),
        "E3_start": _tr("Safety check: a belt start was not sent"),
        "E4_no_increase": _tr("Safety check: no increase without a trusted heart rate"),
        "E5_ceiling": _tr("Safety check: no increase above the safety limit"),
        "E6_hr_lost_deadline": _tr("Safety check: speed lowered, no trusted heart rate"),
        "E7_step": _tr("Safety check: increase limited to one step"),
    }
    return envelope.get(rule, event.message)


def event_text(event: EventRecord) -> str:
    """What an ``alarm``, ``override`` or ``safety`` event says, in the current language.

    Other kinds, and events this module does not recognise, give the recorded message.
    """
    if event.kind == "alarm":
        return _alarm_text(event)
    if event.kind == "override":
        render = _OVERRIDES.get(str(event.data.get("command", "")))
        return render(event) if render is not None else event.message
    if event.kind == "safety":
        return _safety_text(event)
    return event.message


__all__ = ["event_text"]
