"""CSV export: per-session samples (one row per second), events and RR intervals, and a summary.

Two dialects (:class:`CsvDialect`):

* ``standard`` (format ``csv``): comma separators, ISO 8601 UTC times, dot decimals,
  booleans ``true``/``false``; for analysis tools and English spreadsheets.
* ``excel-nl`` (format ``csv-excel-nl``): what a spreadsheet with Dutch regional
  settings opens without an import wizard: ``;`` separators, decimal commas, local
  time as ``dd-mm-yyyy HH:MM:SS`` (the computer's time zone), booleans ``ja``/``nee``.
  The file names end in ``_excel-nl.csv``.

Both have a header row, empty cells for missing values and UTF-8 with a byte-order
mark (so spreadsheet programs detect the encoding). RR intervals are in their own
file, one row per interval (``session_id``, time, ``t_s``, ``rr_ms``). The summary row
holds the headline numbers and the session's notes: RPE and Feeling entries, the
therapist's annotations and, when recorded, the therapist's name and conclusion.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runningroom.records.files import private_file, safe_code
from runningroom.records.history import HistoryRow
from runningroom.records.session_notes import patient_details, session_notes, signed
from runningroom.records.store import SessionData

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

RR_COLUMNS = ("session_id", "time_utc", "t_s", "rr_ms")

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
    "beta_blocker",
    "rpe_entries",
    "feeling_entries",
    "notes",
    "therapist_name",
    "conclusion",
    "session_rpe",
)


@dataclass(frozen=True, slots=True)
class CsvDialect:
    """How the CSV files spell separators, numbers, times and booleans.

    Attributes:
        name: ``standard`` or ``excel-nl``.
        delimiter: cell separator.
        decimal: decimal separator of numbers.
        local_time: times in the computer's local time (``dd-mm-yyyy HH:MM:SS``)
            instead of ISO 8601 UTC; the time columns are then named ``*_local``.
        true_word: a true boolean.
        false_word: a false boolean.
        file_suffix: appended to every file name stem.
    """

    name: str
    delimiter: str
    decimal: str
    local_time: bool
    true_word: str
    false_word: str
    file_suffix: str

    def columns(self, columns: Sequence[str]) -> list[str]:
        """The header row: UTC time columns renamed for local time."""
        if not self.local_time:
            return list(columns)
        return [c.replace("_utc", "_local") for c in columns]

    def boolean(self, value: bool) -> str:
        """A boolean as a word."""
        return self.true_word if value else self.false_word

    def number(self, text: str) -> str:
        """A number formatted with a dot, with this dialect's decimal separator."""
        return text if self.decimal == "." else text.replace(".", self.decimal)

    def time(self, epoch_s: float) -> str:
        """A Unix time as this dialect writes it (whole seconds)."""
        return local_text(epoch_s) if self.local_time else utc_text(epoch_s)


#: Comma separators, dot decimals, ISO 8601 UTC, ``true``/``false``.
STANDARD = CsvDialect("standard", ",", ".", False, "true", "false", "")
#: Spreadsheets with Dutch regional settings: ``;``, decimal comma, local time, ``ja``/``nee``.
EXCEL_NL = CsvDialect("excel-nl", ";", ",", True, "ja", "nee", "_excel-nl")
#: Dialects by name.
DIALECTS = {d.name: d for d in (STANDARD, EXCEL_NL)}


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


def local_text(epoch_s: float) -> str:
    """``dd-mm-yyyy HH:MM:SS`` in the computer's local time (whole seconds)."""
    return time.strftime("%d-%m-%Y %H:%M:%S", time.localtime(round(epoch_s)))


def elapsed_text(t_s: float) -> str:
    """Session time marked as elapsed: ``+12:30`` (``+1:02:03`` from an hour)."""
    total = max(0, round(t_s))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"+{hours}:{minutes:02d}:{seconds:02d}" if hours else f"+{minutes}:{seconds:02d}"


def one_per_second(data: SessionData) -> list[int]:
    """Indexes of the samples to export: the last sample of every whole second."""
    chosen: dict[int, int] = {}
    for i, s in enumerate(data.samples):
        chosen[math.floor(s.t_s)] = i
    return [chosen[k] for k in sorted(chosen)]


#: Columns of the samples file that hold text (every other one but the time is a number).
_SAMPLE_TEXT_COLUMNS = frozenset((0, 2, 5))


def _t_text(t_s: float) -> str:
    return str(int(t_s)) if t_s == int(t_s) else f"{t_s:.3f}"


