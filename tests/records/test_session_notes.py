"""What a session record holds for the patient file (runningroom.records.session_notes)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from runningroom.recording.model import EventRecord
from runningroom.records.session_notes import patient_details, session_notes, signed
from runningroom.records.store import SessionData, SessionMeta


def _meta(summary: dict[str, object], profile: dict[str, object] | None = None,
          prescription: dict[str, object] | None = None) -> SessionMeta:
    return SessionMeta(
        session_id=7, patient_code="P-7", station="station-1",
        started_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC), ended_at=None, status="finished",
        supervised=True, profile=profile or {}, template={}, prescription=prescription or {},
        devices={}, summary=summary)


def test_notes_ratings_and_post_session_entries_from_an_event() -> None:
    events = [
        EventRecord(60.0, "annotation", "therapist", "walks well", {"text": "walks well"}),
        EventRecord(61.0, "annotation", "therapist", "  ", {}),
        EventRecord(90.0, "rpe", "patient", "RPE 12", {"value": 12}),
        EventRecord(95.0, "feeling", "patient", "feeling -2", {"value": -2}),
        EventRecord(2700.0, "post_session", "therapist", "form",
                    {"therapist_name": " A. Jansen ", "note": "Plan: same next week",
                     "session_rpe": 13}),
    ]
    meta = _meta({"therapist_name": "older value", "note": "older note"})
    notes = session_notes(SessionData(meta, events=events))
    assert [(n.t_s, n.text) for n in notes.annotations] == [(60.0, "walks well")]
    assert [(r.t_s, r.value) for r in notes.rpe] == [(90.0, 12)]
    assert [signed(r.value) for r in notes.feeling] == ["-2"]
    assert notes.therapist_name == "A. Jansen"  # the event wins over the summary
    assert notes.conclusion == "Plan: same next week" and notes.session_rpe == 13


def test_post_session_entries_from_the_summary_or_none() -> None:
    nested = _meta({"post_session": {"therapist_name": "B. Smit", "conclusion": "Good",
                                     "plan": "Faster"}})
    notes = session_notes(SessionData(nested))
    assert notes.therapist_name == "B. Smit" and notes.conclusion == "Good\nFaster"
    empty = session_notes(SessionData(_meta({})))
    assert empty.therapist_name is None and empty.conclusion is None
    assert empty.session_rpe is None and empty.annotations == ()
    assert [signed(v) for v in (3, 0, -5)] == ["+3", "0", "-5"]


def test_patient_details_from_the_snapshots() -> None:
    meta = _meta({}, profile={"birth_year": 1960, "resting_hr_bpm": 70, "beta_blocker": True,
                              "medication_note": "bisoprolol 5 mg"})
    details = patient_details(SessionData(meta))
    assert details.age_years == 66 and details.resting_hr_bpm == 70.0
    assert details.beta_blocker is True and details.medication == "bisoprolol 5 mg"
    with_prescription = replace(meta, prescription={"age_years": 65, "resting_hr_bpm": 72})
    details = patient_details(SessionData(with_prescription))
    assert details.age_years == 65 and details.resting_hr_bpm == 72.0
    assert patient_details(SessionData(_meta({}))).beta_blocker is None
