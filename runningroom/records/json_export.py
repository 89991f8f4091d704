"""JSON export: the full record of a session with a schema version.

Document layout (``schema_version`` 1)::

    {"schema": "runningroom.session", "schema_version": 1, "exported_at": "...Z",
     "pseudonymised": true,
     "session": {"session_id", "patient_code", "station", "started_at", "ended_at",
                 "status", "supervised"},
     "profile": {...}, "template": {...}, "prescription": {...}, "devices": {...},
     "summary": {...},
     "samples": [{"t_s", "time_utc", "phase", "hr_raw_bpm", ..., "distance_m"}, ...],
     "events": [{"t_s", "time_utc", "kind", "cause", "message", "data"}, ...]}

The profile snapshot has no display name unless it was explicitly included.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from runningroom.recording.model import SampleRecord
from runningroom.records.csv_export import utc_text
from runningroom.records.files import pseudonymised_profile, write_text_private
from runningroom.records.store import SessionData, iso_utc

JSON_SCHEMA = "runningroom.session"
JSON_SCHEMA_VERSION = 1
_SAMPLE_FIELDS = tuple(f.name for f in fields(SampleRecord))


def session_document(data: SessionData, *, include_name: bool = False,
                     exported_at: datetime | None = None) -> dict[str, Any]:
    """The JSON-ready document of one session (see the module docstring)."""
    meta = data.meta
    start = meta.started_at
    start_epoch_s = start.timestamp()
    samples = []
    for s in data.samples:
        row = {name: getattr(s, name) for name in _SAMPLE_FIELDS}
        row["rr_ms"] = list(s.rr_ms)
        row["time_utc"] = utc_text(start_epoch_s + s.t_s)
        samples.append(row)
    events = [
        {
            "t_s": e.t_s,
            "time_utc": iso_utc(start + timedelta(seconds=e.t_s)),
            "kind": e.kind,
            "cause": e.cause,
            "message": e.message,
            "data": e.data,
        }
        for e in data.events
    ]
    return {
        "schema": JSON_SCHEMA,
        "schema_version": JSON_SCHEMA_VERSION,
        "exported_at": iso_utc(exported_at or datetime.now(UTC)),
        "pseudonymised": not include_name,
        "session": {
            "session_id": meta.session_id,
            "patient_code": meta.patient_code,
            "station": meta.station,
            "started_at": iso_utc(meta.started_at),
            "ended_at": iso_utc(meta.ended_at) if meta.ended_at else None,
            "status": meta.status,
            "supervised": meta.supervised,
            "duration_s": data.duration_s,
        },
        "profile": pseudonymised_profile(meta.profile, include_name),
        "template": meta.template,
        "prescription": meta.prescription,
        "devices": meta.devices,
        "summary": meta.summary,
        "samples": samples,
        "events": events,
    }


def write_session_json(data: SessionData, path: Path, *, include_name: bool = False) -> Path:
    """Write one session's JSON document to ``path`` (owner-only); returns the path."""
    doc = session_document(data, include_name=include_name)
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return write_text_private(path, text + "\n")
