"""A damaged session database: clear errors, never a traceback, never written to."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from runningroom.errors import RecordingError
from runningroom.records.store import open_database
from runningroom_app.cli import main
from tests.records.factory import damage_table
from tests.records.fixtures import Db


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def damaged(one_session_db: Db) -> Path:
    one_session_db.conn.close()
    damage_table(one_session_db.path, "samples")
    return one_session_db.path


@pytest.mark.parametrize("fmt", ["csv", "json", "fit", "tcx", "fhir"])
def test_export_from_a_damaged_database_is_a_clear_error(
    fmt: str, damaged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _digest(damaged)
    code = main(["export", "--session", "1", "--format", fmt, "--out", str(tmp_path / "out"),
                 "--database", str(damaged)])
    err = capsys.readouterr().err
    assert code == 1
    assert "damaged" in err and "Traceback" not in err and str(damaged) in err
    assert _digest(damaged) == before


@pytest.mark.parametrize(
    "argv",
    [
        ["programme", "--patient", "P-1", "--weeks", "10"],
        ["score", "--patient", "P-1", "--week", "1", "--name", "mood", "--value", "3"],
        ["delete-patient", "--patient", "P-1", "--confirm", "P-1"],
    ],
)
def test_records_writes_refuse_a_damaged_database(
    argv: list[str], damaged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _digest(damaged)
    code = main(["records", "--database", str(damaged), *argv])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err and str(damaged) in err
    assert _digest(damaged) == before  # never written to


def test_open_for_writing_checks_integrity(damaged: Path) -> None:
    with pytest.raises(RecordingError, match=r"damaged|malformed"):
        open_database(damaged, create=True)


def test_restore_over_a_damaged_database_keeps_it_aside_only_when_forced(
    one_session_db: Db, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from runningroom.records.backup import backup_database, restore_database

    one_session_db.conn.close()
    backup = backup_database(one_session_db.path, tmp_path / "backup.sqlite3")
    db = one_session_db.path
    damage_table(db, "samples")
    before = _digest(db)
    # refused without force: the damaged file is not touched
    code = main(["records", "--database", str(db), "restore", "--from", str(backup)])
    err = capsys.readouterr().err
    assert code == 1 and "force" in err and "Traceback" not in err
    assert _digest(db) == before
    # forced: the damaged file is kept, byte for byte, under a new name
    kept = restore_database(backup, db, force=True)
    assert kept is not None and kept != db and ".damaged-" in kept.name
    assert _digest(kept) == before
    conn = open_database(db, readonly=True)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM samples").fetchone()[0] > 0
    finally:
        conn.close()
