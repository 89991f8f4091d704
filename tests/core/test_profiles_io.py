"""Profile and template files: validation, errors that name file and field, round trips."""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from runningroom import paths
from runningroom.errors import ValidationError
from runningroom.model import (
    Actuator,
    CeilingSpec,
    HrMaxFormula,
    PatientLimits,
    PatientProfile,
    PhaseKind,
    PhaseSpec,
    SessionTemplate,
    Sex,
    ZoneMethod,
    ZoneSpec,
)
from runningroom.prescription import compute_prescription, effective_limits
from runningroom.profiles_io import (
    demo_profile,
    find_patient,
    find_template,
    list_patients,
    list_templates,
    load_profile,
    load_template,
    profile_from_dict,
    profile_to_dict,
    save_patient,
    save_profile,
    save_template,
    scan_patients,
    template_from_dict,
    template_to_dict,
)

MINIMAL_PROFILE = {"schema_version": 1, "code": "P-7", "resting_hr_bpm": 70, "age_years": 44}


def write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


def bad_profile(tmp_path: Path, **changes: Any) -> ValidationError:
    doc: dict[str, Any] = dict(MINIMAL_PROFILE)
    for key, value in changes.items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    path = write(tmp_path / "bad.toml", doc)
    with pytest.raises(ValidationError) as info:
        load_profile(path)
    assert str(path) in str(info.value)
    assert info.value.source == str(path)
    return info.value


# ---- shipped files ------------------------------------------------------------------------


def test_demo_profile() -> None:
    demo = demo_profile()
    assert demo.code == "DEMO-001"
    p = compute_prescription(demo, date(2026, 11, 25))
    assert p.zone_low_bpm < p.target_bpm < p.zone_high_bpm < p.ceiling_bpm


def test_bundled_templates_load_and_standard_is_8_30_7() -> None:
    names = {path.stem for path in list_templates()}
    assert {"standard", "walking", "jogging"} <= names
    standard = find_template("standard")
    assert [ph.duration_s for ph in standard.phases] == [480.0, 1800.0, 420.0]
    for name in names:
        template = find_template(name)
        assert template.name == name


def test_walking_template_uses_incline_and_walk_only_cap() -> None:
    walking = find_template("walking")
    assert walking.actuator is Actuator.BOTH
    assert walking.walk_only
    limits = effective_limits(demo_profile(), walking)
    assert limits.walk_only
    assert limits.max_speed_kmh <= 6.0


def test_user_template_shadows_bundled(tmp_path: Path) -> None:
    user_dir = paths.templates_dirs()[0]
    user_dir.mkdir(parents=True, exist_ok=True)
    custom = replace(find_template("standard"), description="clinic version")
    save_template(custom, user_dir / "standard.toml")
    assert list_templates()[0] == user_dir / "standard.toml"
    assert find_template("standard").description == "clinic version"


def test_find_template_by_path_and_unknown(tmp_path: Path) -> None:
    template = find_template("jogging")
    path = tmp_path / "mine.toml"
    save_template(template, path)
    assert find_template(str(path)) == template
    with pytest.raises(ValidationError) as info:
        find_template("marathon")
    assert "walking" in str(info.value)


# ---- profile validation -------------------------------------------------------------------


def test_minimal_profile_defaults_are_the_documented_ones(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path / "p.toml", MINIMAL_PROFILE))
    assert profile == PatientProfile(code="P-7", resting_hr_bpm=70, age_years=44)


def test_missing_required_field(tmp_path: Path) -> None:
    err = bad_profile(tmp_path, resting_hr_bpm=None)
    assert err.field == "resting_hr_bpm"
    assert "required" in err.expected


def test_missing_schema_version(tmp_path: Path) -> None:
    assert bad_profile(tmp_path, schema_version=None).field == "schema_version"


def test_future_schema_version(tmp_path: Path) -> None:
    err = bad_profile(tmp_path, schema_version=2)
    assert err.field == "schema_version"
    assert "newer" in err.expected


def test_unknown_key_is_an_error(tmp_path: Path) -> None:
    err = bad_profile(tmp_path, resting_hr=70)
    assert err.field == "resting_hr"
    assert "resting_hr_bpm" in err.expected