def sample_rows(data: SessionData, dialect: CsvDialect = STANDARD) -> Iterable[list[str]]:
    """Rows (without header) of a session's samples CSV.

    Sample values use fixed decimals (HR 0.01 bpm, speed 0.01 km/h, incline 0.1 %,
    distance 0.01 m) and are formatted inline: this is the hot loop of large exports.
    """
    start_epoch_s = data.meta.started_at.timestamp()
    stamp = local_text if dialect.local_time else utc_text
    comma = dialect.decimal != "."
    numeric = [i for i in range(len(SAMPLE_COLUMNS)) if i not in _SAMPLE_TEXT_COLUMNS]
    for i in one_per_second(data):
        s = data.samples[i]
        hr_raw, hr_f = s.hr_raw_bpm, s.hr_filtered_bpm
        sc, sm = s.speed_cmd_kmh, s.speed_meas_kmh
        ic, im, d = s.incline_cmd_pct, s.incline_meas_pct, s.distance_m
        t_s = s.t_s
        row = [
            stamp(start_epoch_s + t_s),
            _t_text(t_s),
            csv_text(s.phase),
            "" if hr_raw is None else str(hr_raw),
            "" if hr_f is None else f"{hr_f:.2f}",
            csv_text(s.hr_quality),
            f"{s.target_bpm:.1f}",
            f"{s.zone_low_bpm:.1f}",
            f"{s.zone_high_bpm:.1f}",
            "" if sc is None else f"{sc:.2f}",
            "" if sm is None else f"{sm:.2f}",
            "" if ic is None else f"{ic:.1f}",
            "" if im is None else f"{im:.1f}",
            "" if d is None else f"{d:.2f}",
        ]
        if comma:
            for k in numeric:
                row[k] = row[k].replace(".", dialect.decimal)
        yield row


def rr_rows(data: SessionData, dialect: CsvDialect = STANDARD) -> Iterable[list[str]]:
    """Rows (without header) of the RR-interval file: one row per interval, every sample.

    The time is that of the sample that brought the interval (the strap reports the
    intervals of the beats since its previous notification).
    """
    start_epoch_s = data.meta.started_at.timestamp()
    sid = str(data.meta.session_id)
    stamp = local_text if dialect.local_time else utc_text
    decimal = dialect.decimal
    for s in data.samples:
        if not s.rr_ms:
            continue
        when = stamp(start_epoch_s + s.t_s)
        t_text = _t_text(s.t_s)
        if decimal == ".":
            for rr in s.rr_ms:
                yield [sid, when, t_text, f"{rr:.1f}"]
        else:
            t_text = t_text.replace(".", decimal)
            for rr in s.rr_ms:
                yield [sid, when, t_text, f"{rr:.1f}".replace(".", decimal)]


def _phase_pct(summary: dict[str, Any], phase: str) -> float | None:
    phases = summary.get("phases")
    if isinstance(phases, dict) and isinstance(phases.get(phase), dict):
        value = phases[phase].get("time_in_zone_pct")
        if isinstance(value, (int, float)):
            return float(value)
    return None


def _zone_bpm(p: dict[str, Any], key: str) -> float | None:
    value = p.get(key)
    return float(value) if isinstance(value, (int, float)) else None


def _entries(items: Iterable[tuple[float, str]]) -> str:
    """``[+25:00] 12; [+44:59] 13``: timed entries in one cell."""
    return "; ".join(f"[{elapsed_text(t_s)}] {text}" for t_s, text in items)


def summary_row(data: SessionData, row: HistoryRow, dialect: CsvDialect = STANDARD) -> list[str]:
    """One row of the session summary CSV (columns :data:`SUMMARY_COLUMNS`)."""
    meta = data.meta
    p = meta.prescription
    notes = session_notes(data)
    details = patient_details(data)
    num = dialect.number
    return [
        csv_text(meta.patient_code),
        str(meta.session_id),
        dialect.time(meta.started_at.timestamp()),
        csv_text(meta.status),
        dialect.boolean(meta.supervised),
        csv_text(meta.template_name),
        num(fmt_num(row.duration_s / 60.0, 2)),
        num(fmt_num(row.minutes_in_zone, 2)),
        num(fmt_num(row.minutes_moderate, 2)),
        num(fmt_num(row.avg_hr_bpm, 1)),
        num(fmt_num(row.max_hr_bpm, 1)),
        num(fmt_num(row.distance_m, 1)),
        num(fmt_num(row.rpe, 1)),
        num(fmt_num(row.feeling, 1)),
        str(row.alarms),
        str(row.overrides),
        num(fmt_num(_phase_pct(meta.summary, "warmup"), 1)),
        num(fmt_num(_phase_pct(meta.summary, "main"), 1)),
        num(fmt_num(_phase_pct(meta.summary, "cooldown"), 1)),
        num(fmt_num(_zone_bpm(p, "zone_low_bpm"), 1)),
        num(fmt_num(_zone_bpm(p, "zone_high_bpm"), 1)),
        csv_text(p.get("zone_source", "")),
        "" if details.beta_blocker is None else dialect.boolean(details.beta_blocker),
        csv_text(_entries((r.t_s, str(r.value)) for r in notes.rpe)),
        csv_text(_entries((r.t_s, signed(r.value)) for r in notes.feeling)),
        csv_text(" | ".join(f"[{elapsed_text(n.t_s)}] {n.text}" for n in notes.annotations)),
        csv_text(notes.therapist_name),
        csv_text(notes.conclusion),
        "" if notes.session_rpe is None else str(notes.session_rpe),
    ]


