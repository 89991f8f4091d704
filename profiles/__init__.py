"""The profiles shipped with RunningRoom: data only, no code.

``patients/demo.toml`` is the demo patient ``DEMO-001``; ``templates/*.toml`` are the
bundled session templates (``README.md`` beside this file documents every field). The
files are package data, so they travel with every install (wheel, editable, frozen
build); :func:`runningroom.paths.bundled_profiles_dir` finds them through
:mod:`importlib.resources`, never relative to a source checkout.
"""
