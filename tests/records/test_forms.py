"""Pre- and post-session forms: stored, versioned, read back; old databases open."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from runningroom.errors import RecordingError
from runningroom.recording.recorder import SessionDatabase
from runningroom.records.forms import (
    FORM_VERSION,
    FormError,
    PostSessionForm,
    PreSessionForm,
    SessionForms,
    read_forms,
    save_form,
    store_form,
)
from tests.records.factory import insert_session, new_database


def test_post_session_form_is_stored_and_read_with_the_names_the_report_uses(
    tmp_path: Path,
) -> None:
    conn = new_database(tmp_path / "rr.sqlite3")
    sid = insert_session(conn, scale=0.05).session_id
    assert read_forms(conn, sid) == SessionForms()
    save_form(
        conn,
        sid,
        PreSessionForm(
            feeling=-2, complaints="knee stiff", bp_systolic_mmhg=128, bp_diastolic_mmhg=82
        ),
    )
    save_form(
        conn,
        sid,
        PostSessionForm(session_rpe=13, note="Tolerated well.", therapist_name="J. de Vries"),
    )
    forms = read_forms(conn, sid)
    assert forms.pre == PreSessionForm(-2, "knee stiff", 128, 82, False)
    assert forms.post is not None
    assert forms.post.therapist_name == "J. de Vries"
    assert forms.post.note == "Tolerated well."
    assert forms.post.session_rpe == 13 and forms.post.bp_systolic_mmhg is None
    row = conn.execute("SELECT kind, form_version FROM session_forms ORDER BY form_id").fetchall()
    assert row == [("pre", FORM_VERSION), ("post", FORM_VERSION)]


def test_saving_again_keeps_the_earlier_form_and_reads_the_latest(tmp_path: Path) -> None:
    conn = new_database(tmp_path / "rr.sqlite3")
    sid = insert_session(conn, scale=0.05).session_id
    save_form(conn, sid, PostSessionForm(session_rpe=12, therapist_name="A"))
    save_form(conn, sid, PostSessionForm(session_rpe=14, therapist_name="B"))
    forms = read_forms(conn, sid)
    assert forms.post is not None and forms.post.therapist_name == "B"
    assert conn.execute("SELECT COUNT(*) FROM session_forms").fetchone()[0] == 2


@pytest.mark.parametrize(
    "form",
    [
        PreSessionForm(feeling=6),
        PostSessionForm(session_rpe=5),
        PostSessionForm(session_rpe=21),
        PostSessionForm(bp_systolic_mmhg=120),
        PostSessionForm(bp_systolic_mmhg=80, bp_diastolic_mmhg=90),
        PreSessionForm(bp_systolic_mmhg=400, bp_diastolic_mmhg=80),
    ],
)
def test_values_outside_their_range_are_refused(tmp_path: Path, form: object) -> None:
    conn = new_database(tmp_path / "rr.sqlite3")
    sid = insert_session(conn, scale=0.05).session_id
    with pytest.raises(FormError):
        save_form(conn, sid, form)  # type: ignore[arg-type]


def test_a_form_for_an_unknown_session_is_refused(tmp_path: Path) -> None:
    conn = new_database(tmp_path / "rr.sqlite3")
    with pytest.raises(RecordingError):
        save_form(conn, 99, PostSessionForm(session_rpe=12))


def test_a_database_without_the_forms_table_reads_no_forms_and_gets_it_on_save(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    conn = new_database(path)
    sid = insert_session(conn, scale=0.05).session_id
    conn.executescript("DROP TABLE session_forms;")  # as written before the table existed
    conn.close()
    ro = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert read_forms(ro, sid) == SessionForms()
    ro.close()
    store_form(path, sid, PostSessionForm(note="first note after the upgrade"))
    with sqlite3.connect(path) as conn2:
        forms = read_forms(conn2, sid)
    assert forms.post is not None and forms.post.note == "first note after the upgrade"


def test_the_recorder_opens_an_old_database_and_creates_the_table(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = new_database(path)
    conn.executescript("DROP TABLE session_forms;")
    conn.close()
    db = SessionDatabase(path)
    db.close()
    with sqlite3.connect(path) as conn2:
        names = {r[0] for r in conn2.execute("SELECT name FROM sqlite_master")}
    assert "session_forms" in names


def test_a_newer_payload_is_read_field_by_field(tmp_path: Path) -> None:
    conn = new_database(tmp_path / "rr.sqlite3")
    sid = insert_session(conn, scale=0.05).session_id
    payload = {"session_rpe": 15, "note": "n", "therapist_name": "T", "future_field": 1}
    with conn:
        conn.execute(
            "INSERT INTO session_forms (session_id, kind, form_version, entered_at, payload_json)"
            " VALUES (?, 'post', 2, '2026-01-01T00:00:00Z', ?)",
            (sid, json.dumps(payload)),
        )
    forms = read_forms(conn, sid)
    assert forms.post == PostSessionForm(session_rpe=15, note="n", therapist_name="T")


def test_deleting_the_patient_deletes_the_forms(tmp_path: Path) -> None:
    from runningroom.records.patients import delete_patient

    conn = new_database(tmp_path / "rr.sqlite3")
    conn.execute("PRAGMA foreign_keys = OFF")  # the delete must not rely on the cascade
    sid = insert_session(conn, code="P-1", scale=0.05).session_id
    save_form(conn, sid, PostSessionForm(note="private note", therapist_name="T"))
    delete_patient(conn, "P-1", confirm="P-1")
    assert conn.execute("SELECT COUNT(*) FROM session_forms").fetchone()[0] == 0


def test_the_post_session_form_reaches_the_reports(tmp_path: Path) -> None:
    """The form saved from the summary is what the PDF and the CSV summary print."""
    from runningroom.records.session_notes import session_notes
    from runningroom.records.store import load_session

    conn = new_database(tmp_path / "rr.sqlite3")
    sid = insert_session(conn, scale=0.05).session_id
    save_form(
        conn,
        sid,
        PostSessionForm(session_rpe=14, note="Plan: +2 bpm next week", therapist_name="A. Bos"),
    )
    data = load_session(conn, sid)
    assert data.forms.post is not None
    notes = session_notes(data)
    assert notes.therapist_name == "A. Bos"
    assert notes.conclusion == "Plan: +2 bpm next week"
    assert notes.session_rpe == 14
