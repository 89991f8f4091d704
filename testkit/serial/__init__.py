"""Simulated serial devices on pty pairs (:mod:`testkit.serial.simulators`)."""
