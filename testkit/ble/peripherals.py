"""Transport-independent simulated BLE peripherals: an FTMS treadmill and an HR strap.

The models speak bytes exactly like the real devices (little-endian GATT values) and know
nothing about bleak or D-Bus. A transport (the in-process fake bleak backend or the BlueZ
D-Bus server used with BlueZoo) calls :meth:`SimPeripheral.read`,
:meth:`SimPeripheral.write` and :meth:`SimPeripheral.set_notifying`, and receives
notifications and indications through the sink installed with
:meth:`SimPeripheral.attach`.

Both peripherals first replay real captures (see :mod:`testkit.ble.captures`), then
stream values generated from their live state. Faults are injected through
:class:`FtmsFaults` / :class:`HrFaults` fields, which tests may change at any time.

Field behaviours of the FTMS treadmill that can be switched on (``FtmsFaults``; the
BlueZ peripheral process takes them as ``--fault NAME[=VALUE]``):

* ``start_required``: Set Target Speed refused (``start_required_result``: 0x05 Control
  Not Permitted, or 0x04 Operation Failed) until Start/Resume 0x07;
* ``speed_starts_belt``: a speed target starts a standing belt;
* ``refuse_control``, ``fail_start``, ``drop_responses``, ``response_delay_s``,
  ``status_delay_s``, ``truncate_data``, ``silent``: see :class:`FtmsFaults`.

Link behaviours (connect attempts that hang, dropouts) belong to the transport: see
:class:`testkit.ble.fake_backend.FakeRadio`.
"""

from __future__ import annotations

import asyncio
import logging
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from drivers.protocols import uuids
from drivers.tasks import cancel_and_wait
from testkit.ble import captures

logger = logging.getLogger(__name__)

FTMS_SERVICE = uuids.FITNESS_MACHINE_SERVICE
FEATURE = uuids.FITNESS_MACHINE_FEATURE
TREADMILL_DATA = uuids.TREADMILL_DATA
TRAINING_STATUS = uuids.TRAINING_STATUS
SPEED_RANGE = uuids.SUPPORTED_SPEED_RANGE
INCLINE_RANGE = uuids.SUPPORTED_INCLINATION_RANGE
CONTROL_POINT = uuids.FITNESS_MACHINE_CONTROL_POINT
MACHINE_STATUS = uuids.FITNESS_MACHINE_STATUS
HR_SERVICE = uuids.HEART_RATE_SERVICE
HR_MEASUREMENT = uuids.HEART_RATE_MEASUREMENT
BODY_SENSOR_LOCATION = uuids.BODY_SENSOR_LOCATION

#: ATT error codes used by the simulators (Core Spec Supplement common profile errors).
ATT_CCCD_IMPROPERLY_CONFIGURED = 0xFD
ATT_PROCEDURE_ALREADY_IN_PROGRESS = 0xFE
ATT_READ_NOT_PERMITTED = 0x02
ATT_WRITE_NOT_PERMITTED = 0x03

NotifySink = Callable[[str, bytes], None]


class AttError(Exception):
    """A GATT request answered with an ATT error code.

    Args:
        code: the ATT error code (e.g. 0xFD).
    """

    def __init__(self, code: int) -> None:
        super().__init__(f"ATT error 0x{code:02X}")
        self.code = code


@dataclass(frozen=True)
class SimCharacteristic:
    """One characteristic of a simulated service.

    Attributes:
        uuid: full 128-bit UUID.
        flags: BlueZ-style property names ("read", "write", "notify", "indicate").
    """

    uuid: str
    flags: tuple[str, ...]


@dataclass(frozen=True)
class SimService:
    """A primary service with its characteristics."""

    uuid: str
    characteristics: tuple[SimCharacteristic, ...]


