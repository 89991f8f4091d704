"""Template timeline widget.

The template's phase plan as a timeline: warm-up, main, cool-down boxes whose widths
are proportional to their planned durations, with the current position marked.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from runningroom.model import SessionTemplate
from ui import theme
from ui.texts import fmt, phase_name

_COLOURS = (theme.SKY, theme.GREEN, theme.BLUE)


class TemplateTimeline(QWidget):
    """Paints a :class:`SessionTemplate` as three proportional boxes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.template: SessionTemplate | None = None
        self.position_s: float | None = None
        self.setMinimumHeight(46)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_template(self, template: SessionTemplate | None) -> None:
        """Show ``template`` (None: empty)."""
        self.template = template
        self.position_s = None
        self.update()

    def set_position(self, elapsed_s: float | None) -> None:
        """Mark the session's elapsed time."""
        self.position_s = elapsed_s
        self.update()

    def phase_texts(self) -> list[str]:
        """The label of each box (used by the painter and the tests)."""
        if self.template is None:
            return []
        texts = []
        for phase in self.template.phases:
            minutes = fmt(phase.duration_s / 60.0, 0)
            texts.append(f"{phase_name(phase.kind.value)} {minutes} "
                         + self.tr("min"))
        return texts

    def paintEvent(self, event: object) -> None:
        """Paint the boxes and the position marker."""
        p = QPainter(self)
        w, h = self.width(), self.height()
        if self.template is None:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No template"))
            p.end()
            return
        total = max(self.template.planned_duration_s, 1.0)
        x = 0.0
        font = QFont()
        font.setPixelSize(13)
        font.setBold(True)
        p.setFont(font)
        for phase, colour, text in zip(self.template.phases, _COLOURS, self.phase_texts(),
                                       strict=True):
            width = w * phase.duration_s / total
            rect = QRectF(x, 4, width - 2, h - 8)
            p.fillRect(rect, QColor(colour))
            p.setPen(QColor(theme.WHITE))
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            x += width
        if self.position_s is not None:
            px = w * min(self.position_s / total, 1.0)
            p.setPen(QPen(QColor(theme.BLACK), 3))
            p.drawLine(int(px), 0, int(px), h)
        p.end()
