"""Architecture and static checks: layers (import-linter), ruff, mypy."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.conftest import REPO_ROOT


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)


def test_import_layers_hold() -> None:
    lint_imports = shutil.which("lint-imports")
    assert lint_imports, "import-linter is a test dependency"
    result = _run([lint_imports, "--no-cache"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean() -> None:
    result = _run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "runningroom",
            "runningroom_app",
            "drivers",
            "ui",
            "testkit",
            "tests",
        ]
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean_on_core_and_drivers() -> None:
    result = _run([sys.executable, "-m", "mypy"])
    assert result.returncode == 0, result.stdout + result.stderr
