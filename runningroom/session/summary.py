"""Session summary: the numbers a therapist and the records module need afterwards.

:func:`summarise` works only on recorded rows (:class:`SampleRecord` and
:class:`EventRecord`), so the same summary can be recomputed from the database later.

Definitions:
  * A sample's duration is the time to the next sample (capped at twice the median
    sample period; the last sample gets the median period).
  * "In zone": the raw HR is trusted (quality ``ok`` or ``low_quality_source``) and
    within the sample's ``zone_low_bpm``..``zone_high_bpm``. Untrusted samples count as
    not in zone.
  * A phase's ``hr_start_bpm`` / ``hr_end_bpm``: the median of its first / last five
    trusted HR samples (None without any), which is how a warm-up and a cool-down are
    reported: their HR is meant to move, so their time in the main zone says nothing.
  * ``entry_time_s``: seconds from the start of the main phase to the start of the
    first run of at least ``entry_hold_s`` in the zone (None if never).
  * ``rmse_bpm``: root-mean-square of raw HR minus target over the trusted main-phase
    samples from the entry on.
  * ``minutes_moderate``: minutes with a trusted HR at or above the zone's lower edge
    (moderate intensity or more, as prescribed), in any phase.
  * ``max_hr_bpm``: the highest trusted HR confirmed by its trusted neighbours (median
    of three consecutive trusted samples): untrusted samples never count, and neither
    does a one-sample spike the quality gate let through.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from runningroom.recording.model import EventRecord, SampleRecord

_TRUSTED = frozenset({"ok", "low_quality_source"})
_PHASES = ("warmup", "main", "cooldown")


@dataclass(frozen=True, slots=True)
class PhaseSummary:
    """Per-phase numbers."""

    duration_s: float = 0.0
    time_in_zone_s: float = 0.0
    time_in_zone_pct: float = 0.0
    avg_hr_bpm: float | None = None
    avg_speed_kmh: float | None = None
    hr_start_bpm: float | None = None
    hr_end_bpm: float | None = None


_HR_ENDS_SAMPLES = 5


def _median_or_none(values: Sequence[int]) -> float | None:
    return round(float(statistics.median(values)), 1) if values else None


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """Summary of one session; :meth:`to_dict` gives the JSON stored with it.

    Attributes:
        status: final state (``finished``, ``stopped``, ``emergency_stopped``, ...).
        duration_s: time from the first to the last sample (incl. pauses).
        phases: per phase (``warmup``, ``main``, ``cooldown``) numbers.
        minutes_moderate: minutes with trusted HR >= the zone's lower edge.
        time_in_zone_pct_after_entry: main phase, from the first sustained entry.
        entry_time_s: main phase start to first sustained zone entry (None if never).
        rmse_bpm: main phase after entry, HR minus target (None if no entry).
        avg_hr_bpm: mean trusted HR over the exercise phases.
        max_hr_bpm: highest trusted HR confirmed by its neighbours (see the module docs).
        distance_m: distance covered.
        alarms: number of alarms raised.
        alarm_kinds: distinct alarm kinds raised, sorted.
        rpe: (t_s, value) Borg RPE ratings.
        feeling: (t_s, value) Feeling Scale ratings.
        overrides: number of therapist overrides.
        notes: (t_s, text) the therapist's annotations, in time order.
        override_log: every therapist override in time order, as
            ``{"t_s", "command", "message", "data"}`` (``data``: the event's values,
            e.g. ``speed_kmh`` for ``manual_speed``).
        time_above_ceiling_s: time with trusted HR above the ceiling (if known).
        hr_untrusted_s: exercise time with untrusted or missing HR.
        target_bpm: median main-phase target.
        zone_low_bpm: zone lower edge.
        zone_high_bpm: zone upper edge.
        max_speed_kmh: highest commanded speed.
        minutes_in_zone: time in zone over all exercise phases, in minutes.
        advisory: the app did not drive the belt for (part of) the session: a
            monitor-only treadmill, or one that refused speed control at Start; the
            figures describe the therapist's manual speeds, not the controller.
    """

    status: str
    duration_s: float
    phases: dict[str, PhaseSummary]
    minutes_moderate: float
    time_in_zone_pct_after_entry: float | None
    entry_time_s: float | None
    rmse_bpm: float | None
    avg_hr_bpm: float | None
    max_hr_bpm: int | None
    distance_m: float
    alarms: int
    alarm_kinds: list[str]
    rpe: list[tuple[float, int]] = field(default_factory=list)
    feeling: list[tuple[float, int]] = field(default_factory=list)
    overrides: int = 0
    time_above_ceiling_s: float = 0.0
    hr_untrusted_s: float = 0.0
    target_bpm: float | None = None
    zone_low_bpm: float | None = None
    zone_high_bpm: float | None = None
    max_speed_kmh: float | None = None
    minutes_in_zone: float = 0.0
    advisory: bool = False
    notes: list[tuple[float, str]] = field(default_factory=list)
    override_log: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible dict (tuples become lists)."""
        data = asdict(self)
        data["phases"] = {name: asdict(p) for name, p in self.phases.items()}
        data["rpe"] = [[t, v] for t, v in self.rpe]
        data["feeling"] = [[t, v] for t, v in self.feeling]
        data["notes"] = [[t, text] for t, text in self.notes]
        return data


