"""The treadmill driver contract: one back-to-back suite every backend passes.

In the python-can back-to-back style: subclass :class:`TreadmillContract` and provide a
``rig`` fixture that yields a :class:`TreadmillRig` (an unconnected treadmill plus
ground truth from the device or simulator behind it, and a way to let time pass). The
suite covers connect/capabilities, start, set speed, set incline, measurements at
>= 1 Hz, stop, errors and disconnect. Optional rig hooks (``failed_connect``,
``make_unresponsive``, ``press_stop``) enable the tests that need them; a rig without
them skips those tests with a reason.

Example::

    class TestMyBackend(TreadmillContract):
        @pytest.fixture
        async def rig(self) -> AsyncIterator[TreadmillRig]:
            ...
            yield TreadmillRig(treadmill=..., belt_speed_kmh=..., ...)
"""

from __future__ import annotations

import contextlib
import itertools
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest

from runningroom.devices import (
    DeviceEvent,
    DeviceEventKind,
    Treadmill,
    TreadmillCapabilities,
    TreadmillMeasurement,
)
from runningroom.errors import DeviceError


@dataclass
class TreadmillRig:
    """A treadmill under test and the truth behind it.

    Attributes:
        treadmill: the backend, not yet connected.
        belt_speed_kmh: actual belt speed (from the simulator / peripheral).
        belt_incline_pct: actual incline.
        advance: let ``dt_s`` seconds of device time pass (real sleep or virtual time).
        failed_connect: builds a treadmill whose ``connect`` fails with DeviceError.
        make_unresponsive: make the device stop answering.
        press_stop: press STOP on the device's console.
    """

    treadmill: Treadmill
    belt_speed_kmh: Callable[[], float]
    belt_incline_pct: Callable[[], float]
    advance: Callable[[float], Awaitable[None]]
    failed_connect: Callable[[], Treadmill] | None = None
    make_unresponsive: Callable[[], None] | None = None
    press_stop: Callable[[], None] | None = None
    measurements: list[TreadmillMeasurement] = field(default_factory=list)
    events: list[DeviceEvent] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.treadmill.add_measurement_listener(self.measurements.append)
        self.treadmill.add_event_listener(self.events.append)

    def event_kinds(self) -> list[DeviceEventKind]:
        return [e.kind for e in self.events]


