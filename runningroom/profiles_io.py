"""Patient profiles and session templates as TOML files: load, validate, save, find.

File format (``schema_version = 1``; see ``profiles/README.md`` for the full reference):

Profile keys: ``schema_version`` and ``code`` and ``resting_hr_bpm`` are required. Age is
required as ``birth_year`` *or* ``age_years`` unless ``measured_hrmax_bpm`` is given.
Documented optional keys and their defaults: ``display_name`` (none), ``sex``
("unspecified"), ``measured_hrmax_bpm`` (none), ``hrmax_formula`` ("tanaka"),
``beta_blocker`` (false), ``medication_note`` (""), ``preferred_actuator`` ("speed"),
``start_speed_kmh`` (none), tables ``[limits]`` (``max_speed_kmh`` 8.0,
``max_incline_pct`` 10.0, ``walk_only`` false, ``min_speed_kmh`` 1.5), ``[zone]``
(``method`` "hrmax_pct", ``low`` 60, ``high`` 70) and ``[ceiling]`` (``pct_hrmax`` 85,
``bpm`` none).

Template keys: ``schema_version``, ``name`` and the tables ``[warmup]``, ``[main]`` and
``[cooldown]`` (each with a required ``duration_s``) are required. Optional:
``description`` (""), ``actuator`` (none = the profile's), ``walk_only`` (false),
``max_speed_kmh`` (none); per phase ``start_speed_kmh`` (none),
``target_offset_bpm`` (0, main only), ``target_step_period_s`` (0),
``recovery_hr_pct_hrmax`` (55), ``end_speed_kmh`` (2.0), ``kind`` (must equal the
section name if given).

In JSON documents (session snapshots) a ``null`` value counts as not given.

Validation is strict: unknown keys, wrong types and out-of-range values raise
:class:`~runningroom.errors.ValidationError` naming the file, the dotted field and what
was expected; a TOML syntax error names the line. A file nested more than
:data:`MAX_NESTING_DEPTH` levels deep is refused as a whole. Values shown in error
messages are shortened (:func:`runningroom.errors.shown_value`: a long text shows its
first 80 characters and its length). Integers are accepted where a number
is expected; booleans are never accepted as numbers. Files are written atomically
(temporary file + ``os.replace``) with mode 0600.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import re
import tempfile
import tomllib
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import tomli_w

from runningroom import paths
from runningroom.errors import ValidationError
from runningroom.model import (
    PROFILE_SCHEMA_VERSION,
    TEMPLATE_SCHEMA_VERSION,
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

logger = logging.getLogger(__name__)

#: Pattern of a valid pseudonymous patient code (also used as a file name).
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: Pattern of a valid template name.
TEMPLATE_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,63}$")

DEMO_PATIENT_CODE = "DEMO-001"

_E = TypeVar("_E", bound=StrEnum)


# ---- a small strict reader over a TOML table ---------------------------------------------


class _Table:
    """Typed, range-checked access to one table; tracks which keys were consumed."""

    def __init__(self, data: Mapping[str, Any], source: str, prefix: str = "") -> None:
        self.data = data
        self.source = source
        self.prefix = prefix
        self.used: set[str] = set()

    def field(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def error(self, key: str, expected: str, got: object) -> ValidationError:
        return ValidationError(self.source, self.field(key), expected, got)

    def _get(self, key: str, required: bool) -> Any:
        """The raw value; an absent key or a JSON ``null`` count as not given."""
        self.used.add(key)
        value = self.data.get(key)
        if value is None and required:
            raise self.error(key, "a value (this field is required)", "missing")
        return value

    def number(
        self,
        key: str,
        lo: float,
        hi: float,
        *,
        required: bool = False,
        default: float | None = None,
        unit: str = "",
        lo_open: bool = False,
    ) -> float | None:
        value = self._get(key, required)
        if value is None:
            return default
        expected = f"a number {'greater than' if lo_open else 'from'} {lo:g} up to {hi:g}" + (
            f" ({unit})" if unit else ""
        )
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, expected, value)
        number = float(value)
        if not math.isfinite(number) or number > hi or number < lo or (lo_open and number == lo):
            raise self.error(key, expected, value)
        return number

    def req_number(self, key: str, lo: float, hi: float, *, unit: str = "") -> float:
        value = self.number(key, lo, hi, required=True, unit=unit)
        assert value is not None
        return value

    def integer(
        self, key: str, lo: int, hi: int, *, required: bool = False, unit: str = ""
    ) -> int | None:
        value = self._get(key, required)
        if value is None:
            return None
        expected = f"an integer from {lo} to {hi}" + (f" ({unit})" if unit else "")
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise self.error(key, expected, value)
        return value

    def req_integer(self, key: str, lo: int, hi: int, *, unit: str = "") -> int:
        value = self.integer(key, lo, hi, required=True, unit=unit)
        assert value is not None
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(key, "true or false", value)
        return value

    def string(
        self,
        key: str,
        *,
        required: bool = False,
        pattern: re.Pattern[str] | None = None,
        pattern_text: str = "",
        max_len: int = 10_000,
    ) -> str | None:
        value = self._get(key, required)
        if value is None:
            return None
        expected = pattern_text or f"a text of at most {max_len} characters"
        if not isinstance(value, str) or len(value) > max_len:
            raise self.error(key, expected, value)
        if pattern is not None and not pattern.match(value):
            raise self.error(key, expected, value)
        return value

    def enum(self, key: str, enum_type: type[_E], default: _E | None) -> _E | None:
        value = self._get(key, False)
        if value is None:
            return default
        choices = ", ".join(repr(m.value) for m in enum_type)
        if not isinstance(value, str):
            raise self.error(key, f"one of {choices}", value)
        try:
            return enum_type(value)
        except ValueError:
            raise self.error(key, f"one of {choices}", value) from None

    def table(self, key: str, *, required: bool = False) -> _Table | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise self.error(key, "a table ([section])", value)
        return _Table(value, self.source, f"{self.field(key)}.")

    def finish(self) -> None:
        """Reject keys that were not consumed (unknown keys)."""
        known = ", ".join(sorted(self.used))
        for key in self.data:
            if key not in self.used:
                raise self.error(key, f"one of the known keys ({known})", "unknown key")


def _check_schema_version(t: _Table, current: int) -> None:
    value = t._get("schema_version", True)
    if isinstance(value, bool) or not isinstance(value, int):
        raise t.error("schema_version", f"the integer {current}", value)
    if value > current:
        raise t.error(
            "schema_version",
            f"schema version {current} or older (the file was written by a newer RunningRoom)",
            value,
        )
    if value < 1:
        raise t.error("schema_version", f"the integer {current}", value)


# ---- profiles -----------------------------------------------------------------------------


def profile_from_dict(data: Mapping[str, Any], source: str) -> PatientProfile:
    """Validate a parsed profile document and build the profile.

    Args:
        data: the parsed TOML (or JSON) document.
        source: where it came from (file name), used in error messages.

    Raises:
        ValidationError: naming ``source``, the dotted field and what was expected.
    """
    t = _Table(data, source)
    _check_schema_version(t, PROFILE_SCHEMA_VERSION)
    code = t.string(
        "code",
        required=True,
        pattern=CODE_PATTERN,
        pattern_text="a pseudonymous code of 1-64 letters, digits, '.', '_' or '-'",
    )
    assert code is not None
    display_name = t.string("display_name", max_len=200)
    this_year = date.today().year
    birth_year = t.integer("birth_year", 1900, this_year, unit="year")
    age_years = t.integer("age_years", 5, 120, unit="years")
    resting = t.req_integer("resting_hr_bpm", 30, 130, unit="bpm")
    measured = t.integer("measured_hrmax_bpm", 80, 240, unit="bpm")
    sex = t.enum("sex", Sex, Sex.UNSPECIFIED)
    formula = t.enum("hrmax_formula", HrMaxFormula, HrMaxFormula.TANAKA)
    beta = t.boolean("beta_blocker", False)
    medication = t.string("medication_note", max_len=2000) or ""
    actuator = t.enum("preferred_actuator", Actuator, Actuator.SPEED)
    start_speed = t.number("start_speed_kmh", 0.5, 25.0, unit="km/h")

    limits = PatientLimits()
    lt = t.table("limits")
    if lt is not None:
        max_speed = lt.number("max_speed_kmh", 0.5, 25.0, default=limits.max_speed_kmh, unit="km/h")
        max_incline = lt.number(
            "max_incline_pct", 0.0, 40.0, default=limits.max_incline_pct, unit="%"
        )
        walk_only = lt.boolean("walk_only", limits.walk_only)
        min_speed = lt.number("min_speed_kmh", 0.0, 25.0, default=limits.min_speed_kmh, unit="km/h")
        lt.finish()
        assert max_speed is not None and max_incline is not None and min_speed is not None
        if min_speed > max_speed:
            raise lt.error("min_speed_kmh", f"at most max_speed_kmh ({max_speed:g})", min_speed)
        limits = PatientLimits(
            max_speed_kmh=max_speed,
            max_incline_pct=max_incline,
            walk_only=walk_only,
            min_speed_kmh=min_speed,
        )

    zone = ZoneSpec()
    zt = t.table("zone")
    if zt is not None:
        method = zt.enum("method", ZoneMethod, ZoneMethod.HRMAX_PCT)
        assert method is not None
        if method is ZoneMethod.ABSOLUTE_BPM:
            lo, hi, unit = 40.0, 240.0, "bpm"
            low = zt.req_number("low", lo, hi, unit=unit)
            high = zt.req_number("high", lo, hi, unit=unit)
        else:
            lo, hi, unit = 0.0, 100.0, "% of HRmax" if method is ZoneMethod.HRMAX_PCT else "% HRR"
            default = ZoneSpec()
            if method is ZoneMethod.HRMAX_PCT:
                low_v = zt.number("low", lo, hi, default=default.low, unit=unit, lo_open=True)
                high_v = zt.number("high", lo, hi, default=default.high, unit=unit, lo_open=True)
                assert low_v is not None and high_v is not None
                low, high = low_v, high_v
            else:  # %HRR has no implied default band: both edges required
                low = zt.req_number("low", lo, hi, unit=unit)
                high = zt.req_number("high", lo, hi, unit=unit)
        zt.finish()
        if not high > low:
            raise zt.error("high", f"a value above zone.low ({low:g})", high)
        zone = ZoneSpec(method=method, low=low, high=high)

    ceiling = CeilingSpec()
    ct = t.table("ceiling")
    if ct is not None:
        pct = ct.number("pct_hrmax", 50.0, 100.0, default=ceiling.pct_hrmax, unit="% of HRmax")
        bpm = ct.integer("bpm", 60, 240, unit="bpm")
        ct.finish()
        assert pct is not None
        ceiling = CeilingSpec(pct_hrmax=pct, bpm=bpm)

    t.finish()
    if birth_year is not None and age_years is not None:
        raise t.error("age_years", "either birth_year or age_years, not both", age_years)
    if birth_year is None and age_years is None and measured is None:
        raise t.error(
            "birth_year",
            "birth_year or age_years (needed to estimate HRmax) unless measured_hrmax_bpm is given",
            "missing",
        )
    if measured is not None and measured <= resting:
        raise t.error("measured_hrmax_bpm", f"a value above resting_hr_bpm ({resting})", measured)
    if ceiling.bpm is not None and ceiling.bpm <= resting:
        raise ValidationError(
            source, "ceiling.bpm", f"a value above resting_hr_bpm ({resting})", ceiling.bpm
        )
    assert sex is not None and formula is not None and actuator is not None
    return PatientProfile(
        code=code,
        resting_hr_bpm=resting,
        display_name=display_name,
        birth_year=birth_year,
        age_years=age_years,
        sex=sex,
        measured_hrmax_bpm=measured,
        hrmax_formula=formula,
        beta_blocker=beta,
        medication_note=medication,
        limits=limits,
        preferred_actuator=actuator,
        zone=zone,
        ceiling=ceiling,
        start_speed_kmh=start_speed,
        schema_version=PROFILE_SCHEMA_VERSION,
    )


def profile_to_dict(profile: PatientProfile) -> dict[str, Any]:
    """The TOML/JSON document of a profile; ``None`` fields are omitted.

    ``profile_from_dict(profile_to_dict(p), ...) == p`` for every valid profile.
    """
    doc: dict[str, Any] = {
        "schema_version": PROFILE_SCHEMA_VERSION,
        "code": profile.code,
    }
    if profile.display_name is not None:
        doc["display_name"] = profile.display_name
    if profile.birth_year is not None:
        doc["birth_year"] = profile.birth_year
    if profile.age_years is not None:
        doc["age_years"] = profile.age_years
    doc["sex"] = profile.sex.value
    doc["resting_hr_bpm"] = profile.resting_hr_bpm
    if profile.measured_hrmax_bpm is not None:
        doc["measured_hrmax_bpm"] = profile.measured_hrmax_bpm
    doc["hrmax_formula"] = profile.hrmax_formula.value
    doc["beta_blocker"] = profile.beta_blocker
    doc["medication_note"] = profile.medication_note
    doc["preferred_actuator"] = profile.preferred_actuator.value
    if profile.start_speed_kmh is not None:
        doc["start_speed_kmh"] = float(profile.start_speed_kmh)
    doc["limits"] = {
        "max_speed_kmh": float(profile.limits.max_speed_kmh),
        "max_incline_pct": float(profile.limits.max_incline_pct),
        "walk_only": profile.limits.walk_only,
        "min_speed_kmh": float(profile.limits.min_speed_kmh),
    }
    doc["zone"] = {
        "method": profile.zone.method.value,
        "low": float(profile.zone.low),
        "high": float(profile.zone.high),
    }
    ceiling: dict[str, Any] = {"pct_hrmax": float(profile.ceiling.pct_hrmax)}
    if profile.ceiling.bpm is not None:
        ceiling["bpm"] = profile.ceiling.bpm
    doc["ceiling"] = ceiling
    return doc


# ---- templates ----------------------------------------------------------------------------


def _phase_from_table(t: _Table, kind: PhaseKind) -> PhaseSpec:
    default = PhaseSpec(kind=kind, duration_s=0.0)
    stated_kind = t.string("kind")
    if stated_kind is not None and stated_kind != kind.value:
        raise t.error(
            "kind", f"{kind.value!r} (or no kind: the section name gives it)", stated_kind
        )
    lo_duration = 60.0 if kind is PhaseKind.MAIN else 0.0
    duration = t.req_number("duration_s", lo_duration, 4 * 3600.0, unit="seconds")
    start_speed = t.number("start_speed_kmh", 0.5, 25.0, unit="km/h")
    offset = t.number("target_offset_bpm", 0.0, 30.0, default=default.target_offset_bpm, unit="bpm")
    period = t.number(
        "target_step_period_s", 0.0, 3600.0, default=default.target_step_period_s, unit="seconds"
    )
    recovery = t.number(
        "recovery_hr_pct_hrmax", 30.0, 90.0, default=default.recovery_hr_pct_hrmax, unit="% HRmax"
    )
    end_speed = t.number("end_speed_kmh", 0.0, 10.0, default=default.end_speed_kmh, unit="km/h")
    t.finish()
    assert offset is not None and period is not None and recovery is not None
    assert end_speed is not None
    if offset and kind is not PhaseKind.MAIN:
        raise t.error("target_offset_bpm", "0 (target steps apply to the main phase only)", offset)
    if offset and period < 10.0:
        raise t.error(
            "target_step_period_s",
            "a half-period of at least 10 s when target_offset_bpm is set",
            period,
        )
    return PhaseSpec(
        kind=kind,
        duration_s=duration,
        start_speed_kmh=start_speed,
        target_offset_bpm=offset,
        target_step_period_s=period,
        recovery_hr_pct_hrmax=recovery,
        end_speed_kmh=end_speed,
    )


def template_from_dict(data: Mapping[str, Any], source: str) -> SessionTemplate:
    """Validate a parsed template document and build the template.

    Raises:
        ValidationError: naming ``source``, the dotted field and what was expected.
    """
    t = _Table(data, source)
    _check_schema_version(t, TEMPLATE_SCHEMA_VERSION)
    name = t.string(
        "name",
        required=True,
        pattern=TEMPLATE_NAME_PATTERN,
        pattern_text="a name of 1-64 letters, digits, spaces, '.', '_' or '-'",
    )
    assert name is not None
    description = t.string("description", max_len=2000) or ""
    actuator = t.enum("actuator", Actuator, None)
    walk_only = t.boolean("walk_only", False)
    max_speed = t.number("max_speed_kmh", 0.5, 25.0, unit="km/h")
    phases: dict[PhaseKind, PhaseSpec] = {}
    for kind in PhaseKind:
        table = t.table(kind.value, required=True)
        assert table is not None
        phases[kind] = _phase_from_table(table, kind)
    t.finish()
    return SessionTemplate(
        name=name,
        warmup=phases[PhaseKind.WARMUP],
        main=phases[PhaseKind.MAIN],
        cooldown=phases[PhaseKind.COOLDOWN],
        description=description,
        schema_version=TEMPLATE_SCHEMA_VERSION,
        actuator=actuator,
        walk_only=walk_only,
        max_speed_kmh=max_speed,
    )


def _phase_to_dict(phase: PhaseSpec) -> dict[str, Any]:
    doc: dict[str, Any] = {"duration_s": float(phase.duration_s)}
    if phase.start_speed_kmh is not None:
        doc["start_speed_kmh"] = float(phase.start_speed_kmh)
    doc["target_offset_bpm"] = float(phase.target_offset_bpm)
    doc["target_step_period_s"] = float(phase.target_step_period_s)
    doc["recovery_hr_pct_hrmax"] = float(phase.recovery_hr_pct_hrmax)
    doc["end_speed_kmh"] = float(phase.end_speed_kmh)
    return doc


def template_to_dict(template: SessionTemplate) -> dict[str, Any]:
    """The TOML/JSON document of a template; ``None`` fields are omitted.

    ``template_from_dict(template_to_dict(t), ...) == t`` for every valid template.
    """
    doc: dict[str, Any] = {
        "schema_version": TEMPLATE_SCHEMA_VERSION,
        "name": template.name,
        "description": template.description,
    }
    if template.actuator is not None:
        doc["actuator"] = template.actuator.value
    doc["walk_only"] = template.walk_only
    if template.max_speed_kmh is not None:
        doc["max_speed_kmh"] = float(template.max_speed_kmh)
    doc["warmup"] = _phase_to_dict(template.warmup)
    doc["main"] = _phase_to_dict(template.main)
    doc["cooldown"] = _phase_to_dict(template.cooldown)
    return doc


# ---- files --------------------------------------------------------------------------------

_T = TypeVar("_T")

#: Deepest nesting of tables and arrays a profile or template file may have (the
#: formats need 2; anything much deeper is a damaged or hostile file).
MAX_NESTING_DEPTH = 16


def nesting_depth(value: object) -> int:
    """How deeply tables and arrays nest in ``value`` (a scalar is 0), without recursion.

    The walk stops as soon as the depth exceeds :data:`MAX_NESTING_DEPTH`, and returns
    that first depth beyond the limit.
    """
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Iterable[object] = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        deepest = max(deepest, depth + 1)
        if deepest > MAX_NESTING_DEPTH:
            return deepest  # deep enough to refuse; no need to walk the rest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _read_toml(path: Path) -> dict[str, Any]:
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(source, "", "a readable file", exc.strerror or str(exc)) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(source, "", "UTF-8 text", f"byte {exc.start}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"at line (\d+), column (\d+)", message)
        field = f"line {match.group(1)}" if match else ""
        raise ValidationError(source, field, "valid TOML syntax", message) from exc
    except RecursionError:
        # nested arrays or inline tables thousands of levels deep exhaust the parser
        raise ValidationError(
            source, "", f"a document nested at most {MAX_NESTING_DEPTH} levels deep", "deeper"
        ) from None
    if nesting_depth(data) > MAX_NESTING_DEPTH:
        raise ValidationError(
            source, "", f"a document nested at most {MAX_NESTING_DEPTH} levels deep", "deeper"
        )
    return data


def _load(path: Path, parse: Callable[[Mapping[str, Any], str], _T]) -> _T:
    return parse(_read_toml(path), str(path))


def _write_atomic(path: Path, doc: Mapping[str, Any], header: str = "") -> None:
    data = (header + tomli_w.dumps(doc)).encode("utf-8")
    directory = path.parent
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    # Make the rename durable; best effort (not every platform can fsync a directory).
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def load_profile(path: Path) -> PatientProfile:
    """Read and validate a profile file.

    Raises:
        ValidationError: unreadable file, TOML syntax error (names the line) or invalid
            content (names the dotted field).
    """
    return _load(path, profile_from_dict)


def save_profile(profile: PatientProfile, path: Path) -> None:
    """Write ``profile`` to ``path`` atomically with mode 0600.

    The document is validated before writing, so an invalid profile never reaches disk.

    Raises:
        ValidationError: the profile is invalid.
        OSError: the file cannot be written (the old file, if any, is left intact).
    """
    doc = profile_to_dict(profile)
    profile_from_dict(doc, str(path))
    _write_atomic(path, doc, "# RunningRoom patient profile\n")


def save_patient(profile: PatientProfile, directory: Path | None = None) -> Path:
    """Save ``profile`` as ``<code>.toml`` in the clinic's patients directory; return its path."""
    directory = paths.patients_dir() if directory is None else directory
    path = directory / f"{profile.code}.toml"
    save_profile(profile, path)
    return path


