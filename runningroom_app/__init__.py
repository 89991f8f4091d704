"""The composition root: the only package that puts core, drivers and ui together.

* :mod:`runningroom_app.cli`: the ``runningroom`` command line (one module per subcommand).
* :mod:`runningroom_app.wiring`: stations built from simulators or real device addresses,
  and whole simulated sessions in virtual time.
* :mod:`runningroom_app.desktop`: the desktop app launcher (``runningroom gui`` / ``demo``).
* :mod:`runningroom_app.bench_ui`: GUI latency and CPU measurements.

Nothing in ``runningroom``, ``drivers`` or ``ui`` imports this package (import-linter).
"""
