"""Build realistic recorded sessions directly in a session database (test data).

Sessions are 45 min at 1 Hz: 8 min warm-up (speed ramp), 30 min main phase (speed
steps that hold HR in the zone), 7 min cool-down; events for state changes, an alarm,
an override, RPE, feeling and an annotation; and a summary with the keys of
``runningroom.session.summary``.
"""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from runningroom.records.store import create_owner_only, iso_utc, schema_sql

PHASES = (("warmup", 480), ("main", 1800), ("cooldown", 420))
DEMO_NAME = "Anna Beispiel-Ünal"


def new_database(path: Path) -> sqlite3.Connection:
    """Create an empty session database (0600) and return a connection to it."""
    create_owner_only(path)
    conn = sqlite3.connect(path)
    conn.executescript(schema_sql())
    return conn


def profile_dict(code: str) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "code": code,
        "display_name": DEMO_NAME,
        "birth_year": 1970,
        "sex": "female",
        "resting_hr_bpm": 68,
        "measured_hrmax_bpm": None,
        "hrmax_formula": "tanaka",
        "beta_blocker": False,
        "medication_note": "",
        "limits": {"max_speed_kmh": 8.0, "max_incline_pct": 10.0, "walk_only": False,
                   "min_speed_kmh": 1.5},
        "preferred_actuator": "speed",
        "zone": {"method": "hrmax_pct", "low": 60.0, "high": 70.0},
        "ceiling": {"pct_hrmax": 85.0, "bpm": None},
    }


TEMPLATE = {
    "schema_version": 1,
    "name": "standard",
    "description": "8/30/7 min",
    "warmup": {"kind": "warmup", "duration_s": 480.0},
    "main": {"kind": "main", "duration_s": 1800.0},
    "cooldown": {"kind": "cooldown", "duration_s": 420.0},
}

PRESCRIPTION = {
    "hrmax_bpm": 168.0,
    "hrmax_source": "tanaka",
    "age_years": 56,
    "zone_low_bpm": 100.8,
    "zone_high_bpm": 117.6,
    "target_bpm": 109.2,
    "ceiling_bpm": 142.8,
    "zone_source": "60-70 % HRmax (Tanaka)",
    "resting_hr_bpm": 68,
}


@dataclass
class BuiltSession:
    session_id: int
    started_at: datetime
    samples: list[tuple[Any, ...]]
    summary: dict[str, Any]


