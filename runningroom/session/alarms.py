"""The alarm book: raising, clearing and acknowledging the session's alarms.

Contract:

* At most one alarm of a kind is active; :meth:`AlarmBook.raise_alarm` for an active kind
  returns the active alarm and records nothing.
* Raising, clearing and acknowledging are each recorded as one ``alarm`` event in the
  journal (``stage`` raised / cleared / acknowledged), stamped in session time.
* An alarm stays in :meth:`AlarmBook.unresolved` until it is both cleared and
  acknowledged; :attr:`AlarmBook.all` keeps every alarm ever raised, oldest first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from runningroom.session.journal import Journal
from runningroom.session.model import Alarm, AlarmKind, Cause, EventKind

logger = logging.getLogger(__name__)


class AlarmBook:
    """The session's alarms, recorded in ``journal``; ``rel_s`` gives session time."""

    def __init__(self, journal: Journal, rel_s: Callable[[float], float]) -> None:
        self._journal = journal
        self._rel_s = rel_s
        self._alarms: list[Alarm] = []
        self._active: dict[AlarmKind, Alarm] = {}
        self._next_alarm_id = 1

    @property
    def all(self) -> tuple[Alarm, ...]:
        """Every alarm raised in this session, oldest first."""
        return tuple(self._alarms)

    def is_active(self, kind: AlarmKind) -> bool:
        """True while an alarm of ``kind`` is raised and not cleared."""
        return kind in self._active

    def active(self, kind: AlarmKind) -> Alarm | None:
        """The raised, not cleared alarm of ``kind``, if any."""
        return self._active.get(kind)

    def unresolved(self) -> tuple[Alarm, ...]:
        """Alarms not yet both cleared and acknowledged."""
        return tuple(a for a in self._alarms if a.cleared_t_s is None or a.acknowledged_t_s is None)

    def raise_alarm(self, now_s: float, kind: AlarmKind, message: str, action: str) -> Alarm:
        """Raise an alarm of ``kind`` unless one is active; returns the active alarm."""
        existing = self._active.get(kind)
        if existing is not None:
            return existing
        alarm = Alarm(
            alarm_id=self._next_alarm_id,
            kind=kind,
            raised_t_s=self._rel_s(now_s),
            message=message,
            action=action,
        )
        self._next_alarm_id += 1
        self._alarms.append(alarm)
        self._active[kind] = alarm
        logger.warning("ALARM %s: %s (%s)", kind, message, action)
        self._journal.event(
            now_s,
            EventKind.ALARM,
            Cause.SAFETY,
            message,
            alarm_id=alarm.alarm_id,
            alarm_kind=str(kind),
            stage="raised",
            action=action,
        )
        return alarm

    def clear(self, now_s: float, kind: AlarmKind) -> None:
        """Clear the active alarm of ``kind`` (nothing if none is active)."""
        alarm = self._active.pop(kind, None)
        if alarm is None:
            return
        alarm.cleared_t_s = self._rel_s(now_s)
        self._journal.event(
            now_s,
            EventKind.ALARM,
            Cause.SYSTEM,
            f"{kind} cleared",
            alarm_id=alarm.alarm_id,
            alarm_kind=str(kind),
            stage="cleared",
            action=alarm.action,
        )

    def acknowledge(self, now_s: float, alarm_id: int) -> bool:
        """The therapist acknowledges ``alarm_id``; False if there is no such alarm.

        Acknowledging twice records nothing the second time.
        """
        for alarm in self._alarms:
            if alarm.alarm_id == alarm_id:
                if alarm.acknowledged_t_s is None:
                    alarm.acknowledged_t_s = self._rel_s(now_s)
                    self._journal.event(
                        now_s,
                        EventKind.ALARM,
                        Cause.THERAPIST,
                        f"{alarm.kind} acknowledged",
                        alarm_id=alarm.alarm_id,
                        alarm_kind=str(alarm.kind),
                        stage="acknowledged",
                        action=alarm.action,
                    )
                return True
        return False
