"""Session recording (SQLite), history, programme adherence and exports."""
