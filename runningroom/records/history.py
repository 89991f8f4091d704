"""Per-patient session history: one row of headline numbers per recorded session.

Numbers come from the session summary the engine stores at the end
(:mod:`runningroom.session.summary`); a session without a summary (interrupted,
recovered as aborted) gets the same numbers computed from its samples and events.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from runningroom.records.store import SessionMeta, list_metas, session_duration_s

logger = logging.getLogger(__name__)

#: Sample qualities whose HR value is trusted for statistics.
TRUSTED_QUALITIES = ("ok", "low_quality_source")

#: Phases during which the patient exercises.
EXERCISE_PHASES = ("warmup", "main", "cooldown")


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """Headline numbers of one session, as the history table shows them.

    Attributes:
        session_id: database id.
        patient_code: pseudonymous patient code.
        started_at: start time (UTC, timezone-aware).
        status: finished, stopped, emergency_stopped, aborted or running.
        supervised: True when a therapist supervised the session.
        template: template name.
        duration_s: recorded duration.
        minutes_in_zone: time with HR inside the target zone, all phases.
        minutes_moderate: minutes at moderate intensity (the weekly dose).
        avg_hr_bpm: mean trusted HR (None without HR data).
        max_hr_bpm: highest trusted HR.
        distance_m: belt distance.
        rpe: the last Borg RPE (6-20) entered, if any.
        feeling: the last Feeling Scale value (-5..+5), if any.
        alarms: number of alarms raised.
        overrides: number of therapist overrides.
    """

    session_id: int
    patient_code: str
    started_at: datetime
    status: str
    supervised: bool
    template: str
    duration_s: float
    minutes_in_zone: float
    minutes_moderate: float
    avg_hr_bpm: float | None
    max_hr_bpm: float | None
    distance_m: float | None
    rpe: float | None
    feeling: float | None
    alarms: int
    overrides: int


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _last_rating(value: Any) -> float | None:
    """Last value of a ``[(t_s, v), ...]`` list (or a bare number)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, list) and value:
        last = value[-1]
        if isinstance(last, (list, tuple)) and len(last) >= 2:
            return _num(last[1])
        return _num(last)
    return None


def _count(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, list):
        return len(value)
    return 0


def minutes_in_zone_from_summary(summary: dict[str, Any]) -> float | None:
    """Total time in zone over the phases of a summary, in minutes (None if absent)."""
    phases = summary.get("phases")
    if not isinstance(phases, dict):
        return None
    total_s = 0.0
    for phase in phases.values():
        if isinstance(phase, dict):
            total_s += _num(phase.get("time_in_zone_s")) or 0.0
    return total_s / 60.0


@dataclass(frozen=True, slots=True)
class _SampleStats:
    last_t_s: float | None
    minutes_in_zone: float
    minutes_moderate: float
    avg_hr_bpm: float | None
    max_hr_bpm: float | None
    distance_m: float | None


def _sample_stats(conn: sqlite3.Connection, session_id: int) -> _SampleStats:
    """Statistics computed from the samples (for sessions without a summary).

    Each sample stands for one sample period (the recording interval, normally 1 s).
    Moderate intensity = trusted HR at or above the lower zone edge.
    """
    qual = ",".join("?" * len(TRUSTED_QUALITIES))
    ex = ",".join("?" * len(EXERCISE_PHASES))
    row = conn.execute(
        "SELECT COUNT(*), MIN(t_s), MAX(t_s), "
        f"SUM(CASE WHEN hr_quality IN ({qual}) AND phase IN ({ex}) "
        "AND hr_filtered_bpm BETWEEN zone_low_bpm AND zone_high_bpm THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN hr_quality IN ({qual}) AND phase IN ({ex}) "
        "AND hr_filtered_bpm >= zone_low_bpm THEN 1 ELSE 0 END), "
        f"AVG(CASE WHEN hr_quality IN ({qual}) THEN hr_filtered_bpm END), "
        f"MAX(CASE WHEN hr_quality IN ({qual}) THEN hr_filtered_bpm END), "
        "MAX(distance_m) FROM samples WHERE session_id = ?",
        (*TRUSTED_QUALITIES, *EXERCISE_PHASES, *TRUSTED_QUALITIES, *EXERCISE_PHASES,
         *TRUSTED_QUALITIES, *TRUSTED_QUALITIES, session_id),
    ).fetchone()
    n = int(row[0] or 0)
    if n == 0:
        return _SampleStats(None, 0.0, 0.0, None, None, None)
    period_s = (float(row[2]) - float(row[1])) / (n - 1) if n > 1 else 1.0
    return _SampleStats(
        last_t_s=float(row[2]),
        minutes_in_zone=int(row[3] or 0) * period_s / 60.0,
        minutes_moderate=int(row[4] or 0) * period_s / 60.0,
        avg_hr_bpm=_num(row[5]),
        max_hr_bpm=_num(row[6]),
        distance_m=_num(row[7]),
    )


