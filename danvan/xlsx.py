"""The one way to write a spreadsheet cell: text from user data is never a formula.

OWASP's CSV-injection rule: a value starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with an apostrophe-like guard so that Excel and LibreOffice show
it as text. Every XLSX renderer, present and future, writes rows through ``safe_row``.
"""

from __future__ import annotations

import datetime
import decimal
import io
import math

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

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


# Column widths (characters) a fitted table keeps to; a longer header wraps (sooner over a
# column of numbers).
MIN_WIDTH = 6
MAX_WIDTH = 50
MAX_HEADER_WIDTH = 24
MAX_NUMBER_HEADER_WIDTH = 12
HEADER_LINE_HEIGHT = 15  # points
# Fractional numbers (scores, means) show two decimals; whole numbers (ranks, counts) none.
DECIMAL_FORMAT = "0.00"


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, float | decimal.Decimal):
        return len(f"{value:.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _is_number(value) -> bool:
    return value is None or (
        isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool)
    )


def write_table(sheet, *, title_rows, header, rows, bold_rows=()) -> None:
    """Write ``title_rows`` (lists of values above the table), then a table (``header`` and
    ``rows``) to an empty write-only ``sheet``: every cell through ``safe_row``, the header
    bold and frozen (it stays in view while scrolling), an autofilter over the table,
    column widths that fit the table's content (title rows do not widen a column; a long
    header wraps), fractional numbers with two decimals, and a print layout in landscape,
    one page wide, repeating the header.
    ``bold_rows``: indexes into ``title_rows`` written bold.

    A write-only sheet writes its view and columns before its first row, so this sets them
    first; call it once per sheet.
    """
    rows = [list(row) for row in rows]
    header_lines = 1
    for index in range(len(header)):
        column = [row[index] for row in rows if index < len(row)]
        cap = MAX_NUMBER_HEADER_WIDTH if all(map(_is_number, column)) else MAX_HEADER_WIDTH
        widest = max([min(_width(header[index]), cap)] + [_width(value) for value in column])
        width = min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
        # Lines the wrapped header takes (words do not split, hence the margin).
        header_lines = max(header_lines, math.ceil(_width(header[index]) / (width - 3)))
    header_row = len(title_rows) + 1
    # Spreadsheet programs do not grow a row to its wrapped text on opening.
    sheet.row_dimensions[header_row].height = HEADER_LINE_HEIGHT * header_lines
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    bold = Font(bold=True)
    for index, values in enumerate(title_rows):
        cells = safe_row(sheet, values)
        if index in bold_rows:
            for cell in cells:
                cell.font = bold
        sheet.append(cells)
    cells = safe_row(sheet, header)
    for cell in cells:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.append(cells)
    for row in rows:
        cells = safe_row(sheet, row)
        for cell in cells:
            if isinstance(cell.value, float | decimal.Decimal):
                cell.number_format = DECIMAL_FORMAT
        sheet.append(cells)
    last = get_column_letter(max(len(header), 1))
    sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + max(len(rows), 1)}"
