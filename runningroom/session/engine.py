"""The session engine: state machine, phases, overrides, safety and recording.

One :class:`SessionEngine` runs one session at one station. It is synchronous and
pure: it never sleeps, never reads a clock and does no I/O except writing rows to its
:class:`~runningroom.recording.model.SessionSink`. Feed it

* HR samples (:meth:`SessionEngine.on_hr`), treadmill measurements
  (:meth:`~SessionEngine.on_measurement`) and device events
  (:meth:`~SessionEngine.on_device_event`),
* operator commands (:meth:`~SessionEngine.command`),
* ticks at about 1 Hz (:meth:`~SessionEngine.tick`),
* the outcome of every treadmill command it returned
  (:meth:`~SessionEngine.command_result`),

and send the :data:`~runningroom.session.model.TreadmillCommand` values it returns to
the treadmill, in order, one at a time.

State machine (every transition is recorded as an ``EventRecord(kind="state")`` with
its cause)::

    idle -> preflight -> warmup -> main -> cooldown -> finished
    warmup|main|cooldown <-> paused
    any non-terminal     -> stopped            (StopSession)
    any non-terminal     -> emergency_stopped  (EmergencyStop)
    any non-terminal     -> aborted            (abort(): fatal runtime error)

Time: every ``now_s`` is monotonic seconds (the station's clock). Recorded ``t_s``
values (samples, events, alarms, snapshot) are seconds since :class:`StartSession`.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from runningroom.control.base import (
    Controller,
    PlantEstimate,
)
from runningroom.devices import (
    CONTROL_REFUSED_AT_START,
    DeviceEvent,
    DeviceEventKind,
    DeviceRole,
    HrSample,
    TreadmillCapabilities,
    TreadmillMeasurement,
)
from runningroom.errors import RecordingError
from runningroom.model import PatientProfile, Prescription, SessionTemplate
from runningroom.recording.model import EventRecord, SampleRecord, SessionSink
from runningroom.session.alarms import AlarmBook
from runningroom.session.belt import RECENT_S, BeltReadings, BeltTracker
from runningroom.session.control_step import ControlStep, StepInput
from runningroom.session.engine_config import (
    EngineConfig,
    LegalRange,
    actuator_limits,
    envelope_limits,
    warmup_speed_floor_kmh,
)
from runningroom.session.envelope import (
    Origin,
    SafetyEnvelope,
    Verdict,
    is_finite_number,
)
from runningroom.session.hr_input import HrInput
from runningroom.session.hr_plausibility_check import HrPlausibilityCheck
from runningroom.session.journal import Journal
from runningroom.session.model import (
    Alarm,
    AlarmKind,
    Cause,
    EventKind,
    HrQuality,
    Intent,
    OperatorCommand,
    SessionSnapshot,
    SessionState,
    SetInclineCommand,
    SetSpeedCommand,
    StartBeltCommand,
    StopBeltCommand,
    TreadmillCommand,
)
from runningroom.session.operator_commands import (
    ControllerMode,
    OperatorCommands,
    OperatorState,
    SessionActions,
)
from runningroom.session.phase_plan import (
    EXERCISE_PHASES,
    TRANSITIONS,
    PhaseClock,
    PhasePlan,
)
from runningroom.session.plausibility import PlausibilityMonitor
from runningroom.session.safety_actions import SafetyActions
from runningroom.session.summary import SessionSummary, summarise
from runningroom.session.supervisor import (
    SafetySupervisor,
    SafetyVerdict,
)
from runningroom.session.treadmill_watch import TreadmillWatch

logger = logging.getLogger(__name__)

__all__ = [
    "TRANSITIONS",
    "EngineConfig",
    "SessionEngine",
    "actuator_limits",
    "warmup_speed_floor_kmh",
]


class SessionEngine:
    """Runs one session: see the module docstring for the protocol.

    Args:
        profile: the patient.
        template: the session plan.
        prescription: zone, target and ceiling for this session.
        capabilities: the treadmill's capabilities (monitor-only means advisory mode:
            the snapshot carries the advised speed and no speed commands are returned).
        controller: any :class:`~runningroom.control.base.Controller`.
        sink: where samples and events go; :class:`RecordingError` from it raises a
            RECORDING_FAILED alarm and the rows are retried every tick.
        plant_estimate: the patient's identified plant from an earlier session (the
            fallback for :meth:`plant_estimate`).
        config: tunables.
    """

    def __init__(
        self,
        *,
        profile: PatientProfile,
        template: SessionTemplate,
        prescription: Prescription,
        capabilities: TreadmillCapabilities,
        controller: Controller,
        sink: SessionSink,
        plant_estimate: PlantEstimate | None = None,
        config: EngineConfig | None = None,
    ) -> None:
        self.profile = profile
        self.template = template
        self.prescription = prescription
        self.capabilities = capabilities
        self.controller = controller
        self.config = config or EngineConfig()
        self.limits = actuator_limits(profile, template, capabilities, self.config)
        self._legal = LegalRange(self.limits, profile, capabilities)
        self.advisory_mode = capabilities.monitor_only
        self._initial_plant = plant_estimate

        self._state = SessionState.IDLE
        self._clock = PhaseClock()
        self._plan = PhasePlan(
            template,
            prescription,
            warmup_target_ramp_fraction=self.config.warmup_target_ramp_fraction,
            target_ceiling_margin_bpm=self.config.target_ceiling_margin_bpm,
        )
        self._now_s = 0.0
        self._journal = Journal(
            sink,
            max_pending=self.config.max_pending_records,
            rel_s=self._rel,
            on_write_failed=self._recording_failed,
        )
        self._alarms = AlarmBook(self._journal, self._rel)

        # the belt: commanded and measured
        self._belt = BeltTracker(
            min_incline_pct=self.limits.min_incline_pct,
            settle_base_s=self.config.settle_base_s,
            settle_accel_kmh_per_s=self.config.settle_accel_kmh_per_s,
        )
        self._meas = BeltReadings()
        self._last_exercise_tick_s: float | None = None

        # HR
        sup_cfg = self.config.supervisor
        self._hr = HrInput(sup_cfg, self._journal, hold_after_s=self.config.hr_hold_after_s)
        self._supervisor = SafetySupervisor(prescription.ceiling_bpm, sup_cfg)
        self._envelope = SafetyEnvelope(
            envelope_limits(self.limits, profile, capabilities, prescription, self.config)
        )
        self._last_envelope_rule: dict[type, str | None] = {}
        self._plausibility = HrPlausibilityCheck(
            PlausibilityMonitor(
                float(prescription.resting_hr_bpm),
                plant=plant_estimate,
                config=self.config.plausibility,
            ),
            self._alarms,
            self._journal,
            enabled=self.config.check_hr_plausibility,
        )
        self._hr_this_tick: float | None = None  # the strap sample since the last tick
        self._verdict: SafetyVerdict | None = None

        # controller
        self._mode = ControllerMode()
        self._op = OperatorState()
        self._intent = Intent.NONE
        self._warmup_hr0_bpm = float(prescription.resting_hr_bpm)
        sup = self.config.supervisor
        lim = self.limits
        self._step = ControlStep(
            controller=controller,
            limits=lim,
            legal=self._legal,
            cooldown=template.cooldown,
            zone_low_bpm=prescription.zone_low_bpm,
            zone_high_bpm=prescription.zone_high_bpm,
            safe_walk_speed_kmh=self._legal.speed(
                min(max(sup.safe_walk_speed_kmh, lim.min_speed_kmh), lim.max_speed_kmh)
            ),
            ramp_down_kmh_per_s=sup.ramp_down_kmh_per_s,
            incline_ramp_pct_per_s=self.config.incline_ramp_pct_per_s,
            cooldown_ramp_fraction=self.config.cooldown_ramp_fraction,
            warmup_floor_kmh=self._legal.speed(
                self._start_speed_kmh() - self.config.warmup_max_slowdown_kmh
            ),
        )

        # alarms and recording
        self._last_sample_t_s: float | None = None
        actions = SessionActions(
            state=lambda: self._state,
            transition=self._transition,
            enter_phase=self._enter_phase,
            pause=self._pause,
            resume=self._resume,
            stop_belt=self._stop_belt,
            set_speed=lambda t, v, o: self._set_speed(t, v, origin=o),
            set_incline=lambda t, v, o: self._set_incline(t, v, origin=o),
            force_incline=lambda t, v: self._set_incline(t, v, force=True),
            suspend=self._suspend,
            adopt_operating_point=lambda t, s, i, c, w: self._adopt_operating_point(
                t, speed_kmh=s, incline_pct=i, cause=c, why=w
            ),
            confirm_hr=self._plausibility.confirm,
        )
        self._commands = OperatorCommands(
            actions=actions,
            clock=self._clock,
            journal=self._journal,
            alarms=self._alarms,
            hr=self._hr,
            belt=self._belt,
            legal=self._legal,
            envelope=self._envelope,
            supervisor=self._supervisor,
            controller=controller,
            mode=self._mode,
            operator=self._op,
            advisory_mode=self.advisory_mode,
            end_hr_lost_ramp=self._step.end_hr_lost_ramp,
        )
        self._safety = SafetyActions(
            supervisor=self.config.supervisor,
            auto_resume_controller_s=self.config.auto_resume_controller_s,
            ceiling_bpm=prescription.ceiling_bpm,
            min_incline_pct=self.limits.min_incline_pct,
            legal=self._legal,
            journal=self._journal,
            alarms=self._alarms,
            envelope=self._envelope,
            step=self._step,
            controller=controller,
            mode=self._mode,
            suspend=self._suspend,
        )
        self._treadmill = TreadmillWatch(
            actions=actions,
            config=self.config,
            capabilities=capabilities,
            limits=self.limits,
            legal=self._legal,
            clock=self._clock,
            journal=self._journal,
            alarms=self._alarms,
            belt=self._belt,
            readings=self._meas,
            envelope=self._envelope,
            controller=controller,
            mode=self._mode,
            advisory_mode=self.advisory_mode,
        )

    @property
    def sink(self) -> SessionSink:
        """Where samples and events go (may be replaced, e.g. by a tee)."""
        return self._journal.sink

    @sink.setter
    def sink(self, sink: SessionSink) -> None:
        self._journal.sink = sink

    @property
    def envelope(self) -> SafetyEnvelope:
        """The safety envelope every treadmill command passes (read-only use)."""
        return self._envelope

    # ------------------------------------------------------------------ properties

    @property
    def state(self) -> SessionState:
        """The current state."""
        return self._state

    @property
    def phase(self) -> SessionState | None:
        """The exercise phase the session is in (or paused in), if any."""
        return self._clock.phase

    @property
    def alarms(self) -> tuple[Alarm, ...]:
        """Every alarm raised in this session, oldest first."""
        return self._alarms.all

    @property
    def samples(self) -> tuple[SampleRecord, ...]:
        """Every sample recorded so far."""
        return self._journal.samples

    @property
    def events(self) -> tuple[EventRecord, ...]:
        """Every event recorded so far."""
        return self._journal.events

    @property
    def controller_suspended(self) -> bool:
        """True while the supervisor or a device fault suspends the controller."""
        return bool(self._mode.suspended)

    @property
    def speed_cmd_kmh(self) -> float:
        """The commanded (or, in advisory mode, advised) speed; 0 when stopped."""
        return self._belt.speed_cmd_kmh

    @property
    def incline_cmd_pct(self) -> float:
        """The commanded (or advised) incline."""
        return self._belt.incline_cmd_pct

    # ------------------------------------------------------------------ time helpers

    def _rel(self, now_s: float) -> float:
        return self._clock.rel(now_s)

    def phase_elapsed_s(self, now_s: float) -> float:
        """Active (unpaused) time spent in the current phase."""
        return self._clock.elapsed_s(now_s)

    # ------------------------------------------------------------------ recording

    def _recording_failed(self, exc: RecordingError) -> None:
        if not self._alarms.is_active(AlarmKind.RECORDING_FAILED):
            self._alarms.raise_alarm(
                self._now_s,
                AlarmKind.RECORDING_FAILED,
                f"recording failed: {exc}",
                "session continues; rows kept in memory and retried every second",
            )

    def retry_pending_records(self) -> int:
        """Try to write the rows kept after a recording failure; returns how many remain."""
        self._retry_pending()
        return self._journal.pending_count

    def take_pending_records(self) -> list[SampleRecord | EventRecord]:
        """Hand over (and forget) the rows that could not be recorded, oldest first.

        The station gives them to the recorder at the end of the session so that they
        are committed with the final status, or saved to a rescue file.
        """
        return self._journal.take_pending()

    def _retry_pending(self) -> None:
        if self._journal.retry() and self._alarms.is_active(AlarmKind.RECORDING_FAILED):
            self._alarms.clear(self._now_s, AlarmKind.RECORDING_FAILED)

    def _event(
        self, now_s: float, kind: EventKind, cause: Cause, message: str, **data: Any
    ) -> EventRecord:
        return self._journal.event(now_s, kind, cause, message, **data)

    # ------------------------------------------------------------------ alarms

    def active_alarms(self) -> tuple[Alarm, ...]:
        """Alarms not yet both cleared and acknowledged."""
        return self._alarms.unresolved()

    # ------------------------------------------------------------------ transitions

    def _transition(self, now_s: float, to: SessionState, cause: Cause, message: str) -> None:
        frm = self._state
        if to not in TRANSITIONS[frm]:
            raise RuntimeError(f"illegal session transition {frm} -> {to}")
        self._state = to
        self._envelope.observe_state(to)
        self._event(
            now_s,
            EventKind.STATE,
            cause,
            message or f"{frm} -> {to}",
            **{
                "from": str(frm),
                "to": str(to),
                "phase": str(self._clock.phase) if self._clock.phase else None,
            },
        )

    def _enter_phase(
        self, now_s: float, phase: SessionState, cause: Cause, message: str
    ) -> list[TreadmillCommand]:
        cmds: list[TreadmillCommand] = []
        self._clock.enter(now_s, phase)
        if phase is SessionState.FINISHED:
            self._transition(now_s, phase, cause, message)
            cmds += self._stop_belt(now_s)
            return cmds
        self._transition(now_s, phase, cause, message)
        if phase is SessionState.WARMUP:
            start = self._start_speed_kmh()
            incline = self.limits.min_incline_pct
            filtered = self._hr.filtered_bpm
            if self._hr.quality.trusted and filtered is not None:
                self._warmup_hr0_bpm = min(filtered, self.prescription.zone_low_bpm)
            else:
                self._warmup_hr0_bpm = min(
                    float(self.prescription.resting_hr_bpm), self.prescription.zone_low_bpm
                )
            self.controller.reset(now_s, start, incline, self.limits)
            self._supervisor.reset_timers(now_s)
            cmds += self._start_belt(now_s)
            cmds += self._set_speed(now_s, start)
            if self.capabilities.can_control_incline:
                cmds += self._set_incline(now_s, incline, force=True)
        elif phase is SessionState.COOLDOWN:
            self._step.anchor_cooldown(self._belt.speed_cmd_kmh, self._belt.incline_cmd_pct, 0.0)
        return cmds

    def _start_speed_kmh(self) -> float:
        return self._legal.speed(
            self._plan.start_speed_kmh(self.profile, self.config.default_start_speed_kmh)
        )

    # ------------------------------------------------------------------ actuator output

    def _emit(
        self,
        now_s: float,
        cmd: TreadmillCommand,
        *,
        requested_epoch: int | None = None,
        origin: Origin = Origin.SOFTWARE,
    ) -> list[TreadmillCommand]:
        """Pass ``cmd`` through the safety envelope; returns what may be sent."""
        verdict = self._envelope.check(cmd, now_s, requested_epoch=requested_epoch, origin=origin)
        return self._sent(now_s, verdict)

    def _sent(self, now_s: float, verdict: Verdict) -> list[TreadmillCommand]:
        """Book-keep one envelope verdict: record cuts and drops, track what was sent."""
        kind = type(verdict.requested)
        rule = str(verdict.rule) if verdict.rule is not None else None
        if rule is not None and self._last_envelope_rule.get(kind) != rule:
            self._event(
                now_s,
                EventKind.SAFETY,
                Cause.SAFETY,
                f"safety envelope {rule}: {verdict.requested} -> {verdict.command}",
                rule=rule,
                requested=str(verdict.requested),
                sent=str(verdict.command),
            )
        self._last_envelope_rule[kind] = rule
        cmd = verdict.command
        if cmd is None:
            self._belt.drop_resend(kind)
            return []
        self._belt.note_sent(now_s, cmd, self._envelope.epoch)
        if isinstance(cmd, SetSpeedCommand):
            self._hr.note_speed(cmd.speed_kmh)
        return [cmd]

    def _set_speed(
        self, now_s: float, speed_kmh: float, origin: Origin = Origin.SOFTWARE
    ) -> list[TreadmillCommand]:
        """Command ``speed_kmh`` if it changed; the envelope may cut it.

        The operating point becomes what the envelope let through (advisory mode: the
        advised value, which is never sent).
        """
        changed = abs(speed_kmh - self._belt.speed_cmd_kmh) > 1e-9
        if self.advisory_mode:
            self._belt.speed_cmd_kmh = speed_kmh
            self._hr.note_speed(speed_kmh, relayed_too=False)
            return []
        if not changed and self._belt.has_sent(SetSpeedCommand):
            return []
        return self._emit(now_s, SetSpeedCommand(speed_kmh), origin=origin)

    def _set_incline(
        self,
        now_s: float,
        incline_pct: float,
        force: bool = False,
        origin: Origin = Origin.SOFTWARE,
    ) -> list[TreadmillCommand]:
        changed = abs(incline_pct - self._belt.incline_cmd_pct) > 1e-9
        if self.advisory_mode or not self.capabilities.can_control_incline:
            self._belt.incline_cmd_pct = incline_pct
            return []
        if not changed and not force:
            return []
        return self._emit(now_s, SetInclineCommand(incline_pct), origin=origin)

    def _start_belt(self, now_s: float) -> list[TreadmillCommand]:
        if self.advisory_mode:
            self._belt.running = True
            self._belt.speed_cmd_kmh = 0.0
            return []
        sent = self._emit(now_s, StartBeltCommand())
        if sent:
            self._belt.running = True
            self._belt.forget_sent(SetSpeedCommand)
            self._belt.speed_cmd_kmh = 0.0
        return sent

    def _stop_belt(self, now_s: float) -> list[TreadmillCommand]:
        """Stop the belt. Sent even in advisory mode: a stop is always worth trying."""
        self._belt.running = False
        self._belt.speed_cmd_kmh = 0.0
        self._step.end_hr_lost_ramp()
        self._hr.note_speed(0.0, relayed_too=False)
        return self._emit(now_s, StopBeltCommand())

    # ------------------------------------------------------------------ inputs

    def on_hr(self, sample: HrSample, arrival_s: float | None = None) -> None:
        """Feed one HR sample from the HR source (strap).

        Args:
            sample: the sample, stamped by the transport.
            arrival_s: when it arrived, on the clock that drives :meth:`tick` (the
                runtime always passes it). Without it the engine only knows the time of
                the last tick, so a sample arriving between ticks looks early and is
                re-stamped to that tick, which distorts the 2 s jump window.

        Boundary rules: a sample with a non-finite time, or older than the last one, is
        dropped; a sample stamped more than the gate's future tolerance after the
        engine's known time is re-stamped to that time (the strap's clock does not move
        the engine's).
        """
        if arrival_s is not None and is_finite_number(arrival_s):
            self._now_s = max(self._now_s, arrival_s)
        self._envelope.observe_hr(sample)  # every sample, even one dropped below
        admitted = self._hr.admit(sample, self._now_s)
        if admitted is None:
            return
        sample, self._now_s = admitted
        quality = self._hr.judge(sample)
        if quality is not None:
            self._accept_hr(sample, quality)

    def _accept_hr(self, sample: HrSample, quality: HrQuality) -> None:
        self._envelope.observe_hr(sample)
        self._hr.accept(sample, quality, record=self._recording)
        self._hr_this_tick = float(sample.hr_bpm)
        self._envelope.observe_tick(
            self._now_s,
            gate_trusted=quality.trusted,
            gate_permits_increase=self._permits_increase(self._now_s, quality),
            continue_without_hr=self._op.continue_without_hr,
        )

    def _permits_increase(self, now_s: float, quality: HrQuality) -> bool:
        """The HR permits an increase: trusted, settled (the gate) and plausible."""
        return self._hr.permits_increase(now_s, quality) and self._plausibility.plausible

    @property
    def _recording(self) -> bool:
        """True while HR quality changes and offers are recorded."""
        return self._clock.started and not self._state.is_terminal

    def on_measurement(self, m: TreadmillMeasurement) -> None:
        """Feed one treadmill measurement (speed, incline, distance, relayed HR).

        A measurement with a non-finite time, speed, incline or HR, or with a speed or
        incline the device cannot have (outside its range by more than a margin), is
        ignored whole.
        """
        values = (m.t_s, m.speed_kmh, m.incline_pct, m.distance_m, m.hr_bpm)
        if not all(v is None or is_finite_number(v) for v in values):
            logger.warning("treadmill measurement with a non-finite value ignored")
            return
        caps = self.capabilities
        if (m.speed_kmh is not None and not 0.0 <= m.speed_kmh <= caps.max_speed_kmh + 5.0) or (
            m.incline_pct is not None
            and not caps.min_incline_pct - 5.0 <= m.incline_pct <= caps.max_incline_pct + 5.0
        ):
            logger.warning("treadmill measurement outside the device's range ignored: %s", m)
            return
        self._now_s = max(self._now_s, m.t_s)
        self._meas.update(m, belt_running=self._belt.running, started=self._clock.started)
        self._envelope.observe_belt(m.t_s, m.speed_kmh)
        self._treadmill.on_measurement(m.t_s)
        if m.hr_bpm is not None:
            relayed = self._hr.relayed(m.t_s, m.hr_bpm)
            if relayed is not None:
                self._accept_hr(relayed, HrQuality.LOW_QUALITY_SOURCE)

    def on_device_event(self, ev: DeviceEvent) -> list[TreadmillCommand]:
        """Feed a device event; returns the commands to send because of it.

        A treadmill that refuses speed control when the belt is started
        (``CONTROL_LOST`` with value :data:`~runningroom.devices.CONTROL_REFUSED_AT_START`)
        turns the session advisory from then on, and the record says so.
        """
        self._now_s = max(self._now_s, ev.t_s)
        cmds = self._treadmill.on_event(ev)
        if (
            ev.role is DeviceRole.TREADMILL
            and ev.kind is DeviceEventKind.CONTROL_LOST
            and ev.value == CONTROL_REFUSED_AT_START
            and not self.advisory_mode
            and self._clock.started
            and not self._state.is_terminal
        ):
            self._enter_advisory(ev.t_s)
        return cmds

    def _enter_advisory(self, now_s: float) -> None:
        """The treadmill took no speed command: advise the therapist instead of driving."""
        self.advisory_mode = True
        self._commands.advisory_mode = True
        self._treadmill.advisory_mode = True
        self.capabilities = replace(
            self.capabilities, can_control_speed=False, can_control_incline=False
        )
        self._event(
            now_s,
            EventKind.CONTROLLER,
            Cause.DEVICE,
            "treadmill refused speed control after Start: advisory mode"
            " (set the advised speed by hand)",
            action="advisory",
        )

    def _adopt_operating_point(
        self,
        now_s: float,
        *,
        speed_kmh: float | None,
        incline_pct: float | None,
        cause: Cause,
        why: str,
    ) -> None:
        """Somebody else set the belt: take the new point over without commanding it."""
        self._belt.adopt(speed_kmh, incline_pct)
        if speed_kmh is not None:
            self._hr.note_speed(speed_kmh, relayed_too=False)
        self._reanchor_cooldown(now_s)
        self.controller.reseed(now_s, self._belt.speed_cmd_kmh, self._belt.incline_cmd_pct)
        self._event(
            now_s,
            EventKind.CONTROLLER,
            cause,
            f"{why}; controller re-seeded",
            action="reseed",
            speed_kmh=self._belt.speed_cmd_kmh,
            incline_pct=self._belt.incline_cmd_pct,
        )

    def _reanchor_cooldown(self, now_s: float) -> None:
        if self._clock.phase is SessionState.COOLDOWN:
            self._step.anchor_cooldown(
                self._belt.speed_cmd_kmh, self._belt.incline_cmd_pct, self.phase_elapsed_s(now_s)
            )

    def command_result(
        self, cmd: TreadmillCommand, ok: bool, now_s: float, error: str = ""
    ) -> None:
        """Report the outcome of a command the engine returned (see :class:`TreadmillWatch`)."""
        self._now_s = max(self._now_s, now_s)
        self._treadmill.command_result(cmd, ok, now_s, error)

    # ------------------------------------------------------------------ controller state

    def _suspend(self, now_s: float, reason: str, message: str, cause: Cause) -> None:
        if reason in self._mode.suspended:
            return
        self._mode.suspended[reason] = message
        self._event(
            now_s,
            EventKind.CONTROLLER,
            cause,
            f"controller suspended: {message}",
            action="suspended",
            reason=reason,
            speed_kmh=self._belt.speed_cmd_kmh,
            incline_pct=self._belt.incline_cmd_pct,
        )

    # ------------------------------------------------------------------ operator commands

    def command(self, cmd: OperatorCommand, now_s: float) -> list[TreadmillCommand]:
        """Apply an operator command; returns the treadmill commands to send.

        Every command is recorded (overrides as ``override`` events with cause
        ``therapist``); a command that makes no sense in the current state is recorded
        as ``rejected`` and ignored.
        """
        self._now_s = max(self._now_s, now_s)
        return self._commands.apply(cmd, now_s)

    def stop_for(self, now_s: float, cause: Cause, message: str) -> list[TreadmillCommand]:
        """End the session as ``stopped`` for a non-therapist reason (e.g. Ctrl-C).

        No-op (returns a belt stop) if the session already ended.
        """
        if self._state.is_terminal:
            return self._stop_belt(now_s)
        self._clock.ensure_started(now_s)
        self._clock.close_pause(now_s)
        self._transition(now_s, SessionState.STOPPED, cause, message)
        return self._stop_belt(now_s)

    def abort(self, now_s: float, message: str) -> list[TreadmillCommand]:
        """End the session as ``aborted`` after a fatal error (e.g. a runtime bug).

        No-op (returns a belt stop) if the session already ended.
        """
        if self._state.is_terminal:
            return self._stop_belt(now_s)
        self._clock.ensure_started(now_s)
        self._clock.close_pause(now_s)
        self._transition(now_s, SessionState.ABORTED, Cause.SYSTEM, message)
        return self._stop_belt(now_s)

    def _pause(self, now_s: float, cause: Cause, message: str) -> list[TreadmillCommand]:
        self._belt.resume_speed_kmh = self._belt.speed_cmd_kmh
        self._belt.resume_incline_pct = self._belt.incline_cmd_pct
        self._clock.open_pause(now_s)
        self._transition(now_s, SessionState.PAUSED, cause, message)
        return self._stop_belt(now_s)

    def _resume(self, now_s: float) -> list[TreadmillCommand]:
        phase = self._clock.phase
        assert phase is not None
        self._clock.close_pause(now_s)
        self._transition(now_s, phase, Cause.THERAPIST, f"resumed {phase}")
        speed = self._legal.speed(self._belt.resume_speed_kmh or self._start_speed_kmh())
        incline = self._belt.resume_incline_pct
        cmds = self._start_belt(now_s)
        cmds += self._set_speed(now_s, speed)
        if self.capabilities.can_control_incline:
            cmds += self._set_incline(now_s, incline, force=True)
        self._supervisor.reset_timers(now_s)
        self._reanchor_cooldown(now_s)
        self.controller.reseed(now_s, speed, incline)
        return cmds

    # ------------------------------------------------------------------ tick

    def target_bpm(self, now_s: float) -> float:
        """The control target at ``now_s`` (phase ramp + therapist offset + steps)."""
        return self._plan.target_bpm(
            self._clock.phase,
            self._clock.elapsed_s(now_s),
            warmup_hr0_bpm=self._warmup_hr0_bpm,
            offset_bpm=self._op.target_offset_bpm,
        )

    def tick(self, now_s: float) -> list[TreadmillCommand]:
        """Advance the session to ``now_s``: timers, supervisor, controller, recording."""
        self._now_s = max(self._now_s, now_s)
        cmds: list[TreadmillCommand] = []
        self._retry_pending()
        quality = self._hr.quality_now(now_s)
        self._hr.set_quality(now_s, quality, record=self._recording)
        if self._state in EXERCISE_PHASES:
            self._observe_plausibility(now_s, quality)
        self._hr_this_tick = None
        self._envelope.observe_tick(
            now_s,
            gate_trusted=quality.trusted,
            gate_permits_increase=self._permits_increase(now_s, quality),
            continue_without_hr=self._op.continue_without_hr,
        )
        if quality.trusted:
            self._hr.reset_failover_offer(self._now_s)
        elif self._recording:
            self._hr.maybe_offer_failover(now_s)
        state = self._state
        if state is SessionState.PREFLIGHT:
            if quality.trusted:
                cmds += self._enter_phase(
                    now_s, SessionState.WARMUP, Cause.SYSTEM, "HR trusted: warm-up"
                )
            elif self._clock.preflight_elapsed_s(now_s) >= self.config.preflight_hr_timeout_s:
                self._alarms.raise_alarm(
                    now_s,
                    AlarmKind.HR_LOST,
                    "no trusted HR before the warm-up",
                    "waiting for HR; skip the phase to start without HR",
                )
        elif state in EXERCISE_PHASES:
            cmds += self._tick_exercise(now_s, quality)
        elif state is SessionState.PAUSED:
            self._treadmill.tick(now_s)
            # keep the alarms current while the belt stands still (no actions)
            filtered = self._hr.filtered_bpm if quality.trusted else None
            verdict = self._supervisor.evaluate(now_s, quality, filtered)
            self._safety.sync_hr_alarms(now_s, verdict, self._hr.quality)
            if not verdict.above_ceiling:
                self._alarms.clear(now_s, AlarmKind.HR_ABOVE_CEILING)
        if self._belt.has_resends and not self._state.is_terminal:
            cmds += self._resend_failed(now_s)
        elif self._belt.has_resends and self._state.is_terminal:
            cmds += self._belt.take_stop_resends()
        for required in self._envelope.required(now_s):
            cmds += self._sent(now_s, required)
        self._maybe_sample(now_s)
        return _dedupe(cmds)

    def _observe_plausibility(self, now_s: float, quality: HrQuality) -> None:
        """Judge this tick's HR against the load the patient is under."""
        self._plausibility.use_plant(now_s, self.controller.plant_estimate())
        meas = self._meas
        speed = meas.live_speed_kmh(now_s, RECENT_S)
        incline = meas.live_incline_pct(now_s, RECENT_S)
        if speed is None or not is_finite_number(speed):
            speed = self._belt.speed_cmd_kmh if self._belt.running else 0.0
        if incline is None or not is_finite_number(incline):
            incline = self._belt.incline_cmd_pct
        self._plausibility.observe(
            now_s,
            self._hr_this_tick,
            trusted=quality.trusted,
            speed_kmh=speed,
            incline_pct=incline,
        )

    def _resend_failed(self, now_s: float) -> list[TreadmillCommand]:
        """Re-send failed commands, each through the envelope as of its request."""
        out: list[TreadmillCommand] = []
        for cmd, epoch in self._belt.take_resends():
            sent = self._emit(now_s, cmd, requested_epoch=epoch)
            if isinstance(cmd, StartBeltCommand) and not sent:
                self._belt.running = False
            out += sent
        return out

    def _tick_exercise(self, now_s: float, quality: HrQuality) -> list[TreadmillCommand]:
        cmds: list[TreadmillCommand] = []
        cfg = self.config
        last_tick_s = self._last_exercise_tick_s
        self._last_exercise_tick_s = now_s
        dt_s = min(max(now_s - last_tick_s, 0.0), 2.0) if last_tick_s is not None else 1.0
        phase = self._state
        elapsed = self.phase_elapsed_s(now_s)
        filtered = self._hr.filtered_bpm if quality.trusted else None

        # phase timers
        if phase is SessionState.WARMUP and elapsed >= self.template.warmup.duration_s:
            cmds += self._enter_phase(now_s, SessionState.MAIN, Cause.TIMER, "warm-up done")
        elif phase is SessionState.MAIN and elapsed >= self.template.main.duration_s:
            cmds += self._enter_phase(now_s, SessionState.COOLDOWN, Cause.TIMER, "main phase done")
        elif phase is SessionState.COOLDOWN:
            recovery_bpm = self._plan.recovery_bpm
            if elapsed >= self.template.cooldown.duration_s:
                return cmds + self._enter_phase(
                    now_s, SessionState.FINISHED, Cause.TIMER, "cool-down done"
                )
            if elapsed >= cfg.cooldown_min_s and filtered is not None and filtered < recovery_bpm:
                return cmds + self._enter_phase(
                    now_s,
                    SessionState.FINISHED,
                    Cause.SYSTEM,
                    f"HR recovered below {recovery_bpm:.0f} bpm",
                )
        phase = self._state
        elapsed = self.phase_elapsed_s(now_s)

        # devices
        cmds += self._treadmill.tick(now_s)
        if self._state not in EXERCISE_PHASES:
            return cmds
        cmds += self._treadmill.check_console_pending(now_s)
        if self._belt.console_pending is None:
            cmds += self._treadmill.follow_belt(now_s)
        if self._state not in EXERCISE_PHASES:
            return cmds

        # supervisor
        reading = self._hr.reading(now_s, quality)
        untrusted_raw = reading.untrusted_raw_bpm
        verdict = self._supervisor.evaluate(
            now_s,
            quality,
            filtered,
            untrusted_raw_bpm=untrusted_raw,
            flapping=reading.flapping,
        )
        allow_increase = (
            verdict.allow_increase
            and (self._hr.failover_active or reading.gate_permits_increase)
            and self._plausibility.plausible
        )
        self._verdict = verdict
        self._safety.sync_hr_alarms(now_s, verdict, self._hr.quality)
        acted = self._safety.act(
            now_s,
            phase,
            verdict,
            hr_bpm=filtered,
            untrusted_raw_bpm=untrusted_raw,
            speed_kmh=self._belt.speed_cmd_kmh,
            incline_pct=self._belt.incline_cmd_pct,
        )
        speed, incline = acted.speed_kmh, acted.incline_pct
        if acted.go_cooldown:
            cmds += self._apply(now_s, speed, incline)
            cmds += self._enter_phase(
                now_s, SessionState.COOLDOWN, Cause.SAFETY, "HR above the safety ceiling"
            )
            return cmds
        out = self._step.propose(
            StepInput(
                now_s=now_s,
                phase=phase,
                elapsed_s=elapsed,
                dt_s=dt_s,
                hr_bpm=filtered,
                hr_fresh=self._hr.fresh(now_s),
                target_bpm=self.target_bpm(now_s),
                speed_kmh=speed,
                incline_pct=incline,
                commanded_speed_kmh=self._belt.speed_cmd_kmh,
                commanded_incline_pct=self._belt.incline_cmd_pct,
                allow_increase=allow_increase,
                safety_acted=acted.acted,
                intent=acted.intent,
                held=self._mode.held,
                suspended=bool(self._mode.suspended),
                supervisor_hold=verdict.hold,
                manual_speed="speed" in self._mode.manual_axes,
                manual_incline="incline" in self._mode.manual_axes,
            )
        )
        if out.controller_error is not None:
            self._suspend(
                now_s,
                "controller_error",
                f"controller error: {out.controller_error!r}",
                Cause.CONTROLLER,
            )
        self._intent = out.intent
        cmds += self._apply(now_s, out.speed_kmh, out.incline_pct)
        return cmds

    def _apply(self, now_s: float, speed: float, incline: float) -> list[TreadmillCommand]:
        cmds: list[TreadmillCommand] = []
        if not self._belt.running:
            return cmds
        if self.limits.use_speed or abs(speed - self._belt.speed_cmd_kmh) > 1e-9:
            cmds += self._set_speed(now_s, speed)
        cmds += self._set_incline(now_s, incline)
        return cmds

    # ------------------------------------------------------------------ recording

    def _maybe_sample(self, now_s: float) -> None:
        if not self._clock.started or self._state is SessionState.IDLE or self._state.is_terminal:
            return
        if (
            self._last_sample_t_s is not None
            and now_s - self._last_sample_t_s < 0.75 * self.config.sample_period_s
        ):
            return
        self._last_sample_t_s = now_s
        p = self.prescription
        max_age_s = self.config.measurement_timeout_s
        meas_speed = self._meas.live_speed_kmh(now_s, max_age_s)
        phase_name = str(self._state) if self._state is not SessionState.PAUSED else "paused"
        stale = self._hr.quality in (HrQuality.STALE, HrQuality.NO_SIGNAL)
        sample = SampleRecord(
            t_s=self._rel(now_s),
            phase=phase_name,
            hr_raw_bpm=None if stale else self._hr.raw_bpm,
            hr_filtered_bpm=(
                round(self._hr.filtered_bpm, 2)
                if self._hr.filtered_bpm is not None and self._hr.quality.trusted
                else None
            ),
            hr_quality=str(self._hr.quality),
            rr_ms=self._hr.take_rr_ms(),
            target_bpm=round(self.target_bpm(now_s), 2),
            zone_low_bpm=p.zone_low_bpm,
            zone_high_bpm=p.zone_high_bpm,
            speed_cmd_kmh=self._belt.speed_cmd_kmh,
            speed_meas_kmh=meas_speed,
            incline_cmd_pct=self._belt.incline_cmd_pct,
            incline_meas_pct=self._meas.live_incline_pct(now_s, max_age_s),
            distance_m=round(self._meas.distance_m, 2),
        )
        self._journal.sample(sample)

    # ------------------------------------------------------------------ outputs

    def hr_quality_now(self, now_s: float) -> HrQuality:
        """The HR gate's verdict on the HR in use at ``now_s`` (a query).

        Meant for screens before the session ticks (the pre-session check): the
        snapshot's ``hr_quality`` is the verdict at the last tick or sample, this one
        also sees a strap that went silent since.
        """
        return self._hr.quality_now(max(now_s, self._now_s))

    def snapshot(self) -> SessionSnapshot:
        """Copy of everything a screen needs, at the last time the engine saw."""
        now = self._now_s
        phase = (
            self._clock.phase
            if self._state not in (SessionState.IDLE, SessionState.PREFLIGHT)
            else None
        )
        duration = self._plan.duration_s(phase)
        elapsed = self.phase_elapsed_s(now) if phase is not None else 0.0
        p = self.prescription
        filtered = self._hr.filtered_bpm if self._hr.quality.trusted else None
        target = self.target_bpm(now)
        band_low, band_high = self._plan.target_band(phase, target)
        remaining = max(duration - elapsed, 0.0)
        return SessionSnapshot(
            t_s=self._rel(now),
            state=self._state,
            phase=phase,
            phase_elapsed_s=elapsed,
            phase_remaining_s=remaining,
            session_elapsed_s=self._rel(now),
            hr_bpm=None
            if self._hr.quality in (HrQuality.STALE, HrQuality.NO_SIGNAL)
            else self._hr.raw_bpm,
            hr_filtered_bpm=filtered,
            hr_quality=self._hr.quality,
            target_bpm=target,
            zone_low_bpm=p.zone_low_bpm,
            zone_high_bpm=p.zone_high_bpm,
            ceiling_bpm=p.ceiling_bpm,
            speed_cmd_kmh=self._belt.speed_cmd_kmh,
            speed_meas_kmh=self._meas.live_speed_kmh(now, self.config.measurement_timeout_s),
            incline_cmd_pct=self._belt.incline_cmd_pct,
            incline_meas_pct=self._meas.live_incline_pct(now, self.config.measurement_timeout_s),
            distance_m=self._meas.distance_m,
            target_offset_bpm=self._op.target_offset_bpm,
            controller_held=self._mode.held,
            controller_suspended=bool(self._mode.suspended),
            advisory_mode=self.advisory_mode,
            intent=self._intent if self._state.is_exercising else Intent.NONE,
            active_alarms=tuple(replace(a) for a in self.active_alarms()),
            advised_speed_kmh=self._belt.speed_cmd_kmh if self.advisory_mode else None,
            advised_incline_pct=self._belt.incline_cmd_pct if self.advisory_mode else None,
            hr_failover_available=self._hr.failover_available(now)
            and not self._hr.failover_accepted,
            hr_failover_active=self._hr.failover_active,
            controller_name=getattr(self.controller, "name", ""),
            speed_manual="speed" in self._mode.manual_axes,
            incline_manual="incline" in self._mode.manual_axes,
            continue_without_hr=self._op.continue_without_hr,
            hr_plausible=self._plausibility.plausible,
            hr_implausible_reason=self._plausibility.reason,
            planned_duration_s=self.template.planned_duration_s,
            rpe=self._op.rpe,
            feeling=self._op.feeling,
            phase_target_low_bpm=band_low,
            phase_target_high_bpm=band_high,
            session_remaining_s=(
                self._plan.session_remaining_s(phase, remaining)
                if not self._state.is_terminal
                else 0.0
            ),
        )

    def summary(self) -> SessionSummary:
        """Summary of the recorded samples and events so far."""
        return summarise(
            self._journal.samples,
            self._journal.events,
            status=str(self._state),
            ceiling_bpm=self.prescription.ceiling_bpm,
        )

    def plant_estimate(self) -> PlantEstimate | None:
        """The controller's identified plant, else the estimate the engine was given."""
        try:
            est = self.controller.plant_estimate()
        except Exception:  # a controller bug must not lose the session
            logger.exception("controller.plant_estimate failed")
            est = None
        return est if est is not None else self._initial_plant


def _dedupe(cmds: list[TreadmillCommand]) -> list[TreadmillCommand]:
    """Keep only the last speed and incline command (in place of earlier ones)."""
    out: list[TreadmillCommand] = []
    for i, cmd in enumerate(cmds):
        if isinstance(cmd, SetSpeedCommand | SetInclineCommand) and any(
            type(later) is type(cmd) for later in cmds[i + 1 :]
        ):
            continue
        out.append(cmd)
    return out
