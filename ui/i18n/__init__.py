"""Translations: English (source language) and Dutch.

Every visible string goes through Qt's translation system (``self.tr`` inside widget
classes, ``QCoreApplication.translate`` elsewhere). ``runningroom_nl.ts`` is the
source; ``runningroom_nl.qm`` is compiled with ``pyside6-lrelease`` (shipped with
PySide6-Essentials) and committed, so no build step is needed at install time.
Regenerate with ``python3 -m ui.i18n.build``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

logger = logging.getLogger(__name__)

I18N_DIR = Path(__file__).resolve().parent
LANGUAGES: dict[str, str] = {"en": "English", "nl": "Nederlands"}
DEFAULT_LANGUAGE = "en"

_installed: QTranslator | None = None
_current = DEFAULT_LANGUAGE


def qm_path(language: str) -> Path:
    """Path of the compiled translation for ``language``."""
    return I18N_DIR / f"runningroom_{language}.qm"


def current_language() -> str:
    """The language code installed last ("en" or "nl")."""
    return _current


def set_language(language: str) -> bool:
    """Install the translator for ``language`` on the running application.

    Installing or removing a translator makes Qt send ``LanguageChange`` events to
    every widget; widgets re-set their texts in ``retranslate``. Also sets the default
    :class:`QLocale` so numbers follow the language (decimal comma in Dutch).

    Returns:
        True when the language is active afterwards.
    """
    global _installed, _current
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("set_language needs a QApplication")
    if language not in LANGUAGES:
        logger.warning("unknown language %r; using English", language)
        language = DEFAULT_LANGUAGE
    if _installed is not None:
        QCoreApplication.removeTranslator(_installed)
        _installed = None
    ok = True
    if language != DEFAULT_LANGUAGE:
        translator = QTranslator(app)
        if translator.load(str(qm_path(language))):
            QCoreApplication.installTranslator(translator)
            _installed = translator
        else:
            logger.error("cannot load translation %s", qm_path(language))
            ok = False
            language = DEFAULT_LANGUAGE
    QLocale.setDefault(QLocale("nl_NL" if language == "nl" else "en_GB"))
    _current = language
    logger.info("language set to %s", language)
    return ok
