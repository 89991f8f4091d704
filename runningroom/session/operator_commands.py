"""Operator commands: one ``match`` over the therapist's and the patient's commands.

Contract of :meth:`OperatorCommands.apply`:

* An emergency stop always acts first: it ends the session (or, after the end, stops the
  belt again). Any other command with a malformed value is rejected
  (:func:`~runningroom.session.operator_validation.invalid_reason`).
* Every command is recorded: overrides as ``override`` events with cause ``therapist``,
  a command that makes no sense in the current state as ``rejected`` (and ignored).
* Commands change the session only through :class:`SessionActions` (the engine's own
  transitions and belt commands, which pass the safety envelope) and the shared
  :class:`ControllerMode` and :class:`OperatorState`; they return the treadmill commands
  to send.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from runningroom.control.base import Controller
from runningroom.session.alarms import AlarmBook
from runningroom.session.belt import BeltTracker
from runningroom.session.engine_config import LegalRange
from runningroom.session.envelope import Origin, SafetyEnvelope
from runningroom.session.hr_input import HrInput
from runningroom.session.journal import Journal
from runningroom.session.model import (
    AcceptHrFailover,
    AcknowledgeAlarm,
    AdjustTarget,
    Annotate,
    Cause,
    ConfirmHr,
    ContinueWithoutHr,
    EmergencyStop,
    EventKind,
    HoldController,
    ManualIncline,
    ManualSpeed,
    OperatorCommand,
    PauseSession,
    RateFeeling,
    RateRpe,
    ResumeController,
    ResumeSession,
    SessionState,
    SkipPhase,
    StartSession,
    StopSession,
    TreadmillCommand,
)
from runningroom.session.operator_validation import bounded_target_offset, invalid_reason
from runningroom.session.phase_plan import EXERCISE_PHASES, NEXT_PHASE, PhaseClock
from runningroom.session.supervisor import SafetySupervisor

Cmds = list[TreadmillCommand]


@dataclass(slots=True)
class ControllerMode:
    """Who moves the belt: held by the therapist, axes in manual, suspension reasons."""

    held: bool = False
    manual_axes: set[str] = field(default_factory=set)  # "speed", "incline"
    suspended: dict[str, str] = field(default_factory=dict)  # reason -> message


@dataclass(slots=True)
class OperatorState:
    """What the therapist and the patient told the session."""

    target_offset_bpm: float = 0.0
    continue_without_hr: bool = False
    rpe: int | None = None
    feeling: int | None = None


@dataclass(frozen=True, slots=True)
class SessionActions:
    """The engine's actions a command may take (each records itself)."""

    state: Callable[[], SessionState]
    transition: Callable[[float, SessionState, Cause, str], None]
    enter_phase: Callable[[float, SessionState, Cause, str], Cmds]
    pause: Callable[[float, Cause, str], Cmds]
    resume: Callable[[float], Cmds]
    stop_belt: Callable[[float], Cmds]
    set_speed: Callable[[float, float, Origin], Cmds]
    set_incline: Callable[[float, float, Origin], Cmds]
    force_incline: Callable[[float, float], Cmds]
    suspend: Callable[[float, str, str, Cause], None]
    adopt_operating_point: Callable[[float, float | None, float | None, Cause, str], None]
    confirm_hr: Callable[[float], bool]


