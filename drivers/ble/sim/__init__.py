"""Simulated BLE peripherals (FTMS treadmill, HR strap) and transports for them.

* :mod:`drivers.ble.sim.peripherals`: transport-independent GATT models with fault injection.
* :mod:`drivers.ble.sim.fake_backend`: a bleak ``backend=`` routed to those models in-process.
* :mod:`drivers.ble.sim.bluez_peripheral`: the same models served over the BlueZ D-Bus API
  (used with BlueZoo for end-to-end tests).
"""
