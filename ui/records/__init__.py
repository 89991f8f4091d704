"""Clinic records screens (history, programme, export dialog) and Qt PDF reports."""
