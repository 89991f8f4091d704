"""The treadmill watch: device events, command outcomes, silences and the belt's divergence.

Contract:

* Every device event is recorded once the session started (cause ``patient`` for what
  the patient did on the console). A treadmill event raises its rule's alarm and, in an
  exercise phase, suspends the controller or pauses the session as the rule says
  (:func:`~runningroom.session.supervisor.treadmill_event_rule`); after the end a
  reconnected belt is stopped again.
* Reconnection within the grace period re-sends the held operating point and resumes a
  controller suspended by the disconnection; otherwise the belt is stopped. A
  disconnection longer than the grace period pauses the session (:meth:`TreadmillWatch.tick`).
* A console speed change is believed only once the measured belt speed confirms it
  (within ``console_confirm_s``, else it is recorded as ignored); an adopted speed outside
  the patient's limits is commanded back. A console incline is adopted within the limits.
* ``max_command_failures`` failed commands in a row, or no measurement for
  ``measurement_timeout_s`` while exercising, raise TREADMILL_NOT_RESPONDING and suspend
  the controller. The silence counts from the last measurement or the last
  reconnection, whichever is later (no alarm right after a reconnection). Silence for a
  further ``reconnect_grace_s`` pauses the session and tells the therapist to stop the
  belt at the machine (serial machines without a watchdog keep running).
* Divergence (:meth:`TreadmillWatch.follow_belt`): a standing belt pauses the session; a
  belt faster than commanded gets the command again (never adopted); a slower one is
  adopted as a console change.
* A treadmill that ignores speed corrections (more than ``MAX_IGNORED_CORRECTIONS``
  within ``CORRECTION_WINDOW_S`` not followed by the measured belt) raises
  TREADMILL_NOT_RESPONDING once, suspends the controller and gets no more corrections
  until the belt follows its command again.

Everything it commands goes through :class:`SessionActions`, hence through the envelope.
"""

from __future__ import annotations

import logging
import math

from runningroom.control.base import ActuatorLimits, Controller
from runningroom.devices import DeviceEvent, DeviceEventKind, DeviceRole, TreadmillCapabilities
from runningroom.session.alarms import AlarmBook
from runningroom.session.belt import BeltReadings, BeltTracker, Divergence
from runningroom.session.engine_config import EngineConfig, LegalRange
from runningroom.session.envelope import Origin, SafetyEnvelope
from runningroom.session.journal import Journal
from runningroom.session.model import (
    AlarmKind,
    Cause,
    EventKind,
    SetSpeedCommand,
    StopBeltCommand,
    TreadmillCommand,
)
from runningroom.session.operator_commands import ControllerMode, SessionActions
from runningroom.session.phase_plan import EXERCISE_PHASES, PhaseClock
from runningroom.session.supervisor import treadmill_event_rule

logger = logging.getLogger(__name__)

Cmds = list[TreadmillCommand]

#: Speed corrections (command back after a console change or a belt above its command)
#: the belt may ignore within :data:`CORRECTION_WINDOW_S` before the engine gives up.
MAX_IGNORED_CORRECTIONS = 3
#: A silence counts only over this many ticks without a measurement (alarm, pause), so
#: one late tick after a stall of the control loop is not taken for a silent treadmill.
SILENT_TICKS_TO_ALARM = 3
SILENT_TICKS_TO_PAUSE = 10
CORRECTION_WINDOW_S = 120.0


