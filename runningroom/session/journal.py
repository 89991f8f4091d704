"""The session journal: every recorded row, and the one retry queue for rows not written.

Contract:

* :meth:`Journal.event` builds an :class:`EventRecord` stamped with the session time of
  ``now_s`` (the ``rel_s`` function it was given), keeps it, logs it and writes it.
* :meth:`Journal.sample` keeps a :class:`SampleRecord` and writes it.
* Rows reach the sink in the order they were made: while any row waits for a retry, a
  new row queues behind it. A :class:`RecordingError` from the sink queues the row and
  calls ``on_write_failed`` (the engine raises its RECORDING_FAILED alarm there).
* The queue keeps at most ``max_pending`` rows; beyond that the oldest is dropped.
* :meth:`Journal.retry` writes queued rows until one fails and says whether the queue is
  empty; :meth:`Journal.take_pending` hands the queue over and forgets it.

The journal is synchronous and does no I/O of its own beyond calling the sink.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from typing import Any

from runningroom.errors import RecordingError
from runningroom.recording.model import EventRecord, SampleRecord, SessionSink
from runningroom.session.model import Cause, EventKind

logger = logging.getLogger(__name__)

Row = SampleRecord | EventRecord


class Journal:
    """Keeps the session's samples and events and writes them to the sink, in order.

    Args:
        sink: where the rows go (the attribute may be replaced between writes).
        max_pending: rows kept for retry while the sink fails.
        rel_s: session time (seconds since the start) of a monotonic ``now_s``.
        on_write_failed: called with the error when a direct write fails.
    """

    def __init__(
        self,
        sink: SessionSink,
        *,
        max_pending: int,
        rel_s: Callable[[float], float],
        on_write_failed: Callable[[RecordingError], None],
    ) -> None:
        self.sink = sink
        self._max_pending = max_pending
        self._rel_s = rel_s
        self._on_write_failed = on_write_failed
        self._samples: list[SampleRecord] = []
        self._events: list[EventRecord] = []
        self._pending: deque[Row] = deque()

    @property
    def samples(self) -> tuple[SampleRecord, ...]:
        """Every sample recorded so far."""
        return tuple(self._samples)

    @property
    def events(self) -> tuple[EventRecord, ...]:
        """Every event recorded so far."""
        return tuple(self._events)

    @property
    def pending_count(self) -> int:
        """Rows waiting for a retry."""
        return len(self._pending)

    def event(
        self, now_s: float, kind: EventKind, cause: Cause, message: str, **data: Any
    ) -> EventRecord:
        """Record one event at ``now_s``."""
        ev = EventRecord(
            t_s=self._rel_s(now_s), kind=str(kind), cause=str(cause), message=message, data=data
        )
        self._events.append(ev)
        logger.info("[%s/%s] %s %s", kind, cause, message, data if data else "")
        self._write(ev)
        return ev

    def sample(self, sample: SampleRecord) -> None:
        """Record one sample."""
        self._samples.append(sample)
        self._write(sample)

    def retry(self) -> bool:
        """Write queued rows until one fails; True when none is left."""
        while self._pending:
            try:
                self._send(self._pending[0])
            except RecordingError as exc:
                logger.debug("recording still failing: %s", exc)
                return False
            self._pending.popleft()
        return True

    def take_pending(self) -> list[Row]:
        """Hand over (and forget) the rows that could not be recorded, oldest first."""
        rows = list(self._pending)
        self._pending.clear()
        return rows

    def _send(self, record: Row) -> None:
        if isinstance(record, SampleRecord):
            self.sink.record_sample(record)
        else:
            self.sink.record_event(record)

    def _write(self, record: Row) -> None:
        """Write one row; on RecordingError keep it for retry and report the failure."""
        if self._pending:
            self._queue(record)
            return
        try:
            self._send(record)
        except RecordingError as exc:
            logger.error("recording failed: %s", exc)
            self._queue(record)
            self._on_write_failed(exc)

    def _queue(self, record: Row) -> None:
        self._pending.append(record)
        while len(self._pending) > self._max_pending:
            self._pending.popleft()
            logger.warning("recording backlog full; oldest row dropped")
