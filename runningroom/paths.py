"""Where RunningRoom keeps its data.

``RUNNINGROOM_HOME`` overrides the data directory (tests point it at a temporary
directory); otherwise ``$XDG_DATA_HOME/runningroom`` or ``~/.local/share/runningroom``.
The shipped examples (demo patient, session templates) are package data of the
top-level ``profiles`` package, found with :mod:`importlib.resources` wherever it is
installed (:func:`bundled_profiles_dir`).

The data directory and the patients directory hold personal health data: they are
made owner-only (0700) when created, and an existing one that others can read is
tightened to 0700 when this user owns it; otherwise a warning is logged (once per
directory) and the directory is left as it is.
"""

from __future__ import annotations

import logging
import os
import stat
from importlib import resources
from pathlib import Path

logger = logging.getLogger(__name__)

#: The package whose data files are the shipped demo patient and session templates.
BUNDLED_PROFILES_PACKAGE = "profiles"


_warned: set[Path] = set()


def _warn_once(path: Path, message: str, *args: object) -> None:
    if path not in _warned:
        _warned.add(path)
        logger.warning(message, path, *args)


def make_owner_only(path: Path) -> None:
    """Make the existing directory ``path`` owner-only (mode 0700) if others can access it.

    Only a directory owned by the current user is changed. When it belongs to someone
    else, or the change fails (read-only file system, ...), a warning is logged once
    and nothing is raised: the data stays usable.
    """
    try:
        st = path.stat()
    except OSError as exc:
        _warn_once(path, "cannot check the permissions of %s: %s", exc)
        return
    mode = stat.S_IMODE(st.st_mode)
    if not mode & 0o077:
        return
    getuid = getattr(os, "getuid", None)
    if getuid is not None and st.st_uid != getuid():
        _warn_once(path, "%s is accessible to other users (mode %o) and owned by another"
                   " user: not changed; restrict it to its owner", mode)
        return
    try:
        os.chmod(path, 0o700)
    except OSError as exc:
        _warn_once(path, "%s is accessible to other users (mode %o) and could not be made"
                   " owner-only: %s", mode, exc)
        return
    logger.info("made %s owner-only (was mode %o)", path, mode)


def _owner_only_dir(path: Path) -> Path:
    """Create ``path`` owner-only (0700) if missing, tighten it if it exists; return it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    make_owner_only(path)
    return path


def data_home() -> Path:
    """The per-user data directory, owner-only (created 0700, an existing one tightened)."""
    env = os.environ.get("RUNNINGROOM_HOME")
    if env:
        base = Path(env)
    else:
        xdg = os.environ.get("XDG_DATA_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".local" / "share") / "runningroom"
    return _owner_only_dir(base)


def database_path() -> Path:
    """The default session database."""
    return data_home() / "runningroom.sqlite3"


def patients_dir() -> Path:
    """The clinic's patient profiles (``*.toml``); owner-only like :func:`data_home`."""
    return _owner_only_dir(data_home() / "patients")


def bundled_profiles_dir() -> Path:
    """The shipped profiles: ``patients/`` (the demo patient) and ``templates/``.

    The directory of the installed ``profiles`` package, located with
    :func:`importlib.resources.files`, so a wheel, an editable install and a frozen build
    all find their own copy.

    Raises:
        RuntimeError: the package is missing (an install from before it existed: install
            RunningRoom again) or not on the file system (a zip import).
    """
    try:
        root = resources.files(BUNDLED_PROFILES_PACKAGE)
    except ModuleNotFoundError as exc:
        raise RuntimeError(
            f"the shipped profiles (package {BUNDLED_PROFILES_PACKAGE!r}) are not installed;"
            " install RunningRoom again (bash scripts/install.sh)"
        ) from exc
    if not isinstance(root, Path):
        raise RuntimeError(f"the shipped profiles must be on the file system, not in {root}")
    return root


def templates_dirs() -> list[Path]:
    """Directories searched for session templates: the user's, then the bundled ones."""
    user = data_home() / "templates"
    return [user, bundled_profiles_dir() / "templates"]