class SimPeripheral:
    """Base class: advertising data, GATT table, notification plumbing, connection state.

    Args:
        address: Bluetooth address ("AA:BB:CC:DD:EE:FF").
        name: advertised local name.
        period_s: interval of the periodic data notification.
    """

    def __init__(self, address: str, name: str, period_s: float) -> None:
        self.address = address.upper()
        self.name = name
        self.period_s = period_s
        self.rssi_dbm = -55
        self.service_data: dict[str, bytes] = {}
        self.notifying: set[str] = set()
        self.connected = False
        self._sinks: list[NotifySink] = []
        self._task: asyncio.Task[None] | None = None
        self.writes: list[tuple[str, bytes]] = []
        #: When False the advertisement omits the service UUID list (service data only).
        self.advertise_uuids = True

    # -- GATT table -------------------------------------------------------------------
    @property
    def services(self) -> tuple[SimService, ...]:
        """The GATT table; subclasses override."""
        return ()

    @property
    def advertised_service_uuids(self) -> list[str]:
        """Service UUIDs placed in the advertisement."""
        return [s.uuid for s in self.services] if self.advertise_uuids else []

    def characteristic(self, uuid: str) -> SimCharacteristic | None:
        """Return the characteristic with ``uuid`` or None."""
        for service in self.services:
            for char in service.characteristics:
                if char.uuid == uuid:
                    return char
        return None

    # -- transport hooks --------------------------------------------------------------
    def attach(self, sink: NotifySink) -> Callable[[], None]:
        """Install a notification sink; returns a function that removes it."""
        self._sinks.append(sink)

        def detach() -> None:
            if sink in self._sinks:
                self._sinks.remove(sink)

        return detach

    def notify(self, uuid: str, value: bytes) -> None:
        """Send a notification/indication if the client enabled it on ``uuid``."""
        if uuid not in self.notifying:
            return
        for sink in list(self._sinks):
            sink(uuid, bytes(value))

    def on_connect(self) -> None:
        """Called by the transport when a central connects; starts the data loop."""
        self.connected = True
        self.notifying.clear()
        self._reset_session()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._data_loop())

    def on_disconnect(self) -> None:
        """Called by the transport when the link goes away; stops the data loop."""
        self.connected = False
        self.notifying.clear()
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def aclose(self) -> None:
        """Stop the data loop and wait for it."""
        task, self._task = self._task, None
        await cancel_and_wait(task)

    def read(self, uuid: str) -> bytes:
        """Answer a read request; raises :class:`AttError` when reading is not allowed."""
        raise AttError(ATT_READ_NOT_PERMITTED)

    def write(self, uuid: str, data: bytes) -> None:
        """Answer a write-with-response request; raises :class:`AttError` to refuse it."""
        self.writes.append((uuid, bytes(data)))
        self._handle_write(uuid, bytes(data))

    def _handle_write(self, uuid: str, data: bytes) -> None:
        raise AttError(ATT_WRITE_NOT_PERMITTED)

    def set_notifying(self, uuid: str, enabled: bool) -> None:
        """Enable or disable notifications/indications (the CCCD) on ``uuid``."""
        if enabled:
            self.notifying.add(uuid)
        else:
            self.notifying.discard(uuid)

    def _reset_session(self) -> None:
        """Reset per-connection state; subclasses extend."""

    async def _data_loop(self) -> None:
        """Emit periodic data; subclasses override."""


# ---------------------------------------------------------------------------------------
# FTMS treadmill


@dataclass
class FtmsFaults:
    """Faults injected into :class:`SimFtmsTreadmill`; tests may change them at any time.

    Attributes:
        refuse_control: answer Request Control with 0x05 Control Not Permitted.
        drop_responses: number of upcoming control-point responses never indicated.
        response_delay_s: delay before each control-point indication.
        truncate_data: send Treadmill Data packets cut short (flags promise more).
        silent: stop sending Treadmill Data.
        fail_start: answer Start/Resume with 0x04 Operation Failed.
        status_delay_s: send the Fitness Machine Status that follows a procedure this
            long after its control-point indication (BlueZ may reorder them).
        start_required: a Start-required machine: Set Target Speed is answered with
            ``start_required_result`` until Start/Resume (0x07), and again after a Stop.
        start_required_result: the refusal, 0x05 Control Not Permitted (default) or
            0x04 Operation Failed (both are seen in the field).
        speed_starts_belt: Set Target Speed on a standing belt starts it (as many
            machines with full control do), so a command sent "just to test" moves it.
    """

    refuse_control: bool = False
    drop_responses: int = 0
    response_delay_s: float = 0.0
    truncate_data: bool = False
    silent: bool = False
    fail_start: bool = False
    status_delay_s: float = 0.0
    start_required: bool = False
    start_required_result: int = 0x05
    speed_starts_belt: bool = False


