"""Session state machine and engine (one engine per station, no global state).

Modules:
  * :mod:`~runningroom.session.model`: vocabulary (states, causes, HR quality, alarms,
    operator and treadmill commands, snapshot, event kinds).
  * :mod:`~runningroom.session.engine`: :class:`SessionEngine`, the synchronous engine.
  * :mod:`~runningroom.session.supervisor`: HR quality gate and safety rules.
  * :mod:`~runningroom.session.hr_filter`: light HR smoothing.
  * :mod:`~runningroom.session.summary`: :class:`SessionSummary` from recorded rows.

The asyncio runtime that connects an engine to devices is
:class:`runningroom.station.Station`. Nothing is re-exported here on purpose:
``runningroom.control.base`` imports :mod:`runningroom.session.model`, so importing the
engine from this package would create an import cycle.
"""