def insert_session(
    conn: sqlite3.Connection,
    *,
    code: str = "DEMO-001",
    started_at: datetime | None = None,
    seed: int = 1,
    fitness_bpm: float = 0.0,
    supervised: bool = True,
    with_summary: bool = True,
    status: str = "finished",
    scale: float = 1.0,
    rpe: int = 13,
) -> BuiltSession:
    """Insert one realistic session.

    Args:
        fitness_bpm: HR reduction at a given speed (fitter patient = larger).
        scale: shortens every phase (0.1 = 4.5 min session) for fast tests.
    """
    rng = random.Random(seed)
    started_at = started_at or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    p = PRESCRIPTION
    low, high, target = p["zone_low_bpm"], p["zone_high_bpm"], p["target_bpm"]
    cur = conn.execute(
        "INSERT INTO sessions (patient_code, station, started_at, status, supervised, "
        "profile_json, template_json, prescription_json, devices_json) VALUES (?,?,?,?,?,?,?,?,?)",
        (code, "station-1", iso_utc(started_at), "running", int(supervised),
         json.dumps(profile_dict(code)), json.dumps(TEMPLATE), json.dumps(PRESCRIPTION),
         json.dumps({"treadmill": "sim:", "hr": "sim:"})),
    )
    sid = int(cur.lastrowid or 0)
    rows: list[tuple[Any, ...]] = []
    hr = 72.0
    distance_m = 0.0
    speed = 3.0
    t = 0
    phase_stats: dict[str, dict[str, float]] = {}
    all_hr: list[float] = []
    moderate_s = 0
    for phase, dur in PHASES:
        dur = max(6, int(dur * scale))
        in_zone = 0
        for k in range(dur):
            if phase == "warmup":
                speed = 3.0 + 2.0 * k / dur
            elif phase == "main":
                # controller-like steps of 0.1 km/h towards the speed holding the target
                want = 5.0 + (target - (60 + 9 * 5.0 - fitness_bpm)) / 9.0
                if k % 20 == 0:
                    speed += max(-0.1, min(0.1, want - speed))
                speed = round(speed, 1)
            else:
                speed = max(2.0, 5.0 - 3.0 * k / dur)
            hr_ss = 60 + 9 * speed - fitness_bpm + (8 if phase == "main" and k > 600 else 0)
            hr += (hr_ss - hr) / 40.0
            hr_f = hr + rng.gauss(0, 0.8)
            quality = "ok"
            raw: int | None = round(hr_f + rng.gauss(0, 1.0))
            if phase == "main" and 300 <= k < 305:
                quality, raw = "stale", None
            distance_m += speed / 3.6
            rr = json.dumps([round(60000 / hr_f, 1)]) if k % 2 == 0 else "[]"
            rows.append((sid, float(t), phase, raw, round(hr_f, 2), quality, rr, target, low,
                         high, speed, round(speed + rng.gauss(0, 0.02), 2), 1.0, 1.0,
                         round(distance_m, 2)))
            if quality == "ok":
                all_hr.append(hr_f)
                if low <= hr_f <= high:
                    in_zone += 1
                if hr_f >= low:
                    moderate_s += 1
            t += 1
        phase_stats[phase] = {"duration_s": float(dur), "time_in_zone_s": float(in_zone),
                              "time_in_zone_pct": 100.0 * in_zone / dur}
    conn.executemany("INSERT INTO samples VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    ev: list[tuple[float, str, str, str, dict[str, Any]]] = [
        (0.0, "state", "therapist", "idle -> warmup", {"from": "idle", "to": "warmup"}),
        (PHASES[0][1] * scale, "state", "timer", "warmup -> main", {"to": "main"}),
        (600 * scale, "alarm", "safety", "HR signal lost", {"kind": "hr_lost", "alarm_id": 1}),
        (610 * scale, "alarm_ack", "therapist", "alarm 1 acknowledged", {"alarm_id": 1}),
        (900 * scale, "override", "therapist", "target +2 bpm", {"delta_bpm": 2}),
        (1200 * scale, "annotation", "therapist", "Patient talks comfortably; gait ok", {}),
        (1500 * scale, "rpe", "patient", "RPE 12", {"value": 12}),
        (2280 * scale, "state", "timer", "main -> cooldown", {"to": "cooldown"}),
        (t - 1.0, "rpe", "patient", f"RPE {rpe}", {"value": rpe}),
        (t - 1.0, "feeling", "patient", "Feeling +3", {"value": 3}),
        (t - 1.0, "state", "timer", "cooldown -> finished", {"to": "finished"}),
    ]
    conn.executemany(
        "INSERT INTO events (session_id, t_s, at, kind, cause, message, data_json) "
        "VALUES (?,?,?,?,?,?,?)",
        [(sid, te, iso_utc(started_at + timedelta(seconds=te)), k, c, m, json.dumps(d))
         for te, k, c, m, d in ev],
    )
    summary = {
        "status": status,
        "duration_s": float(t),
        "phases": phase_stats,
        "minutes_moderate": moderate_s / 60.0,
        "time_in_zone_pct_after_entry": 95.0,
        "entry_time_s": 400.0 * scale,
        "rmse_bpm": 2.1,
        "avg_hr_bpm": sum(all_hr) / len(all_hr),
        "max_hr_bpm": max(all_hr),
        "distance_m": round(distance_m, 2),
        "alarms": 1,
        "alarm_kinds": ["hr_lost"],
        "rpe": [[1500 * scale, 12], [t - 1.0, rpe]],
        "feeling": [[t - 1.0, 3]],
        "overrides": 1,
    }
    conn.execute(
        "UPDATE sessions SET status = ?, ended_at = ?, summary_json = ? WHERE session_id = ?",
        (status, iso_utc(started_at + timedelta(seconds=t)),
         json.dumps(summary) if with_summary else None, sid),
    )
    conn.commit()
    return BuiltSession(sid, started_at, rows, summary)


def damage_table(path: Path, table: str) -> None:
    """Overwrite ``table``'s root page with garbage (keeping the page header); the schema
    stays readable."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    (root,) = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    start = (int(root) - 1) * page_size
    data[start + 8 : start + page_size] = b"\xab" * (page_size - 8)
    path.write_bytes(bytes(data))
