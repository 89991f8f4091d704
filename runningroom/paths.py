"""Where RunningRoom keeps its data.

``RUNNINGROOM_HOME`` overrides the data directory (tests point it at a temporary
directory); otherwise ``$XDG_DATA_HOME/runningroom`` or ``~/.local/share/runningroom``.
The shipped examples (demo patient, session templates) live in the repository's
``profiles/`` directory.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Shipped profiles and templates.
BUNDLED_PROFILES_DIR = Path(__file__).resolve().parent.parent / "profiles"


def data_home() -> Path:
    """The per-user data directory (created with owner-only permissions)."""
    env = os.environ.get("RUNNINGROOM_HOME")
    if env:
        base = Path(env)
    else:
        xdg = os.environ.get("XDG_DATA_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".local" / "share") / "runningroom"
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    return base


def database_path() -> Path:
    """The default session database."""
    return data_home() / "runningroom.sqlite3"


def patients_dir() -> Path:
    """Directory of the clinic's patient profiles (``*.toml``)."""
    path = data_home() / "patients"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def templates_dirs() -> list[Path]:
    """Directories searched for session templates: the user's, then the bundled ones."""
    user = data_home() / "templates"
    return [user, BUNDLED_PROFILES_DIR / "templates"]
