"""Per-patient session history: one row of headline numbers per recorded session.

Numbers come from the session summary the engine stores at the end
(:mod:`runningroom.session.summary`); a session without a summary (interrupted,
recovered as aborted) is summarised from its samples and events by the same
:func:`~runningroom.session.summary.summarise`, so both are scored the same way.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from runningroom.records.store import (
    SessionMeta,
    list_metas,
    load_events,
    load_samples,
    session_duration_s,
)
from runningroom.session.summary import summarise

logger = logging.getLogger(__name__)

#: Sample qualities whose HR value is trusted for statistics.
TRUSTED_QUALITIES = ("ok", "low_quality_source")


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


def recomputed_summary(conn: sqlite3.Connection, meta: SessionMeta) -> dict[str, Any]:
    """The summary of a session computed from its recorded samples and events.

    Uses :func:`runningroom.session.summary.summarise`, the function whose result the
    engine stores at the end of a session, so a session without a stored summary
    (interrupted, recovered as aborted) gets exactly the numbers a finished one with
    the same rows gets.
    """
    samples = load_samples(conn, meta.session_id)
    events = load_events(conn, meta.session_id)
    ceiling = _num(meta.prescription.get("ceiling_bpm"))
    return summarise(samples, events, status=meta.status, ceiling_bpm=ceiling).to_dict()


def history_row(conn: sqlite3.Connection, meta: SessionMeta) -> HistoryRow:
    """Build the history row of one session (stored summary, else one recomputed).

    A session without a usable stored summary is summarised from its rows by
    :func:`recomputed_summary`; its duration falls back to the wall times when it has
    no samples.
    """
    s = meta.summary
    in_zone = minutes_in_zone_from_summary(s)
    moderate = _num(s.get("minutes_moderate"))
    if not s or in_zone is None or moderate is None:
        s = recomputed_summary(conn, meta)
        in_zone = minutes_in_zone_from_summary(s) or 0.0
        moderate = _num(s.get("minutes_moderate")) or 0.0
    duration_s = _num(s.get("duration_s")) or session_duration_s(meta, None)
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
        avg_hr_bpm=_num(s.get("avg_hr_bpm")),
        max_hr_bpm=_num(s.get("max_hr_bpm")),
        distance_m=_num(s.get("distance_m")),
        rpe=_last_rating(s.get("rpe")),
        feeling=_last_rating(s.get("feeling")),
        alarms=_count(s.get("alarms")),
        overrides=_count(s.get("overrides")),
    )


def session_history(conn: sqlite3.Connection, patient_code: str) -> list[HistoryRow]:
    """History of one patient, oldest session first."""
    rows = [history_row(conn, meta) for meta in list_metas(conn, patient_code)]
    logger.debug("history of %s: %d sessions", patient_code, len(rows))
    return rows


#: Device address prefix of the simulated treadmill and HR strap.
SIMULATED_PREFIX = "sim:"


def simulated_session_ids(conn: sqlite3.Connection, patient_code: str) -> set[int]:
    """Sessions of a patient that ran on the simulated treadmill (demo or practice runs).

    Such a session had no real belt and no real patient on it; the records show it
    flagged so it is never mistaken for clinic data.
    """
    out: set[int] = set()
    for session_id, devices_json in conn.execute(
        "SELECT session_id, devices_json FROM sessions WHERE patient_code = ?", (patient_code,)
    ):
        try:
            devices = json.loads(devices_json) if devices_json else {}
        except json.JSONDecodeError:
            continue
        treadmill = devices.get("treadmill") if isinstance(devices, dict) else None
        if isinstance(treadmill, str) and treadmill.startswith(SIMULATED_PREFIX):
            out.add(int(session_id))
    return out
