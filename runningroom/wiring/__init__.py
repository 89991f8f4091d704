"""Composition: code that puts core, drivers (and for the app, ui) together.

The core (:mod:`runningroom` outside ``cli`` and ``wiring``) never imports drivers;
these modules may. :mod:`runningroom.wiring.simulated` runs whole sessions against the
simulators in virtual time; :mod:`runningroom.wiring.app` composes the desktop app.
"""
