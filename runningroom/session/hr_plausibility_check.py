"""The engine's use of the HR plausibility monitor: alarm, confirmation, permission.

:class:`~runningroom.session.plausibility.PlausibilityMonitor` judges the HR against
what the recent load predicts. This part feeds it once per exercise tick with the HR
sample of that tick (if one arrived), the gate's trust and the belt's measured speed and
incline, and turns its verdict into the engine's terms:

* while the HR is implausible, ``permits_increase`` is False: neither the controller
  nor the safety envelope lets speed or incline rise (the envelope gets it through the
  gate permission it is given each tick);
* an ``hr_implausible`` alarm is raised with the monitor's reason and cleared once the
  HR agrees with the load again or the therapist confirms the reading;
* :meth:`confirm` records the therapist's :class:`~runningroom.session.model.ConfirmHr`
  and acknowledges the alarm;
  the monitor then ignores that disagreement until it clears (it alarms again if it
  returns) or for its bounded confirmation time;
* once the controller has identified the patient's plant, the monitor predicts with it.

Nothing here commands the belt: an implausible HR only blocks increases. HR above the
ceiling or HR loss are the supervisor's and the envelope's rules.
"""

from __future__ import annotations

import logging

from runningroom.control.base import PlantEstimate
from runningroom.session.alarms import AlarmBook
from runningroom.session.journal import Journal
from runningroom.session.model import AlarmKind, Cause, EventKind
from runningroom.session.plausibility import PlausibilityMonitor, PlausibilityVerdict

logger = logging.getLogger(__name__)

#: What the engine does while the HR is implausible (the alarm's ``action``).
IMPLAUSIBLE_ACTION = "no speed or incline increases; confirm the HR if it is right"


class HrPlausibilityCheck:
    """Feeds the plausibility monitor and keeps its alarm and permission current.

    Args:
        monitor: the pure monitor (its own rules and thresholds).
        alarms: the alarm book (``hr_implausible``).
        journal: where the confirmation and the verdict changes are recorded.
        enabled: False disables the check (always plausible, no alarm).
    """

    def __init__(
        self,
        monitor: PlausibilityMonitor,
        alarms: AlarmBook,
        journal: Journal,
        *,
        enabled: bool = True,
    ) -> None:
        self.monitor = monitor
        self._alarms = alarms
        self._journal = journal
        self.enabled = enabled
        self._verdict: PlausibilityVerdict | None = None
        self._plausible = True

    @property
    def plausible(self) -> bool:
        """True unless the monitor holds the HR implausible (and it is not confirmed)."""
        return self._plausible

    @property
    def reason(self) -> str | None:
        """The monitor's reason while the HR is implausible, else None."""
        if self._plausible or self._verdict is None:
            return None
        return self._verdict.reason or None

    def observe(
        self,
        now_s: float,
        hr_bpm: float | None,
        *,
        trusted: bool,
        speed_kmh: float,
        incline_pct: float,
    ) -> bool:
        """Feed one exercise tick; returns :attr:`plausible` after it."""
        if not self.enabled:
            return True
        verdict = self.monitor.observe(now_s, hr_bpm, trusted, speed_kmh, incline_pct)
        self._apply(now_s, verdict)
        return self._plausible

    def use_plant(self, now_s: float, plant: PlantEstimate | None) -> None:
        """Predict with the controller's identified plant from now on (when it changed)."""
        if not self.enabled or plant is None or plant == self.monitor.plant:
            return
        self.monitor.set_plant(now_s, plant)

    def confirm(self, now_s: float) -> bool:
        """The therapist confirmed the HR; False when there was nothing to confirm."""
        if not self.enabled or self._plausible:
            return False
        suppressed = self.monitor.confirm(now_s)
        alarm = self._alarms.active(AlarmKind.HR_IMPLAUSIBLE)
        self._journal.event(
            now_s,
            EventKind.OVERRIDE,
            Cause.THERAPIST,
            "therapist confirmed the HR (" + (self.reason or "implausible HR") + ")",
            command="confirm_hr",
            disagreements=[str(d) for d in suppressed],
        )
        self._apply(now_s, self.monitor.verdict(now_s))
        if alarm is not None:  # the confirmation answers the alarm
            self._alarms.acknowledge(now_s, alarm.alarm_id)
        return True

    def _apply(self, now_s: float, verdict: PlausibilityVerdict) -> None:
        self._verdict = verdict
        plausible = verdict.plausible
        if plausible == self._plausible:
            return
        self._plausible = plausible
        if plausible:
            self._alarms.clear(now_s, AlarmKind.HR_IMPLAUSIBLE)
            logger.info("HR plausible again")
            return
        predicted = verdict.predicted_hr_bpm
        measured = verdict.measured_hr_bpm
        detail = ""
        if predicted is not None and measured is not None:
            detail = f" (HR {measured:.0f} bpm, the load predicts about {predicted:.0f} bpm)"
        self._alarms.raise_alarm(
            now_s, AlarmKind.HR_IMPLAUSIBLE, verdict.reason + detail, IMPLAUSIBLE_ACTION
        )
