"""A CSAFE treadmill on a serial port (9600 8N1), e.g. a gym treadmill's RJ-45 CSAFE jack.

Per poll one frame asks GetSpeed, GetGrade, GetHRCur, GetTWork and GetHorizontal; the
status byte of every response carries the equipment state. Start is GoInUse, stop is
GoFinished, speed and grade are SetSpeed/SetGrade in 0.1 km/h (0.1 mph when the machine
reports English units) and 0.1 %. Each command frame is followed by GetStatus, whose
reply carries the command's verdict ("previous frame status"). Whether a machine obeys
SetSpeed for live control varies by vendor: a rejected frame raises
:class:`~runningroom.errors.ControlNotPermittedError` (a SetSpeed-only frame:
:class:`~drivers.serial.base.CommandRefusedError`, which the base class turns into a
clamp to the machine's limit). States Offline and Error are the safety key; replies are
matched to requests with the frame toggle bit after a timeout.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
from collections.abc import Callable
from typing import Any, Final

from drivers.protocols import csafe
from drivers.protocols.csafe import Cmd, CsafeCommand, CsafeResponse, CsafeState, Unit
from drivers.serial.base import CommandRefusedError, PollingSerialTreadmill, PollResult
from drivers.serial.csafe_replies import ToggleMatcher
from drivers.serial.link import SerialLink
from runningroom.clock import Clock
from runningroom.devices import BeltState, DeviceEventKind, TreadmillCapabilities
from runningroom.errors import (
    ControlNotPermittedError,
    DeviceError,
    DeviceTimeoutError,
)

logger = logging.getLogger(__name__)

_KMH_PER_MPH: Final = 1.609344

CSAFE_CAPABILITIES: Final = TreadmillCapabilities(
    min_speed_kmh=0.8,
    max_speed_kmh=20.0,
    speed_increment_kmh=0.1,
    min_incline_pct=0.0,
    max_incline_pct=15.0,
    incline_increment_pct=0.5,
    reports_hr=True,
    model="CSAFE treadmill (serial)",
)

_POLL_COMMANDS: Final = (
    CsafeCommand(Cmd.GET_SPEED),
    CsafeCommand(Cmd.GET_GRADE),
    CsafeCommand(Cmd.GET_HR_CUR),
    CsafeCommand(Cmd.GET_TWORK),
    CsafeCommand(Cmd.GET_HORIZONTAL),
)


def english_capabilities(metric: TreadmillCapabilities) -> TreadmillCapabilities:
    """``metric`` on the 0.1 mph grid an English-units machine accepts.

    The range shrinks to whole 0.1 mph steps inside it, and the increment is 0.1 mph in
    km/h, so a speed planned on these capabilities is exactly a value the machine takes.
    """
    step_kmh = 0.1 * _KMH_PER_MPH
    low = math.ceil(round(metric.min_speed_kmh / step_kmh, 6))
    high = math.floor(round(metric.max_speed_kmh / step_kmh, 6))
    return dataclasses.replace(
        metric,
        min_speed_kmh=round(low * step_kmh, 6),
        max_speed_kmh=round(high * step_kmh, 6),
        speed_increment_kmh=round(step_kmh, 6),
    )


class CsafeTreadmill(PollingSerialTreadmill):
    """A treadmill speaking CSAFE.

    Args:
        url: serial device path or pyserial URL.
        clock: time source.
        capabilities: ranges (default :data:`CSAFE_CAPABILITIES`).
        poll_period_s: measurement interval (<= 1 s).
        timeout_s: reply timeout per request.
        serial_factory: replaces :func:`serial.serial_for_url` (tests).
    """

    def __init__(
        self,
        url: str,
        clock: Clock,
        *,
        capabilities: TreadmillCapabilities | None = None,
        poll_period_s: float = 0.5,
        timeout_s: float = 0.5,
        serial_factory: Callable[..., Any] | None = None,
    ) -> None:
        link = SerialLink(url, csafe.BAUD_RATE, timeout_s, serial_factory)
        super().__init__(
            link,
            clock,
            capabilities or CSAFE_CAPABILITIES,
            poll_period_s=poll_period_s,
            address=f"serial:{url}?protocol=csafe",
        )
        self._default_capabilities = capabilities is None
        self.english_units = False
        self.version: dict[str, Any] = {}
        self._state: CsafeState | None = None
        #: matches replies to requests by the frame toggle bit (drops stale replies)
        self.replies = ToggleMatcher()
        #: keeps a command frame and its GetStatus follow-up together (no poll between)
        self._sequence = asyncio.Lock()

    async def transact(self, *cmds: CsafeCommand, check: bool = True) -> CsafeResponse:
        """Send one frame with ``cmds`` and return the decoded response.

        Args:
            cmds: the commands of the frame.
            check: raise for a reply whose frame status is not "ok" (when False the
                caller judges the status itself).

        Raises:
            DeviceTimeoutError: no complete frame in time.
            ControlNotPermittedError: the equipment rejected the frame.
            DeviceError: the equipment reports a bad or not-ready frame.
            ProtocolError: the reply does not decode.
        """
        asked = frozenset(c.cmd_id for c in cmds)
        raw = await self.link.request(csafe.encode_request(*cmds), self.replies.reader(asked))
        frames, _rest = csafe.split_frames(raw)
        if not frames:
            raise DeviceTimeoutError("no CSAFE frame in the reply")
        response = csafe.decode_response(csafe.decode_frame(frames[-1]).contents)
        if not check:
            return response
        verdict = response.status.previous_frame
        if verdict == "reject":
            raise ControlNotPermittedError(
                f"{self.address}: equipment rejected {[c.name for c in cmds]}"
            )
        if verdict in ("bad", "not_ready"):
            raise DeviceError(f"{self.address}: equipment reports frame {verdict}")
        return response

    async def command(self, *cmds: CsafeCommand) -> CsafeResponse:
        """Send a command frame and learn its verdict; returns the latest response.

        CSAFE reports a frame's verdict in the status byte of the *next* reply ("previous
        frame status"); some machines put it in the frame's own reply. So the command
        frame is followed at once by a GetStatus frame (no poll in between), and the
        command counts as refused or failed if either reply says so.

        Raises:
            CommandRefusedError: a SetSpeed/SetGrade-only frame was rejected (its value).
            ControlNotPermittedError: a frame with state commands was rejected.
            DeviceError: bad or not-ready frame; DeviceTimeoutError: no reply.
            ProtocolError: a reply does not decode.
        """
        async with self._sequence:
            first = await self.transact(*cmds, check=False)
            self._state = first.status.state
            second = await self.transact(CsafeCommand(Cmd.GET_STATUS), check=False)
            self._state = second.status.state
        verdicts = {first.status.previous_frame, second.status.previous_frame}
        names = [c.name for c in cmds]
        if "reject" in verdicts:
            if all(c.cmd_id in (Cmd.SET_SPEED, Cmd.SET_GRADE) for c in cmds):
                raise CommandRefusedError(f"{self.address}: equipment rejected {names}")
            raise ControlNotPermittedError(f"{self.address}: equipment rejected {names}")
        for verdict in ("bad", "not_ready"):
            if verdict in verdicts:
                raise DeviceError(f"{self.address}: equipment reports frame {names} {verdict}")
        return second

    async def _running_setpoint_kmh(self) -> float | None:
        async with self._sequence:
            response = await self.transact(CsafeCommand(Cmd.GET_STATUS), check=False)
        self._state = response.status.state
        if self._state is not CsafeState.IN_USE:
            return None
        if self._target_speed_kmh > 0:
            return self._target_speed_kmh
        return self._speed_command(self.capabilities.min_speed_kmh)[1]

    async def _probe(self) -> None:
        self.replies.reset()
        response = await self.transact(CsafeCommand(Cmd.GET_VERSION), CsafeCommand(Cmd.GET_UNITS))
        self._state = response.status.state
        version = response.item(Cmd.GET_VERSION)
        if version is not None:
            self.version = csafe.interpret(version)
        units = response.item(Cmd.GET_UNITS)
        if units is not None:
            self.english_units = csafe.interpret(units).get("units") == "english"
        if self.english_units and self._default_capabilities:
            self.capabilities = english_capabilities(CSAFE_CAPABILITIES)
        logger.info(
            "%s: CSAFE version %s, english=%s", self.address, self.version, self.english_units
        )

    async def _poll_once(self) -> PollResult:
        async with self._sequence:
            response = await self.transact(*_POLL_COMMANDS, check=False)
        verdict, state = response.status.previous_frame, response.status.state
        if (
            verdict != "ok"
            and state not in _SAFETY_STOP_STATES
            and response.item(Cmd.GET_SPEED) is None
        ):
            raise DeviceError(f"{self.address}: poll answered with frame status {verdict}")
        previous = self._state
        self._state = state
        values: dict[str, Any] = {}
        for item in response.items:
            values.update(csafe.interpret(item))
        speed = response.item(Cmd.GET_SPEED)
        grade = response.item(Cmd.GET_GRADE)
        horizontal = response.item(Cmd.GET_HORIZONTAL)
        hr = response.item(Cmd.GET_HR_CUR)
        twork = response.item(Cmd.GET_TWORK)
        speed_kmh = csafe.interpret(speed).get("speed_kmh") if speed else None
        incline_pct = csafe.interpret(grade).get("grade_pct") if grade else None
        distance_m = csafe.interpret(horizontal).get("distance_m") if horizontal else None
        hr_bpm = csafe.interpret(hr).get("hr_bpm") if hr else None
        elapsed_s = csafe.interpret(twork).get("elapsed_s") if twork else None
        event, event_value = _state_event(previous, state)
        if state in _SAFETY_STOP_STATES:
            # the belt stops at once; such consoles keep answering their last registers
            speed_kmh = 0.0
        elif speed_kmh is None and state is not None and state not in _BELT_MAY_RUN_STATES:
            speed_kmh = 0.0
        return PollResult(
            speed_kmh=None if speed_kmh is None else round(float(speed_kmh), 2),
            incline_pct=None if incline_pct is None else round(float(incline_pct), 1),
            belt=_belt(state),
            hr_bpm=int(hr_bpm) if hr_bpm else None,
            distance_m=None if distance_m is None else float(distance_m),
            elapsed_s=None if elapsed_s is None else float(elapsed_s),
            event=event,
            event_value=event_value,
        )

    def _speed_command(self, speed_kmh: float) -> tuple[CsafeCommand, float]:
        """SetSpeed in the machine's units and the km/h equivalent of what it carries."""
        unit, step_kmh = (
            (Unit.MPH_0_1, 0.1 * _KMH_PER_MPH) if self.english_units else (Unit.KMH_0_1, 0.1)
        )
        cmd = csafe.cmd_set_speed(speed_kmh, unit)
        raw = int.from_bytes(cmd.data[0:2], "little", signed=True)
        return cmd, round(raw * step_kmh, 6)

    async def _send_start(self) -> float:
        cmd, sent_kmh = self._speed_command(self.capabilities.min_speed_kmh)
        await self.command(*_to_in_use(self._state), cmd)
        return sent_kmh

    async def _send_stop(self) -> None:
        await self.command(CsafeCommand(Cmd.GO_FINISHED))

    async def _send_speed(self, speed_kmh: float) -> float:
        cmd, sent_kmh = self._speed_command(speed_kmh)
        cmds = [cmd]
        if self._state is not CsafeState.IN_USE:
            cmds[:0] = _to_in_use(self._state)
        await self.command(*cmds)
        return sent_kmh

    async def _send_incline(self, incline_pct: float) -> None:
        await self.command(csafe.cmd_set_grade(incline_pct, Unit.GRADE_PCT_0_1))