def session_base_name(data: SessionData) -> str:
    """File name stem shared by a session's exports, e.g. ``DEMO-001_s12_20260105``."""
    day = data.meta.started_at.strftime("%Y%m%dT%H%M")
    return f"{safe_code(data.meta.patient_code)}_s{data.meta.session_id}_{day}"


def _writer(fh: Any, dialect: CsvDialect) -> Any:
    return csv.writer(fh, delimiter=dialect.delimiter, lineterminator="\r\n")


def write_samples_csv(data: SessionData, out_dir: Path,
                      dialect: CsvDialect = STANDARD) -> Path:
    """Write ``<base>_samples<suffix>.csv``; returns its path."""
    path = out_dir / f"{session_base_name(data)}_samples{dialect.file_suffix}.csv"
    with private_file(path, "w", encoding=CSV_ENCODING, newline="") as fh:
        writer = _writer(fh, dialect)
        writer.writerow(dialect.columns(SAMPLE_COLUMNS))
        writer.writerows(sample_rows(data, dialect))
    return path


def write_rr_csv(data: SessionData, out_dir: Path, dialect: CsvDialect = STANDARD) -> Path:
    """Write ``<base>_rr<suffix>.csv`` (one row per RR interval); returns its path."""
    path = out_dir / f"{session_base_name(data)}_rr{dialect.file_suffix}.csv"
    with private_file(path, "w", encoding=CSV_ENCODING, newline="") as fh:
        writer = _writer(fh, dialect)
        writer.writerow(dialect.columns(RR_COLUMNS))
        writer.writerows(rr_rows(data, dialect))
    return path


def write_events_csv(data: SessionData, out_dir: Path,
                     dialect: CsvDialect = STANDARD) -> Path:
    """Write ``<base>_events<suffix>.csv``; returns its path."""
    path = out_dir / f"{session_base_name(data)}_events{dialect.file_suffix}.csv"
    start_epoch_s = data.meta.started_at.timestamp()
    with private_file(path, "w", encoding=CSV_ENCODING, newline="") as fh:
        writer = _writer(fh, dialect)
        writer.writerow(dialect.columns(EVENT_COLUMNS))
        for e in data.events:
            writer.writerow(
                [dialect.time(start_epoch_s + e.t_s), dialect.number(fmt_num(e.t_s, 3)),
                 csv_text(e.kind), csv_text(e.cause), csv_text(e.message)]
            )
    return path


def summary_file_name(stem: str, dialect: CsvDialect = STANDARD) -> str:
    """``<stem>_sessions_summary<suffix>.csv``."""
    return f"{stem}_sessions_summary{dialect.file_suffix}.csv"


def write_summary_csv(items: Sequence[tuple[SessionData, HistoryRow]], path: Path, *,
                      include_name: bool = False, dialect: CsvDialect = STANDARD) -> Path:
    """Write the session summary file (one row per session); returns its path.

    A ``display_name`` column follows ``patient_code`` only when ``include_name`` is set.
    The items need the session's events (notes, ratings), not its samples.
    """
    with private_file(path, "w", encoding=CSV_ENCODING, newline="") as fh:
        writer = _writer(fh, dialect)
        header = dialect.columns(SUMMARY_COLUMNS)
        if include_name:
            header.insert(1, "display_name")
        writer.writerow(header)
        for data, row in items:
            cells = summary_row(data, row, dialect)
            if include_name:
                name = data.meta.profile.get("display_name")
                cells.insert(1, csv_text(name) if isinstance(name, str) else "")
            writer.writerow(cells)
    logger.debug("wrote %s (%d sessions)", path, len(items))
    return path