@dataclass
class FtmsRanges:
    """Ranges the simulated treadmill advertises (0x2AD4/0x2AD5)."""

    min_speed_kmh: float = 0.8
    max_speed_kmh: float = 18.0
    speed_increment_kmh: float = 0.1
    min_incline_pct: float = -3.0
    max_incline_pct: float = 15.0
    incline_increment_pct: float = 0.5


class SimFtmsTreadmill(SimPeripheral):
    """An FTMS treadmill: replays captures, then streams its live state.

    The control point is a small state machine: indications must be enabled (else ATT
    0xFD), one procedure at a time (else 0xFE), Request Control first (else result
    0x05), targets checked against the advertised ranges (else 0x03). Target changes are
    also reported on Fitness Machine Status (0x2ADA) as real machines do.

    Args:
        address: Bluetooth address.
        name: advertised name.
        period_s: Treadmill Data interval.
        ranges: advertised speed/incline ranges.
        with_control_point: False simulates a monitor-only machine without 0x2AD9.
        replay_captures: replay the captured packets at the start of each connection.
        accel_kmh_per_s: belt acceleration toward the target (0 = instantaneous).
        service_data: FTMS service data to advertise (may be malformed on purpose).
    """

    def __init__(
        self,
        address: str = "F0:00:00:00:00:01",
        name: str = "SIM-FTMS",
        *,
        period_s: float = 0.25,
        ranges: FtmsRanges | None = None,
        with_control_point: bool = True,
        replay_captures: bool = True,
        accel_kmh_per_s: float = 0.0,
        service_data: bytes | None = b"\x01\x01\x00",
    ) -> None:
        super().__init__(address, name, period_s)
        self.ranges = ranges or FtmsRanges()
        self.with_control_point = with_control_point
        self.replay_captures = replay_captures
        self.accel_kmh_per_s = accel_kmh_per_s
        self.faults = FtmsFaults()
        if service_data is not None:
            self.service_data[FTMS_SERVICE] = service_data
        self.control_granted = False
        self.running = False
        self.target_speed_kmh = 0.0
        self.speed_kmh = 0.0
        self.incline_pct = 0.0
        self.distance_m = 0.0
        self.elapsed_s = 0.0
        self.hr_bpm = 0
        self._busy = False
        self._responders: set[asyncio.Task[None]] = set()
        self.control_point_log: list[bytes] = []

    @property
    def services(self) -> tuple[SimService, ...]:
        """FTMS with feature, data, ranges, status, training status and control point."""
        chars = [
            SimCharacteristic(FEATURE, ("read",)),
            SimCharacteristic(TREADMILL_DATA, ("notify",)),
            SimCharacteristic(TRAINING_STATUS, ("read", "notify")),
            SimCharacteristic(SPEED_RANGE, ("read",)),
            SimCharacteristic(INCLINE_RANGE, ("read",)),
            SimCharacteristic(MACHINE_STATUS, ("notify",)),
        ]
        if self.with_control_point:
            chars.append(SimCharacteristic(CONTROL_POINT, ("write", "indicate")))
        return (SimService(FTMS_SERVICE, tuple(chars)),)

    def _reset_session(self) -> None:
        self.control_granted = False
        self._busy = False

    # -- reads ------------------------------------------------------------------------
    def read(self, uuid: str) -> bytes:
        """Serve feature, ranges and training status."""
        r = self.ranges
        if uuid == FEATURE:
            # Features: total distance, inclination, heart rate, elapsed time;
            # targets: speed, inclination (only when a control point exists).
            features = (1 << 2) | (1 << 3) | (1 << 10) | (1 << 12)
            targets = 0b11 if self.with_control_point else 0
            return struct.pack("<II", features, targets)
        if uuid == SPEED_RANGE:
            return struct.pack(
                "<HHH",
                round(r.min_speed_kmh * 100),
                round(r.max_speed_kmh * 100),
                round(r.speed_increment_kmh * 100),
            )
        if uuid == INCLINE_RANGE:
            return struct.pack(
                "<hhH",
                round(r.min_incline_pct * 10),
                round(r.max_incline_pct * 10),
                round(r.incline_increment_pct * 10),
            )
        if uuid == TRAINING_STATUS:
            return bytes.fromhex(captures.TRAINING_STATUS_IDLE)
        raise AttError(ATT_READ_NOT_PERMITTED)

    # -- control point ----------------------------------------------------------------
    def _handle_write(self, uuid: str, data: bytes) -> None:
        if uuid != CONTROL_POINT or not self.with_control_point:
            raise AttError(ATT_WRITE_NOT_PERMITTED)
        if CONTROL_POINT not in self.notifying:
            raise AttError(ATT_CCCD_IMPROPERLY_CONFIGURED)
        if self._busy:
            raise AttError(ATT_PROCEDURE_ALREADY_IN_PROGRESS)
        if not data:
            raise AttError(0x04)  # invalid PDU
        self.control_point_log.append(bytes(data))
        opcode = data[0]
        result, status = self._execute(opcode, data[1:])
        self._busy = True
        task = asyncio.get_running_loop().create_task(self._respond(opcode, result, status))
        self._responders.add(task)
        task.add_done_callback(self._responders.discard)

    def _execute(self, opcode: int, param: bytes) -> tuple[int, bytes | None]:
        """Run one procedure; returns (result code, status notification or None)."""
        if opcode == 0x00:
            if self.faults.refuse_control:
                return 0x05, None
            self.control_granted = True
            return 0x01, None
        if not self.control_granted:
            return 0x05, None
        r = self.ranges
        if opcode == 0x01:  # reset
            self.control_granted = False
            self.running = False
            self.target_speed_kmh = 0.0
            return 0x01, b"\x01"
        if opcode == 0x02:
            if len(param) < 2:
                return 0x03, None
            speed_kmh = struct.unpack_from("<H", param)[0] / 100.0
            if not r.min_speed_kmh - 1e-6 <= speed_kmh <= r.max_speed_kmh + 1e-6:
                return 0x03, None
            if self.faults.start_required and not self.running:
                return self.faults.start_required_result, None
            # The target is stored; a stopped belt starts only on Start/Resume (0x07)
            # unless the machine starts on a speed target.
            self.target_speed_kmh = speed_kmh
            if self.faults.speed_starts_belt:
                self.running = True
            return 0x01, b"\x05" + param[:2]
        if opcode == 0x03:
            if len(param) < 2:
                return 0x03, None
            incline_pct = struct.unpack_from("<h", param)[0] / 10.0
            if not r.min_incline_pct - 1e-6 <= incline_pct <= r.max_incline_pct + 1e-6:
                return 0x03, None
            self.incline_pct = incline_pct
            return 0x01, b"\x06" + param[:2]
        if opcode == 0x07:
            if self.faults.fail_start:
                return 0x04, None
            self.running = True
            if self.target_speed_kmh < r.min_speed_kmh:
                self.target_speed_kmh = r.min_speed_kmh
            return 0x01, b"\x04"
        if opcode == 0x08:
            if not param or param[0] not in (1, 2):
                return 0x03, None
            self.running = False
            if param[0] == 1:
                self.target_speed_kmh = 0.0
                self.speed_kmh = 0.0 if self.accel_kmh_per_s <= 0 else self.speed_kmh
            return 0x01, b"\x02" + param[:1]
        return 0x02, None

    async def _respond(self, opcode: int, result: int, status: bytes | None) -> None:
        try:
            if self.faults.response_delay_s > 0:
                await asyncio.sleep(self.faults.response_delay_s)
            if self.faults.drop_responses > 0:
                self.faults.drop_responses -= 1
                logger.debug("sim FTMS drops the response to opcode 0x%02X", opcode)
                return
            self.notify(CONTROL_POINT, bytes((0x80, opcode, result)))
        finally:
            self._busy = False
        if status is not None:
            if self.faults.status_delay_s > 0:
                await asyncio.sleep(self.faults.status_delay_s)
            self.notify(MACHINE_STATUS, status)

    # -- fault helpers and console actions ----------------------------------------------
    def console_set_speed(self, speed_kmh: float) -> None:
        """Simulate the user pressing speed keys on the console (status 0x05)."""
        self.target_speed_kmh = speed_kmh
        self.running = speed_kmh > 0
        self.notify(MACHINE_STATUS, b"\x05" + struct.pack("<H", round(speed_kmh * 100)))

    def console_stop(self) -> None:
        """Simulate the user pressing stop on the console (status 0x02 0x01)."""
        self.running = False
        self.target_speed_kmh = 0.0
        self.speed_kmh = 0.0
        self.notify(MACHINE_STATUS, b"\x02\x01")

    def pull_safety_key(self) -> None:
        """Simulate the safety key being pulled (status 0x03)."""
        self.running = False
        self.target_speed_kmh = 0.0
        self.speed_kmh = 0.0
        self.notify(MACHINE_STATUS, b"\x03")

    def revoke_control(self) -> None:
        """Simulate another client or the console taking control (status 0xFF)."""
        self.control_granted = False
        self.notify(MACHINE_STATUS, b"\xff")

    # -- data -------------------------------------------------------------------------
    def advance(self, dt_s: float) -> None:
        """Move the belt physics forward by ``dt_s`` seconds."""
        target = self.target_speed_kmh if self.running else 0.0
        if self.accel_kmh_per_s <= 0:
            self.speed_kmh = target
        else:
            step = self.accel_kmh_per_s * dt_s
            delta = max(-step, min(step, target - self.speed_kmh))
            self.speed_kmh = round(self.speed_kmh + delta, 4)
        self.distance_m += self.speed_kmh / 3.6 * dt_s
        if self.running:
            self.elapsed_s += dt_s

    def live_packets(self) -> list[bytes]:
        """Encode the live state as Treadmill Data, split over two notifications.

        Part 1 (More Data = 1): total distance and inclination. Part 2: instantaneous
        speed, heart rate (if any) and elapsed time. With ``faults.truncate_data`` part 2
        is cut after the speed although its flags promise more.
        """
        distance = max(0, min(0xFFFFFF, int(self.distance_m)))
        part1 = struct.pack("<H", 0x0001 | 0x0004 | 0x0008)
        part1 += distance.to_bytes(3, "little")
        part1 += struct.pack("<hh", round(self.incline_pct * 10), 0x7FFF)
        flags2 = 0x0400 | (0x0100 if self.hr_bpm else 0)
        part2 = struct.pack("<HH", flags2, round(self.speed_kmh * 100))
        if self.hr_bpm:
            part2 += bytes((self.hr_bpm & 0xFF,))
        part2 += struct.pack("<H", min(0xFFFF, int(self.elapsed_s)))
        if self.faults.truncate_data:
            part2 = part2[:4]
        return [part1, part2]

    async def _data_loop(self) -> None:
        if self.replay_captures:
            while TREADMILL_DATA not in self.notifying:
                await asyncio.sleep(self.period_s / 4)
            for hex_packet in captures.TREADMILL_DATA_REPLAY:
                await asyncio.sleep(self.period_s / 2)
                self.notify(TREADMILL_DATA, bytes.fromhex(hex_packet))
        while True:
            await asyncio.sleep(self.period_s)
            self.advance(self.period_s)
            if self.faults.silent:
                continue
            for packet in self.live_packets():
                self.notify(TREADMILL_DATA, packet)


