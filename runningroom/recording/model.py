"""Rows the engine hands to a recorder, and the recorder protocol.

The engine depends only on :class:`SessionSink`; :mod:`runningroom.recording.recorder`
implements it on SQLite and tests may implement it in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class SampleRecord:
    """One recorded sample (the engine records at 1 Hz)."""

    t_s: float
    phase: str
    hr_raw_bpm: int | None
    hr_filtered_bpm: float | None
    hr_quality: str
    rr_ms: tuple[float, ...]
    target_bpm: float
    zone_low_bpm: float
    zone_high_bpm: float
    speed_cmd_kmh: float | None
    speed_meas_kmh: float | None
    incline_cmd_pct: float | None
    incline_meas_pct: float | None
    distance_m: float | None


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One recorded event (state change, alarm, override, device status, annotation)."""

    t_s: float
    kind: str
    cause: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)


class SessionSink(Protocol):
    """Where a running session's data goes. Implementations must not block for long."""

    def record_sample(self, sample: SampleRecord) -> None:
        """Store one sample."""
        ...

    def record_event(self, event: EventRecord) -> None:
        """Store one event."""
        ...

    def finish(self, status: str, summary: dict[str, Any]) -> None:
        """Mark the session ended with ``status`` and store its summary."""
        ...
