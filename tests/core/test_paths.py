"""The data and patients directories are owner-only, also when they already existed."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from runningroom import paths


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "rr-data"
    monkeypatch.setenv("RUNNINGROOM_HOME", str(path))
    return path


def test_new_directories_are_owner_only(home: Path) -> None:
    assert paths.data_home() == home
    assert _mode(home) == 0o700
    assert _mode(paths.patients_dir()) == 0o700


def test_existing_open_directories_are_tightened(home: Path) -> None:
    (home / "patients").mkdir(parents=True)
    os.chmod(home, 0o755)
    os.chmod(home / "patients", 0o777)
    assert paths.patients_dir() == home / "patients"
    assert _mode(home) == 0o700
    assert _mode(home / "patients") == 0o700


def test_xdg_data_home_is_tightened_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RUNNINGROOM_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    (tmp_path / "xdg" / "runningroom").mkdir(parents=True)
    os.chmod(tmp_path / "xdg" / "runningroom", 0o750)
    assert paths.data_home() == tmp_path / "xdg" / "runningroom"
    assert _mode(tmp_path / "xdg" / "runningroom") == 0o700


def test_chmod_failure_is_a_warning_not_an_error(
    home: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    home.mkdir()
    os.chmod(home, 0o755)

    def refuse(path: object, mode: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(paths.os, "chmod", refuse)
    with caplog.at_level(logging.WARNING, logger="runningroom.paths"):
        assert paths.data_home() == home
        paths.data_home()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1  # once per directory, not on every call
    assert "could not be made owner-only" in warnings[0].getMessage()
    assert str(home) in warnings[0].getMessage()
    assert _mode(home) == 0o755


def test_a_directory_of_another_user_is_left_alone(
    home: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    home.mkdir()
    os.chmod(home, 0o755)
    owner = home.stat().st_uid
    monkeypatch.setattr(paths.os, "getuid", lambda: owner + 1)
    with caplog.at_level(logging.WARNING, logger="runningroom.paths"):
        paths.data_home()
    assert _mode(home) == 0o755
    assert any("owned by another user" in r.getMessage() for r in caplog.records)


def test_an_owner_only_directory_is_not_touched(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home.mkdir()
    os.chmod(home, 0o700)  # owner-only already: nothing to change

    def unexpected(path: object, mode: int) -> None:
        raise AssertionError("chmod called")

    monkeypatch.setattr(paths.os, "chmod", unexpected)
    paths.data_home()
    assert _mode(home) == 0o700
