"""Telling a full disk apart from other storage failures.

SQLite reports a full disk (or an exhausted quota) as ``SQLITE_FULL``
(``sqlite3.OperationalError: database or disk is full``); the operating system as an
:class:`OSError` with ``errno`` ``ENOSPC`` or ``EDQUOT``. Both mean the same to the user:
free some space. :func:`is_disk_full` recognises them, :func:`disk_full_error` builds
the :class:`~runningroom.errors.DiskFullError` that says so.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from runningroom.errors import DiskFullError

_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
_SQLITE_FULL = 13  # primary result code; extended codes keep it in the low byte


def is_disk_full(exc: BaseException) -> bool:
    """True when ``exc`` (or the error it was raised from) means the disk or quota is full."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in _FULL_ERRNOS:
            return True
        if isinstance(current, sqlite3.Error):
            code = getattr(current, "sqlite_errorcode", None)
            if isinstance(code, int) and code & 0xFF == _SQLITE_FULL:
                return True
            if "disk is full" in str(current).lower():
                return True
        current = current.__cause__ or current.__context__
    return False


def disk_full_error(path: Path, what: str, exc: BaseException) -> DiskFullError:
    """The error for a full disk while doing ``what`` with the database at ``path``."""
    return DiskFullError(
        f"{path}: {what}: the disk is full (no space left on the drive that holds the"
        f" session database, {path.parent}); free some space and try again ({exc})"
    )
