"""The pre- and post-session forms of a session: check-in before, assessment after.

Stored in the ``session_forms`` table of the session database (created on demand, so a
database written before the table existed opens and gets it on the first save): one row
per saved form, ``kind`` = ``pre`` or ``post``, ``form_version`` = the payload's version
(:data:`FORM_VERSION`), ``payload_json`` = the form's fields. Saving again appends a row;
the latest row of each kind is the form (earlier ones stay as the audit trail).

Readers use :func:`read_forms`::

    forms = read_forms(conn, session_id)
    forms.pre.feeling            # -5..+5 (Feeling Scale) or None
    forms.post.therapist_name    # "" when nobody signed the form
    forms.post.note              # the free-text note for the patient file ("" when none)

``forms.pre`` / ``forms.post`` are ``None`` when that form was not filled in. A database
without the table reads as no forms. Pure Python, no Qt.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, TypeVar

from runningroom.errors import RecordingError
from runningroom.recording.recorder import schema_sql

logger = logging.getLogger(__name__)

#: Version of the form payloads this code writes (a newer one is read field by field).
FORM_VERSION: Final = 1
#: Feeling Scale (Hardy & Rejeski): -5 (very bad) .. +5 (very good).
FEELING_RANGE: Final = (-5, 5)
#: Borg RPE scale 6-20.
RPE_RANGE: Final = (6, 20)
#: Plausible blood pressure, mmHg (systolic, diastolic).
SYSTOLIC_RANGE_MMHG: Final = (60, 260)
DIASTOLIC_RANGE_MMHG: Final = (30, 160)



class FormError(ValueError):
    """A form value outside its range (``field`` names it)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True, slots=True)
class PreSessionForm:
    """The check-in before the session.

    Attributes:
        feeling: how the patient feels today, Feeling Scale -5..+5 (None: not asked).
        complaints: complaints today, free text ("" none).
        bp_systolic_mmhg, bp_diastolic_mmhg: resting blood pressure (None: not measured).
        started_without_hr: the therapist started without a trusted HR (the choice is
            also recorded by the engine as a ``continue_without_hr`` override).
    """

    feeling: int | None = None
    complaints: str = ""
    bp_systolic_mmhg: int | None = None
    bp_diastolic_mmhg: int | None = None
    started_without_hr: bool = False


@dataclass(frozen=True, slots=True)
class PostSessionForm:
    """The assessment after the session.

    Attributes:
        session_rpe: session RPE, Borg 6-20 (None: not asked).
        bp_systolic_mmhg, bp_diastolic_mmhg: blood pressure after (None: not measured).
        note: the free-text note for the patient file ("" none).
        therapist_name: who filled the form in ("" not given).
    """

    session_rpe: int | None = None
    bp_systolic_mmhg: int | None = None
    bp_diastolic_mmhg: int | None = None
    note: str = ""
    therapist_name: str = ""


@dataclass(frozen=True, slots=True)
class SessionForms:
    """Both forms of one session (``None`` where a form was not filled in)."""

    pre: PreSessionForm | None = None
    post: PostSessionForm | None = None


def _check_range(field: str, value: int | None, bounds: tuple[int, int]) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise FormError(field, f"expected a whole number, got {value!r}")
    low, high = bounds
    if not low <= value <= high:
        raise FormError(field, f"expected {low}-{high}, got {value}")


def _check_bp(systolic: int | None, diastolic: int | None) -> None:
    _check_range("bp_systolic_mmhg", systolic, SYSTOLIC_RANGE_MMHG)
    _check_range("bp_diastolic_mmhg", diastolic, DIASTOLIC_RANGE_MMHG)
    if (systolic is None) != (diastolic is None):
        raise FormError("bp_systolic_mmhg", "give both systolic and diastolic, or neither")
    if systolic is not None and diastolic is not None and diastolic >= systolic:
        raise FormError("bp_diastolic_mmhg", "diastolic must be below systolic")


