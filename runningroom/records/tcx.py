"""TCX (Garmin Training Center XML v2) export of a recorded session.

One ``Activity`` (Sport ``Running``; TCX has no walking sport, so walks are ``Other``)
with one ``Lap`` per phase and one ``Trackpoint`` per second carrying time, distance,
heart rate and (in the ActivityExtension v2 ``TPX`` element) speed in m/s. Element
order follows the TCX v2 schema, which importers check.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from datetime import timedelta

from runningroom.records.fit import (
    SPORT_RUNNING,
    hr_of,
    phase_segments,
    segment_stats,
    speed_ms_of,
    sport_of,
)
from runningroom.records.store import SessionData, iso_utc

logger = logging.getLogger(__name__)

TCX_NS = "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
TPX_NS = "http://www.garmin.com/xmlschemas/ActivityExtension/v2"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = (
    f"{TCX_NS} http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd"
)


def _t(tag: str) -> str:
    return f"{{{TCX_NS}}}{tag}"


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, _t(tag))
    if text is not None:
        el.text = text
    return el


def _num(value: float, decimals: int = 2) -> str:
    return f"{value:.{decimals}f}"


def encode_tcx(data: SessionData) -> bytes:
    """Encode a session as a TCX document (UTF-8 bytes with XML declaration).

    Raises:
        ValueError: the session has no samples.
    """
    if not data.samples:
        raise ValueError(f"session {data.meta.session_id} has no samples")
    ET.register_namespace("", TCX_NS)
    ET.register_namespace("tpx", TPX_NS)
    ET.register_namespace("xsi", XSI_NS)
    root = ET.Element(_t("TrainingCenterDatabase"), {f"{{{XSI_NS}}}schemaLocation":
                                                     SCHEMA_LOCATION})
    activities = _sub(root, "Activities")
    sport, _ = sport_of(data)
    activity = _sub(activities, "Activity")
    activity.set("Sport", "Running" if sport == SPORT_RUNNING else "Other")
    start = data.meta.started_at
    _sub(activity, "Id", iso_utc(start))
    segments = phase_segments(data)
    for index, seg in enumerate(segments):
        st = segment_stats(data, seg.first, seg.last)
        lap = _sub(activity, "Lap")
        lap.set("StartTime", iso_utc(start + timedelta(seconds=st["start_t_s"] or 0.0)))
        _sub(lap, "TotalTimeSeconds", _num(st["elapsed_s"] or 0.0, 1))
        _sub(lap, "DistanceMeters", _num(st["distance_m"] or 0.0, 1))
        if st["max_speed_ms"] is not None:
            _sub(lap, "MaximumSpeed", _num(st["max_speed_ms"], 3))
        _sub(lap, "Calories", "0")
        if st["avg_hr"] is not None and st["max_hr"] is not None:
            _sub(_sub(lap, "AverageHeartRateBpm"), "Value", str(round(st["avg_hr"])))
            _sub(_sub(lap, "MaximumHeartRateBpm"), "Value", str(round(st["max_hr"])))
        _sub(lap, "Intensity", "Active" if seg.phase in ("warmup", "main", "cooldown")
             else "Resting")
        _sub(lap, "TriggerMethod", "Manual" if index == len(segments) - 1 else "Time")
        track = _sub(lap, "Track")
        last_second = None
        for i in range(seg.first, seg.last + 1):
            s = data.samples[i]
            second = round(s.t_s)
            if second == last_second:
                continue
            last_second = second
            point = _sub(track, "Trackpoint")
            _sub(point, "Time", iso_utc(start + timedelta(seconds=second)))
            if s.distance_m is not None:
                _sub(point, "DistanceMeters", _num(s.distance_m, 2))
            hr = hr_of(data, i)
            if hr is not None:
                _sub(_sub(point, "HeartRateBpm"), "Value", str(hr))
            speed = speed_ms_of(data, i)
            if speed is not None:
                ext = _sub(point, "Extensions")
                tpx = ET.SubElement(ext, f"{{{TPX_NS}}}TPX")
                ET.SubElement(tpx, f"{{{TPX_NS}}}Speed").text = _num(speed, 3)
    creator = _sub(activity, "Creator")
    creator.set(f"{{{XSI_NS}}}type", "Device_t")
    _sub(creator, "Name", "RunningRoom")
    _sub(creator, "UnitId", "0")
    _sub(creator, "ProductID", "1")
    version = _sub(creator, "Version")
    _sub(version, "VersionMajor", "0")
    _sub(version, "VersionMinor", "1")
    out: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    logger.debug("TCX for session %s: %d bytes", data.meta.session_id, len(out))
    return out
