"""RunningRoom core: prescription, zones, session engine, controller, safety, recording.

The core is pure Python: it imports neither Qt nor device libraries nor the
``drivers``/``ui`` packages (enforced by import-linter). Only the entry points in
``runningroom.cli`` and ``runningroom.wiring`` compose drivers and ui.
"""

__version__ = "0.1.0"
