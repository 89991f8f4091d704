"""FtmsTreadmill passes the shared treadmill driver contract (tests/drivers/contract.py).

Real bleak over the project's fake backend, real time (the simulated peripheral runs on
the event loop), so the timings are kept short.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from drivers.ble.ftms import FtmsTreadmill
from runningroom.clock import SystemClock
from runningroom.devices import Treadmill
from testkit.ble.fake_backend import FakeRadio
from testkit.ble.peripherals import FtmsRanges, SimFtmsTreadmill
from tests.drivers.ble_helpers import FTMS_ADDRESS, fast_options
from tests.drivers.contract import TreadmillContract, TreadmillRig


class TestFtmsTreadmillContract(TreadmillContract):
    settle_s = 3.0
    step_s = 0.05
    measure_window_s = 1.2
    clamp_wait_s = 0.3
    quiet_window_s = 0.3

    @pytest.fixture
    async def rig(self) -> AsyncIterator[TreadmillRig]:
        radio = FakeRadio()
        sim = radio.add(
            SimFtmsTreadmill(
                address=FTMS_ADDRESS,
                period_s=0.05,
                replay_captures=False,
                accel_kmh_per_s=20.0,
                ranges=FtmsRanges(min_speed_kmh=0.5, max_speed_kmh=16.0),
            )
        )
        clock = SystemClock()
        treadmill = FtmsTreadmill(
            FTMS_ADDRESS, clock, options=fast_options(radio), request_timeout_s=1.0
        )

        async def advance(dt_s: float) -> None:
            await asyncio.sleep(dt_s)

        def failed_connect() -> Treadmill:
            return FtmsTreadmill(
                "AA:AA:AA:AA:AA:AA", clock, options=fast_options(radio, scan_timeout_s=0.1)
            )

        def make_unresponsive() -> None:
            sim.faults.drop_responses = 1_000_000

        yield TreadmillRig(
            treadmill=treadmill,
            belt_speed_kmh=lambda: sim.speed_kmh,
            belt_incline_pct=lambda: sim.incline_pct,
            advance=advance,
            failed_connect=failed_connect,
            make_unresponsive=make_unresponsive,
            press_stop=sim.console_stop,
        )
        await treadmill.disconnect()
        await sim.aclose()
