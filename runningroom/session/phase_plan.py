"""The phase plan and the session clock.

Contract:

* :data:`TRANSITIONS` is the session state machine: every legal ``from -> to``; the
  engine raises on anything else. :data:`NEXT_PHASE` is where a finished (or skipped)
  phase leads; :data:`EXERCISE_PHASES` are the states in which the belt runs.
* :class:`PhaseClock` keeps time: the session origin (``StartSession``; every recorded
  ``t_s`` is seconds since it), the start of the preflight, and the active (unpaused)
  time spent in the current phase. It is told of phase entries and pauses; it never
  reads a clock.
* :class:`PhasePlan` reads the template and prescription: each phase's planned duration
  and the control target at a point of a phase (warm-up ramp, main-phase steps, cool-down
  recovery target, therapist offset, never closer to the ceiling than the margin), the
  HR band each phase aims at (:meth:`PhasePlan.target_band`) and the planned time left
  in the whole session (:meth:`PhasePlan.session_remaining_s`).
"""

from __future__ import annotations

from runningroom.model import PatientProfile, Prescription, SessionTemplate
from runningroom.session.model import SessionState

EXERCISE_PHASES = (SessionState.WARMUP, SessionState.MAIN, SessionState.COOLDOWN)
NEXT_PHASE = {
    SessionState.PREFLIGHT: SessionState.WARMUP,
    SessionState.WARMUP: SessionState.MAIN,
    SessionState.MAIN: SessionState.COOLDOWN,
    SessionState.COOLDOWN: SessionState.FINISHED,
}

_ENDS = (SessionState.STOPPED, SessionState.EMERGENCY_STOPPED, SessionState.ABORTED)

#: Allowed transitions (from -> set of to). Anything else is a bug and raises.
TRANSITIONS: dict[SessionState, frozenset[SessionState]] = {
    SessionState.IDLE: frozenset({SessionState.PREFLIGHT, *_ENDS}),
    SessionState.PREFLIGHT: frozenset({SessionState.WARMUP, *_ENDS}),
    SessionState.WARMUP: frozenset(
        {SessionState.MAIN, SessionState.COOLDOWN, SessionState.PAUSED, *_ENDS}
    ),
    SessionState.MAIN: frozenset({SessionState.COOLDOWN, SessionState.PAUSED, *_ENDS}),
    SessionState.COOLDOWN: frozenset({SessionState.FINISHED, SessionState.PAUSED, *_ENDS}),
    SessionState.PAUSED: frozenset(
        {SessionState.WARMUP, SessionState.MAIN, SessionState.COOLDOWN, *_ENDS}
    ),
    SessionState.FINISHED: frozenset(),
    SessionState.STOPPED: frozenset(),
    SessionState.ABORTED: frozenset(),
    SessionState.EMERGENCY_STOPPED: frozenset(),
}


class PhaseClock:
    """Session time and phase time; every ``now_s`` is the station's monotonic seconds."""

    def __init__(self) -> None:
        self._origin_s: float | None = None
        self._preflight_start_s = 0.0
        self._phase: SessionState | None = None
        self._phase_start_s = 0.0
        self._phase_paused_s = 0.0
        self._pause_start_s: float | None = None

    @property
    def started(self) -> bool:
        """True once the session has an origin (started, or ended before starting)."""
        return self._origin_s is not None

    @property
    def phase(self) -> SessionState | None:
        """The exercise phase the session is in (or paused in), if any."""
        return self._phase

    def rel(self, now_s: float) -> float:
        """Seconds since the session origin (0 before it)."""
        return 0.0 if self._origin_s is None else round(now_s - self._origin_s, 6)

    def start(self, now_s: float) -> None:
        """The session (and its preflight) starts at ``now_s``."""
        self._origin_s = now_s
        self._preflight_start_s = now_s

    def ensure_started(self, now_s: float) -> None:
        """Give a session that ends before it started its origin at ``now_s``."""
        if self._origin_s is None:
            self._origin_s = now_s

    def preflight_elapsed_s(self, now_s: float) -> float:
        """Time since the preflight started."""
        return now_s - self._preflight_start_s

    def enter(self, now_s: float, phase: SessionState) -> None:
        """A phase starts at ``now_s``; ``FINISHED`` restarts the timers but keeps the phase."""
        if phase is not SessionState.FINISHED:
            self._phase = phase
        self._phase_start_s = now_s
        self._phase_paused_s = 0.0
        self._pause_start_s = None

    def open_pause(self, now_s: float) -> None:
        """The phase is paused from ``now_s``: its active time stands still."""
        self._pause_start_s = now_s

    def close_pause(self, now_s: float) -> None:
        """An open pause ends at ``now_s`` (nothing if none is open)."""
        if self._pause_start_s is not None:
            self._phase_paused_s += now_s - self._pause_start_s
            self._pause_start_s = None

    def elapsed_s(self, now_s: float) -> float:
        """Active (unpaused) time spent in the current phase."""
        if self._phase is None:
            return 0.0
        paused = self._phase_paused_s
        if self._pause_start_s is not None:
            paused += now_s - self._pause_start_s
        return max(now_s - self._phase_start_s - paused, 0.0)


