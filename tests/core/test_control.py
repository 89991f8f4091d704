"""Controller contract and behaviour: limits, anti-windup, smoothness, identification."""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runningroom.bench.plant import FopdtParams, FopdtPatient
from runningroom.control import CONTROLLER_NAMES, make_controller
from runningroom.control.actuation import Actuator, ActuatorRules, snap, snap_toward
from runningroom.control.base import ActuatorLimits, ControlInput, Controller, PlantEstimate
from runningroom.control.baselines import FixedSpeedController, FixedStepController
from runningroom.control.hr_controller import HrModelController, ModelControllerConfig
from runningroom.control.identification import fit_fopdt
from runningroom.control.load import LinearLoad, MetabolicLoad
from runningroom.session.model import Intent

LIMITS = ActuatorLimits(min_speed_kmh=1.5, max_speed_kmh=8.0)
LIMITS_INCLINE = ActuatorLimits(
    min_speed_kmh=1.5, max_speed_kmh=5.0, use_incline=True, max_incline_pct=10.0
)


def on_grid(value: float, low: float, step: float) -> bool:
    k = (value - low) / step
    return abs(k - round(k)) < 1e-6


@dataclass
class Loop:
    """Closed loop of a controller and a FOPDT patient at 1 Hz (belt follows next tick)."""

    controller: Controller
    patient: FopdtPatient
    limits: ActuatorLimits = LIMITS
    speed_kmh: float = 2.5
    incline_pct: float = 0.0
    t_s: float = 0.0
    hr_bpm: float = 0.0
    speeds: list[float] = field(default_factory=list)
    inclines: list[float] = field(default_factory=list)
    hrs: list[float] = field(default_factory=list)
    outputs: list[Intent] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.patient.reset(0.0, 0.0)
        self.controller.reset(0.0, self.speed_kmh, self.incline_pct, self.limits)
        self.hr_bpm = self.patient.params.hr_rest_bpm

    def warmup(self, duration_s: float, end_bpm: float) -> None:
        """Warm-up as the engine runs it: target ramps from rest over 80 % of the time."""
        start = self.patient.params.hr_rest_bpm
        ramp_s = 0.8 * duration_s
        for i in range(int(duration_s)):
            frac = min((i + 1) / ramp_s, 1.0)
            self.run(1, start + frac * (end_bpm - start), identify=True)

    def run(
        self,
        duration_s: float,
        target_bpm: float,
        *,
        identify: bool = False,
        allow_increase: bool = True,
        hr_available: bool = True,
    ) -> None:
        for _ in range(int(duration_s)):
            self.t_s += 1.0
            self.hr_bpm = self.patient.step(1.0, self.speed_kmh, self.incline_pct)
            out = self.controller.update(
                ControlInput(
                    now_s=self.t_s,
                    hr_bpm=self.hr_bpm if hr_available else None,
                    target_bpm=target_bpm,
                    speed_kmh=self.speed_kmh,
                    incline_pct=self.incline_pct,
                    allow_increase=allow_increase,
                    identify=identify,
                )
            )
            assert abs(out.speed_kmh - self.speed_kmh) <= self.limits.max_speed_step_kmh + 1e-9
            assert (
                abs(out.incline_pct - self.incline_pct) <= self.limits.max_incline_step_pct + 1e-9
            )
            self.speed_kmh, self.incline_pct = out.speed_kmh, out.incline_pct
            self.speeds.append(self.speed_kmh)
            self.inclines.append(self.incline_pct)
            self.hrs.append(self.hr_bpm)
            self.outputs.append(out.intent)


def linear_model() -> HrModelController:
    """Model controller whose load is plain speed (matches the FOPDT test plant)."""
    return HrModelController(None, ModelControllerConfig(metabolic_load=False))


def rmse(values: list[float], target: float) -> float:
    return math.sqrt(sum((v - target) ** 2 for v in values) / len(values))


# ---- actuation helpers ------------------------------------------------------------------


