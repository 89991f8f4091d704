"""CSV export: per-session samples (one row per second), events, and a summary file.

The files open in a spreadsheet without fixing anything by hand: a header row,
comma separators, ISO 8601 UTC times, dot decimals, empty cells for missing values,
UTF-8 with a byte-order mark (so spreadsheet programs detect the encoding).

Text cells (event messages and annotations, names, codes, labels) that start with a
character a spreadsheet reads as the start of a formula (``=``, ``+``, ``-``, ``@``,
tab, carriage return, or their full-width forms) get a leading single quote, so they
show as text and never run as formulas (OWASP "CSV injection"). Number cells are
written by this module itself and stay plain numbers (``-1.5`` is still a number).
"""

from __future__ import annotations

import csv
import logging
import math
import time
from collections.abc import Iterable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from runningroom.records.files import private_file, safe_code
from runningroom.records.history import HistoryRow
from runningroom.records.store import SessionData, iso_utc

logger = logging.getLogger(__name__)

#: Encoding of every CSV file (UTF-8 with BOM).
CSV_ENCODING = "utf-8-sig"

SAMPLE_COLUMNS = (
    "time_utc",
    "t_s",
    "phase",
    "hr_raw_bpm",
    "hr_filtered_bpm",
    "hr_quality",
    "rr_ms",
    "target_bpm",
    "zone_low_bpm",
    "zone_high_bpm",
    "speed_cmd_kmh",
    "speed_meas_kmh",
    "incline_cmd_pct",
    "incline_meas_pct",
    "distance_m",
)

EVENT_COLUMNS = ("time_utc", "t_s", "kind", "cause", "message")

SUMMARY_COLUMNS = (
    "patient_code",
    "session_id",
    "started_utc",
    "status",
    "supervised",
    "template",
    "duration_min",
    "minutes_in_zone",
    "minutes_moderate",
    "avg_hr_bpm",
    "max_hr_bpm",
    "distance_m",
    "rpe",
    "feeling",
    "alarms",
    "overrides",
    "warmup_time_in_zone_pct",
    "main_time_in_zone_pct",
    "cooldown_time_in_zone_pct",
    "zone_low_bpm",
    "zone_high_bpm",
    "zone_source",
)


#: First characters that make a spreadsheet read a cell as a formula (OWASP), plus the
#: full-width forms some spreadsheet programs also accept.
FORMULA_START = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def csv_text(value: object) -> str:
    """A free-text CSV cell that a spreadsheet shows as text, never runs as a formula.

    ``None`` gives an empty cell. Text starting with ``=``, ``+``, ``-``, ``@``, tab or
    carriage return (or a full-width ``=+-@``) is prefixed with a single quote; any other
    text is returned unchanged. Use it for text only: numbers go through :func:`fmt_num`.
    """
    text = "" if value is None else str(value)
    if text[:1] in FORMULA_START:
        return "'" + text
    return text


_FORMATTERS = {d: f"{{:.{d}f}}".format for d in range(7)}


def fmt_num(value: float | int | None, decimals: int = 2) -> str:
    """Format a number with a dot decimal point and no thousands separator ("" for None).

    Floats are rounded to ``decimals`` places without trailing zeros (``45.0`` ->
    ``45``); NaN and infinities give an empty cell.
    """
    if value is None:
        return ""
    cls = value.__class__
    if cls is float:
        if value - value != 0.0:  # NaN or infinite
            return ""
        text: str = _FORMATTERS[decimals](value)
        if decimals:
            text = text.rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    if cls is bool:
        return "1" if value else "0"
    if cls is int:
        return str(value)
    return fmt_num(float(value), decimals)


