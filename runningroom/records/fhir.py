"""FHIR R4 export: a ``collection`` Bundle per session.

Contents:

* ``Patient`` with the pseudonymous patient code as its only identifier (a name is
  added only when explicitly requested);
* ``Observation`` heart rate, LOINC 8867-4, category vital-signs, as a
  ``SampledData`` series (one value per second, ``E`` where HR was not trusted;
  left out for a session without samples);
* ``Observation`` exercise duration, LOINC 55411-3, in minutes;
* ``Observation`` minutes in the target HR zone (local code, no LOINC code exists),
  with the zone edges and the minutes at moderate intensity as components.

Resource ids are UUIDs derived from the patient code and session id, so exporting
the same session twice gives the same ids. The JSON is plain (no FHIR library at run
time); the tests validate it with the ``fhir.resources`` R4B models.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from runningroom.records.files import write_text_private
from runningroom.records.history import HistoryRow
from runningroom.records.store import SessionData, iso_utc

logger = logging.getLogger(__name__)

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
#: Identifier system of the pseudonymous patient codes.
PATIENT_CODE_SYSTEM = "urn:runningroom:patient-code"
#: Local code system for measures without a LOINC code.
LOCAL_CODES = "urn:runningroom:codes"
_NAMESPACE = uuid.UUID("6f1c3a4e-2b0d-4c55-9a57-2f3f1e0c8a11")

HR_LOINC = "8867-4"
EXERCISE_DURATION_LOINC = "55411-3"


def _uuid(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(str(p) for p in parts)))


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": OBS_CATEGORY, "code": code, "display": display}]}]


def _minutes(value: float) -> dict[str, Any]:
    return {"value": round(value, 2), "unit": "min", "system": UCUM, "code": "min"}


def _bpm(value: float) -> dict[str, Any]:
    return {"value": round(value, 1), "unit": "/min", "system": UCUM, "code": "/min"}


def hr_series(data: SessionData) -> tuple[str, int]:
    """The SampledData ``data`` string (1 Hz, ``E`` = no trusted value) and its length."""
    by_second: dict[int, str] = {}
    for s in data.samples:
        second = round(s.t_s)
        if second in by_second:
            continue
        value: float | None = None
        if s.hr_quality in ("ok", "low_quality_source"):
            value = float(s.hr_raw_bpm) if s.hr_raw_bpm else s.hr_filtered_bpm
        by_second[second] = "E" if value is None else f"{value:g}"
    if not by_second:
        return "", 0
    last = max(by_second)
    first = min(0, min(by_second))
    values = [by_second.get(k, "E") for k in range(first, last + 1)]
    return " ".join(values), len(values)


def session_bundle(data: SessionData, row: HistoryRow, *, include_name: bool = False,
                   now: datetime | None = None) -> dict[str, Any]:
    """Build the Bundle (as a JSON-ready dict) of one session."""
    meta = data.meta
    code = meta.patient_code
    patient_id = _uuid(code, "patient")
    patient_ref = {"reference": f"urn:uuid:{patient_id}"}
    start = meta.started_at
    end = start + timedelta(seconds=row.duration_s)
    period = {"start": iso_utc(start), "end": iso_utc(end)}
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": patient_id,
        "identifier": [{"system": PATIENT_CODE_SYSTEM, "value": code}],
    }
    name = meta.profile.get("display_name")
    if include_name and isinstance(name, str) and name:
        patient["name"] = [{"text": name}]

    series, n = hr_series(data)
    sid = meta.session_id
    hr_obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _uuid(code, sid, "hr"),
        "status": "final",
        "category": _category("vital-signs", "Vital Signs"),
        "code": {"coding": [{"system": LOINC, "code": HR_LOINC, "display": "Heart rate"}],
                 "text": "Heart rate during treadmill session"},
        "subject": patient_ref,
        "effectivePeriod": period,
        "valueSampledData": {
            "origin": {"value": 0, "unit": "/min", "system": UCUM, "code": "/min"},
            "period": 1000,
            "factor": 1,
            "lowerLimit": 30,
            "upperLimit": 230,
            "dimensions": 1,
            "data": series,
        },
        "note": [{"text": f"{n} values at 1 s intervals from {iso_utc(start)}; E = no trusted "
                          "value"}],
    }
    duration_obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _uuid(code, sid, "duration"),
        "status": "final",
        "category": _category("activity", "Activity"),
        "code": {"coding": [{"system": LOINC, "code": EXERCISE_DURATION_LOINC,
                             "display": "Exercise duration"}],
                 "text": "Exercise duration"},
        "subject": patient_ref,
        "effectivePeriod": period,
        "valueQuantity": _minutes(row.duration_s / 60.0),
    }
    components: list[dict[str, Any]] = [
        {
            "code": {"coding": [{"system": LOCAL_CODES, "code": "minutes-moderate",
                                 "display": "Minutes at moderate intensity"}]},
            "valueQuantity": _minutes(row.minutes_moderate),
        }
    ]
    for key, label in (("zone_low_bpm", "Target zone lower edge"),
                       ("zone_high_bpm", "Target zone upper edge")):
        value = meta.prescription.get(key)
        if isinstance(value, (int, float)):
            components.append({
                "code": {"coding": [{"system": LOCAL_CODES, "code": key.replace("_", "-"),
                                     "display": label}]},
                "valueQuantity": _bpm(float(value)),
            })
    zone_obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _uuid(code, sid, "zone"),
        "status": "final",
        "category": _category("activity", "Activity"),
        "code": {"coding": [{"system": LOCAL_CODES, "code": "minutes-in-hr-zone",
                             "display": "Minutes in target heart rate zone"}],
                 "text": "Minutes in target heart rate zone"},
        "subject": patient_ref,
        "effectivePeriod": period,
        "valueQuantity": _minutes(row.minutes_in_zone),
        "component": components,
    }
    zone_source = meta.prescription.get("zone_source")
    if isinstance(zone_source, str) and zone_source:
        zone_obs["note"] = [{"text": f"Zone: {zone_source}"}]
    resources = [patient, hr_obs, duration_obs, zone_obs] if n else [patient, duration_obs,
                                                                      zone_obs]
    return {
        "resourceType": "Bundle",
        "id": _uuid(code, sid, "bundle"),
        "type": "collection",
        "timestamp": iso_utc(now or datetime.now(UTC)),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


def write_session_bundle(data: SessionData, row: HistoryRow, path: Path, *,
                         include_name: bool = False) -> Path:
    """Write one session's FHIR Bundle as JSON (owner-only); returns the path."""
    bundle = session_bundle(data, row, include_name=include_name)
    write_text_private(path, json.dumps(bundle, ensure_ascii=False, indent=1) + "\n")
    logger.debug("FHIR bundle for session %s written to %s", data.meta.session_id, path)
    return path
