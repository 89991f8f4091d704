"""Loading patient models from Python files (``--patient-model``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.sim.patient import PatientModel, PatientParams
from drivers.sim.plugin import PluginError, check_patient_model, load_patient_factory

EXAMPLE = Path(__file__).resolve().parents[2] / "drivers" / "sim" / "example_patient_model.py"


def _write(tmp_path: Path, text: str, name: str = "model.py") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_example_plugin_loads_and_follows_the_profile() -> None:
    factory = load_patient_factory(EXAMPLE)
    model = factory(PatientParams(hr_rest_bpm=66.0), 3)
    assert isinstance(model, PatientModel)
    model.reset(0.0, 0.0)
    hrs = [model.step(1.0, 5.0, 0.0) for _ in range(600)]
    assert 60 <= hrs[0] <= 72
    assert 100 <= sum(hrs[-60:]) / 60 <= 112  # 66 + 8 * 5
    again = factory(PatientParams(hr_rest_bpm=66.0), 3)
    again.reset(0.0, 0.0)
    assert [again.step(1.0, 5.0, 0.0) for _ in range(600)] == hrs


def test_single_class_without_factory(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "class Flat:\n"
        "    def __init__(self, params):\n"
        "        self.rest = params.hr_rest_bpm\n"
        "    def reset(self, speed_kmh, incline_pct):\n"
        "        pass\n"
        "    def step(self, dt_s, speed_kmh, incline_pct):\n"
        "        return self.rest + 10 * speed_kmh\n",
    )
    model = load_patient_factory(path)(PatientParams(hr_rest_bpm=60.0), 0)
    assert model.step(1.0, 2.0, 0.0) == 80.0


def test_named_class_without_arguments(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "PATIENT_MODEL = 'B'\n"
        "class A:\n"
        "    def reset(self, s, i): pass\n"
        "    def step(self, d, s, i): return 1.0\n"
        "class B:\n"
        "    def reset(self, s, i): pass\n"
        "    def step(self, d, s, i): return 99.0\n",
    )
    assert load_patient_factory(path)(PatientParams(), 0).step(1.0, 0.0, 0.0) == 99.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x = 1\n", "exactly one class"),
        ("raise RuntimeError('boom')\n", "error while importing: RuntimeError: boom"),
        ("def create_patient(params, seed):\n    return object()\n", "lacks reset"),
        (
            "class M:\n    def reset(self, s, i): pass\n    def step(self, d, s, i): return 'x'\n",
            "finite HR",
        ),
        ("PATIENT_MODEL = 'Nope'\n", "does not name a class"),
        (
            "class M:\n    def __init__(self, a, b): pass\n"
            "    def reset(self, s, i): pass\n    def step(self, d, s, i): return 1.0\n",
            "must take no argument or one",
        ),
        ("def create_patient(params, seed):\n    raise ValueError('bad')\n", "ValueError: bad"),
    ],
)
def test_bad_plugins_give_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(PluginError) as info:
        load_patient_factory(path)(PatientParams(), 0)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_missing_and_non_python_files(tmp_path: Path) -> None:
    with pytest.raises(PluginError, match="not found"):
        load_patient_factory(tmp_path / "absent.py")
    with pytest.raises(PluginError, match=r"\.py"):
        load_patient_factory(_write(tmp_path, "x", name="model.txt"))


def test_check_patient_model_rejects_nan() -> None:
    class Nan:
        def reset(self, speed_kmh: float, incline_pct: float) -> None:
            pass

        def step(self, dt_s: float, speed_kmh: float, incline_pct: float) -> float:
            return float("nan")

    with pytest.raises(PluginError, match="finite"):
        check_patient_model(Nan())
