"""FTMS treadmill over Bluetooth LE (Fitness Machine Service 0x1826) through bleak.

Session procedure (protocol reference section 1.6), redone after every reconnection:

1. read Fitness Machine Feature (0x2ACC) and the Supported Speed/Inclination Ranges
   (0x2AD4/0x2AD5); a target setting without its range characteristic is dropped;
2. subscribe to Treadmill Data (0x2ACD, split packets merged) and Fitness Machine
   Status (0x2ADA);
3. enable Control Point (0x2AD9) indications, then send Request Control (0x00);
4. one control-point request at a time, each answered by a ``80 op result`` indication
   within ``request_timeout_s``; after a timeout the state is re-read and the request
   reported as :class:`~runningroom.errors.DeviceTimeoutError`;
5. targets are clamped and quantised to the advertised ranges before encoding.

A machine whose control point is missing or that answers Request Control with
Control Not Permitted is *monitor only* (``capabilities.can_control_speed`` is False).
Control Permission Lost (status 0xFF) emits ``CONTROL_LOST``.

Control mode (:attr:`FtmsTreadmill.control_mode`, also appended to
``capabilities.model`` as ``control: <mode>`` so the device panel shows it before Start):

* ``advisory``: no control point, control refused, or no speed target/range; the
  session can only advise speeds.
* ``start-required``: control granted on a standing belt. Many machines accept Set
  Target Speed only after Start/Resume (0x07) and answer Control Not Permitted or
  Operation Failed before, and a machine that does accept it may start the belt. The
  connection therefore never sends a speed target to a standing belt: :meth:`start`
  sends Start/Resume, then Set Target Speed, and that is where the speed command is
  proven (moving is intended there).
* ``full``: a Set Target Speed was accepted (at :meth:`start`, or when the belt was
  already running at connect and its measured speed was re-commanded, which moves
  nothing).

If the speed command after Start is refused or unanswered, the machine becomes
advisory: ``control_mode`` turns ``advisory``, ``capabilities.can_control_speed``
False, and ``CONTROL_LOST`` is emitted with the message ``speed command refused after
Start: advisory mode`` and ``value`` :data:`CONTROL_REFUSED_AT_START`.

Host watchdog: FTMS has no failsafe for a dead link. On link loss the treadmill emits
``DISCONNECTED`` (the station raises its alarm) and reconnects with backoff. On
reconnection within ``safe_resume_window_s`` (10 s) the last commanded safe state (belt
stopped, or the last speed and incline) is restored; after a longer outage the belt is
stopped, because nobody supervised the patient meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from bleak import BleakClient
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.exc import BleakError, BleakGATTProtocolError

from drivers.ble.link import BleLink, BleLinked, BleOptions
from drivers.protocols import ftms, uuids
from drivers.tasks import cancel_and_wait
from runningroom.clock import Clock
from runningroom.devices import (
    CONTROL_REFUSED_AT_START,
    BeltState,
    DeviceEvent,
    DeviceEventKind,
    DeviceRole,
    Treadmill,
    TreadmillCapabilities,
    TreadmillMeasurement,
)
from runningroom.errors import (
    ControlNotPermittedError,
    DeviceError,
    DeviceTimeoutError,
    ProtocolError,
)

logger = logging.getLogger(__name__)

#: Reconnection within this many seconds restores the last commanded state.
SAFE_RESUME_WINDOW_S = 10.0
#: A Fitness Machine Status matching a request sent this recently is its echo, not a
#: console action (status notifications may arrive after the control-point indication).
ECHO_WINDOW_S = 2.0

ControlMode = Literal["full", "start-required", "advisory"]

_ATT_ERRORS = {
    0xFD: "control point indications are not enabled (ATT 0xFD)",
    0xFE: "another control-point procedure is in progress (ATT 0xFE)",
}


@dataclass(frozen=True)
class PreflightReport:
    """Outcome of :meth:`FtmsTreadmill.preflight`.

    Attributes:
        speed_command_accepted: the machine acknowledged a Set Target Speed (only tried
            on a belt already running; a standing belt is proven at :meth:`start`).
        monitor_only: no speed control is possible (advisory mode).
        reason: English explanation for the operator.
        control_mode: ``full``, ``start-required`` or ``advisory`` (see the module).
    """

    speed_command_accepted: bool
    monitor_only: bool
    reason: str
    control_mode: ControlMode = "advisory"


class FtmsTreadmill(BleLinked, Treadmill):
    """A treadmill speaking FTMS over BLE.

    Args:
        address: Bluetooth address ``AA:BB:CC:DD:EE:FF``.
        clock: time source for measurement and event timestamps.
        options: transport options (adapter, bleak backends, timeouts, backoff).
        request_timeout_s: how long to wait for a control-point indication.
        safe_resume_window_s: outages up to this long restore the commanded state.
        data_timeout_s: Treadmill Data silence (link up) that emits ``NOT_RESPONDING``.
        preflight_on_connect: run :meth:`preflight` at the end of :meth:`connect`, so
            the returned capabilities carry the control mode (the belt is not moved).
    """

    def __init__(
        self,
        address: str,
        clock: Clock,
        *,
        options: BleOptions | None = None,
        request_timeout_s: float = 3.0,
        safe_resume_window_s: float = SAFE_RESUME_WINDOW_S,
        data_timeout_s: float = 3.0,
        preflight_on_connect: bool = True,
    ) -> None:
        super().__init__()
        self._preflight_on_connect = preflight_on_connect
        self.preflight_report: PreflightReport | None = None
        self._data_timeout_s = data_timeout_s
        self._last_data_loop_s: float | None = None
        self._data_watchdog: asyncio.Task[None] | None = None
        self._silent_reported = False
        self.address = f"ble:{address.upper()}"
        self._clock = clock
        self._request_timeout_s = request_timeout_s
        self._safe_resume_window_s = safe_resume_window_s
        self._link = BleLink(
            address,
            role=DeviceRole.TREADMILL,
            clock=clock,
            options=options or BleOptions(),
            setup=self._setup,
            emit=self._emit_event,
            on_reconnected=self._restore_after_reconnect,
        )
        self._merger = ftms.TreadmillDataMerger()
        self._cp_lock = asyncio.Lock()
        self._pending: tuple[int, asyncio.Future[ftms.ControlPointResponse]] | None = None
        self._recent_requests: deque[_SentRequest] = deque()
        self.capabilities: TreadmillCapabilities | None = None
        self.features: ftms.FitnessMachineFeatures | None = None
        self.has_control_point = False
        self.control_granted = False
        self.belt = BeltState.UNKNOWN
        self.commanded_speed_kmh = 0.0
        self.commanded_incline_pct: float | None = None
        self.last_measurement: TreadmillMeasurement | None = None
        self.training_status: ftms.TrainingStatus | None = None
        self.decode_errors = 0
        self._speed_settable = False
        self._incline_settable = False
        self.last_command_t_s: float | None = None
        self._speed_proven = False
        self._speed_refused = False
        self._deferred_stop_since_s: float | None = None
        self._deferred_stops = 0

    # ------------------------------------------------------------------ properties
    @property
    def monitor_only(self) -> bool:
        """True when speed commands are impossible (no control point or control refused)."""
        return self.capabilities is None or self.capabilities.monitor_only

    @property
    def control_mode(self) -> ControlMode:
        """``full``, ``start-required`` or ``advisory`` (see the module docstring)."""
        if self.monitor_only or not self.has_control_point:
            return "advisory"
        return "full" if self._speed_proven else "start-required"

    def _publish_control_mode(self) -> None:
        """Append ``control: <mode>`` to ``capabilities.model`` (shown by the device panel)."""
        caps = self.capabilities
        if caps is None:
            return
        base = caps.model.split(", control: ")[0]
        self.capabilities = replace(caps, model=f"{base}, control: {self.control_mode}")

    def _event(self, kind: DeviceEventKind, message: str, value: float | None = None) -> None:
        self._emit_event(
            DeviceEvent(self._clock.monotonic_s(), DeviceRole.TREADMILL, kind, message, value)
        )

    # ------------------------------------------------------------------ connection
    async def connect(self) -> TreadmillCapabilities:
        """Connect, read features and ranges, subscribe, request control, run the preflight.

        A standing belt is not moved: no speed target is sent before :meth:`start`.

        Returns:
            the capabilities; ``can_control_speed`` is False for a monitor-only machine
            (no control point, control refused, no speed target); ``model`` ends with
            ``control: <mode>``.

        Raises:
            DeviceNotFoundError: no adapter or no device at the address.
            DeviceError: the device is not an FTMS treadmill or the link failed.
        """
        await self._link.open()
        if self._data_watchdog is None or self._data_watchdog.done():
            self._data_watchdog = asyncio.get_running_loop().create_task(self._watch_data())
        if self._preflight_on_connect:
            await self.preflight()
        self._publish_control_mode()
        assert self.capabilities is not None
        return self.capabilities

    async def disconnect(self) -> None:
        """Stop reconnecting and release the device (the belt is not stopped)."""
        task, self._data_watchdog = self._data_watchdog, None
        await cancel_and_wait(task)
        await self._link.close()
        self.control_granted = False
        self._deferred_stop_since_s = None
        self._deferred_stops = 0

    async def _watch_data(self) -> None:
        """Emit ``NOT_RESPONDING`` once when Treadmill Data stops while the link is up."""
        loop = asyncio.get_running_loop()
        self._last_data_loop_s = loop.time()
        while True:
            await asyncio.sleep(min(0.5, self._data_timeout_s / 4))
            last = self._last_data_loop_s
            if not self.connected or last is None:
                self._last_data_loop_s = loop.time()  # the link watchdog handles outages
                continue
            if loop.time() - last > self._data_timeout_s and not self._silent_reported:
                self._silent_reported = True
                logger.warning("%s: no treadmill data for %.1f s", self.address, loop.time() - last)
                self._event(
                    DeviceEventKind.NOT_RESPONDING,
                    f"no treadmill data for {self._data_timeout_s:g} s",
                )

    async def _setup(self, client: BleakClient, is_reconnect: bool) -> None:
        services = client.services
        if services.get_service(uuids.FITNESS_MACHINE_SERVICE) is None:
            raise DeviceError(f"{self.address} has no Fitness Machine service")
        self._merger.reset()
        self.control_granted = False
        self._last_data_loop_s = asyncio.get_running_loop().time()
        self._silent_reported = False
        if not is_reconnect:
            self._speed_proven = False
            self._speed_refused = False

        features = ftms.FitnessMachineFeatures(0, 0)
        if services.get_characteristic(uuids.FITNESS_MACHINE_FEATURE) is not None:
            try:
                raw = await client.read_gatt_char(uuids.FITNESS_MACHINE_FEATURE)
                features = ftms.decode_feature(bytes(raw))
            except ProtocolError as exc:
                logger.warning("%s: undecodable feature characteristic: %s", self.address, exc)
        self.features = features
        speed_range = await self._read_range(
            client, uuids.SUPPORTED_SPEED_RANGE, ftms.decode_speed_range
        )
        incline_range = await self._read_range(
            client, uuids.SUPPORTED_INCLINATION_RANGE, ftms.decode_incline_range
        )

        await client.start_notify(uuids.TREADMILL_DATA, self._on_treadmill_data)
        if services.get_characteristic(uuids.FITNESS_MACHINE_STATUS) is not None:
            await client.start_notify(uuids.FITNESS_MACHINE_STATUS, self._on_machine_status)

        cp = services.get_characteristic(uuids.FITNESS_MACHINE_CONTROL_POINT)
        self.has_control_point = (
            cp is not None and "write" in cp.properties and "indicate" in cp.properties
        )
        if self.has_control_point:
            await client.start_notify(uuids.FITNESS_MACHINE_CONTROL_POINT, self._on_indication)
            await self._take_control()

        self._speed_settable = features.supports_speed_target and speed_range is not None
        self._incline_settable = features.supports_inclination_target and incline_range is not None
        can_speed = self.control_granted and self._speed_settable and not self._speed_refused
        can_incline = self.control_granted and self._incline_settable
        defaults = TreadmillCapabilities()
        self.capabilities = TreadmillCapabilities(
            min_speed_kmh=speed_range.minimum if speed_range else defaults.min_speed_kmh,
            max_speed_kmh=speed_range.maximum if speed_range else defaults.max_speed_kmh,
            speed_increment_kmh=(
                speed_range.increment
                if speed_range and speed_range.increment > 0
                else defaults.speed_increment_kmh
            ),
            min_incline_pct=incline_range.minimum if incline_range else 0.0,
            max_incline_pct=incline_range.maximum if incline_range else 0.0,
            incline_increment_pct=(
                incline_range.increment
                if incline_range and incline_range.increment > 0
                else defaults.incline_increment_pct
            ),
            can_control_speed=can_speed,
            can_control_incline=can_incline,
            reports_hr=features.reports_heart_rate,
            model=f"FTMS treadmill {client.name}".strip(),
        )
        self._publish_control_mode()
        logger.info("%s capabilities: %s", self.address, self.capabilities)

    async def _read_range(
        self,
        client: BleakClient,
        uuid: str,
        decode: Callable[[bytes], ftms.SupportedRange],
    ) -> ftms.SupportedRange | None:
        if client.services.get_characteristic(uuid) is None:
            return None
        try:
            return decode(bytes(await client.read_gatt_char(uuid)))
        except (ProtocolError, BleakError) as exc:
            logger.warning("%s: cannot read range %s: %s", self.address, uuid, exc)
            return None

    async def _take_control(self) -> bool:
        """Send Request Control; returns True when granted (else monitor only)."""
        try:
            await self._request(ftms.encode_request_control())
        except ControlNotPermittedError:
            logger.warning("%s refuses control: monitor only", self.address)
            self._event(DeviceEventKind.CONTROL_LOST, "control not permitted: monitor only")
            return False
        except DeviceError as exc:  # timeout, ATT error, Operation Failed...
            logger.warning("%s: Request Control failed (%s): monitor only", self.address, exc)
            self._event(DeviceEventKind.COMMAND_FAILED, f"request control failed: {exc}")
            return False
        self.control_granted = True
        self._event(DeviceEventKind.CONTROL_GRANTED, "control granted")
        return True

    async def request_control(self) -> bool:
        """Ask for control again (e.g. after Control Permission Lost); True when granted."""
        if not self.has_control_point or not self.connected:
            return False
        granted = await self._take_control()
        if granted and self.capabilities is not None:
            self.capabilities = replace(
                self.capabilities,
                can_control_speed=self._speed_settable and not self._speed_refused,
                can_control_incline=self._incline_settable and not self._speed_refused,
            )
            self._publish_control_mode()
        return granted

    async def _restore_after_reconnect(self, outage_s: float) -> None:
        """Host watchdog: restore the safe state after a reconnection."""
        if not self.control_granted:
            logger.warning("%s reconnected without control; cannot restore state", self.address)
            self._log_deferred_stop("not sent: reconnected without control", ok=False)
            return
        try:
            if outage_s <= self._safe_resume_window_s:
                if self.commanded_incline_pct is not None:
                    await self.set_incline(self.commanded_incline_pct)
                if self.commanded_speed_kmh > 0:
                    # Start/Resume first: a Start-required machine that stopped during
                    # the outage refuses a bare speed target
                    await self._request(ftms.encode_start())
                    await self.set_speed(self.commanded_speed_kmh)
                else:
                    await self._send_stop()
                logger.info("%s: commanded state restored after %.1f s", self.address, outage_s)
            else:
                await self._send_stop()
                self._event(
                    DeviceEventKind.STOPPED_BY_WATCHDOG,
                    f"belt stopped by the host watchdog after a {outage_s:.1f} s outage",
                    outage_s,
                )
        except DeviceError as exc:
            logger.error("%s: restoring the safe state failed: %s", self.address, exc)
            self._event(DeviceEventKind.COMMAND_FAILED, f"restore after reconnect failed: {exc}")
            self._log_deferred_stop(f"failed: {exc}", ok=False)
        else:
            stopped = self.commanded_speed_kmh <= 0
            self._log_deferred_stop(
                "sent, belt stopped" if stopped else "superseded by a speed command", ok=True
            )

    def _log_deferred_stop(self, outcome: str, *, ok: bool) -> None:
        """Log once what became of the Stop requests made during the outage."""
        since, self._deferred_stop_since_s = self._deferred_stop_since_s, None
        count, self._deferred_stops = self._deferred_stops, 0
        if since is None:
            return
        waited_s = self._clock.monotonic_s() - since
        log = logger.info if ok else logger.error
        log(
            "%s: Stop deferred %.1f s (%d requests during the outage) %s",
            self.address,
            waited_s,
            count,
            outcome,
        )

    # ------------------------------------------------------------------ control point
    async def _request(self, payload: bytes) -> None:
        """Send one control-point request and wait for its indicated response.

        Raises:
            DeviceError: not connected, ATT error, or the machine refused the request.
            ControlNotPermittedError: result 0x05.
            DeviceTimeoutError: no response within ``request_timeout_s``.
        """
        async with self._cp_lock:
            await self._request_locked(payload)

    async def _request_locked(self, payload: bytes) -> None:
        """:meth:`_request` for a caller that holds ``_cp_lock``."""
        opcode = payload[0]
        client = self._link.client
        if client is None or not client.is_connected:
            raise DeviceError(f"{self.address} is not connected")
        future: asyncio.Future[ftms.ControlPointResponse] = (
            asyncio.get_running_loop().create_future()
        )
        self._pending = (opcode, future)
        self._remember_request(payload)
        try:
            try:
                async with asyncio.timeout(self._request_timeout_s):
                    await self._write_control_point(client, payload)
                    response = await future
            except TimeoutError:
                self._event(
                    DeviceEventKind.NOT_RESPONDING,
                    f"no control point response to opcode 0x{opcode:02X}",
                )
                await self._reread_state(client)
                raise DeviceTimeoutError(
                    f"{self.address}: no response to control point opcode 0x{opcode:02X} "
                    f"within {self._request_timeout_s:g} s"
                ) from None
        finally:
            self._pending = None
        if response.result == ftms.ResultCode.SUCCESS:
            return
        if response.result == ftms.ResultCode.CONTROL_NOT_PERMITTED:
            if opcode != ftms.ControlPointOpcode.REQUEST_CONTROL:
                self.control_granted = False
            raise ControlNotPermittedError(
                f"{self.address}: control not permitted for opcode 0x{opcode:02X}"
            )
        raise DeviceError(
            f"{self.address}: opcode 0x{opcode:02X} failed: {response.result.name.lower()}"
        )

    async def _write_control_point(self, client: BleakClient, payload: bytes) -> None:
        try:
            await client.write_gatt_char(
                uuids.FITNESS_MACHINE_CONTROL_POINT, payload, response=True
            )
        except BleakGATTProtocolError as exc:
            code = int(exc.code)
            raise DeviceError(
                _ATT_ERRORS.get(code, f"control point write refused (ATT 0x{code:02X})")
            ) from exc
        except (BleakError, OSError) as exc:
            raise DeviceError(f"control point write failed: {exc}") from exc

    async def _reread_state(self, client: BleakClient) -> None:
        """After a timeout the machine state is unknown: re-read what can be read."""
        self.belt = BeltState.UNKNOWN
        if client.services.get_characteristic(uuids.TRAINING_STATUS) is None:
            return
        try:
            data = await asyncio.wait_for(
                client.read_gatt_char(uuids.TRAINING_STATUS), self._request_timeout_s
            )
            self.training_status = ftms.decode_training_status(bytes(data))
            logger.info("%s training status after timeout: %s", self.address, self.training_status)
        except (ProtocolError, BleakError, OSError, TimeoutError) as exc:
            logger.warning("%s: re-reading the state failed: %s", self.address, exc)

    def _remember_request(self, payload: bytes) -> None:
        now = asyncio.get_running_loop().time()
        self._recent_requests.append(_SentRequest(now, bytes(payload)))
        while self._recent_requests and now - self._recent_requests[0].t_s > ECHO_WINDOW_S:
            self._recent_requests.popleft()

    def _consume_echo(self, matches: Callable[[bytes], bool]) -> bool:
        """Match a status to the oldest recent, not yet echoed request it confirms.

        Each request is echoed at most once, so a console action that repeats one of our
        recent requests after its echo arrived is still reported.
        """
        now = asyncio.get_running_loop().time()
        for sent in self._recent_requests:
            if not sent.echoed and now - sent.t_s <= ECHO_WINDOW_S and matches(sent.payload):
                sent.echoed = True
                return True
        return False

    def _on_indication(self, _char: BleakGATTCharacteristic, data: bytearray) -> None:
        try:
            response = ftms.decode_control_point_response(bytes(data))
        except ProtocolError as exc:
            self.decode_errors += 1
            logger.warning("%s: bad control point indication %s: %s", self.address, data.hex(), exc)
            return
        pending = self._pending
        if pending is None or pending[0] != response.request_opcode or pending[1].done():
            logger.info("%s: unexpected control point response %s", self.address, data.hex())
            return
        pending[1].set_result(response)

    # ------------------------------------------------------------------ commands
    def _require_control(self) -> TreadmillCapabilities:
        caps = self.capabilities
        if caps is None or not self.has_control_point:
            raise ControlNotPermittedError(f"{self.address} is monitor only")
        return caps

    async def _ensure_control(self) -> None:
        if not self.control_granted and not await self.request_control():
            raise ControlNotPermittedError(f"{self.address}: control not permitted")

    async def set_speed(self, speed_kmh: float) -> None:
        """Command a target speed, clamped and quantised to the advertised range.

        A speed <= 0 stops the belt.

        Raises:
            ControlNotPermittedError: monitor-only machine or control refused.
            DeviceTimeoutError: no answer in time.
            DeviceError: refused or not connected.
        """
        caps = self._require_control()
        if speed_kmh <= 0:
            await self.stop()
            return
        if not caps.can_control_speed and self.control_granted:
            raise ControlNotPermittedError(f"{self.address} does not accept speed targets")
        await self._ensure_control()
        target_kmh = caps.quantise_speed_kmh(speed_kmh)
        self.commanded_speed_kmh = target_kmh
        self.last_command_t_s = self._clock.monotonic_s()
        await self._request(ftms.encode_set_target_speed(target_kmh))
        if not self._speed_proven:
            self._speed_proven = True
            self._publish_control_mode()

    async def set_incline(self, incline_pct: float) -> None:
        """Command a target incline, clamped and quantised to the advertised range.

        Raises:
            ControlNotPermittedError: monitor-only machine, no incline control, or refused.
            DeviceTimeoutError: no answer in time.
            DeviceError: refused or not connected.
        """
        caps = self._require_control()
        if not caps.can_control_incline and self.control_granted:
            raise ControlNotPermittedError(f"{self.address} does not accept incline targets")
        await self._ensure_control()
        target_pct = caps.quantise_incline_pct(incline_pct)
        self.commanded_incline_pct = target_pct
        await self._request(ftms.encode_set_target_inclination(target_pct))

    async def start(self) -> None:
        """Start or resume the belt: Start/Resume (0x07), then Set Target Speed.

        The speed target (the last commanded speed, else the minimum) proves the speed
        command now that moving is intended. If the machine refuses it or does not
        answer, the belt runs at the machine's own speed and the session must run
        advisory: ``control_mode`` becomes ``advisory``, ``can_control_speed`` False, and
        ``CONTROL_LOST`` (value :data:`CONTROL_REFUSED_AT_START`) is emitted; the start
        itself succeeded, so this returns normally.

        Raises:
            ControlNotPermittedError: monitor-only machine or control refused.
            DeviceError: Start/Resume refused, unanswered, or not connected.
        """
        caps = self._require_control()
        await self._ensure_control()
        async with self._cp_lock:  # no other request between Start and its speed target
            await self._request_locked(ftms.encode_start())
            self.belt = BeltState.RUNNING
            if self.commanded_speed_kmh <= 0:
                self.commanded_speed_kmh = caps.min_speed_kmh
            if not caps.can_control_speed:
                return  # incline-only or already advisory: nothing to prove
            target_kmh = caps.quantise_speed_kmh(self.commanded_speed_kmh)
            try:
                await self._request_locked(ftms.encode_set_target_speed(target_kmh))
            except DeviceError as exc:  # Control Not Permitted, Operation Failed, timeout
                self._refuse_speed_control(caps, exc)
                return
        self.commanded_speed_kmh = target_kmh
        self.last_command_t_s = self._clock.monotonic_s()
        if not self._speed_proven:
            self._speed_proven = True
            self._publish_control_mode()
            logger.info("%s: speed command accepted after Start: control full", self.address)

    def _refuse_speed_control(self, caps: TreadmillCapabilities, exc: DeviceError) -> None:
        """The speed command after Start failed: the machine is advisory from now on."""
        self._speed_refused = True
        self.capabilities = replace(caps, can_control_speed=False, can_control_incline=False)
        self._publish_control_mode()
        message = f"speed command refused after Start: advisory mode ({exc})"
        logger.warning("%s: %s", self.address, message)
        self._event(DeviceEventKind.CONTROL_LOST, message, CONTROL_REFUSED_AT_START)

    async def _send_stop(self) -> None:
        self.commanded_speed_kmh = 0.0
        await self._request(ftms.encode_stop())
        self.belt = BeltState.STOPPED

    async def stop(self) -> None:
        """Stop the belt (Stop 0x08 0x01).

        Safe in any state: before connecting, after :meth:`disconnect` or without a
        control point it only logs (there is nothing the host can do). While the link is
        down and reconnecting it raises :class:`~runningroom.errors.DeviceError` (the
        stop is remembered and sent on reconnection); with control, failures are raised
        so the station can alarm.
        """
        self.commanded_speed_kmh = 0.0
        if self._link.reconnecting:
            # remembered: the host watchdog sends Stop as soon as the link is back; the
            # station retries every tick, so only the first request is logged (and the
            # outcome on reconnection)
            self._deferred_stops += 1
            if self._deferred_stop_since_s is None:
                self._deferred_stop_since_s = self._clock.monotonic_s()
                logger.warning("%s: link lost; Stop deferred until reconnection", self.address)
            raise DeviceError(f"{self.address}: link lost; Stop will be sent on reconnection")
        if not self.connected or not self.has_control_point:
            logger.warning("%s: cannot command stop (not connected or monitor only)", self.address)
            return
        await self._ensure_control()
        await self._send_stop()

    async def preflight(self, *, wait_for_data_s: float = 2.0) -> PreflightReport:
        """Find out whether the machine can be controlled, without moving the belt.

        Control was requested during the connection (Request Control) and the feature and
        range characteristics were read. A standing belt (or one whose speed is unknown
        after ``wait_for_data_s``) gets no command: its speed command is proven at
        :meth:`start`. A belt already running (e.g. the app restarted mid-session) gets
        its measured speed re-commanded, which changes nothing; if that is refused or not
        answered the machine is monitor only and the session runs advisory.
        """
        if self.capabilities is None or not self.connected:
            report = PreflightReport(False, True, "treadmill not connected")
        elif not self.has_control_point:
            report = PreflightReport(False, True, "no control point: monitor only")
        elif not self.capabilities.can_control_speed:
            report = PreflightReport(False, True, "control not permitted: monitor only")
        else:
            report = await self._check_running_belt(self.capabilities, wait_for_data_s)
        self._publish_control_mode()
        report = replace(report, control_mode=self.control_mode)
        self.preflight_report = report
        return report

    async def _check_running_belt(
        self, caps: TreadmillCapabilities, wait_for_data_s: float
    ) -> PreflightReport:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_for_data_s
        while self.last_measurement is None and loop.time() < deadline:
            await asyncio.sleep(0.05)
        measured = self.last_measurement.speed_kmh if self.last_measurement else None
        if measured is None or measured <= 0:
            return PreflightReport(
                False, False, "control granted; the speed command is proven at Start"
            )
        try:
            await self.set_speed(measured)
        except ControlNotPermittedError as exc:
            reason = f"speed command refused: {exc}"
        except DeviceError as exc:
            reason = f"speed command not acknowledged: {exc}"
        else:
            return PreflightReport(True, False, "speed command accepted")
        logger.warning("%s preflight: %s; monitor only", self.address, reason)
        self._speed_refused = True
        self.capabilities = replace(caps, can_control_speed=False, can_control_incline=False)
        self._event(DeviceEventKind.COMMAND_FAILED, f"preflight: {reason}; monitor only")
        return PreflightReport(False, True, reason)

    # ------------------------------------------------------------------ notifications
    def _on_treadmill_data(self, _char: BleakGATTCharacteristic, data: bytearray) -> None:
        self._last_data_loop_s = asyncio.get_running_loop().time()
        self._silent_reported = False
        try:
            record = self._merger.feed(bytes(data))
        except ProtocolError as exc:
            self.decode_errors += 1
            logger.debug("%s: undecodable treadmill data %s: %s", self.address, data.hex(), exc)
            return
        if record is None:
            return
        speed = record.inst_speed_kmh
        if self.belt in (BeltState.PAUSED,) and speed:
            self.belt = BeltState.RUNNING
        belt = self.belt
        if speed is not None and belt != BeltState.PAUSED:
            belt = BeltState.RUNNING if speed > 0 else BeltState.STOPPED
        measurement = TreadmillMeasurement(
            t_s=self._clock.monotonic_s(),
            speed_kmh=speed,
            incline_pct=record.inclination_pct,
            distance_m=None if record.total_distance_m is None else float(record.total_distance_m),
            hr_bpm=record.heart_rate_bpm or None,
            belt=belt,
            elapsed_s=None if record.elapsed_s is None else float(record.elapsed_s),
        )
        self.last_measurement = measurement
        self._emit_measurement(measurement)

    def _on_machine_status(self, _char: BleakGATTCharacteristic, data: bytearray) -> None:
        try:
            status = ftms.decode_machine_status(bytes(data))
        except ProtocolError as exc:
            self.decode_errors += 1
            logger.warning("%s: bad machine status %s: %s", self.address, data.hex(), exc)
            return
        if status.control_permission_lost:
            self.control_granted = False
            self._event(DeviceEventKind.CONTROL_LOST, "control permission lost")
        elif status.safety_key:
            self.belt = BeltState.STOPPED
            self.commanded_speed_kmh = 0.0
            self._event(DeviceEventKind.SAFETY_KEY, "stopped by the safety key")
        elif status.stopped_by_user:
            self.belt = BeltState.STOPPED
            if not self._consume_echo(lambda p: p == b"\x08\x01"):
                self.commanded_speed_kmh = 0.0
                self._event(DeviceEventKind.STOPPED_BY_USER, "stopped at the console")
        elif status.paused_by_user:
            self.belt = BeltState.PAUSED
            if not self._consume_echo(lambda p: p == b"\x08\x02"):
                self._event(DeviceEventKind.PAUSED_BY_USER, "paused at the console")
        elif status.started_by_user:
            self.belt = BeltState.RUNNING
            if not self._consume_echo(lambda p: p[:1] == b"\x07"):
                self._event(DeviceEventKind.STARTED_BY_USER, "started at the console")
        elif status.target_speed_kmh is not None:
            self._on_target_change(status.target_speed_kmh, incline=False)
        elif status.target_incline_pct is not None:
            self._on_target_change(status.target_incline_pct, incline=True)

    def _on_target_change(self, value: float, *, incline: bool) -> None:
        caps = self.capabilities or TreadmillCapabilities()
        if incline:
            tolerance = caps.incline_increment_pct / 2 + 1e-6

            def incline_echo(p: bytes) -> bool:
                sent_pct = int.from_bytes(p[1:3], "little", signed=True) / 10.0
                return p[:1] == b"\x03" and abs(sent_pct - value) <= tolerance

            if self._consume_echo(incline_echo):
                return
            commanded = self.commanded_incline_pct
            if commanded is not None and abs(commanded - value) <= tolerance:
                return  # no change
            self.commanded_incline_pct = value
            self._event(
                DeviceEventKind.CONSOLE_INCLINE_CHANGED, f"incline set to {value:g} %", value
            )
        else:
            tolerance = caps.speed_increment_kmh / 2 + 1e-6

            def speed_echo(p: bytes) -> bool:
                sent_kmh = int.from_bytes(p[1:3], "little") / 100.0
                return p[:1] == b"\x02" and abs(sent_kmh - value) <= tolerance

            if self._consume_echo(speed_echo):
                return
            if abs(self.commanded_speed_kmh - value) <= tolerance:
                return  # no change
            self.commanded_speed_kmh = value
            self._event(
                DeviceEventKind.CONSOLE_SPEED_CHANGED, f"speed set to {value:g} km/h", value
            )


@dataclass
class _SentRequest:
    """A control-point request remembered for echo matching."""

    t_s: float
    payload: bytes
    echoed: bool = False
