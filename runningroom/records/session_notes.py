"""What a recorded session holds for the patient file, gathered in one place.

The reports (PDF, CSV summary) print the same clinical content: the therapist's
annotations, the RPE and Feeling entries with their session times, the patient's
details from the profile snapshot, and the post-session entries (the therapist's name
and a conclusion/plan note) when the session has them.

Post-session entries are read, in this order of precedence, from:

* the post-session form recorded with the session (``SessionData.forms.post``, see
  :mod:`runningroom.records.forms`),
* the latest event of kind ``post_session`` (its ``data``),
* a ``post_session`` mapping in the session summary,
* top-level keys of the session summary,

with the keys ``therapist_name``, ``note`` (``conclusion`` and ``plan`` are read too)
and ``session_rpe`` (the Borg rating of the whole session). A missing or empty value is
None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from runningroom.records.store import SessionData

#: Event kind of the post-session entries.
POST_SESSION_EVENT_KIND = "post_session"


@dataclass(frozen=True, slots=True)
class TimedNote:
    """A therapist's annotation at session second ``t_s``."""

    t_s: float
    text: str


@dataclass(frozen=True, slots=True)
class TimedRating:
    """An RPE (6-20) or Feeling (-5..+5) entry at session second ``t_s``."""

    t_s: float
    value: int


@dataclass(frozen=True, slots=True)
class PatientDetails:
    """The patient's details at the time of the session (from the snapshots).

    Attributes:
        code: pseudonymous patient code.
        age_years: age from the prescription, else from the birth year.
        resting_hr_bpm: resting HR used for the prescription.
        medication: the profile's medication note ("" when none).
        beta_blocker: the profile's beta-blocker flag (None when not recorded).
    """

    code: str
    age_years: int | None
    resting_hr_bpm: float | None
    medication: str
    beta_blocker: bool | None


@dataclass(frozen=True, slots=True)
class SessionNotes:
    """The clinical notes of one session.

    Attributes:
        annotations: the therapist's annotations, in time order.
        rpe: Borg RPE entries, in time order.
        feeling: Feeling Scale entries, in time order.
        therapist_name: who ran the session (post-session entry), if recorded.
        conclusion: the conclusion/plan note for the patient file, if recorded.
        session_rpe: the Borg RPE (6-20) of the whole session, if recorded.
    """

    annotations: tuple[TimedNote, ...]
    rpe: tuple[TimedRating, ...]
    feeling: tuple[TimedRating, ...]
    therapist_name: str | None
    conclusion: str | None
    session_rpe: int | None = None


def _text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _rating(value: object) -> int | None:
    number = _number(value)
    return None if number is None else round(number)


def _post_session_sources(data: SessionData) -> list[Mapping[str, Any]]:
    """Mappings that may hold post-session entries, highest precedence first."""
    sources: list[Mapping[str, Any]] = []
    post = data.forms.post
    if post is not None:
        sources.append(
            {
                "therapist_name": post.therapist_name,
                "note": post.note,
                "session_rpe": post.session_rpe,
            }
        )
    for event in reversed(data.events):
        if event.kind == POST_SESSION_EVENT_KIND:
            sources.append(event.data)
            break
    summary = data.meta.summary
    nested = summary.get("post_session")
    if isinstance(nested, Mapping):
        sources.append(nested)
    sources.append(summary)
    return sources


def _first_text(sources: list[Mapping[str, Any]], *keys: str) -> str | None:
    for source in sources:
        parts = [t for t in (_text(source.get(k)) for k in keys) if t]
        if parts:
            return "\n".join(parts)
    return None


def session_notes(data: SessionData) -> SessionNotes:
    """The annotations, ratings and post-session entries of ``data``."""
    annotations: list[TimedNote] = []
    rpe: list[TimedRating] = []
    feeling: list[TimedRating] = []
    for event in data.events:
        if event.kind == "annotation":
            text = _text(event.data.get("text")) or _text(event.message)
            if text:
                annotations.append(TimedNote(event.t_s, text))
        elif event.kind in ("rpe", "feeling"):
            value = _rating(event.data.get("value"))
            if value is not None:
                (rpe if event.kind == "rpe" else feeling).append(TimedRating(event.t_s, value))
    sources = _post_session_sources(data)
    return SessionNotes(
        annotations=tuple(annotations),
        rpe=tuple(rpe),
        feeling=tuple(feeling),
        therapist_name=_first_text(sources, "therapist_name"),
        conclusion=_first_text(sources, "note", "conclusion", "plan"),
        session_rpe=next(
            (v for v in (_rating(s.get("session_rpe")) for s in sources) if v is not None), None
        ),
    )


def patient_details(data: SessionData) -> PatientDetails:
    """The patient's details from the session's profile and prescription snapshots."""
    meta = data.meta
    profile, prescription = meta.profile, meta.prescription
    age = _number(prescription.get("age_years"))
    if age is None:
        birth_year = _number(profile.get("birth_year"))
        age = None if birth_year is None else float(meta.started_at.year - birth_year)
    resting = _number(prescription.get("resting_hr_bpm"))
    if resting is None:
        resting = _number(profile.get("resting_hr_bpm"))
    beta = profile.get("beta_blocker")
    return PatientDetails(
        code=meta.patient_code,
        age_years=None if age is None else round(age),
        resting_hr_bpm=resting,
        medication=_text(profile.get("medication_note")) or "",
        beta_blocker=beta if isinstance(beta, bool) else None,
    )


def signed(value: int) -> str:
    """A Feeling Scale value with its sign: ``+3``, ``-2``, ``0``."""
    return f"{value:+d}" if value else "0"


__all__ = [
    "POST_SESSION_EVENT_KIND",
    "PatientDetails",
    "SessionNotes",
    "TimedNote",
    "TimedRating",
    "patient_details",
    "session_notes",
    "signed",
]
