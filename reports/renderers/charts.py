"""Bar charts drawn on the server as SVG (inline in the PDF's HTML): no JavaScript, no
randomness, coordinates rounded, so the same chart gives the same markup.

Grey tones with black outlines, because the report is printed and photocopied in black
and white; the value is written above each bar, labels are wrapped under the bars.
"""

from __future__ import annotations

import textwrap
from html import escape

from ..data import Chart
from .common import vi_number

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP = 48, 12, 26
LABEL_LINES, LINE = 3, 15
FILLS = ("#404040", "#a6a6a6", "#e0e0e0", "#737373", "#ffffff")
FONT = 'font-family="Liberation Serif, serif"'


def _f(value: float) -> str:
    """A coordinate with at most one decimal ("12.5", "40")."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _nice_ceiling(value: int) -> int:
    """The axis maximum: four whole steps of 1, 2, 3, 4, 5, 6 or 8 times a power of ten,
    at least ``value`` (so that every grid line reads as a whole number)."""
    wanted = max(-(-int(value) // 4), 1)  # the smallest whole step that reaches value
    power = 1
    while True:
        for factor in (1, 2, 3, 4, 5, 6, 8):
            if power * factor >= wanted:
                return 4 * power * factor
        power *= 10


def bar_chart_svg(chart: Chart) -> str:
    """``chart`` as an ``<svg>`` element: grouped vertical bars, one group per label, one
    bar per series, a legend when there is more than one series."""
    labels, series = chart.labels, chart.series
    legend = len(series) > 1
    bottom = LABEL_LINES * LINE + 8 + (22 if legend else 0)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - bottom
    top_value = _nice_ceiling(max((v for _, values in series for v in values), default=0))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(chart.title)}">'
    ]
    for step in range(5):  # grid lines and the axis scale
        value = top_value * step / 4
        y = TOP + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{_f(y)}" x2="{WIDTH - RIGHT}" y2="{_f(y)}"'
            f' stroke="{"#000" if step == 0 else "#bfbfbf"}" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{LEFT - 4}" y="{_f(y + 3.5)}" text-anchor="end" font-size="12" {FONT}>'
            f"{escape(vi_number(int(value)) if value == int(value) else vi_number(round(value, 1)))}</text>"
        )
    group_w = plot_w / max(len(labels), 1)
    bar_w = min(36.0, group_w * 0.8 / max(len(series), 1))
    for index, label in enumerate(labels):
        left = LEFT + group_w * index + (group_w - bar_w * len(series)) / 2
        for number, (_name, values) in enumerate(series):
            value = values[index] if index < len(values) else 0
            height = plot_h * value / top_value
            x, y = left + bar_w * number, TOP + plot_h - height
            parts.append(
                f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(bar_w)}" height="{_f(height)}"'
                f' fill="{FILLS[number % len(FILLS)]}" stroke="#000" stroke-width="0.6"/>'
            )
            parts.append(
                f'<text x="{_f(x + bar_w / 2)}" y="{_f(y - 3)}" text-anchor="middle"'
                f' font-size="12" {FONT}>{escape(vi_number(value))}</text>'
            )
        width = max(int(group_w / 6.2), 6)
        lines = textwrap.wrap(label, width=width)[:LABEL_LINES] or [""]
        centre = LEFT + group_w * index + group_w / 2
        for line_number, line in enumerate(lines):
            y = TOP + plot_h + LINE * (line_number + 1)
            parts.append(
                f'<text x="{_f(centre)}" y="{_f(y)}" text-anchor="middle" font-size="12"'
                f" {FONT}>{escape(line)}</text>"
            )
    if legend:
        x = LEFT
        y = HEIGHT - 8
        for number, (name, _values) in enumerate(series):
            parts.append(
                f'<rect x="{_f(x)}" y="{_f(y - 9)}" width="10" height="10"'
                f' fill="{FILLS[number % len(FILLS)]}" stroke="#000" stroke-width="0.6"/>'
            )
            parts.append(
                f'<text x="{_f(x + 14)}" y="{_f(y)}" font-size="12" {FONT}>{escape(name)}</text>'
            )
            x += 24 + 6.2 * len(name)
    parts.append("</svg>")
    return "".join(parts)
