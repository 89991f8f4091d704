"""Device interfaces the core defines and ``drivers/`` implements.

A treadmill delivers :class:`TreadmillMeasurement` and :class:`DeviceEvent` values and
accepts speed/incline/start/stop commands; an HR source delivers :class:`HrSample`
values. Backends (simulator, FTMS over BLE, CSAFE, Trackmaster/Woodway, BLE heart-rate
strap) subclass :class:`Treadmill` or :class:`HrSource`, implement the abstract
methods, and report data through ``_emit_*``. Callbacks run on the thread and loop
that owns the device (the station's asyncio loop).

All times ``t_s`` are monotonic seconds from the :class:`~runningroom.clock.Clock`
given to the device.
"""

from __future__ import annotations

import logging
import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

logger = logging.getLogger(__name__)


class SensorContact(StrEnum):
    """Skin-contact state reported by an HR sensor.

    ``NOT_SUPPORTED`` must never be shown as "no contact" (Polar H10 sends flags 0x10).
    """

    NOT_SUPPORTED = "not_supported"
    NO_CONTACT = "no_contact"
    CONTACT = "contact"


class HrSourceKind(StrEnum):
    """Where a heart-rate value came from; treadmill-relayed HR is lower quality."""

    CHEST_STRAP = "chest_strap"
    OPTICAL = "optical"
    TREADMILL = "treadmill"
    SIMULATED = "simulated"


@dataclass(frozen=True, slots=True)
class HrSample:
    """One heart-rate notification.

    Attributes:
        t_s: monotonic receive time.
        hr_bpm: reported heart rate; 0 is passed through (the supervisor flags it).
        rr_ms: RR intervals in milliseconds carried by this notification, oldest first.
        contact: skin-contact state.
        source: what kind of sensor produced it.
        energy_kj: cumulative energy expended if the sensor reports it.
    """

    t_s: float
    hr_bpm: int
    rr_ms: tuple[float, ...] = ()
    contact: SensorContact = SensorContact.NOT_SUPPORTED
    source: HrSourceKind = HrSourceKind.CHEST_STRAP
    energy_kj: int | None = None


class BeltState(StrEnum):
    """Belt state as far as the device tells us."""

    UNKNOWN = "unknown"
    STOPPED = "stopped"
    RUNNING = "running"
    PAUSED = "paused"


@dataclass(frozen=True, slots=True)
class TreadmillMeasurement:
    """One merged data record from a treadmill; ``None`` means "not available".

    Attributes:
        t_s: monotonic receive time.
        speed_kmh: measured belt speed.
        incline_pct: measured incline (grade) in percent.
        distance_m: total distance since the device's start.
        hr_bpm: heart rate relayed by the treadmill (grips or its own receiver).
        belt: belt state if known.
        elapsed_s: device-side elapsed time.
    """

    t_s: float
    speed_kmh: float | None
    incline_pct: float | None = None
    distance_m: float | None = None
    hr_bpm: int | None = None
    belt: BeltState = BeltState.UNKNOWN
    elapsed_s: float | None = None


@dataclass(frozen=True, slots=True)
class TreadmillCapabilities:
    """What a treadmill can do; commands are clamped and quantised to it.

    Attributes:
        min_speed_kmh: lowest settable belt speed above standstill.
        max_speed_kmh: highest settable belt speed.
        speed_increment_kmh: smallest speed step.
        min_incline_pct: lowest incline.
        max_incline_pct: highest incline.
        incline_increment_pct: smallest incline step.
        can_control_speed: the device accepts speed commands.
        can_control_incline: the device accepts incline commands.
        reports_hr: the device relays a heart rate.
        model: human-readable description of the device.
    """

    min_speed_kmh: float = 0.5
    max_speed_kmh: float = 16.0
    speed_increment_kmh: float = 0.1
    min_incline_pct: float = 0.0
    max_incline_pct: float = 15.0
    incline_increment_pct: float = 0.5
    can_control_speed: bool = True
    can_control_incline: bool = True
    reports_hr: bool = False
    model: str = "treadmill"

    @property
    def monitor_only(self) -> bool:
        """True when the device accepts no speed commands (advisory mode)."""
        return not self.can_control_speed

    def quantise_speed_kmh(self, speed_kmh: float) -> float:
        """Clamp to the speed range and round to the nearest increment."""
        return _quantise(
            speed_kmh, self.min_speed_kmh, self.max_speed_kmh, self.speed_increment_kmh
        )

    def quantise_incline_pct(self, incline_pct: float) -> float:
        """Clamp to the incline range and round to the nearest increment."""
        return _quantise(
            incline_pct, self.min_incline_pct, self.max_incline_pct, self.incline_increment_pct
        )


def _quantise(value: float, low: float, high: float, step: float) -> float:
    if math.isnan(value):
        raise ValueError("cannot quantise NaN")
    clamped = min(max(value, low), high)
    if step <= 0:
        return clamped
    steps = round((clamped - low) / step)
    result = low + steps * step
    if result > high + 1e-9:
        result -= step
    return round(result, 6)


