"""Simulators with physics: treadmill, patient heart rate, HR strap."""