def test_snap_clamps_and_rounds_to_grid() -> None:
    assert snap(5.04, 1.5, 8.0, 0.1) == pytest.approx(5.0)
    assert snap(5.06, 1.5, 8.0, 0.1) == pytest.approx(5.1)
    assert snap(9.0, 1.5, 8.0, 0.1) == pytest.approx(8.0)
    assert snap(0.2, 1.5, 8.0, 0.1) == pytest.approx(1.5)
    assert snap(2.3, 0.0, 10.0, 0.5) == pytest.approx(2.5)
    assert snap_toward(5.29, 5.0, 1.5, 8.0, 0.1) == pytest.approx(5.2)
    assert snap_toward(4.71, 5.0, 1.5, 8.0, 0.1) == pytest.approx(4.8)


@settings(max_examples=200, deadline=None)
@given(
    current=st.floats(1.5, 8.0),
    wanted=st.floats(-5.0, 20.0),
    allow=st.booleans(),
    dt=st.floats(0.0, 20.0),
)
def test_actuator_speed_contract(current: float, wanted: float, allow: bool, dt: float) -> None:
    act = Actuator(LIMITS, ActuatorRules(max_step_up_kmh=0.3, max_step_down_kmh=0.3))
    act.hold(0.0)
    current = snap(current, 1.5, 8.0, 0.1)
    new = act.speed(dt, current, wanted, allow)
    assert 1.5 - 1e-9 <= new <= 8.0 + 1e-9
    assert on_grid(new, 1.5, 0.1)
    assert abs(new - current) <= 0.3 + 1e-9
    if not allow:
        assert new <= current + 1e-9


def test_actuator_respects_minimum_interval_and_hysteresis() -> None:
    act = Actuator(LIMITS, ActuatorRules(min_interval_up_s=6.0, hysteresis_steps=1.5))
    assert act.speed(0.0, 5.0, 5.12) == 5.0  # inside the hysteresis band
    assert act.speed(0.0, 5.0, 6.0) == pytest.approx(5.2)
    assert act.speed(3.0, 5.2, 6.0) == pytest.approx(5.2)  # too soon
    assert act.speed(6.0, 5.2, 6.0) == pytest.approx(5.4)


# ---- factory ----------------------------------------------------------------------------


def test_make_controller_names() -> None:
    plant = PlantEstimate(8.0, tau_s=60.0, dead_time_s=10.0)
    for name in CONTROLLER_NAMES:
        ctrl = make_controller(name, plant)
        assert ctrl.name == name
    with pytest.raises(ValueError, match="true plant"):
        make_controller("oracle")
    with pytest.raises(ValueError, match="unknown controller"):
        make_controller("pid")


def test_prior_plant_is_used_and_carried_over() -> None:
    ctrl = make_controller("model", PlantEstimate(6.5, tau_s=80.0, dead_time_s=5.0))
    assert isinstance(ctrl, HrModelController)
    assert ctrl.gain_bpm_per_kmh == pytest.approx(6.5)
    assert ctrl.tau_s == pytest.approx(80.0)
    est = ctrl.plant_estimate()
    assert est is not None
    assert est.gain_bpm_per_kmh == pytest.approx(6.5)
    assert make_controller("model").plant_estimate() is None


# ---- model controller behaviour ---------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    steps=st.lists(
        st.tuples(st.floats(40.0, 200.0), st.booleans(), st.booleans()), min_size=5, max_size=60
    ),
)
def test_model_output_contract_under_random_inputs(
    seed: int, steps: list[tuple[float, bool, bool]]
) -> None:
    ctrl = make_controller("model")
    ctrl.reset(0.0, 3.0, 0.0, LIMITS_INCLINE)
    rnd = random.Random(seed)
    speed, incline = 3.0, 0.0
    for i, (hr, allow, identify) in enumerate(steps):
        out = ctrl.update(
            ControlInput(
                now_s=float(i * 5),
                hr_bpm=hr if rnd.random() > 0.1 else None,
                target_bpm=110.0,
                speed_kmh=speed,
                incline_pct=incline,
                allow_increase=allow,
                identify=identify,
            )
        )
        lim = LIMITS_INCLINE
        assert lim.min_speed_kmh - 1e-9 <= out.speed_kmh <= lim.max_speed_kmh + 1e-9
        assert lim.min_incline_pct - 1e-9 <= out.incline_pct <= lim.max_incline_pct + 1e-9
        assert on_grid(out.speed_kmh, lim.min_speed_kmh, lim.speed_step_kmh)
        assert on_grid(out.incline_pct, lim.min_incline_pct, lim.incline_step_pct)
        assert abs(out.speed_kmh - speed) <= lim.max_speed_step_kmh + 1e-9
        assert abs(out.incline_pct - incline) <= lim.max_incline_step_pct + 1e-9
        if not allow:
            assert out.speed_kmh <= speed + 1e-9
            assert out.incline_pct <= incline + 1e-9
        speed, incline = out.speed_kmh, out.incline_pct


