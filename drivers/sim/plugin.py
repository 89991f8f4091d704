"""Load a patient model from a Python file (``runningroom simulate --patient-model FILE.py``).

The file is executed as a fresh module (never added to ``sys.modules``) and must define
one of, in this order of preference:

* ``create_patient(params: PatientParams, seed: int) -> PatientModel``: a factory;
* ``PatientModel``-like class named in ``PATIENT_MODEL = "ClassName"``;
* exactly one class with ``reset`` and ``step`` methods defined in the file itself.

A class is constructed as ``Cls(params)`` if its ``__init__`` takes one positional
argument besides ``self``, else as ``Cls()``. The model must implement the protocol
documented in :mod:`drivers.sim.patient`. Every problem raises :class:`PluginError`
with the file name and what was expected.

See ``drivers/sim/example_patient_model.py`` for a complete example.
"""

from __future__ import annotations

import importlib.util
import inspect
import math
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from drivers.sim.patient import PatientModel, PatientParams
from runningroom.errors import RunningRoomError

PatientFactory = Callable[[PatientParams, int], PatientModel]


class PluginError(RunningRoomError):
    """A patient-model file could not be loaded or does not follow the protocol."""


def _load_module(path: Path) -> ModuleType:
    if not path.is_file():
        raise PluginError(f"{path}: patient-model file not found")
    if path.suffix != ".py":
        raise PluginError(f"{path}: expected a Python file ending in .py")
    spec = importlib.util.spec_from_file_location(f"runningroom_patient_plugin_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise PluginError(f"{path}: cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise PluginError(f"{path}: error while importing: {type(exc).__name__}: {exc}") from exc
    return module


def _is_model_class(obj: Any) -> bool:
    return (
        inspect.isclass(obj)
        and callable(getattr(obj, "reset", None))
        and callable(getattr(obj, "step", None))
    )


def _class_factory(path: Path, cls: type[Any]) -> PatientFactory:
    try:
        params = [
            p
            for p in inspect.signature(cls).parameters.values()
            if p.default is inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):
        params = []
    if len(params) > 1:
        raise PluginError(
            f"{path}: class {cls.__name__} must take no argument or one (PatientParams), "
            f"takes {[p.name for p in params]}"
        )

    def factory(patient_params: PatientParams, seed: int) -> PatientModel:
        model: PatientModel = cls(patient_params) if params else cls()
        return model

    return factory


def load_patient_factory(path: Path | str) -> PatientFactory:
    """Load the patient-model factory defined in ``path``.

    Args:
        path: a Python file following the conventions in the module docstring.

    Returns:
        A callable ``(params, seed) -> PatientModel``; its models are checked on first use
        by :func:`check_patient_model`.

    Raises:
        PluginError: the file is missing, does not import, or defines no usable model.
    """
    path = Path(path)
    module = _load_module(path)
    factory = getattr(module, "create_patient", None)
    if factory is not None:
        if not callable(factory):
            raise PluginError(f"{path}: create_patient must be a function (params, seed)")
        return _checked(path, factory)
    name = getattr(module, "PATIENT_MODEL", None)
    if name is not None:
        cls = getattr(module, str(name), None)
        if cls is None or not _is_model_class(cls):
            raise PluginError(
                f"{path}: PATIENT_MODEL = {name!r} does not name a class with reset() and step()"
            )
        return _checked(path, _class_factory(path, cls))
    candidates = [
        obj
        for obj in vars(module).values()
        if _is_model_class(obj) and obj.__module__ == module.__name__
    ]
    if len(candidates) != 1:
        found = ", ".join(c.__name__ for c in candidates) or "none"
        raise PluginError(
            f"{path}: expected a create_patient(params, seed) function, PATIENT_MODEL = "
            f"'ClassName', or exactly one class with reset() and step() methods (found: {found})"
        )
    return _checked(path, _class_factory(path, candidates[0]))


def check_patient_model(model: object, source: str = "patient model") -> PatientModel:
    """Check that ``model`` follows the protocol with a short trial run.

    Raises:
        PluginError: methods missing, or ``step`` does not return a finite number.
    """
    if not isinstance(model, PatientModel):
        raise PluginError(
            f"{source}: object of type {type(model).__name__} lacks reset(speed_kmh, "
            "incline_pct) and step(dt_s, speed_kmh, incline_pct)"
        )
    try:
        model.reset(0.0, 0.0)
        value = model.step(1.0, 3.0, 0.0)
        model.reset(0.0, 0.0)
    except Exception as exc:
        raise PluginError(f"{source}: trial run failed: {type(exc).__name__}: {exc}") from exc
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PluginError(f"{source}: step() must return a finite HR in bpm, got {value!r}")
    return model


def _checked(path: Path, factory: Callable[..., Any]) -> PatientFactory:
    def make(params: PatientParams, seed: int) -> PatientModel:
        try:
            model = factory(params, seed)
        except PluginError:
            raise
        except Exception as exc:
            raise PluginError(
                f"{path}: creating the patient model failed: {type(exc).__name__}: {exc}"
            ) from exc
        return check_patient_model(model, str(path))

    return make
