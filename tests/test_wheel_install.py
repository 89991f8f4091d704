"""A regular (non-editable) install works away from the source checkout.

Builds the wheel from a copy of the repository (no build isolation, so nothing is
downloaded: ``scripts/install.sh --test`` installs the setuptools ``[build-system]``
names), installs it with ``--no-deps --no-index`` into a fresh venv that sees this
interpreter's site-packages (PySide6 and the other dependencies), and runs the installed
``runningroom`` from a directory outside the repository. Everything read at run time
(the shipped profiles, the database schema, the compiled translations) must come from
the installed wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from runningroom import profiles_io
from tests.conftest import REPO_ROOT
from tests.ui.test_ui_demo import SHORT

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

#: what the repository copy for the build leaves out (VCS, build output, caches, tests, docs)
COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*cache",
    ".hypothesis",
    ".benchmarks",
    "mutants",
    "tests",
    "docs",
)

#: files the app reads at run time; each must be inside the wheel
RUNTIME_DATA = (
    "profiles/patients/demo.toml",
    "profiles/templates/standard.toml",
    "profiles/templates/walking.toml",
    "profiles/templates/jogging.toml",
    "runningroom/recording/schema.sql",
    "ui/i18n/runningroom_nl.qm",
)

#: run inside the venv: where each package and data file comes from, and Dutch loads
ORIGINS_SCRIPT = """
import sys
import profiles, runningroom, runningroom_app, ui, drivers
from runningroom import paths
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ui.i18n import qm_path, set_language
assert set_language("nl"), "the Dutch translation did not load"
for module in (profiles, runningroom, runningroom_app, ui, drivers):
    print(module.__file__)
print(paths.bundled_profiles_dir())
print(qm_path("nl"))
"""


def _required() -> bool:
    ci = os.environ.get("CI", "").strip().lower()
    return ci not in ("", "0", "false", "no")


def _can_build_without_isolation() -> str | None:
    """None when the setuptools here can build the wheel offline, else why it cannot.

    ``[build-system]`` asks for setuptools >= 77 (SPDX ``license``); from 70.1 it builds
    wheels without the separate ``wheel`` package.
    """
    try:
        version = metadata.version("setuptools")
    except metadata.PackageNotFoundError:
        return "setuptools is not installed"
    major = int(version.split(".")[0])
    if major < 77:
        return (
            f"setuptools {version} is older than the build needs (>= 77); "
            "bash scripts/install.sh --test installs it"
        )
    return None


def _run(cmd: list[str | Path], cwd: Path, env: dict[str, str], timeout_s: float) -> str:
    result = subprocess.run(
        [str(part) for part in cmd],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout_s,
    )
    assert result.returncode == 0, (
        f"{cmd} exited {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result.stdout + result.stderr


def test_installed_wheel_runs_simulate_and_demo_outside_the_repository(tmp_path: Path) -> None:
    reason = _can_build_without_isolation()
    if reason is not None:
        if _required():
            pytest.fail(f"cannot build the wheel here: {reason}")
        pytest.skip(reason)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["RUNNINGROOM_HOME"] = str(tmp_path / "home")

    source = tmp_path / "source"
    shutil.copytree(REPO_ROOT, source, ignore=COPY_IGNORE)
    dist = tmp_path / "dist"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            source,
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            dist,
        ],
        tmp_path,
        env,
        90,
    )
    (wheel,) = dist.glob("runningroom-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert [path for path in RUNTIME_DATA if path not in names] == []

    venv = tmp_path / "venv"
    _run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv],
        tmp_path,
        env,
        60,
    )
    python = venv / "bin" / "python"
    # the venv sees this interpreter's pip through the system site-packages
    _run(
        [
            python,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            "--force-reinstall",
            wheel,
        ],
        tmp_path,
        env,
        60,
    )

    outside = tmp_path / "outside"
    outside.mkdir()
    site = (venv / "lib").resolve()
    origins = _run([python, "-c", ORIGINS_SCRIPT], outside, env, 60).split()
    assert len(origins) >= 7, origins
    for origin in origins[:7]:
        resolved = Path(origin).resolve()
        assert resolved.is_relative_to(site), f"{origin} does not come from the venv"
        assert not resolved.is_relative_to(REPO_ROOT.resolve()), origin

    runningroom = venv / "bin" / "runningroom"
    summary = _run(
        [
            runningroom,
            "simulate",
            "--profile",
            "DEMO-001",
            "--template",
            "standard",
            "--as-fast-as-possible",
        ],
        outside,
        env,
        60,
    )
    assert "DEMO-001" in summary, summary

    template = tmp_path / "short.toml"
    profiles_io.save_template(SHORT, template)
    shots = tmp_path / "shots"
    demo = _run(
        [
            runningroom,
            "demo",
            "--screenshot",
            shots,
            "--speedup",
            "60",
            "--template",
            template,
            "--language",
            "nl",
        ],
        outside,
        env,
        90,
    )
    assert "cannot load translation" not in demo, demo
    for name in ("console.png", "patient-screen.png", "summary.png"):
        assert (shots / name).stat().st_size > 10_000, name