def _event_stats(conn: sqlite3.Connection, session_id: int) -> tuple[int, int, float | None,
                                                                      float | None]:
    """Alarms, overrides, last RPE and last feeling from the events table."""
    alarms = overrides = 0
    rpe = feeling = None
    for kind, data_json, message in conn.execute(
        "SELECT kind, data_json, message FROM events WHERE session_id = ? "
        "AND kind IN ('alarm', 'override', 'rpe', 'feeling') ORDER BY t_s, event_id",
        (session_id,),
    ):
        if kind == "alarm":
            if is_alarm_raised(str(data_json)):
                alarms += 1
        elif kind == "override":
            overrides += 1
        else:
            value = rating_from_event(str(data_json), str(message))
            if kind == "rpe":
                rpe = value if value is not None else rpe
            else:
                feeling = value if value is not None else feeling
    return alarms, overrides, rpe, feeling


def is_alarm_raised(data_json: str) -> bool:
    """True for an ``alarm`` event that raises an alarm (not its clear/acknowledge)."""
    try:
        data = json.loads(data_json) if data_json else {}
    except json.JSONDecodeError:
        return True
    stage = data.get("stage") if isinstance(data, dict) else None
    return stage in (None, "raised")


def rating_from_event(data_json: str, message: str) -> float | None:
    """The numeric rating of an ``rpe``/``feeling`` event (``data.value`` or the message)."""
    try:
        data = json.loads(data_json) if data_json else {}
    except json.JSONDecodeError:
        data = {}
    if isinstance(data, dict):
        value = _num(data.get("value"))
        if value is not None:
            return value
    for token in message.replace("=", " ").replace(":", " ").split():
        try:
            return float(token)
        except ValueError:
            continue
    return None


def history_row(conn: sqlite3.Connection, meta: SessionMeta) -> HistoryRow:
    """Build the history row of one session (summary first, samples as fallback)."""
    s = meta.summary
    in_zone = minutes_in_zone_from_summary(s)
    moderate = _num(s.get("minutes_moderate"))
    avg_hr = _num(s.get("avg_hr_bpm"))
    have_summary = bool(s) and in_zone is not None and moderate is not None
    if have_summary:
        assert in_zone is not None and moderate is not None
        duration_s = session_duration_s(meta, None)
        max_hr = _num(s.get("max_hr_bpm"))
        distance_m = _num(s.get("distance_m"))
        rpe = _last_rating(s.get("rpe"))
        feeling = _last_rating(s.get("feeling"))
        alarms = _count(s.get("alarms"))
        overrides = _count(s.get("overrides"))
    else:
        stats = _sample_stats(conn, meta.session_id)
        alarms, overrides, rpe, feeling = _event_stats(conn, meta.session_id)
        duration_s = session_duration_s(meta, stats.last_t_s)
        in_zone = stats.minutes_in_zone
        moderate = stats.minutes_moderate
        avg_hr = stats.avg_hr_bpm
        max_hr = stats.max_hr_bpm
        distance_m = stats.distance_m
    return HistoryRow(
        session_id=meta.session_id,
        patient_code=meta.patient_code,
        started_at=meta.started_at,
        status=meta.status,
        supervised=meta.supervised,
        template=meta.template_name,
        duration_s=duration_s,
        minutes_in_zone=in_zone,
        minutes_moderate=moderate,
        avg_hr_bpm=avg_hr,
        max_hr_bpm=max_hr,
        distance_m=distance_m,
        rpe=rpe,
        feeling=feeling,
        alarms=alarms,
        overrides=overrides,
    )


def session_history(conn: sqlite3.Connection, patient_code: str) -> list[HistoryRow]:
    """History of one patient, oldest session first."""
    rows = [history_row(conn, meta) for meta in list_metas(conn, patient_code)]
    logger.debug("history of %s: %d sessions", patient_code, len(rows))
    return rows