#: States a pulled safety key (or an emergency stop) leaves the console in.
_SAFETY_STOP_STATES: Final = frozenset({CsafeState.OFFLINE, CsafeState.ERROR})
#: States in which the belt may be moving under its own power.
_BELT_MAY_RUN_STATES: Final = frozenset({CsafeState.IN_USE, CsafeState.MANUAL})
#: States that end a workout with the belt standing (console STOP, reset, timeout).
_WORKOUT_ENDED_STATES: Final = frozenset(
    {CsafeState.FINISHED, CsafeState.READY, CsafeState.IDLE, CsafeState.HAVE_ID}
)


def _state_event(
    previous: CsafeState | None, state: CsafeState | None
) -> tuple[tuple[DeviceEventKind, str] | None, float | None]:
    """The device event a change of equipment state means, and its value.

    Offline and Error mean the safety key was pulled (or an emergency stop): SAFETY_KEY,
    as FTMS reports it. Leaving Offline for a working state reports the key back in
    place (SAFETY_KEY with value 1.0; the belt stays stopped). InUse to Paused is
    PAUSED_BY_USER; InUse or Paused to Finished, Ready, Idle or HaveID (the workout was
    ended at the console) is STOPPED_BY_USER. Our own commands update the remembered
    state from their replies, so they never show up here.
    """
    if state is previous or previous is None:
        return None, None
    if state is CsafeState.OFFLINE:
        return (DeviceEventKind.SAFETY_KEY, "treadmill offline: safety key pulled"), None
    if state is CsafeState.ERROR:
        return (DeviceEventKind.SAFETY_KEY, "treadmill in error state (safety key?)"), None
    if previous is CsafeState.OFFLINE:
        return (DeviceEventKind.SAFETY_KEY, "treadmill back online: safety key in place"), 1.0
    if state is CsafeState.PAUSED and previous is CsafeState.IN_USE:
        return (DeviceEventKind.PAUSED_BY_USER, "paused at the treadmill"), None
    if state in _WORKOUT_ENDED_STATES and previous in (CsafeState.IN_USE, CsafeState.PAUSED):
        return (
            DeviceEventKind.STOPPED_BY_USER,
            f"belt stopped at the treadmill (state {state.name.lower()})",
        ), None
    return None, None


