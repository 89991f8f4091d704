"""Fixtures of the records tests (defined in tests/records/fixtures.py)."""

from tests.records.fixtures import _programme_template, one_session_db, programme_db

__all__ = ["_programme_template", "one_session_db", "programme_db"]
