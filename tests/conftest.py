"""Shared test fixtures: isolated data directory, headless Qt."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent
# The shared reference files live beside the repository; a checkout elsewhere (a git worktree)
# points at them with RUNNINGROOM_REFERENCE_DIR.
REFERENCE_DIR = Path(
    os.environ.get("RUNNINGROOM_REFERENCE_DIR", REPO_ROOT.parent / "shared" / "reference")
)


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Keep every test away from real settings and patient data."""
    home = tmp_path_factory.mktemp("rr-home")
    monkeypatch.setenv("RUNNINGROOM_HOME", str(home))
    yield home
