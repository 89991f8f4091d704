"""Fixtures for the desktop-app tests (offscreen Qt, fake or simulated stations)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import ui  # noqa: F401  (applies the CPython 3.11 / PySide6 6.12 refcount workaround)
from runningroom import profiles_io
from runningroom.model import PatientProfile
from tests.ui.fakes import FAST_TEMPLATE, FakeStation, fake_builder


def _loop_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "runningroom-loop" and t.is_alive()]


@pytest.fixture
def demo_patient() -> PatientProfile:
    return profiles_io.demo_profile()


@pytest.fixture
def make_window(qtbot: Any, demo_patient: PatientProfile) -> Iterator[Callable[..., Any]]:
    """Factory for MainWindows; every window is closed and its loop thread joined."""
    from ui.i18n import set_language
    from ui.main_window import MainWindow

    windows: list[Any] = []

    def make(builder: Any = None, templates: Any = None, demo: bool = True,
             stations: list[FakeStation] | None = None, pre_session_check: bool = False,
             **kwargs: Any) -> Any:
        if builder is None:
            builder = fake_builder(stations if stations is not None else [], **kwargs)
        window = MainWindow(builder, [demo_patient], templates or [FAST_TEMPLATE], demo=demo,
                            default_template=(templates or [FAST_TEMPLATE])[0].name)
        # Start goes through the pre-session check only in the tests that ask for it
        window.pre_session.enabled = pre_session_check
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.confirm_close = lambda: True
        window.close()
        window.bridge.shutdown()
    set_language("en")
    assert not _loop_threads(), "asyncio loop thread left running"


def wait_connected(qtbot: Any, window: Any, timeout_ms: int = 5000) -> None:
    qtbot.waitUntil(lambda: window.connected_ok, timeout=timeout_ms)


def wait_state(qtbot: Any, window: Any, states: Any, timeout_ms: int = 10000) -> None:
    states = set(states) if isinstance(states, list | tuple | set) else {states}
    qtbot.waitUntil(lambda: window.latest is not None and window.latest.state in states,
                    timeout=timeout_ms)


def answer_question(qtbot: Any, window: Any, yes: bool = True) -> None:
    """Answer the open Stop / Next phase question by clicking Yes or Cancel."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    qtbot.waitUntil(lambda: window.controls.confirm_box is not None
                    and window.controls.confirm_box.isVisible(), timeout=15000)
    box = window.controls.confirm_box
    which = QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.Cancel
    qtbot.mouseClick(box.button(which), Qt.MouseButton.LeftButton)
