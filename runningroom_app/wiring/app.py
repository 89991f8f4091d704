"""Composition for the desktop app: station + devices + database, for the UI bridge.

:func:`make_setup_factory` returns an async factory that the UI's bridge runs on its
worker loop. It builds either the simulated station (``sim:`` addresses: simulated
treadmill, simulated HR strap driven in real time on a :class:`ScaledClock`, so
``--speedup`` plays a whole session in minutes) or a station on real devices through
:mod:`drivers.addresses`.

This module returns :class:`ui.bridge.StationSetup`-compatible objects but imports no
Qt itself: it builds a :class:`AppStation` bundle with the same fields.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runningroom import paths
from runningroom.clock import Clock, ScaledClock, SystemClock
from runningroom.devices import HrSource, Treadmill
from runningroom.model import PatientProfile, SessionTemplate

logger = logging.getLogger(__name__)

SIM_ADDRESS = "sim:"
#: period of the simulators' physics/notification loop, in session seconds
SIM_PERIOD_S = 0.25


@dataclass
class AppStation:
    """A composed station and what it needs around it (see ``ui.bridge.StationSetup``)."""

    station: Any
    devices: dict[str, str] = field(default_factory=dict)
    background: list[Callable[[], Coroutine[Any, Any, Any]]] = field(default_factory=list)
    emergency_belt_stop: Callable[[], Awaitable[None]] | None = None
    on_close: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)
    treadmill: Treadmill | None = None
    hr_source: HrSource | None = None
    database: Any = None
    clock: Clock | None = None


def open_database(path: Path | None = None) -> Any:
    """Open the session database and mark interrupted sessions as aborted."""
    from runningroom.recording.recorder import SessionDatabase

    db = SessionDatabase(path or paths.database_path())
    recovered = db.recover_interrupted()
    if recovered:
        logger.warning("recovered interrupted sessions as aborted: %s", recovered)
    return db


def build_sim_station(
    profile: PatientProfile,
    template: SessionTemplate,
    *,
    speedup: float = 1.0,
    database: Any = None,
    seed: int = 1,
    controller: str = "model",
    faults: bool = False,
    control_period_s: float = 1.0,
    station_name: str = "station-1",
) -> AppStation:
    """A station on a simulated treadmill and HR strap.

    Args:
        profile: the patient (the simulated physiology is drawn to match it).
        template: session plan.
        speedup: virtual seconds per real second.
        database: a ``SessionDatabase`` (None: no recording).
        seed: simulated patient seed.
        controller: controller name for :func:`runningroom.control.make_controller`.
        faults: inject HR sensor faults (gaps, zeros, spikes, frozen values).
        control_period_s: control tick period in session seconds.
        station_name: station label in the record.
    """
    from drivers.sim.devices import SimHrStrap, SimTreadmill
    from drivers.sim.patient import SimulatedPatient, params_for_profile
    from runningroom.control import make_controller
    from runningroom.station import Station

    clock = ScaledClock(speedup)
    treadmill = SimTreadmill(clock)
    patient = SimulatedPatient(params_for_profile(profile, seed))
    strap = _make_strap(SimHrStrap, clock, patient, treadmill, seed, faults)
    plant = None
    if database is not None:
        try:
            plant = database.load_plant_estimate(profile.code)
        except Exception:
            logger.exception("cannot load the plant estimate")

    def controller_factory() -> Any:
        return make_controller(controller, plant)

    station = Station(
        name=station_name,
        treadmill=treadmill,
        hr_source=strap,
        profile=profile,
        template=template,
        database=database,
        clock=clock,
        controller_factory=controller_factory,
        control_period_s=control_period_s,
    )
    from drivers.sim.devices import run_realtime

    async def drive() -> None:
        # treadmill first: the strap reads the belt to step the patient
        await run_realtime([treadmill, strap], clock, SIM_PERIOD_S)

    async def belt_stop() -> None:
        await treadmill.stop()

    setup = AppStation(
        station=station,
        devices={"treadmill": f"{SIM_ADDRESS} simulated treadmill",
                 "hr": f"{SIM_ADDRESS} simulated chest strap"},
        background=[drive],
        emergency_belt_stop=belt_stop,
        info={"speedup": speedup, "simulated": True},
        treadmill=treadmill,
        hr_source=strap,
        database=database,
        clock=clock,
    )
    return setup


def _make_strap(cls: Any, clock: Clock, patient: Any, treadmill: Any, seed: int,
                faults: bool) -> Any:
    if faults:
        return cls(clock, patient, treadmill, seed=seed)
    from drivers.sim.sensor import FaultConfig

    return cls(clock, patient, treadmill, faults=FaultConfig.none(), seed=seed)


def build_device_station(
    profile: PatientProfile,
    template: SessionTemplate,
    treadmill_address: str,
    hr_address: str,
    *,
    database: Any = None,
    controller: str = "model",
    station_name: str = "station-1",
) -> AppStation:
    """A station on real devices (``ble:...``, ``serial:...``) via :mod:`drivers.addresses`."""
    from drivers.addresses import open_hr_source, open_treadmill
    from runningroom.control import make_controller
    from runningroom.station import Station

    clock = SystemClock()
    treadmill = open_treadmill(treadmill_address, clock)
    hr_source = open_hr_source(hr_address, clock, treadmill=treadmill)
    plant = database.load_plant_estimate(profile.code) if database is not None else None
    station = Station(
        name=station_name,
        treadmill=treadmill,
        hr_source=hr_source,
        profile=profile,
        template=template,
        database=database,
        clock=clock,
        controller_factory=lambda: make_controller(controller, plant),
    )

    async def belt_stop() -> None:
        await treadmill.stop()

    return AppStation(
        station=station,
        devices={"treadmill": treadmill_address, "hr": hr_address},
        emergency_belt_stop=belt_stop,
        treadmill=treadmill,
        hr_source=hr_source,
        database=database,
        clock=clock,
    )


def make_setup_factory(
    profile: PatientProfile,
    template: SessionTemplate,
    treadmill_address: str = SIM_ADDRESS,
    hr_address: str = SIM_ADDRESS,
    *,
    speedup: float = 1.0,
    database_path: Path | None = None,
    record: bool = True,
    seed: int = 1,
    controller: str = "model",
    faults: bool = False,
) -> Callable[[], Awaitable[AppStation]]:
    """An async factory (run on the UI's worker loop) composing one station.

    Both addresses ``sim:`` give the simulated station; anything else opens real
    devices (a ``sim:`` HR source with a real treadmill is not supported).
    The database is opened inside the factory, on the loop thread that will use it,
    and closed by the setup's ``on_close``.
    """

    async def factory() -> AppStation:
        database = open_database(database_path) if record else None
        try:
            if treadmill_address == SIM_ADDRESS and hr_address == SIM_ADDRESS:
                setup = build_sim_station(profile, template, speedup=speedup,
                                          database=database, seed=seed,
                                          controller=controller, faults=faults)
            else:
                setup = build_device_station(profile, template, treadmill_address,
                                             hr_address, database=database,
                                             controller=controller)
        except BaseException:
            if database is not None:
                database.close()
            raise
        if database is not None:
            async def close_db() -> None:
                database.close()

            setup.on_close.append(close_db)
            setup.info["database"] = str(database.path)
        return setup

    return factory
