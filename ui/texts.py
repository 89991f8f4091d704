"""Translated names for core enums and locale-aware number formatting.

The core speaks English identifiers (``warmup``, ``hr_lost``); everything shown to a
person goes through here so it follows the selected language and locale.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from runningroom.session.model import AlarmKind, HrQuality, SessionState


def phase_name(state: SessionState | str) -> str:
    """Human name of a session state or phase."""
    names = {
        SessionState.IDLE: QCoreApplication.translate("Texts", "Ready"),
        SessionState.PREFLIGHT: QCoreApplication.translate("Texts", "Preflight"),
        SessionState.WARMUP: QCoreApplication.translate("Texts", "Warm-up"),
        SessionState.MAIN: QCoreApplication.translate("Texts", "Main phase"),
        SessionState.COOLDOWN: QCoreApplication.translate("Texts", "Cool-down"),
        SessionState.PAUSED: QCoreApplication.translate("Texts", "Paused"),
        SessionState.FINISHED: QCoreApplication.translate("Texts", "Finished"),
        SessionState.STOPPED: QCoreApplication.translate("Texts", "Stopped"),
        SessionState.ABORTED: QCoreApplication.translate("Texts", "Aborted"),
        SessionState.EMERGENCY_STOPPED: QCoreApplication.translate("Texts", "Emergency stopped"),
    }
    try:
        return names[SessionState(state)]
    except ValueError:
        return str(state)


def alarm_name(kind: AlarmKind | str) -> str:
    """Human name of an alarm kind."""
    names = {
        AlarmKind.HR_LOST: QCoreApplication.translate("Texts", "Heart rate lost"),
        AlarmKind.HR_UNTRUSTED: QCoreApplication.translate("Texts", "Heart rate not trusted"),
        AlarmKind.HR_ABOVE_CEILING: QCoreApplication.translate(
            "Texts", "Heart rate above the safety ceiling"
        ),
        AlarmKind.DEVICE_DISCONNECTED: QCoreApplication.translate("Texts", "Device disconnected"),
        AlarmKind.SAFETY_KEY: QCoreApplication.translate("Texts", "Safety key pulled"),
        AlarmKind.TREADMILL_STOPPED: QCoreApplication.translate(
            "Texts", "Treadmill stopped on its console"
        ),
        AlarmKind.CONTROL_LOST: QCoreApplication.translate(
            "Texts", "Control of the treadmill lost"
        ),
        AlarmKind.TREADMILL_NOT_RESPONDING: QCoreApplication.translate(
            "Texts", "Treadmill not responding"
        ),
        AlarmKind.RECORDING_FAILED: QCoreApplication.translate("Texts", "Recording failed"),
    }
    try:
        return names[AlarmKind(kind)]
    except ValueError:
        return str(kind)


def quality_name(quality: HrQuality | str) -> str:
    """Human name of an HR quality verdict."""
    names = {
        HrQuality.OK: QCoreApplication.translate("Texts", "good"),
        HrQuality.NO_SIGNAL: QCoreApplication.translate("Texts", "no signal"),
        HrQuality.STALE: QCoreApplication.translate("Texts", "stale"),
        HrQuality.ZERO: QCoreApplication.translate("Texts", "zero"),
        HrQuality.FROZEN: QCoreApplication.translate("Texts", "frozen"),
        HrQuality.JUMP: QCoreApplication.translate("Texts", "implausible jump"),
        HrQuality.OUT_OF_RANGE: QCoreApplication.translate("Texts", "out of range"),
        HrQuality.NO_CONTACT: QCoreApplication.translate("Texts", "no skin contact"),
        HrQuality.LOW_QUALITY_SOURCE: QCoreApplication.translate("Texts", "treadmill HR"),
    }
    try:
        return names[HrQuality(quality)]
    except ValueError:
        return str(quality)


def fmt(value: float | None, decimals: int = 1) -> str:
    """Format a number in the current locale ("5.4" in English, "5,4" in Dutch)."""
    if value is None:
        return "--"
    return QLocale().toString(float(value), "f", decimals)


def format_clock(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for a duration in seconds."""
    s = max(0, round(seconds))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"
