"""Serial drivers facing a device that answers garbage: DeviceError only, never a crash."""

from __future__ import annotations

import asyncio
import contextlib
import random

import pytest

from drivers.protocols import csafe
from drivers.serial import open_serial_treadmill
from runningroom.clock import SystemClock
from runningroom.errors import DeviceError
from testkit.serial.simulators import CsafeTreadmillSimulator, TrackmasterTreadmillSimulator

pytestmark = pytest.mark.serial_e2e


def _garbage(rng: random.Random) -> bytes:
    choice = rng.random()
    if choice < 0.2:
        return b""
    if choice < 0.5:
        return csafe.encode_frame(rng.randbytes(rng.randint(0, 12)))
    return rng.randbytes(rng.randint(1, 12)) + (b"\xf2" if choice < 0.7 else b"")


class GarbageCsafe(CsafeTreadmillSimulator):
    def __init__(self, seed: int) -> None:
        super().__init__()
        self.rng = random.Random(seed)
        self.garbage = False

    def handle(self, data: bytes) -> bytes:
        return _garbage(self.rng) if self.garbage else super().handle(data)


class GarbageTrackmaster(TrackmasterTreadmillSimulator):
    def __init__(self, dialect: str, seed: int) -> None:
        super().__init__(dialect)
        self.rng = random.Random(seed)
        self.garbage = False

    def handle(self, data: bytes) -> bytes:
        return _garbage(self.rng) if self.garbage else super().handle(data)


@pytest.mark.parametrize("protocol", ["csafe", "trackmaster", "woodway"])
async def test_garbage_replies_raise_device_errors_only(protocol: str) -> None:
    for seed in range(4):
        sim = GarbageCsafe(seed) if protocol == "csafe" else GarbageTrackmaster(protocol, seed)
        with sim:
            tmill = open_serial_treadmill(
                sim.port, protocol, SystemClock(), poll_period_s=0.05, timeout_s=0.05
            )
            try:
                if seed == 0:  # garbage from the first byte: connect fails cleanly
                    sim.garbage = True
                    with pytest.raises(DeviceError):
                        await tmill.connect()
                    continue
                await tmill.connect()
                sim.garbage = True
                for action in (tmill.start(), tmill.set_speed(5.0), tmill.set_incline(2.0)):
                    with contextlib.suppress(DeviceError):
                        await action
                await asyncio.sleep(0.3)  # let the poll task chew on garbage
                task = getattr(tmill, "_poll_task", None)
                assert task is not None and not task.done(), "poll task died"
                with contextlib.suppress(DeviceError):
                    await tmill.stop()
                sim.garbage = False  # the device recovers: commands work again
                await asyncio.sleep(0.1)
                await tmill.set_speed(4.0)
            finally:
                await tmill.disconnect()
