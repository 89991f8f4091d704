"""Exercise programme and weekly adherence.

Running therapy is a programme, not a session: about three sessions a week for at
least nine weeks, with the weekly dose (minutes at moderate intensity, 150 a week is
the usual target) as the number clinicians look at. A :class:`Programme` is stored per
patient in the ``programmes`` table; :func:`weekly_adherence` turns the recorded
sessions into one :class:`WeekRow` per programme week, with two fitness signals
(HR at a fixed reference speed, and the mean main-phase speed the controller needed
to hold the zone), the RPE trend and the questionnaire scores entered for that week.

A patient without a saved programme follows the default prescription
(:func:`effective_programme`: 3 sessions a week for 12 weeks from the first session),
and :func:`adherence_strip` gives one :class:`WeekMark` per week for an at-a-glance view.

Week ``n`` (1-based) covers ``start_date + 7 (n - 1)`` to ``start_date + 7 n - 1``
in local time; week 0 is the baseline week before the start (questionnaires only).
"""

from __future__ import annotations

import logging
import math
import sqlite3
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum

from runningroom.errors import RecordingError
from runningroom.records.history import TRUSTED_QUALITIES, HistoryRow, session_history
from runningroom.records.store import ENDED_STATUSES, parse_time

logger = logging.getLogger(__name__)

#: Sessions shorter than this do not count as done.
MIN_SESSION_S = 300.0
#: Speed band around the reference speed, and the settling time before HR counts.
REF_SPEED_TOL_KMH = 0.15
REF_SPEED_SETTLE_S = 120.0
#: Minimum steady seconds at the reference speed for a session to give a value.
REF_SPEED_MIN_SAMPLES = 60
#: HR gain used to adjust main-phase HR to the reference speed when the patient has no
#: identified gain (bpm per km/h; walkers about 7, Hunt: 6.7 +/- 2.3 in runners).
DEFAULT_GAIN_BPM_PER_KMH = 8.0
#: Main-phase seconds skipped before HR counts for the adjusted estimate (zone entry).
MAIN_SETTLE_S = 300.0
#: The default prescription (reference: CG90 three sessions a week; Dutch running
#: therapy programmes of 12 weeks), used for a patient without an explicit programme.
DEFAULT_SESSIONS_PER_WEEK = 3
DEFAULT_PLANNED_WEEKS = 12


@dataclass(frozen=True, slots=True)
class Programme:
    """A patient's exercise programme.

    Attributes:
        patient_code: pseudonymous patient code.
        start_date: first day of week 1 (local date).
        planned_weeks: programme length in weeks (default 12).
        sessions_per_week: planned sessions per week (default 3).
        minutes_per_week_target: weekly dose target at moderate intensity (default 150).
        reference_speed_kmh: speed for the "HR at a fixed speed" fitness signal;
            None = chosen automatically from the recorded sessions.
    """

    patient_code: str
    start_date: date
    planned_weeks: int = DEFAULT_PLANNED_WEEKS
    sessions_per_week: int = DEFAULT_SESSIONS_PER_WEEK
    minutes_per_week_target: float = 150.0
    reference_speed_kmh: float | None = None

    def __post_init__(self) -> None:
        """Validate the numbers."""
        if not self.patient_code:
            raise ValueError("patient_code must not be empty")
        if not 1 <= self.planned_weeks <= 260:
            raise ValueError(f"planned_weeks must be 1-260, got {self.planned_weeks}")
        if not 0 <= self.sessions_per_week <= 14:
            raise ValueError(f"sessions_per_week must be 0-14, got {self.sessions_per_week}")
        if not 0 <= self.minutes_per_week_target <= 2000:
            raise ValueError(
                f"minutes_per_week_target must be 0-2000, got {self.minutes_per_week_target}"
            )
        if self.reference_speed_kmh is not None and not 0 < self.reference_speed_kmh < 30:
            raise ValueError(f"reference_speed_kmh must be 0-30, got {self.reference_speed_kmh}")

    def week_of(self, day: date) -> int:
        """Programme week of a local date (0 or negative before the start)."""
        delta_days = (day - self.start_date).days
        return delta_days // 7 + 1 if delta_days >= 0 else -((-delta_days - 1) // 7)

    def week_start(self, week: int) -> date:
        """First day of programme week ``week`` (1-based)."""
        return self.start_date + timedelta(days=7 * (week - 1))


