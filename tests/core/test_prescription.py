"""Prescription maths: age, HRmax formulas, zones, target, ceiling."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runningroom.errors import ValidationError
from runningroom.model import (
    WALK_ONLY_MAX_SPEED_KMH,
    Actuator,
    CeilingSpec,
    HrMaxFormula,
    HrMaxSource,
    PatientLimits,
    PatientProfile,
    PhaseKind,
    PhaseSpec,
    SessionTemplate,
    ZoneMethod,
    ZoneSpec,
)
from runningroom.prescription import (
    age_on,
    compute_prescription,
    effective_actuator,
    effective_limits,
    estimate_hrmax,
    prescription_from_dict,
    prescription_to_dict,
)

ON = date(2026, 11, 25)


def make_profile(**kw: object) -> PatientProfile:
    base = PatientProfile(code="P-1", resting_hr_bpm=70, age_years=50)
    return replace(base, **kw)  # type: ignore[arg-type]


def make_template(**kw: object) -> SessionTemplate:
    base = SessionTemplate(
        name="t",
        warmup=PhaseSpec(PhaseKind.WARMUP, 480.0),
        main=PhaseSpec(PhaseKind.MAIN, 1800.0),
        cooldown=PhaseSpec(PhaseKind.COOLDOWN, 420.0),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_age_from_age_years_wins_over_birth_year() -> None:
    assert age_on(make_profile(age_years=40, birth_year=1950), ON) == 40


def test_age_from_birth_year() -> None:
    assert age_on(make_profile(age_years=None, birth_year=1976), ON) == 50


def test_age_unknown() -> None:
    assert age_on(make_profile(age_years=None), ON) is None


@pytest.mark.parametrize(
    ("formula", "age", "expected"),
    [
        (HrMaxFormula.TANAKA, 50, 173.0),
        (HrMaxFormula.TANAKA, 20, 194.0),
        (HrMaxFormula.FOX, 50, 170.0),
        (HrMaxFormula.GELLISH, 50, 172.0),
        (HrMaxFormula.NES, 50, 179.0),
        (HrMaxFormula.NES, 25, 195.0),
    ],
)
def test_hrmax_formulas(formula: HrMaxFormula, age: int, expected: float) -> None:
    hrmax, source = estimate_hrmax(make_profile(age_years=age, hrmax_formula=formula), ON)
    assert hrmax == pytest.approx(expected)
    assert source.value == formula.value


def test_tanaka_is_the_default() -> None:
    hrmax, source = estimate_hrmax(make_profile(), ON)
    assert source is HrMaxSource.TANAKA
    assert hrmax == pytest.approx(173.0)


def test_beta_blocked_formula_overrides_chosen_formula() -> None:
    hrmax, source = estimate_hrmax(
        make_profile(age_years=60, beta_blocker=True, hrmax_formula=HrMaxFormula.FOX), ON
    )
    assert source is HrMaxSource.BETA_BLOCKED
    assert hrmax == pytest.approx(164 - 0.7 * 60)


def test_measured_hrmax_wins_even_when_beta_blocked() -> None:
    hrmax, source = estimate_hrmax(make_profile(measured_hrmax_bpm=181, beta_blocker=True), ON)
    assert (hrmax, source) == (181.0, HrMaxSource.MEASURED)


def test_measured_hrmax_needs_no_age() -> None:
    p = compute_prescription(make_profile(age_years=None, measured_hrmax_bpm=180), ON)
    assert p.age_years is None
    assert p.hrmax_bpm == 180.0


def test_no_age_and_no_measured_hrmax_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as info:
        estimate_hrmax(make_profile(age_years=None), ON)
    assert info.value.field == "birth_year"
    assert "P-1" in str(info.value)


def test_default_zone_is_60_70_pct_hrmax_and_target_is_centre() -> None:
    p = compute_prescription(make_profile(), ON)  # HRmax 173
    assert p.zone_low_bpm == pytest.approx(0.60 * 173)
    assert p.zone_high_bpm == pytest.approx(0.70 * 173)
    assert p.target_bpm == pytest.approx(0.65 * 173)
    assert p.ceiling_bpm == pytest.approx(0.85 * 173)
    assert p.zone_source == "60-70 % HRmax (Tanaka 208-0.7*age)"
    assert p.resting_hr_bpm == 70
    assert p.age_years == 50


def test_karvonen_zone() -> None:
    profile = make_profile(zone=ZoneSpec(ZoneMethod.HRR_PCT, 40.0, 59.0))
    p = compute_prescription(profile, ON)
    reserve = 173.0 - 70.0
    assert p.zone_low_bpm == pytest.approx(70 + 0.40 * reserve)
    assert p.zone_high_bpm == pytest.approx(70 + 0.59 * reserve)
    assert p.target_bpm == pytest.approx(70 + 0.495 * reserve)
    assert "40-59 % HRR" in p.zone_source
    assert "Karvonen" in p.zone_source
    assert "Tanaka" in p.zone_source


def test_absolute_zone() -> None:
    profile = make_profile(zone=ZoneSpec(ZoneMethod.ABSOLUTE_BPM, 110.0, 124.0))
    p = compute_prescription(profile, ON)
    assert (p.zone_low_bpm, p.zone_high_bpm, p.target_bpm) == (110.0, 124.0, 117.0)
    assert p.zone_source.startswith("110-124 bpm")


def test_zone_source_names_measured_and_beta_blocked() -> None:
    measured = compute_prescription(make_profile(measured_hrmax_bpm=180), ON)
    assert measured.zone_source == "60-70 % HRmax (measured 180 bpm)"
    blocked = compute_prescription(
        make_profile(beta_blocker=True, zone=ZoneSpec(ZoneMethod.HRR_PCT, 40.0, 60.0)), ON
    )
    assert "beta-blocked 164-0.7*age" in blocked.zone_source


def test_therapist_ceiling_bpm() -> None:
    p = compute_prescription(make_profile(ceiling=CeilingSpec(bpm=140)), ON)
    assert p.ceiling_bpm == 140.0


def test_ceiling_pct() -> None:
    p = compute_prescription(make_profile(ceiling=CeilingSpec(pct_hrmax=80.0)), ON)
    assert p.ceiling_bpm == pytest.approx(0.8 * 173)


def test_ceiling_not_above_zone_is_rejected() -> None:
    # zone high = 0.70 * 173 = 121.1
    with pytest.raises(ValidationError) as info:
        compute_prescription(make_profile(ceiling=CeilingSpec(bpm=121)), ON)
    assert info.value.field == "ceiling.bpm"
    with pytest.raises(ValidationError) as info:
        compute_prescription(make_profile(ceiling=CeilingSpec(pct_hrmax=70.0)), ON)
    assert info.value.field == "ceiling.pct_hrmax"
    # Just above the edge is fine.
    assert compute_prescription(make_profile(ceiling=CeilingSpec(bpm=122)), ON).ceiling_bpm == 122


def test_zone_at_or_below_resting_hr_is_rejected() -> None:
    # Beta-blocked 80-year-old: HRmax 108, 60 % = 64.8 < resting 72.
    profile = make_profile(age_years=80, beta_blocker=True, resting_hr_bpm=72)
    with pytest.raises(ValidationError) as info:
        compute_prescription(profile, ON)
    assert info.value.field == "zone.low"
    assert "HRR" in str(info.value)


def test_inverted_absolute_zone_is_rejected() -> None:
    with pytest.raises(ValidationError):
        compute_prescription(make_profile(zone=ZoneSpec(ZoneMethod.ABSOLUTE_BPM, 120, 110)), ON)


def test_prescription_dict_round_trip() -> None:
    p = compute_prescription(make_profile(), ON)
    assert prescription_from_dict(prescription_to_dict(p)) == p


def test_prescription_from_dict_missing_key() -> None:
    d = prescription_to_dict(compute_prescription(make_profile(), ON))
    del d["target_bpm"]
    with pytest.raises(ValidationError) as info:
        prescription_from_dict(d)
    assert info.value.field == "target_bpm"


def test_effective_limits_walk_only_template_caps_speed() -> None:
    profile = make_profile(limits=PatientLimits(max_speed_kmh=9.0))
    limits = effective_limits(profile, make_template(walk_only=True))
    assert limits.walk_only
    assert limits.max_speed_kmh == WALK_ONLY_MAX_SPEED_KMH
    # Without the template the profile's own cap applies.
    assert effective_limits(profile, make_template()).max_speed_kmh == 9.0


def test_effective_limits_lower_cap_wins() -> None:
    profile = make_profile(limits=PatientLimits(max_speed_kmh=5.0, walk_only=True))
    assert effective_limits(profile, make_template(max_speed_kmh=7.0)).max_speed_kmh == 5.0
    profile = make_profile(limits=PatientLimits(max_speed_kmh=9.0))
    assert effective_limits(profile, make_template(max_speed_kmh=7.0)).max_speed_kmh == 7.0


def test_effective_actuator() -> None:
    profile = make_profile(preferred_actuator=Actuator.SPEED)
    assert effective_actuator(profile, make_template()) is Actuator.SPEED
    assert effective_actuator(profile, make_template(actuator=Actuator.BOTH)) is Actuator.BOTH


def test_estimated_hrmax_below_resting_hr_is_refused_as_such() -> None:
    # Beta-blocked at 92: 164 - 0.7 x 92 = 99.6 bpm, below a resting HR of 100.
    profile = make_profile(
        age_years=92,
        resting_hr_bpm=100,
        beta_blocker=True,
        zone=ZoneSpec(ZoneMethod.HRR_PCT, 40.0, 59.0),
    )
    with pytest.raises(ValidationError) as info:
        compute_prescription(profile, ON)
    assert info.value.field == "measured_hrmax_bpm"
    assert "resting HR" in str(info.value)


@settings(max_examples=300, deadline=None)
@given(
    age=st.integers(15, 95),
    rest=st.integers(40, 100),
    formula=st.sampled_from(HrMaxFormula),
    beta=st.booleans(),
    method=st.sampled_from(ZoneMethod),
    low=st.floats(20.0, 80.0),
    width=st.floats(1.0, 20.0),
    ceiling_pct=st.floats(60.0, 100.0),
)
def test_prescription_invariants(
    age: int,
    rest: int,
    formula: HrMaxFormula,
    beta: bool,
    method: ZoneMethod,
    low: float,
    width: float,
    ceiling_pct: float,
) -> None:
    if method is ZoneMethod.ABSOLUTE_BPM:
        low += 60.0  # bpm
    profile = make_profile(
        age_years=age,
        resting_hr_bpm=rest,
        hrmax_formula=formula,
        beta_blocker=beta,
        zone=ZoneSpec(method, low, low + width),
        ceiling=CeilingSpec(pct_hrmax=ceiling_pct),
    )
    try:
        p = compute_prescription(profile, ON)
    except ValidationError as exc:
        # Only the documented refusals exist.
        assert exc.field in {"zone.low", "ceiling.pct_hrmax", "measured_hrmax_bpm"}
        return
    assert rest < p.zone_low_bpm < p.target_bpm < p.zone_high_bpm < p.ceiling_bpm
    assert p.target_bpm == pytest.approx((p.zone_low_bpm + p.zone_high_bpm) / 2)
    assert p.ceiling_bpm == pytest.approx(p.hrmax_bpm * ceiling_pct / 100)
    assert p.hrmax_source is (HrMaxSource.BETA_BLOCKED if beta else HrMaxSource(formula.value))
