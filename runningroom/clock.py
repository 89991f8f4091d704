"""Injectable time.

Every time-dependent part of the core takes a :class:`Clock` (or explicit ``now_s``
values) instead of calling :mod:`time` directly, so a 45-minute session can be
simulated in well under a second and tests are deterministic.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Source of monotonic seconds and of wall-clock time."""

    def monotonic_s(self) -> float:
        """Seconds from an arbitrary origin; never goes backwards."""
        ...

    def wall(self) -> datetime:
        """Timezone-aware current wall-clock time (UTC)."""
        ...


class SystemClock:
    """The real clock."""

    def monotonic_s(self) -> float:
        """Return :func:`time.monotonic`."""
        return time.monotonic()

    def wall(self) -> datetime:
        """Return the current UTC time."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to; wall time follows monotonic time.

    Args:
        start_wall: wall-clock time at monotonic 0 (default 2026-01-05 09:00 UTC).
    """

    def __init__(self, start_wall: datetime | None = None) -> None:
        self._now_s = 0.0
        self._start_wall = start_wall or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def monotonic_s(self) -> float:
        """Return the current virtual time in seconds."""
        return self._now_s

    def wall(self) -> datetime:
        """Return the start wall time plus the elapsed virtual time."""
        return self._start_wall + timedelta(seconds=self._now_s)

    def advance(self, dt_s: float) -> None:
        """Move time forward by ``dt_s`` seconds (must be >= 0)."""
        if dt_s < 0:
            raise ValueError(f"time cannot go backwards (dt_s={dt_s})")
        self._now_s += dt_s

    def set(self, now_s: float) -> None:
        """Jump to absolute virtual time ``now_s`` (must not be in the past)."""
        self.advance(now_s - self._now_s)


class ScaledClock:
    """A real clock that runs ``rate`` times faster than wall time (demo, fast replay).

    ``monotonic_s`` starts at 0 when the clock is created and advances ``rate`` seconds
    per real second; ``wall`` follows it from ``start_wall``. Runtimes that sleep
    between ticks divide their real sleep by :attr:`rate`.

    Args:
        speedup: how many virtual seconds pass per real second (> 0).
        start_wall: wall-clock time at monotonic 0 (default: now, UTC).
    """

    def __init__(self, speedup: float = 1.0, start_wall: datetime | None = None) -> None:
        if not speedup > 0:
            raise ValueError(f"speedup must be > 0 (got {speedup})")
        self.rate = float(speedup)
        self._origin_s = time.monotonic()
        self._start_wall = start_wall or datetime.now(UTC)

    def monotonic_s(self) -> float:
        """Return virtual seconds since creation (``rate`` x real elapsed seconds)."""
        return (time.monotonic() - self._origin_s) * self.rate

    def wall(self) -> datetime:
        """Return the start wall time plus the elapsed virtual time."""
        return self._start_wall + timedelta(seconds=self.monotonic_s())