@dataclass(frozen=True, slots=True)
class WeekRow:
    """Adherence of one programme week.

    Attributes:
        week: programme week (0 = baseline, questionnaires only).
        start: first day of the week.
        sessions_planned: planned sessions.
        sessions_done: sessions of at least :data:`MIN_SESSION_S` recorded that week.
        supervised_done: how many of them were supervised.
        minutes_moderate: weekly dose (minutes at moderate intensity).
        minutes_target: weekly dose target.
        hr_at_ref_speed_bpm: mean HR at the reference speed (fitness signal: falls as
            fitness improves). Measured when a session held that speed steadily;
            otherwise estimated from the main phase's mean HR and speed with the
            patient's HR gain (see :func:`adjusted_hr_at_speed_bpm`).
        hr_at_ref_estimated: True when any of the week's values was estimated.
        main_speed_kmh: mean main-phase belt speed (rises as fitness improves, since
            the controller holds HR in the zone).
        rpe_mean: mean of the sessions' last RPE (Borg 6-20).
        scores: questionnaire scores entered for this week, by name.
        session_ids: the sessions counted.
    """

    week: int
    start: date
    sessions_planned: int
    sessions_done: int
    supervised_done: int
    minutes_moderate: float
    minutes_target: float
    hr_at_ref_speed_bpm: float | None
    main_speed_kmh: float | None
    rpe_mean: float | None
    hr_at_ref_estimated: bool = False
    scores: dict[str, float] = field(default_factory=dict)
    session_ids: tuple[int, ...] = ()

    @property
    def dose_pct(self) -> float | None:
        """Weekly dose as percent of the target (None when the target is 0)."""
        if self.minutes_target <= 0:
            return None
        return 100.0 * self.minutes_moderate / self.minutes_target

    @property
    def sessions_met(self) -> bool:
        """True when at least the planned number of sessions was done."""
        return self.sessions_done >= self.sessions_planned


@dataclass(frozen=True, slots=True)
class AdherenceReport:
    """The weekly adherence table of a programme plus totals.

    Attributes:
        programme: the programme.
        weeks: one row per week, week 1 first (a week-0 row first when baseline
            scores exist); weeks after ``planned_weeks`` appear when sessions exist there.
        reference_speed_kmh: the speed used for the HR-at-fixed-speed signal.
        score_names: every questionnaire score name, sorted.
        sessions_done: sessions counted over the programme.
        sessions_planned: planned sessions over the programme weeks up to ``today``.
        weeks_dose_met: weeks whose dose reached the target.
    """

    programme: Programme
    weeks: list[WeekRow]
    reference_speed_kmh: float | None
    score_names: list[str]
    sessions_done: int
    sessions_planned: int
    weeks_dose_met: int

    @property
    def session_adherence_pct(self) -> float | None:
        """Sessions done as percent of sessions planned so far."""
        if self.sessions_planned <= 0:
            return None
        return 100.0 * self.sessions_done / self.sessions_planned


def _now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# ---- storage ---------------------------------------------------------------------------


