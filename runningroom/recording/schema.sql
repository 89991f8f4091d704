-- RunningRoom session database, schema version 1.
-- Times: t_s = seconds since session start (float); *_at = ISO 8601 UTC text.
-- application_id marks the file as ours ("RRm1"); the recorder refuses other databases.
PRAGMA application_id = 1381133617;
PRAGMA user_version = 1;

CREATE TABLE IF NOT EXISTS sessions (
    session_id     INTEGER PRIMARY KEY,
    patient_code   TEXT NOT NULL,
    station        TEXT NOT NULL DEFAULT 'station-1',
    started_at     TEXT NOT NULL,
    ended_at       TEXT,
    -- running while recording; then finished | stopped | emergency_stopped | aborted
    status         TEXT NOT NULL DEFAULT 'running',
    supervised     INTEGER NOT NULL DEFAULT 1,
    profile_json   TEXT NOT NULL,     -- snapshot of the PatientProfile
    template_json  TEXT NOT NULL,     -- snapshot of the SessionTemplate
    prescription_json TEXT NOT NULL,  -- snapshot of the Prescription
    devices_json   TEXT NOT NULL DEFAULT '{}',
    summary_json   TEXT,              -- SessionSummary, written at the end
    -- the recording process while running: {"host", "pid", "proc_start"} (crash recovery)
    recorder       TEXT
);
CREATE INDEX IF NOT EXISTS sessions_by_patient ON sessions(patient_code, started_at);

CREATE TABLE IF NOT EXISTS samples (
    session_id     INTEGER NOT NULL REFERENCES sessions(session_id) ON DELETE CASCADE,
    t_s            REAL NOT NULL,
    phase          TEXT NOT NULL,
    hr_raw_bpm     INTEGER,
    hr_filtered_bpm REAL,
    hr_quality     TEXT NOT NULL,
    rr_ms_json     TEXT NOT NULL DEFAULT '[]',
    target_bpm     REAL NOT NULL,
    zone_low_bpm   REAL NOT NULL,
    zone_high_bpm  REAL NOT NULL,
    speed_cmd_kmh  REAL,
    speed_meas_kmh REAL,
    incline_cmd_pct REAL,
    incline_meas_pct REAL,
    distance_m     REAL,
    PRIMARY KEY (session_id, t_s)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS events (
    event_id       INTEGER PRIMARY KEY,
    session_id     INTEGER NOT NULL REFERENCES sessions(session_id) ON DELETE CASCADE,
    t_s            REAL NOT NULL,
    at             TEXT NOT NULL,
    -- state | alarm | alarm_ack | alarm_clear | override | device | annotation | rpe | feeling | controller | safety
    kind           TEXT NOT NULL,
    cause          TEXT NOT NULL,
    message        TEXT NOT NULL,
    data_json      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS events_by_session ON events(session_id, t_s);

-- Controller knowledge carried from one session of a patient to the next.
CREATE TABLE IF NOT EXISTS patient_models (
    patient_code   TEXT PRIMARY KEY,
    gain_bpm_per_kmh REAL NOT NULL,
    gain_bpm_per_pct REAL,
    tau_s          REAL,
    updated_at     TEXT NOT NULL,
    session_id     INTEGER,
    dead_time_s    REAL,
    estimate_json  TEXT NOT NULL DEFAULT '{}'  -- every PlantEstimate field (forward compatible)
);

-- Deletions are recorded without personal data.
CREATE TABLE IF NOT EXISTS audit (
    audit_id       INTEGER PRIMARY KEY,
    at             TEXT NOT NULL,
    action         TEXT NOT NULL,
    detail         TEXT NOT NULL
);

-- Clinic records (appended by the records module): one programme per patient and
-- free-named questionnaire scores per programme week (week 0 = baseline).
CREATE TABLE IF NOT EXISTS programmes (
    patient_code   TEXT PRIMARY KEY,
    start_date     TEXT NOT NULL,               -- ISO date (local)
    planned_weeks  INTEGER NOT NULL DEFAULT 12,
    sessions_per_week INTEGER NOT NULL DEFAULT 3,
    minutes_per_week_target REAL NOT NULL DEFAULT 150,
    reference_speed_kmh REAL,                   -- NULL = chosen from the sessions
    updated_at     TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS questionnaire_scores (
    patient_code   TEXT NOT NULL,
    week           INTEGER NOT NULL,
    name           TEXT NOT NULL,
    value          REAL NOT NULL,
    entered_at     TEXT NOT NULL,
    PRIMARY KEY (patient_code, week, name)
);

-- Pre- and post-session forms (runningroom/records/forms.py, which applies this schema
-- to a database written before the table existed): one row per saved form, the latest
-- row of each kind counts; payload_json holds the form's fields at form_version.
CREATE TABLE IF NOT EXISTS session_forms (
    form_id        INTEGER PRIMARY KEY,
    session_id     INTEGER NOT NULL REFERENCES sessions(session_id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,               -- pre | post
    form_version   INTEGER NOT NULL,
    entered_at     TEXT NOT NULL,               -- ISO 8601 UTC
    payload_json   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS session_forms_by_session ON session_forms(session_id, kind);
