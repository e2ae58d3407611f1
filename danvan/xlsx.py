"""The one way to write a spreadsheet cell: text from user data is never a formula.

OWASP's CSV-injection rule: a value starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with an apostrophe-like guard so that Excel and LibreOffice show
it as text. Every XLSX renderer, present and future, writes rows through ``safe_row``.
"""

from __future__ import annotations

import datetime
import decimal
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as it may go into a cell: numbers, dates and None pass unchanged;
    anything else becomes a string, with a leading ``'`` when it could start a formula."""
    if value is None or isinstance(
        value, bool | int | float | decimal.Decimal | datetime.date | datetime.datetime
    ):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def safe_row(sheet, values) -> list:
    """Cells for a write-only ``sheet`` whose text is stored as a string, never a formula
    (openpyxl would otherwise treat a string starting with ``=`` as one)."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=safe_cell(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def workbook_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
