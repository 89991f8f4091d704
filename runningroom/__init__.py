"""RunningRoom core: prescription, zones, session engine, controller, safety, recording.

The core is pure Python: it imports neither Qt nor device libraries nor the
``drivers``/``ui`` packages (enforced by import-linter). The composition root, the
separate top-level package ``runningroom_app``, puts core, drivers and ui together.
"""

__version__ = "0.1.0"
