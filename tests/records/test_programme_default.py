"""The default programme (3 a week for 12 weeks from the first session) and week marks."""

from __future__ import annotations

from datetime import UTC, date

from runningroom.records.programme import (
    Programme,
    WeekMark,
    adherence_strip,
    current_week,
    effective_programme,
    first_session_date,
    save_programme,
    weekly_adherence,
)
from tests.records.fixtures import Db

MONDAY = date(2026, 1, 5)


def test_a_patient_without_a_programme_follows_the_default_from_the_first_session(
    programme_db: Db,
) -> None:
    conn = programme_db.conn
    assert first_session_date(conn, "DEMO-001", UTC) == MONDAY
    effective = effective_programme(conn, "DEMO-001", UTC)
    assert effective is not None and effective.is_default
    p = effective.programme
    assert (p.start_date, p.sessions_per_week, p.planned_weeks) == (MONDAY, 3, 12)
    # a saved programme wins over the default
    save_programme(conn, Programme("DEMO-001", date(2026, 1, 12), sessions_per_week=2))
    saved = effective_programme(conn, "DEMO-001", UTC)
    assert saved is not None and not saved.is_default
    assert saved.programme.sessions_per_week == 2
    # no session, no programme: nothing to follow
    assert effective_programme(conn, "NOBODY-1", UTC) is None


def test_the_adherence_strip_marks_each_week(programme_db: Db) -> None:
    conn = programme_db.conn
    p = Programme("DEMO-001", MONDAY, planned_weeks=6)
    # the fixture has 3, 3, 2, 3 sessions in weeks 1-4; "today" is Wednesday of week 5
    today = date(2026, 2, 4)
    report = weekly_adherence(conn, p, today=today, tz=UTC)
    marks = [m for _, m in adherence_strip(report, today)]
    assert marks == [WeekMark.FULL, WeekMark.FULL, WeekMark.PARTIAL, WeekMark.FULL,
                     WeekMark.CURRENT, WeekMark.FUTURE]
    week = current_week(report, today)
    assert week is not None and week.week == 5 and week.sessions_done == 0
    # a week that is over with no session is missed
    later = date(2026, 2, 10)
    marks = [m for _, m in adherence_strip(weekly_adherence(conn, p, today=later, tz=UTC),
                                           later)]
    assert marks[4] == WeekMark.MISSED and marks[5] == WeekMark.CURRENT
    assert current_week(report, date(2025, 12, 1)) is None
