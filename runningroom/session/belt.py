"""The belt tracker: what the engine commanded, what the treadmill measures, where they part.

Contract:

* :class:`BeltReadings` holds the treadmill's latest believed measurement (the engine
  checks finiteness and range first) and integrates the distance: from the device's
  counter when it has one (a jump backwards or of 1 km or more is a reset and ignored),
  else from the measured speed.
* :class:`BeltTracker` holds the engine's side: whether the belt runs, the commanded
  (operating) speed and incline, the point to resume at after a pause, the last command
  of each kind that was sent and the envelope epoch it was requested in, failed commands
  waiting to be re-sent, consecutive failures, the disconnection time, and a console
  speed change waiting for the measured speed to confirm it.
* Divergence: after a belt start the tracker waits ``settle_base_s``, then models the
  slowest belt that still follows the command (``settle_accel_kmh_per_s``). A recent
  measured speed outside [model, command] +/- the tolerance, or a standing belt, for
  ``detect_s`` is reported once (:class:`Divergence`); what to do about it is the
  engine's decision.
"""

from __future__ import annotations

import enum

from runningroom.devices import BeltState, TreadmillMeasurement
from runningroom.session.model import (
    SetInclineCommand,
    SetSpeedCommand,
    StartBeltCommand,
    StopBeltCommand,
    TreadmillCommand,
)

#: A measurement older than this is not evidence of what the belt does now.
RECENT_S = 3.0


class Divergence(enum.Enum):
    """How the measured belt parted from the command."""

    STOPPED = "stopped"  # the belt stands although it was told to run
    ABOVE = "above"  # faster than commanded
    DIFFERS = "differs"  # slower than the slowest belt that follows the command


class BeltReadings:
    """The treadmill's latest measured speed, incline, belt state and distance."""

    def __init__(self) -> None:
        self.speed_kmh: float | None = None
        self.incline_pct: float | None = None
        self.belt = BeltState.UNKNOWN
        self.distance_m = 0.0
        self.last_t_s: float | None = None
        self.silent = False  # no measurement for too long (alarm raised)
        self._device_distance_m: float | None = None

    def update(self, m: TreadmillMeasurement, *, belt_running: bool, started: bool) -> None:
        """Take a checked measurement over (``started``: the session has an origin)."""
        if m.speed_kmh is not None:
            if self._device_distance_m is None and self.last_t_s is not None:
                dt_s = max(m.t_s - self.last_t_s, 0.0)
                if belt_running or (self.speed_kmh or 0.0) > 0:
                    self.distance_m += (self.speed_kmh or 0.0) / 3.6 * min(dt_s, 5.0)
            self.speed_kmh = m.speed_kmh
        if m.incline_pct is not None:
            self.incline_pct = m.incline_pct
        if m.distance_m is not None:
            if self._device_distance_m is not None and started:
                delta = m.distance_m - self._device_distance_m
                if 0 <= delta < 1000:  # device counter reset or glitch otherwise
                    self.distance_m += delta
            self._device_distance_m = m.distance_m
        self.belt = m.belt
        self.last_t_s = m.t_s

    def recent(self, now_s: float) -> bool:
        """True when a measurement arrived within :data:`RECENT_S`."""
        return self.last_t_s is not None and now_s - self.last_t_s <= RECENT_S

    def live_speed_kmh(self, now_s: float, max_age_s: float) -> float | None:
        """The measured speed if a measurement arrived within ``max_age_s``, else None.

        What is recorded and shown as the measured speed: during an outage the last
        reading is not what the belt does now.
        """
        if self.last_t_s is None or now_s - self.last_t_s > max_age_s:
            return None
        return self.speed_kmh

    def live_incline_pct(self, now_s: float, max_age_s: float) -> float | None:
        """Like :meth:`live_speed_kmh` for the incline."""
        if self.last_t_s is None or now_s - self.last_t_s > max_age_s:
            return None
        return self.incline_pct

    def confirms(
        self, now_s: float, speed_kmh: float, *, max_speed_kmh: float, tolerance_kmh: float
    ) -> bool:
        """A recent, physically possible measured speed within tolerance of ``speed_kmh``."""
        meas = self.speed_kmh
        if meas is None or not self.recent(now_s):
            return False
        if not 0.0 <= meas <= max_speed_kmh + tolerance_kmh:
            return False
        return abs(meas - speed_kmh) <= tolerance_kmh


