"""Benchmark: export 500 recorded 45-min sessions to CSV and to PDF.

Run: ``python3 -m tests.records.bench_export [--sessions 500] [--formats csv,pdf,...]``.
Builds a temporary database with realistic 1 Hz sessions (2700 samples each), then
times each export of all sessions and prints one line per format (wall and CPU
seconds, wall milliseconds per session, output size). CPU time is the better figure on
a shared machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from runningroom.records.export import export_sessions
from runningroom.records.store import resolve_sessions
from tests.records.factory import insert_session, new_database


def _size_mb(directory: Path) -> float:
    return sum(p.stat().st_size for p in directory.iterdir()) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--formats", default="csv,pdf")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        conn = new_database(root / "bench.sqlite3")
        t0 = time.perf_counter()
        start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        for k in range(args.sessions):
            insert_session(conn, started_at=start + timedelta(days=k // 3 * 2, hours=k % 3),
                           seed=k, fitness_bpm=k * 0.02)
        build_s = time.perf_counter() - t0
        db_mb = (root / "bench.sqlite3").stat().st_size / 1e6
        print(f"built {args.sessions} sessions x 2700 samples in {build_s:.1f} s "
              f"(database {db_mb:.0f} MB)")
        ids = resolve_sessions(conn, "all", "DEMO-001")
        for fmt in args.formats.split(","):
            out = root / f"out-{fmt}"
            cpu0 = time.process_time()
            t0 = time.perf_counter()
            if fmt == "pdf":
                os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
                from ui.records.pdf import export_session_pdfs

                files = export_session_pdfs(conn, ids, out)
            else:
                files = export_sessions(conn, ids, fmt, out)
            dt = time.perf_counter() - t0
            cpu_s = time.process_time() - cpu0
            print(f"{fmt:5s}: {len(ids)} sessions in {dt:6.1f} s wall ({cpu_s:6.1f} s CPU) = "
                  f"{1000 * dt / len(ids):6.1f} ms/session, {len(files)} files, "
                  f"{_size_mb(out):.0f} MB")
            sys.stdout.flush()
        conn.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
