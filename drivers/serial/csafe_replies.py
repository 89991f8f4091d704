"""Matching CSAFE replies to requests with the frame toggle bit; stale replies are dropped.

The equipment flips bit 7 of the status byte with every frame it answers. While every
request is answered in time, each reply belongs to the request just sent. After a
request timed out (request N), its reply may still arrive, late, while the reply to
the next request (M) is awaited. With ``t`` the toggle of the last reply accepted:

* N answered late, before M was written: the link flushed it; M's reply carries ``t``
  (two flips) and is taken at once.
* N answered late, after M was written: N's stale reply (``not t``) comes first, M's
  reply (``t``) right after it.
* N never reached the equipment: M's reply carries ``not t`` and nothing follows.

So a first frame with ``not t`` after a timeout is taken only once the line has been
quiet for one reply timeout; a frame that follows it replaces it (the earlier one was
stale). A reply whose answer items were not asked for is stale in any case. Toggle
reasoning is used only once the equipment has been seen flipping the bit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from drivers.protocols import csafe
from runningroom.errors import DeviceTimeoutError, ProtocolError

logger = logging.getLogger(__name__)

#: Frames read for one request at most (stale ones included).
MAX_FRAMES_PER_REPLY = 8


def read_frame(port: Any) -> bytes:
    """Read up to and including a stop flag, or raise DeviceTimeoutError."""
    data = bytes(port.read_until(bytes([csafe.STOP_FLAG]), csafe.MAX_FRAME_BYTES))
    if not data or data[-1] != csafe.STOP_FLAG:
        raise DeviceTimeoutError(f"no complete CSAFE frame (got {data.hex(' ') or 'nothing'})")
    return data


def _peek(raw: bytes) -> tuple[bool, frozenset[int]] | None:
    """``(toggle, answer item ids)`` of a reply frame, or None if it does not decode."""
    frames, _rest = csafe.split_frames(raw)
    if not frames:
        return None
    try:
        response = csafe.decode_response(csafe.decode_frame(frames[-1]).contents)
    except ProtocolError:
        return None
    return response.status.toggle, frozenset(it.cmd_id for it in response.items)


class ToggleMatcher:
    """Tracks the toggle bit across requests and builds each request's reply reader."""

    def __init__(self) -> None:
        self.last_toggle: bool | None = None
        #: requests in a row that got no reply (their replies may still come)
        self.unanswered = 0
        #: True once two accepted replies in a row carried different toggles
        self.flips_seen = False
        #: stale replies dropped so far
        self.stale_dropped = 0

    def reset(self) -> None:
        """Forget everything (the port was reopened)."""
        self.last_toggle = None
        self.unanswered = 0
        self.flips_seen = False

    def undecodable(self) -> None:
        """A reply arrived but did not decode: its toggle is unknown."""
        self.unanswered = 0
        self.last_toggle = None
        self.flips_seen = False

    def reader(self, asked: frozenset[int]) -> Callable[[Any], bytes]:
        """A reply reader for a request with command ids ``asked``.

        It runs on the port's thread when the request is actually sent (requests are
        serialised by the link) and keeps the bookkeeping itself: a timeout counts the
        request as unanswered, a decodable frame taken is accepted, one that does not
        decode makes the toggle unknown.
        """

        def read(port: Any) -> bytes:
            try:
                raw = self._read_reply(port, asked)
            except DeviceTimeoutError:
                self.unanswered += 1
                raise
            peek = _peek(raw)
            if peek is None:
                self.undecodable()
            else:
                self.accepted(peek[0])
            return raw

        return read

    def _read_reply(self, port: Any, asked: frozenset[int]) -> bytes:
        unanswered = self.unanswered
        last = self.last_toggle if self.flips_seen else None
        candidate: bytes | None = None
        for _ in range(MAX_FRAMES_PER_REPLY):
            try:
                raw = read_frame(port)
            except DeviceTimeoutError:
                if candidate is not None:
                    return candidate  # quiet after it: the reply to this request
                raise
            peek = _peek(raw)
            if peek is None:
                return raw  # the caller reports the bad frame
            toggle, items = peek
            if not items <= asked:
                self._drop(raw, "answers items that were not asked for")
                continue
            if candidate is not None:
                self._drop(candidate, "followed by a newer reply")
            if unanswered == 0 or (unanswered == 1 and last is not None and toggle == last):
                return raw
            candidate = raw  # maybe the late reply to the timed-out request
        if candidate is not None:
            return candidate
        raise DeviceTimeoutError("only stale CSAFE replies")

    def accepted(self, toggle: bool) -> None:
        """A reply was taken as the answer to the request just sent."""
        if self.last_toggle is not None and toggle != self.last_toggle:
            self.flips_seen = True
        self.last_toggle = toggle
        self.unanswered = 0

    def _drop(self, raw: bytes, why: str) -> None:
        self.stale_dropped += 1
        logger.info("dropped a stale CSAFE reply %s: %s", raw.hex(" "), why)