def _durations(samples: Sequence[SampleRecord]) -> list[float]:
    if not samples:
        return []
    if len(samples) == 1:
        return [1.0]
    gaps = [b.t_s - a.t_s for a, b in itertools.pairwise(samples)]
    period = statistics.median(gaps) if gaps else 1.0
    if period <= 0:
        period = 1.0
    return [min(max(g, 0.0), 2.0 * period) for g in gaps] + [period]


def _in_zone(s: SampleRecord) -> bool:
    return (
        s.hr_quality in _TRUSTED
        and s.hr_raw_bpm is not None
        and s.zone_low_bpm <= s.hr_raw_bpm <= s.zone_high_bpm
    )


def _trusted_hr(s: SampleRecord) -> int | None:
    if s.hr_quality in _TRUSTED and s.hr_raw_bpm is not None and s.hr_raw_bpm > 0:
        return s.hr_raw_bpm
    return None


def _confirmed_max_hr(samples: Sequence[SampleRecord]) -> int | None:
    """The highest trusted HR that the neighbouring trusted samples confirm.

    Within each run of consecutive trusted samples, a sample's value counts as the
    median of it and its neighbours in the run (at a run's edge, the lower of the two):
    the same single-sample outlier rule as the HR filter. A one-sample spike that the
    quality gate let through (under its jump limit) therefore never becomes the
    maximum, and neither does a value next to an untrusted sample that only it shows.
    A lone trusted sample between untrusted ones confirms nothing. None without a
    run of at least two trusted samples.
    """
    best: int | None = None
    run: list[int] = []
    for s in [*samples, None]:
        h = None if s is None else _trusted_hr(s)
        if h is not None:
            run.append(h)
            continue
        if len(run) >= 2:
            for i in range(len(run)):
                window = sorted(run[max(i - 1, 0) : i + 2])
                value = window[(len(window) - 1) // 2]
                best = value if best is None else max(best, value)
        run = []
    return best


def _rating(ev: EventRecord) -> int | None:
    """The whole-number rating of an ``rpe``/``feeling`` event, None if it has none."""
    value = ev.data.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return int(value)


def _override_entry(ev: EventRecord) -> dict[str, Any]:
    """One ``override`` event as a plain entry of :attr:`SessionSummary.override_log`."""
    values = {k: v for k, v in ev.data.items() if k != "command"}
    return {
        "t_s": ev.t_s,
        "command": str(ev.data.get("command", "")),
        "message": ev.message,
        "data": values,
    }


def summarise(
    samples: Sequence[SampleRecord],
    events: Sequence[EventRecord],
    *,
    status: str,
    ceiling_bpm: float | None = None,
    entry_hold_s: float = 30.0,
) -> SessionSummary:
    """Compute the summary from recorded samples and events.

    Args:
        samples: samples in time order.
        events: events in time order (alarms, ratings and overrides are counted; an
            ``alarm`` event without a ``stage`` counts as raised, a rating without a
            numeric ``value`` is skipped; annotations with text become ``notes`` and
            overrides are listed in ``override_log``).
        status: final session state value.
        ceiling_bpm: the safety ceiling, for ``time_above_ceiling_s``.
        entry_hold_s: minimum in-zone run that counts as the zone entry.
    """
    durations = _durations(samples)
    phases: dict[str, PhaseSummary] = {}
    for name in _PHASES:
        idx = [i for i, s in enumerate(samples) if s.phase == name]
        dur = sum(durations[i] for i in idx)
        tiz = sum(durations[i] for i in idx if _in_zone(samples[i]))
        hrs = [h for i in idx if (h := _trusted_hr(samples[i])) is not None]
        speeds = [v for i in idx if (v := samples[i].speed_meas_kmh or samples[i].speed_cmd_kmh)]
        phases[name] = PhaseSummary(
            duration_s=round(dur, 3),
            time_in_zone_s=round(tiz, 3),
            time_in_zone_pct=round(100.0 * tiz / dur, 2) if dur > 0 else 0.0,
            avg_hr_bpm=round(statistics.fmean(hrs), 2) if hrs else None,
            avg_speed_kmh=round(statistics.fmean(speeds), 3) if speeds else None,
            hr_start_bpm=_median_or_none(hrs[:_HR_ENDS_SAMPLES]),
            hr_end_bpm=_median_or_none(hrs[-_HR_ENDS_SAMPLES:]),
        )

    # zone entry in the main phase
    main_idx = [i for i, s in enumerate(samples) if s.phase == "main"]
    entry_i: int | None = None
    if main_idx:
        run_start: int | None = None
        run_s = 0.0
        for i in main_idx:
            if _in_zone(samples[i]):
                if run_start is None:
                    run_start, run_s = i, 0.0
                run_s += durations[i]
                if run_s >= entry_hold_s:
                    entry_i = run_start
                    break
            else:
                run_start, run_s = None, 0.0
    entry_time_s: float | None = None
    tiz_after: float | None = None
    rmse: float | None = None
    if entry_i is not None:
        entry_time_s = round(samples[entry_i].t_s - samples[main_idx[0]].t_s, 3)
        after = [i for i in main_idx if i >= entry_i]
        dur_after = sum(durations[i] for i in after)
        in_after = sum(durations[i] for i in after if _in_zone(samples[i]))
        tiz_after = round(100.0 * in_after / dur_after, 2) if dur_after > 0 else None
        errs = [
            (h - samples[i].target_bpm) ** 2
            for i in after
            if (h := _trusted_hr(samples[i])) is not None
        ]
        rmse = round(math.sqrt(statistics.fmean(errs)), 3) if errs else None

    exercise = [i for i, s in enumerate(samples) if s.phase in _PHASES]
    ex_hrs = [h for i in exercise if (h := _trusted_hr(samples[i])) is not None]
    moderate_s = sum(
        durations[i]
        for i, s in enumerate(samples)
        if (h := _trusted_hr(s)) is not None and h >= s.zone_low_bpm
    )
    untrusted_s = sum(durations[i] for i in exercise if _trusted_hr(samples[i]) is None)
    above_s = 0.0
    if ceiling_bpm is not None:
        above_s = sum(
            durations[i]
            for i, s in enumerate(samples)
            if (h := _trusted_hr(s)) is not None and h > ceiling_bpm
        )
    distances = [s.distance_m for s in samples if s.distance_m is not None]
    speeds_cmd = [s.speed_cmd_kmh for s in samples if s.speed_cmd_kmh is not None]
    main_targets = [samples[i].target_bpm for i in main_idx]

    alarm_kinds: set[str] = set()
    n_alarms = 0
    rpe: list[tuple[float, int]] = []
    feeling: list[tuple[float, int]] = []
    overrides = 0
    notes: list[tuple[float, str]] = []
    override_log: list[dict[str, Any]] = []
    advisory = False
    for ev in events:
        if ev.kind == "alarm" and ev.data.get("stage", "raised") == "raised":
            n_alarms += 1
            alarm_kinds.add(str(ev.data.get("alarm_kind", "")))
        elif ev.kind in ("rpe", "feeling"):
            value = _rating(ev)
            if value is not None:
                (rpe if ev.kind == "rpe" else feeling).append((ev.t_s, value))
        elif ev.kind == "override":
            overrides += 1
            override_log.append(_override_entry(ev))
        elif ev.kind == "annotation":
            text = str(ev.data.get("text", ev.message)).strip()
            if text:
                notes.append((ev.t_s, text))
        elif ev.kind == "controller" and ev.data.get("action") == "advisory":
            advisory = True

    zone_src = samples[main_idx[0]] if main_idx else (samples[0] if samples else None)
    return SessionSummary(
        status=status,
        duration_s=round(samples[-1].t_s - samples[0].t_s + durations[-1], 3) if samples else 0.0,
        phases=phases,
        minutes_moderate=round(moderate_s / 60.0, 2),
        time_in_zone_pct_after_entry=tiz_after,
        entry_time_s=entry_time_s,
        rmse_bpm=rmse,
        avg_hr_bpm=round(statistics.fmean(ex_hrs), 2) if ex_hrs else None,
        max_hr_bpm=_confirmed_max_hr(samples),
        distance_m=round(max(distances) - min(distances), 1) if distances else 0.0,
        alarms=n_alarms,
        alarm_kinds=sorted(alarm_kinds),
        rpe=rpe,
        feeling=feeling,
        overrides=overrides,
        notes=notes,
        override_log=override_log,
        advisory=advisory,
        time_above_ceiling_s=round(above_s, 3),
        hr_untrusted_s=round(untrusted_s, 3),
        target_bpm=statistics.median(main_targets) if main_targets else None,
        zone_low_bpm=zone_src.zone_low_bpm if zone_src else None,
        zone_high_bpm=zone_src.zone_high_bpm if zone_src else None,
        max_speed_kmh=max(speeds_cmd) if speeds_cmd else None,
        minutes_in_zone=round(sum(p.time_in_zone_s for p in phases.values()) / 60.0, 2),
    )
