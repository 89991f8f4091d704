"""Simulated BLE peripherals (FTMS treadmill, HR strap), transports for them, and benchmarks.

* :mod:`testkit.ble.peripherals`: transport-independent GATT models with fault injection.
* :mod:`testkit.ble.fake_backend`: a bleak ``backend=`` routed to those models in-process.
* :mod:`testkit.ble.bluez_peripheral`: the same models served over the BlueZ D-Bus API
  (used with BlueZoo for end-to-end tests).
* :mod:`testkit.ble.bluezoo_world`: BlueZoo and peripheral processes on a private D-Bus.
* :mod:`testkit.ble.bench`: latency and CPU of the BLE device layer
  (``python -m testkit.ble.bench``).
"""
