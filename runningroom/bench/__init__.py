"""The control benchmark: a simulated cohort, every controller, the same noise.

Core code: no drivers. ``runningroom bench`` (:mod:`runningroom_app.cli.bench`) composes the
cohort from ``drivers.sim``; :mod:`runningroom.bench.plant` provides a small stand-in.
"""
