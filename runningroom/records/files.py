"""Owner-only output files and pseudonymisation shared by every export.

Exports hold health data: directories are created 0700 and files 0600, written to a
temporary name and renamed into place so a crash never leaves half a file under the
final name.
"""

from __future__ import annotations

import contextlib
import copy
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from runningroom.errors import ExportError

#: Profile keys that identify a person and are left out unless explicitly included.
PERSONAL_PROFILE_KEYS = ("display_name",)


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) with owner-only permissions when missing.

    Raises:
        ExportError: the path exists and is not a directory, or cannot be created.
    """
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ExportError(f"{path}: cannot create directory: {exc}") from exc
    if not path.is_dir():
        raise ExportError(f"{path}: not a directory")
    return path


@contextlib.contextmanager
def private_file(path: Path, mode: str = "w", encoding: str | None = "utf-8",
                 newline: str | None = None) -> Iterator[IO[Any]]:
    """Open a new owner-only (0600) file for writing; it appears at ``path`` on success.

    Args:
        path: final file name (replaced if it exists).
        mode: ``"w"`` (text) or ``"wb"`` (binary).
        encoding: text encoding (ignored for binary).
        newline: passed to :func:`open` for text files (``""`` for csv).

    Raises:
        ExportError: the file cannot be written.
    """
    directory = path.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as exc:
        raise ExportError(f"{path}: cannot create file: {exc}") from exc
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, 0o600)
        if "b" in mode:
            handle: IO[Any] = os.fdopen(fd, mode)
        else:
            handle = os.fdopen(fd, mode, encoding=encoding, newline=newline)
        with handle:
            yield handle
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot write: {exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new owner-only file at ``path``."""
    with private_file(path, "wb", encoding=None) as fh:
        fh.write(data)
    return path


def write_text_private(path: Path, text: str) -> Path:
    """Write UTF-8 ``text`` to a new owner-only file at ``path``."""
    with private_file(path, "w") as fh:
        fh.write(text)
    return path


def pseudonymised_profile(profile: dict[str, Any], include_name: bool = False) -> dict[str, Any]:
    """A copy of a profile snapshot without personal identifiers (unless included).

    Only the pseudonymous ``code`` identifies the patient in an export by default.
    """
    out = copy.deepcopy(profile)
    if not include_name:
        for key in PERSONAL_PROFILE_KEYS:
            out.pop(key, None)
    return out


def safe_code(code: str) -> str:
    """A patient code made safe for a file name."""
    cleaned = "".join(c if c.isalnum() or c in "-_" else "_" for c in code)
    return cleaned or "patient"
