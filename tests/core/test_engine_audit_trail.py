"""Every therapist override, alarm and safety action ends up in the session database.

Issue 2: overrides "All logged"; every transition "timestamped and recorded with its
cause"; the supervisor's actions recorded. This drives one session through every
override, an HR loss and a ceiling episode with the real recorder as the sink, then
reads the SQLite file back.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from runningroom.recording.model import EventRecord, SampleRecord
from runningroom.recording.recorder import SessionDatabase, SessionRecorder
from runningroom.session.model import (
    AcknowledgeAlarm,
    AdjustTarget,
    AlarmKind,
    Annotate,
    EmergencyStop,
    HoldController,
    ManualIncline,
    ManualSpeed,
    PauseSession,
    RateFeeling,
    RateRpe,
    ResumeController,
    ResumeSession,
    SessionState,
    SkipPhase,
)
from tests.core.engine_fakes import PRESCRIPTION, PROFILE, TEMPLATE, MemorySink, Rig


class Tee:
    """Sends the engine's records to the in-memory sink and to the recorder."""

    def __init__(self, memory: MemorySink, recorder: SessionRecorder) -> None:
        self.memory = memory
        self.recorder = recorder

    def record_sample(self, sample: SampleRecord) -> None:
        self.memory.record_sample(sample)
        self.recorder.record_sample(sample)

    def record_event(self, event: EventRecord) -> None:
        self.memory.record_event(event)
        self.recorder.record_event(event)

    def finish(self, status: str, summary: dict[str, Any]) -> None:
        self.recorder.finish(status, summary)


def test_every_override_alarm_and_safety_action_is_recorded(tmp_path: Path) -> None:
    db = SessionDatabase(tmp_path / "rr.sqlite3")
    recorder = db.start_session(
        patient_code=PROFILE.code,
        started_at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
        profile=PROFILE,
        template=TEMPLATE,
        prescription=PRESCRIPTION,
    )
    rig = Rig()
    rig.engine.sink = Tee(rig.sink, recorder)
    rig.start()
    rig.step()
    rig.command(SkipPhase())  # warm-up -> main
    rig.run(300)
    assert rig.engine.state is SessionState.MAIN
    rig.command(AdjustTarget(+3.0))
    rig.command(HoldController(True))
    rig.run(5)
    rig.command(HoldController(False))
    rig.command(ManualSpeed(5.0))
    rig.command(ManualIncline(2.0))
    rig.command(Annotate("knee fine"))
    rig.command(RateRpe(13))
    rig.command(RateFeeling(2))
    rig.command(PauseSession())
    rig.run(5)
    rig.command(ResumeSession())
    rig.run(60)
    # HR lost: alarm, then ramp down and suspension after 60 s; the therapist resumes
    rig.hr_override = lambda t, hr: None
    rig.run(70)
    assert rig.engine.controller_suspended
    rig.hr_override = None
    rig.run(10)
    rig.command(ResumeController())
    assert not rig.engine.controller_suspended
    rig.run(60)
    # above the ceiling: step down at once, cool-down after 30 s
    t0 = rig.now_s
    rig.hr_override = lambda t, hr: int(min(170, 117 + 3 * (t - t0))) + int(t) % 2
    rig.run_until(lambda: rig.engine.state is SessionState.COOLDOWN, max_s=120)
    first_alarm = rig.engine.alarms[0]
    rig.command(AcknowledgeAlarm(first_alarm.alarm_id))
    rig.command(EmergencyStop())
    assert rig.engine.state is SessionState.EMERGENCY_STOPPED
    recorder.finish(str(rig.engine.state), rig.engine.summary().to_dict())

    con = sqlite3.connect(db.path)
    rows = [
        (str(kind), str(cause), str(message), json.loads(str(data)))
        for kind, cause, message, data in con.execute(
            "SELECT kind, cause, message, data_json FROM events WHERE session_id = ? "
            "ORDER BY event_id",
            (recorder.session_id,),
        )
    ]
    con.close()
    db.close()

    # nothing the engine logged is missing from the file, in the same order
    assert [(k, m) for k, _, m, _ in rows] == [(e.kind, e.message) for e in rig.engine.events]

    overrides = {d.get("command") for k, c, _, d in rows if k == "override" and c == "therapist"}
    assert {
        "skip_phase",
        "adjust_target",
        "hold",
        "manual_speed",
        "manual_incline",
        "pause",
        "resume",
        "resume_controller",
        "emergency_stop",
    } <= overrides
    kinds = {k for k, _, _, _ in rows}
    assert {"annotation", "rpe", "feeling"} <= kinds

    # every alarm is recorded when raised, and acknowledgements are recorded too
    raised = {
        (d["alarm_id"], d["alarm_kind"])
        for k, _, _, d in rows
        if k == "alarm" and d.get("stage") == "raised"
    }
    assert raised == {(a.alarm_id, str(a.kind)) for a in rig.engine.alarms}
    assert {str(AlarmKind.HR_LOST), str(AlarmKind.HR_ABOVE_CEILING)} <= {k for _, k in raised}
    assert any(
        k == "alarm" and d.get("stage") == "acknowledged" and d["alarm_id"] == first_alarm.alarm_id
        for k, _, _, d in rows
    )

    # the supervisor's actions carry their rule and the safety cause
    rules = {d.get("rule") for k, c, _, d in rows if k == "safety" and c == "safety"}
    assert {"hr_lost_ramp_down", "ceiling_step_down", "ceiling_cooldown"} <= rules

    # every state change carries its cause: timer, therapist, safety ...
    states = [(c, d) for k, c, _, d in rows if k == "state"]
    assert states and all(c in {"timer", "therapist", "safety", "system"} for c, _ in states)
    causes = {c for c, _ in states}
    assert {"therapist", "safety"} <= causes