class OperatorCommands:
    """Applies operator commands to the session's parts."""

    def __init__(
        self,
        *,
        actions: SessionActions,
        clock: PhaseClock,
        journal: Journal,
        alarms: AlarmBook,
        hr: HrInput,
        belt: BeltTracker,
        legal: LegalRange,
        envelope: SafetyEnvelope,
        supervisor: SafetySupervisor,
        controller: Controller,
        mode: ControllerMode,
        operator: OperatorState,
        advisory_mode: bool,
        end_hr_lost_ramp: Callable[[], None],
    ) -> None:
        self._do = actions
        self._clock = clock
        self._journal = journal
        self._alarms = alarms
        self._hr = hr
        self._belt = belt
        self._legal = legal
        self._envelope = envelope
        self._supervisor = supervisor
        self._controller = controller
        self._mode = mode
        self._op = operator
        self.advisory_mode = advisory_mode
        self._end_hr_lost_ramp = end_hr_lost_ramp

    def apply(self, cmd: OperatorCommand, now_s: float) -> Cmds:
        """Apply one command; returns the treadmill commands to send."""
        if isinstance(cmd, EmergencyStop):
            return self.emergency_stop(now_s)
        bad = invalid_reason(cmd)
        if bad is not None:
            return self._reject(now_s, cmd, bad)
        state = self._do.state()
        if isinstance(cmd, StartSession):
            return self._start(now_s, cmd, state)
        if state.is_terminal:
            return self._reject(now_s, cmd, f"session is {state}")
        match cmd:
            case StopSession(reason=reason):
                return self._stop(now_s, reason)
            case PauseSession():
                if state not in EXERCISE_PHASES:
                    return self._reject(now_s, cmd, f"cannot pause in {state}")
                self._override(now_s, "pause", "therapist paused the session")
                return self._do.pause(now_s, Cause.THERAPIST, "paused by therapist")
            case ResumeSession():
                if state is not SessionState.PAUSED:
                    return self._reject(now_s, cmd, f"not paused ({state})")
                self._override(now_s, "resume", "therapist resumed the session")
                return self._do.resume(now_s)
            case SkipPhase():
                nxt = NEXT_PHASE.get(state)
                if nxt is None:
                    return self._reject(now_s, cmd, f"no next phase from {state}")
                self._override(now_s, "skip_phase", f"skip {state} -> {nxt}")
                return self._do.enter_phase(
                    now_s, nxt, Cause.THERAPIST, f"therapist skipped to {nxt}"
                )
            case AdjustTarget():
                return self._adjust_target(now_s, cmd)
            case HoldController():
                return self._hold(now_s, cmd.hold)
            case ResumeController():
                return self._resume_controller(now_s, cmd)
            case ManualSpeed():
                return self._manual_speed(now_s, cmd, state)
            case ManualIncline():
                return self._manual_incline(now_s, cmd, state)
            case Annotate():
                self._event(now_s, EventKind.ANNOTATION, Cause.THERAPIST, cmd.text, text=cmd.text)
                return []
            case RateRpe():
                if not 6 <= cmd.value <= 20:
                    return self._reject(now_s, cmd, "RPE must be 6-20")
                self._op.rpe = cmd.value
                self._event(
                    now_s, EventKind.RPE, Cause.PATIENT, f"RPE {cmd.value}", value=cmd.value
                )
                return []
            case RateFeeling():
                if not -5 <= cmd.value <= 5:
                    return self._reject(now_s, cmd, "feeling must be -5..5")
                self._op.feeling = cmd.value
                self._event(
                    now_s,
                    EventKind.FEELING,
                    Cause.PATIENT,
                    f"feeling {cmd.value:+d}",
                    value=cmd.value,
                )
                return []
            case AcknowledgeAlarm():
                if self._alarms.acknowledge(now_s, cmd.alarm_id):
                    return []
                return self._reject(now_s, cmd, f"no alarm {cmd.alarm_id}")
            case ContinueWithoutHr():
                return self._continue_without_hr(now_s, cmd)
            case ConfirmHr():
                if self._do.confirm_hr(now_s):
                    return []
                return self._reject(now_s, cmd, "the HR is not held implausible")
            case AcceptHrFailover():
                self._hr.accept_failover(cmd.accept)
                self._override(
                    now_s,
                    "hr_failover",
                    "treadmill HR accepted" if cmd.accept else "treadmill HR declined",
                    accept=cmd.accept,
                )
                return []
        raise TypeError(f"unknown operator command {cmd!r}")  # pragma: no cover

    def emergency_stop(self, now_s: float) -> Cmds:
        """End the session as emergency-stopped (after the end: stop the belt again)."""
        if self._do.state().is_terminal:
            self._event(
                now_s,
                EventKind.OVERRIDE,
                Cause.THERAPIST,
                "emergency stop (session already ended): belt stop sent",
                command="emergency_stop",
            )
            return self._do.stop_belt(now_s)
        self._override(now_s, "emergency_stop", "EMERGENCY STOP")
        self._clock.ensure_started(now_s)
        self._clock.close_pause(now_s)
        self._do.transition(
            now_s, SessionState.EMERGENCY_STOPPED, Cause.THERAPIST, "emergency stop"
        )
        return self._do.stop_belt(now_s)

    # ------------------------------------------------------------------ handlers

    def _event(
        self, now_s: float, kind: EventKind, cause: Cause, message: str, **data: Any
    ) -> None:
        self._journal.event(now_s, kind, cause, message, **data)

    def _override(self, now_s: float, name: str, message: str, **data: Any) -> None:
        self._event(now_s, EventKind.OVERRIDE, Cause.THERAPIST, message, command=name, **data)

    def _reject(self, now_s: float, cmd: OperatorCommand, reason: str) -> Cmds:
        self._event(
            now_s,
            EventKind.REJECTED,
            Cause.THERAPIST,
            f"{type(cmd).__name__} rejected: {reason}",
            command=type(cmd).__name__,
            reason=reason,
        )
        return []

    def _start(self, now_s: float, cmd: StartSession, state: SessionState) -> Cmds:
        if state is not SessionState.IDLE:
            return self._reject(now_s, cmd, f"session already {state}")
        self._clock.start(now_s)
        self._do.transition(now_s, SessionState.PREFLIGHT, Cause.THERAPIST, "session started")
        if self.advisory_mode:
            self._event(
                now_s,
                EventKind.CONTROLLER,
                Cause.DEVICE,
                "treadmill is monitor-only: advisory mode (set the advised speed by hand)",
                action="advisory",
            )
        if cmd.without_hr:
            self._continue_without_hr(now_s, ContinueWithoutHr(True))
            return self._do.enter_phase(
                now_s,
                SessionState.WARMUP,
                Cause.THERAPIST,
                "therapist started without a trusted HR: warm-up",
            )
        return []

    def _stop(self, now_s: float, reason: str = "") -> Cmds:
        why = reason.strip()[:200]
        self._override(
            now_s, "stop", f"session stopped: {why}" if why else "therapist stopped the session"
        )
        self._clock.ensure_started(now_s)
        self._clock.close_pause(now_s)
        self._do.transition(
            now_s,
            SessionState.STOPPED,
            Cause.THERAPIST,
            f"session stopped ({why})" if why else "session stopped",
        )
        return self._do.stop_belt(now_s)

    def _adjust_target(self, now_s: float, cmd: AdjustTarget) -> Cmds:
        offset_bpm = bounded_target_offset(self._op.target_offset_bpm, cmd.delta_bpm)
        if offset_bpm == self._op.target_offset_bpm and cmd.delta_bpm != 0:
            return self._reject(
                now_s, cmd, f"target offset already at its limit {offset_bpm:+.0f} bpm"
            )
        limited = offset_bpm != self._op.target_offset_bpm + cmd.delta_bpm
        self._op.target_offset_bpm = offset_bpm
        self._override(
            now_s,
            "adjust_target",
            f"target offset {offset_bpm:+.0f} bpm" + (" (limit)" if limited else ""),
            delta_bpm=cmd.delta_bpm,
            offset_bpm=offset_bpm,
            limited=limited,
        )
        return []

    def _continue_without_hr(self, now_s: float, cmd: ContinueWithoutHr) -> Cmds:
        if not isinstance(cmd.enabled, bool):
            return self._reject(now_s, cmd, "enabled must be true or false")
        self._op.continue_without_hr = cmd.enabled
        self._envelope.observe_continue_without_hr(cmd.enabled)
        self._override(
            now_s,
            "continue_without_hr",
            "therapist continues without HR (HR safety rules lifted, ceiling kept)"
            if cmd.enabled
            else "therapist ended continue-without-HR (HR safety rules apply)",
            enabled=cmd.enabled,
        )
        return []

    def _hold(self, now_s: float, hold: bool) -> Cmds:
        mode = self._mode
        if hold == mode.held:
            return self._reject(
                now_s, HoldController(hold), "already " + ("held" if hold else "released")
            )
        mode.held = hold
        self._override(
            now_s, "hold", "controller held" if hold else "controller released", hold=hold
        )
        belt = self._belt
        if not hold:
            self._controller.reseed(now_s, belt.speed_cmd_kmh, belt.incline_cmd_pct)
        self._event(
            now_s,
            EventKind.CONTROLLER,
            Cause.THERAPIST,
            "controller held" if hold else "controller released and re-seeded",
            action="held" if hold else "released",
            speed_kmh=belt.speed_cmd_kmh,
            incline_pct=belt.incline_cmd_pct,
        )
        return []

    def _resume_controller(self, now_s: float, cmd: ResumeController) -> Cmds:
        mode, belt = self._mode, self._belt
        if not mode.suspended and mode.manual_axes:
            axes = sorted(mode.manual_axes)
            mode.manual_axes.clear()
            self._override(
                now_s,
                "resume_controller",
                f"therapist handed {' and '.join(axes)} back to the automatic control",
                axes=axes,
            )
            self._controller.reseed(now_s, belt.speed_cmd_kmh, belt.incline_cmd_pct)
            return []
        if not mode.suspended:
            return self._reject(now_s, cmd, "controller is not suspended")
        if not self._hr.quality_now(now_s).trusted:
            return self._reject(now_s, cmd, "HR is not trusted yet")
        reasons = sorted(mode.suspended)
        mode.suspended.clear()
        mode.manual_axes.clear()
        self._end_hr_lost_ramp()
        self._override(
            now_s, "resume_controller", "therapist resumed the controller", reasons=reasons
        )
        self._controller.reseed(now_s, belt.speed_cmd_kmh, belt.incline_cmd_pct)
        self._event(
            now_s,
            EventKind.CONTROLLER,
            Cause.THERAPIST,
            "controller resumed and re-seeded",
            action="resumed",
            reason=",".join(reasons),
            speed_kmh=belt.speed_cmd_kmh,
            incline_pct=belt.incline_cmd_pct,
        )
        return []

    def _manual_speed(self, now_s: float, cmd: ManualSpeed, state: SessionState) -> Cmds:
        speed = self._legal.speed(cmd.speed_kmh)
        if state is SessionState.PAUSED:
            self._belt.resume_speed_kmh = speed
            self._override(
                now_s, "manual_speed", f"resume speed set to {speed:.1f} km/h", speed_kmh=speed
            )
            return []
        if state not in EXERCISE_PHASES:
            return self._reject(now_s, cmd, f"belt not running ({state})")
        if self._supervisor.above_ceiling and speed > self._belt.speed_cmd_kmh:
            return self._reject(now_s, cmd, "HR above the safety ceiling: no speed increase")
        self._override(now_s, "manual_speed", f"speed set to {speed:.1f} km/h", speed_kmh=speed)
        self._mode.manual_axes.add("speed")
        cmds = self._do.set_speed(now_s, speed, Origin.THERAPIST)
        speed = self._belt.speed_cmd_kmh  # what the envelope let through
        self._do.adopt_operating_point(
            now_s, speed, None, Cause.THERAPIST, f"therapist set {speed:.1f} km/h"
        )
        return cmds

    def _manual_incline(self, now_s: float, cmd: ManualIncline, state: SessionState) -> Cmds:
        incline = self._legal.incline(cmd.incline_pct)
        if state is SessionState.PAUSED:
            self._belt.resume_incline_pct = incline
            self._override(
                now_s, "manual_incline", f"resume incline {incline:.1f} %", incline_pct=incline
            )
            return []
        if state not in EXERCISE_PHASES:
            return self._reject(now_s, cmd, f"belt not running ({state})")
        if self._supervisor.above_ceiling and incline > self._belt.incline_cmd_pct:
            return self._reject(now_s, cmd, "HR above the safety ceiling: no incline increase")
        self._override(
            now_s, "manual_incline", f"incline set to {incline:.1f} %", incline_pct=incline
        )
        self._mode.manual_axes.add("incline")
        cmds = self._do.set_incline(now_s, incline, Origin.THERAPIST)
        incline = self._belt.incline_cmd_pct  # what the envelope let through
        self._do.adopt_operating_point(
            now_s, None, incline, Cause.THERAPIST, f"therapist set {incline:.1f} %"
        )
        return cmds
