"""Fixtures of the records tests (defined in tests/records/fixtures.py)."""

from tests.records.fixtures import one_session_db, programme_db

__all__ = ["one_session_db", "programme_db"]
