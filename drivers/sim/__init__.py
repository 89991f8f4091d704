"""Simulators with physics: treadmill, patient heart rate, HR strap.

* :mod:`drivers.sim.patient`: the patient-model plug-in protocol, our physiological
  model (:class:`~drivers.sim.patient.SimulatedPatient`), cohort sampling and
  :class:`~drivers.sim.patient.HandrailHolding` behaviour;
* :mod:`drivers.sim.sensor`: HR sensor error (chest strap, optical) and seeded faults;
* :mod:`drivers.sim.treadmill`: belt physics (latency, acceleration, incline motor);
* :mod:`drivers.sim.devices`: :class:`~drivers.sim.devices.SimTreadmill` and
  :class:`~drivers.sim.devices.SimHrStrap`, the async devices the station drives;
* :mod:`drivers.sim.plugin`: loading a patient model from a Python file;
* :mod:`drivers.sim.calibration`: open-loop PRBS runs and first-order fits.

Whole sessions in virtual time: :mod:`runningroom_app.wiring.simulated`.
"""