def load_template(path: Path) -> SessionTemplate:
    """Read and validate a session template file.

    Raises:
        ValidationError: unreadable file, TOML syntax error or invalid content.
    """
    return _load(path, template_from_dict)


def save_template(template: SessionTemplate, path: Path) -> None:
    """Write ``template`` to ``path`` atomically with mode 0600 (validated first)."""
    doc = template_to_dict(template)
    template_from_dict(doc, str(path))
    _write_atomic(path, doc, "# RunningRoom session template\n")


def list_templates() -> list[Path]:
    """Template files in :func:`runningroom.paths.templates_dirs`, the user's first.

    Within a directory the files are sorted by name. A user template with the same stem
    as a bundled one shadows it in :func:`find_template` (both are listed).
    """
    result: list[Path] = []
    for directory in paths.templates_dirs():
        if directory.is_dir():
            result.extend(sorted(directory.glob("*.toml")))
    return result


def _looks_like_path(text: str) -> bool:
    return text.endswith(".toml") or os.sep in text or "/" in text


def find_template(name_or_path: str) -> SessionTemplate:
    """Load a template by name ("walking", "jogging", "standard", ...) or file path.

    Raises:
        ValidationError: no such template, or the file is invalid.
    """
    if _looks_like_path(name_or_path):
        return load_template(Path(name_or_path).expanduser())
    for path in list_templates():
        if path.stem == name_or_path:
            return load_template(path)
    names = sorted({p.stem for p in list_templates()})
    raise ValidationError(
        name_or_path, "", f"a template name ({', '.join(names)}) or a path to a .toml file"
    )


