"""HR-zone controllers: the model-based controller and the benchmark baselines.

Use :func:`make_controller` to get one by name:

* ``"model"``: ours, :class:`~runningroom.control.hr_controller.HrModelController`;
  pass ``plant`` to start from a carried-over :class:`PlantEstimate`.
* ``"fixed-step"``: +/-0.2 km/h every 10 s outside the zone (qdomyos-zwift style).
* ``"fixed-speed"``: a constant speed (the one the session starts from, or ``plant``-less).
* ``"oracle"``: the model law with the true plant (``plant`` with ``tau_s`` required).
"""

from __future__ import annotations

from runningroom.control.base import (
    ActuatorLimits,
    ControlInput,
    Controller,
    ControlOutput,
    PlantEstimate,
)

CONTROLLER_NAMES: tuple[str, ...] = ("model", "fixed-step", "fixed-speed", "oracle")


def make_controller(name: str = "model", plant: PlantEstimate | None = None) -> Controller:
    """Build a controller by name.

    Args:
        name: one of :data:`CONTROLLER_NAMES`.
        plant: prior plant estimate (``model``: carried over; ``oracle``: the true plant).

    Returns:
        A fresh controller; call ``reset`` before the first ``update``.

    Raises:
        ValueError: unknown name, or ``oracle`` without a plant with ``tau_s``.
    """
    from runningroom.control.baselines import FixedSpeedController, FixedStepController
    from runningroom.control.hr_controller import HrModelController
    from runningroom.control.oracle import make_oracle

    if name == "model":
        return HrModelController(plant)
    if name == "fixed-step":
        return FixedStepController()
    if name == "fixed-speed":
        return FixedSpeedController()
    if name == "oracle":
        if plant is None:
            raise ValueError("the oracle controller needs the true plant")
        return make_oracle(plant)
    raise ValueError(f"unknown controller {name!r}; expected one of {', '.join(CONTROLLER_NAMES)}")


__all__ = [
    "CONTROLLER_NAMES",
    "ActuatorLimits",
    "ControlInput",
    "ControlOutput",
    "Controller",
    "PlantEstimate",
    "make_controller",
]
