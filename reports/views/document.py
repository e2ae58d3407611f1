"""The ``ReportDocument`` as the preview page shows it: plain dicts the template walks
(templates cannot tell a table from a paragraph), tables numbered in reading order like
the renderers do, numbers formatted the Vietnamese way, charts as their data table."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats

from danvan.numbers import format_decimal
from danvan.pdf import vietnamese_month

from ..data import Chart, Paragraph, ReportDocument, Section, Table


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    if isinstance(value, Decimal | float):
        return format_decimal(value)
    return str(value)


def _numeric(value) -> bool:
    return isinstance(value, int | Decimal | float) and not isinstance(value, bool)


def _row(values, columns) -> list[dict]:
    """Cells with their text, their class ("name" for the column naming the row, "num"
    for figures) and the column's name (the label of the cell on phones)."""
    name_at = 1 if columns and columns[0] == "STT" else 0
    cells = []
    for index, value in enumerate(values):
        name = index == name_at
        cells.append(
            {
                "text": cell(value),
                "cls": "name" if name else ("num" if _numeric(value) else ""),
                "label": "" if name or index >= len(columns) else columns[index],
            }
        )
    return cells


class _Numbering:
    def __init__(self):
        self.tables = 0

    def next(self) -> int:
        self.tables += 1
        return self.tables


def _block(block, numbering: _Numbering) -> dict:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text}
    if isinstance(block, Table):
        return {
            "type": "table",
            "number": numbering.next(),
            "title": block.title,
            "columns": block.columns,
            "rows": [_row(row, block.columns) for row in block.rows],
            "total": _row(block.total, block.columns) if block.total else None,
            "note": block.note,
            "key": block.key,
        }
    if isinstance(block, Chart):
        columns = ("", *(name for name, _values in block.series))
        return {
            "type": "chart",
            "title": block.title,
            "columns": columns,
            "rows": [
                _row((label, *(values[i] for _n, values in block.series)), columns)
                for i, label in enumerate(block.labels)
            ],
            "key": block.key,
        }
    raise TypeError(f"Unknown block {block!r}")


def _section(section: Section, numbering: _Numbering) -> dict:
    return {
        "heading": section.heading,
        "blocks": [_block(b, numbering) for b in section.blocks],
        "subsections": [_section(s, numbering) for s in section.subsections],
    }


def preview_of(doc: ReportDocument, *, annex_limit: int = 50) -> dict:
    """The sections and the first ``annex_limit`` annex rows (the count says the rest)."""
    numbering = _Numbering()
    issuer = doc.issuer
    number = doc.number.strip() or "…"
    day = f"{doc.date.day:02d}" if doc.day_given else "…"
    return {
        "issuer": issuer,
        "number_line": f"Số {number}-BC/{issuer.symbol}",
        "date_line": (
            f"{issuer.place}, ngày {day} tháng {vietnamese_month(doc.date)} năm {doc.date.year}"
        ),
        "title": doc.title,
        "summary_line": doc.summary_line,
        "sections": [_section(s, numbering) for s in doc.sections],
        "table_count": numbering.tables,
        "annex_title": doc.annex_title,
        "annex_columns": doc.annex_columns,
        "annex_rows": [
            _row(
                (r.unit, r.name, r.field, r.kind, r.level, r.origin, r.score, r.tier, r.award),
                doc.annex_columns,
            )
            for r in doc.annex[:annex_limit]
        ],
        "annex_count": len(doc.annex),
    }
