"""HR plausibility against the load: is the trusted HR what this belt load can produce?

A strap can report a clean, steady, *wrong* heart rate: half the true rate, an optical
sensor locked on the step cadence, a dying sensor drifting slowly down, a value stuck and
toggling by 1 bpm. The quality gate cannot see these (each sample looks fine), but the
belt load can: HR follows the load through a first-order lag with dead time
(physiology-and-control.md, section (b)). :class:`PlausibilityMonitor` predicts the HR
from the recent load and flags a *sustained* disagreement. It is pure: time is injected,
nothing is sent anywhere, and the caller decides what an implausible HR forbids.

Model
    The load is the ACSM metabolic cost in walking-km/h equivalents
    (:class:`~runningroom.control.load.MetabolicLoad`, the controller's load unit).
    ``x`` is the load delayed by the dead time and lagged by the time constant, starting
    from rest (0) at the first observation. The prediction is ``d + K x``: ``K``, the time
    constant and the dead time are the identified plant's
    (:class:`~runningroom.control.base.PlantEstimate`, set with
    :meth:`PlausibilityMonitor.set_plant`; the gain is clipped to the population range)
    or the population prior before identification (7 bpm per km/h, tau 60 s, dead time
    10 s: sedentary walkers, reference section (b)). ``d`` (the offset: resting HR,
    standing, drift) is learned from the trusted HR: the mean over the first minute, then
    a 300 s low-pass whose rate is bounded to +0.6 bpm/min (cardiovascular drift reaches
    0.45 bpm/min) and -0.05 bpm/min (physiology gives no sustained fall under a constant
    load; a dying sensor does). ``d`` learns only from ticks without any disagreement, so
    a fault is not absorbed while it is being judged. :meth:`PlausibilityMonitor.set_plant`
    re-runs the lag over the kept history and re-learns ``d`` from the last 2 min.

Uncertainty (the band around the prediction)
    * gain: ``dK |x - x_d|``, with ``x_d`` the load at which ``d`` was learned (it moves
      only as far as ``d`` could follow) and ``dK`` the distance from ``K`` to the far end
      of the population range 1-14 bpm per km/h (beta-blocked walkers to unfit runners).
      The range is kept after identification: the warm-up fit is not reliable enough to
      narrow it (gains of 17.5 and 12.7 bpm per km/h were identified for patients whose
      true gains were 2.0 and 5.6). ``PlausibilityConfig.identified_gain_uncertainty``
      narrows it to a share of ``K`` once identification can be trusted;
    * timing: ``K_hi |x_fast - x_slow|``, the spread between the fastest (tau 25 s, no
      dead time) and the slowest (tau 150 s, dead time 20 s) plausible responses;
    * a fixed margin for HRV, handrail holding (load -10-20 % for 30-120 s) and sensor
      error: 12 bpm below, 20 bpm above (a reading above the prediction makes the
      controller slow down, so that side is looser).

Rules (each is a *disagreement*; the HR is IMPLAUSIBLE while one is latched)
    ========================  =====================================================  =======
    disagreement              condition (HR = median of trusted samples, last 15 s)  latch
    ========================  =====================================================  =======
    TOO_LOW (relative)        HR < prediction - band                                 20 s
    TOO_LOW (floor)           HR < resting HR - 15 + 1 bpm per km/h x the slowest    20 s
                              lagged load: below rest while working
    TOO_HIGH                  HR > prediction + band                                 20 s
    STUCK (load moved)        trusted HR spans <= 2 bpm for 120 s while the          at once
                              slowest-reading prediction (gain ``K_lo``) moved
                              >= 6 bpm
    STUCK (any load)          trusted HR spans <= 1 bpm for 180 s                    at once
    WRONG_DIRECTION           over 180 s the prediction (the smaller of the fastest  at once
                              and slowest responses, gain ``K_lo``) moved >= 10 bpm
                              one way and HR >= 10 bpm the other way
    ========================  =====================================================  =======

    ``K_lo`` is 4 bpm per km/h under the prior and half the identified gain afterwards.
    A latched disagreement clears after its condition has been false for 30 s. Windows
    need 80 % of their seconds covered by trusted samples. Untrusted ticks are not
    judged and clear nothing.

Confirmation
    :meth:`PlausibilityMonitor.confirm` (the therapist checked the patient and the reading
    is real) suppresses every disagreement latched at that moment until it clears (it
    alarms again if it returns) or for at most 10 min. While suppressed, ``d`` learns
    from the confirmed reading.

What it cannot see (benchmark: ``scripts/hr_plausibility_bench.py``)
    A wrong value that stays inside the band: a walking step cadence close to the true
    HR, or a slow downward drift (-0.5 bpm/min needs about 25-30 min to leave the 12 bpm
    margin). Over minutes these are indistinguishable from a patient with a different
    gain or offset without an independent measurement.
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum

from runningroom.control.base import PlantEstimate
from runningroom.control.load import LoadModel, MetabolicLoad


class Plausibility(StrEnum):
    """Verdict on the trusted HR."""

    PLAUSIBLE = "plausible"
    IMPLAUSIBLE = "implausible"


class Disagreement(StrEnum):
    """Kinds of disagreement between the HR and the load (see the module docstring)."""

    TOO_LOW = "too_low"
    STUCK = "stuck"
    WRONG_DIRECTION = "wrong_direction"
    TOO_HIGH = "too_high"


#: Operator-facing reason per disagreement.
REASONS: dict[Disagreement, str] = {
    Disagreement.TOO_LOW: "HR far below what the load predicts",
    Disagreement.TOO_HIGH: "HR far above what the load predicts",
    Disagreement.STUCK: "HR barely moves while the load changes",
    Disagreement.WRONG_DIRECTION: "HR moves against the load",
}

#: Order in which a verdict names its reason (most dangerous for the patient first: a
#: reading that is too low makes the controller accelerate).
_PRIORITY: tuple[Disagreement, ...] = (
    Disagreement.TOO_LOW,
    Disagreement.STUCK,
    Disagreement.WRONG_DIRECTION,
    Disagreement.TOO_HIGH,
)


@dataclass(frozen=True, slots=True)
class PlausibilityConfig:
    """Thresholds of :class:`PlausibilityMonitor` (the rules are in the module docstring).

    Attributes:
        prior_gain_bpm_per_kmh: population gain before identification.
        prior_gain_min_bpm_per_kmh: lowest plausible population gain (beta-blocked, fit).
        prior_gain_max_bpm_per_kmh: highest plausible population gain.
        prior_tau_s: population time constant.
        prior_dead_time_s: population dead time.
        identified_gain_uncertainty: relative gain uncertainty once identified; None
            keeps the population gain range (the warm-up fit is not reliable enough to
            narrow it: see the module docstring).
        fast_tau_s: time constant of the fastest plausible response.
        slow_tau_s: time constant of the slowest plausible response.
        slow_dead_time_s: dead time of the slowest plausible response.
        low_margin_bpm: fixed margin below the prediction.
        high_margin_bpm: fixed margin above the prediction.
        rest_margin_bpm: the floor rule's margin below the resting HR.
        acquisition_s: the offset is the plain mean over this much trusted HR first.
        offset_filter_s: time constant of the offset afterwards.
        offset_rise_bpm_per_min: fastest rise of the offset.
        offset_fall_bpm_per_min: fastest fall of the offset.
        smoothing_s: the HR judged is the median of the trusted samples this recent.
        sustain_s: a level disagreement latches after holding this long.
        clear_s: a latched disagreement clears after its condition was false this long.
        stuck_window_s: window of the stuck rule under a moving load.
        stuck_range_bpm: max span of the HR in that window.
        stuck_predicted_change_bpm: min movement of the prediction in that window.
        flat_window_s: window of the stuck rule under any load.
        flat_range_bpm: max span of the HR in that window.
        direction_window_s: window of the wrong-direction rule.
        direction_change_bpm: min opposite movement of prediction and HR.
        prior_direction_gain_bpm_per_kmh: gain the wrong-direction and stuck rules assume before
            identification.
        min_coverage: share of a window's seconds that must hold trusted samples.
        confirm_max_s: a confirmation suppresses a disagreement for at most this long.
        history_s: load and HR kept for re-computing the model on :meth:`set_plant`.
        anchor_s: on :meth:`set_plant` the offset is re-learned over this recent span.
    """

    prior_gain_bpm_per_kmh: float = 7.0
    prior_gain_min_bpm_per_kmh: float = 1.0
    prior_gain_max_bpm_per_kmh: float = 14.0
    prior_tau_s: float = 60.0
    prior_dead_time_s: float = 10.0
    identified_gain_uncertainty: float | None = None
    fast_tau_s: float = 25.0
    slow_tau_s: float = 150.0
    slow_dead_time_s: float = 20.0
    low_margin_bpm: float = 12.0
    high_margin_bpm: float = 20.0
    rest_margin_bpm: float = 15.0
    acquisition_s: float = 60.0
    offset_filter_s: float = 300.0
    offset_rise_bpm_per_min: float = 0.6
    offset_fall_bpm_per_min: float = 0.05
    smoothing_s: float = 15.0
    sustain_s: float = 20.0
    clear_s: float = 30.0
    stuck_window_s: float = 120.0
    stuck_range_bpm: float = 2.0
    stuck_predicted_change_bpm: float = 6.0
    flat_window_s: float = 180.0
    flat_range_bpm: float = 1.0
    direction_window_s: float = 180.0
    direction_change_bpm: float = 10.0
    prior_direction_gain_bpm_per_kmh: float = 4.0
    min_coverage: float = 0.8
    confirm_max_s: float = 600.0
    history_s: float = 1200.0
    anchor_s: float = 120.0


@dataclass(frozen=True, slots=True)
class PlausibilityVerdict:
    """The monitor's judgement at one time.

    Attributes:
        state: PLAUSIBLE or IMPLAUSIBLE.
        disagreement: the latched, unsuppressed disagreement named by ``reason``.
        reason: operator-facing explanation ("" when plausible).
        predicted_hr_bpm: HR the load predicts (None before the first observation).
        band_low_bpm: lowest plausible HR now (floor rule included).
        band_high_bpm: highest plausible HR now.
        measured_hr_bpm: the judged HR (median of recent trusted samples), if any.
        since_s: when the named disagreement's condition started.
        active: every latched, unsuppressed disagreement.
        suppressed: latched disagreements the therapist confirmed.
        identified: the prediction uses an identified plant (else the population prior).
    """

    state: Plausibility
    disagreement: Disagreement | None = None
    reason: str = ""
    predicted_hr_bpm: float | None = None
    band_low_bpm: float | None = None
    band_high_bpm: float | None = None
    measured_hr_bpm: float | None = None
    since_s: float | None = None
    active: tuple[Disagreement, ...] = ()
    suppressed: tuple[Disagreement, ...] = ()
    identified: bool = False

    @property
    def plausible(self) -> bool:
        """True unless a disagreement is latched and not confirmed."""
        return self.state is Plausibility.PLAUSIBLE


@dataclass(slots=True)
class _Rule:
    """Latch state of one disagreement."""

    pending_since_s: float | None = None
    latched: bool = False
    false_since_s: float | None = None
    suppressed_until_s: float | None = None


@dataclass(frozen=True, slots=True)
class _Tick:
    """What the monitor keeps per observation."""

    t_s: float
    load: float
    hr_bpm: float | None
    clean: bool
    x_nominal: float
    x_fast: float
    x_slow: float


@dataclass(slots=True)
class _Run:
    """The longest recent stretch of trusted HR whose span stays within ``range_bpm``."""

    range_bpm: float
    low: float = math.inf
    high: float = -math.inf
    start_s: float = math.inf
    count: int = 0

    def add(self, t_s: float, hr: float, recent: deque[tuple[float, float]]) -> None:
        """Extend with the newest sample (already appended to ``recent``)."""
        if max(self.high, hr) - min(self.low, hr) <= self.range_bpm:
            self.low, self.high = min(self.low, hr), max(self.high, hr)
            self.count += 1
            self.start_s = min(self.start_s, t_s)
            return
        self.low = self.high = hr
        self.count = 0
        for t, value in reversed(recent):
            if max(self.high, value) - min(self.low, value) > self.range_bpm:
                break
            self.low, self.high = min(self.low, value), max(self.high, value)
            self.start_s = t
            self.count += 1

    def holds(self, now_s: float, window_s: float, coverage: float) -> bool:
        """True when the stretch covers ``window_s`` with enough samples."""
        return now_s - self.start_s >= window_s - 1.0 and self.count >= coverage * window_s


@dataclass(slots=True)
class _Lag:
    """First-order lag of the load delayed by a dead time (zero-order hold)."""

    tau_s: float
    dead_time_s: float
    x: float = 0.0
    _delay: deque[tuple[float, float]] = field(default_factory=deque)

    def step(self, t_s: float, dt_s: float, load: float) -> float:
        delay = self._delay
        delay.append((t_s, load))
        cutoff = t_s - self.dead_time_s
        while len(delay) > 1 and delay[1][0] <= cutoff + 1e-9:
            delay.popleft()
        delayed = delay[0][1] if delay[0][0] <= cutoff + 1e-9 else 0.0
        if dt_s > 0:
            self.x += (delayed - self.x) * (1.0 - math.exp(-dt_s / self.tau_s))
        return self.x


class PlausibilityMonitor:
    """Judges whether the trusted HR is plausible for the recent belt load.

    Call :meth:`observe` once per tick (1 Hz) with the belt's speed and incline and the
    HR with its trust flag, then :meth:`verdict`. :meth:`set_plant` switches from the
    population prior to an identified plant; :meth:`confirm` records that the therapist
    confirmed the reading; :meth:`reset` starts a new session. Call :meth:`observe` on
    every tick, with ``hr_bpm=None`` when no sample arrived, so that time and load
    advance; the windows expect about one sample per second (fewer samples only make
    the rules fire later, never earlier).

    Args:
        hr_rest_bpm: the patient's resting HR (profile).
        plant: an identified plant, if known at the start (carried over).
        config: thresholds.
        load_model: speed and incline to load; defaults to the controller's metabolic
            load.
    """

    def __init__(
        self,
        hr_rest_bpm: float,
        plant: PlantEstimate | None = None,
        config: PlausibilityConfig | None = None,
        load_model: LoadModel | None = None,
    ) -> None:
        self.config = config or PlausibilityConfig()
        self.hr_rest_bpm = float(hr_rest_bpm)
        self._load_model: LoadModel = load_model or MetabolicLoad()
        self._initial_plant = plant
        self.reset()

    # -- public API -------------------------------------------------------------------

    @property
    def plant(self) -> PlantEstimate | None:
        """The identified plant in use, or None (population prior)."""
        return self._plant

    def reset(self) -> None:
        """Forget everything (new session); keeps the plant given at construction."""
        cfg = self.config
        self._plant: PlantEstimate | None = None
        self._gain = cfg.prior_gain_bpm_per_kmh
        self._nominal = _Lag(cfg.prior_tau_s, cfg.prior_dead_time_s)
        self._fast = _Lag(cfg.fast_tau_s, 0.0)
        self._slow = _Lag(cfg.slow_tau_s, cfg.slow_dead_time_s)
        self._last_t_s: float | None = None
        self._history: deque[_Tick] = deque()
        self._recent: deque[tuple[float, float]] = deque()  # trusted (t, hr), flat window
        self._short: deque[float] = deque()  # trusted HR times of the smoothing window
        self._short_hr: deque[float] = deque()
        self._flat_run = _Run(cfg.flat_range_bpm)
        self._stuck_run = _Run(cfg.stuck_range_bpm)
        self._direction: deque[tuple[float, float, float, float | None]] = deque()
        self._offset_bpm = self.hr_rest_bpm
        self._offset_load = 0.0
        self._acquired_s = 0.0
        self._rules = {kind: _Rule() for kind in Disagreement}
        self._verdict = PlausibilityVerdict(Plausibility.PLAUSIBLE)
        if self._initial_plant is not None:
            self._apply_plant(self._initial_plant)

    def set_plant(self, now_s: float, plant: PlantEstimate | None) -> None:
        """Use an identified plant (None: back to the prior) from now on.

        The lagged load is recomputed over the kept history with the plant's time
        constant and dead time, and the offset is re-learned from the last
        ``anchor_s`` of trusted HR that showed no disagreement.
        """
        if plant is None:
            self._plant = None
            self._gain = self.config.prior_gain_bpm_per_kmh
            cfg = self.config
            self._nominal = _Lag(cfg.prior_tau_s, cfg.prior_dead_time_s)
        else:
            self._apply_plant(plant)
        self._recompute(now_s)

    def observe(
        self,
        now_s: float,
        hr_bpm: float | None,
        trusted: bool,
        speed_kmh: float,
        incline_pct: float,
    ) -> PlausibilityVerdict:
        """Record one tick and return the verdict.

        Args:
            now_s: monotonic time; a tick not after the previous one is ignored.
            hr_bpm: the HR this tick (None: no sample).
            trusted: the quality gate trusts ``hr_bpm``; untrusted values are not judged.
            speed_kmh: belt speed.
            incline_pct: belt incline.
        """
        if not _finite(now_s) or (self._last_t_s is not None and now_s <= self._last_t_s):
            return self._verdict
        speed = speed_kmh if _finite(speed_kmh) else 0.0
        incline = incline_pct if _finite(incline_pct) else 0.0
        dt_s = 1.0 if self._last_t_s is None else now_s - self._last_t_s
        self._last_t_s = now_s
        load = self._load_model.load(max(speed, 0.0), max(incline, 0.0))
        x_nom = self._nominal.step(now_s, dt_s, load)
        x_fast = self._fast.step(now_s, dt_s, load)
        x_slow = self._slow.step(now_s, dt_s, load)
        good = trusted and hr_bpm is not None and _finite(hr_bpm) and hr_bpm > 0
        hr = float(hr_bpm) if good and hr_bpm is not None else None
        cfg = self.config
        if hr is not None:
            self._recent.append((now_s, hr))
            self._short.append(now_s)
            self._short_hr.append(hr)
            self._flat_run.add(now_s, hr, self._recent)
            self._stuck_run.add(now_s, hr, self._recent)
        keep_s = max(cfg.flat_window_s, cfg.stuck_window_s, cfg.smoothing_s) + 1.0
        while self._recent and self._recent[0][0] < now_s - keep_s:
            self._recent.popleft()
        while self._short and self._short[0] <= now_s - cfg.smoothing_s:
            self._short.popleft()
            self._short_hr.popleft()
        smoothed = self._smoothed(now_s)
        conditions = self._conditions(now_s, x_nom, x_fast, x_slow, smoothed)
        self._update_rules(now_s, conditions)
        clean = hr is not None and not any(conditions.values())
        confirmed = hr is not None and any(
            self._rules[k].latched and self._is_suppressed(k, now_s) for k in Disagreement
        )
        if smoothed is not None and (clean or confirmed):
            self._learn_offset(dt_s, smoothed, x_nom)
        self._history.append(_Tick(now_s, load, hr, clean, x_nom, x_fast, x_slow))
        while self._history and self._history[0].t_s < now_s - cfg.history_s:
            self._history.popleft()
        self._verdict = self._make_verdict(now_s, x_nom, x_fast, x_slow, smoothed)
        return self._verdict

    def verdict(self, now_s: float) -> PlausibilityVerdict:
        """The verdict of the last :meth:`observe`, with expired confirmations applied."""
        v = self._verdict
        if not v.suppressed or all(self._is_suppressed(k, now_s) for k in v.suppressed):
            return v
        return self._relabel(now_s, v)

    def confirm(self, now_s: float) -> tuple[Disagreement, ...]:
        """The therapist confirmed the reading: suppress the latched disagreements.

        Each stays suppressed until it clears (it alarms again if it returns) or for
        ``confirm_max_s``. Returns the disagreements suppressed.
        """
        done: list[Disagreement] = []
        for kind in _PRIORITY:
            rule = self._rules[kind]
            if rule.latched and not self._is_suppressed(kind, now_s):
                rule.suppressed_until_s = now_s + self.config.confirm_max_s
                done.append(kind)
        self._verdict = self._relabel(now_s, self._verdict)
        return tuple(done)

    # -- model ------------------------------------------------------------------------

    def _apply_plant(self, plant: PlantEstimate) -> None:
        cfg = self.config
        gain = plant.gain_bpm_per_kmh
        if not _finite(gain) or gain <= 0:
            return
        self._plant = plant
        self._gain = min(max(gain, cfg.prior_gain_min_bpm_per_kmh), cfg.prior_gain_max_bpm_per_kmh)
        tau = plant.tau_s if plant.tau_s is not None and plant.tau_s > 0 else cfg.prior_tau_s
        dead = (
            plant.dead_time_s
            if plant.dead_time_s is not None and plant.dead_time_s >= 0
            else cfg.prior_dead_time_s
        )
        self._nominal = _Lag(float(tau), float(dead))

    def _recompute(self, now_s: float) -> None:
        """Re-run the nominal lag over the history and re-anchor the offset."""
        history = list(self._history)
        lag = self._nominal
        xs: dict[float, float] = {}
        if history:
            lag.x = history[0].x_nominal
            prev = history[0].t_s
            for tick in history:
                xs[tick.t_s] = lag.step(tick.t_s, tick.t_s - prev, tick.load)
                prev = tick.t_s
        anchor = [
            (tick.hr_bpm, tick.t_s)
            for tick in history
            if tick.clean and tick.hr_bpm is not None and tick.t_s >= now_s - self.config.anchor_s
        ]
        if len(anchor) < 10:
            return
        resid = [hr - self._gain * xs[t] for hr, t in anchor]
        self._offset_bpm = statistics.fmean(resid)
        self._offset_load = statistics.fmean(xs[t] for _hr, t in anchor)
        self._acquired_s = max(self._acquired_s, self.config.acquisition_s)

    def _learn_offset(self, dt_s: float, hr_bpm: float, x_nom: float) -> None:
        cfg = self.config
        target = hr_bpm - self._gain * x_nom
        if self._acquired_s < cfg.acquisition_s:
            self._acquired_s += dt_s
            w = min(dt_s / max(self._acquired_s, dt_s), 1.0)
            self._offset_bpm += (target - self._offset_bpm) * w
            self._offset_load += (x_nom - self._offset_load) * w
            return
        a = 1.0 - math.exp(-dt_s / cfg.offset_filter_s)
        step = (target - self._offset_bpm) * a
        rise = cfg.offset_rise_bpm_per_min * dt_s / 60.0
        fall = cfg.offset_fall_bpm_per_min * dt_s / 60.0
        applied = min(max(step, -fall), rise)
        self._offset_bpm += applied
        # the load the offset belongs to moves only as far as the offset could follow
        share = 1.0 if abs(step) < 1e-12 else applied / step
        self._offset_load += (x_nom - self._offset_load) * a * share

    def _gain_uncertainty(self) -> float:
        cfg = self.config
        if self._plant is not None and cfg.identified_gain_uncertainty is not None:
            return cfg.identified_gain_uncertainty * self._gain
        return max(
            self._gain - cfg.prior_gain_min_bpm_per_kmh,
            cfg.prior_gain_max_bpm_per_kmh - self._gain,
        )

    def _gain_low(self) -> float:
        if self._plant is None:
            return self.config.prior_gain_min_bpm_per_kmh
        return 0.5 * self._gain

    def _band(
        self, x_nom: float, x_fast: float, x_slow: float
    ) -> tuple[float, float, float, float]:
        """(prediction, relative low bound, floor, high bound)."""
        cfg = self.config
        predicted = self._offset_bpm + self._gain * x_nom
        k_hi = self._gain + self._gain_uncertainty()
        spread = self._gain_uncertainty() * abs(x_nom - self._offset_load) + k_hi * abs(
            x_fast - x_slow
        )
        low = predicted - cfg.low_margin_bpm - spread
        high = predicted + cfg.high_margin_bpm + spread
        floor = (
            self.hr_rest_bpm
            - cfg.rest_margin_bpm
            + cfg.prior_gain_min_bpm_per_kmh * min(x_slow, x_fast)
        )
        return predicted, low, floor, high

    def _smoothed(self, now_s: float) -> float | None:
        cfg = self.config
        if len(self._short_hr) < cfg.min_coverage * cfg.smoothing_s:
            return None
        return statistics.median(self._short_hr)

    def _conditions(
        self, now_s: float, x_nom: float, x_fast: float, x_slow: float, hr: float | None
    ) -> dict[Disagreement, bool]:
        cfg = self.config
        out = dict.fromkeys(Disagreement, False)
        # direction window: (t, x_fast, x_slow, hr) snapshots
        self._direction.append((now_s, x_fast, x_slow, hr))
        while len(self._direction) > 1 and self._direction[1][0] <= now_s - cfg.direction_window_s:
            self._direction.popleft()
        if hr is None:
            return out
        _pred, low, floor, high = self._band(x_nom, x_fast, x_slow)
        out[Disagreement.TOO_LOW] = hr < low or hr < floor
        out[Disagreement.TOO_HIGH] = hr > high
        k_lo = cfg.prior_direction_gain_bpm_per_kmh if self._plant is None else self._gain_low()
        out[Disagreement.STUCK] = self._stuck(now_s, x_fast, x_slow, k_lo)
        first = self._direction[0]
        if now_s - first[0] >= cfg.direction_window_s - 1.0 and first[3] is not None:
            moved = _smaller_move(x_fast - first[1], x_slow - first[2]) * k_lo
            hr_moved = hr - first[3]
            c = cfg.direction_change_bpm
            out[Disagreement.WRONG_DIRECTION] = (moved <= -c and hr_moved >= c) or (
                moved >= c and hr_moved <= -c
            )
        return out

    def _stuck(self, now_s: float, x_fast: float, x_slow: float, k_lo: float) -> bool:
        """The two stuck rules."""
        cfg = self.config
        if self._flat_run.holds(now_s, cfg.flat_window_s, cfg.min_coverage):
            return True
        if not self._stuck_run.holds(now_s, cfg.stuck_window_s, cfg.min_coverage):
            return False
        then = self._x_at(now_s - cfg.stuck_window_s)
        if then is None:
            return False
        moved = _smaller_move(x_fast - then[0], x_slow - then[1])
        return abs(moved) * k_lo >= cfg.stuck_predicted_change_bpm

    def _x_at(self, t_s: float) -> tuple[float, float] | None:
        """(x_fast, x_slow) of the latest kept tick at or before ``t_s``."""
        found: tuple[float, float] | None = None
        for tick in reversed(self._history):
            if tick.t_s <= t_s:
                found = (tick.x_fast, tick.x_slow)
                break
        return found

    # -- latching ---------------------------------------------------------------------

    def _update_rules(self, now_s: float, conditions: dict[Disagreement, bool]) -> None:
        cfg = self.config
        for kind, holds in conditions.items():
            rule = self._rules[kind]
            if holds:
                rule.false_since_s = None
                if rule.pending_since_s is None:
                    rule.pending_since_s = now_s
                level = kind in (Disagreement.TOO_LOW, Disagreement.TOO_HIGH)
                if not level or now_s - rule.pending_since_s >= cfg.sustain_s:
                    rule.latched = True
                continue
            if not rule.latched:
                rule.pending_since_s = None
                continue
            if rule.false_since_s is None:
                rule.false_since_s = now_s
            if now_s - rule.false_since_s >= cfg.clear_s:
                self._rules[kind] = _Rule()

    def _is_suppressed(self, kind: Disagreement, now_s: float) -> bool:
        until = self._rules[kind].suppressed_until_s
        return until is not None and now_s < until

    def _make_verdict(
        self, now_s: float, x_nom: float, x_fast: float, x_slow: float, hr: float | None
    ) -> PlausibilityVerdict:
        predicted, low, floor, high = self._band(x_nom, x_fast, x_slow)
        base = PlausibilityVerdict(
            Plausibility.PLAUSIBLE,
            predicted_hr_bpm=predicted,
            band_low_bpm=max(low, floor),
            band_high_bpm=high,
            measured_hr_bpm=hr,
            identified=self._plant is not None,
        )
        return self._relabel(now_s, base)

    def _relabel(self, now_s: float, v: PlausibilityVerdict) -> PlausibilityVerdict:
        latched = [k for k in _PRIORITY if self._rules[k].latched]
        active = tuple(k for k in latched if not self._is_suppressed(k, now_s))
        suppressed = tuple(k for k in latched if self._is_suppressed(k, now_s))
        if not active:
            return PlausibilityVerdict(
                Plausibility.PLAUSIBLE,
                predicted_hr_bpm=v.predicted_hr_bpm,
                band_low_bpm=v.band_low_bpm,
                band_high_bpm=v.band_high_bpm,
                measured_hr_bpm=v.measured_hr_bpm,
                suppressed=suppressed,
                identified=v.identified,
            )
        kind = active[0]
        return PlausibilityVerdict(
            Plausibility.IMPLAUSIBLE,
            disagreement=kind,
            reason=REASONS[kind],
            predicted_hr_bpm=v.predicted_hr_bpm,
            band_low_bpm=v.band_low_bpm,
            band_high_bpm=v.band_high_bpm,
            measured_hr_bpm=v.measured_hr_bpm,
            since_s=self._rules[kind].pending_since_s,
            active=active,
            suppressed=suppressed,
            identified=v.identified,
        )


def _finite(value: float) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def _smaller_move(a: float, b: float) -> float:
    """The smaller of two movements if they agree in sign, else 0."""
    if a * b <= 0:
        return 0.0
    return a if abs(a) < abs(b) else b
