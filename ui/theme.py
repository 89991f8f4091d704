"""Colours and fonts: high contrast, colour-blind safe (Okabe-Ito palette).

Zone state is never shown by colour alone: every coloured element also carries a word
("below", "in zone", "above") or a position on the zone bar.
"""

from __future__ import annotations

from typing import Final

# Okabe & Ito (2008) colour-blind-safe palette.
BLUE: Final = "#0072B2"  # below zone
GREEN: Final = "#009E73"  # in zone (bluish green, distinct from red for deutan/protan)
VERMILLION: Final = "#D55E00"  # above zone / ceiling
ORANGE: Final = "#E69F00"  # warnings
SKY: Final = "#56B4E9"
YELLOW: Final = "#F0E442"
PURPLE: Final = "#CC79A7"
BLACK: Final = "#000000"
WHITE: Final = "#FFFFFF"

ZONE_BAND_RGBA: Final = (0, 158, 115, 60)  # GREEN, translucent
HR_PEN: Final = "#000000"
HR_RAW_PEN: Final = "#888888"
TARGET_PEN: Final = GREEN
CEILING_PEN: Final = VERMILLION
SPEED_PEN: Final = BLUE
INCLINE_PEN: Final = PURPLE

ESTOP_STYLE: Final = (
    "QPushButton { background: #C00000; color: white; font-size: 20px; font-weight: bold;"
    " border: 3px solid #600000; border-radius: 8px; padding: 8px; }"
    "QPushButton:pressed { background: #800000; }"
)
BIG_BUTTON_STYLE: Final = (
    "QPushButton { font-size: 16px; font-weight: bold; padding: 8px 12px; min-height: 34px; }"
)
ALARM_STYLE: Final = (
    "QFrame#alarm { background: #FFF4D6; border: 2px solid #D55E00; border-radius: 6px; }"
    "QFrame#alarm[acknowledged=\"true\"] { background: #F0F0F0; border: 1px solid #888888; }"
)

# Patient screen: calm colours on a dark background.
PATIENT_BG: Final = "#101820"
PATIENT_FG: Final = "#F5F5F5"
PATIENT_BELOW: Final = "#56B4E9"
PATIENT_IN: Final = "#009E73"
PATIENT_ABOVE: Final = "#E69F00"