class DeviceEventKind(StrEnum):
    """Things a device reports besides measurements."""

    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    RECONNECTING = "reconnecting"
    RECONNECTED = "reconnected"
    STARTED_BY_USER = "started_by_user"
    STOPPED_BY_USER = "stopped_by_user"
    STOPPED_BY_WATCHDOG = "stopped_by_watchdog"  # the host's or the machine's watchdog
    PAUSED_BY_USER = "paused_by_user"
    SAFETY_KEY = "safety_key"
    CONTROL_GRANTED = "control_granted"
    CONTROL_LOST = "control_lost"
    CONSOLE_SPEED_CHANGED = "console_speed_changed"
    CONSOLE_INCLINE_CHANGED = "console_incline_changed"
    NOT_RESPONDING = "not_responding"
    COMMAND_FAILED = "command_failed"
    BATTERY = "battery"
    SIGNAL = "signal"


#: ``value`` of a treadmill ``CONTROL_LOST`` event that means the machine refused speed
#: control when the belt was started: the session continues in advisory mode.
CONTROL_REFUSED_AT_START = 0.0


class DeviceRole(StrEnum):
    """Which device of a station an event is about."""

    TREADMILL = "treadmill"
    HR = "hr"


@dataclass(frozen=True, slots=True)
class DeviceEvent:
    """A non-measurement report from a device.

    Attributes:
        t_s: monotonic time of the event.
        role: treadmill or HR source.
        kind: what happened.
        message: short English description for the log.
        value: numeric payload (new speed, incline, battery %, RSSI), if any.
    """

    t_s: float
    role: DeviceRole
    kind: DeviceEventKind
    message: str = ""
    value: float | None = None


MeasurementListener = Callable[[TreadmillMeasurement], None]
HrListener = Callable[[HrSample], None]
EventListener = Callable[[DeviceEvent], None]


class _Emitter:
    """Listener plumbing shared by both device kinds."""

    def __init__(self) -> None:
        self._event_listeners: list[EventListener] = []

    def add_event_listener(self, listener: EventListener) -> None:
        """Call ``listener`` for every :class:`DeviceEvent`."""
        self._event_listeners.append(listener)

    def _emit_event(self, event: DeviceEvent) -> None:
        logger.info("%s event %s: %s", event.role, event.kind, event.message)
        for listener in list(self._event_listeners):
            try:
                listener(event)
            except Exception:
                logger.exception("device event listener failed")


class Treadmill(_Emitter, ABC):
    """A treadmill the station can command.

    Contract for implementations:
      * ``connect`` returns the capabilities; it raises
        :class:`~runningroom.errors.DeviceNotFoundError` when the address does not exist.
      * ``set_speed``/``set_incline`` receive values already clamped and quantised by the
        caller; they raise :class:`~runningroom.errors.DeviceError` subclasses on refusal
        or timeout, never hang for more than a few seconds.
      * ``stop`` must bring the belt to a standstill and be safe to call in any state,
        including after a failed connect.
      * measurements are emitted at >= 1 Hz while connected.
    """

    address: str = ""

    def __init__(self) -> None:
        super().__init__()
        self._measurement_listeners: list[MeasurementListener] = []

    def add_measurement_listener(self, listener: MeasurementListener) -> None:
        """Call ``listener`` for every :class:`TreadmillMeasurement`."""
        self._measurement_listeners.append(listener)

    def _emit_measurement(self, measurement: TreadmillMeasurement) -> None:
        for listener in list(self._measurement_listeners):
            try:
                listener(measurement)
            except Exception:
                logger.exception("measurement listener failed")

    @abstractmethod
    async def connect(self) -> TreadmillCapabilities:
        """Connect, read capabilities and take control if the device allows it."""

    @abstractmethod
    async def disconnect(self) -> None:
        """Release the device; does not stop the belt by itself."""

    @abstractmethod
    async def start(self) -> None:
        """Start (or resume) the belt at the device's minimum speed."""

    @abstractmethod
    async def stop(self) -> None:
        """Stop the belt. Safe to call in any state."""

    @abstractmethod
    async def set_speed(self, speed_kmh: float) -> None:
        """Command a target belt speed."""

    @abstractmethod
    async def set_incline(self, incline_pct: float) -> None:
        """Command a target incline."""


class HrSource(_Emitter, ABC):
    """A source of heart-rate samples (BLE strap, ANT+ receiver, simulator)."""

    address: str = ""
    kind: HrSourceKind = HrSourceKind.CHEST_STRAP

    def __init__(self) -> None:
        super().__init__()
        self._sample_listeners: list[HrListener] = []

    def add_sample_listener(self, listener: HrListener) -> None:
        """Call ``listener`` for every :class:`HrSample`."""
        self._sample_listeners.append(listener)

    def _emit_sample(self, sample: HrSample) -> None:
        for listener in list(self._sample_listeners):
            try:
                listener(sample)
            except Exception:
                logger.exception("HR listener failed")

    @abstractmethod
    async def connect(self) -> None:
        """Connect and start notifications."""

    @abstractmethod
    async def disconnect(self) -> None:
        """Stop notifications and release the device."""
