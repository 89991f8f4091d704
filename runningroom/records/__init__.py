"""Clinic records: session history, programme adherence, exports, backup and deletion.

Pure Python (no Qt). Modules:

* :mod:`~runningroom.records.store`: read sessions back from the database;
* :mod:`~runningroom.records.history`: per-patient history rows;
* :mod:`~runningroom.records.programme`: programme, weekly adherence, questionnaire scores;
* :mod:`~runningroom.records.export`: CSV, JSON, FIT, TCX and FHIR files (PDF is in
  ``ui.records.pdf`` because it needs Qt);
* :mod:`~runningroom.records.backup`: whole-database backup and guarded restore;
* :mod:`~runningroom.records.patients`: delete a patient with all their data (audited).
"""
