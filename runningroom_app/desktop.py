"""Start the desktop app: ``runningroom`` / ``runningroom gui`` / ``runningroom demo``.

``demo`` opens the console on a simulated treadmill and HR strap with the demo patient,
connected and ready to start. ``--screenshot DIR`` runs a demo session at high speed,
writes PNGs of the console and the patient screen mid-session and of the summary at the
end, then exits. It runs offscreen unless ``QT_QPA_PLATFORM`` names a platform (``xcb``
under Xvfb shows the real window); it prints the Qt platform it ran on and, for each
PNG, the path and the widget's size in logical pixels.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from runningroom.model import PatientProfile, SessionTemplate

logger = logging.getLogger(__name__)

#: wall time at which ``run_app`` was entered (for the time-to-first-window figure)
_T0 = time.perf_counter()


def load_catalog(demo: bool) -> tuple[list[PatientProfile], list[SessionTemplate]]:
    """Patients (demo patient first in demo mode) and templates to offer."""
    from runningroom import profiles_io

    patients = profiles_io.list_patients()
    demo_patient = profiles_io.demo_profile()
    if demo or not patients:
        patients = [demo_patient, *[p for p in patients if p.code != demo_patient.code]]
    templates: list[SessionTemplate] = []
    seen: set[str] = set()
    for path in profiles_io.list_templates():
        if path.stem in seen:
            continue
        try:
            templates.append(profiles_io.load_template(path))
            seen.add(path.stem)
        except Exception as exc:
            logger.warning("skipping template %s: %s", path, exc)
    return patients, templates


def make_builder(speedup: float, database_path: Path | None = None,
                 seed: int = 1, faults: bool = False) -> Callable[..., Any]:
    """The ``setup_builder`` the window uses: wiring for (profile, template, addresses)."""
    from runningroom_app.wiring.app import make_setup_factory

    def builder(profile: PatientProfile, template: SessionTemplate, treadmill: str,
                hr: str) -> Any:
        return make_setup_factory(profile, template, treadmill, hr, speedup=speedup,
                                  database_path=database_path, seed=seed, faults=faults)

    return builder


def ble_device_scan() -> Any:
    """The window's ``device_scan``: BLE scanning, or None when the BLE driver cannot load."""
    try:
        from drivers.ble.scanner import scan
    except ImportError as exc:
        logger.warning("Bluetooth scanning is not available: %s", exc)
        return None
    return scan


def demo_database_path() -> Path:
    """The demo's own session database, kept apart from the clinic's."""
    from runningroom import paths

    return paths.data_home() / "demo.sqlite3"


def create_window(demo: bool, speedup: float = 1.0, database_path: Path | None = None,
                  template: str = "standard", faults: bool = False) -> Any:
    """Build the main window (a QApplication must exist).

    The demo records into :func:`demo_database_path` (unless ``database_path`` is given),
    and the window's History shows that database, marked as demo data.
    """
    from ui.i18n import set_language
    from ui.main_window import MainWindow
    from ui.settings import LANGUAGE_KEY, app_settings

    set_language(str(app_settings().value(LANGUAGE_KEY, "en")))
    patients, templates = load_catalog(demo)
    if template not in {t.name for t in templates}:
        from runningroom.profiles_io import find_template

        chosen = find_template(template)  # a path, or a name the catalog skipped
        templates.insert(0, chosen)
        template = chosen.name
    if demo and database_path is None:
        database_path = demo_database_path()
    window = MainWindow(make_builder(speedup, database_path, faults=faults), patients, templates,
                        demo=demo, default_template=template, device_scan=ble_device_scan())
    point_history_at = getattr(window.history_widget, "set_database_path", None)
    if demo and database_path is not None and callable(point_history_at):
        point_history_at(database_path, demo=True)
    return window