def utc_text(epoch_s: float) -> str:
    """ISO 8601 UTC text of a Unix time (whole seconds, ``Z`` suffix)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(round(epoch_s)))


def one_per_second(data: SessionData) -> list[int]:
    """Indexes of the samples to export: the last sample of every whole second."""
    chosen: dict[int, int] = {}
    for i, s in enumerate(data.samples):
        chosen[math.floor(s.t_s)] = i
    return [chosen[k] for k in sorted(chosen)]


def sample_rows(data: SessionData) -> Iterable[list[str]]:
    """Rows (without header) of a session's samples CSV.

    Sample values use fixed decimals (HR 0.01 bpm, speed 0.01 km/h, incline 0.1 %,
    distance 0.01 m) and are formatted inline: this is the hot loop of large exports.
    """
    start_epoch_s = data.meta.started_at.timestamp()
    for i in one_per_second(data):
        s = data.samples[i]
        hr_raw, hr_f = s.hr_raw_bpm, s.hr_filtered_bpm
        sc, sm = s.speed_cmd_kmh, s.speed_meas_kmh
        ic, im, d = s.incline_cmd_pct, s.incline_meas_pct, s.distance_m
        t_s = s.t_s
        yield [
            utc_text(start_epoch_s + t_s),
            str(int(t_s)) if t_s == int(t_s) else f"{t_s:.3f}",
            csv_text(s.phase),
            "" if hr_raw is None else str(hr_raw),
            "" if hr_f is None else f"{hr_f:.2f}",
            csv_text(s.hr_quality),
            " ".join(f"{v:.1f}" for v in s.rr_ms),
            f"{s.target_bpm:.1f}",
            f"{s.zone_low_bpm:.1f}",
            f"{s.zone_high_bpm:.1f}",
            "" if sc is None else f"{sc:.2f}",
            "" if sm is None else f"{sm:.2f}",
            "" if ic is None else f"{ic:.1f}",
            "" if im is None else f"{im:.1f}",
            "" if d is None else f"{d:.2f}",
        ]


def _phase_pct(summary: dict[str, Any], phase: str) -> float | None:
    phases = summary.get("phases")
    if isinstance(phases, dict) and isinstance(phases.get(phase), dict):
        value = phases[phase].get("time_in_zone_pct")
        if isinstance(value, (int, float)):
            return float(value)
    return None


def summary_row(data: SessionData, row: HistoryRow) -> list[str]:
    """One row of the session summary CSV."""
    meta = data.meta
    p = meta.prescription
    return [
        csv_text(meta.patient_code),
        str(meta.session_id),
        iso_utc(meta.started_at),
        csv_text(meta.status),
        "1" if meta.supervised else "0",
        csv_text(meta.template_name),
        fmt_num(row.duration_s / 60.0, 2),
        fmt_num(row.minutes_in_zone, 2),
        fmt_num(row.minutes_moderate, 2),
        fmt_num(row.avg_hr_bpm, 1),
        fmt_num(row.max_hr_bpm, 1),
        fmt_num(row.distance_m, 1),
        fmt_num(row.rpe, 1),
        fmt_num(row.feeling, 1),
        str(row.alarms),
        str(row.overrides),
        fmt_num(_phase_pct(meta.summary, "warmup"), 1),
        fmt_num(_phase_pct(meta.summary, "main"), 1),
        fmt_num(_phase_pct(meta.summary, "cooldown"), 1),
        fmt_num(p.get("zone_low_bpm") if isinstance(p.get("zone_low_bpm"), (int, float)) else None,
                1),
        fmt_num(p.get("zone_high_bpm") if isinstance(p.get("zone_high_bpm"), (int, float))
                else None, 1),
        csv_text(p.get("zone_source", "")),
    ]


def session_base_name(data: SessionData) -> str:
    """File name stem shared by a session's exports, e.g. ``DEMO-001_s12_20260105``."""
    day = data.meta.started_at.strftime("%Y%m%dT%H%M")
    return f"{safe_code(data.meta.patient_code)}_s{data.meta.session_id}_{day}"


def write_samples_csv(data: SessionData, out_dir: Path) -> Path:
    """Write ``<base>_samples.csv``; returns its path."""
    path = out_dir / f"{session_base_name(data)}_samples.csv"
    with private_file(path, "w", encoding=CSV_ENCODING, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(SAMPLE_COLUMNS)
        writer.writerows(sample_rows(data))
    return path


def write_events_csv(data: SessionData, out_dir: Path) -> Path:
    """Write ``<base>_events.csv``; returns its path."""
    path = out_dir / f"{session_base_name(data)}_events.csv"
    start = data.meta.started_at
    with private_file(path, "w", encoding=CSV_ENCODING, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(EVENT_COLUMNS)
        for e in data.events:
            writer.writerow(
                [iso_utc(start + timedelta(seconds=e.t_s)), fmt_num(e.t_s, 3), csv_text(e.kind),
                 csv_text(e.cause), csv_text(e.message)]
            )
    return path


def write_summary_csv(items: Sequence[tuple[SessionData, HistoryRow]], path: Path, *,
                      include_name: bool = False) -> Path:
    """Write the session summary file (one row per session); returns its path.

    A ``display_name`` column follows ``patient_code`` only when ``include_name`` is set.
    """
    with private_file(path, "w", encoding=CSV_ENCODING, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        header = list(SUMMARY_COLUMNS)
        if include_name:
            header.insert(1, "display_name")
        writer.writerow(header)
        for data, row in items:
            cells = summary_row(data, row)
            if include_name:
                name = data.meta.profile.get("display_name")
                cells.insert(1, csv_text(name) if isinstance(name, str) else "")
            writer.writerow(cells)
    logger.debug("wrote %s (%d sessions)", path, len(items))
    return path
