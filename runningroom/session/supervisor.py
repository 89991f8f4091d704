"""Safety supervisor: the HR signal-quality gate and the safety rules.

The supervisor is separate from the controller and it wins: the engine asks it for a
:class:`SafetyVerdict` every tick and obeys it before it lets the controller act.

Rules (issue 2, physiology-and-control.md "Fault handling"):

* **HR quality gate** (:class:`HrQualityGate`): a sample is untrusted when it is
  stale (no sample for 5 s), zero, frozen (identical value for 30 s while the speed
  changed), a physiologically impossible jump (> 25 bpm within 2 s of the last trusted
  value), outside 30-230 bpm, or reported with no skin contact.
  Boundary checks: a non-finite value is out of range (never filtered); the jump rule
  compares with every trusted sample of the last ``jump_window_s``; more than
  ``max_rate_per_s`` samples within 1 s is a burst (judged a jump); a strap that once
  reported contact detection and then says "not supported" is taken as no contact; a
  value staying within ``frozen_band_bpm`` counts as identical for the frozen rule; a
  last sample stamped more than ``future_tolerance_s`` after ``now`` is stale.
* **Increases** (:meth:`HrQualityGate.permits_increase`) need a trusted HR now and a
  continuous stretch of ``increase_after_trusted_s`` of trusted samples since the last
  untrusted spell; ``flapping_spells`` untrusted spells within ``flapping_window_s``
  raise the untrusted alarm.
* **Untrusted HR** never causes acceleration: the speed is held and an alarm raised
  (after ``hr_alarm_delay_s`` for brief glitches; at once when the signal is lost);
  after ``hr_lost_ramp_after_s`` (60 s) without trusted HR the belt is ramped down to a
  safe walking speed and the controller is suspended until the therapist resumes it.
* **Above the ceiling**: an immediate step down (speed and incline) and an alarm,
  repeated every ``ceiling_restep_s`` while above; above the ceiling for
  ``ceiling_cooldown_after_s`` (30 s): go to cool-down. A raw sample above the ceiling
  (also one the gate rejects, e.g. above 230 bpm or a jump upward) starts the episode
  too: a possibly real, dangerous HR is acted on, not only held. An HR that turns untrusted
  during a ceiling episode does not end it (the cool-down still follows).
* **Treadmill events** (:func:`treadmill_event_rule`): safety key, stopped by the
  user, not responding, disconnected, control lost: alarm, record, controller
  suspended, and the session paused where the belt is (or must be) stopped.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from dataclasses import dataclass

from runningroom.devices import DeviceEventKind, HrSample, SensorContact
from runningroom.session.model import AlarmKind, HrQuality

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SupervisorConfig:
    """Thresholds of the safety rules (defaults from issue 2).

    Attributes:
        stale_after_s: no sample for this long makes the HR stale.
        frozen_after_s: an identical value for this long, while the speed changed by at
            least ``frozen_speed_change_kmh``, is frozen.
        frozen_speed_change_kmh: speed change that makes a constant HR suspicious.
        frozen_any_after_s: an identical value for this long is frozen even at a
            constant speed (None disables; HRV makes 2 min of identical values
            implausible).
        jump_bpm: a change larger than this within ``jump_window_s`` is a jump.
        jump_window_s: window for the jump rule.
        min_valid_bpm: lowest plausible HR.
        max_valid_bpm: highest plausible HR.
        hr_alarm_delay_s: an untrusted (not lost) HR raises an alarm after this long.
        hr_lost_ramp_after_s: without trusted HR for this long: ramp down, suspend.
        safe_walk_speed_kmh: speed the HR-lost rule ramps down to (or the patient's
            minimum if higher).
        ramp_down_kmh_per_s: rate of the HR-lost ramp down.
        ceiling_step_kmh: immediate speed step down above the ceiling.
        ceiling_restep_s: step down again after this long while still above.
        ceiling_cooldown_after_s: above the ceiling this long: cool-down.
        ceiling_hysteresis_bpm: the ceiling episode ends below ceiling minus this.
        max_rate_per_s: more samples than this within 1 s are a burst (untrusted).
        frozen_band_bpm: values within this band of the run's first value count as
            identical for the frozen rule (a stuck value toggling by 1 bpm).
        future_tolerance_s: a last sample stamped up to this far after ``now`` is fresh;
            further ahead it is stale.
        increase_after_trusted_s: increases need this long of continuously trusted
            samples after an untrusted spell.
        flapping_spells: this many untrusted spells within ``flapping_window_s`` is
            flapping (alarm, no increases).
        flapping_window_s: window of the flapping rule.
    """

    stale_after_s: float = 5.0
    frozen_after_s: float = 30.0
    frozen_speed_change_kmh: float = 0.15
    frozen_any_after_s: float | None = 120.0
    jump_bpm: float = 25.0
    jump_window_s: float = 2.0
    min_valid_bpm: float = 30.0
    max_valid_bpm: float = 230.0
    hr_alarm_delay_s: float = 5.0
    hr_lost_ramp_after_s: float = 60.0
    safe_walk_speed_kmh: float = 3.0
    ramp_down_kmh_per_s: float = 0.1
    ceiling_step_kmh: float = 0.5
    ceiling_restep_s: float = 15.0
    ceiling_cooldown_after_s: float = 30.0
    ceiling_hysteresis_bpm: float = 2.0
    max_rate_per_s: int = 4
    frozen_band_bpm: float = 1.0
    future_tolerance_s: float = 1.0
    increase_after_trusted_s: float = 10.0
    flapping_spells: int = 3
    flapping_window_s: float = 60.0


class HrQualityGate:
    """Judges each HR sample and the signal as a whole.

    Feed samples with :meth:`add` and the commanded speed with :meth:`note_speed`;
    :meth:`quality` gives the verdict at a given time and :meth:`permits_increase`
    whether the HR may justify raising the load.
    """

    def __init__(self, config: SupervisorConfig | None = None) -> None:
        self.config = config or SupervisorConfig()
        self._last_sample: HrSample | None = None
        self._last_quality = HrQuality.NO_SIGNAL
        self._last_trusted_t_s: float | None = None
        # jump rule: trusted samples of the last jump window; rate rule: all receive times
        self._trusted_window: deque[tuple[float, float]] = deque()
        self._recent_t_s: deque[float] = deque()
        # frozen detection: run of values within the frozen band
        self._run_value: float | None = None
        self._run_low_bpm = 0.0
        self._run_high_bpm = 0.0
        self._run_start_t_s = 0.0
        self._run_speed_range_kmh: tuple[float, float] | None = None  # (lowest, highest)
        self._speed_kmh: float | None = None
        # increases and flapping
        self._trusted_since_s: float | None = None
        self._had_untrusted_spell = False
        self._spell_starts_s: deque[float] = deque()
        self._contact_detection_seen = False
        self._last_detected_contact: SensorContact | None = None

    @property
    def last_sample(self) -> HrSample | None:
        """The most recent sample, trusted or not."""
        return self._last_sample

    @property
    def last_trusted_t_s(self) -> float | None:
        """Receive time of the most recent trusted sample."""
        return self._last_trusted_t_s

    @property
    def contact_detection_seen(self) -> bool:
        """True once the strap reported contact or no contact (it supports detection)."""
        return self._contact_detection_seen

    def note_speed(self, speed_kmh: float) -> None:
        """Tell the gate the current belt speed (for the frozen-value rule)."""
        if not math.isfinite(speed_kmh):
            return
        self._speed_kmh = speed_kmh
        if self._run_value is not None:
            self._widen_speed_range(speed_kmh)

    def _widen_speed_range(self, speed_kmh: float) -> None:
        rng = self._run_speed_range_kmh
        if rng is None:
            self._run_speed_range_kmh = (speed_kmh, speed_kmh)
        else:
            self._run_speed_range_kmh = (min(rng[0], speed_kmh), max(rng[1], speed_kmh))

    def _note_run(self, hr: float, t_s: float) -> None:
        """Identical-value run bookkeeping (zeros included: a dead strap may send zeros)."""
        band = self.config.frozen_band_bpm
        if (
            self._run_value is not None
            and math.isfinite(hr)
            and max(self._run_high_bpm, hr) - min(self._run_low_bpm, hr) <= band
        ):
            self._run_low_bpm = min(self._run_low_bpm, hr)
            self._run_high_bpm = max(self._run_high_bpm, hr)
            return
        self._run_value = hr
        self._run_low_bpm = hr
        self._run_high_bpm = hr
        self._run_start_t_s = t_s
        speed = self._speed_kmh
        self._run_speed_range_kmh = None if speed is None else (speed, speed)

    def _is_burst(self, t_s: float) -> bool:
        recent = self._recent_t_s
        recent.append(t_s)
        while recent and recent[0] <= t_s - 1.0:
            recent.popleft()
        return len(recent) > self.config.max_rate_per_s

    def _is_jump(self, hr: float, t_s: float) -> bool:
        window = self._trusted_window
        while window and window[0][0] < t_s - self.config.jump_window_s:
            window.popleft()
        return any(abs(hr - bpm) > self.config.jump_bpm for _, bpm in window)

    def add(self, sample: HrSample) -> HrQuality:
        """Judge one sample; returns its quality (before staleness, which needs time).

        The caller passes samples in receive order with finite, non-decreasing times.
        """
        cfg = self.config
        previous = self._last_sample
        if previous is not None and sample.t_s - previous.t_s > cfg.stale_after_s:
            self._note_untrusted(previous.t_s + cfg.stale_after_s)  # the gap was a spell
        self._last_sample = sample
        hr = float(sample.hr_bpm)
        finite = math.isfinite(hr)
        self._note_run(hr, sample.t_s)
        burst = self._is_burst(sample.t_s)
        contact = sample.contact
        if contact in (SensorContact.CONTACT, SensorContact.NO_CONTACT):
            self._contact_detection_seen = True
            self._last_detected_contact = contact
        elif (
            contact is SensorContact.NOT_SUPPORTED
            and self._last_detected_contact is SensorContact.NO_CONTACT
        ):
            # a detecting strap that said "no contact" does not lose the feature; one that
            # alternates "contact" and "not supported" (a known strap quirk) is fine
            contact = SensorContact.NO_CONTACT
        quality: HrQuality
        if contact is SensorContact.NO_CONTACT:
            quality = HrQuality.NO_CONTACT
        elif finite and hr == 0:
            quality = HrQuality.ZERO
        elif not finite or hr < cfg.min_valid_bpm or hr > cfg.max_valid_bpm:
            quality = HrQuality.OUT_OF_RANGE
        elif self._is_frozen(sample.t_s):
            quality = HrQuality.FROZEN
        elif burst or self._is_jump(hr, sample.t_s):
            quality = HrQuality.JUMP
        else:
            quality = HrQuality.OK
        if quality is HrQuality.OK:
            self._last_trusted_t_s = sample.t_s
            self._trusted_window.append((sample.t_s, hr))
            if self._trusted_since_s is None:
                self._trusted_since_s = sample.t_s
        else:
            self._note_untrusted(sample.t_s)
        self._last_quality = quality
        return quality

    def _note_untrusted(self, t_s: float) -> None:
        self._had_untrusted_spell = True
        if self._trusted_since_s is not None or not self._spell_starts_s:
            self._spell_starts_s.append(t_s)
        self._trusted_since_s = None

    def _is_frozen(self, now_s: float) -> bool:
        cfg = self.config
        run_s = now_s - self._run_start_t_s
        if cfg.frozen_any_after_s is not None and run_s >= cfg.frozen_any_after_s:
            return True
        if run_s < cfg.frozen_after_s:
            return False
        rng = self._run_speed_range_kmh
        if rng is None:
            return False
        return rng[1] - rng[0] >= cfg.frozen_speed_change_kmh

    def quality(self, now_s: float) -> HrQuality:
        """The verdict on the signal at ``now_s``.

        Stale if the last sample is too old, or stamped more than
        ``future_tolerance_s`` after ``now_s`` (a clock that cannot be believed).
        """
        last = self._last_sample
        if last is None:
            return HrQuality.NO_SIGNAL
        age_s = now_s - last.t_s
        if not math.isfinite(age_s) or age_s > self.config.stale_after_s:
            return HrQuality.STALE
        if age_s < -self.config.future_tolerance_s:
            return HrQuality.STALE
        if self._last_quality is HrQuality.OK and self._is_frozen(now_s):
            return HrQuality.FROZEN
        return self._last_quality

    def flapping(self, now_s: float) -> bool:
        """True when ``flapping_spells`` untrusted spells began within the window."""
        spells = self._spell_starts_s
        while spells and spells[0] < now_s - self.config.flapping_window_s:
            spells.popleft()
        return len(spells) >= self.config.flapping_spells

    def permits_increase(self, now_s: float) -> bool:
        """True when the HR may justify raising speed or incline at ``now_s``.

        Requires: the HR is trusted now, not flapping, and the samples have been
        continuously trusted for ``increase_after_trusted_s`` since the last untrusted
        spell (a gap that made the HR stale counts as a spell). A strap that has been
        trusted from its first sample on needs no settling time.
        """
        since = self._trusted_since_s
        if since is None or not self.quality(now_s).trusted:
            return False
        settling = now_s - since < self.config.increase_after_trusted_s
        if settling and self._had_untrusted_spell:
            return False
        return not self.flapping(now_s)


@dataclass(frozen=True, slots=True)
class SafetyVerdict:
    """What the supervisor requires at one tick.

    Attributes:
        hr_trusted: the HR may drive the controller.
        allow_increase: the controller may raise speed or incline.
        hold: do not update the controller; hold the current operating point.
        ramp_down: HR lost for too long: ramp down to a safe walking speed and
            suspend the controller (therapist must resume).
        above_ceiling: the filtered HR is above the safety ceiling.
        step_down: step speed and incline down now (ceiling rule).
        go_cooldown: above the ceiling too long: go to cool-down now.
        hr_alarm: the HR alarm that should be active (HR_LOST / HR_UNTRUSTED), or None.
        untrusted_for_s: how long the HR has been untrusted (0 when trusted).
    """

    hr_trusted: bool
    allow_increase: bool
    hold: bool
    ramp_down: bool
    above_ceiling: bool
    step_down: bool
    go_cooldown: bool
    hr_alarm: AlarmKind | None
    untrusted_for_s: float


_LOST = frozenset({HrQuality.NO_SIGNAL, HrQuality.STALE})


class SafetySupervisor:
    """Timers and thresholds of the HR rules; pure decisions, no side effects.

    Args:
        ceiling_bpm: the prescription's safety ceiling.
        config: thresholds.
    """

    def __init__(self, ceiling_bpm: float, config: SupervisorConfig | None = None) -> None:
        self.ceiling_bpm = ceiling_bpm
        self.config = config or SupervisorConfig()
        self._untrusted_since_s: float | None = None
        self._above_since_s: float | None = None
        self._last_step_s: float | None = None
        self._cooldown_requested = False

    def reset_timers(self, now_s: float) -> None:
        """Restart the untrusted timer (e.g. when exercise starts or resumes)."""
        if self._untrusted_since_s is not None:
            self._untrusted_since_s = now_s
        self._above_since_s = None
        self._last_step_s = None
        self._cooldown_requested = False

    @property
    def above_ceiling(self) -> bool:
        """True during a ceiling episode."""
        return self._above_since_s is not None

    def evaluate(
        self,
        now_s: float,
        quality: HrQuality,
        hr_filtered_bpm: float | None,
        *,
        untrusted_raw_bpm: float | None = None,
        flapping: bool = False,
    ) -> SafetyVerdict:
        """Apply the rules to the current HR verdict and filtered value.

        Args:
            now_s: time of the verdict.
            quality: the gate's verdict at ``now_s``.
            hr_filtered_bpm: the filtered HR (None when untrusted).
            untrusted_raw_bpm: the latest fresh sample's value when the gate rejected it
                (e.g. above 230 bpm or a jump); above the ceiling it is acted on as real.
            flapping: the gate sees repeated untrusted spells (alarm, no increases).
        """
        cfg = self.config
        if hr_filtered_bpm is not None and not math.isfinite(hr_filtered_bpm):
            hr_filtered_bpm = None
        trusted = quality.trusted and hr_filtered_bpm is not None
        raw_hot = (
            untrusted_raw_bpm is not None
            and math.isfinite(untrusted_raw_bpm)
            and untrusted_raw_bpm > self.ceiling_bpm
        )
        if trusted:
            self._untrusted_since_s = None
        elif self._untrusted_since_s is None:
            self._untrusted_since_s = now_s
        untrusted_for_s = (
            0.0 if self._untrusted_since_s is None else now_s - self._untrusted_since_s
        )

        hr_alarm: AlarmKind | None = None
        if not trusted:
            if quality in _LOST:
                hr_alarm = AlarmKind.HR_LOST
            elif untrusted_for_s >= cfg.hr_alarm_delay_s:
                hr_alarm = AlarmKind.HR_UNTRUSTED
        if hr_alarm is None and flapping:
            hr_alarm = AlarmKind.HR_UNTRUSTED
        ramp_down = not trusted and untrusted_for_s >= cfg.hr_lost_ramp_after_s

        # ceiling episode (a trusted filtered HR, or a rejected raw value, above the ceiling)
        step_down = False
        go_cooldown = False
        if raw_hot or (
            trusted and hr_filtered_bpm is not None and hr_filtered_bpm > self.ceiling_bpm
        ):
            if self._above_since_s is None:
                self._above_since_s = now_s
                self._last_step_s = now_s
                step_down = True
            elif (
                self._last_step_s is not None and now_s - self._last_step_s >= cfg.ceiling_restep_s
            ):
                self._last_step_s = now_s
                step_down = True
            if (
                not self._cooldown_requested
                and now_s - self._above_since_s >= cfg.ceiling_cooldown_after_s
            ):
                self._cooldown_requested = True
                go_cooldown = True
        elif self._above_since_s is not None and not trusted:
            # the HR became untrusted during a ceiling episode: assume it is still high
            if (
                not self._cooldown_requested
                and now_s - self._above_since_s >= cfg.ceiling_cooldown_after_s
            ):
                self._cooldown_requested = True
                go_cooldown = True
        elif self._above_since_s is not None:
            below = (
                trusted
                and hr_filtered_bpm is not None
                and hr_filtered_bpm <= self.ceiling_bpm - cfg.ceiling_hysteresis_bpm
            )
            if below:
                self._above_since_s = None
                self._last_step_s = None
                self._cooldown_requested = False
        above = self._above_since_s is not None
        return SafetyVerdict(
            hr_trusted=trusted,
            allow_increase=trusted and not above and not flapping,
            hold=not trusted,
            ramp_down=ramp_down,
            above_ceiling=above,
            step_down=step_down,
            go_cooldown=go_cooldown,
            hr_alarm=hr_alarm,
            untrusted_for_s=untrusted_for_s,
        )


@dataclass(frozen=True, slots=True)
class DeviceRule:
    """What the engine does about a treadmill event.

    Attributes:
        alarm: alarm to raise.
        action: the action text recorded with the alarm.
        pause: pause the session (the belt is or must be stopped).
        stop_belt: send a belt stop command.
        suspend_controller: suspend the controller until the therapist resumes it.
    """

    alarm: AlarmKind
    action: str
    pause: bool
    stop_belt: bool
    suspend_controller: bool


_TREADMILL_RULES: dict[DeviceEventKind, DeviceRule] = {
    DeviceEventKind.SAFETY_KEY: DeviceRule(
        AlarmKind.SAFETY_KEY,
        "session paused, belt stop commanded; resume when the key is back",
        pause=True,
        stop_belt=True,
        suspend_controller=False,
    ),
    DeviceEventKind.STOPPED_BY_USER: DeviceRule(
        AlarmKind.TREADMILL_STOPPED,
        "session paused; resume or stop the session",
        pause=True,
        stop_belt=True,
        suspend_controller=False,
    ),
    DeviceEventKind.STOPPED_BY_WATCHDOG: DeviceRule(
        AlarmKind.DEVICE_DISCONNECTED,
        "session paused; resume or stop the session",
        pause=True,
        stop_belt=True,
        suspend_controller=False,
    ),
    DeviceEventKind.PAUSED_BY_USER: DeviceRule(
        AlarmKind.TREADMILL_STOPPED,
        "session paused; resume or stop the session",
        pause=True,
        stop_belt=True,
        suspend_controller=False,
    ),
    DeviceEventKind.NOT_RESPONDING: DeviceRule(
        AlarmKind.TREADMILL_NOT_RESPONDING,
        "controller suspended, speed held; check the treadmill, resume the controller",
        pause=False,
        stop_belt=False,
        suspend_controller=True,
    ),
    DeviceEventKind.CONTROL_LOST: DeviceRule(
        AlarmKind.CONTROL_LOST,
        "controller suspended; the treadmill no longer accepts commands",
        pause=False,
        stop_belt=False,
        suspend_controller=True,
    ),
    DeviceEventKind.DISCONNECTED: DeviceRule(
        AlarmKind.DEVICE_DISCONNECTED,
        "controller suspended; waiting for reconnection, session pauses after 10 s",
        pause=False,
        stop_belt=False,
        suspend_controller=True,
    ),
}


def treadmill_event_rule(kind: DeviceEventKind) -> DeviceRule | None:
    """The safety rule for a treadmill event kind, or None if it needs no alarm.

    ``SAFETY_KEY`` with ``value`` >= 1 means "key inserted again"; the engine clears
    the alarm then instead of applying this rule.
    """
    return _TREADMILL_RULES.get(kind)
