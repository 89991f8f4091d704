"""Real packets replayed by the simulated peripherals (copied from the reference vectors).

Each entry is the hex of one notification as captured from a real device; the sources
are those recorded in the project's protocol reference (vectors.json).
"""

from __future__ import annotations

#: Treadmill Data (0x2ACD) in replay order: idle Horizon, Matrix split pair, Matrix
#: truncated "faulty" packet, Life Fitness x2, Technogym MyRun split pair.
TREADMILL_DATA_REPLAY: tuple[str, ...] = (
    "84 04 00 00 00 00 00 00 00 00 00 00 00 00",  # Horizon idle (qdomyos-zwift #175)
    "9f 00 61 00 36 00 00 00 00 ff 7f 00 00 ff ff 05 00 6e 00 02",  # Matrix TouchXL part 1
    "00 1f 71 00 00 02 cc 00 3c 06 ff 7f 1a 00",  # Matrix TouchXL part 2 (1.13 km/h)
    "9e 1b 00 00 00 00 00 00 00 00 00 ff 7f 00 00 ff ff 00 00 00",  # Matrix truncated
    "9e 04 73 02 33 02 25 00 00 3c 00 ff 7f 00 00 ff 7f 02 00 ff ff ff 1f 00",  # LF 6.27
    "9e 04 92 01 4d 02 7a 00 00 82 00 ff 7f ab 00 ff 7f 10 00 ff ff ff 4d 00",  # LF 4.02
    "1f 00 84 01 2a 00 00 00 00 00 00 01 00 00 00",  # Technogym MyRun part 1
    "80 06 4e 02 02 00 ff ff ff 37 27 00",  # Technogym MyRun part 2 (5.90 km/h)
)

#: Speeds (km/h) a correct merger publishes for :data:`TREADMILL_DATA_REPLAY`, in order.
TREADMILL_DATA_REPLAY_SPEEDS_KMH: tuple[float, ...] = (0.0, 1.13, 0.0, 6.27, 4.02, 5.9)

#: Heart Rate Measurement (0x2A37) captures: contact flags 0x16/0x06/0x04, Polar H10
#: flags 0x10, and the constructed uint16 + energy packet.
HEART_RATE_REPLAY: tuple[str, ...] = (
    "16 59 a2 02",  # 89 bpm, RR 658.2 ms (TMIW)
    "16 73 10 02 0d 02",  # Polar H7 115 bpm, two RR
    "06 3c",  # 60 bpm, no RR (Polar-H7-Pi)
    "10 3b 53 04",  # Polar H10 59 bpm, contact not supported
    "10 48 2c 03",  # Polar H10 72 bpm
    "04 54",  # contact supported but not detected, 84 bpm
    "19 98 00 2c 01 00 04",  # constructed: uint16 HR 152, energy 300 kJ, RR 1000 ms
)

#: HR values (bpm) for :data:`HEART_RATE_REPLAY`, in order.
HEART_RATE_REPLAY_BPM: tuple[int, ...] = (89, 115, 60, 59, 72, 84, 152)

#: Training Status read quirk from a FitShow FS-6041F1 (string flag set, no string).
TRAINING_STATUS_IDLE = "01 01"