def test_untrusted_hr_holds_the_operating_point() -> None:
    loop = Loop(linear_model(), FopdtPatient(FopdtParams()))
    loop.run(60, target_bpm=120.0, hr_available=False)
    assert set(loop.speeds) == {2.5}
    assert set(loop.outputs) == {Intent.NONE}


def test_allow_increase_false_never_increases_then_resumes_smoothly() -> None:
    loop = Loop(linear_model(), FopdtPatient(FopdtParams()))
    loop.run(600, target_bpm=120.0, allow_increase=False)
    assert max(loop.speeds) <= 2.5
    loop.run(30, target_bpm=120.0)
    assert loop.speeds[-1] > 2.5  # resumes, within the per-command limit (checked in run)


def test_tracks_noise_free_fopdt_plant_and_settles_without_limit_cycle() -> None:
    params = FopdtParams(gain_bpm_per_kmh=8.0, tau_s=60.0, dead_time_s=10.0)
    loop = Loop(linear_model(), FopdtPatient(params))
    loop.warmup(480, end_bpm=100.0)
    loop.run(1800, target_bpm=110.0)
    main_hr = loop.hrs[480 + 300 :]
    assert rmse(main_hr, 110.0) < 1.0
    tail = loop.speeds[-900:]
    changes = sum(1 for a, b in itertools.pairwise(tail) if a != b)
    assert changes == 0, "limit cycle or dithering on a noise-free plant"
    assert loop.outputs[-1] is Intent.HOLD


@pytest.mark.parametrize(
    ("gain", "tau_s", "dead_time_s"), [(3.0, 30.0, 0.0), (8.0, 60.0, 10.0), (15.0, 120.0, 20.0)]
)
def test_tracks_fopdt_plant_with_hrv_and_drift(
    gain: float, tau_s: float, dead_time_s: float
) -> None:
    params = FopdtParams(
        hr_rest_bpm=70.0,
        gain_bpm_per_kmh=gain,
        tau_s=tau_s,
        dead_time_s=dead_time_s,
        drift_bpm_per_min=0.3,
        hrv_sigma_bpm=2.0,
        seed=3,
    )
    target = 70.0 + gain * 4.0  # reachable at about 4 km/h (plus drift headroom)
    loop = Loop(linear_model(), FopdtPatient(params))
    loop.warmup(480, end_bpm=target - 8.0)
    loop.run(1800, target_bpm=target)
    main_hr = loop.hrs[480 + 300 :]
    assert rmse(main_hr, target) < 3.0
    last10 = loop.hrs[-600:]
    assert abs(sum(last10) / len(last10) - target) < 1.5  # integral action beats the drift


def test_identification_recovers_known_gain_within_20_percent() -> None:
    for gain in (4.0, 8.0, 14.0):
        params = FopdtParams(
            gain_bpm_per_kmh=gain, tau_s=60.0, dead_time_s=8.0, hrv_sigma_bpm=1.5, seed=11
        )
        ctrl = linear_model()
        loop = Loop(ctrl, FopdtPatient(params))
        loop.warmup(480, end_bpm=70.0 + gain * 5.0)
        loop.run(5, target_bpm=70.0 + gain * 5.0)  # identify=False triggers the final fit
        est = ctrl.plant_estimate()
        assert est is not None
        assert est.gain_bpm_per_kmh == pytest.approx(gain, rel=0.2)