def save_programme(conn: sqlite3.Connection, programme: Programme) -> None:
    """Create or replace the patient's programme (committed)."""
    with conn:
        conn.execute(
            "INSERT INTO programmes (patient_code, start_date, planned_weeks, sessions_per_week, "
            "minutes_per_week_target, reference_speed_kmh, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(patient_code) DO UPDATE SET "
            "start_date = excluded.start_date, planned_weeks = excluded.planned_weeks, "
            "sessions_per_week = excluded.sessions_per_week, "
            "minutes_per_week_target = excluded.minutes_per_week_target, "
            "reference_speed_kmh = excluded.reference_speed_kmh, updated_at = excluded.updated_at",
            (
                programme.patient_code,
                programme.start_date.isoformat(),
                programme.planned_weeks,
                programme.sessions_per_week,
                programme.minutes_per_week_target,
                programme.reference_speed_kmh,
                _now_iso(),
            ),
        )
    logger.info("programme saved for %s", programme.patient_code)


def load_programme(conn: sqlite3.Connection, patient_code: str) -> Programme | None:
    """The patient's programme, or None when none was set."""
    row = conn.execute(
        "SELECT start_date, planned_weeks, sessions_per_week, minutes_per_week_target, "
        "reference_speed_kmh FROM programmes WHERE patient_code = ?",
        (patient_code,),
    ).fetchone()
    if row is None:
        return None
    return Programme(
        patient_code=patient_code,
        start_date=date.fromisoformat(str(row[0])),
        planned_weeks=int(row[1]),
        sessions_per_week=int(row[2]),
        minutes_per_week_target=float(row[3]),
        reference_speed_kmh=None if row[4] is None else float(row[4]),
    )


def set_score(conn: sqlite3.Connection, patient_code: str, week: int, name: str,
              value: float) -> None:
    """Enter (or replace) a questionnaire score for a programme week (committed).

    Args:
        conn: the database.
        patient_code: the patient.
        week: programme week, 0 = baseline.
        name: free score name, e.g. "PHQ-9".
        value: the score.

    Raises:
        ValueError: empty name, negative week or a non-finite value.
    """
    name = name.strip()
    if not name:
        raise ValueError("score name must not be empty")
    if week < 0:
        raise ValueError(f"week must be >= 0, got {week}")
    if not math.isfinite(value):
        raise ValueError(f"score must be a finite number, got {value}")
    with conn:
        conn.execute(
            "INSERT INTO questionnaire_scores (patient_code, week, name, value, entered_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(patient_code, week, name) DO UPDATE SET "
            "value = excluded.value, entered_at = excluded.entered_at",
            (patient_code, week, name, float(value), _now_iso()),
        )


def delete_score(conn: sqlite3.Connection, patient_code: str, week: int, name: str) -> bool:
    """Remove one score; True when it existed."""
    with conn:
        cur = conn.execute(
            "DELETE FROM questionnaire_scores WHERE patient_code = ? AND week = ? AND name = ?",
            (patient_code, week, name),
        )
    return cur.rowcount > 0


def list_scores(conn: sqlite3.Connection, patient_code: str) -> dict[int, dict[str, float]]:
    """Scores of a patient by week, then by name."""
    out: dict[int, dict[str, float]] = defaultdict(dict)
    for week, name, value in conn.execute(
        "SELECT week, name, value FROM questionnaire_scores WHERE patient_code = ? "
        "ORDER BY week, name",
        (patient_code,),
    ):
        out[int(week)][str(name)] = float(value)
    return dict(out)


# ---- fitness signals -------------------------------------------------------------------


def _speed_rows(conn: sqlite3.Connection, session_id: int) -> list[tuple[float, float | None,
                                                                         float | None, str]]:
    qual = ",".join("?" * len(TRUSTED_QUALITIES))
    return [
        (float(t), None if s is None else float(s), None if h is None else float(h), str(q))
        for t, s, h, q in conn.execute(
            "SELECT t_s, speed_meas_kmh, hr_filtered_bpm, "
            f"CASE WHEN hr_quality IN ({qual}) THEN 'ok' ELSE 'bad' END "
            "FROM samples WHERE session_id = ? AND phase = 'main' ORDER BY t_s",
            (*TRUSTED_QUALITIES, session_id),
        )
    ]


