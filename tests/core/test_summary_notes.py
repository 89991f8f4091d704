"""The summary carries the therapist's notes and overrides with their session times."""

from __future__ import annotations

import json

from runningroom.recording.model import EventRecord
from runningroom.session.summary import summarise
from tests.core.test_summary import build


def _events() -> list[EventRecord]:
    return [
        EventRecord(30.0, "rpe", "patient", "RPE 13", {"value": 13}),
        EventRecord(
            61.0,
            "annotation",
            "therapist",
            "talks in full sentences",
            {"text": "talks in full sentences"},
        ),
        EventRecord(
            90.0,
            "override",
            "therapist",
            "speed set to 5.5 km/h",
            {"command": "manual_speed", "speed_kmh": 5.5},
        ),
        EventRecord(
            120.0,
            "override",
            "therapist",
            "target offset +5 bpm",
            {"command": "adjust_target", "delta_bpm": 5.0, "offset_bpm": 5.0, "limited": False},
        ),
        EventRecord(150.0, "annotation", "therapist", "   ", {"text": "   "}),
        EventRecord(
            200.0, "override", "therapist", "therapist paused the session", {"command": "pause"}
        ),
    ]


def test_summary_lists_notes_with_their_session_time() -> None:
    s = summarise(build(), _events(), status="finished")
    assert s.notes == [(61.0, "talks in full sentences")]  # a blank note is not a note


def test_summary_lists_every_override_in_time_order() -> None:
    s = summarise(build(), _events(), status="finished")
    assert s.overrides == 3
    assert [(o["t_s"], o["command"]) for o in s.override_log] == [
        (90.0, "manual_speed"),
        (120.0, "adjust_target"),
        (200.0, "pause"),
    ]
    assert s.override_log[0]["data"] == {"speed_kmh": 5.5}
    assert s.override_log[0]["message"] == "speed set to 5.5 km/h"


def test_notes_and_overrides_survive_the_json_round_trip() -> None:
    d = json.loads(json.dumps(summarise(build(), _events(), status="finished").to_dict()))
    assert d["notes"] == [[61.0, "talks in full sentences"]]
    assert d["override_log"][1]["data"]["offset_bpm"] == 5.0


def test_a_session_without_notes_or_overrides_has_empty_lists() -> None:
    d = summarise(build(), [], status="finished").to_dict()
    assert d["notes"] == [] and d["override_log"] == []
