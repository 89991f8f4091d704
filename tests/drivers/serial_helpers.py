"""Shared helpers for the serial driver tests over the pty simulators."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from runningroom.devices import DeviceEvent, DeviceEventKind, TreadmillMeasurement
from testkit.serial.simulators import BeltSim


async def wait_for(predicate: Callable[[], bool], timeout_s: float = 30.0) -> bool:
    """Poll ``predicate`` every 20 ms; True once it holds, False after ``timeout_s`` (wall)."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


def fast_belt(min_speed_kmh: float = 0.8) -> BeltSim:
    """A belt that reaches its target within a few polls."""
    return BeltSim(
        accel_kmh_per_s=25.0,
        decel_kmh_per_s=25.0,
        incline_rate_pct_per_s=40.0,
        min_speed_kmh=min_speed_kmh,
    )


class Recorder:
    """Collects a device's measurements and events."""

    def __init__(self, device: Any) -> None:
        self.measurements: list[TreadmillMeasurement] = []
        self.events: list[DeviceEvent] = []
        device.add_measurement_listener(self.measurements.append)
        device.add_event_listener(self.events.append)

    def kinds(self) -> list[DeviceEventKind]:
        """Event kinds in order."""
        return [e.kind for e in self.events]

    def of(self, kind: DeviceEventKind) -> list[DeviceEvent]:
        """Events of one kind."""
        return [e for e in self.events if e.kind is kind]

    async def more_measurements(self, count: int = 3, timeout_s: float = 30.0) -> bool:
        """Wait until ``count`` more measurements have arrived."""
        target = len(self.measurements) + count
        return await wait_for(lambda: len(self.measurements) >= target, timeout_s)