def hr_at_speed_bpm(
    rows: list[tuple[float, float | None, float | None, str]], speed_kmh: float
) -> float | None:
    """Median steady-state HR while the belt ran at ``speed_kmh`` (main phase).

    A sample counts once the belt has been within :data:`REF_SPEED_TOL_KMH` of the
    speed for :data:`REF_SPEED_SETTLE_S`, and only with a trusted HR; at least
    :data:`REF_SPEED_MIN_SAMPLES` such samples are needed.

    Args:
        rows: ``(t_s, speed_meas_kmh, hr_filtered_bpm, "ok"|"bad")`` in time order.
        speed_kmh: the reference speed.
    """
    entered_t_s: float | None = None
    values: list[float] = []
    for t_s, speed, hr, quality in rows:
        if speed is None or abs(speed - speed_kmh) > REF_SPEED_TOL_KMH:
            entered_t_s = None
            continue
        if entered_t_s is None:
            entered_t_s = t_s
        if t_s - entered_t_s >= REF_SPEED_SETTLE_S and hr is not None and quality == "ok":
            values.append(hr)
    if len(values) < REF_SPEED_MIN_SAMPLES:
        return None
    return float(statistics.median(values))


def adjusted_hr_at_speed_bpm(
    rows: list[tuple[float, float | None, float | None, str]],
    speed_kmh: float,
    gain_bpm_per_kmh: float,
) -> float | None:
    """HR at ``speed_kmh`` estimated from a main phase that ran at other speeds.

    Mean trusted HR and mean speed after :data:`MAIN_SETTLE_S` into the main phase,
    shifted along the patient's HR-speed gain:
    ``hr_mean + gain * (speed_kmh - speed_mean)``.
    """
    if not rows:
        return None
    t0 = rows[0][0]
    pairs = [(s, h) for t, s, h, q in rows
             if t - t0 >= MAIN_SETTLE_S and s is not None and s > 0 and h is not None
             and q == "ok"]
    if len(pairs) < REF_SPEED_MIN_SAMPLES:
        return None
    speed_mean = statistics.fmean(p[0] for p in pairs)
    hr_mean = statistics.fmean(p[1] for p in pairs)
    return hr_mean + gain_bpm_per_kmh * (speed_kmh - speed_mean)


def patient_gain_bpm_per_kmh(conn: sqlite3.Connection, patient_code: str) -> float:
    """The patient's identified HR gain (``patient_models``), else the default."""
    try:
        row = conn.execute(
            "SELECT gain_bpm_per_kmh FROM patient_models WHERE patient_code = ?", (patient_code,)
        ).fetchone()
    except sqlite3.OperationalError:
        row = None
    if row and row[0] is not None and 1.0 <= float(row[0]) <= 40.0:
        return float(row[0])
    return DEFAULT_GAIN_BPM_PER_KMH


def choose_reference_speed_kmh(
    per_session: list[list[tuple[float, float | None, float | None, str]]],
) -> float | None:
    """The 0.5 km/h speed step held (>= 3 min) in the most sessions; ties: most seconds."""
    sessions_with: dict[float, int] = defaultdict(int)
    seconds_at: dict[float, float] = defaultdict(float)
    for rows in per_session:
        here: dict[float, float] = defaultdict(float)
        for i in range(1, len(rows)):
            speed = rows[i][1]
            if speed is None or speed <= 0:
                continue
            step = round(speed * 2.0) / 2.0
            if abs(speed - step) <= REF_SPEED_TOL_KMH:
                here[step] += rows[i][0] - rows[i - 1][0]
        for step, secs in here.items():
            seconds_at[step] += secs
            if secs >= REF_SPEED_SETTLE_S + REF_SPEED_MIN_SAMPLES:
                sessions_with[step] += 1
    if not sessions_with:
        return None
    return max(sessions_with, key=lambda s: (sessions_with[s], seconds_at[s]))


