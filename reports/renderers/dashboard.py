"""The dashboard's one-page summary for a meeting: a pure renderer, ``Dashboard`` in,
``(filename, content_type, bytes)`` out, printed through ``danvan.pdf`` (the bundled
fonts, WeasyPrint) in this process — one page takes a fraction of a second.

Its charts are small horizontal bar charts drawn here as SVG (the report's vertical
charts, ``reports.renderers.charts``, are a page wide and too tall for a one-page
summary): long Vietnamese labels on the left, wrapped on two lines, the value at the end
of each bar; tones that stay apart when photocopied in black and white.
"""

from __future__ import annotations

import datetime
import textwrap
from html import escape

from danvan.pdf import PDF, html_pdf, template_html

from ..dashboard.data import Dashboard
from ..wording import KINDS
from .common import vi_number

STYLESHEETS = ("css/dashboard-pdf.css",)
# The localities printed in the summary's grid at most (a province has about seventy
# communes: four columns of compact rows fit beside the rest).
LOCALITY_ROWS = 96
LOCALITY_COLUMNS = 4
UNITS_WITHOUT_CHARS = 420  # the names of units without a model printed, at most
EXEMPLARY_SHOWN = 5

WIDTH = 340
LABEL_W = 122
ROW, GAP, LINE = 17, 3, 8.5
FILLS = ("#7d0a0a", "#d4a72c", "#d9d9d9")
FONT = 'font-family="Liberation Serif, serif"'


def render_dashboard_pdf(
    board: Dashboard, *, printed: datetime.date, filters: list[tuple[str, str]]
) -> tuple[str, str, bytes]:
    """``board`` on one A4 page; ``filters`` the (label, value) pairs of its header."""
    year = board.filters.campaign.year
    kinds = [label for _kind, label in KINDS]  # a document's fixed Vietnamese wording
    context = {
        "board": board,
        "title": f"Tổng quan phong trào thi đua “Dân vận khéo” năm {year}",
        "dated": printed,
        "year": year,
        "printed": printed,
        "filters": filters,
        "coverage": board.coverage,
        "difference": (
            None
            if board.registrations.previous is None
            else board.registrations.value - board.registrations.previous
        ),
        "kinds": kinds,
        "field_chart": hbar_svg(
            [f.label for f in board.by_field],
            [
                (kind, [f.by_kind[index] for f in board.by_field])
                for index, kind in enumerate(kinds)
            ],
            title="Mô hình theo lĩnh vực và loại",
        ),
        "group_chart": hbar_svg(
            [b.label for b in board.by_group],
            _compared(board),
            title="Đăng ký theo khối",
            stacked=False,
        ),
        "tier_chart": hbar_svg(
            [b.label for b in board.tiers],
            [(str(year), [b.value for b in board.tiers])],
            title="Kết quả xếp loại",
        ),
        "locality_rows": _rows(board.localities[:LOCALITY_ROWS], LOCALITY_COLUMNS),
        "localities_left_out": max(len(board.localities) - LOCALITY_ROWS, 0),
        "units_without": (shown := _first_names(board.units_without, UNITS_WITHOUT_CHARS)),
        "units_without_left_out": len(board.units_without) - len(shown),
        "progress": board.progress,
        "exemplary": board.exemplary[:EXEMPLARY_SHOWN],
        "exemplary_left_out": max(len(board.exemplary) - EXEMPLARY_SHOWN, 0),
        "awards_total": sum(a.total for a in board.awards),
    }
    html = template_html("reports/pdf/dashboard.html", context)
    content = html_pdf(html, stylesheets=STYLESHEETS).content
    return f"tong-quan-{year}.pdf", PDF, content


def _first_names(names, budget: int) -> tuple[str, ...]:
    """The first ``names`` whose text (joined by "; ") fits in ``budget`` characters."""
    used, shown = 0, []
    for name in names:
        used += len(name) + 2
        if used > budget:
            break
        shown.append(name)
    return tuple(shown)


