"""Session state machine and engine (one engine per station, no global state)."""
