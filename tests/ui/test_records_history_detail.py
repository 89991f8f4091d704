"""History: follows the console's patient, refreshes after a session, opens a past
session, keeps demo data apart and keeps "Delete patient" away from Backup/Restore."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLayout, QWidget

from runningroom import paths, profiles_io
from runningroom.model import PhaseKind, PhaseSpec, SessionTemplate
from runningroom.recording.model import EventRecord
from tests.records.factory import insert_session, new_database
from tests.records.fixtures import START, Db, _programme_template, programme_db
from tests.ui.conftest import wait_connected
from ui.records.history import HistoryWidget

__all__ = ["_programme_template", "programme_db"]  # fixtures used below

SHORT = SessionTemplate(
    name="short",
    warmup=PhaseSpec(PhaseKind.WARMUP, 60.0),
    main=PhaseSpec(PhaseKind.MAIN, 120.0),
    cooldown=PhaseSpec(PhaseKind.COOLDOWN, 60.0),
)


def _layout_widgets(layout: QLayout) -> list[QWidget]:
    out = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.widget() is not None:
            out.append(item.widget())
        elif item.layout() is not None:
            out.extend(_layout_widgets(item.layout()))
    return out


def _row_layout_of(root: QLayout, widget: QWidget) -> QLayout | None:
    for i in range(root.count()):
        item = root.itemAt(i)
        sub = item.layout()
        if sub is not None:
            if any(sub.itemAt(k).widget() is widget for k in range(sub.count())):
                return sub
            found = _row_layout_of(sub, widget)
            if found is not None:
                return found
    return None


def test_history_follows_the_patient_selected_in_the_console(
    qtbot: Any, make_window: Any
) -> None:
    conn = new_database(paths.database_path())
    insert_session(conn, code="AAA-1", started_at=START, seed=1, scale=0.2)
    insert_session(conn, code="DEMO-001", started_at=START, seed=2, scale=0.2)
    conn.close()
    window = make_window()
    new = dataclasses.replace(profiles_io.demo_profile(), code="NEW-9", display_name="")
    window.patients.append(new)
    window._refill_patients(select_code="DEMO-001")
    history = window.history_widget
    assert history.patient_code == "DEMO-001" and history.table.rowCount() == 1
    # picking a new patient (no sessions yet) in the console shows their empty history,
    # never the previous patient's sessions
    window.patient_combo.setCurrentIndex(window.patient_combo.findData("NEW-9"))
    assert history.patient_code == "NEW-9" and history.table.rowCount() == 0
    assert "NEW-9" in history.info.text()
    history.refresh()
    assert history.patient_code == "NEW-9"


@pytest.mark.slow
def test_history_shows_the_session_just_finished(qtbot: Any, make_window: Any) -> None:
    from runningroom_app.desktop import make_builder

    conn = new_database(paths.database_path())
    insert_session(conn, code="AAA-1", started_at=START, seed=1, scale=0.2)
    conn.close()
    window = make_window(builder=make_builder(60.0), templates=[SHORT])
    history = window.history_widget
    assert history.patient_code == "DEMO-001" and history.table.rowCount() == 0
    wait_connected(qtbot, window)
    qtbot.mouseClick(window.controls.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session_ended, timeout=40_000)
    assert history.patient_code == "DEMO-001"
    assert history.table.rowCount() == 1
    assert history.table.item(0, 1).text() == "short"


def test_a_past_session_opens_with_summary_plot_log_report_and_export(
    qtbot: Any, programme_db: Db, tmp_path: Path
) -> None:
    w = HistoryWidget(programme_db.path)
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    newest = programme_db.sessions[-2]  # DEMO-001's last session
    rect = w.table.visualItemRect(w.table.item(0, 0))
    qtbot.mouseClick(w.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(w.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    detail = w.detail
    assert w.sessions_page.currentWidget() is detail
    assert detail.session_id == newest.session_id
    assert "DEMO-001" in detail.title.text() and "Finished" in detail.title.text()
    values = dict(zip([n.text() for n in detail.summary_names],
                      [v.text() for v in detail.summary_values], strict=True))
    assert values["RPE"] == "11" and values["Feeling"] == "+3"
    # the plot holds the recorded samples: HR, target and speed over elapsed minutes
    assert detail.data is not None
    xs, _ = detail.hr_curve.getData()
    assert len(xs) == len(detail.data.samples) > 100 and float(xs[-1]) > 10
    assert len(detail.target_curve.getData()[0]) == len(xs)
    assert len(detail.speed_curve.getData()[0]) == len(xs)
    phases = [line.label.format for line in detail._phase_lines]
    assert phases == ["Warm-up", "Main phase", "Cool-down"]
    # the event log in words, not engine codes
    texts = [t for _, t in detail.event_rows()]
    assert "Main phase begins" in texts and "Cool-down begins" in texts
    assert "Note: Patient talks comfortably; gait ok" in texts
    assert "Effort (Borg 6-20): 12" in texts and "Feeling (-5 to +5): +3" in texts
    assert not any("->" in t for t in texts)
    assert detail.log.rowCount() == len(texts)
    # report and export of this session through the existing PDF and export dialog
    pdf = detail.write_pdf(tmp_path / "s.pdf")
    assert pdf is not None and pdf.read_bytes()[:4] == b"%PDF"
    dialog = detail.open_export_dialog(show=False)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.session_ids == [newest.session_id]
    dialog.dir_edit.setText(str(tmp_path / "exp"))
    dialog.set_format("csv")
    assert dialog.run_export()
    # back to the list; the Open button opens the selected row too
    qtbot.mouseClick(detail.back_button, Qt.MouseButton.LeftButton)
    assert w.sessions_page.currentIndex() == 0
    w.table.selectRow(1)
    qtbot.mouseClick(w.open_button, Qt.MouseButton.LeftButton)
    assert w.sessions_page.currentWidget() is detail
    assert detail.session_id == programme_db.sessions[-3].session_id
    # another patient closes the detail
    w.select_patient("OTHER-7")
    assert w.sessions_page.currentIndex() == 0


def test_engine_events_read_as_words() -> None:
    from ui.records.session_detail import event_text

    raised = EventRecord(10.0, "alarm", "safety", "heart rate lost (stale)",
                         {"alarm_id": 1, "alarm_kind": "hr_lost", "stage": "raised"})
    cleared = EventRecord(20.0, "alarm", "system", "hr_lost cleared",
                          {"alarm_id": 1, "alarm_kind": "hr_lost", "stage": "cleared"})
    speed = EventRecord(30.0, "override", "therapist", "speed set to 5.5 km/h",
                        {"command": "manual_speed", "speed_kmh": 5.5})
    start = EventRecord(0.0, "state", "therapist", "session started",
                        {"from": "idle", "to": "preflight"})
    assert event_text(raised) == "Alarm: Heart rate lost"
    assert event_text(cleared) == "Heart rate lost (cleared)"
    assert event_text(speed) == "Therapist set the speed by hand: 5.5 km/h"
    assert event_text(start) == "Session started (waiting for a trusted heart rate)"


def test_delete_patient_sits_behind_the_patient_menu_not_beside_backup(
    qtbot: Any, programme_db: Db, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = HistoryWidget(programme_db.path)
    qtbot.addWidget(w)
    row = _row_layout_of(w.layout(), w.backup_button)
    assert row is not None
    neighbours = _layout_widgets(row)
    assert w.restore_button in neighbours
    assert not any("Delete" in getattr(n, "text", lambda: "")() for n in neighbours)
    assert w.delete_action in w.patient_menu.actions()
    # the typed-code confirmation still guards it
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("DEMO-01", True))
    w.delete_action.trigger()
    assert "Not deleted" in w.info.text() and w.table.rowCount() == 11
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("DEMO-001", True))
    w.delete_action.trigger()
    assert [w.patient_box.itemText(i) for i in range(w.patient_box.count())] == ["OTHER-7"]


def test_sessions_on_the_simulated_treadmill_are_flagged(qtbot: Any, programme_db: Db) -> None:
    clinic = insert_session(programme_db.conn, code="OTHER-7", started_at=START, seed=5,
                            scale=0.2)
    with programme_db.conn:
        programme_db.conn.execute(
            "UPDATE sessions SET devices_json = ? WHERE session_id = ?",
            ('{"treadmill": "AA:BB:CC:DD:EE:FF", "hr": "11:22:33:44:55:66"}',
             clinic.session_id))
    w = HistoryWidget(programme_db.path)
    qtbot.addWidget(w)
    w.select_patient("OTHER-7")
    statuses = [w.table.item(r, 9).text() for r in range(w.table.rowCount())]
    assert sorted(statuses) == ["Finished", "Finished · simulated"]
    simulated_row = statuses.index("Finished · simulated")
    assert w.table.item(simulated_row, 0).font().italic()
    assert w.open_session(clinic.session_id) and "simulated" not in w.detail.title.text()


def test_the_demo_records_into_its_own_database(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from runningroom_app import desktop

    used: list[Path | None] = []
    original = desktop.make_builder

    def spy(speedup: float, database_path: Path | None = None, **kwargs: Any) -> Any:
        used.append(database_path)
        return original(speedup, database_path, **kwargs)

    monkeypatch.setattr(desktop, "make_builder", spy)
    monkeypatch.setattr(desktop, "ble_device_scan", lambda: None)
    window = desktop.create_window(demo=True, speedup=1.0)
    try:
        demo_db = desktop.demo_database_path()
        assert demo_db != paths.database_path()
        assert used == [demo_db]
        history = window.history_widget
        assert history.database_path == demo_db and history.demo
        assert history.demo_badge.isVisibleTo(history)
        assert "Demo" in history.demo_badge.text()
    finally:
        window.confirm_close = lambda: True
        window.close()
        window.bridge.shutdown()


def test_history_follows_a_live_switch_to_dutch(qtbot: Any, programme_db: Db) -> None:
    from ui.i18n import set_language

    w = HistoryWidget(programme_db.path)
    qtbot.addWidget(w)
    try:
        set_language("nl")
        qtbot.waitUntil(lambda: w.table.horizontalHeaderItem(0).text() == "Datum")
        headers = [w.table.horizontalHeaderItem(c).text() for c in range(w.table.columnCount())]
        assert headers[2] == "Duur (min)" and headers[-1] == "Status"
        assert [w.tabs.tabText(i) for i in range(2)] == ["Sessies", "Programma"]
        duration = w.table.item(0, 2).text()
        assert "," in duration and "." not in duration
        assert w.table.item(0, 9).text() == "Voltooid · gesimuleerd"
        w.table.selectRow(0)
        assert w.open_selected() and "Voltooid" in w.detail.title.text()
        assert "Warming-up begint" in [t for _, t in w.detail.event_rows()]
    finally:
        set_language("en")
