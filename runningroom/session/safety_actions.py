"""The safety actions of an exercise tick: what the supervisor's verdict makes happen.

Contract of :meth:`SafetyActions.act` (once per exercise tick, before the control step):

* **Ceiling step-down.** On the verdict's step-down: the CEILING alarm, a recorded
  ``ceiling_step_down`` and the point lowered by ``ceiling_step_kmh`` with the incline at
  its minimum (a safety action, intent slower). Once the HR is no longer above the
  ceiling the alarm clears and the controller is re-seeded (recorded).
* **Ceiling cool-down.** On the verdict's go-cool-down outside the cool-down: recorded,
  and the outcome asks the engine to apply the point and enter the cool-down.
* **Automatic resume** (unsupervised runs only, ``auto_resume_controller_s`` set): an
  HR-lost suspension ends after the HR was trusted that long (recorded).
* **HR-lost deadline.** On the verdict's ramp-down or the envelope's HR-lost deadline,
  once: the controller is suspended, the HR-lost ramp of the control step starts
  (recorded), and the HR alarm's action says so.

:meth:`SafetyActions.sync_hr_alarms` keeps the HR-lost and HR-untrusted alarms as the
verdict names them. Nothing here sends a command: the engine applies the outcome, and the
envelope has the last word.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from runningroom.control.base import Controller
from runningroom.session.alarms import AlarmBook
from runningroom.session.control_step import ControlStep
from runningroom.session.engine_config import LegalRange
from runningroom.session.envelope import SafetyEnvelope
from runningroom.session.journal import Journal
from runningroom.session.model import AlarmKind, Cause, EventKind, HrQuality, Intent, SessionState
from runningroom.session.operator_commands import ControllerMode
from runningroom.session.supervisor import SafetyVerdict, SupervisorConfig

#: The suspension reason of the HR-lost deadline.
SUSPEND_HR = "hr_lost"


@dataclass(frozen=True, slots=True)
class SafetyOutcome:
    """The operating point after the safety actions, and what they ask for."""

    speed_kmh: float
    incline_pct: float
    intent: Intent
    acted: bool
    go_cooldown: bool = False


class SafetyActions:
    """Carries out the supervisor's verdict; see the module docstring."""

    def __init__(
        self,
        *,
        supervisor: SupervisorConfig,
        auto_resume_controller_s: float | None,
        ceiling_bpm: float,
        min_incline_pct: float,
        legal: LegalRange,
        journal: Journal,
        alarms: AlarmBook,
        envelope: SafetyEnvelope,
        step: ControlStep,
        controller: Controller,
        mode: ControllerMode,
        suspend: Callable[[float, str, str, Cause], None],
    ) -> None:
        self._sup = supervisor
        self._auto_resume_s = auto_resume_controller_s
        self._ceiling_bpm = ceiling_bpm
        self._min_incline_pct = min_incline_pct
        self._legal = legal
        self._journal = journal
        self._alarms = alarms
        self._envelope = envelope
        self._step = step
        self._controller = controller
        self._mode = mode
        self._suspend = suspend
        self._trusted_since_s: float | None = None

    def act(
        self,
        now_s: float,
        phase: SessionState,
        verdict: SafetyVerdict,
        *,
        hr_bpm: float | None,
        untrusted_raw_bpm: float | None,
        speed_kmh: float,
        incline_pct: float,
    ) -> SafetyOutcome:
        """Act on ``verdict`` at the operating point; returns the point after the actions."""
        speed, incline = speed_kmh, incline_pct
        filtered, untrusted_raw = hr_bpm, untrusted_raw_bpm
        intent = Intent.NONE
        safety_acted = False

        if verdict.step_down:
            new_speed = self._legal.speed(speed - self._sup.ceiling_step_kmh)
            new_incline = self._min_incline_pct
            self._alarms.raise_alarm(
                now_s,
                AlarmKind.HR_ABOVE_CEILING,
                f"HR {filtered if filtered is not None else untrusted_raw or 0.0:.0f} bpm "
                "above the safety ceiling "
                f"{self._ceiling_bpm:.0f} bpm",
                f"speed stepped down by {self._sup.ceiling_step_kmh:.1f} km/h and incline "
                f"to {new_incline:.0f} %; cool-down after "
                f"{self._sup.ceiling_cooldown_after_s:.0f} s above",
            )
            self._journal.event(
                now_s,
                EventKind.SAFETY,
                Cause.SAFETY,
                f"HR above ceiling: step down to {new_speed:.1f} km/h",
                rule="ceiling_step_down",
                speed_kmh=new_speed,
                incline_pct=new_incline,
            )
            speed, incline = new_speed, new_incline
            safety_acted = True
            intent = Intent.SLOWER
        elif not verdict.above_ceiling and self._alarms.is_active(AlarmKind.HR_ABOVE_CEILING):
            self._alarms.clear(now_s, AlarmKind.HR_ABOVE_CEILING)
            self._controller.reseed(now_s, speed, incline)
            self._journal.event(
                now_s,
                EventKind.CONTROLLER,
                Cause.SAFETY,
                "HR back below the ceiling; controller re-seeded",
                action="reseed",
                speed_kmh=speed,
                incline_pct=incline,
            )
        if verdict.go_cooldown and phase is not SessionState.COOLDOWN:
            self._journal.event(
                now_s,
                EventKind.SAFETY,
                Cause.SAFETY,
                "HR above the ceiling for too long: cool-down",
                rule="ceiling_cooldown",
                speed_kmh=speed,
                incline_pct=incline,
            )
            return SafetyOutcome(speed, incline, intent, safety_acted, go_cooldown=True)

        # unsupervised runs only: resume an HR-lost suspension once HR is trusted again
        auto_s = self._auto_resume_s
        if auto_s is not None and set(self._mode.suspended) == {SUSPEND_HR}:
            if not verdict.hr_trusted:
                self._trusted_since_s = None
            elif self._trusted_since_s is None:
                self._trusted_since_s = now_s
            elif now_s - self._trusted_since_s >= auto_s:
                self._mode.suspended.clear()
                self._step.end_hr_lost_ramp()
                self._trusted_since_s = None
                self._controller.reseed(now_s, speed, incline)
                self._journal.event(
                    now_s,
                    EventKind.CONTROLLER,
                    Cause.SYSTEM,
                    f"HR trusted for {auto_s:.0f} s: controller resumed (unsupervised mode)",
                    action="resumed",
                    reason=SUSPEND_HR,
                    speed_kmh=speed,
                    incline_pct=incline,
                )

        # HR lost for too long: ramp down, suspend
        deadline = self._envelope.hr_lost_deadline_passed(now_s)
        if (verdict.ramp_down or deadline) and SUSPEND_HR not in self._mode.suspended:
            safe = self._step.safe_walk_speed_kmh
            self._suspend(now_s, SUSPEND_HR, "no trusted HR for 60 s", Cause.SAFETY)
            self._step.start_hr_lost_ramp(speed)
            self._journal.event(
                now_s,
                EventKind.SAFETY,
                Cause.SAFETY,
                f"no trusted HR for {self._sup.hr_lost_ramp_after_s:.0f} s: "
                f"ramping down to {safe:.1f} km/h",
                rule="hr_lost_ramp_down",
                speed_kmh=safe,
                incline_pct=self._min_incline_pct,
            )
            alarm = self._alarms.active(AlarmKind.HR_LOST) or self._alarms.active(
                AlarmKind.HR_UNTRUSTED
            )
            if alarm is not None:
                alarm.action = (
                    f"speed held, then ramped down to {safe:.1f} km/h; controller suspended "
                    "until the therapist resumes it"
                )
        return SafetyOutcome(speed, incline, intent, safety_acted)

    def sync_hr_alarms(self, now_s: float, verdict: SafetyVerdict, quality: HrQuality) -> None:
        """Raise, or clear, the HR-lost and HR-untrusted alarms the verdict names."""
        for kind in (AlarmKind.HR_LOST, AlarmKind.HR_UNTRUSTED):
            if self._alarms.is_active(kind) and verdict.hr_alarm is not kind:
                self._alarms.clear(now_s, kind)
        if verdict.hr_alarm is not None and not self._alarms.is_active(verdict.hr_alarm):
            what = "lost" if verdict.hr_alarm is AlarmKind.HR_LOST else "untrusted"
            self._alarms.raise_alarm(
                now_s,
                verdict.hr_alarm,
                f"heart rate {what} ({quality})",
                f"speed held (no acceleration); ramp down to a safe walking speed after "
                f"{self._sup.hr_lost_ramp_after_s:.0f} s",
            )