def test_unknown_nested_key_names_dotted_field(tmp_path: Path) -> None:
    err = bad_profile(tmp_path, limits={"max_sped_kmh": 6.0})
    assert err.field == "limits.max_sped_kmh"
    assert "max_speed_kmh" in str(err)


def test_wrong_type_is_an_error(tmp_path: Path) -> None:
    err = bad_profile(tmp_path, resting_hr_bpm="70")
    assert err.field == "resting_hr_bpm"
    assert "integer" in err.expected
    assert err.got == "70"


def test_bool_is_not_a_number(tmp_path: Path) -> None:
    assert bad_profile(tmp_path, limits={"max_speed_kmh": True}).field == "limits.max_speed_kmh"


def test_float_is_not_an_integer(tmp_path: Path) -> None:
    assert bad_profile(tmp_path, resting_hr_bpm=70.5).field == "resting_hr_bpm"


def test_integer_accepted_for_number(tmp_path: Path) -> None:
    doc = dict(MINIMAL_PROFILE, limits={"max_speed_kmh": 6})
    profile = load_profile(write(tmp_path / "p.toml", doc))
    assert profile.limits.max_speed_kmh == 6.0
    assert isinstance(profile.limits.max_speed_kmh, float)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"resting_hr_bpm": 10}, "resting_hr_bpm"),
        ({"age_years": 300}, "age_years"),
        ({"code": ""}, "code"),
        ({"code": "../etc/passwd"}, "code"),
        ({"sex": "m"}, "sex"),
        ({"hrmax_formula": "astrand"}, "hrmax_formula"),
        ({"preferred_actuator": "rocket"}, "preferred_actuator"),
        ({"beta_blocker": "no"}, "beta_blocker"),
        ({"measured_hrmax_bpm": 60}, "measured_hrmax_bpm"),
        ({"limits": {"max_speed_kmh": -1.0}}, "limits.max_speed_kmh"),
        ({"limits": {"min_speed_kmh": 5.0, "max_speed_kmh": 4.0}}, "limits.min_speed_kmh"),
        ({"limits": 5}, "limits"),
        ({"zone": {"method": "watts"}}, "zone.method"),
        ({"zone": {"low": 70.0, "high": 60.0}}, "zone.high"),
        ({"zone": {"low": 60.0, "high": 170.0}}, "zone.high"),
        ({"zone": {"method": "hrr_pct", "low": 40.0}}, "zone.high"),
        ({"zone": {"method": "absolute_bpm", "low": 110}}, "zone.high"),
        ({"ceiling": {"pct_hrmax": 120.0}}, "ceiling.pct_hrmax"),
        ({"ceiling": {"bpm": 150.5}}, "ceiling.bpm"),
        ({"birth_year": 1980}, "age_years"),
        ({"age_years": None}, "birth_year"),
    ],
)
def test_invalid_values_name_the_field(tmp_path: Path, changes: dict[str, Any], field: str) -> None:
    assert bad_profile(tmp_path, **changes).field == field


def test_measured_hrmax_without_age_is_valid(tmp_path: Path) -> None:
    doc = dict(MINIMAL_PROFILE, measured_hrmax_bpm=178)
    del doc["age_years"]
    assert load_profile(write(tmp_path / "p.toml", doc)).measured_hrmax_bpm == 178


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('schema_version = 1\ncode = "X"\nresting_hr_bpm = = 7\n', encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_profile(path)
    assert info.value.field == "line 3"
    assert str(path) in str(info.value)


def test_binary_and_missing_files(tmp_path: Path) -> None:
    binary = tmp_path / "b.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ValidationError) as info:
        load_profile(binary)
    assert "UTF-8" in str(info.value)
    with pytest.raises(ValidationError):
        load_profile(tmp_path / "nope.toml")


# ---- template validation ------------------------------------------------------------------


def template_doc() -> dict[str, Any]:
    return template_to_dict(find_template("standard"))


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.pop("main"), "main"),
        (lambda d: d["main"].pop("duration_s"), "main.duration_s"),
        (lambda d: d["main"].update(duration_s=10.0), "main.duration_s"),
        (lambda d: d["warmup"].update(duraton_s=10.0), "warmup.duraton_s"),
        (lambda d: d["warmup"].update(target_offset_bpm=6.0), "warmup.target_offset_bpm"),
        (lambda d: d["main"].update(target_offset_bpm=6.0), "main.target_step_period_s"),
        (lambda d: d.update(actuator="pedal"), "actuator"),
        (lambda d: d.update(name=""), "name"),
        (lambda d: d.update(walk_only=1), "walk_only"),
        (lambda d: d.update(schema_version=99), "schema_version"),
        (
            lambda d: d["cooldown"].update(recovery_hr_pct_hrmax="55"),
            "cooldown.recovery_hr_pct_hrmax",
        ),
    ],
)
def test_invalid_template_names_field(tmp_path: Path, mutate: Any, field: str) -> None:
    doc = template_doc()
    mutate(doc)
    path = write(tmp_path / "t.toml", doc)
    with pytest.raises(ValidationError) as info:
        load_template(path)
    assert info.value.field == field
    assert str(path) in str(info.value)


