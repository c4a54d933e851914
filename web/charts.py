"""Charts drawn on the server as SVG: horizontal bars, each with an optional target mark.

The SVG is a picture for the eye (`aria-hidden`); the page puts the same figures in a table
beside it (the `chart_table` macro) for screen readers. No script, no inline style: the CSP
allows neither, and SVG's presentation attributes need no style.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH, LABEL_WIDTH, BAR_HEIGHT, GAP = 640, 220, 22, 10


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    target: float | None = None


@dataclass(frozen=True)
class Chart:
    """What a chart shows; `shown` turns a figure into Dutch text (an amount, a count)."""

    title: str
    bars: Sequence[Bar]
    shown: Callable[[float], str] = lambda v: f"{v:n}"
    target_label: str = "Doel"

    @property
    def has_targets(self) -> bool:
        return any(b.target is not None for b in self.bars)


def svg(chart: Chart) -> Markup:
    """The bars, scaled to the largest value or target; a target is a dark vertical mark."""
    top = max([b.value for b in chart.bars] + [b.target or 0 for b in chart.bars] + [1])
    scale = (WIDTH - LABEL_WIDTH - 90) / top
    height = len(chart.bars) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg class="tft-chart" viewBox="0 0 {WIDTH} {height}" aria-hidden="true" '
        f'focusable="false" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, bar in enumerate(chart.bars):
        y = GAP + i * (BAR_HEIGHT + GAP)
        width = max(bar.value * scale, 0)
        parts.append(
            f'<text x="0" y="{y + 16}" font-size="13">{escape(bar.label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" '
            f'height="{BAR_HEIGHT}" fill="#1f6fa8"/>'
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 16}" font-size="13">'
            f"{escape(chart.shown(bar.value))}</text>"
        )
        if bar.target is not None:
            x = LABEL_WIDTH + bar.target * scale
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 3}" '
                f'y2="{y + BAR_HEIGHT + 3}" stroke="#222" stroke-width="3"/>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
