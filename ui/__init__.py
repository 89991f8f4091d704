"""The Qt desktop app (PySide6): therapist console, patient screen, plots."""
