"""Composition: code that puts core, drivers (and for the app, ui) together.

The core (:mod:`runningroom`) never imports drivers; these modules may.
:mod:`runningroom_app.wiring.simulated` runs whole sessions against the simulators in
virtual time; :mod:`runningroom_app.wiring.app` composes the desktop app.
"""
