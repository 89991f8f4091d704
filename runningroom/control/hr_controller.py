"""The model-based HR controller ("model"): an internal-model (Smith predictor) design.

Structure
    * Internal model: first order plus dead time from the *applied* effective load
      ``u = speed + incline x r`` (``r`` km/h per percent) to HR:
      ``tau dx/dt = u - x``, ``HR_model = K x(t - theta)``.
    * Disturbance estimate ``d``: low-pass of ``HR_measured - HR_model``. It carries the
      resting HR, drift, model errors and slow HRV; it is the integral action.
    * Control law (IMC with a first-order closed-loop target ``lambda``):
      ``x_ss = (target - d) / K``, ``u_wish = x + (tau / lambda) (x_ss - x)``.
    * Actuation (:class:`~runningroom.control.actuation.Actuator`): device grid with
      hysteresis, at most 0.2 km/h up / 0.3 km/h down per command, a minimum interval
      between commands, incline only once speed sits at its cap and removed before the
      speed comes down.

Because the internal model is driven by the operating point the engine reports (not by
what the controller asked for), saturation, ``allow_increase=False``, holds, suspensions
and manual changes cannot wind anything up: this is anti-windup by construction, and a
re-seed is bumpless.

Identification: while ``identify`` is true (warm-up) the controller logs (t, load, HR)
and fits ``K`` and ``theta`` (``tau`` too if configured) with
:func:`~runningroom.control.identification.fit_fopdt`. The result, blended with any
prior :class:`~runningroom.control.base.PlantEstimate`, is used for the main phase and
returned by :meth:`HrModelController.plant_estimate`. Optionally (``adapt=True``, off by
default: it cost smoothness for little accuracy in the benchmark) the gain is re-fitted
slowly during the main phase when the load moves enough to be informative.

The load is the ACSM metabolic cost in walking-km/h equivalents
(:class:`~runningroom.control.load.MetabolicLoad`), so the gain found while walking in
the warm-up still holds when the patient jogs or walks uphill in the main phase.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from dataclasses import dataclass, field, replace

import numpy as np

from runningroom.control.actuation import Actuator, ActuatorRules
from runningroom.control.base import ActuatorLimits, ControlInput, ControlOutput, PlantEstimate
from runningroom.control.identification import (
    SEARCH_DEAD_TIMES_S,
    FopdtFit,
    fit_fopdt,
    lag_filter,
)
from runningroom.control.load import LinearLoad, LoadModel, MetabolicLoad
from runningroom.session.model import Intent

logger = logging.getLogger(__name__)

_EPS = 1e-9


#: Actuator rules of the model controller: 0.3 km/h per command at most, increases at
#: most every 6 s and decreases every 4 s (slower up than down), one-increment
#: hysteresis.
_MODEL_RULES = ActuatorRules(
    max_step_up_kmh=0.3,
    max_step_down_kmh=0.3,
    min_interval_up_s=6.0,
    min_interval_down_s=4.0,
    hysteresis_steps=1.0,
)

#: The rules while the incline hunts (it reversed twice within ``hunting_window_s``): one
#: incline increment is worth several bpm at the speed cap, so the incline moves only
#: for a wish a whole increment away, reverses no sooner than 5 min after its last
#: change unless the wish is two increments away, rises at most every 2 min (the HR
#: takes that long to show an incline step), falls one increment per command, and rises
#: only once the speed has stayed at its cap for a minute.
_HUNTING_RULES = replace(
    _MODEL_RULES,
    incline_hysteresis_steps=1.0,
    min_incline_reversal_s=300.0,
    min_incline_interval_up_s=120.0,
    max_incline_step_down_pct=0.5,
    min_incline_after_speed_s=60.0,
)


@dataclass(frozen=True, slots=True)
class ModelControllerConfig:
    """Tuning of :class:`HrModelController`.

    Attributes:
        default_gain_bpm_per_kmh: gain assumed before identification (deliberately on the
            high side: over-estimating the gain makes the loop cautious).
        default_tau_s: time constant assumed before identification.
        default_dead_time_s: dead time assumed before identification.
        lambda_ratio: closed-loop time constant as a fraction of the model's tau.
        min_lambda_s: lower bound of the closed-loop time constant.
        disturbance_filter_s: time constant of the disturbance (integral) filter.
        dead_band_bpm: predicted steady-state errors smaller than this cause no move.
        lead_threshold_bpm: the IMC lead (``tau / lambda``) acts only on the predicted
            error beyond this; smaller errors are corrected by the static inverse.
        lead_threshold_steps: the same threshold in speed increments (the larger wins).
        large_lambda_ratio: closed-loop time constant ratio for the part of the
            predicted error beyond ``large_gap_bpm`` (None: same as ``lambda_ratio``).
        large_gap_bpm: threshold of the faster response to large errors.
        reseed_blend_s: after a re-seed the wish moves from the new operating point to
            the control law's over this time (quadratic blend: slow at first).
        intent_on_bpm: the FASTER/SLOWER cue starts when the wanted load change is worth
            this much HR...
        intent_off_bpm: ...and stops when it is worth less than this.
        disturbance_slow_s: optional slow disturbance filter (offset and drift); None
            uses the single filter ``disturbance_filter_s``.
        disturbance_fast_weight: share of the fast-minus-slow disturbance (HRV, which
            decays before a move takes effect) the control law acts on.
        drift_rate_filter_s: smoothing of the drift-rate estimate.
        drift_horizon_s: the slow disturbance is extrapolated this far ahead.
        settle_band_steps: no move either while the operating point is within this many
            device increments of the steady-state wish (no limit cycles on the grid).
        min_gain_bpm_per_kmh: identified gains are clipped to this range...
        max_gain_bpm_per_kmh: ...and this upper bound.
        identify_min_samples: samples needed before the first warm-up fit.
        identify_every_s: refit period during the warm-up.
        identify_min_range_kmh: minimal load excursion for a fit to be trusted.
        identify_max_rmse_bpm: fits with a larger residual are rejected.
        prior_weight: weight of a carried-over gain against a new warm-up fit (0-1).
        adapt: enable slow online adaptation of the gain in the main phase.
        adapt_window_s: window of the online re-fit.
        adapt_every_s: period of the online re-fit.
        adapt_rate: fraction of the way towards the online fit taken per re-fit.
        rules: actuator rules (step sizes, intervals, hysteresis).
        metabolic_load: model the input as ACSM metabolic load (walking-km/h
            equivalents, :class:`~runningroom.control.load.MetabolicLoad`); False uses
            speed + incline x ratio.
        walk_run_kmh: walk-run speed of the metabolic load model.
        identify_taus_s: time constants tried by the warm-up fit. Default: only the
            population median (60 s); an 8-min ramp separates gain and time constant
            poorly, and a wrong tau costs less than a wrong gain (benchmark-tuned).
        identify_dead_times_s: dead times tried by the warm-up fit (1 s grid over a
            physiological range).
        identify_min_response_bpm: a fit is trusted only if gain x load range (the HR
            change the warm-up explains) reaches this.
        identify_max_dead_time_interval_s: the fitted dead time is adopted only when its
            likelihood interval is at most this wide and touches neither end of the
            grid; otherwise it counts as unidentified and the prior dead time (carried
            over, or ``default_dead_time_s``) is kept. The gain is adopted either way.
        incline_deadband_bpm: while the incline hunts, it reverses its last direction
            only while the measured HR is more than this far from the target (0
            disables).
        rules: actuator rules.
        hunting_rules: actuator rules while the incline hunts (two reversals within
            ``hunting_window_s``).
        hunting_window_s: window of the incline-hunting detector.
        hunting_reversals: incline reversals within ``hunting_window_s`` that count as
            hunting.
    """

    default_gain_bpm_per_kmh: float = 10.0
    default_tau_s: float = 60.0
    default_dead_time_s: float = 10.0
    lambda_ratio: float = 0.35
    min_lambda_s: float = 15.0
    disturbance_filter_s: float = 15.0
    dead_band_bpm: float = 0.5
    settle_band_steps: float = 0.6
    disturbance_slow_s: float | None = None
    disturbance_fast_weight: float = 0.5
    drift_rate_filter_s: float = 300.0
    drift_horizon_s: float = 0.0
    lead_threshold_bpm: float = 0.0
    lead_threshold_steps: float = 1.0
    large_lambda_ratio: float | None = None
    large_gap_bpm: float = 4.0
    reseed_blend_s: float = 120.0
    intent_on_bpm: float = 2.0
    intent_off_bpm: float = 0.5
    min_gain_bpm_per_kmh: float = 1.0
    max_gain_bpm_per_kmh: float = 20.0
    identify_min_samples: int = 240
    identify_every_s: float = 60.0
    identify_min_range_kmh: float = 0.6
    identify_max_rmse_bpm: float = 6.0
    prior_weight: float = 0.3
    adapt: bool = False
    adapt_window_s: float = 600.0
    adapt_every_s: float = 120.0
    adapt_rate: float = 0.3
    rules: ActuatorRules = field(default_factory=lambda: _MODEL_RULES)
    hunting_rules: ActuatorRules = field(default_factory=lambda: _HUNTING_RULES)
    hunting_window_s: float = 600.0
    hunting_reversals: int = 2
    metabolic_load: bool = True
    walk_run_kmh: float = 7.0
    identify_taus_s: tuple[float, ...] = (60.0,)
    identify_dead_times_s: tuple[float, ...] = SEARCH_DEAD_TIMES_S
    identify_min_response_bpm: float = 6.0
    identify_max_dead_time_interval_s: float = 6.0
    incline_deadband_bpm: float = 3.0


class HrModelController:
    """Internal-model HR controller with warm-up identification (see module docstring).

    Args:
        plant: a prior estimate (for example carried over from the previous session).
        config: tuning.
        identify_enabled: False ignores ``ControlInput.identify`` (the oracle uses this).
        name: controller name reported to the benchmark and the records.
    """

    def __init__(
        self,
        plant: PlantEstimate | None = None,
        config: ModelControllerConfig | None = None,
        *,
        identify_enabled: bool = True,
        name: str = "model",
    ) -> None:
        self.name = name
        self.config = config or ModelControllerConfig()
        self._prior = plant
        self._identify_enabled = identify_enabled
        self._limits = ActuatorLimits(min_speed_kmh=0.5, max_speed_kmh=16.0)
        self._actuator = Actuator(self._limits, self.config.rules)
        self._reversals_s: list[float] = []  # times the incline reversed its direction
        self._fit: FopdtFit | None = None
        self._init_plant()
        self._x = 0.0
        self._hist: deque[tuple[float, float]] = deque()
        self._d: float | None = None
        self._d_slow: float | None = None
        self._d_rate = 0.0
        self._reseed_t: float | None = None
        self._reseed_load = 0.0
        self._last_intent = Intent.NONE
        self._last_t: float | None = None
        self._id_t: list[float] = []
        self._id_u: list[float] = []
        self._id_y: list[float] = []
        self._id_x0 = 0.0
        self._last_fit_t = -math.inf
        self._adapt_t: deque[float] = deque()
        self._adapt_u: deque[float] = deque()
        self._adapt_y: deque[float] = deque()
        self._last_adapt_t = -math.inf

    # ---- plant ------------------------------------------------------------------------

    def _init_plant(self) -> None:
        cfg = self.config
        prior = self._prior
        self._gain = cfg.default_gain_bpm_per_kmh
        self._tau_s = cfg.default_tau_s
        self._theta_s = cfg.default_dead_time_s
        self._load_model: LoadModel = (
            MetabolicLoad(cfg.walk_run_kmh) if cfg.metabolic_load else LinearLoad()
        )
        if prior is not None:
            self._gain = _clip(
                prior.gain_bpm_per_kmh, cfg.min_gain_bpm_per_kmh, cfg.max_gain_bpm_per_kmh
            )
            if prior.tau_s is not None and prior.tau_s > 0:
                self._tau_s = prior.tau_s
            if prior.dead_time_s is not None and prior.dead_time_s >= 0:
                self._theta_s = prior.dead_time_s
            if (
                not cfg.metabolic_load
                and prior.gain_bpm_per_pct is not None
                and prior.gain_bpm_per_pct > 0
            ):
                self._load_model = LinearLoad(prior.gain_bpm_per_pct / self._gain)

    @property
    def gain_bpm_per_kmh(self) -> float:
        """The gain currently used by the control law."""
        return self._gain

    @property
    def tau_s(self) -> float:
        """The time constant currently used by the control law."""
        return self._tau_s

    @property
    def dead_time_s(self) -> float:
        """The dead time currently used by the control law."""
        return self._theta_s

    def _load(self, speed_kmh: float, incline_pct: float) -> float:
        return self._load_model.load(speed_kmh, incline_pct)

    # ---- Controller protocol -------------------------------------------------------------

    def reset(
        self, now_s: float, speed_kmh: float, incline_pct: float, limits: ActuatorLimits
    ) -> None:
        """Start from the given operating point with the given limits."""
        self._limits = limits
        self._actuator = Actuator(limits, self.config.rules)
        self._reversals_s = []
        self._x = self._load(speed_kmh, incline_pct)
        self._hist = deque([(now_s, self._x)])
        self._d = None
        self._d_slow = None
        self._d_rate = 0.0
        self._reseed_t = None
        self._last_t = now_s
        self._id_t, self._id_u, self._id_y = [], [], []
        self._id_x0 = self._x
        self._last_fit_t = -math.inf
        self._adapt_t.clear()
        self._adapt_u.clear()
        self._adapt_y.clear()
        self._last_adapt_t = now_s

    def reseed(self, now_s: float, speed_kmh: float, incline_pct: float) -> None:
        """Adopt an operating point set by someone else, without a jump.

        The internal model keeps running on the applied load, so nothing winds up. The
        controller does not fight the new point: the actuator waits one command
        interval, then the wish is blended from the new point to the control law over
        ``reseed_blend_s`` (slowly at first), so the therapist's choice stands while the
        HR responds to it.
        """
        self._actuator.hold(now_s)
        self._reseed_t = now_s
        self._reseed_load = self._load(speed_kmh, incline_pct)

    def plant_estimate(self) -> PlantEstimate | None:
        """The identified plant (or the prior), for carrying over to the next session."""
        if self._fit is None and self._prior is None:
            return None
        return PlantEstimate(
            gain_bpm_per_kmh=round(self._gain, 3),
            gain_bpm_per_pct=round(
                self._gain * self._load_model.incline_gain(self._limits.max_speed_kmh, 0.0), 3
            ),
            tau_s=round(self._tau_s, 1),
            dead_time_s=round(self._theta_s, 1),
        )

    def update(self, inp: ControlInput) -> ControlOutput:
        """One control tick: update the model, identify, compute and shape the command."""
        cfg = self.config
        now = inp.now_s
        if self._last_t is None:
            self._last_t = now
            self._hist.append((now, self._x))
        dt = min(max(now - self._last_t, 0.0), 600.0)
        self._last_t = now
        u_app = self._load(inp.speed_kmh, inp.incline_pct)
        if dt > 0:
            a = math.exp(-dt / self._tau_s)
            self._x = a * self._x + (1.0 - a) * u_app
        self._hist.append((now, self._x))
        horizon = now - self._theta_s - 5.0
        while len(self._hist) > 2 and self._hist[1][0] < horizon:
            self._hist.popleft()
        m = self._delayed_state(now - self._theta_s)

        hr = inp.hr_bpm
        if hr is not None and math.isfinite(hr):
            err = hr - self._gain * m
            if self._d is None or self._d_slow is None:
                self._d = err
                self._d_slow = err
                self._d_rate = 0.0
            else:
                self._d += (1.0 - math.exp(-dt / cfg.disturbance_filter_s)) * (err - self._d)
                if cfg.disturbance_slow_s is not None and dt > 0:
                    prev = self._d_slow
                    self._d_slow += (1.0 - math.exp(-dt / cfg.disturbance_slow_s)) * (
                        err - self._d_slow
                    )
                    rate = (self._d_slow - prev) / dt
                    self._d_rate += (1.0 - math.exp(-dt / cfg.drift_rate_filter_s)) * (
                        rate - self._d_rate
                    )
            if inp.identify and self._identify_enabled:
                self._id_t.append(now)
                self._id_u.append(u_app)
                self._id_y.append(hr)
            elif cfg.adapt and self._identify_enabled:
                self._record_adapt(now, u_app, hr)
        if self._identify_enabled:
            self._maybe_identify(now, final=not inp.identify)

        if hr is None or self._d is None:
            return ControlOutput(inp.speed_kmh, inp.incline_pct, Intent.NONE)

        x_ss = (inp.target_bpm - self._effective_disturbance()) / self._gain
        lam = max(cfg.min_lambda_s, cfg.lambda_ratio * self._tau_s)
        # IMC lead on the part of the predicted error beyond the lead threshold: fast
        # transients, but no lead (so no hunting around the grid) near the steady state
        gap = x_ss - self._x
        free = max(
            cfg.lead_threshold_bpm / self._gain,
            cfg.lead_threshold_steps * self._limits.speed_step_kmh,
        )
        lead_gap = math.copysign(max(0.0, abs(gap) - free), gap)
        wish = x_ss + (self._tau_s / lam - 1.0) * lead_gap
        if cfg.large_lambda_ratio is not None:
            # stronger lead for large predicted errors (target steps, warm-up end)
            big = cfg.large_gap_bpm / self._gain
            big_gap = math.copysign(max(0.0, abs(gap) - big), gap)
            lam_big = max(cfg.min_lambda_s * 0.5, cfg.large_lambda_ratio * self._tau_s)
            wish += (self._tau_s / lam_big - self._tau_s / lam) * big_gap
        if self._reseed_t is not None:
            since = now - self._reseed_t
            if 0.0 <= since < cfg.reseed_blend_s:
                weight = (since / cfg.reseed_blend_s) ** 2  # hardly moves at first
                wish = self._reseed_load + weight * (wish - self._reseed_load)
            else:
                self._reseed_t = None
        if self._settled(inp, x_ss, u_app):
            wish = u_app
        if not inp.allow_increase:
            wish = min(wish, u_app)
        speed, incline = self._shape(now, inp, wish)
        return ControlOutput(speed, incline, self._intent(wish, u_app))

    # ---- internals ----------------------------------------------------------------------

    def _delayed_state(self, t_s: float) -> float:
        hist = self._hist
        if t_s <= hist[0][0]:
            return hist[0][1]
        for i in range(len(hist) - 1, 0, -1):
            t1, x1 = hist[i]
            if t1 <= t_s:
                return x1
            t0, x0 = hist[i - 1]
            if t0 <= t_s:
                return x0 + (x1 - x0) * (t_s - t0) / (t1 - t0) if t1 > t0 else x1
        return hist[0][1]

    def _effective_disturbance(self) -> float:
        """Disturbance expected once a move now takes effect.

        With a slow filter configured: the slow part (offset, drift) persists, extrapolated
        by the drift rate over ``drift_horizon_s``; only ``disturbance_fast_weight`` of the
        faster part (HRV, which decays) is expected to persist.
        """
        cfg = self.config
        assert self._d is not None
        if cfg.disturbance_slow_s is None or self._d_slow is None:
            return self._d
        fast = self._d - self._d_slow
        return (
            self._d_slow + cfg.disturbance_fast_weight * fast + self._d_rate * (cfg.drift_horizon_s)
        )

    def _settled(self, inp: ControlInput, x_ss: float, u_app: float) -> bool:
        """True when the operating point already is the grid point for the steady state.

        Holding there (instead of chasing the lead term around the grid) is what keeps
        a quantised loop free of limit cycles.
        """
        cfg = self.config
        if abs(self._gain * (x_ss - u_app)) < cfg.dead_band_bpm:
            return True
        lim = self._limits
        speed_ss, incline_ss = self._split(x_ss, inp.speed_kmh, inp.incline_pct)
        speed_ss = min(max(speed_ss, lim.min_speed_kmh), lim.max_speed_kmh)
        incline_ss = min(max(incline_ss, lim.min_incline_pct), lim.max_incline_pct)
        band = cfg.settle_band_steps
        speed_ok = abs(speed_ss - inp.speed_kmh) <= band * lim.speed_step_kmh + _EPS
        incline_ok = abs(incline_ss - inp.incline_pct) <= band * lim.incline_step_pct + _EPS
        return speed_ok and incline_ok

    def _split(self, wish: float, cur_v: float, cur_i: float) -> tuple[float, float]:
        """Continuous (speed, incline) wish for a load wish, before the actuator rules."""
        lim = self._limits
        model = self._load_model
        if not lim.use_speed:
            return cur_v, model.incline_for(wish, cur_v)
        if not lim.use_incline:
            return model.speed_for(wish, cur_i), cur_i
        floor = lim.min_incline_pct
        speed_w = model.speed_for(wish, floor)
        inc_w = floor
        if speed_w > lim.max_speed_kmh:
            # (the speed wish stays beyond the cap: the actuator clamps it)
            inc_w = max(floor, model.incline_for(wish, lim.max_speed_kmh))
        if cur_i > floor + _EPS and speed_w < cur_v:
            # take the incline away before the speed comes down (the wish may lie
            # below the floor: the actuator clamps it, its hysteresis sees the distance)
            speed_w = cur_v
            inc_w = model.incline_for(wish, cur_v)
        if cur_v < lim.max_speed_kmh - lim.speed_step_kmh / 2:
            inc_w = min(inc_w, cur_i)  # incline only once speed is at its cap
        return speed_w, inc_w

    def _shape(self, now: float, inp: ControlInput, wish: float) -> tuple[float, float]:
        lim = self._limits
        cur_v, cur_i = inp.speed_kmh, inp.incline_pct
        speed_w, inc_w = self._split(wish, cur_v, cur_i)
        cfg = self.config
        window = cfg.hunting_window_s
        self._reversals_s = [t for t in self._reversals_s if now - t <= window]
        hunting = len(self._reversals_s) >= cfg.hunting_reversals
        self._actuator.rules = cfg.hunting_rules if hunting else cfg.rules
        if hunting:
            inc_w = self._incline_deadband(inp, cur_i, inc_w)
        speed = self._actuator.speed(now, cur_v, speed_w, inp.allow_increase)
        incline = cur_i
        if lim.use_incline or not lim.use_speed:
            before = self._actuator.last_incline_direction
            incline = self._actuator.incline(now, cur_i, inc_w, inp.allow_increase)
            after = self._actuator.last_incline_direction
            if before and after == -before:
                self._reversals_s.append(now)
        return speed, incline

    def _incline_deadband(self, inp: ControlInput, cur_i: float, inc_w: float) -> float:
        """Reverse the incline only while the HR is beyond the deadband of the target.

        One incline increment moves the HR by several bpm, so a target between two
        increments, or an HR that wanders by a few bpm at a constant load, would
        otherwise make the incline hunt. After a rise the incline falls only while the
        HR is more than ``incline_deadband_bpm`` above the target, after a fall it rises
        only while the HR is that far below; moves in the same direction are free (the
        ceiling rules act elsewhere, whatever this says).
        """
        band = self.config.incline_deadband_bpm
        hr = inp.hr_bpm
        if band <= 0.0 or hr is None or not math.isfinite(hr):
            return inc_w
        last = self._actuator.last_incline_direction
        if inc_w > cur_i and last < 0 and hr > inp.target_bpm - band:
            return cur_i
        if inc_w < cur_i and last > 0 and hr < inp.target_bpm + band:
            return cur_i
        return inc_w

    def _intent(self, wish: float, u_app: float) -> Intent:
        """Patient-screen cue with hysteresis (no flicker between ticks).

        FASTER/SLOWER while the control law wants the load to move by more than
        ``intent_on_bpm``, until the remaining gap falls below ``intent_off_bpm``; HOLD
        otherwise (small corrective steps do not change the cue).
        """
        cfg = self.config
        gap_bpm = self._gain * (wish - u_app)
        previous = self._last_intent
        if gap_bpm > cfg.intent_on_bpm:
            intent = Intent.FASTER
        elif gap_bpm < -cfg.intent_on_bpm:
            intent = Intent.SLOWER
        elif previous is Intent.FASTER and gap_bpm > cfg.intent_off_bpm:
            intent = Intent.FASTER
        elif previous is Intent.SLOWER and gap_bpm < -cfg.intent_off_bpm:
            intent = Intent.SLOWER
        else:
            intent = Intent.HOLD
        self._last_intent = intent
        return intent

    def _maybe_identify(self, now: float, *, final: bool) -> None:
        cfg = self.config
        n = len(self._id_t)
        if n == 0:
            return
        due = now - self._last_fit_t >= cfg.identify_every_s
        if not final and (n < cfg.identify_min_samples or not due):
            return
        self._last_fit_t = now
        fit = (
            fit_fopdt(
                self._id_t,
                self._id_u,
                self._id_y,
                taus_s=cfg.identify_taus_s,
                dead_times_s=cfg.identify_dead_times_s,
            )
            if n >= 60
            else None
        )
        if fit is None or (
            fit.input_range_kmh < cfg.identify_min_range_kmh
            or fit.rmse_bpm > cfg.identify_max_rmse_bpm
            or fit.gain_bpm_per_kmh * fit.input_range_kmh < cfg.identify_min_response_bpm
            or not -self._id_u[0] - 1.0 <= fit.initial_offset_kmh <= fit.input_range_kmh
        ):
            logger.debug("identification rejected: %s", fit)
            if final:
                self._id_t, self._id_u, self._id_y = [], [], []
            return
        gain = _clip(fit.gain_bpm_per_kmh, cfg.min_gain_bpm_per_kmh, cfg.max_gain_bpm_per_kmh)
        tau = fit.tau_s
        theta = self._prior_dead_time_s()
        if fit.dead_time_identified(cfg.identify_max_dead_time_interval_s):
            theta = fit.dead_time_s
        else:
            logger.debug(
                "dead time unidentified (best %.0f s, interval %.0f-%.0f s): prior %.0f s kept",
                fit.dead_time_s,
                fit.dead_time_low_s,
                fit.dead_time_high_s,
                theta,
            )
        if self._prior is not None:
            w = cfg.prior_weight
            gain = math.exp(w * math.log(self._prior.gain_bpm_per_kmh) + (1 - w) * math.log(gain))
            if self._prior.tau_s:
                tau = w * self._prior.tau_s + (1 - w) * tau
        self._fit = fit
        self._set_plant(gain, tau, theta, now, fit)
        if final:
            self._id_t, self._id_u, self._id_y = [], [], []
        logger.debug(
            "identified K=%.2f tau=%.0f theta=%.0f (rmse %.2f)", gain, tau, theta, fit.rmse_bpm
        )

    def _prior_dead_time_s(self) -> float:
        """The dead time to keep when the warm-up does not identify one."""
        prior = self._prior
        if prior is not None and prior.dead_time_s is not None and prior.dead_time_s >= 0:
            return prior.dead_time_s
        return self.config.default_dead_time_s

    def _set_plant(self, gain: float, tau: float, theta: float, now: float, fit: FopdtFit) -> None:
        """Adopt a new model and re-initialise its state from the logged data."""
        self._gain, self._tau_s, self._theta_s = gain, tau, theta
        t = np.asarray(self._id_t)
        u = np.asarray(self._id_u)
        y = np.asarray(self._id_y)
        x = lag_filter(t, u, tau, float(u[0]) + fit.initial_offset_kmh)
        self._x = float(x[-1])
        m = np.interp(t - theta, t, x, left=float(x[0]))
        resid = y - gain * m
        tail = resid[-30:]
        self._d = float(np.mean(tail))
        self._d_slow = float(np.mean(resid[-60:]))
        self._hist = deque(
            (float(ti), float(xi)) for ti, xi in zip(t, x, strict=True) if ti >= now - theta - 5.0
        )
        if not self._hist:
            self._hist.append((now, self._x))

    def _record_adapt(self, now: float, u: float, hr: float) -> None:
        cfg = self.config
        self._adapt_t.append(now)
        self._adapt_u.append(u)
        self._adapt_y.append(hr)
        while self._adapt_t and self._adapt_t[0] < now - cfg.adapt_window_s:
            self._adapt_t.popleft()
            self._adapt_u.popleft()
            self._adapt_y.popleft()
        if now - self._last_adapt_t < cfg.adapt_every_s or len(self._adapt_t) < 240:
            return
        self._last_adapt_t = now
        fit = fit_fopdt(
            list(self._adapt_t),
            list(self._adapt_u),
            list(self._adapt_y),
            taus_s=(self._tau_s,),
            dead_times_s=(self._theta_s,),
        )
        if fit is None or fit.input_range_kmh < 1.0:
            return
        target = _clip(fit.gain_bpm_per_kmh, 0.6 * self._gain, 1.6 * self._gain)
        target = _clip(target, cfg.min_gain_bpm_per_kmh, cfg.max_gain_bpm_per_kmh)
        new_gain = math.exp(
            (1 - cfg.adapt_rate) * math.log(self._gain) + cfg.adapt_rate * math.log(target)
        )
        self._rebase_gain(new_gain)

    def _rebase_gain(self, new_gain: float) -> None:
        """Change the gain keeping the current HR prediction (bumpless)."""
        if self._d is not None and self._last_t is not None:
            m = self._delayed_state(self._last_t - self._theta_s)
            self._d += (self._gain - new_gain) * m
            if self._d_slow is not None:
                self._d_slow += (self._gain - new_gain) * m
        self._gain = new_gain


def _clip(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)