def validate_form(form: PreSessionForm | PostSessionForm) -> None:
    """Raise :class:`FormError` for a value outside its range."""
    if isinstance(form, PreSessionForm):
        _check_range("feeling", form.feeling, FEELING_RANGE)
    else:
        _check_range("session_rpe", form.session_rpe, RPE_RANGE)
    _check_bp(form.bp_systolic_mmhg, form.bp_diastolic_mmhg)


def ensure_forms_table(conn: sqlite3.Connection) -> None:
    """Create the ``session_forms`` table if missing (idempotent).

    Applies the project's one schema (``schema.sql``, only ``IF NOT EXISTS``), so a
    database written before the table existed gets it as the schema defines it.
    """
    conn.executescript(schema_sql())


def _has_forms_table(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'session_forms'"
    ).fetchone()
    return row is not None


def save_form(
    conn: sqlite3.Connection,
    session_id: int,
    form: PreSessionForm | PostSessionForm,
    *,
    entered_at: datetime | None = None,
) -> None:
    """Validate and store ``form`` for ``session_id`` (commits).

    Raises:
        FormError: a value outside its range.
        RecordingError: no session ``session_id``.
    """
    validate_form(form)
    ensure_forms_table(conn)
    known = conn.execute("SELECT 1 FROM sessions WHERE session_id = ?", (session_id,))
    if known.fetchone() is None:
        raise RecordingError(f"no session {session_id}")
    kind = "pre" if isinstance(form, PreSessionForm) else "post"
    when = (entered_at or datetime.now(UTC)).astimezone(UTC)
    with conn:
        conn.execute(
            "INSERT INTO session_forms (session_id, kind, form_version, entered_at, payload_json)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                session_id,
                kind,
                FORM_VERSION,
                when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                json.dumps(asdict(form), ensure_ascii=False),
            ),
        )
    logger.info("session %d: %s-session form saved", session_id, kind)


def store_form(
    database_path: Path, session_id: int, form: PreSessionForm | PostSessionForm
) -> None:
    """Open ``database_path`` briefly and :func:`save_form` (for the desktop app)."""
    try:
        conn = sqlite3.connect(database_path, timeout=5.0)
    except sqlite3.Error as exc:
        raise RecordingError(f"{database_path}: cannot open: {exc}") from exc
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        save_form(conn, session_id, form)
    except sqlite3.Error as exc:
        raise RecordingError(f"{database_path}: cannot save the form: {exc}") from exc
    finally:
        conn.close()


_Form = TypeVar("_Form", PreSessionForm, PostSessionForm)


def _from_payload(cls: type[_Form], text: str) -> _Form | None:
    """The form from its stored JSON; unknown keys (a newer version) are ignored."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        logger.warning("unreadable %s payload ignored", cls.__name__)
        return None
    if not isinstance(data, dict):
        return None
    values: dict[str, Any] = {f.name: data[f.name] for f in fields(cls) if f.name in data}
    try:
        return cls(**values)
    except TypeError:
        return None


def read_forms(conn: sqlite3.Connection, session_id: int) -> SessionForms:
    """The latest pre- and post-session form of ``session_id`` (see the module doc).

    ``SessionForms.post.therapist_name`` and ``SessionForms.post.note`` are the
    therapist's name and the note for the patient file (the PDF report prints them).
    """
    if not _has_forms_table(conn):
        return SessionForms()
    latest: dict[str, str] = {}
    for kind, payload in conn.execute(
        "SELECT kind, payload_json FROM session_forms WHERE session_id = ? ORDER BY form_id",
        (session_id,),
    ):
        latest[str(kind)] = str(payload)
    pre = _from_payload(PreSessionForm, latest["pre"]) if "pre" in latest else None
    post = _from_payload(PostSessionForm, latest["post"]) if "post" in latest else None
    return SessionForms(pre=pre, post=post)
