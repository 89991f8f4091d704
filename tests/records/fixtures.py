"""Fixtures: a session database filled with realistic recorded sessions."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.records.factory import BuiltSession, insert_session, new_database

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a Monday


@dataclass
class Db:
    path: Path
    conn: sqlite3.Connection
    sessions: list[BuiltSession]


@pytest.fixture
def one_session_db(tmp_path: Path) -> Iterator[Db]:
    path = tmp_path / "runningroom.sqlite3"
    conn = new_database(path)
    built = insert_session(conn, started_at=START, seed=3)
    yield Db(path, conn, [built])
    conn.close()


@pytest.fixture(scope="session")
def _programme_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path,
                                                                            list[BuiltSession]]:
    """Build the programme database once; each test gets its own copy."""
    path = tmp_path_factory.mktemp("programme-template") / "runningroom.sqlite3"
    conn = new_database(path)
    built = _fill_programme(conn)
    conn.close()
    return path, built


@pytest.fixture
def programme_db(tmp_path: Path, _programme_template: tuple[Path, list[BuiltSession]]
                 ) -> Iterator[Db]:
    """Four programme weeks: 3, 3, 2, 3 sessions; fitness improves each week."""
    template, built = _programme_template
    path = tmp_path / "runningroom.sqlite3"
    shutil.copyfile(template, path)
    os.chmod(path, 0o600)
    conn = sqlite3.connect(path)
    yield Db(path, conn, list(built))
    conn.close()


def _fill_programme(conn: sqlite3.Connection) -> list[BuiltSession]:
    built = []
    for week, n in enumerate((3, 3, 2, 3)):
        for k in range(n):
            built.append(
                insert_session(
                    conn,
                    started_at=START + timedelta(days=7 * week + 2 * k),
                    seed=10 * week + k,
                    fitness_bpm=3.0 * week,
                    supervised=k == 0,
                    rpe=14 - week,
                )
            )
    # another patient, must never leak into DEMO-001's numbers
    built.append(insert_session(conn, code="OTHER-7", started_at=START + timedelta(days=1),
                                seed=99, scale=0.2))
    return built
