"""Test doubles shared by the tests and the device benchmarks; never imported by runtime code.

* :mod:`testkit.ble`: simulated BLE peripherals, a fake bleak backend, BlueZoo on a private
  D-Bus, and the BLE latency benchmark.
* :mod:`testkit.serial`: simulated serial treadmills and an ANT+ stick on pty pairs.

``runningroom``, ``drivers``, ``ui`` and ``runningroom_app`` never import it (import-linter).
"""
