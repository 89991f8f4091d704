"""The safety envelope: the last word over every treadmill command.

Every command the session engine sends to the belt passes :meth:`SafetyEnvelope.check`
last, whoever produced it: the controller, a safety action, a therapist override, a
console or divergence adoption, a reconnection restore, a resend or a resume. The
envelope is small, pure and keeps its own state, derived from inputs it checks itself
(raw HR samples, the session state, measured belt speed, the clock); it trusts the
engine for nothing but the HR gate's verdict, which it only ever uses to *restrict*.

Rules (this table is the safety specification; the README repeats it):

====  ======================  ==========================================================
rule  name                    what the envelope does
====  ======================  ==========================================================
E1    finite and in range     a speed or incline that is not a finite number is dropped;
                              values are clamped into the patient's and device's range
E2    state                   outside warm-up, main and cool-down only StopBelt passes;
                              after a StopBelt no speed or incline passes until a
                              StartBelt did
E3    start                   StartBelt passes only in an exercising state, only for a
                              request made in the current state (a request from before
                              the latest state change, e.g. a resend, is dropped), and
                              never after a StopBelt in the same state
E4    no increase             a speed or incline above the last value let through is
                              cut to that value unless increases are permitted: the HR
                              is trusted now by the HR gate *and* by the envelope's own
                              check (latest sample finite, 30-230 bpm, not zero, skin
                              contact not lost, 0-5 s old), or the therapist chose to
                              continue without HR (recorded). From a standing belt the
                              speed may rise to the safe walking speed without HR
E5    ceiling                 from any finite HR sample above the ceiling (a value above
                              230 bpm included) until the HR is trusted again at or
                              below ceiling - 2 bpm: no increase at all, whatever the
                              therapist chose (a standing-belt start to the safe walking
                              speed excepted)
E6    HR-lost deadline        after 60 s of untrusted HR (counted in every state, pauses
                              included) and no continue-without-HR: the speed cap starts
                              at the last speed let through and falls at 0.1 km/h/s to
                              the safe walking speed, the incline cap at 0.5 %/s to the
                              minimum; every command is cut to the caps, and the envelope
                              itself commands the belt down when it is above them
E7    step                    an increase by the software (not a therapist's manual
                              setting, not a start from a standing belt) is at most
                              ``max_increase_kmh`` / ``max_increase_pct`` per command
E8    stop                    StopBelt always passes
====  ======================  ==========================================================

Every cut or drop comes back as a :class:`Verdict` naming its rule, so the engine can
record it.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from enum import StrEnum

from runningroom.devices import HrSample, SensorContact
from runningroom.session.model import (
    SessionState,
    SetInclineCommand,
    SetSpeedCommand,
    StartBeltCommand,
    StopBeltCommand,
    TreadmillCommand,
)

logger = logging.getLogger(__name__)

_EPS = 1e-9


class Origin(StrEnum):
    """Who asked for a command (only the therapist's manual settings may jump)."""

    SOFTWARE = "software"
    THERAPIST = "therapist"


class Rule(StrEnum):
    """The envelope rule that cut or dropped a command."""

    FINITE = "E1_finite"
    RANGE = "E1_range"
    STATE = "E2_state"
    START = "E3_start"
    NO_INCREASE = "E4_no_increase"
    CEILING = "E5_ceiling"
    HR_LOST_DEADLINE = "E6_hr_lost_deadline"
    STEP = "E7_step"


@dataclass(frozen=True, slots=True)
class EnvelopeLimits:
    """The numbers the rules use.

    Attributes:
        min_speed_kmh: lowest speed a running belt may be commanded to.
        max_speed_kmh: highest speed (patient's and device's limit).
        speed_step_kmh: the device's speed increment (cut values are floored to it).
        min_incline_pct: lowest incline.
        max_incline_pct: highest incline (patient's and device's limit).
        incline_step_pct: the device's incline increment.
        safe_walk_speed_kmh: the HR-lost rule's target and the standing-belt allowance.
        ceiling_bpm: the prescription's safety ceiling.
        ceiling_hysteresis_bpm: a ceiling episode ends at or below ceiling minus this.
        min_valid_bpm: lowest HR the own check accepts.
        max_valid_bpm: highest HR the own check accepts.
        hr_stale_after_s: the own check's freshness limit.
        future_tolerance_s: a sample stamped at most this far ahead of the clock still
            counts as fresh (transport jitter); further ahead is untrusted.
        hr_lost_after_s: untrusted this long starts the deadline ramp.
        ramp_down_kmh_per_s: the deadline ramp's speed rate.
        incline_ramp_pct_per_s: the deadline ramp's incline rate.
        max_increase_kmh: largest software speed increase per command.
        max_increase_pct: largest software incline increase per command.
        belt_resend_s: while the measured belt speed stays above the deadline cap,
            the envelope re-commands the cap this often.
        belt_tolerance_kmh: measured speed this far above the cap counts as above.
    """

    min_speed_kmh: float
    max_speed_kmh: float
    speed_step_kmh: float
    min_incline_pct: float
    max_incline_pct: float
    incline_step_pct: float
    safe_walk_speed_kmh: float
    ceiling_bpm: float
    ceiling_hysteresis_bpm: float = 2.0
    min_valid_bpm: float = 30.0
    max_valid_bpm: float = 230.0
    hr_stale_after_s: float = 5.0
    future_tolerance_s: float = 0.5
    hr_lost_after_s: float = 60.0
    ramp_down_kmh_per_s: float = 0.1
    incline_ramp_pct_per_s: float = 0.5
    max_increase_kmh: float = 0.5
    max_increase_pct: float = 1.0
    belt_resend_s: float = 5.0
    belt_tolerance_kmh: float = 0.5


@dataclass(frozen=True, slots=True)
class Verdict:
    """What became of one requested command.

    Attributes:
        requested: the command as asked for.
        command: what may be sent (None: dropped).
        rule: the rule that cut or dropped it (None: passed unchanged).
    """

    requested: TreadmillCommand
    command: TreadmillCommand | None
    rule: Rule | None


def _floor_to_grid(value: float, low: float, step: float) -> float:
    if step <= 0:
        return round(value, 6)
    return round(low + math.floor((value - low) / step + 1e-6) * step, 6)


def is_finite_number(value: object) -> bool:
    """True for a real, finite number (bools and strings are not numbers here)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class SafetyEnvelope:
    """The gate every treadmill command passes last; see the module docstring.

    Feed it :meth:`observe_hr` (every raw HR sample in use), :meth:`observe_belt`
    (measured belt speed), :meth:`observe_state` (every state change) and
    :meth:`observe_tick` (once per engine tick, with the HR gate's verdict), then pass
    every command through :meth:`check` and send what :meth:`required` asks for.
    """

    def __init__(self, limits: EnvelopeLimits) -> None:
        self.limits = limits
        self._state = SessionState.IDLE
        self._epoch = 0
        self._stop_epoch: int | None = None
        self._last_speed_kmh = 0.0
        self._last_incline_pct = limits.min_incline_pct
        self._standing = True
        self._started = False
        # HR, as the envelope sees it
        self._hr_t_s: float | None = None
        self._hr_bpm: float | None = None
        self._hr_contact_lost = False
        self._hr_valid = False
        self._ceiling_episode = False
        # per-tick verdicts
        self._now_s: float | None = None
        self._trusted = False
        self._increase_ok = False
        self._continue_without_hr = False
        self._lost_since_s: float | None = None
        self._last_trusted_s: float | None = None
        self._cap_speed_from_kmh: float | None = None
        self._cap_incline_from_pct: float | None = None
        # measured belt: (time, speed) of the latest believable reading
        self._belt: tuple[float, float] | None = None
        self._last_belt_resend_s: float | None = None

    # ------------------------------------------------------------------ inputs

    @property
    def epoch(self) -> int:
        """Counts state changes; a request carries the epoch it was made in."""
        return self._epoch

    def observe_state(self, state: SessionState) -> None:
        """The session entered ``state``."""
        if state is not self._state:
            self._state = state
            self._epoch += 1

    def observe_hr(self, sample: HrSample) -> None:
        """One raw HR sample from the source in use (valid or not)."""
        bpm: object = sample.hr_bpm
        t_s: object = sample.t_s
        if not is_finite_number(t_s):
            self._hr_valid = False
            return
        assert isinstance(t_s, int | float)
        self._hr_t_s = float(t_s)
        finite = is_finite_number(bpm)
        self._hr_bpm = float(bpm) if finite else None  # type: ignore[arg-type]
        self._hr_contact_lost = sample.contact is SensorContact.NO_CONTACT
        lim = self.limits
        self._hr_valid = (
            self._hr_bpm is not None
            and lim.min_valid_bpm <= self._hr_bpm <= lim.max_valid_bpm
            and not self._hr_contact_lost
        )
        if not self._hr_valid:  # restrict at once; only a tick's verdict restores trust
            self._trusted = False
            self._increase_ok = False
        if self._hr_bpm is not None and self._hr_bpm > lim.ceiling_bpm:
            if not self._ceiling_episode:
                logger.info("envelope: HR %.0f above the ceiling: no increases", self._hr_bpm)
            self._ceiling_episode = True

    def observe_continue_without_hr(self, enabled: bool) -> None:
        """The therapist's recorded choice to run without a trusted HR (E4, E6)."""
        self._continue_without_hr = enabled is True

    def observe_belt(self, t_s: float, speed_kmh: float | None) -> None:
        """One measured belt speed (ignored unless finite and physically possible)."""
        if speed_kmh is None or not is_finite_number(speed_kmh) or not is_finite_number(t_s):
            return
        if speed_kmh < 0 or speed_kmh > self.limits.max_speed_kmh * 2 + 5:
            return
        self._belt = (float(t_s), float(speed_kmh))

    def adopt_speed(self, now_s: float, speed_kmh: float) -> bool:
        """Someone else set the belt (console): a lower ``speed_kmh`` becomes the last speed.

        Believed only when the envelope's own latest belt reading (at most 3 s old)
        confirms it within ``belt_tolerance_kmh``; returns whether it was believed.
        """
        lim = self.limits
        if not is_finite_number(speed_kmh) or not self._state.is_exercising:
            return False
        if self._belt is None:
            return False
        belt_t_s, belt_kmh = self._belt
        if now_s - belt_t_s > 3.0 or abs(belt_kmh - speed_kmh) > lim.belt_tolerance_kmh:
            return False
        # only ever lowers the reference: a belt someone sped up is not a licence to
        # command that speed without the HR's permission
        adopted = min(max(float(speed_kmh), lim.min_speed_kmh), lim.max_speed_kmh)
        if not self._standing:
            self._last_speed_kmh = min(self._last_speed_kmh, adopted)
        return True

    def _own_check(self, now_s: float) -> bool:
        if not self._hr_valid or self._hr_t_s is None:
            return False
        age_s = now_s - self._hr_t_s
        return -self.limits.future_tolerance_s <= age_s <= self.limits.hr_stale_after_s

    def observe_tick(
        self,
        now_s: float,
        *,
        gate_trusted: bool,
        gate_permits_increase: bool,
        continue_without_hr: bool,
    ) -> None:
        """Once per engine tick: the clock, the HR gate's verdict, the therapist's choice."""
        if not is_finite_number(now_s):
            return
        if self._now_s is not None and now_s < self._now_s:
            now_s = self._now_s  # the clock never runs backwards here
        self._now_s = now_s
        own = self._own_check(now_s)
        self._trusted = own and gate_trusted
        self._increase_ok = self._trusted and gate_permits_increase
        self._continue_without_hr = continue_without_hr is True
        if self._trusted:
            self._last_trusted_s = now_s
            self._lost_since_s = None
            self._cap_speed_from_kmh = None
            self._cap_incline_from_pct = None
            assert self._hr_bpm is not None
            if (
                self._ceiling_episode
                and self._hr_bpm <= self.limits.ceiling_bpm - self.limits.ceiling_hysteresis_bpm
            ):
                self._ceiling_episode = False
        elif self._lost_since_s is None:
            # counted from the last moment the HR was seen trusted, not from this tick
            last = self._last_trusted_s
            self._lost_since_s = now_s if last is None else min(last, now_s)
        if self._deadline_active(now_s) and self._cap_speed_from_kmh is None:
            self._cap_speed_from_kmh = self._last_speed_kmh
            self._cap_incline_from_pct = self._last_incline_pct

    # ------------------------------------------------------------------ queries

    @property
    def ceiling_episode(self) -> bool:
        """True while increases are barred by the ceiling rule (E5)."""
        return self._ceiling_episode

    @property
    def hr_trusted(self) -> bool:
        """The HR was trusted at the last tick (gate and own check)."""
        return self._trusted

    def increases_permitted(self) -> bool:
        """E4 and E5 together, at the last tick."""
        if self._ceiling_episode:
            return False
        return self._increase_ok or self._continue_without_hr

    def hr_lost_for_s(self, now_s: float) -> float:
        """How long the HR has been untrusted (0 when trusted)."""
        return 0.0 if self._lost_since_s is None else max(now_s - self._lost_since_s, 0.0)

    def _deadline_active(self, now_s: float) -> bool:
        return (
            not self._continue_without_hr
            and self._lost_since_s is not None
            and now_s - self._lost_since_s >= self.limits.hr_lost_after_s
        )

    def hr_lost_deadline_passed(self, now_s: float) -> bool:
        """E6 is in force: the HR has been untrusted for the full hold time."""
        return self._deadline_active(now_s)

    def safe_start_speed_kmh(self) -> float:
        """The speed a standing belt may start at without a trusted HR."""
        lim = self.limits
        return min(max(lim.safe_walk_speed_kmh, lim.min_speed_kmh), lim.max_speed_kmh)

    def speed_cap_kmh(self, now_s: float) -> float:
        """The highest speed E6 allows now (the range maximum when E6 is not in force)."""
        lim = self.limits
        if not self._deadline_active(now_s) or self._lost_since_s is None:
            return lim.max_speed_kmh
        start = (
            self._cap_speed_from_kmh
            if self._cap_speed_from_kmh is not None
            else self._last_speed_kmh
        )
        ramp_s = now_s - self._lost_since_s - lim.hr_lost_after_s
        safe = self.safe_start_speed_kmh()
        cap = max(safe, start - lim.ramp_down_kmh_per_s * ramp_s)
        return max(_floor_to_grid(cap, lim.min_speed_kmh, lim.speed_step_kmh), safe)

    def incline_cap_pct(self, now_s: float) -> float:
        """The highest incline E6 allows now."""
        lim = self.limits
        if not self._deadline_active(now_s) or self._lost_since_s is None:
            return lim.max_incline_pct
        start = (
            self._cap_incline_from_pct
            if self._cap_incline_from_pct is not None
            else self._last_incline_pct
        )
        ramp_s = now_s - self._lost_since_s - lim.hr_lost_after_s
        cap = max(lim.min_incline_pct, start - lim.incline_ramp_pct_per_s * ramp_s)
        return max(
            _floor_to_grid(cap, lim.min_incline_pct, lim.incline_step_pct), lim.min_incline_pct
        )

    @property
    def last_speed_kmh(self) -> float:
        """The last speed the envelope let through (0 after a stop or start)."""
        return self._last_speed_kmh

    @property
    def last_incline_pct(self) -> float:
        """The last incline the envelope let through."""
        return self._last_incline_pct

    # ------------------------------------------------------------------ the gate

    def check(
        self,
        cmd: TreadmillCommand,
        now_s: float,
        *,
        requested_epoch: int | None = None,
        origin: Origin = Origin.SOFTWARE,
    ) -> Verdict:
        """Pass, cut or drop one command; a passed command updates the envelope's state.

        Args:
            cmd: the command as requested.
            now_s: the engine's clock.
            requested_epoch: the :attr:`epoch` the request was made in (None: now).
            origin: who asked (a therapist's manual setting may change by more than
                one step; it obeys every other rule).
        """
        if isinstance(cmd, StopBeltCommand):
            self._stop_epoch = self._epoch
            self._started = False
            self._last_speed_kmh = 0.0
            self._standing = True
            return Verdict(cmd, cmd, None)
        if not self._state.is_exercising:
            return Verdict(cmd, None, Rule.STATE)
        if not self._started and not isinstance(cmd, StartBeltCommand):
            return Verdict(cmd, None, Rule.STATE)  # a stopped belt gets nothing but a start
        if isinstance(cmd, StartBeltCommand):
            epoch = self._epoch if requested_epoch is None else requested_epoch
            if epoch != self._epoch or self._stop_epoch == self._epoch:
                return Verdict(cmd, None, Rule.START)
            self._last_speed_kmh = 0.0
            self._standing = True
            self._started = True
            return Verdict(cmd, cmd, None)
        if isinstance(cmd, SetSpeedCommand):
            return self._check_speed(cmd, now_s, origin)
        if isinstance(cmd, SetInclineCommand):
            return self._check_incline(cmd, now_s, origin)
        return Verdict(cmd, None, Rule.STATE)  # pragma: no cover - unknown command type

    def _check_speed(self, cmd: SetSpeedCommand, now_s: float, origin: Origin) -> Verdict:
        lim = self.limits
        value: object = cmd.speed_kmh
        if not is_finite_number(value):
            return Verdict(cmd, None, Rule.FINITE)
        assert isinstance(value, int | float)
        speed = float(value)
        rule: Rule | None = None
        if speed < lim.min_speed_kmh - _EPS or speed > lim.max_speed_kmh + _EPS:
            speed, rule = min(max(speed, lim.min_speed_kmh), lim.max_speed_kmh), Rule.RANGE
        last = self._last_speed_kmh
        if speed > last + _EPS:
            if not self.increases_permitted():
                allowance = max(last, self.safe_start_speed_kmh()) if self._standing else last
                if speed > allowance + _EPS:
                    speed = allowance
                    rule = Rule.CEILING if self._ceiling_episode else Rule.NO_INCREASE
            elif (
                not self._standing
                and origin is Origin.SOFTWARE
                and speed > last + lim.max_increase_kmh + _EPS
            ):
                speed, rule = last + lim.max_increase_kmh, Rule.STEP
        cap = self.speed_cap_kmh(now_s)
        if speed > cap + _EPS:
            speed, rule = cap, Rule.HR_LOST_DEADLINE
        if rule is not None:
            speed = _floor_to_grid(speed, lim.min_speed_kmh, lim.speed_step_kmh)
        if speed < lim.min_speed_kmh - _EPS:
            return Verdict(cmd, None, rule or Rule.RANGE)  # nothing legal below the allowance
        self._last_speed_kmh = speed
        self._standing = False
        out = cmd if rule is None else SetSpeedCommand(speed)
        return Verdict(cmd, out, rule)

    def _check_incline(self, cmd: SetInclineCommand, now_s: float, origin: Origin) -> Verdict:
        lim = self.limits
        value: object = cmd.incline_pct
        if not is_finite_number(value):
            return Verdict(cmd, None, Rule.FINITE)
        assert isinstance(value, int | float)
        incline = float(value)
        rule: Rule | None = None
        if incline < lim.min_incline_pct - _EPS or incline > lim.max_incline_pct + _EPS:
            incline = min(max(incline, lim.min_incline_pct), lim.max_incline_pct)
            rule = Rule.RANGE
        last = self._last_incline_pct
        if incline > last + _EPS:
            if not self.increases_permitted():
                incline = last
                rule = Rule.CEILING if self._ceiling_episode else Rule.NO_INCREASE
            elif origin is Origin.SOFTWARE and incline > last + lim.max_increase_pct + _EPS:
                incline, rule = last + lim.max_increase_pct, Rule.STEP
        cap = self.incline_cap_pct(now_s)
        if incline > cap + _EPS:
            incline, rule = cap, Rule.HR_LOST_DEADLINE
        if rule is not None:
            incline = _floor_to_grid(incline, lim.min_incline_pct, lim.incline_step_pct)
            incline = max(incline, lim.min_incline_pct)
        self._last_incline_pct = incline
        out = cmd if rule is None else SetInclineCommand(incline)
        return Verdict(cmd, out, rule)

    def required(self, now_s: float) -> list[Verdict]:
        """Commands the envelope itself requires now (E6: bring the belt under the caps).

        Only in an exercising state (otherwise the belt is stopped). Each returned
        verdict has already been let through (the envelope's state is updated).
        """
        if not self._state.is_exercising or not self._deadline_active(now_s):
            return []
        out: list[Verdict] = []
        cap = self.speed_cap_kmh(now_s)
        belt_above = (
            self._belt is not None
            and now_s - self._belt[0] <= 3.0
            and self._belt[1] > cap + self.limits.belt_tolerance_kmh
        )
        resend_due = (
            self._last_belt_resend_s is None
            or now_s - self._last_belt_resend_s >= self.limits.belt_resend_s
        )
        if self._last_speed_kmh > cap + _EPS or (belt_above and resend_due):
            if belt_above:
                self._last_belt_resend_s = now_s
            if not self._standing:  # a standing belt is never set moving from here
                target = min(self._last_speed_kmh, cap)
                verdict = self._check_speed(SetSpeedCommand(target), now_s, Origin.SOFTWARE)
                if verdict.command is not None:
                    out.append(Verdict(verdict.requested, verdict.command, Rule.HR_LOST_DEADLINE))
        icap = self.incline_cap_pct(now_s)
        if self._last_incline_pct > icap + _EPS:
            verdict = self._check_incline(SetInclineCommand(icap), now_s, Origin.SOFTWARE)
            if verdict.command is not None:
                out.append(Verdict(verdict.requested, verdict.command, Rule.HR_LOST_DEADLINE))
        return out
