"""The programme view: default programme, adherence strip, plain words, Dutch numbers."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.records.fixtures import Db, _programme_template, programme_db
from ui.records.programme import ProgrammeWidget

__all__ = ["_programme_template", "programme_db"]  # fixtures used below


def _form_labels(w: ProgrammeWidget) -> list[str]:
    return [label.text() for label in (w.start_label, w.weeks_label, w.sessions_label,
                                       w.minutes_label, w.ref_speed_label)]


def test_programme_view_starts_with_the_default_and_shows_the_week_at_a_glance(
    qtbot: Any, programme_db: Db
) -> None:
    from runningroom.records.programme import WeekMark

    programme_db.conn.close()
    w = ProgrammeWidget(programme_db.path)
    qtbot.addWidget(w)
    w.today = lambda: date(2026, 2, 4)  # Wednesday of programme week 5
    w.set_patient("DEMO-001")
    # no programme was saved: the default (3 a week, 12 weeks) from the first session
    assert w.is_default and w.report is not None
    assert w.report.programme.start_date == date(2026, 1, 5)
    assert (w.sessions_spin.value(), w.weeks_spin.value()) == (3, 12)
    assert "Default programme" in w.default_note.text()
    assert w.table.rowCount() == 12
    # the strip: weeks 1-4 done 3, 3, 2, 3; week 5 runs; weeks 6-12 still to come
    marks = [m for _, m in w.strip.marks]
    assert marks[:5] == [WeekMark.FULL, WeekMark.FULL, WeekMark.PARTIAL, WeekMark.FULL,
                         WeekMark.CURRENT]
    assert set(marks[5:]) == {WeekMark.FUTURE} and len(marks) == 12
    assert w.this_week_label.text() == "0/3 this week (week 5 of 12)"
    assert "Week 3: 2/3, some sessions done" in w.strip.toolTip()
    # only weeks that are over are flagged as short of sessions
    assert w.table.item(2, 2).text() == "2/3 ↓"
    assert w.table.item(4, 2).text() == "0/3" and w.table.item(6, 2).text() == "0/3"
    # plain words, not "weekly dose target" / "reference speed (fitness signal)"
    labels = " ".join(_form_labels(w)).lower()
    assert "sessions per week (goal)" in labels and "dose" not in labels
    assert "reference" not in labels and "fitness check" in labels
    # saving makes it the patient's own programme
    assert w.save()
    assert not w.is_default and w.default_note.text() == ""


def test_programme_view_in_dutch_uses_decimal_commas(qtbot: Any, programme_db: Db) -> None:
    from ui.i18n import set_language

    programme_db.conn.close()
    w = ProgrammeWidget(programme_db.path)
    qtbot.addWidget(w)
    w.today = lambda: date(2026, 2, 4)
    try:
        set_language("nl")
        qtbot.waitUntil(lambda: w.sessions_label.text() == "Sessies per week (doel)")
        w.set_patient("DEMO-001")
        headers = [w.table.horizontalHeaderItem(c).text() for c in range(w.table.columnCount())]
        assert headers[0] == "Week" and "Sessies" in headers and "Begeleid" in headers
        assert "Sessies per week (doel)" in _form_labels(w)
        assert w.this_week_label.text().startswith("0/3 deze week")
        speed = w.table.item(0, 7)
        assert speed is not None and "," in speed.text() and "." not in speed.text()
    finally:
        set_language("en")