class BeltTracker:
    """The engine's side of the belt.

    Args:
        min_incline_pct: the incline of a fresh session.
        settle_base_s: after a belt start, wait this long before comparing speeds.
        settle_accel_kmh_per_s: the belt follows commands at least this fast.
    """

    def __init__(
        self, *, min_incline_pct: float, settle_base_s: float, settle_accel_kmh_per_s: float
    ) -> None:
        self.running = False
        self.speed_cmd_kmh = 0.0
        self.incline_cmd_pct = min_incline_pct
        self.resume_speed_kmh = 0.0
        self.resume_incline_pct = min_incline_pct
        self.failures = 0
        self.disconnected_since_s: float | None = None
        self.console_pending: tuple[float, float] | None = None  # (speed_kmh, since_s)
        self.command_back_kmh: tuple[float, float] | None = None  # (reported, legal)
        self._last_sent: dict[type, TreadmillCommand] = {}
        self._requested_epoch: dict[type, int] = {}
        self._resend: list[TreadmillCommand] = []
        self._model = _SlowBelt(settle_base_s, settle_accel_kmh_per_s)

    # ------------------------------------------------------------------ sent commands

    def has_sent(self, kind: type) -> bool:
        """True when a command of ``kind`` counts as sent (or adopted)."""
        return kind in self._last_sent

    def forget_sent(self, kind: type) -> None:
        """The next command of ``kind`` is sent even if unchanged."""
        self._last_sent.pop(kind, None)

    def note_sent(self, now_s: float, cmd: TreadmillCommand, epoch: int) -> None:
        """``cmd`` passed the envelope in ``epoch`` and goes to the treadmill."""
        self._last_sent[type(cmd)] = cmd
        self._requested_epoch[type(cmd)] = epoch
        self.drop_resend(type(cmd))
        if isinstance(cmd, SetSpeedCommand):
            self.speed_cmd_kmh = cmd.speed_kmh
        elif isinstance(cmd, SetInclineCommand):
            self.incline_cmd_pct = cmd.incline_pct
        elif isinstance(cmd, StartBeltCommand):
            # a newer start supersedes a failed stop still waiting to be re-sent
            self.drop_resend(StopBeltCommand)
            self._model.restart(now_s)

    def adopt(self, speed_kmh: float | None, incline_pct: float | None) -> None:
        """Somebody else set the belt: the point counts as commanded and sent."""
        if speed_kmh is not None:
            self.speed_cmd_kmh = speed_kmh
            self._last_sent[SetSpeedCommand] = SetSpeedCommand(speed_kmh)
        if incline_pct is not None:
            self.incline_cmd_pct = incline_pct
            self._last_sent[SetInclineCommand] = SetInclineCommand(incline_pct)
        self._model.reset(self.speed_cmd_kmh)

    # ------------------------------------------------------------------ failures, resends

    def succeeded(self) -> None:
        """A command was carried out: the failure count restarts."""
        self.failures = 0

    def failed(self, cmd: TreadmillCommand) -> int:
        """``cmd`` failed: re-send it unless superseded; returns failures in a row."""
        self.failures += 1
        self.queue_resend(cmd)
        return self.failures

    def queue_resend(self, cmd: TreadmillCommand) -> None:
        """Re-send ``cmd`` at the next tick unless superseded (no failure counted)."""
        if self._last_sent.get(type(cmd)) == cmd and cmd not in self._resend:
            self._resend.append(cmd)

    @property
    def has_resends(self) -> bool:
        """True when failed commands wait to be re-sent."""
        return bool(self._resend)

    def drop_resend(self, kind: type) -> None:
        """Forget a waiting re-send of ``kind``."""
        self._resend = [c for c in self._resend if type(c) is not kind]

    def take_resends(self) -> list[tuple[TreadmillCommand, int | None]]:
        """The failed commands to re-send, each with the epoch it was requested in.

        A speed is not re-sent to a belt that is not running.
        """
        pending = [
            c for c in self._resend if not (isinstance(c, SetSpeedCommand) and not self.running)
        ]
        self._resend = []
        return [(c, self._requested_epoch.get(type(c))) for c in pending]

    def take_stop_resends(self) -> list[TreadmillCommand]:
        """The failed belt stops to re-send (after the session ended)."""
        stops: list[TreadmillCommand] = [c for c in self._resend if isinstance(c, StopBeltCommand)]
        self._resend = [c for c in self._resend if not isinstance(c, StopBeltCommand)]
        return stops

    # ------------------------------------------------------------------ divergence

    def clear_divergence(self) -> None:
        """Forget a divergence being timed."""
        self._model.since_s = None

    def divergence(
        self,
        now_s: float,
        readings: BeltReadings,
        *,
        advisory: bool,
        tolerance_kmh: float,
        detect_s: float,
    ) -> Divergence | None:
        """Advance the slow-belt model; a divergence that lasted ``detect_s``, once."""
        model = self._model
        model.advance(now_s, self.speed_cmd_kmh, running=self.running)
        meas = readings.speed_kmh
        if (
            meas is None
            or not self.running
            or now_s < model.settle_until_s
            or self.disconnected_since_s is not None
            or not readings.recent(now_s)
        ):
            model.since_s = None
            return None
        low = min(model.expected_kmh, self.speed_cmd_kmh) - tolerance_kmh
        high = max(model.expected_kmh, self.speed_cmd_kmh) + tolerance_kmh
        stopped = readings.belt is BeltState.STOPPED or meas < 0.05
        if stopped and advisory:
            model.since_s = None  # the therapist runs the belt by hand
            return None
        if low <= meas <= high and not stopped:
            model.since_s = None
            return None
        if model.since_s is None:
            model.since_s = now_s
            return None
        if now_s - model.since_s < detect_s:
            return None
        model.since_s = None
        if stopped:
            return Divergence.STOPPED
        return Divergence.ABOVE if meas > high else Divergence.DIFFERS


class _SlowBelt:
    """The slowest belt that still follows the command, and how long it has diverged."""

    def __init__(self, settle_base_s: float, accel_kmh_per_s: float) -> None:
        self._settle_base_s = settle_base_s
        self._accel_kmh_per_s = accel_kmh_per_s
        self.settle_until_s = 0.0
        self.expected_kmh = 0.0
        self.since_s: float | None = None
        self._t_s: float | None = None

    def restart(self, now_s: float) -> None:
        self.settle_until_s = now_s + self._settle_base_s
        self.expected_kmh = 0.0
        self.since_s = None

    def reset(self, speed_kmh: float) -> None:
        self.since_s = None
        self.expected_kmh = speed_kmh

    def advance(self, now_s: float, target_kmh: float, *, running: bool) -> None:
        last = self._t_s
        self._t_s = now_s
        if last is None or not running or now_s < self.settle_until_s:
            return
        step = self._accel_kmh_per_s * max(now_s - last, 0.0)
        if self.expected_kmh < target_kmh:
            self.expected_kmh = min(self.expected_kmh + step, target_kmh)
        else:
            self.expected_kmh = max(self.expected_kmh - step, target_kmh)
