"""Every treadmill backend passes the same contract (tests/drivers/contract.py).

Backends here: the simulator (virtual time), and CSAFE, Trackmaster and Woodway
treadmills through real pyserial against simulated devices on pty pairs (serial_e2e).
D2 adds FTMS in its own test file.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from drivers.serial import open_serial_treadmill
from drivers.sim.devices import SimTreadmill
from runningroom.clock import ManualClock, SystemClock
from runningroom.devices import Treadmill
from testkit.serial.simulators import (
    BeltSim,
    CsafeTreadmillSimulator,
    PtySerialSimulator,
    TrackmasterTreadmillSimulator,
)
from tests.drivers.contract import TreadmillContract, TreadmillRig


class TestSimTreadmillContract(TreadmillContract):
    settle_s = 60.0
    step_s = 0.25

    @pytest.fixture
    async def rig(self) -> AsyncIterator[TreadmillRig]:
        clock = ManualClock()
        treadmill = SimTreadmill(clock)

        async def advance(dt_s: float) -> None:
            clock.advance(dt_s)
            treadmill.advance(clock.monotonic_s())
            await asyncio.sleep(0)

        def failed_connect() -> Treadmill:
            broken = SimTreadmill(clock)
            broken.drop_link()
            return broken

        yield TreadmillRig(
            treadmill=treadmill,
            belt_speed_kmh=lambda: treadmill.belt_speed_kmh,
            belt_incline_pct=lambda: treadmill.belt_incline_pct,
            advance=advance,
            failed_connect=failed_connect,
            make_unresponsive=treadmill.set_not_responding,
            press_stop=treadmill.console_stop,
        )
        await treadmill.disconnect()


class _PtyContract(TreadmillContract):
    """Real pyserial on a pty pair; real time, so everything is kept short."""

    protocol = ""
    settle_s = 3.0
    step_s = 0.05
    measure_window_s = 1.2
    clamp_wait_s = 1.0
    quiet_window_s = 0.6

    def make_simulator(self) -> PtySerialSimulator:
        raise NotImplementedError

    @pytest.fixture
    async def rig(self) -> AsyncIterator[TreadmillRig]:
        sim = self.make_simulator().start()
        treadmill = open_serial_treadmill(
            sim.port, self.protocol, SystemClock(), poll_period_s=0.2, timeout_s=0.3
        )

        def failed_connect() -> Treadmill:
            return open_serial_treadmill(
                "/dev/runningroom-no-such-port", self.protocol, SystemClock(), timeout_s=0.1
            )

        def silence() -> None:
            sim.silent = True

        try:
            yield TreadmillRig(
                treadmill=treadmill,
                belt_speed_kmh=lambda: sim.belt_speed_kmh,
                belt_incline_pct=lambda: sim.belt_incline_pct,
                advance=asyncio.sleep,
                failed_connect=failed_connect,
                make_unresponsive=silence,
                press_stop=sim.press_stop,
            )
        finally:
            await treadmill.disconnect()
            sim.close()


def _fast_belt(min_speed_kmh: float) -> BeltSim:
    return BeltSim(
        accel_kmh_per_s=25.0,
        decel_kmh_per_s=25.0,
        incline_rate_pct_per_s=40.0,
        min_speed_kmh=min_speed_kmh,
    )


@pytest.mark.serial_e2e
class TestCsafeContract(_PtyContract):
    protocol = "csafe"

    def make_simulator(self) -> PtySerialSimulator:
        return CsafeTreadmillSimulator(_fast_belt(0.8), hr_bpm=120)


@pytest.mark.serial_e2e
class TestTrackmasterContract(_PtyContract):
    protocol = "trackmaster"

    def make_simulator(self) -> PtySerialSimulator:
        return TrackmasterTreadmillSimulator("trackmaster", _fast_belt(0.32))


@pytest.mark.serial_e2e
class TestWoodwayContract(_PtyContract):
    protocol = "woodway"

    def make_simulator(self) -> PtySerialSimulator:
        return TrackmasterTreadmillSimulator("woodway", _fast_belt(0.8))