class TreadmillWatch:
    """Acts on what the treadmill reports; see the module docstring."""

    def __init__(
        self,
        *,
        actions: SessionActions,
        config: EngineConfig,
        capabilities: TreadmillCapabilities,
        limits: ActuatorLimits,
        legal: LegalRange,
        clock: PhaseClock,
        journal: Journal,
        alarms: AlarmBook,
        belt: BeltTracker,
        readings: BeltReadings,
        envelope: SafetyEnvelope,
        controller: Controller,
        mode: ControllerMode,
        advisory_mode: bool,
    ) -> None:
        self._do = actions
        self._config = config
        self._caps = capabilities
        self._limits = limits
        self._legal = legal
        self._clock = clock
        self._journal = journal
        self._alarms = alarms
        self._belt = belt
        self._meas = readings
        # the silence timer counts from the last measurement or the last (re)connection
        self._silence_from_s: float | None = None
        # ticks since the last measurement: a late loop (one tick after a long gap, e.g.
        # a stalled process at a high simulation speed-up) is not a silent treadmill
        self._silent_ticks = 0
        # speed corrections the belt has not followed yet (their times)
        self._corrections_s: list[float] = []
        self._ignoring = False  # the treadmill ignores corrections: stop sending them
        self._stop_failed_in_outage = False  # a failed Stop already recorded this outage
        self._envelope = envelope
        self._controller = controller
        self._mode = mode
        self.advisory_mode = advisory_mode

    def _set_speed_sw(self, now_s: float, speed_kmh: float) -> Cmds:
        return self._do.set_speed(now_s, speed_kmh, Origin.SOFTWARE)

    def _adopt(
        self,
        now_s: float,
        *,
        speed_kmh: float | None,
        incline_pct: float | None,
        cause: Cause,
        why: str,
    ) -> None:
        self._do.adopt_operating_point(now_s, speed_kmh, incline_pct, cause, why)

    def on_measurement(self, t_s: float) -> None:
        """A believed measurement at ``t_s``: confirm a pending console change, end a silence."""
        self._silent_ticks = 0
        if (self._corrections_s or self._ignoring) and self._belt_confirms(
            t_s, self._belt.speed_cmd_kmh
        ):
            self._followed(t_s)
        pending = self._belt.console_pending
        if (
            pending is not None
            and self._do.state() in EXERCISE_PHASES
            and self._belt_confirms(t_s, pending[0])
        ):
            self._belt.console_pending = None
            self._adopt_console_speed(
                t_s, pending[0], "speed changed on the treadmill console", command_back=False
            )
        if self._meas.silent:
            self._meas.silent = False
            if self._belt.failures < self._config.max_command_failures:
                self._alarms.clear(t_s, AlarmKind.TREADMILL_NOT_RESPONDING)

    def on_event(self, ev: DeviceEvent) -> Cmds:
        """Record a device event; act on a treadmill event. Returns the commands to send."""
        now = ev.t_s
        cmds: Cmds = []
        if self._clock.started:
            cause = (
                Cause.PATIENT
                if ev.kind
                in (
                    DeviceEventKind.STOPPED_BY_USER,
                    DeviceEventKind.PAUSED_BY_USER,
                    DeviceEventKind.STARTED_BY_USER,
                )
                else Cause.DEVICE
            )
            self._journal.event(
                now,
                EventKind.DEVICE,
                cause,
                ev.message or f"{ev.role} {ev.kind}",
                role=str(ev.role),
                device_kind=str(ev.kind),
                value=ev.value,
            )
        if ev.role is not DeviceRole.TREADMILL:
            return cmds
        if self._do.state().is_terminal:
            if ev.kind in (DeviceEventKind.RECONNECTED, DeviceEventKind.CONNECTED):
                cmds += self._do.stop_belt(now)  # a reconnected belt may still be running
            return cmds
        if ev.kind in (
            DeviceEventKind.CONSOLE_SPEED_CHANGED,
            DeviceEventKind.CONSOLE_INCLINE_CHANGED,
        ):
            return cmds + self._console_change(now, ev)
        if ev.kind in (DeviceEventKind.RECONNECTED, DeviceEventKind.CONNECTED):
            return self._treadmill_reconnected(now)
        if ev.kind is DeviceEventKind.CONTROL_GRANTED:
            self._alarms.clear(now, AlarmKind.CONTROL_LOST)
            return cmds
        if ev.kind is DeviceEventKind.SAFETY_KEY and ev.value is not None and ev.value >= 1.0:
            # value 1.0 reports the key back in place (the belt stays stopped)
            self._alarms.clear(now, AlarmKind.SAFETY_KEY)
            return cmds
        rule = treadmill_event_rule(ev.kind)
        if rule is None or not self._clock.started:
            return cmds
        if ev.kind is DeviceEventKind.DISCONNECTED:
            self._belt.disconnected_since_s = now
        self._alarms.raise_alarm(
            now, rule.alarm, ev.message or f"treadmill: {ev.kind}", rule.action
        )
        if rule.suspend_controller and self._do.state() in EXERCISE_PHASES:
            self._do.suspend(now, str(ev.kind), f"treadmill {ev.kind}", Cause.DEVICE)
        if rule.pause and self._do.state() in EXERCISE_PHASES:
            cmds += self._do.pause(now, Cause.DEVICE, f"treadmill {ev.kind}: session paused")
        elif rule.stop_belt and self._do.state() not in EXERCISE_PHASES:
            cmds += self._do.stop_belt(now)
        return cmds

    def command_result(self, cmd: TreadmillCommand, ok: bool, now_s: float, error: str) -> None:
        """Report the outcome of a command the engine returned.

        A failed command is re-sent at the next tick unless a newer command of the same
        kind superseded it; ``max_command_failures`` failures in a row raise
        TREADMILL_NOT_RESPONDING and suspend the controller.
        """
        if ok:
            self._belt.succeeded()
            if isinstance(cmd, StopBeltCommand) and self._stop_failed_in_outage:
                self._stop_failed_in_outage = False
                self._journal.event(
                    now_s,
                    EventKind.COMMAND,
                    Cause.DEVICE,
                    "treadmill command StopBelt sent after the outage",
                    command=type(cmd).__name__,
                    ok=True,
                )
            if self._alarms.is_active(AlarmKind.TREADMILL_NOT_RESPONDING):
                self._alarms.clear(now_s, AlarmKind.TREADMILL_NOT_RESPONDING)
            return
        if isinstance(cmd, StopBeltCommand) and self._belt.disconnected_since_s is not None:
            # a Stop through an outage is re-sent every tick: record the first failure
            # and the outcome, and do not count the outage as an unresponsive treadmill
            self._belt.queue_resend(cmd)
            if self._stop_failed_in_outage:
                return
            self._stop_failed_in_outage = True
            self._journal.event(
                now_s,
                EventKind.COMMAND,
                Cause.DEVICE,
                f"treadmill command failed: {cmd} ({error}); re-sent until the treadmill is back",
                command=type(cmd).__name__,
                ok=False,
                error=error,
            )
            return
        failures = self._belt.failed(cmd)
        self._journal.event(
            now_s,
            EventKind.COMMAND,
            Cause.DEVICE,
            f"treadmill command failed: {cmd} ({error})",
            command=type(cmd).__name__,
            ok=False,
            error=error,
        )
        if failures >= self._config.max_command_failures and self._clock.started:
            rule = treadmill_event_rule(DeviceEventKind.NOT_RESPONDING)
            assert rule is not None
            if not self._alarms.is_active(rule.alarm):
                self._alarms.raise_alarm(
                    now_s, rule.alarm, f"treadmill not responding: {error}", rule.action
                )
            if self._do.state() in EXERCISE_PHASES:
                self._do.suspend(
                    now_s,
                    str(DeviceEventKind.NOT_RESPONDING),
                    "treadmill not responding",
                    Cause.DEVICE,
                )

    def _treadmill_reconnected(self, now_s: float) -> Cmds:
        cmds: Cmds = []
        since = self._belt.disconnected_since_s
        self._belt.disconnected_since_s = None
        self._silence_from_s = now_s  # a reconnected treadmill gets a fresh timeout
        self._silent_ticks = 0
        self._meas.silent = False
        self._alarms.clear(now_s, AlarmKind.DEVICE_DISCONNECTED)
        self._alarms.clear(now_s, AlarmKind.TREADMILL_NOT_RESPONDING)
        self._belt.failures = 0
        if since is None:
            return cmds
        reason = str(DeviceEventKind.DISCONNECTED)
        if self._do.state() in EXERCISE_PHASES and self._belt.running:
            # back within the grace period: re-establish the held safe operating point
            self._belt.forget_sent(SetSpeedCommand)
            cmds += self._set_speed_sw(now_s, self._belt.speed_cmd_kmh)
            if self._caps.can_control_incline:
                cmds += self._do.force_incline(now_s, self._belt.incline_cmd_pct)
            if reason in self._mode.suspended:
                del self._mode.suspended[reason]
                self._controller.reseed(now_s, self._belt.speed_cmd_kmh, self._belt.incline_cmd_pct)
                self._journal.event(
                    now_s,
                    EventKind.CONTROLLER,
                    Cause.DEVICE,
                    "treadmill reconnected within the grace period; controller resumed",
                    action="resumed",
                    reason=reason,
                    speed_kmh=self._belt.speed_cmd_kmh,
                    incline_pct=self._belt.incline_cmd_pct,
                )
        else:
            self._mode.suspended.pop(reason, None)
            cmds += self._do.stop_belt(now_s)
        return cmds

    def _console_change(self, now_s: float, ev: DeviceEvent) -> Cmds:
        if self._do.state() not in EXERCISE_PHASES:
            return []
        if ev.value is not None and not math.isfinite(ev.value):
            logger.warning("console change with a non-finite value ignored: %r", ev)
            return []
        if ev.kind is DeviceEventKind.CONSOLE_SPEED_CHANGED:
            value = ev.value if ev.value is not None else self._meas.speed_kmh
            if value is None:
                return []
            if not self._belt_confirms(now_s, value):
                # believed only once the measured belt speed gets there
                self._belt.console_pending = (value, now_s)
                self._belt.clear_divergence()
                return []
            self._belt.console_pending = None
            return self._adopt_console_speed(now_s, value, "speed changed on the treadmill console")
        value = ev.value if ev.value is not None else self._meas.incline_pct
        if value is None:
            return []
        legal = self._legal.incline(value)
        self._adopt(
            now_s,
            speed_kmh=None,
            incline_pct=legal,
            cause=Cause.DEVICE,
            why="incline changed on the treadmill console",
        )
        if abs(legal - value) > self._limits.incline_step_pct / 2:
            return self._do.force_incline(now_s, legal)  # back within the limits
        return []

    def check_console_pending(self, now_s: float) -> Cmds:
        """Adopt a reported console speed once the belt confirms it; else drop it."""
        back = self._belt.command_back_kmh
        if back is not None:
            self._belt.command_back_kmh = None
            if abs(self._belt.speed_cmd_kmh - back[1]) < 1e-9:
                return self._adopt_console_speed(
                    now_s, back[0], "speed changed on the treadmill console"
                )
        pending = self._belt.console_pending
        if pending is None:
            return []
        value, since_s = pending
        if self._belt_confirms(now_s, value):
            self._belt.console_pending = None
            return self._adopt_console_speed(now_s, value, "speed changed on the treadmill console")
        if now_s - since_s > self._config.console_confirm_s:
            self._belt.console_pending = None
            self._journal.event(
                now_s,
                EventKind.DEVICE,
                Cause.DEVICE,
                f"console speed change to {value:.1f} km/h never confirmed by the measured "
                "belt speed: ignored",
                role=str(DeviceRole.TREADMILL),
                device_kind=str(DeviceEventKind.CONSOLE_SPEED_CHANGED),
                value=value,
            )
        return []

    def _correct_speed(self, now_s: float, speed_kmh: float) -> Cmds:
        """Command the belt back to ``speed_kmh``, unless it ignores such corrections.

        After :data:`MAX_IGNORED_CORRECTIONS` corrections within
        :data:`CORRECTION_WINDOW_S` that the measured belt did not follow, an alarm says
        the treadmill ignores speed commands, the controller is suspended and no more
        corrections are sent until the belt follows a command again.
        """
        if self._ignoring:
            return []
        self._corrections_s = [t for t in self._corrections_s if now_s - t <= CORRECTION_WINDOW_S]
        self._corrections_s.append(now_s)
        if len(self._corrections_s) > MAX_IGNORED_CORRECTIONS:
            self._ignoring = True
            rule = treadmill_event_rule(DeviceEventKind.NOT_RESPONDING)
            assert rule is not None
            self._alarms.raise_alarm(
                now_s,
                rule.alarm,
                f"the treadmill ignores speed commands ({MAX_IGNORED_CORRECTIONS} corrections"
                f" to {speed_kmh:.1f} km/h not followed)",
                "speed corrections stopped; set the speed at the treadmill",
            )
            if self._do.state() in EXERCISE_PHASES:
                self._do.suspend(
                    now_s, "ignores_commands", "treadmill ignores speed commands", Cause.DEVICE
                )
            return []
        self._belt.forget_sent(SetSpeedCommand)
        return self._set_speed_sw(now_s, speed_kmh)

    def _followed(self, t_s: float) -> None:
        """The measured belt matches the command: corrections are followed again."""
        self._corrections_s.clear()
        if self._ignoring:
            self._ignoring = False
            self._alarms.clear(t_s, AlarmKind.TREADMILL_NOT_RESPONDING)
            self._mode.suspended.pop("ignores_commands", None)

    def _belt_confirms(self, now_s: float, speed_kmh: float) -> bool:
        """A recent, physically possible measured speed within tolerance of ``speed_kmh``."""
        return self._meas.confirms(
            now_s,
            speed_kmh,
            max_speed_kmh=self._caps.max_speed_kmh,
            tolerance_kmh=self._config.console_tolerance_kmh,
        )

    def _adopt_console_speed(
        self, now_s: float, value: float, why: str, *, command_back: bool = True
    ) -> Cmds:
        """Adopt a speed set by someone else; outside the patient's limits, command it back.

        With ``command_back`` False (no commands can be returned now) the command back is
        left to the next tick.
        """
        legal = self._legal.speed(value)
        self._envelope.adopt_speed(now_s, legal)
        self._adopt(now_s, speed_kmh=legal, incline_pct=None, cause=Cause.DEVICE, why=why)
        if abs(legal - value) > self._limits.speed_step_kmh / 2:
            if not command_back:
                self._belt.command_back_kmh = (value, legal)
                return []
            self._journal.event(
                now_s,
                EventKind.SAFETY,
                Cause.SAFETY,
                f"console speed {value:.1f} km/h outside the patient's limits: "
                f"set to {legal:.1f} km/h",
                rule="speed_limit",
                speed_kmh=legal,
                incline_pct=self._belt.incline_cmd_pct,
            )
            return self._correct_speed(now_s, legal)
        return []

    def tick(self, now_s: float) -> Cmds:
        """Time-outs: a disconnection past the grace period, a silent treadmill."""
        cmds: Cmds = []
        since = self._belt.disconnected_since_s
        if (
            since is not None
            and now_s - since >= self._config.reconnect_grace_s
            and self._do.state() in EXERCISE_PHASES
        ):
            grace_s = self._config.reconnect_grace_s
            cmds += self._do.pause(
                now_s,
                Cause.DEVICE,
                f"treadmill disconnected for {grace_s:.0f} s: session paused",
            )
        last = self._meas.last_t_s
        if last is not None and self._silence_from_s is not None:
            last = max(last, self._silence_from_s)
        self._silent_ticks += 1
        timeout_s = self._config.measurement_timeout_s
        if (
            last is not None
            and since is None
            and self._meas.silent
            and now_s - last >= timeout_s + self._config.reconnect_grace_s
            and self._silent_ticks >= SILENT_TICKS_TO_PAUSE
            and self._do.state() in EXERCISE_PHASES
        ):
            # a silent cable: the machine may not stop by itself (CSAFE, Trackmaster)
            silent_s = now_s - last
            self._alarms.raise_alarm(
                now_s,
                AlarmKind.DEVICE_DISCONNECTED,
                f"no treadmill data for {silent_s:.0f} s: the belt may still be running",
                "session paused; stop the belt at the treadmill",
            )
            cmds += self._do.pause(
                now_s,
                Cause.DEVICE,
                f"no treadmill data for {silent_s:.0f} s: session paused"
                " (stop the belt at the treadmill)",
            )
            return cmds
        if (
            last is not None
            and since is None
            and not self._meas.silent
            and now_s - last > timeout_s
            and self._silent_ticks >= SILENT_TICKS_TO_ALARM
            and self._do.state() in EXERCISE_PHASES
        ):
            self._meas.silent = True
            rule = treadmill_event_rule(DeviceEventKind.NOT_RESPONDING)
            assert rule is not None
            self._alarms.raise_alarm(
                now_s,
                rule.alarm,
                f"no treadmill data for {now_s - last:.0f} s",
                rule.action,
            )
            self._do.suspend(
                now_s, str(DeviceEventKind.NOT_RESPONDING), "no treadmill data", Cause.DEVICE
            )
        return cmds

    def follow_belt(self, now_s: float) -> Cmds:
        """Measured speed outside [slow-belt model, command] +/- tolerance for a while.

        A belt at standstill pauses the session (stopped on the console without an
        event); any other divergence is a console change: the engine adopts the measured
        speed and re-seeds the controller instead of fighting it.
        """
        found = self._belt.divergence(
            now_s,
            self._meas,
            advisory=self.advisory_mode,
            tolerance_kmh=self._config.console_tolerance_kmh,
            detect_s=self._config.console_detect_s,
        )
        if found is None:
            return []
        meas = self._meas.speed_kmh
        assert meas is not None
        if found is Divergence.STOPPED:
            rule = treadmill_event_rule(DeviceEventKind.STOPPED_BY_USER)
            assert rule is not None
            self._alarms.raise_alarm(
                now_s, rule.alarm, "the belt stopped without a command", rule.action
            )
            return self._do.pause(
                now_s, Cause.DEVICE, "belt stopped on the treadmill: session paused"
            )
        above = found is Divergence.ABOVE
        what = "above the commanded" if above else "differs from commanded"
        outcome = "command re-sent, not adopted" if above else "treated as a console change"
        self._journal.event(
            now_s,
            EventKind.DEVICE,
            Cause.DEVICE,
            f"measured speed {meas:.1f} km/h {what} {self._belt.speed_cmd_kmh:.1f} km/h: {outcome}",
            role=str(DeviceRole.TREADMILL),
            device_kind=str(DeviceEventKind.CONSOLE_SPEED_CHANGED),
            value=meas,
        )
        if above:
            # never adopt a reading above what the belt was told: it may be garbage or a
            # stuck value; command the operating point again instead
            return self._correct_speed(
                now_s, min(self._belt.speed_cmd_kmh, self._envelope.last_speed_kmh)
            )
        return self._adopt_console_speed(now_s, meas, "measured speed diverged from the command")
