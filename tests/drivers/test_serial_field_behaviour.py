"""Serial treadmills as real machines behave, through real pyserial on pty simulators:
the safety key as Offline, phantom console changes, lost and refused commands, late
replies and mph machines. Each behaviour is switched on in the simulator."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from drivers.protocols.csafe import CsafeState
from drivers.serial import CsafeTreadmill
from runningroom.clock import SystemClock
from runningroom.devices import BeltState, DeviceEventKind
from testkit.serial.simulators import (
    CsafeTreadmillSimulator,
    PtySerialSimulator,
)
from tests.drivers.serial_helpers import Recorder, fast_belt, wait_for

pytestmark = pytest.mark.serial_e2e


@pytest.fixture
def sims() -> Iterator[list[PtySerialSimulator]]:
    started: list[PtySerialSimulator] = []
    yield started
    for sim in started:
        sim.close()


@pytest.fixture
async def cleanup() -> AsyncIterator[list[Any]]:
    devices: list[Any] = []
    yield devices
    for dev in devices:
        await dev.disconnect()


def csafe_pair(
    sims: list[PtySerialSimulator], cleanup: list[Any], **options: Any
) -> tuple[CsafeTreadmillSimulator, CsafeTreadmill, Recorder]:
    sim = CsafeTreadmillSimulator(fast_belt(), **options)
    sims.append(sim.start())
    tmill = CsafeTreadmill(sim.port, SystemClock(), poll_period_s=0.1, timeout_s=0.2)
    cleanup.append(tmill)
    return sim, tmill, Recorder(tmill)


# -- CSAFE safety key and every state that means the belt stopped ------------------------


async def test_csafe_offline_safety_key_is_a_safety_key_event_with_zero_speed(
    sims: list[PtySerialSimulator], cleanup: list[Any]
) -> None:
    sim, tmill, rec = csafe_pair(sims, cleanup, safety_key_state=CsafeState.OFFLINE)
    await tmill.connect()
    await tmill.set_speed(5.8)
    assert await wait_for(lambda: (rec.measurements[-1].speed_kmh or 0) > 5.5)
    sim.pull_safety_key()  # Offline; the console keeps answering 5.8 km/h
    assert await wait_for(lambda: DeviceEventKind.SAFETY_KEY in rec.kinds())
    assert DeviceEventKind.NOT_RESPONDING not in rec.kinds()
    after = len(rec.measurements)
    assert await wait_for(lambda: len(rec.measurements) >= after + 3)
    assert [m.speed_kmh for m in rec.measurements[after:]] == [0.0] * len(rec.measurements[after:])
    assert rec.measurements[-1].belt is BeltState.STOPPED
    sim.insert_safety_key()
    assert await wait_for(lambda: any(e.value == 1.0 for e in rec.of(DeviceEventKind.SAFETY_KEY)))
    await tmill.set_speed(4.0)  # Ready -> InUse again
    assert await wait_for(lambda: sim.belt_speed_kmh > 3.5)


@pytest.mark.parametrize(
    ("state", "kind"),
    [
        (CsafeState.ERROR, DeviceEventKind.SAFETY_KEY),
        (CsafeState.OFFLINE, DeviceEventKind.SAFETY_KEY),
        (CsafeState.FINISHED, DeviceEventKind.STOPPED_BY_USER),
        (CsafeState.READY, DeviceEventKind.STOPPED_BY_USER),
        (CsafeState.IDLE, DeviceEventKind.STOPPED_BY_USER),
        (CsafeState.HAVE_ID, DeviceEventKind.STOPPED_BY_USER),
    ],
)
async def test_csafe_every_state_that_stops_the_belt_is_reported_as_a_stop(
    state: CsafeState,
    kind: DeviceEventKind,
    sims: list[PtySerialSimulator],
    cleanup: list[Any],
) -> None:
    sim, tmill, rec = csafe_pair(sims, cleanup)
    await tmill.connect()
    await tmill.set_speed(5.0)
    assert await wait_for(lambda: sim.belt_speed_kmh > 4.5)
    sim.enter_state(state)
    assert await wait_for(lambda: kind in rec.kinds())
    assert DeviceEventKind.NOT_RESPONDING not in rec.kinds()
    assert await wait_for(lambda: rec.measurements[-1].speed_kmh == 0.0)
    assert rec.measurements[-1].belt is BeltState.STOPPED