def _rows(items: list, count: int) -> list[list]:
    """``items`` as table rows of ``count`` cells read column by column (top to bottom,
    then the next column), the last row padded with None. (CSS columns cost WeasyPrint
    seconds here; a table of two cells per locality a fraction.)"""
    height = -(-len(items) // count)
    return [
        [
            items[column * height + row] if column * height + row < len(items) else None
            for column in range(count)
        ]
        for row in range(height)
    ]


def _compared(board: Dashboard) -> list[tuple[str, list[int]]]:
    """This year's bars by group, last year's beside them when the dashboard compares."""
    series = [(str(board.filters.campaign.year), [b.value for b in board.by_group])]
    if board.previous_year and any(b.previous is not None for b in board.by_group):
        series.append((str(board.previous_year), [b.previous or 0 for b in board.by_group]))
    return series


def _f(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def hbar_svg(
    labels: list[str],
    series: list[tuple[str, list[int]]],
    *,
    title: str,
    stacked: bool = True,
) -> str:
    """Horizontal bars, one row per label: the series stacked in one bar (``stacked``) or
    side by side as thinner bars; the total (or each value) written after the bar; a
    legend below when there is more than one series. "" when there is nothing to draw."""
    if not labels:
        return ""
    legend = len(series) > 1
    totals = [sum(values[i] for _name, values in series) for i in range(len(labels))]
    top = max(totals if stacked else [v for _n, values in series for v in values] or [0])
    top = max(top, 1)
    plot_w = WIDTH - LABEL_W - 26
    height = len(labels) * (ROW + GAP) + (18 if legend else 0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="hbar" viewBox="0 0 {WIDTH} {height}"'
        f' width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}">'
    ]
    for index, label in enumerate(labels):
        y = index * (ROW + GAP)
        lines = textwrap.wrap(label, width=28)[:2] or [""]
        if len(textwrap.wrap(label, width=28)) > 2:
            lines[1] = lines[1][:26] + "…"
        for number, line in enumerate(lines):
            ty = y + ROW / 2 + 3 + (number - (len(lines) - 1) / 2) * LINE
            parts.append(
                f'<text x="{LABEL_W - 4}" y="{_f(ty)}" text-anchor="end" font-size="8.5"'
                f" {FONT}>{escape(line)}</text>"
            )
        x = LABEL_W
        bar_h = ROW - 4 if stacked else (ROW - 4) / len(series)
        for number, (_name, values) in enumerate(series):
            value = values[index]
            width = plot_w * value / top
            by = y + 2 + (0 if stacked else bar_h * number)
            bx = x if stacked else LABEL_W
            if value:
                parts.append(
                    f'<rect x="{_f(bx)}" y="{_f(by)}" width="{_f(width)}" height="{_f(bar_h)}"'
                    f' fill="{FILLS[number % len(FILLS)]}" stroke="#000" stroke-width="0.4"/>'
                )
            if not stacked:
                parts.append(
                    f'<text x="{_f(bx + width + 3)}" y="{_f(by + bar_h - 1.5)}" font-size="8"'
                    f" {FONT}>{escape(vi_number(value))}</text>"
                )
            x += width
        if stacked:
            parts.append(
                f'<text x="{_f(x + 3)}" y="{_f(y + ROW / 2 + 3)}" font-size="8.5"'
                f' font-weight="bold" {FONT}>{escape(vi_number(totals[index]))}</text>'
            )
    parts.append(
        f'<line x1="{LABEL_W}" y1="0" x2="{LABEL_W}" y2="{len(labels) * (ROW + GAP)}"'
        ' stroke="#000" stroke-width="0.6"/>'
    )
    if legend:
        x, y = LABEL_W, height - 5
        for number, (name, _values) in enumerate(series):
            parts.append(
                f'<rect x="{_f(x)}" y="{_f(y - 7)}" width="8" height="8"'
                f' fill="{FILLS[number % len(FILLS)]}" stroke="#000" stroke-width="0.4"/>'
            )
            parts.append(
                f'<text x="{_f(x + 11)}" y="{_f(y)}" font-size="8" {FONT}>{escape(name)}</text>'
            )
            x += 20 + 4.4 * len(name)
    parts.append("</svg>")
    return "".join(parts)