def run_app(*, demo: bool, speedup: float = 1.0, screenshot: Path | None = None,
            template: str = "standard", language: str | None = None,
            faults: bool = False) -> int:
    """Run the Qt event loop; returns the exit code."""
    if screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("RunningRoom")
    app.setOrganizationName("RunningRoom")
    window = create_window(demo, speedup, template=template, faults=faults)
    if language:
        window.change_language(language)
    window.show()

    def first_shown() -> None:
        logger.warning("time to first window: %.3f s", time.perf_counter() - _T0)

    QTimer.singleShot(0, first_shown)
    runner = ScreenshotRun(window, screenshot) if screenshot is not None else None
    code = int(app.exec())
    del runner
    return code


class ScreenshotRun:
    """Drives a demo session for ``--screenshot``: start, grab mid-session, grab summary."""

    def __init__(self, window: Any, directory: Path, timeout_s: float = 600.0) -> None:
        from PySide6.QtCore import Qt, QTimer
        from PySide6.QtGui import QGuiApplication

        self.window = window
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.started = False
        self.mid_done = False
        self.deadline = time.monotonic() + timeout_s
        self.written: list[Path] = []
        sys.stdout.write(f"Qt platform: {QGuiApplication.platformName()}\n")
        self.patient_grabbed: set[Any] = set()  # phases whose patient screen was grabbed
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMaximized)
        window.resize(1366, 768)
        window.show_patient_screen(True)
        window.patient_screen.resize(1024, 600)
        self.timer = QTimer(window)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        window.bridge.sessionFinished.connect(self.finished)

    def _save(self, widget: Any, name: str) -> None:
        path = self.directory / name
        widget.grab().save(str(path))
        self.written.append(path)
        sys.stdout.write(f"wrote {path} ({widget.width()}x{widget.height()})\n")

    def poll(self) -> None:
        """Start when ready; grab the console and patient screen mid main phase."""
        from PySide6.QtWidgets import QApplication

        from runningroom.session.model import RateFeeling, RateRpe, SessionState

        w = self.window
        if time.monotonic() > self.deadline:
            logger.error("screenshot run timed out")
            self.timer.stop()
            w.confirm_close = lambda: True
            w.close()
            QApplication.exit(1)
            return
        if not self.started and w.connected_ok:
            self.started = True
            w.start_session()
            return
        snap = w.latest
        if snap is None:
            return
        self._grab_patient_phase(snap)
        if self.mid_done:
            return
        if snap.state == SessionState.MAIN and snap.phase_elapsed_s > 120 and not hasattr(
                self, "_rated"):
            self._rated = True
            w.send(RateRpe(12))
            w.send(RateFeeling(3))
        if snap.state == SessionState.MAIN and snap.phase_remaining_s <= snap.phase_elapsed_s:
            self.mid_done = True
            w.plots.refresh(force=True)
            w.patient_screen.show_snapshot(snap)
            self._save(w, "console.png")
            self._save(w.patient_screen, "patient-screen.png")

    def _grab_patient_phase(self, snap: Any) -> None:
        """Grab the patient screen once in the warm-up and once in the cool-down."""
        from runningroom.session.model import SessionState

        names = {SessionState.WARMUP: "patient-warmup.png",
                 SessionState.COOLDOWN: "patient-cooldown.png"}
        name = names.get(snap.state)
        if name is None or snap.state in self.patient_grabbed or snap.phase_elapsed_s < 45:
            return
        self.patient_grabbed.add(snap.state)
        self.window.patient_screen.show_snapshot(snap)
        self._save(self.window.patient_screen, name)

    def finished(self, summary: Any) -> None:
        """Grab the summary and quit."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        def grab() -> None:
            self.timer.stop()
            self._save(self.window.patient_screen, "patient-finished.png")
            self.window.tabs.setCurrentWidget(self.window.summary_view)
            self._save(self.window, "summary.png")
            self.window.close()
            QApplication.exit(0 if self.mid_done else 1)

        QTimer.singleShot(300, grab)