class PhasePlan:
    """What the template and prescription say about each phase.

    Args:
        template: the session plan.
        prescription: zone, target and ceiling.
        warmup_target_ramp_fraction: the warm-up target reaches the lower zone edge after
            this fraction of the warm-up.
        target_ceiling_margin_bpm: the target stays this far below the ceiling.
    """

    def __init__(
        self,
        template: SessionTemplate,
        prescription: Prescription,
        *,
        warmup_target_ramp_fraction: float,
        target_ceiling_margin_bpm: float,
    ) -> None:
        self._template = template
        self._prescription = prescription
        self._ramp_fraction = warmup_target_ramp_fraction
        self._margin_bpm = target_ceiling_margin_bpm

    def duration_s(self, phase: SessionState | None) -> float:
        """The planned duration of ``phase`` (0 for anything but an exercise phase)."""
        if phase is SessionState.WARMUP:
            return self._template.warmup.duration_s
        if phase is SessionState.MAIN:
            return self._template.main.duration_s
        if phase is SessionState.COOLDOWN:
            return self._template.cooldown.duration_s
        return 0.0

    def session_remaining_s(self, phase: SessionState | None, phase_remaining_s: float) -> float:
        """Planned time left in the whole session: the rest of ``phase`` and every later phase.

        Before the warm-up (``phase`` None) it is the whole plan; after the session
        (``phase`` not an exercise phase) it is 0.
        """
        if phase is None:
            return sum(self.duration_s(p) for p in EXERCISE_PHASES)
        if phase not in EXERCISE_PHASES:
            return 0.0
        later = EXERCISE_PHASES[EXERCISE_PHASES.index(phase) + 1 :]
        return max(phase_remaining_s, 0.0) + sum(self.duration_s(p) for p in later)

    def target_band(self, phase: SessionState | None, target_bpm: float) -> tuple[float, float]:
        """The HR band ``(low_bpm, high_bpm)`` that counts as on target in ``phase``.

        * main phase (and no phase): the prescription's zone.
        * warm-up: from the ramp target less half the zone's width (never above the
          zone's lower edge) to the zone's upper edge: a HR on its way up to the zone is
          on target, one above the zone is not.
        * cool-down: from the resting HR (or the recovery HR, if lower) to the zone's
          upper edge: a HR on its way down is on target, one above the zone is not.

        ``target_bpm`` is the phase's current control target (:meth:`target_bpm`).
        ``low_bpm`` is always below ``high_bpm``.
        """
        p = self._prescription
        if phase is SessionState.WARMUP:
            half_width = (p.zone_high_bpm - p.zone_low_bpm) / 2.0
            low, high = min(target_bpm - half_width, p.zone_low_bpm), p.zone_high_bpm
        elif phase is SessionState.COOLDOWN:
            low = min(float(p.resting_hr_bpm), self.recovery_bpm)
            high = p.zone_high_bpm
        else:
            low, high = p.zone_low_bpm, p.zone_high_bpm
        return min(low, high - 1.0), high

    @property
    def recovery_bpm(self) -> float:
        """The HR below which the cool-down may end early."""
        pct = self._template.cooldown.recovery_hr_pct_hrmax
        return pct / 100.0 * self._prescription.hrmax_bpm

    def start_speed_kmh(self, profile: PatientProfile, default_kmh: float) -> float:
        """The warm-up start speed: the template's, else the profile's, else the default."""
        start = self._template.warmup.start_speed_kmh
        if start is None:
            start = profile.start_speed_kmh
        if start is None:
            start = default_kmh
        return start

    def target_bpm(
        self,
        phase: SessionState | None,
        elapsed_s: float,
        *,
        warmup_hr0_bpm: float,
        offset_bpm: float,
    ) -> float:
        """The control target ``elapsed_s`` into ``phase`` (ramp + offset + steps)."""
        p = self._prescription
        if phase is SessionState.WARMUP:
            ramp_s = max(self._template.warmup.duration_s * self._ramp_fraction, 1.0)
            frac = min(elapsed_s / ramp_s, 1.0)
            end = p.zone_low_bpm
            target = warmup_hr0_bpm + (end - warmup_hr0_bpm) * frac
            target += offset_bpm
        elif phase is SessionState.COOLDOWN:
            target = self.recovery_bpm
        else:
            target = p.target_bpm + offset_bpm
            spec = self._template.main
            if (
                phase is SessionState.MAIN
                and spec.target_offset_bpm > 0
                and spec.target_step_period_s > 0
            ):
                half = int(elapsed_s // spec.target_step_period_s)
                target += spec.target_offset_bpm if half % 2 == 0 else -spec.target_offset_bpm
        return min(target, p.ceiling_bpm - self._margin_bpm)