def test_fit_fopdt_on_a_known_ramp() -> None:
    params = FopdtParams(gain_bpm_per_kmh=7.0, tau_s=45.0, dead_time_s=10.0)
    patient = FopdtPatient(params)
    patient.reset(2.0, 0.0)
    t, u, y = [], [], []
    for i in range(1, 481):
        speed = 2.0 + 4.0 * min(i / 400.0, 1.0)
        t.append(float(i))
        u.append(speed)
        y.append(patient.step(1.0, speed, 0.0))
    fit = fit_fopdt(t, u, y)
    assert fit is not None
    assert fit.gain_bpm_per_kmh == pytest.approx(7.0, rel=0.03)
    assert fit.tau_s == pytest.approx(45.0)
    assert fit.dead_time_s == pytest.approx(10.0)
    assert fit_fopdt(t[:30], u[:30], y[:30]) is None  # too short
    assert fit_fopdt(t, [3.0] * len(t), y) is None  # no excitation


def test_anti_windup_recovers_from_long_saturation_without_overshoot() -> None:
    params = FopdtParams(hr_rest_bpm=70.0, gain_bpm_per_kmh=8.0, tau_s=60.0, dead_time_s=10.0)
    limits = ActuatorLimits(min_speed_kmh=1.5, max_speed_kmh=5.0)
    ctrl = make_controller("oracle", params.plant_estimate())
    loop = Loop(ctrl, FopdtPatient(params), limits=limits)
    loop.run(1200, target_bpm=150.0)  # unreachable: 5 km/h gives 110 bpm
    assert loop.speeds[-1] == pytest.approx(5.0)
    loop.run(900, target_bpm=100.0)  # reachable at 3.75 km/h
    after = loop.speeds[1200:]
    assert after[20] < 5.0, "no windup: the speed comes down at once"
    hr_after = loop.hrs[1200:]
    assert min(hr_after) > 100.0 - 2.0, "no undershoot from stored integral"
    assert rmse(hr_after[-300:], 100.0) < 0.5


def test_reseed_is_bumpless() -> None:
    params = FopdtParams(gain_bpm_per_kmh=8.0)
    loop = Loop(linear_model(), FopdtPatient(params))
    loop.run(600, target_bpm=100.0)
    loop.speed_kmh = 5.5  # the therapist set a new speed
    loop.controller.reseed(loop.t_s, 5.5, 0.0)
    loop.run(3, target_bpm=100.0)
    assert loop.speeds[-3:] == [5.5, 5.5, 5.5]
    loop.run(15, target_bpm=100.0)
    assert min(loop.speeds[-15:]) >= 5.5 - 0.3 - 1e-9, "does not fight the therapist"
    loop.run(300, target_bpm=100.0)  # step limits are asserted inside run()
    assert loop.speeds[-1] < 5.5


def test_intent_cues() -> None:
    ctrl = linear_model()
    ctrl.reset(0.0, 4.0, 0.0, LIMITS)
    low = ctrl.update(
        ControlInput(now_s=1.0, hr_bpm=80.0, target_bpm=120.0, speed_kmh=4.0, incline_pct=0.0)
    )
    assert low.intent is Intent.FASTER
    ctrl.reset(0.0, 4.0, 0.0, LIMITS)
    high = ctrl.update(
        ControlInput(now_s=1.0, hr_bpm=140.0, target_bpm=110.0, speed_kmh=4.0, incline_pct=0.0)
    )
    assert high.intent is Intent.SLOWER


def test_intent_cue_does_not_flicker_during_an_approach() -> None:
    params = FopdtParams(hr_rest_bpm=70.0, gain_bpm_per_kmh=8.0, tau_s=60.0, dead_time_s=10.0)
    loop = Loop(linear_model(), FopdtPatient(params))
    loop.run(300, target_bpm=90.0)
    loop.run(120, target_bpm=110.0)  # a +20 bpm step: speed ramps up over many commands
    assert set(loop.outputs[300:330]) == {Intent.FASTER}
    approach = loop.outputs[300:420]
    changes = sum(1 for a, b in itertools.pairwise(approach) if a != b)
    assert changes <= 6, "the cue follows the moves, not single ticks"
    loop.run(900, target_bpm=110.0)
    assert loop.outputs[-1] is Intent.HOLD


