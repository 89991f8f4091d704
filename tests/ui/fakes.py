"""A small fake station for UI tests: state machine, snapshots, alarms, belt, recording."""

from __future__ import annotations

import asyncio
import math
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from runningroom.model import PhaseKind, PhaseSpec, SessionTemplate
from runningroom.recording.model import EventRecord
from runningroom.session.model import (
    AcknowledgeAlarm,
    Alarm,
    AlarmKind,
    Annotate,
    ConfirmHr,
    ContinueWithoutHr,
    EmergencyStop,
    HrQuality,
    Intent,
    PauseSession,
    RateFeeling,
    RateRpe,
    ResumeSession,
    SessionSnapshot,
    SessionState,
    SkipPhase,
    StartSession,
    StopSession,
)
from ui.bridge import StationSetup

FAST_TEMPLATE = SessionTemplate(
    name="fast",
    warmup=PhaseSpec(PhaseKind.WARMUP, 60.0),
    main=PhaseSpec(PhaseKind.MAIN, 120.0),
    cooldown=PhaseSpec(PhaseKind.COOLDOWN, 60.0),
)

_ORDER = (SessionState.WARMUP, SessionState.MAIN, SessionState.COOLDOWN)


class FakeStation:
    """Ticks ``dt_s`` session seconds every ``tick_real_s`` real seconds."""

    def __init__(self, template: SessionTemplate = FAST_TEMPLATE, tick_real_s: float = 0.002,
                 dt_s: float = 1.0) -> None:
        self.template = template
        self.tick_real_s = tick_real_s
        self.dt_s = dt_s
        self.state = SessionState.IDLE
        self.phase: SessionState | None = None
        self.phase_elapsed_s = 0.0
        self.elapsed_s = 0.0
        self.belt_running = False
        self.belt_stops = 0
        self.recording_status: str | None = None
        self.commands: list[Any] = []
        self.events: list[EventRecord] = []
        self.alarms: dict[int, Alarm] = {}
        self.continue_without_hr = False
        self.hr_plausible = True
        self.hr_implausible_reason: str | None = None
        self._next_alarm = 1
        self._snap_listeners: list[Any] = []
        self._event_listeners: list[Any] = []
        self._wake = asyncio.Event()

    # station API
    async def connect(self) -> Any:
        return SimpleNamespace(ok=True, control_permitted=True, message="fake devices")

    def add_snapshot_listener(self, cb: Any) -> None:
        self._snap_listeners.append(cb)

    def add_event_listener(self, cb: Any) -> None:
        self._event_listeners.append(cb)

    def _event(self, event_kind: str, message: str, **data: Any) -> None:
        ev = EventRecord(self.elapsed_s, event_kind, "therapist", message, dict(data))
        self.events.append(ev)
        for cb in self._event_listeners:
            cb(ev)

    def submit(self, cmd: Any) -> None:
        self.commands.append(cmd)
        if isinstance(cmd, EmergencyStop):
            self.state = SessionState.EMERGENCY_STOPPED
            self._stop_belt()
            self._event("state", "emergency stop")
        elif self.state.is_terminal:
            return
        elif isinstance(cmd, StartSession) and self.state == SessionState.IDLE:
            self._enter(SessionState.WARMUP)
            self.belt_running = True
        elif isinstance(cmd, PauseSession) and self.state.is_exercising:
            self.state = SessionState.PAUSED
            self._stop_belt()
        elif isinstance(cmd, ResumeSession) and self.state == SessionState.PAUSED:
            assert self.phase is not None
            self.state = self.phase
            self.belt_running = True
        elif isinstance(cmd, SkipPhase) and self.state.is_exercising:
            self._next_phase()
        elif isinstance(cmd, StopSession):
            self.state = SessionState.STOPPED
            self._stop_belt()
        elif isinstance(cmd, AcknowledgeAlarm):
            alarm = self.alarms.get(cmd.alarm_id)
            if alarm is not None:
                alarm.acknowledged_t_s = self.elapsed_s
                self._event("alarm_ack", "acknowledged", alarm_id=cmd.alarm_id)
        elif isinstance(cmd, RateRpe):
            self._event("rpe", "RPE", value=cmd.value)
        elif isinstance(cmd, RateFeeling):
            self._event("feeling", "feeling", value=cmd.value)
        elif isinstance(cmd, Annotate):
            self._event("annotation", cmd.text)
        elif isinstance(cmd, ContinueWithoutHr):
            self.continue_without_hr = cmd.enabled
            self._event("override", "continue without HR", command="continue_without_hr",
                        enabled=cmd.enabled)
        elif isinstance(cmd, ConfirmHr):
            self.hr_plausible = True
            self.hr_implausible_reason = None
            self._event("override", "HR confirmed", command="confirm_hr")
        self._emit()

    def raise_alarm(self, kind: AlarmKind, message: str = "test", action: str = "held") -> int:
        alarm = Alarm(self._next_alarm, kind, self.elapsed_s, message, action)
        self.alarms[alarm.alarm_id] = alarm
        self._next_alarm += 1
        self._event("alarm", message, alarm_id=alarm.alarm_id, alarm_kind=str(kind),
                    stage="raised")
        self._emit()
        return alarm.alarm_id

    def make_hr_implausible(self, reason: str, message: str | None = None) -> int:
        """Judge the HR implausible for ``reason`` and raise the ``hr_implausible`` alarm."""
        self.hr_plausible = False
        self.hr_implausible_reason = reason
        return self.raise_alarm(AlarmKind.HR_IMPLAUSIBLE,
                                f"HR implausible: {reason}" if message is None else message,
                                "no increases until the HR agrees with the load or is "
                                "confirmed")

    def _stop_belt(self) -> None:
        self.belt_running = False
        self.belt_stops += 1

    def _enter(self, phase: SessionState) -> None:
        self.state = phase
        self.phase = phase
        self.phase_elapsed_s = 0.0
        self._event("state", str(phase))

    def _next_phase(self) -> None:
        assert self.phase is not None
        i = _ORDER.index(self.phase)
        if i + 1 < len(_ORDER):
            self._enter(_ORDER[i + 1])
        else:
            self.state = SessionState.FINISHED
            self._stop_belt()

    def _duration(self) -> float:
        assert self.phase is not None
        return {SessionState.WARMUP: self.template.warmup, SessionState.MAIN: self.template.main,
                SessionState.COOLDOWN: self.template.cooldown}[self.phase].duration_s

    def snapshot(self) -> SessionSnapshot:
        hr = 110 + 15 * math.sin(self.elapsed_s / 40.0) if self.belt_running else 80
        phase_left = self._duration() - self.phase_elapsed_s if self.phase else 0.0
        return SessionSnapshot(
            t_s=self.elapsed_s, state=self.state, phase=self.phase,
            phase_elapsed_s=self.phase_elapsed_s, phase_remaining_s=phase_left,
            session_elapsed_s=self.elapsed_s, hr_bpm=int(hr), hr_filtered_bpm=hr,
            hr_quality=HrQuality.OK, target_bpm=115.0, zone_low_bpm=105.0,
            zone_high_bpm=125.0, ceiling_bpm=150.0,
            speed_cmd_kmh=5.0 if self.belt_running else 0.0,
            speed_meas_kmh=5.0 if self.belt_running else 0.0, incline_cmd_pct=1.0,
            incline_meas_pct=1.0, distance_m=self.elapsed_s * 1.3, target_offset_bpm=0.0,
            controller_held=False, controller_suspended=False, advisory_mode=False,
            intent=Intent.HOLD,
            continue_without_hr=self.continue_without_hr, hr_plausible=self.hr_plausible,
            hr_implausible_reason=self.hr_implausible_reason,
            active_alarms=tuple(replace(a) for a in self.alarms.values()
                                if not (a.acknowledged and a.cleared_t_s is not None)),
        )

    def _emit(self) -> None:
        snap = self.snapshot()
        for cb in self._snap_listeners:
            cb(snap)

    async def run(self) -> Any:
        while not self.state.is_terminal:
            await asyncio.sleep(self.tick_real_s)
            if self.state.is_exercising:
                self.elapsed_s += self.dt_s
                self.phase_elapsed_s += self.dt_s
                if self.phase_elapsed_s >= self._duration():
                    self._next_phase()
            self._emit()
        self._stop_belt()
        if self.recording_status is None:
            self.recording_status = str(self.state)
        return {"status": str(self.state), "duration_s": self.elapsed_s,
                "phases": {}, "alarms": len(self.alarms), "rpe": [], "feeling": []}

    async def shutdown(self) -> None:
        if not self.state.is_terminal:
            self.state = SessionState.STOPPED
        self._stop_belt()
        if self.recording_status is None:
            self.recording_status = str(self.state)


def fake_builder(stations: list[FakeStation], **kwargs: Any) -> Any:
    """A MainWindow ``setup_builder`` producing fake stations (kept in ``stations``)."""

    def builder(profile: Any, template: Any, tm: str, hr: str) -> Any:
        async def factory() -> StationSetup:
            station = FakeStation(**kwargs)
            stations.append(station)

            async def belt_stop() -> None:
                station._stop_belt()

            return StationSetup(station=station, emergency_belt_stop=belt_stop)

        return factory

    return builder