def _median_main_speed_kmh(
    per_session: list[list[tuple[float, float | None, float | None, str]]],
) -> float | None:
    speeds = [s for rows in per_session for _, s, _, _ in rows if s is not None and s > 0]
    return round(statistics.median(speeds) * 2.0) / 2.0 if speeds else None


def _mean(values: list[float]) -> float | None:
    return float(statistics.fmean(values)) if values else None


def _local_date(value: datetime, tz: tzinfo | None) -> date:
    return value.astimezone(tz).date()


def weekly_adherence(
    conn: sqlite3.Connection,
    programme: Programme,
    *,
    today: date | None = None,
    tz: tzinfo | None = None,
) -> AdherenceReport:
    """Compute the weekly adherence table of a programme.

    Args:
        conn: the database.
        programme: the patient's programme.
        today: weeks starting after this date count no planned sessions (default: the
            local date now); used for the adherence percentage.
        tz: time zone for assigning sessions to days (default: local time).

    Returns:
        The report; weeks 1..planned_weeks always appear.
    """
    history = [
        r
        for r in session_history(conn, programme.patient_code)
        if r.status in ENDED_STATUSES and r.duration_s >= MIN_SESSION_S
    ]
    today = today or datetime.now(tz).date()
    by_week: dict[int, list[HistoryRow]] = defaultdict(list)
    for row in history:
        week = programme.week_of(_local_date(row.started_at, tz))
        if week >= 1:
            by_week[week].append(row)
    rows_by_session = {r.session_id: _speed_rows(conn, r.session_id) for r in history
                       if programme.week_of(_local_date(r.started_at, tz)) >= 1}
    ref = programme.reference_speed_kmh
    if ref is None:
        per_session = list(rows_by_session.values())
        ref = choose_reference_speed_kmh(per_session) or _median_main_speed_kmh(per_session)
    gain = patient_gain_bpm_per_kmh(conn, programme.patient_code)
    scores = list_scores(conn, programme.patient_code)
    score_names = sorted({name for per_week in scores.values() for name in per_week})
    last_week = max([programme.planned_weeks, *by_week.keys(), *scores.keys()])
    weeks: list[WeekRow] = []
    first_week = 0 if 0 in scores else 1
    for week in range(first_week, last_week + 1):
        rows = by_week.get(week, [])
        hr_values: list[float] = []
        speeds: list[float] = []
        estimated = False
        for r in rows:
            samples = rows_by_session.get(r.session_id, [])
            if ref is not None:
                value = hr_at_speed_bpm(samples, ref)
                if value is None:
                    value = adjusted_hr_at_speed_bpm(samples, ref, gain)
                    estimated = estimated or value is not None
                if value is not None:
                    hr_values.append(value)
            main_speeds = [s for _, s, _, _ in samples if s is not None and s > 0]
            if main_speeds:
                speeds.append(statistics.fmean(main_speeds))
        planned = 0 if week == 0 or week > programme.planned_weeks else programme.sessions_per_week
        target = 0.0 if week == 0 or week > programme.planned_weeks else (
            programme.minutes_per_week_target)
        weeks.append(
            WeekRow(
                week=week,
                start=programme.week_start(week),
                sessions_planned=planned,
                sessions_done=len(rows),
                supervised_done=sum(1 for r in rows if r.supervised),
                minutes_moderate=sum(r.minutes_moderate for r in rows),
                minutes_target=target,
                hr_at_ref_speed_bpm=_mean(hr_values),
                main_speed_kmh=_mean(speeds),
                rpe_mean=_mean([r.rpe for r in rows if r.rpe is not None]),
                hr_at_ref_estimated=estimated,
                scores=dict(scores.get(week, {})),
                session_ids=tuple(r.session_id for r in rows),
            )
        )
    started = [w for w in weeks if w.week >= 1 and w.start <= today]
    report = AdherenceReport(
        programme=programme,
        weeks=weeks,
        reference_speed_kmh=ref,
        score_names=score_names,
        sessions_done=sum(w.sessions_done for w in weeks),
        sessions_planned=sum(w.sessions_planned for w in started),
        weeks_dose_met=sum(
            1 for w in weeks if w.minutes_target > 0 and w.minutes_moderate >= w.minutes_target
        ),
    )
    logger.debug(
        "adherence for %s: %d weeks, %d sessions", programme.patient_code, len(weeks),
        report.sessions_done,
    )
    return report


