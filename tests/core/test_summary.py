"""Session summary from recorded rows."""

from __future__ import annotations

import json

import pytest

from runningroom.recording.model import EventRecord, SampleRecord
from runningroom.session.summary import summarise


def sample(
    t: float,
    phase: str,
    hr: int | None,
    quality: str = "ok",
    target: float = 117.0,
    speed: float = 5.0,
    distance: float | None = None,
) -> SampleRecord:
    return SampleRecord(
        t_s=t,
        phase=phase,
        hr_raw_bpm=hr,
        hr_filtered_bpm=None if hr is None else float(hr),
        hr_quality=quality,
        rr_ms=(),
        target_bpm=target,
        zone_low_bpm=108.0,
        zone_high_bpm=126.0,
        speed_cmd_kmh=speed,
        speed_meas_kmh=speed,
        incline_cmd_pct=0.0,
        incline_meas_pct=0.0,
        distance_m=distance if distance is not None else t * 1.4,
    )


def build() -> list[SampleRecord]:
    rows: list[SampleRecord] = []
    t = 0.0
    for i in range(100):  # warm-up: 100 s, in zone for the last 20
        rows.append(sample(t, "warmup", 90 + (20 if i >= 80 else 0)))
        t += 1
    for i in range(300):  # main: 60 s below, then in zone at target+2, one 10 s excursion
        hr = 100 if i < 60 else (130 if 200 <= i < 210 else 119)
        rows.append(sample(t, "main", hr))
        t += 1
    for _ in range(50):  # cool-down below the zone, 5 s of stale HR
        rows.append(sample(t, "cooldown", 100))
        t += 1
    for k in range(5):
        rows[-1 - k] = sample(rows[-1 - k].t_s, "cooldown", None, quality="stale")
    return rows


def test_phase_times_entry_rmse_and_moderate_minutes() -> None:
    s = summarise(build(), [], status="finished", ceiling_bpm=128)
    assert s.status == "finished"
    assert s.duration_s == pytest.approx(450)
    assert s.phases["warmup"].duration_s == pytest.approx(100)
    assert s.phases["warmup"].time_in_zone_s == pytest.approx(20)
    assert s.phases["main"].time_in_zone_s == pytest.approx(230)
    assert s.phases["main"].time_in_zone_pct == pytest.approx(100 * 230 / 300, abs=0.01)
    assert s.phases["cooldown"].time_in_zone_s == 0
    assert s.entry_time_s == pytest.approx(60)
    assert s.time_in_zone_pct_after_entry == pytest.approx(100 * 230 / 240, abs=0.01)
    # after entry: 230 s at +2 bpm, 10 s at +13 bpm
    assert s.rmse_bpm == pytest.approx(((230 * 4 + 10 * 169) / 240) ** 0.5, abs=1e-3)
    # >= zone low (108): 20 s warm-up + 240 s main
    assert s.minutes_moderate == pytest.approx(260 / 60, abs=0.01)
    assert s.max_hr_bpm == 130
    assert s.time_above_ceiling_s == pytest.approx(10)
    assert s.hr_untrusted_s == pytest.approx(5)
    assert s.distance_m == pytest.approx(449 * 1.4, abs=0.1)
    assert s.target_bpm == 117
    assert s.minutes_in_zone == pytest.approx(250 / 60, abs=0.01)


def test_entry_needs_a_sustained_run() -> None:
    rows = [sample(float(t), "main", 115 if t % 20 < 10 else 100) for t in range(300)]
    s = summarise(rows, [], status="stopped", entry_hold_s=30)
    assert s.entry_time_s is None and s.rmse_bpm is None
    assert s.time_in_zone_pct_after_entry is None


