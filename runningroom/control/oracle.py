"""The oracle: the model controller given each simulated patient's true parameters.

It runs the same internal-model law and the same actuator rules as "model" but skips
identification and adaptation, so the benchmark's oracle ratio (RMSE / oracle RMSE)
isolates the cost of not knowing the patient. The oracle needs a
:class:`~runningroom.control.base.PlantEstimate` with ``tau_s`` and ``dead_time_s``.
"""

from __future__ import annotations

from dataclasses import replace

from runningroom.control.base import PlantEstimate
from runningroom.control.hr_controller import HrModelController, ModelControllerConfig

ORACLE_CONFIG = replace(ModelControllerConfig(), adapt=False)


def make_oracle(
    plant: PlantEstimate, config: ModelControllerConfig | None = None
) -> HrModelController:
    """An :class:`HrModelController` fixed on the true ``plant``.

    Raises:
        ValueError: if ``plant`` lacks ``tau_s``.
    """
    if plant.tau_s is None:
        raise ValueError("the oracle needs the true time constant (PlantEstimate.tau_s)")
    return HrModelController(plant, config or ORACLE_CONFIG, identify_enabled=False, name="oracle")