def require_programme(conn: sqlite3.Connection, patient_code: str) -> Programme:
    """The patient's programme.

    Raises:
        RecordingError: no programme was set for the patient.
    """
    programme = load_programme(conn, patient_code)
    if programme is None:
        raise RecordingError(f"no programme set for patient {patient_code}")
    return programme


# ---- default programme and the adherence strip -----------------------------------------


def first_session_date(
    conn: sqlite3.Connection, patient_code: str, tz: tzinfo | None = None
) -> date | None:
    """Local date of the patient's first recorded session (None without sessions)."""
    row = conn.execute(
        "SELECT MIN(started_at) FROM sessions WHERE patient_code = ?", (patient_code,)
    ).fetchone()
    if row is None or row[0] is None:
        return None
    return _local_date(parse_time(str(row[0])), tz)


def default_programme(patient_code: str, start_date: date) -> Programme:
    """The default prescription: 3 sessions a week for 12 weeks from ``start_date``."""
    return Programme(
        patient_code,
        start_date,
        planned_weeks=DEFAULT_PLANNED_WEEKS,
        sessions_per_week=DEFAULT_SESSIONS_PER_WEEK,
    )


@dataclass(frozen=True, slots=True)
class EffectiveProgramme:
    """The programme a patient follows: the saved one, or the default.

    Attributes:
        programme: the programme.
        is_default: True when none was saved and the default runs from the first session.
    """

    programme: Programme
    is_default: bool


def effective_programme(
    conn: sqlite3.Connection, patient_code: str, tz: tzinfo | None = None
) -> EffectiveProgramme | None:
    """The saved programme, else the default one starting at the first session's date.

    Returns:
        None when the patient has neither a saved programme nor any session.
    """
    saved = load_programme(conn, patient_code)
    if saved is not None:
        return EffectiveProgramme(saved, is_default=False)
    first = first_session_date(conn, patient_code, tz)
    if first is None:
        return None
    return EffectiveProgramme(default_programme(patient_code, first), is_default=True)


class WeekMark(StrEnum):
    """How a programme week looks at a glance.

    ``full``: the planned sessions were done; ``partial``: some, in a week that is over;
    ``missed``: none, in a week that is over; ``current``: the running week, not yet
    full; ``future``: not started yet.
    """

    FULL = "full"
    PARTIAL = "partial"
    MISSED = "missed"
    CURRENT = "current"
    FUTURE = "future"


def week_mark(week: WeekRow, today: date) -> WeekMark:
    """The at-a-glance mark of one programme week (week 1 or later) on ``today``."""
    over = week.start + timedelta(days=6) < today
    if week.sessions_done >= week.sessions_planned and (week.sessions_planned > 0 or over):
        return WeekMark.FULL
    if week.start > today:
        return WeekMark.FUTURE
    if not over:
        return WeekMark.CURRENT
    return WeekMark.MISSED if week.sessions_done == 0 else WeekMark.PARTIAL


def adherence_strip(report: AdherenceReport, today: date) -> list[tuple[WeekRow, WeekMark]]:
    """One ``(week, mark)`` per planned programme week, week 1 first."""
    return [
        (w, week_mark(w, today))
        for w in report.weeks
        if 1 <= w.week <= report.programme.planned_weeks
    ]


def current_week(report: AdherenceReport, today: date) -> WeekRow | None:
    """The programme week containing ``today`` (None before the start or after the end)."""
    week = report.programme.week_of(today)
    return next((w for w in report.weeks if w.week == week and week >= 1), None)