def test_events_counted_and_json_roundtrip() -> None:
    events = [
        EventRecord(10, "alarm", "safety", "x", {"stage": "raised", "alarm_kind": "hr_lost"}),
        EventRecord(
            12, "alarm", "therapist", "x", {"stage": "acknowledged", "alarm_kind": "hr_lost"}
        ),
        EventRecord(20, "alarm", "safety", "x", {"stage": "raised", "alarm_kind": "safety_key"}),
        EventRecord(30, "rpe", "patient", "RPE 13", {"value": 13}),
        EventRecord(31, "feeling", "patient", "f", {"value": 3}),
        EventRecord(40, "override", "therapist", "o", {"command": "manual_speed"}),
        EventRecord(41, "override", "therapist", "o", {"command": "adjust_target"}),
    ]
    s = summarise(build(), events, status="finished")
    assert s.alarms == 2 and s.alarm_kinds == ["hr_lost", "safety_key"]
    assert s.rpe == [(30, 13)] and s.feeling == [(31, 3)] and s.overrides == 2
    d = json.loads(json.dumps(s.to_dict()))
    for key in (
        "status",
        "duration_s",
        "phases",
        "minutes_moderate",
        "time_in_zone_pct_after_entry",
        "entry_time_s",
        "rmse_bpm",
        "avg_hr_bpm",
        "max_hr_bpm",
        "distance_m",
        "alarms",
        "alarm_kinds",
        "rpe",
        "feeling",
        "overrides",
    ):
        assert key in d
    assert set(d["phases"]) == {"warmup", "main", "cooldown"}
    assert set(d["phases"]["main"]) >= {"duration_s", "time_in_zone_s", "time_in_zone_pct"}
    assert d["rpe"] == [[30, 13]]


def test_empty_session() -> None:
    s = summarise([], [], status="stopped")
    assert s.duration_s == 0 and s.avg_hr_bpm is None and s.entry_time_s is None
    assert s.phases["main"].duration_s == 0


def test_alarm_without_stage_counts_as_raised_and_a_rating_without_value_is_skipped() -> None:
    events = [
        EventRecord(10, "alarm", "safety", "HR signal lost", {"alarm_kind": "hr_lost"}),
        EventRecord(11, "alarm", "safety", "x", {"stage": "cleared", "alarm_kind": "hr_lost"}),
        EventRecord(30, "rpe", "patient", "RPE ?", {}),
        EventRecord(31, "rpe", "patient", "RPE 14", {"value": 14}),
    ]
    s = summarise(build(), events, status="aborted")
    assert s.alarms == 1 and s.rpe == [(31, 14)]


def _main_run(values: list[tuple[int | None, str]]) -> list[SampleRecord]:
    return [sample(float(t), "main", hr, quality=q) for t, (hr, q) in enumerate(values)]


def test_untrusted_spike_is_not_the_max_hr() -> None:
    rows = _main_run([(120, "ok")] * 30 + [(201, "jump")] + [(121, "ok")] * 30)
    assert summarise(rows, [], status="finished").max_hr_bpm == 121


def test_one_sample_spike_the_gate_let_through_is_not_the_max_hr() -> None:
    # a sensor spike 17 bpm above the true HR, under the gate's jump limit: trusted
    truth = [(120 + k % 3, "ok") for k in range(60)]
    spiked = [*truth[:30], (139, "ok"), *truth[31:]]
    s = summarise(_main_run(spiked), [], status="finished")
    assert s.max_hr_bpm == 122  # the true maximum, not 139


def test_spike_next_to_an_untrusted_sample_is_not_the_max_hr() -> None:
    rows = _main_run(
        [(120, "ok")] * 10 + [(137, "ok"), (0, "zero")] + [(121, "ok")] * 10 + [(150, "ok")]
    )
    assert summarise(rows, [], status="finished").max_hr_bpm == 121


def test_sustained_high_hr_is_the_max_hr() -> None:
    rows = _main_run([(120, "ok")] * 10 + [(150, "ok")] * 2 + [(121, "ok")] * 10)
    assert summarise(rows, [], status="finished").max_hr_bpm == 150
