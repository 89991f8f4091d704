"""Colours and fonts: high contrast, colour-blind safe (Okabe-Ito palette).

Zone state is never shown by colour alone: every coloured element also carries a word
("below", "in zone", "above") or a position on the zone bar.
"""

from __future__ import annotations

from dataclasses import dataclass
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


def estop_style(font_px: int = 20) -> str:
    """Style of the red EMERGENCY STOP button with its text at ``font_px`` pixels."""
    return (
        f"QPushButton {{ background: #C00000; color: white; font-size: {font_px}px;"
        " font-weight: bold; border: 3px solid #600000; border-radius: 8px; padding: 8px; }"
        "QPushButton:pressed { background: #800000; }"
    )


def big_button_style(font_px: int = 16) -> str:
    """Style of the session buttons (Start, Pause, ...) with text at ``font_px`` pixels."""
    return (
        f"QPushButton {{ font-size: {font_px}px; font-weight: bold; padding: 8px 12px;"
        f" min-height: {round(font_px * 2.1)}px; }}"
    )


ESTOP_STYLE: Final = estop_style()
BIG_BUTTON_STYLE: Final = big_button_style()
ALARM_STYLE: Final = (
    "QFrame#alarm { background: #FFF4D6; border: 2px solid #D55E00; border-radius: 6px; }"
    'QFrame#alarm[acknowledged="true"] { background: #F0F0F0; border: 1px solid #888888; }'
)

# Patient screen: calm colours on a dark background.
PATIENT_BG: Final = "#101820"
PATIENT_FG: Final = "#F5F5F5"
PATIENT_BELOW: Final = "#56B4E9"
PATIENT_IN: Final = "#009E73"
PATIENT_ABOVE: Final = "#E69F00"


#: the screen height the console's base sizes are drawn for (a 1366x768 laptop)
BASE_SCREEN_HEIGHT_PX: Final = 768


@dataclass(frozen=True, slots=True)
class ConsoleFonts:
    """Pixel sizes of the console's text, for a therapist reading it from 1-2 m.

    Attributes:
        scale: the factor over the 1366x768 base sizes.
        hr_px: the big heart-rate number.
        zone_px: the zone-state badge beside it.
        phase_px: the phase name.
        secondary_px: every other console text (status lines, controls, tabs).
        button_px: the session buttons.
        estop_px: the EMERGENCY STOP button.
        plot_px: plot titles, axis labels and ticks.
    """

    scale: float
    hr_px: int
    zone_px: int
    phase_px: int
    secondary_px: int
    button_px: int
    estop_px: int
    plot_px: int


def console_fonts(screen_height_px: int) -> ConsoleFonts:
    """Console text sizes for a screen ``screen_height_px`` high.

    Sizes grow with the screen height from the 768-pixel base (never below it, at most
    twice): at 1080 pixels the HR is 98 px and the secondary text 18 px.
    """
    scale = min(max(screen_height_px / BASE_SCREEN_HEIGHT_PX, 1.0), 2.0)

    def px(base: float) -> int:
        return round(base * scale)

    return ConsoleFonts(
        scale=scale,
        hr_px=px(70),
        zone_px=px(16),
        phase_px=px(20),
        secondary_px=px(13),
        button_px=px(16),
        estop_px=px(20),
        plot_px=px(11),
    )
