"""Small helpers that turn statistics into the report's ``Table``, ``Chart`` and texts.

Numbers stay ints and Decimals in tables (the renderers format them: "2.071", "12,5");
numbers inside sentences are formatted here the Vietnamese way.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..data import Cell, Chart, Paragraph, Table
from ..statistics import Line, YearLine

TOTAL = "Tổng cộng"


def number(value: int) -> str:
    """2071 → "2.071" (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def change_words(current: int, previous: int | None, year: int) -> str:
    """ "tăng 276 so với năm 2024" / "giảm 12 …" / "bằng năm 2024" ("" without a year)."""
    if previous is None:
        return ""
    if current == previous:
        return f"bằng năm {year}"
    word = "tăng" if current > previous else "giảm"
    return f"{word} {number(abs(current - previous))} so với năm {year}"


def paragraphs(texts) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(text) for text in texts if text)


def count_table(
    title: str,
    header: str,
    lines: list[Line],
    *,
    key: str,
    previous: list[Line] | None = None,
    years: tuple[int, int] | None = None,
    share: bool = False,
    drop_empty: bool = False,
) -> Table:
    """STT, label, the count (with the previous year's and the change when ``previous``
    is given, with the share in % when ``share``), and the total row."""
    before = {line.key: line.value for line in previous} if previous is not None else None
    total = sum(line.value for line in lines)
    columns = ["STT", header]
    if before is not None and years:
        columns += [f"Năm {years[0]}", f"Năm {years[1]}", "Tăng (+), giảm (−)"]
    else:
        columns += ["Số lượng"]
    if share:
        columns += ["Tỷ lệ (%)"]
    rows = []
    for line in lines:
        if drop_empty and not line.value and not (before or {}).get(line.key):
            continue
        row: list[Cell] = [len(rows) + 1, line.label]
        if before is not None and years:
            row += [before.get(line.key, 0), line.value, line.value - before.get(line.key, 0)]
        else:
            row += [line.value]
        if share:
            row += [percent(line.value, total)]
        rows.append(tuple(row))
    total_row: list[Cell] = ["", TOTAL]
    if before is not None and years:
        previous_total = sum(before.values())
        total_row += [previous_total, total, total - previous_total]
    else:
        total_row += [total]
    if share:
        total_row += [Decimal("100.0") if total else None]
    return Table(title, tuple(columns), tuple(rows), tuple(total_row), key=key)


def year_columns(years: list[int]) -> list[str]:
    columns = []
    for index, year in enumerate(years):
        columns.append(f"Năm {year}")
        if index:
            columns.append(f"± so với {years[index - 1]}")
    return columns


def year_cells(values) -> list[Cell]:
    cells: list[Cell] = []
    for index, value in enumerate(values):
        cells.append(value)
        if index:
            cells.append(value - values[index - 1])
    return cells


def year_table(
    title: str,
    header: str,
    lines: list[YearLine],
    years: list[int],
    *,
    key: str,
    note: str = "",
    drop_empty: bool = False,
) -> Table:
    """STT, label, a column per year, each followed (from the second) by the change
    against the year before; the total row likewise."""
    rows = []
    for line in lines:
        if drop_empty and not any(line.values):
            continue
        rows.append((len(rows) + 1, line.label, *year_cells(line.values)))
    totals = [sum(line.values[i] for line in lines) for i in range(len(years))]
    return Table(
        title,
        ("STT", header, *year_columns(years)),
        tuple(rows),
        ("", TOTAL, *year_cells(totals)),
        note=note,
        key=key,
    )


def bar_chart(title: str, labels, series, *, key: str) -> Chart:
    return Chart(
        title,
        tuple(labels),
        tuple((name, tuple(int(v) for v in values)) for name, values in series),
        key=key,
    )