# ---------------------------------------------------------------------------------------
# Heart-rate strap


@dataclass
class HrFaults:
    """Faults injected into :class:`SimHrStrap`.

    Attributes:
        silent: stop sending measurements.
        truncate: send measurements cut after the flags byte.
    """

    silent: bool = False
    truncate: bool = False


class SimHrStrap(SimPeripheral):
    """A heart-rate strap: replays captures, then sends ``hr_bpm`` with RR intervals.

    Live packets alternate between flags 0x16 (uint8 HR, contact detected, RR) and
    0x10 (Polar H10 style, contact not supported, RR); with ``uint16`` (or HR > 255)
    flags 0x17 (uint16 HR) are used instead.

    Args:
        address: Bluetooth address.
        name: advertised name.
        period_s: measurement interval (real straps: 1 s).
        hr_bpm: heart rate sent in live packets.
        uint16: send HR as uint16.
        replay_captures: replay captured packets first on each connection.
    """

    def __init__(
        self,
        address: str = "C0:00:00:00:00:02",
        name: str = "SIM-HRM",
        *,
        period_s: float = 1.0,
        hr_bpm: int = 72,
        uint16: bool = False,
        replay_captures: bool = True,
    ) -> None:
        super().__init__(address, name, period_s)
        self.hr_bpm = hr_bpm
        self.uint16 = uint16
        self.replay_captures = replay_captures
        self.faults = HrFaults()
        self._count = 0

    @property
    def services(self) -> tuple[SimService, ...]:
        """Heart Rate service: measurement (notify) and body sensor location (read)."""
        return (
            SimService(
                HR_SERVICE,
                (
                    SimCharacteristic(HR_MEASUREMENT, ("notify",)),
                    SimCharacteristic(BODY_SENSOR_LOCATION, ("read",)),
                ),
            ),
        )

    def read(self, uuid: str) -> bytes:
        """Serve Body Sensor Location = chest."""
        if uuid == BODY_SENSOR_LOCATION:
            return b"\x01"
        raise AttError(ATT_READ_NOT_PERMITTED)

    def live_packet(self) -> bytes:
        """Encode the current ``hr_bpm`` with one RR interval matching it."""
        self._count += 1
        rr_1024 = round(60.0 / max(self.hr_bpm, 1) * 1024)
        if self.uint16 or self.hr_bpm > 255:
            packet = bytes((0x17,)) + struct.pack("<HH", self.hr_bpm, rr_1024)
        else:
            flags = 0x16 if self._count % 2 else 0x10
            packet = bytes((flags, self.hr_bpm)) + struct.pack("<H", rr_1024)
        if self.faults.truncate:
            packet = packet[:1]
        return packet

    def send_now(self, hr_bpm: int | None = None) -> bytes:
        """Send one live measurement immediately (for latency measurements)."""
        if hr_bpm is not None:
            self.hr_bpm = hr_bpm
        packet = self.live_packet()
        self.notify(HR_MEASUREMENT, packet)
        return packet

    async def _data_loop(self) -> None:
        if self.replay_captures:
            while HR_MEASUREMENT not in self.notifying:
                await asyncio.sleep(self.period_s / 4)
            for hex_packet in captures.HEART_RATE_REPLAY:
                await asyncio.sleep(self.period_s / 4)
                self.notify(HR_MEASUREMENT, bytes.fromhex(hex_packet))
        while True:
            await asyncio.sleep(self.period_s)
            if not self.faults.silent:
                self.notify(HR_MEASUREMENT, self.live_packet())


def all_peripherals(items: Sequence[SimPeripheral]) -> dict[str, SimPeripheral]:
    """Index peripherals by upper-case address."""
    return {p.address: p for p in items}
