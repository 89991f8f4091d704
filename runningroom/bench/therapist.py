"""The virtual therapist of unattended runs (benchmark and simulations).

It talks to the engine only through operator commands, as a therapist at the console
would; everything it does is recorded by the engine as a therapist override.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from runningroom.session.model import (
    AcknowledgeAlarm,
    OperatorCommand,
    ResumeController,
    SessionSnapshot,
)

if TYPE_CHECKING:
    from runningroom.session.engine import SessionEngine


class VirtualTherapist:
    """A minimal attending therapist for unattended simulations.

    Acknowledges every alarm ``ack_after_s`` after it was raised and re-enables a
    controller the supervisor suspended (HR lost) with :class:`ResumeController` once HR
    has been trusted for ``resume_after_s``. Does not resume paused sessions (safety key,
    console stop).
    """

    def __init__(self, ack_after_s: float = 10.0, resume_after_s: float = 20.0) -> None:
        self.ack_after_s = ack_after_s
        self.resume_after_s = resume_after_s
        self._trusted_since_s: float | None = None
        self._acked: set[int] = set()

    def act(self, engine: SessionEngine, t_s: float) -> list[OperatorCommand]:
        """Commands to give now (``t_s``: session seconds, as in the snapshot)."""
        return self.act_on(engine.snapshot(), t_s)

    def act_on(self, snap: SessionSnapshot, t_s: float) -> list[OperatorCommand]:
        """Like :meth:`act`, given the engine's current snapshot."""
        out: list[OperatorCommand] = []
        for alarm in snap.active_alarms:
            if (
                not alarm.acknowledged
                and alarm.alarm_id not in self._acked
                and snap.t_s - alarm.raised_t_s >= self.ack_after_s
            ):
                self._acked.add(alarm.alarm_id)
                out.append(AcknowledgeAlarm(alarm.alarm_id))
        if snap.hr_quality.trusted:
            if self._trusted_since_s is None:
                self._trusted_since_s = t_s
        else:
            self._trusted_since_s = None
        if (
            snap.controller_suspended
            and snap.state.is_exercising
            and self._trusted_since_s is not None
            and t_s - self._trusted_since_s >= self.resume_after_s
        ):
            self._trusted_since_s = t_s  # do not repeat at every tick
            out.append(ResumeController())
        return out
