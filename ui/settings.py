"""Persistent UI settings: language, window geometry, patient screen, clinic name.

Stored in an INI file in the data directory (:func:`runningroom.paths.data_home`), so
tests that point ``RUNNINGROOM_HOME`` at a temporary directory never touch real
settings.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from runningroom.paths import data_home

LANGUAGE_KEY = "ui/language"
PATIENT_SCREEN_KEY = "patient_screen/screen"
PATIENT_GEOMETRY_KEY = "patient_screen/geometry"
PATIENT_FULLSCREEN_KEY = "patient_screen/fullscreen"
MAIN_GEOMETRY_KEY = "main/geometry"


def app_settings() -> QSettings:
    """The application's settings object (INI file in the data directory)."""
    return QSettings(str(data_home() / "ui-settings.ini"), QSettings.Format.IniFormat)
CLINIC_NAME_KEY = "clinic/name"


def clinic_name() -> str:
    """The clinic's name printed in report headers ("" when not set).

    Stored as ``name`` in the ``[clinic]`` section of ``ui-settings.ini``; set it in the
    export dialog or in that file.
    """
    return str(app_settings().value(CLINIC_NAME_KEY, "") or "").strip()


def set_clinic_name(name: str) -> None:
    """Store the clinic's name for report headers (blank clears it)."""
    settings = app_settings()
    settings.setValue(CLINIC_NAME_KEY, name.strip())
    settings.sync()