def test_template_with_target_steps(tmp_path: Path) -> None:
    doc = template_doc()
    doc["main"].update(target_offset_bpm=6.0, target_step_period_s=300.0)
    template = load_template(write(tmp_path / "t.toml", doc))
    assert template.main.target_offset_bpm == 6.0
    assert template.main.target_step_period_s == 300.0


# ---- saving -------------------------------------------------------------------------------


def test_save_profile_is_0600_and_round_trips(tmp_path: Path) -> None:
    profile = demo_profile()
    path = tmp_path / "sub" / "demo.toml"
    save_profile(profile, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_profile(path) == profile
    assert [p.name for p in path.parent.iterdir()] == ["demo.toml"]  # no temp file left


def test_save_profile_refuses_invalid_and_keeps_old_file(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    save_profile(demo_profile(), path)
    before = path.read_bytes()
    with pytest.raises(ValidationError):
        save_profile(replace(demo_profile(), resting_hr_bpm=5), path)
    assert path.read_bytes() == before


def test_save_overwrites_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.toml"
    save_profile(demo_profile(), path)
    before = path.read_bytes()

    def boom(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        save_profile(replace(demo_profile(), resting_hr_bpm=60), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.toml"]


# ---- patients directory -------------------------------------------------------------------


def test_patients_directory_listing_and_lookup(tmp_path: Path) -> None:
    a = replace(demo_profile(), code="A-1", display_name=None)
    b = replace(demo_profile(), code="B-2")
    save_patient(b)
    save_patient(a)
    # A file whose name does not match its code is still found by code.
    save_profile(replace(demo_profile(), code="C-3"), paths.patients_dir() / "renamed.toml")
    (paths.patients_dir() / "junk.toml").write_text("this is = not [valid", encoding="utf-8")
    assert [p.code for p in list_patients()] == ["A-1", "B-2", "C-3"]
    profiles, errors = scan_patients()
    assert len(profiles) == 3 and len(errors) == 1
    assert "junk.toml" in str(errors[0])
    assert find_patient("A-1") == a
    assert find_patient("C-3").code == "C-3"
    assert find_patient("DEMO-001") == demo_profile()  # bundled fallback
    assert find_patient(str(paths.patients_dir() / "B-2.toml")) == b
    with pytest.raises(ValidationError):
        find_patient("Z-404")


def test_clinic_profile_shadows_bundled_demo() -> None:
    save_patient(replace(demo_profile(), display_name="Clinic copy"))
    assert find_patient("DEMO-001").display_name == "Clinic copy"


# ---- round trips --------------------------------------------------------------------------


def _num(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def profiles(draw: st.DrawFn) -> PatientProfile:
    resting = draw(st.integers(30, 130))
    age_kind = draw(st.sampled_from(["birth", "age", "measured"]))
    measured = draw(st.none() | st.integers(max(80, resting + 1), 240))
    if age_kind == "measured" and measured is None:
        measured = 200 if resting < 200 else None
    max_speed = draw(_num(0.5, 25.0))
    method = draw(st.sampled_from(ZoneMethod))
    if method is ZoneMethod.ABSOLUTE_BPM:
        low = draw(_num(40.0, 200.0))
        high = draw(_num(low + 0.5, 240.0))
    else:
        low = draw(_num(1.0, 90.0))
        high = draw(_num(low + 0.5, 100.0))
    return PatientProfile(
        code=draw(st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,20}\Z")),
        resting_hr_bpm=resting,
        display_name=draw(st.none() | st.text(max_size=30)),
        birth_year=draw(st.integers(1900, 2020)) if age_kind == "birth" else None,
        age_years=draw(st.integers(5, 120)) if age_kind == "age" else None,
        sex=draw(st.sampled_from(Sex)),
        measured_hrmax_bpm=measured,
        hrmax_formula=draw(st.sampled_from(HrMaxFormula)),
        beta_blocker=draw(st.booleans()),
        medication_note=draw(st.text(max_size=40)),
        limits=PatientLimits(
            max_speed_kmh=max_speed,
            max_incline_pct=draw(_num(0.0, 40.0)),
            walk_only=draw(st.booleans()),
            min_speed_kmh=draw(_num(0.0, max_speed)),
        ),
        preferred_actuator=draw(st.sampled_from(Actuator)),
        zone=ZoneSpec(method, low, high),
        ceiling=CeilingSpec(
            pct_hrmax=draw(_num(50.0, 100.0)),
            bpm=draw(st.none() | st.integers(max(60, resting + 1), 240)),
        ),
        start_speed_kmh=draw(st.none() | _num(0.5, 25.0)),
    )


@st.composite
def templates(draw: st.DrawFn) -> SessionTemplate:
    def phase(kind: PhaseKind) -> PhaseSpec:
        offset = draw(_num(0.0, 30.0)) if kind is PhaseKind.MAIN else 0.0
        return PhaseSpec(
            kind=kind,
            duration_s=draw(_num(60.0 if kind is PhaseKind.MAIN else 0.0, 14400.0)),
            start_speed_kmh=draw(st.none() | _num(0.5, 25.0)),
            target_offset_bpm=offset,
            target_step_period_s=draw(_num(10.0, 3600.0)) if offset else 0.0,
            recovery_hr_pct_hrmax=draw(_num(30.0, 90.0)),
            end_speed_kmh=draw(_num(0.0, 10.0)),
        )

    return SessionTemplate(
        name=draw(st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._ -]{0,20}\Z")),
        warmup=phase(PhaseKind.WARMUP),
        main=phase(PhaseKind.MAIN),
        cooldown=phase(PhaseKind.COOLDOWN),
        description=draw(st.text(max_size=40)),
        actuator=draw(st.none() | st.sampled_from(Actuator)),
        walk_only=draw(st.booleans()),
        max_speed_kmh=draw(st.none() | _num(0.5, 25.0)),
    )


@settings(max_examples=150, deadline=None)
@given(profiles())
def test_profile_round_trip_dict_and_file(profile: PatientProfile) -> None:
    assert profile_from_dict(profile_to_dict(profile), "mem") == profile
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "p.toml"
        save_profile(profile, path)
        assert load_profile(path) == profile


@settings(max_examples=100, deadline=None)
@given(templates())
def test_template_round_trip_dict_and_file(template: SessionTemplate) -> None:
    assert template_from_dict(template_to_dict(template), "mem") == template
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "t.toml"
        save_template(template, path)
        assert load_template(path) == template


def test_json_null_counts_as_not_given() -> None:
    doc = dict(MINIMAL_PROFILE, measured_hrmax_bpm=None, ceiling={"bpm": None}, display_name=None)
    assert profile_from_dict(doc, "snapshot.json") == profile_from_dict(MINIMAL_PROFILE, "x")
    with pytest.raises(ValidationError) as info:
        profile_from_dict(dict(MINIMAL_PROFILE, code=None), "snapshot.json")
    assert info.value.field == "code"


def test_phase_kind_key_must_match_section() -> None:
    doc = template_doc()
    doc["main"]["kind"] = "main"
    assert template_from_dict(doc, "t") == find_template("standard")
    doc["warmup"]["kind"] = "main"
    with pytest.raises(ValidationError) as info:
        template_from_dict(doc, "t")
    assert info.value.field == "warmup.kind"


def test_two_profiles_with_one_code_are_never_picked_silently() -> None:
    save_patient(replace(demo_profile(), code="D-7", beta_blocker=False))
    copy = replace(demo_profile(), code="D-7", beta_blocker=True)
    save_profile(copy, paths.patients_dir() / "D-7 (copy).toml")
    save_patient(replace(demo_profile(), code="E-8"))
    assert [p.code for p in list_patients()] == ["E-8"]
    profiles, errors = scan_patients()
    assert [p.code for p in profiles] == ["E-8"]
    assert sorted(Path(e.source).name for e in errors) == ["D-7 (copy).toml", "D-7.toml"]
    assert all(e.field == "code" and "D-7.toml" in e.expected for e in errors)
    with pytest.raises(ValidationError, match=r"D-7 \(copy\)\.toml"):
        find_patient("D-7")
    assert find_patient("E-8").code == "E-8"
    # an explicit path is still unambiguous
    assert find_patient(str(paths.patients_dir() / "D-7 (copy).toml")).beta_blocker


# ---- hostile files: deep nesting and huge values ------------------------------------------

DEEP = 5000


@pytest.mark.parametrize(
    "body",
    [
        "limits = " + "[" * DEEP + "]" * DEEP,  # the parser itself recurses
        "code_x = " + "{a = " * DEEP + "1" + "}" * DEEP,
        "[zone.method" + ".a" * DEEP + "]",  # parses, but the value is 5,000 tables deep
    ],
    ids=["arrays", "inline-tables", "dotted-tables"],
)
def test_deeply_nested_profile_is_a_clear_profile_error(tmp_path: Path, body: str) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(
        'schema_version = 1\ncode = "P-7"\nresting_hr_bpm = 70\nage_years = 44\n' + body + "\n"
    )
    with pytest.raises(ValidationError, match="nested at most") as info:
        load_profile(path)
    assert info.value.source == str(path)
    assert len(str(info.value)) < 300
    with pytest.raises(ValidationError, match="nested at most"):
        load_template(path)


def test_deeply_nested_value_in_a_parsed_document_does_not_break_the_message() -> None:
    nested: dict[str, Any] = {}
    inner = nested
    for _ in range(DEEP):
        inner["a"] = {}
        inner = inner["a"]
    with pytest.raises(ValidationError) as info:
        profile_from_dict({**MINIMAL_PROFILE, "zone": {"method": nested}}, "snapshot")
    assert info.value.field == "zone.method" and len(str(info.value)) < 300


def test_huge_field_value_is_shortened_in_the_error_message(tmp_path: Path) -> None:
    size = 50_000_000
    path = write(tmp_path / "big.toml", {**MINIMAL_PROFILE, "medication_note": "a" * size})
    with pytest.raises(ValidationError) as info:
        load_profile(path)
    message = str(info.value)
    assert info.value.field == "medication_note"
    assert "a" * 80 + f"… ({size:,} characters)".replace(",", "") in message
    assert len(message) < 400
    assert "a" * 81 not in message


@pytest.mark.parametrize(
    ("field", "value"),
    [("code", "x" * 10_000), ("display_name", "n" * 10_000), ("sex", "s" * 10_000)],
    ids=["code", "display_name", "sex"],
)
def test_long_values_are_shortened_in_every_profile_message(field: str, value: str) -> None:
    with pytest.raises(ValidationError) as info:
        profile_from_dict({**MINIMAL_PROFILE, field: value}, "p.toml")
    assert info.value.field == field
    assert "(10000 characters)" in str(info.value) and len(str(info.value)) < 400


def test_long_template_name_is_shortened_in_the_message() -> None:
    doc = template_to_dict(find_template("standard"))
    doc["name"] = "t" * 100_000
    with pytest.raises(ValidationError) as info:
        template_from_dict(doc, "t.toml")
    assert "(100000 characters)" in str(info.value) and len(str(info.value)) < 400


def test_short_values_are_shown_whole() -> None:
    err = bad_value_error("x" * 120)
    assert repr("x" * 120) in str(err)


def bad_value_error(value: str) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        profile_from_dict({**MINIMAL_PROFILE, "sex": value}, "p.toml")
    return info.value