class TreadmillContract:
    """Base class of tests; subclasses override the ``rig`` fixture (and tune timing)."""

    #: device seconds allowed for the belt to reach a commanded value
    settle_s: float = 10.0
    #: granularity of waiting
    step_s: float = 0.1
    #: window over which measurement rate is checked (device seconds)
    measure_window_s: float = 3.0
    speed_tolerance_kmh: float = 0.25
    incline_tolerance_pct: float = 0.3
    target_speed_kmh: float = 5.0
    target_incline_pct: float = 3.0
    #: device seconds to wait after an out-of-range command before checking the belt
    clamp_wait_s: float = 10.0
    #: device seconds without measurements after disconnect
    quiet_window_s: float = 1.5

    @pytest.fixture
    async def rig(self) -> AsyncIterator[TreadmillRig]:
        raise NotImplementedError("subclasses provide the rig fixture")
        yield  # pragma: no cover

    # -- helpers --------------------------------------------------------------------------

    async def wait_until(self, rig: TreadmillRig, predicate: Callable[[], bool]) -> bool:
        waited = 0.0
        while not predicate():
            if waited >= self.settle_s:
                return False
            await rig.advance(self.step_s)
            waited += self.step_s
        return True

    async def connected(self, rig: TreadmillRig) -> TreadmillCapabilities:
        caps = await rig.treadmill.connect()
        assert isinstance(caps, TreadmillCapabilities)
        return caps

    async def running_at(self, rig: TreadmillRig, caps: TreadmillCapabilities) -> float:
        target = caps.quantise_speed_kmh(self.target_speed_kmh)
        await rig.treadmill.start()
        await rig.treadmill.set_speed(target)
        reached = await self.wait_until(
            rig, lambda: abs(rig.belt_speed_kmh() - target) <= self.speed_tolerance_kmh
        )
        assert reached, f"belt at {rig.belt_speed_kmh()} km/h, commanded {target}"
        return target

    # -- the contract ----------------------------------------------------------------------

    async def test_connect_returns_capabilities(self, rig: TreadmillRig) -> None:
        caps = await self.connected(rig)
        assert 0 < caps.min_speed_kmh < caps.max_speed_kmh
        assert caps.speed_increment_kmh > 0
        assert caps.min_incline_pct <= caps.max_incline_pct
        assert caps.can_control_speed
        assert DeviceEventKind.CONNECTED in rig.event_kinds()

    async def test_set_speed_reaches_the_belt_and_the_measurements(self, rig: TreadmillRig) -> None:
        caps = await self.connected(rig)
        target = await self.running_at(rig, caps)
        seen = await self.wait_until(
            rig,
            lambda: (
                bool(rig.measurements)
                and rig.measurements[-1].speed_kmh is not None
                and abs(rig.measurements[-1].speed_kmh - target) <= self.speed_tolerance_kmh
            ),
        )
        assert seen, f"last measurement {rig.measurements[-1:]} never showed {target} km/h"

    async def test_set_incline_reaches_the_belt(self, rig: TreadmillRig) -> None:
        caps = await self.connected(rig)
        if not caps.can_control_incline:
            pytest.skip("backend has no incline control")
        target = caps.quantise_incline_pct(self.target_incline_pct)
        await self.running_at(rig, caps)
        await rig.treadmill.set_incline(target)
        assert await self.wait_until(
            rig, lambda: abs(rig.belt_incline_pct() - target) <= self.incline_tolerance_pct
        ), f"incline {rig.belt_incline_pct()} %, commanded {target}"
        assert await self.wait_until(
            rig,
            lambda: (
                rig.measurements[-1].incline_pct is not None
                and abs(rig.measurements[-1].incline_pct - target) <= self.incline_tolerance_pct
            ),
        )

    async def test_measurements_flow_at_least_at_1_hz(self, rig: TreadmillRig) -> None:
        await self.connected(rig)
        start = len(rig.measurements)
        elapsed = 0.0
        while elapsed < self.measure_window_s:
            await rig.advance(self.step_s)
            elapsed += self.step_s
        window = rig.measurements[start:]
        assert len(window) >= math.floor(self.measure_window_s), (
            f"{len(window)} measurements in {self.measure_window_s} s"
        )
        times = [m.t_s for m in window]
        assert times == sorted(times)
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert max(gaps, default=0.0) <= 1.0 + self.step_s + 0.05, gaps

    async def test_stop_stops_the_belt(self, rig: TreadmillRig) -> None:
        caps = await self.connected(rig)
        await self.running_at(rig, caps)
        await rig.treadmill.stop()
        assert await self.wait_until(rig, lambda: rig.belt_speed_kmh() <= 0.05)
        assert await self.wait_until(rig, lambda: (rig.measurements[-1].speed_kmh or 0.0) <= 0.05)

    async def test_stop_is_safe_before_connect(self, rig: TreadmillRig) -> None:
        await rig.treadmill.stop()
        await rig.treadmill.stop()

    async def test_stop_is_safe_after_a_failed_connect(self, rig: TreadmillRig) -> None:
        if rig.failed_connect is None:
            pytest.skip("rig cannot make a connect fail")
        broken = rig.failed_connect()
        with pytest.raises(DeviceError):
            await broken.connect()
        await broken.stop()
        await broken.disconnect()

    async def test_commands_before_connect_are_refused(self, rig: TreadmillRig) -> None:
        with pytest.raises(DeviceError):
            await rig.treadmill.set_speed(self.target_speed_kmh)

    async def test_out_of_range_speed_is_clamped_or_refused(self, rig: TreadmillRig) -> None:
        caps = await self.connected(rig)
        await self.running_at(rig, caps)
        with contextlib.suppress(DeviceError):  # refused is fine, so is clamped
            await rig.treadmill.set_speed(caps.max_speed_kmh + 50.0)
        await rig.advance(self.clamp_wait_s)
        assert rig.belt_speed_kmh() <= caps.max_speed_kmh + self.speed_tolerance_kmh

    async def test_out_of_range_incline_is_clamped_or_refused(self, rig: TreadmillRig) -> None:
        caps = await self.connected(rig)
        if not caps.can_control_incline:
            pytest.skip("backend has no incline control")
        await self.running_at(rig, caps)
        for bad in (caps.min_incline_pct - 20.0, caps.max_incline_pct + 20.0):
            with contextlib.suppress(DeviceError):
                await rig.treadmill.set_incline(bad)
            await rig.advance(self.clamp_wait_s / 2)
            incline = rig.belt_incline_pct()
            assert caps.min_incline_pct - self.incline_tolerance_pct <= incline
            assert incline <= caps.max_incline_pct + self.incline_tolerance_pct

    async def test_unresponsive_device_raises_device_error(self, rig: TreadmillRig) -> None:
        if rig.make_unresponsive is None:
            pytest.skip("rig cannot silence the device")
        await self.connected(rig)
        rig.make_unresponsive()
        with pytest.raises(DeviceError):
            await rig.treadmill.set_speed(self.target_speed_kmh)

    async def test_console_stop_is_reported(self, rig: TreadmillRig) -> None:
        if rig.press_stop is None:
            pytest.skip("rig has no console")
        caps = await self.connected(rig)
        await self.running_at(rig, caps)
        rig.press_stop()
        assert await self.wait_until(
            rig, lambda: DeviceEventKind.STOPPED_BY_USER in rig.event_kinds()
        ), rig.event_kinds()

    async def test_disconnect_ends_measurements_and_is_idempotent(self, rig: TreadmillRig) -> None:
        await self.connected(rig)
        await rig.advance(self.quiet_window_s)
        await rig.treadmill.disconnect()
        count = len(rig.measurements)
        await rig.advance(self.quiet_window_s)
        assert len(rig.measurements) == count
        assert DeviceEventKind.DISCONNECTED in rig.event_kinds()
        await rig.treadmill.disconnect()
        await rig.treadmill.stop()
