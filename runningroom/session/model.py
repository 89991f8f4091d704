"""Public vocabulary of the session engine: states, causes, alarms, commands, snapshot.

The engine (:mod:`runningroom.session.engine`) is synchronous and pure: it is fed
measurements, device events, operator commands and ``tick(now_s)`` calls, and it
returns the treadmill commands to send. The UI and the headless runners only use the
types in this module plus the engine's public methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class SessionState(StrEnum):
    """States of the session state machine.

    ``idle -> preflight -> warmup -> main -> cooldown -> finished``, plus ``paused``
    (from any exercise phase, resumes into it), ``stopped`` (therapist ended it early,
    belt stopped), ``aborted`` (process died or fatal error; set on recovery) and
    ``emergency_stopped`` (from any state).
    """

    IDLE = "idle"
    PREFLIGHT = "preflight"
    WARMUP = "warmup"
    MAIN = "main"
    COOLDOWN = "cooldown"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"
    ABORTED = "aborted"
    EMERGENCY_STOPPED = "emergency_stopped"

    @property
    def is_terminal(self) -> bool:
        """True for states a session never leaves."""
        return self in _TERMINAL

    @property
    def is_exercising(self) -> bool:
        """True while the belt is meant to move under the patient."""
        return self in (SessionState.WARMUP, SessionState.MAIN, SessionState.COOLDOWN)


_TERMINAL = frozenset(
    {
        SessionState.FINISHED,
        SessionState.STOPPED,
        SessionState.ABORTED,
        SessionState.EMERGENCY_STOPPED,
    }
)


class Cause(StrEnum):
    """Why something happened; recorded with every transition and action."""

    TIMER = "timer"
    THERAPIST = "therapist"
    SAFETY = "safety"
    DEVICE = "device"
    CONTROLLER = "controller"
    SYSTEM = "system"
    PATIENT = "patient"


class HrQuality(StrEnum):
    """Verdict of the HR signal-quality gate on the latest sample."""

    OK = "ok"
    NO_SIGNAL = "no_signal"  # nothing received yet
    STALE = "stale"  # no sample for 5 s
    ZERO = "zero"
    FROZEN = "frozen"  # identical for 30 s while speed changes
    JUMP = "jump"  # > 25 bpm in 2 s
    OUT_OF_RANGE = "out_of_range"  # outside 30-230 bpm
    NO_CONTACT = "no_contact"
    LOW_QUALITY_SOURCE = "low_quality_source"  # e.g. treadmill-relayed HR (failover)

    @property
    def trusted(self) -> bool:
        """True when the value may drive the controller (possibly with restrictions)."""
        return self in (HrQuality.OK, HrQuality.LOW_QUALITY_SOURCE)


class AlarmKind(StrEnum):
    """Alarms the therapist must acknowledge."""

    HR_LOST = "hr_lost"
    HR_UNTRUSTED = "hr_untrusted"
    HR_ABOVE_CEILING = "hr_above_ceiling"
    DEVICE_DISCONNECTED = "device_disconnected"
    SAFETY_KEY = "safety_key"
    TREADMILL_STOPPED = "treadmill_stopped"
    CONTROL_LOST = "control_lost"
    TREADMILL_NOT_RESPONDING = "treadmill_not_responding"
    RECORDING_FAILED = "recording_failed"
    HR_IMPLAUSIBLE = "hr_implausible"


@dataclass(slots=True)
class Alarm:
    """One alarm instance. ``action`` says what the system did about it."""

    alarm_id: int
    kind: AlarmKind
    raised_t_s: float
    message: str
    action: str
    acknowledged_t_s: float | None = None
    cleared_t_s: float | None = None

    @property
    def acknowledged(self) -> bool:
        """True once the therapist acknowledged it."""
        return self.acknowledged_t_s is not None


class Intent(StrEnum):
    """What the controller is trying to do, for the patient-screen cue."""

    NONE = "none"
    FASTER = "faster"  # "a bit faster"
    SLOWER = "slower"  # "ease off"
    HOLD = "hold"  # "well done"


# ---- operator commands (therapist console, CLI, Ctrl-C) -------------------------------


@dataclass(frozen=True, slots=True)
class StartSession:
    """Run preflight and start the warm-up.

    ``without_hr``: the therapist's explicit, recorded choice to start without a trusted
    HR (the pre-session check's "start without HR"): the session turns continue-without-HR
    on (as :class:`ContinueWithoutHr`, recorded as its override) and enters the warm-up
    at once instead of waiting in preflight for a trusted HR.
    """

    without_hr: bool = False


@dataclass(frozen=True, slots=True)
class PauseSession:
    """Pause: belt stops, phase clock stops."""


@dataclass(frozen=True, slots=True)
class ResumeSession:
    """Resume the paused phase."""


@dataclass(frozen=True, slots=True)
class SkipPhase:
    """End the current phase now and go to the next one."""


@dataclass(frozen=True, slots=True)
class StopSession:
    """End the session early: belt stops, state ``stopped``.

    ``reason`` is recorded with the stop (empty: the therapist stopped it); a
    headless run that ends a pause after its timeout says so here.
    """

    reason: str = ""


@dataclass(frozen=True, slots=True)
class EmergencyStop:
    """Stop the belt immediately from any state."""


@dataclass(frozen=True, slots=True)
class AdjustTarget:
    """Shift the control target by ``delta_bpm`` (cumulative)."""

    delta_bpm: float


@dataclass(frozen=True, slots=True)
class HoldController:
    """Freeze (``hold=True``) or release the controller at the current operating point."""

    hold: bool


@dataclass(frozen=True, slots=True)
class ResumeController:
    """Re-enable a suspended controller (HR lost) or hand manual axes back to it."""


@dataclass(frozen=True, slots=True)
class ManualSpeed:
    """Set the belt speed by hand: speed stays manual until ResumeController."""

    speed_kmh: float


@dataclass(frozen=True, slots=True)
class ManualIncline:
    """Set the incline by hand: incline stays manual until ResumeController."""

    incline_pct: float


@dataclass(frozen=True, slots=True)
class Annotate:
    """Free-text therapist annotation."""

    text: str


@dataclass(frozen=True, slots=True)
class RateRpe:
    """Borg RPE 6-20 as reported by the patient."""

    value: int


@dataclass(frozen=True, slots=True)
class RateFeeling:
    """Feeling Scale -5..+5 as reported by the patient."""

    value: int


@dataclass(frozen=True, slots=True)
class AcknowledgeAlarm:
    """The therapist acknowledged alarm ``alarm_id``."""

    alarm_id: int


@dataclass(frozen=True, slots=True)
class AcceptHrFailover:
    """Use the treadmill-relayed HR (lower quality) while the strap is lost."""

    accept: bool = True


@dataclass(frozen=True, slots=True)
class ContinueWithoutHr:
    """The therapist's explicit, recorded choice to run without a trusted HR.

    While enabled, the safety envelope lets speed and incline rise without a trusted
    HR and does not ramp the belt down after HR loss; the ceiling rule still holds.
    """

    enabled: bool = True


@dataclass(frozen=True, slots=True)
class ConfirmHr:
    """The therapist confirms that the HR shown is the patient's real HR.

    Answers an ``hr_implausible`` alarm: the disagreement with the load that raised it
    no longer blocks increases, until it clears (it alarms again if it returns) or for
    at most the plausibility monitor's confirmation time. Recorded as an override.
    """


OperatorCommand = (
    StartSession
    | PauseSession
    | ResumeSession
    | SkipPhase
    | StopSession
    | EmergencyStop
    | AdjustTarget
    | HoldController
    | ResumeController
    | ManualSpeed
    | ManualIncline
    | Annotate
    | RateRpe
    | RateFeeling
    | AcknowledgeAlarm
    | AcceptHrFailover
    | ContinueWithoutHr
    | ConfirmHr
)

# ---- treadmill commands (engine -> device) --------------------------------------------


@dataclass(frozen=True, slots=True)
class SetSpeedCommand:
    """Command the belt to ``speed_kmh`` (already clamped and quantised)."""

    speed_kmh: float


@dataclass(frozen=True, slots=True)
class SetInclineCommand:
    """Command the incline to ``incline_pct`` (already clamped and quantised)."""

    incline_pct: float


@dataclass(frozen=True, slots=True)
class StartBeltCommand:
    """Start the belt."""


@dataclass(frozen=True, slots=True)
class StopBeltCommand:
    """Stop the belt (safe state)."""


TreadmillCommand = SetSpeedCommand | SetInclineCommand | StartBeltCommand | StopBeltCommand


@dataclass(frozen=True, slots=True)
class SessionSnapshot:
    """Everything a screen needs, copied out of the engine at one instant."""

    t_s: float
    state: SessionState
    phase: SessionState | None  # warm-up/main/cool-down the session is in (or paused in)
    phase_elapsed_s: float
    phase_remaining_s: float
    session_elapsed_s: float
    hr_bpm: int | None
    hr_filtered_bpm: float | None
    hr_quality: HrQuality
    target_bpm: float
    zone_low_bpm: float
    zone_high_bpm: float
    ceiling_bpm: float
    speed_cmd_kmh: float
    speed_meas_kmh: float | None
    incline_cmd_pct: float
    incline_meas_pct: float | None
    distance_m: float
    target_offset_bpm: float
    controller_held: bool
    controller_suspended: bool
    advisory_mode: bool
    intent: Intent
    active_alarms: tuple[Alarm, ...] = field(default_factory=tuple)
    advised_speed_kmh: float | None = None  # advisory mode: speed the therapist should set
    advised_incline_pct: float | None = None  # advisory mode: incline to set
    hr_failover_available: bool = False  # strap lost, treadmill HR usable: offer it
    hr_failover_active: bool = False  # treadmill-relayed HR in use (lower quality)
    controller_name: str = ""
    speed_manual: bool = False  # the therapist set the speed; the controller leaves it
    incline_manual: bool = False  # likewise for the incline
    continue_without_hr: bool = False  # the therapist chose to run without a trusted HR
    hr_plausible: bool = True  # HR agrees with what the load predicts (or was confirmed)
    hr_implausible_reason: str | None = None  # why it does not, while it does not
    planned_duration_s: float = 0.0
    rpe: int | None = None  # latest Borg RPE rating
    feeling: int | None = None  # latest Feeling Scale rating
    # the HR band the current phase aims at (PhasePlan.target_band); None: use the zone
    phase_target_low_bpm: float | None = None
    phase_target_high_bpm: float | None = None
    # planned time left in the whole session, all phases (PhasePlan.session_remaining_s)
    session_remaining_s: float | None = None


class EventKind(StrEnum):
    """``EventRecord.kind`` values the engine writes (records and UI filter on them).

    ``data`` keys per kind:
      * ``state``: ``from``, ``to`` (state values), ``phase`` (phase or None).
      * ``alarm``: ``alarm_id``, ``alarm_kind`` (:class:`AlarmKind` value), ``stage``
        (``raised`` | ``acknowledged`` | ``cleared``), ``action`` (what the system did).
      * ``override``: ``command`` (e.g. ``adjust_target``, ``manual_speed``, ``hold``,
        ``skip_phase``, ``resume_controller``, ``hr_failover``, ``pause``, ``resume``,
        ``stop``, ``emergency_stop``) plus its values.
      * ``annotation``: ``text``.  ``rpe``: ``value`` (6-20).  ``feeling``: ``value`` (-5..5).
      * ``device``: ``role``, ``device_kind`` (:class:`~runningroom.devices.DeviceEventKind`),
        ``value``.
      * ``hr_quality``: ``quality`` (:class:`HrQuality` value), ``source``.
      * ``controller``: ``action`` (``reseed`` | ``suspended`` | ``resumed`` | ``held`` |
        ``released``), ``speed_kmh``, ``incline_pct``, ``reason``.
      * ``safety``: ``rule`` (``ceiling_step_down`` | ``ceiling_cooldown`` |
        ``hr_lost_ramp_down`` ...), ``speed_kmh``, ``incline_pct``.
      * ``command``: ``command``, ``ok``, ``error`` (failed treadmill commands).
      * ``rejected``: ``command``, ``reason`` (an operator command that was refused).
    """

    STATE = "state"
    ALARM = "alarm"
    OVERRIDE = "override"
    ANNOTATION = "annotation"
    RPE = "rpe"
    FEELING = "feeling"
    DEVICE = "device"
    HR_QUALITY = "hr_quality"
    CONTROLLER = "controller"
    SAFETY = "safety"
    COMMAND = "command"
    REJECTED = "rejected"
