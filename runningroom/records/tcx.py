"""TCX (Garmin Training Center XML v2) export of a recorded session.

One ``Activity`` (Sport ``Running``; TCX has no walking sport, so walks are ``Other``)
with one ``Lap`` per phase and one ``Trackpoint`` per second carrying time, distance,
heart rate and (in the ActivityExtension v2 ``TPX`` element) speed in m/s. Element
order follows the TCX v2 schema, which importers check.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from runningroom.records.csv_export import utc_text
from runningroom.records.fit import (
    SPORT_RUNNING,
    activity_series,
    phase_segments,
    segment_stats,
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


def _num(value: float, decimals: int = 2) -> str:
    return f"{value:.{decimals}f}"


def encode_tcx(data: SessionData) -> bytes:
    """Encode a session as a TCX document (UTF-8 bytes with XML declaration).

    The document is written as text (every value is a number or a time, so nothing
    needs escaping); the tests parse it back with an XML parser.

    Raises:
        ValueError: the session has no samples.
    """
    if not data.samples:
        raise ValueError(f"session {data.meta.session_id} has no samples")
    sport, _ = sport_of(data)
    start = data.meta.started_at
    start_epoch_s = start.timestamp()
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<TrainingCenterDatabase xmlns="{TCX_NS}" xmlns:tpx="{TPX_NS}" '
        f'xmlns:xsi="{XSI_NS}" xsi:schemaLocation="{SCHEMA_LOCATION}">\n',
        "<Activities>\n",
        f'<Activity Sport="{"Running" if sport == SPORT_RUNNING else "Other"}">\n',
        f"<Id>{iso_utc(start)}</Id>\n",
    ]
    segments = phase_segments(data)
    series = activity_series(data)
    hr_series, speed_series = series
    for index, seg in enumerate(segments):
        st = segment_stats(data, seg.first, seg.last, series)
        lap_start = iso_utc(start + timedelta(seconds=st["start_t_s"] or 0.0))
        out.append(f'<Lap StartTime="{lap_start}">\n')
        out.append(f"<TotalTimeSeconds>{_num(st['elapsed_s'] or 0.0, 1)}</TotalTimeSeconds>\n")
        out.append(f"<DistanceMeters>{_num(st['distance_m'] or 0.0, 1)}</DistanceMeters>\n")
        if st["max_speed_ms"] is not None:
            out.append(f"<MaximumSpeed>{_num(st['max_speed_ms'], 3)}</MaximumSpeed>\n")
        out.append("<Calories>0</Calories>\n")
        if st["avg_hr"] is not None and st["max_hr"] is not None:
            out.append(f"<AverageHeartRateBpm><Value>{round(st['avg_hr'])}</Value>"
                       "</AverageHeartRateBpm>\n")
            out.append(f"<MaximumHeartRateBpm><Value>{round(st['max_hr'])}</Value>"
                       "</MaximumHeartRateBpm>\n")
        active = seg.phase in ("warmup", "main", "cooldown")
        out.append(f"<Intensity>{'Active' if active else 'Resting'}</Intensity>\n")
        trigger = "Manual" if index == len(segments) - 1 else "Time"
        out.append(f"<TriggerMethod>{trigger}</TriggerMethod>\n<Track>\n")
        last_second = None
        for i in range(seg.first, seg.last + 1):
            s = data.samples[i]
            second = round(s.t_s)
            if second == last_second:
                continue
            last_second = second
            out.append(f"<Trackpoint><Time>{utc_text(start_epoch_s + second)}</Time>")
            if s.distance_m is not None:
                out.append(f"<DistanceMeters>{s.distance_m:.2f}</DistanceMeters>")
            hr = hr_series[i]
            if hr is not None:
                out.append(f"<HeartRateBpm><Value>{hr}</Value></HeartRateBpm>")
            speed = speed_series[i]
            if speed is not None:
                out.append(f"<Extensions><tpx:TPX><tpx:Speed>{speed:.3f}</tpx:Speed></tpx:TPX>"
                           "</Extensions>")
            out.append("</Trackpoint>\n")
        out.append("</Track>\n</Lap>\n")
    out.append('<Creator xsi:type="Device_t"><Name>RunningRoom</Name><UnitId>0</UnitId>'
               "<ProductID>1</ProductID><Version><VersionMajor>0</VersionMajor>"
               "<VersionMinor>1</VersionMinor></Version></Creator>\n")
    out.append("</Activity>\n</Activities>\n</TrainingCenterDatabase>\n")
    encoded = "".join(out).encode("utf-8")
    logger.debug("TCX for session %s: %d bytes", data.meta.session_id, len(encoded))
    return encoded
