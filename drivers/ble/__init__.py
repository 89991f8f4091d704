"""Bluetooth LE devices over bleak: FTMS treadmills, heart-rate straps, scanning.

Public entry points: :class:`drivers.ble.ftms.FtmsTreadmill`,
:class:`drivers.ble.heart_rate.BleHeartRateStrap`, :func:`drivers.ble.scanner.scan`.
Simulated peripherals and the project's fake bleak backend are test doubles, outside the
runtime packages, in :mod:`testkit.ble`.
"""