def _to_in_use(state: CsafeState | None) -> list[CsafeCommand]:
    """State-machine commands that take the equipment from ``state`` to InUse.

    CSAFE: Finished/Error -> GoReady -> Ready -> GoIdle -> Idle -> GoHaveID -> HaveID ->
    GoInUse -> InUse; Paused resumes with GoInUse.
    """
    paths: dict[CsafeState, list[Cmd]] = {
        CsafeState.IN_USE: [],
        CsafeState.PAUSED: [Cmd.GO_IN_USE],
        CsafeState.HAVE_ID: [Cmd.GO_IN_USE],
        CsafeState.IDLE: [Cmd.GO_HAVE_ID, Cmd.GO_IN_USE],
        CsafeState.READY: [Cmd.GO_IDLE, Cmd.GO_HAVE_ID, Cmd.GO_IN_USE],
    }
    full = [Cmd.GO_READY, Cmd.GO_IDLE, Cmd.GO_HAVE_ID, Cmd.GO_IN_USE]
    path = full if state is None else paths.get(state, full)
    return [CsafeCommand(cmd) for cmd in path]


def _belt(state: CsafeState | None) -> BeltState:
    if state is CsafeState.IN_USE:
        return BeltState.RUNNING
    if state is CsafeState.PAUSED:
        return BeltState.PAUSED
    if state is None:
        return BeltState.UNKNOWN
    return BeltState.STOPPED