def scan_patients(
    directory: Path | None = None,
) -> tuple[list[PatientProfile], list[ValidationError]]:
    """Load every ``*.toml`` profile in ``directory``; return the profiles and the errors.

    Args:
        directory: defaults to :func:`runningroom.paths.patients_dir`.

    Returns:
        Valid profiles sorted by code, and one error per invalid file. Profiles whose
        code another file in the directory also uses are left out, with an error
        (field ``code``) for each of those files.
    """
    directory = paths.patients_dir() if directory is None else directory
    loaded: list[tuple[Path, PatientProfile]] = []
    errors: list[ValidationError] = []
    if directory.is_dir():
        for path in sorted(directory.glob("*.toml")):
            try:
                loaded.append((path, load_profile(path)))
            except ValidationError as exc:
                errors.append(exc)
    # Sessions are filed by code: two profiles with one code would mix two patients'
    # records (or apply the wrong prescription), so neither is used until resolved.
    files_by_code: dict[str, list[Path]] = {}
    for path, profile in loaded:
        files_by_code.setdefault(profile.code, []).append(path)
    for code, files in files_by_code.items():
        if len(files) > 1:
            names = ", ".join(f.name for f in files)
            errors.extend(
                ValidationError(
                    str(f), "code", f"a code no other profile uses ({names} all use it)", code
                )
                for f in files
            )
    profiles = [profile for _, profile in loaded if len(files_by_code[profile.code]) == 1]
    profiles.sort(key=lambda p: p.code)
    return profiles, errors


