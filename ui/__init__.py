"""The Qt desktop app (PySide6): therapist console, patient screen, plots.

Importing :mod:`ui` applies one interpreter workaround (see :func:`_pin_none`) before any
Qt code runs.
"""

from __future__ import annotations

import ctypes
import sys


def _pin_none() -> None:
    """Make ``None``, ``True`` and ``False`` effectively immortal on CPython < 3.12.

    PySide6-Essentials 6.12.0 (abi3 wheel) returns ``None`` from every void method
    without taking a new reference (on CPython >= 3.12 ``None`` is immortal, so this is
    harmless there). On CPython 3.11 each call such as ``QLabel.setText`` drops the
    refcount of ``None`` by one and, after a few thousand calls, the interpreter aborts
    with "Fatal Python error: none_dealloc". Adding a large constant to ``None``'s
    reference count restores the invariant: ``None`` must never be deallocated anyway.
    The same happens to ``True``/``False`` from some bool-returning calls, so the other
    singletons get the same treatment.
    Measured: 100 x ``QPushButton.setText`` -> refcount(None) - 100 on 3.11.7.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    # pyproject.toml pins PySide6 below 6.12; this guards installs that ignore the pin.
    from PySide6 import __version_info__ as pyside_version

    if tuple(pyside_version[:2]) < (6, 12):
        return
    for singleton in (None, True, False, NotImplemented, Ellipsis):
        refcnt = ctypes.c_ssize_t.from_address(id(singleton))
        if refcnt.value < 1 << 40:
            refcnt.value += 1 << 42


_pin_none()