def test_incline_only_at_the_speed_cap_and_removed_first() -> None:
    params = FopdtParams(hr_rest_bpm=70.0, gain_bpm_per_kmh=6.0, gain_bpm_per_pct=4.0)
    ctrl = HrModelController(None, ModelControllerConfig(metabolic_load=True))
    loop = Loop(ctrl, FopdtPatient(params), limits=LIMITS_INCLINE)
    loop.run(1200, target_bpm=110.0)  # needs more than 5 km/h (100 bpm)
    pairs = list(zip(loop.speeds, loop.inclines, strict=True))
    assert any(inc > 0 for _, inc in pairs), "incline used once speed is capped"
    assert all(v == pytest.approx(5.0) for v, inc in pairs if inc > 0)
    loop.run(1200, target_bpm=85.0)  # needs about 2.5 km/h
    pairs = list(zip(loop.speeds, loop.inclines, strict=True))[1200:]
    first_speed_drop = next(i for i, (v, _) in enumerate(pairs) if v < 5.0 - 1e-9)
    assert pairs[first_speed_drop][1] == 0.0, "incline removed before the speed comes down"
    assert loop.inclines[-1] == 0.0
    assert loop.speeds[-1] < 3.5


def test_load_models_round_trip() -> None:
    for model in (MetabolicLoad(), LinearLoad(0.8)):
        for speed, incline in ((3.0, 0.0), (6.5, 2.0), (8.0, 0.0), (9.0, 4.0)):
            load = model.load(speed, incline)
            assert model.speed_for(load, incline) == pytest.approx(speed)
            assert model.incline_for(load, speed) == pytest.approx(incline, abs=1e-9)
    acsm = MetabolicLoad(walk_run_kmh=7.0)
    assert acsm.load(5.0, 0.0) == pytest.approx(5.0)
    assert acsm.load(8.0, 0.0) == pytest.approx(9.0)  # running costs twice per km/h


# ---- baselines --------------------------------------------------------------------------


def test_fixed_step_steps_every_period_outside_the_zone() -> None:
    ctrl = FixedStepController(step_kmh=0.2, period_s=10.0)
    ctrl.reset(0.0, 4.0, 0.0, LIMITS)
    speed = 4.0
    speeds = []
    for t in range(1, 41):
        out = ctrl.update(
            ControlInput(
                now_s=float(t),
                hr_bpm=90.0,
                target_bpm=110.0,
                speed_kmh=speed,
                incline_pct=0.0,
                zone_low_bpm=100.0,
                zone_high_bpm=120.0,
            )
        )
        speed = out.speed_kmh
        speeds.append(speed)
    assert speeds[9] == pytest.approx(4.2)
    assert speeds[-1] == pytest.approx(4.8)
    assert len(set(speeds)) == 5
    inside = ctrl.update(
        ControlInput(now_s=100.0, hr_bpm=110.0, target_bpm=110.0, speed_kmh=speed, incline_pct=0.0)
    )
    assert inside.speed_kmh == speed
    assert inside.intent is Intent.HOLD


def test_fixed_speed_ramps_then_holds() -> None:
    ctrl = FixedSpeedController(5.0, ramp_s=100.0)
    ctrl.reset(0.0, 3.0, 0.0, LIMITS)
    speed = 3.0
    for t in range(1, 400):
        out = ctrl.update(
            ControlInput(
                now_s=float(t), hr_bpm=150.0, target_bpm=110.0, speed_kmh=speed, incline_pct=0.0
            )
        )
        assert abs(out.speed_kmh - speed) <= 0.3 + 1e-9
        speed = out.speed_kmh
    assert speed == pytest.approx(5.0)
