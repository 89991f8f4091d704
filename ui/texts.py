"""Translated names for core enums and locale-aware number formatting.

The core speaks English identifiers (``warmup``, ``hr_lost``); everything shown to a
person goes through here so it follows the selected language and locale.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale

from runningroom.model import HrMaxSource
from runningroom.session.model import (
    Alarm,
    AlarmKind,
    HrQuality,
    Intent,
    SessionSnapshot,
    SessionState,
)
from runningroom.session.plausibility import REASONS, Disagreement


def _known_or_raw(names: Mapping[str, str], value: object) -> str:
    """The translated name of an enum value (member or its string), else the raw value.

    The enums are ``StrEnum``s, so a member and its string are the same key.
    """
    raw = str(value)
    return names.get(raw, raw)


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
    return _known_or_raw(names, state)


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
        AlarmKind.HR_IMPLAUSIBLE: QCoreApplication.translate(
            "Texts", "Heart rate does not match the load"
        ),
    }
    return _known_or_raw(names, kind)


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
    return _known_or_raw(names, quality)


def _tr(text: str) -> str:
    return QCoreApplication.translate("AlarmTexts", text)


def implausible_reason(reason: str | None) -> str | None:
    """The plausibility monitor's (English) reason in the current language.

    ``reason`` is one of :data:`runningroom.session.plausibility.REASONS` (the
    snapshot's ``hr_implausible_reason``); None stays None, and an unknown reason gives
    a generic translated sentence, never the English text.
    """
    if reason is None:
        return None
    names = {
        Disagreement.TOO_LOW: _tr("HR far below what the load predicts"),
        Disagreement.TOO_HIGH: _tr("HR far above what the load predicts"),
        Disagreement.STUCK: _tr("HR barely moves while the load changes"),
        Disagreement.WRONG_DIRECTION: _tr("HR moves against the load"),
    }
    for kind, english in REASONS.items():
        if english.casefold() == reason.strip().casefold():
            return names[kind]
    return _tr("HR does not match what the load predicts")


def _reason_in(text: str) -> str | None:
    """The plausibility reason contained in an engine text, if any."""
    folded = text.casefold()
    return next((r for r in REASONS.values() if r.casefold() in folded), None)


def _num(text: str, decimals: int) -> str:
    try:
        return fmt(float(text), decimals)
    except ValueError:
        return text


# The engine (runningroom/session/engine.py and supervisor.py) writes English alarm texts.
# Each rule recognises one of them (the whole text) and renders it again through a
# translatable template, so English stays equivalent to the engine's wording.
_Rule = tuple["re.Pattern[str]", Callable[["re.Match[str]"], str]]

_MESSAGE_RULES: list[_Rule] = [
    (re.compile(r"heart rate lost \((\w+)\)"),
     lambda m: _tr("Heart rate lost (%1)").replace("%1", quality_name(m[1]))),
    (re.compile(r"heart rate untrusted \((\w+)\)"),
     lambda m: _tr("Heart rate not trusted (%1)").replace("%1", quality_name(m[1]))),
    (re.compile(r"no trusted HR before the warm-up"),
     lambda m: _tr("No trusted heart rate before the warm-up")),
    (re.compile(r"HR (\d+) bpm above the safety ceiling (\d+) bpm"),
     lambda m: _tr("HR %1 bpm above the safety ceiling of %2 bpm")
     .replace("%1", m[1]).replace("%2", m[2])),
    (re.compile(r"no treadmill data for (\d+) s"),
     lambda m: _tr("No data from the treadmill for %1 s").replace("%1", m[1])),
    (re.compile(r"no treadmill data for (\d+) s: the belt may still be running"),
     lambda m: _tr("No data from the treadmill for %1 s: the belt may still be running")
     .replace("%1", m[1])),
    (re.compile(r"the treadmill ignores speed commands \((\d+) corrections to ([\d.]+) km/h "
                r"not followed\)"),
     lambda m: _tr("The treadmill ignores speed commands (%1 corrections to %2 km/h not "
                   "followed)").replace("%1", m[1]).replace("%2", _num(m[2], 1))),
    (re.compile(r"belt stopped by the host watchdog after a ([\d.]+) s outage"),
     lambda m: _tr("The belt was stopped after a %1 s connection outage")
     .replace("%1", _num(m[1], 1))),
    (re.compile(r"the belt stopped without a command"),
     lambda m: _tr("The belt stopped without a command")),
    (re.compile(r"treadmill not responding: (.+)", re.DOTALL),
     lambda m: _tr("The treadmill does not respond to commands (%1)").replace("%1", m[1])),
    (re.compile(r"recording failed: (.+)", re.DOTALL),
     lambda m: _tr("Recording the session failed: %1").replace("%1", m[1])),
]

_ACTION_RULES: list[_Rule] = [
    (re.compile(r"speed held \(no acceleration\); ramp down to a safe walking speed after "
                r"(\d+) s"),
     lambda m: _tr("speed held (no acceleration); ramp down to a safe walking speed after %1 s")
     .replace("%1", m[1])),
    (re.compile(r"speed held, then ramped down to ([\d.]+) km/h; controller suspended until "
                r"the therapist resumes it"),
     lambda m: _tr("speed held, then ramped down to %1 km/h; controller suspended until the "
                   "therapist resumes it").replace("%1", _num(m[1], 1))),
    (re.compile(r"waiting for HR; skip the phase to start without HR"),
     lambda m: _tr("waiting for a heart rate; skip the phase to start without heart rate")),
    (re.compile(r"speed stepped down by ([\d.]+) km/h and incline to ([\d.]+) %; cool-down "
                r"after (\d+) s above"),
     lambda m: _tr("speed stepped down by %1 km/h and incline to %2 %; cool-down after %3 s "
                   "above the ceiling")
     .replace("%1", _num(m[1], 1)).replace("%2", _num(m[2], 0)).replace("%3", m[3])),
    (re.compile(r"session paused, belt stop commanded; resume when the key is back"),
     lambda m: _tr("session paused, belt stop commanded; resume when the key is back")),
    (re.compile(r"session paused; resume or stop the session"),
     lambda m: _tr("session paused; resume or stop the session")),
    (re.compile(r"controller suspended, speed held; check the treadmill, resume the controller"),
     lambda m: _tr("controller suspended, speed held; check the treadmill, then resume the "
                   "controller")),
    (re.compile(r"controller suspended; the treadmill no longer accepts commands"),
     lambda m: _tr("controller suspended; the treadmill no longer accepts commands")),
    (re.compile(r"controller suspended; waiting for reconnection, session pauses after (\d+) s"),
     lambda m: _tr("controller suspended; waiting for reconnection, the session pauses after "
                   "%1 s").replace("%1", m[1])),
    (re.compile(r"session paused; stop the belt at the treadmill"),
     lambda m: _tr("session paused; stop the belt at the treadmill")),
    (re.compile(r"speed corrections stopped; set the speed at the treadmill"),
     lambda m: _tr("speed corrections stopped; set the speed at the treadmill")),
    (re.compile(r"no speed or incline increases; confirm the HR if it is right"),
     lambda m: _tr("no speed or incline increases; confirm the HR if it is right")),
    (re.compile(r"session continues; rows kept in memory and retried every second"),
     lambda m: _tr("session continues; data kept in memory and written again every second")),
]


def _match(rules: list[_Rule], text: str) -> str | None:
    text = text.strip()
    for pattern, render in rules:
        m = pattern.fullmatch(text)
        if m is not None:
            return render(m)
    return None


def _device_alarm_message(kind: AlarmKind) -> str | None:
    """What happened, for alarms whose engine message is the device driver's own text."""
    return {
        AlarmKind.SAFETY_KEY: _tr("The treadmill stopped: safety key pulled"),
        AlarmKind.TREADMILL_STOPPED: _tr("The belt was stopped or paused on the treadmill"),
        AlarmKind.CONTROL_LOST: _tr("The treadmill no longer lets the system control it"),
        AlarmKind.DEVICE_DISCONNECTED: _tr("The connection to the treadmill was lost"),
        AlarmKind.TREADMILL_NOT_RESPONDING: _tr("The treadmill does not respond"),
        AlarmKind.HR_LOST: _tr("Heart rate lost"),
        AlarmKind.HR_UNTRUSTED: _tr("Heart rate not trusted"),
        AlarmKind.HR_ABOVE_CEILING: _tr("Heart rate above the safety ceiling"),
        AlarmKind.RECORDING_FAILED: _tr("Recording the session failed"),
    }.get(kind)


# the engine's hr_implausible message: "<reason> (HR 62 bpm, the load predicts about 124 bpm)"
_IMPLAUSIBLE_NUMBERS = re.compile(
    r"(.+?) \(HR (\d+) bpm, the load predicts about (\d+) bpm\)", re.DOTALL)


def _implausible_message(alarm: Alarm, reason: str | None) -> str:
    """"What happened" for an ``hr_implausible`` alarm, rebuilt from its reason and numbers.

    The reason is the one in the engine's message, else ``reason`` (the snapshot's);
    the measured and predicted HR are kept when the message has them.
    """
    shown = implausible_reason(_reason_in(alarm.message) or reason)
    if shown is None:
        return _tr("The heart rate does not match what the load predicts")
    m = _IMPLAUSIBLE_NUMBERS.fullmatch(alarm.message.strip())
    if m is None:
        return shown
    return (_tr("%1 (HR %2 bpm, the load predicts about %3 bpm)")
            .replace("%1", shown).replace("%2", m[2]).replace("%3", m[3]))


def alarm_message(alarm: Alarm, reason: str | None = None) -> str:
    """"What happened" for an alarm card, in the current language.

    Known engine texts are re-rendered through translatable templates (with their
    numbers and the HR quality reason); other texts of a known kind (device drivers'
    own messages) give a translated sentence for the kind; an unknown kind shows the
    engine's English message. An ``hr_implausible`` alarm is rebuilt from its reason
    (found in the message, else ``reason``, the snapshot's ``hr_implausible_reason``).
    """
    if alarm.kind == AlarmKind.HR_IMPLAUSIBLE:
        return _implausible_message(alarm, reason)
    shown = _match(_MESSAGE_RULES, alarm.message)
    if shown is not None:
        return shown
    try:
        kind = AlarmKind(alarm.kind)
    except ValueError:
        return alarm.message
    return _device_alarm_message(kind) or alarm.message


def alarm_detail(alarm: Alarm) -> str:
    """The device's own (English) text that :func:`alarm_message` replaced, else "".

    Shown as a tooltip: the technical detail of a device-reported alarm.
    """
    if alarm.kind == AlarmKind.HR_IMPLAUSIBLE:
        return ""
    if _match(_MESSAGE_RULES, alarm.message) is not None:
        return ""
    if alarm_message(alarm) == alarm.message:
        return ""
    return alarm.message


def alarm_action(alarm: Alarm) -> str:
    """"What the system did" for an alarm card, in the current language.

    Known engine action texts are translated (with their numbers); an ``hr_implausible``
    alarm states what the safety envelope does while the HR is implausible; anything
    else is shown as the engine wrote it (English).
    """
    shown = _match(_ACTION_RULES, alarm.action)
    if shown is not None:
        return shown
    if alarm.kind == AlarmKind.HR_IMPLAUSIBLE:
        return _tr("no increase of speed or incline; check the patient, then confirm the HR "
                   "if it is real")
    return alarm.action


def alarm_event_text(data: Mapping[str, Any], fallback: str) -> str:
    """Short text for an ``alarm`` event (plot marker, event lists) in the current language.

    Args:
        data: the event's ``data`` (``alarm_kind``, ``stage``).
        fallback: the event's English message, used when the kind is unknown.
    """
    kind = str(data.get("alarm_kind", ""))
    if kind not in AlarmKind._value2member_map_:
        return fallback
    name = alarm_name(kind)
    stage = str(data.get("stage", ""))
    if stage == "acknowledged":
        return _tr("%1 (acknowledged)").replace("%1", name)
    if stage == "cleared":
        return _tr("%1 (cleared)").replace("%1", name)
    return name


def hrmax_source_name(source: HrMaxSource | str) -> str:
    """Human name of where a prescription's HRmax came from."""
    names = {
        HrMaxSource.MEASURED: QCoreApplication.translate("Texts", "measured"),
        HrMaxSource.TANAKA: QCoreApplication.translate("Texts", "Tanaka formula"),
        HrMaxSource.FOX: QCoreApplication.translate("Texts", "Fox formula"),
        HrMaxSource.GELLISH: QCoreApplication.translate("Texts", "Gellish formula"),
        HrMaxSource.NES: QCoreApplication.translate("Texts", "Nes formula"),
        HrMaxSource.BETA_BLOCKED: QCoreApplication.translate(
            "Texts", "beta-blocker formula"
        ),
    }
    return _known_or_raw(names, source)


_PREFLIGHT_RULES: list[_Rule] = [
    (re.compile(r"treadmill accepts no speed commands \(monitor only\): advisory mode, set "
                r"the advised speed by hand"),
     lambda m: _tr("the treadmill accepts no speed commands (monitor only): advisory mode, "
                   "set the advised speed by hand")),
    (re.compile(r"HR source not connected: (.+)", re.DOTALL),
     lambda m: _tr("heart-rate sensor not connected: %1").replace("%1", m[1])),
]


def preflight_message(text: str) -> str:
    """One finding of the station's preflight (English) in the current language.

    Unknown texts are returned unchanged.
    """
    shown = _match(_PREFLIGHT_RULES, text)
    return shown if shown is not None else text


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


# ---- grading the HR against the current phase's target, and the belt cue ----------------

#: Shown where a number is not known (a single en dash: every font has the glyph).
NO_VALUE = "\u2013"

#: Below this measured speed (km/h) the belt counts as standing still.
_BELT_STILL_KMH = 0.1


class Grade(StrEnum):
    """Where the HR is against the current phase's target band."""

    NONE = "none"  # no session running: nothing to grade
    NO_HR = "no_hr"
    BELOW = "below"
    IN = "in"
    ABOVE = "above"
    ABOVE_CEILING = "above_ceiling"


class BeltCue(StrEnum):
    """What the belt is about to do, as the patient is told it."""

    WAITING = "waiting"  # before the warm-up
    SPEEDS_UP = "speeds_up"
    SLOWS_DOWN = "slows_down"
    KEEPS_PACE = "keeps_pace"
    THERAPIST = "therapist"  # advisory mode: the therapist sets the belt by hand
    STOPPING = "stopping"  # paused or ended, belt still turning
    STOPPED = "stopped"  # paused or ended, belt standing still


def phase_band(snap: SessionSnapshot) -> tuple[float, float]:
    """The HR band ``(low_bpm, high_bpm)`` the current phase aims at.

    The snapshot's ``phase_target_low_bpm`` / ``phase_target_high_bpm`` (warm-up and
    cool-down have their own band), else the prescription's zone.
    """
    low, high = snap.phase_target_low_bpm, snap.phase_target_high_bpm
    if low is None or high is None:
        return snap.zone_low_bpm, snap.zone_high_bpm
    return low, high


def grade_hr(snap: SessionSnapshot | None) -> Grade:
    """Grade the (filtered, else raw) HR of ``snap`` against :func:`phase_band`.

    ``NONE`` without a snapshot or once the session has ended (a frozen last HR is not
    graded); above the safety ceiling wins over above the band.
    """
    if snap is None or snap.state.is_terminal:
        return Grade.NONE
    hr = snap.hr_filtered_bpm if snap.hr_filtered_bpm is not None else snap.hr_bpm
    if hr is None:
        return Grade.NO_HR
    low, high = phase_band(snap)
    if hr > snap.ceiling_bpm:
        return Grade.ABOVE_CEILING
    if hr < low:
        return Grade.BELOW
    if hr > high:
        return Grade.ABOVE
    return Grade.IN


def _belt_still(snap: SessionSnapshot) -> bool:
    speed = snap.speed_meas_kmh if snap.speed_meas_kmh is not None else snap.speed_cmd_kmh
    return speed <= _BELT_STILL_KMH


def belt_cue(
    snap: SessionSnapshot | None, grade: Grade, *, stop_confirmed: bool = False
) -> BeltCue:
    """What the patient is told the belt does, consistent with ``grade``.

    The controller's intent is announced only where it agrees with the grade: the
    belt speeds up only for a HR below the band (or, in the warm-up, within it: the
    warm-up climbs towards the zone) and slows down only for a HR above it (or anywhere
    in the cool-down, which ramps down). Small corrections within the band are not
    announced; the belt keeps about its pace. Paused and ended sessions say whether
    the belt has stopped: the measured speed (else the commanded one) is about zero, or
    ``stop_confirmed`` (the station stopped the belt when the session's run ended).
    """
    if snap is None or snap.state in (SessionState.IDLE, SessionState.PREFLIGHT):
        return BeltCue.WAITING
    if snap.state.is_terminal or snap.state == SessionState.PAUSED:
        still = _belt_still(snap) or (stop_confirmed and snap.state.is_terminal)
        return BeltCue.STOPPED if still else BeltCue.STOPPING
    if snap.advisory_mode:
        return BeltCue.THERAPIST
    phase = snap.state
    if snap.intent == Intent.FASTER and (
        grade == Grade.BELOW or (phase == SessionState.WARMUP and grade == Grade.IN)
    ):
        return BeltCue.SPEEDS_UP
    if snap.intent == Intent.SLOWER and (
        grade in (Grade.ABOVE, Grade.ABOVE_CEILING) or phase == SessionState.COOLDOWN
    ):
        return BeltCue.SLOWS_DOWN
    return BeltCue.KEEPS_PACE


def _grade_tr(text: str) -> str:
    return QCoreApplication.translate("ZoneGrade", text)


def console_grade_text(snap: SessionSnapshot | None) -> tuple[str, str]:
    """``(word, colour)`` of the console's zone badge for ``snap``.

    The main phase speaks of the zone, the warm-up and cool-down of their own target
    band; the colour is one of :mod:`ui.theme`'s. After the session the word is empty
    (and the colour transparent).
    """
    from ui import theme

    grade = grade_hr(snap)
    main = snap is None or (snap.phase or snap.state) not in (
        SessionState.WARMUP,
        SessionState.COOLDOWN,
    )
    if grade == Grade.NONE and snap is not None:
        return "", "transparent"  # the session has ended: its last HR is not graded
    if grade in (Grade.NO_HR, Grade.NONE):
        return _grade_tr("no HR"), theme.ORANGE
    if grade == Grade.ABOVE_CEILING:
        return _grade_tr("ABOVE CEILING"), theme.VERMILLION
    words = (
        {
            Grade.BELOW: _grade_tr("below zone"),
            Grade.IN: _grade_tr("in zone"),
            Grade.ABOVE: _grade_tr("above zone"),
        }
        if main
        else {
            Grade.BELOW: _grade_tr("below target"),
            Grade.IN: _grade_tr("on target"),
            Grade.ABOVE: _grade_tr("above target"),
        }
    )
    colours = {Grade.BELOW: theme.BLUE, Grade.IN: theme.GREEN, Grade.ABOVE: theme.VERMILLION}
    return words[grade], colours[grade]


def band_text(snap: SessionSnapshot) -> str:
    """"zone 105-122" in the main phase, "warm-up 88-122" / "cool-down 65-122" otherwise."""
    low, high = phase_band(snap)
    phase = snap.phase or snap.state
    numbers = f"{fmt(low, 0)}-{fmt(high, 0)}"
    if phase == SessionState.WARMUP:
        return _grade_tr("warm-up %1").replace("%1", numbers)
    if phase == SessionState.COOLDOWN:
        return _grade_tr("cool-down %1").replace("%1", numbers)
    return _grade_tr("zone %1").replace("%1", numbers)