def list_patients(directory: Path | None = None) -> list[PatientProfile]:
    """Valid profiles in ``directory`` (default: the clinic's), sorted by code.

    Invalid files are skipped with a logged warning; use :func:`scan_patients` to get
    the errors too.
    """
    profiles, errors = scan_patients(directory)
    for exc in errors:
        logger.warning("skipping invalid patient profile: %s", exc)
    return profiles


def _bundled_patients_dir() -> Path:
    return paths.bundled_profiles_dir() / "patients"


def find_patient(code_or_path: str) -> PatientProfile:
    """Load a patient by code (clinic directory first, then the bundled demo) or path.

    Raises:
        ValidationError: no profile with that code, the file is invalid, or several
            profiles in one directory use the code.
    """
    if _looks_like_path(code_or_path):
        return load_profile(Path(code_or_path).expanduser())
    for directory in (paths.patients_dir(), _bundled_patients_dir()):
        direct = directory / f"{code_or_path}.toml"
        direct_profile: PatientProfile | None = None
        if CODE_PATTERN.match(code_or_path) and direct.is_file():
            direct_profile = load_profile(direct)  # its errors name the file and field
        profiles, errors = scan_patients(directory)
        for exc in errors:
            if exc.field == "code" and exc.got == code_or_path:
                raise exc  # two profiles with this code: never pick one silently
        if direct_profile is not None and direct_profile.code == code_or_path:
            return direct_profile
        for profile in profiles:
            if profile.code == code_or_path:
                return profile
    raise ValidationError(
        code_or_path, "", "the code of a registered patient or a path to a .toml profile"
    )


def demo_profile() -> PatientProfile:
    """The bundled demo patient (``profiles/patients/demo.toml``, code ``DEMO-001``)."""
    return load_profile(_bundled_patients_dir() / "demo.toml")
