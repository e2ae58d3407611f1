"""The December report's figures as a workbook: the annex's full list first, then one sheet
per table (``doc.tables()``), each with a title, a frozen header row and an autofilter.

Every row goes through ``danvan.xlsx.safe_row`` (a name starting with "=" stays text);
figures stay numbers. The annex is in Vietnamese dictionary order of unit then name, the
same order and STT as the PDF and the DOCX. Identical input gives identical bytes: the
workbook's properties and the zip members are dated ``doc.date``.
"""

from __future__ import annotations

import datetime
import re

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from danvan.xlsx import XLSX, new_workbook, safe_row, workbook_bytes

from ..data import ReportDocument, Table
from .common import (
    annex_columns,
    annex_heading,
    column_shares,
    document_title,
    fixed_zip,
    iso_datetime,
    ordered_annex,
    stem,
)

HEADER_ROW = 3  # title, a blank line, then the header (frozen below it)
ANNEX_SHEET = "Danh sách mô hình"
ANNEX_WIDTHS = (6, 30, 50, 22, 18, 10, 14, 8, 12, 35)
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
DATED = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def render_xlsx(doc: ReportDocument) -> tuple[str, str, bytes]:
    book = new_workbook()
    moment = datetime.datetime.combine(doc.date, datetime.time())
    book.properties.creator = doc.issuer.issuing_body
    book.properties.title = document_title(doc)
    book.properties.created = moment
    names: set[str] = set()
    _annex_sheet(book, doc, _sheet_name(ANNEX_SHEET, names))
    for number, table in enumerate(doc.tables(), start=1):
        _table_sheet(book, table, number, _sheet_name(f"Bảng {number}", names))

    stamp = iso_datetime(doc.date).encode()

    def fixed_dates(xml: bytes) -> bytes:
        return DATED.sub(lambda match: match.group(1) + stamp + match.group(3), xml)

    content = fixed_zip(
        workbook_bytes(book), when=doc.date, replace={"docProps/core.xml": fixed_dates}
    )
    return f"{stem(doc)}.xlsx", XLSX, content


def _sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no ``[]:*?/\\``, at most 31 characters."""
    base = FORBIDDEN.sub(" ", wanted).strip()[:31] or "Bảng"
    name, suffix = base, 2
    while name.lower() in taken:
        tail = f" ({suffix})"
        name, suffix = base[: 31 - len(tail)] + tail, suffix + 1
    taken.add(name.lower())
    return name


def _title(sheet, text: str) -> None:
    row = safe_row(sheet, [text])
    row[0].font = Font(bold=True, size=13)
    sheet.append(row)
    sheet.append([])


def _header(sheet, columns) -> None:
    row = safe_row(sheet, list(columns))
    for cell in row:
        cell.font = BOLD
        cell.alignment = WRAP
    sheet.append(row)


# A table sheet's width in characters, shared among its columns like the PDF's.
TABLE_WIDTH = 110


def _print_setup(sheet) -> None:
    """Printed from the spreadsheet: A4 landscape, one page wide, headers on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _annex_sheet(book, doc: ReportDocument, name: str) -> None:
    sheet = book.create_sheet(name)
    columns = annex_columns(doc)
    rows = ordered_annex(doc)
    for index, width in enumerate(ANNEX_WIDTHS[: len(columns)], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    _print_setup(sheet)
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(len(rows), 1)}"
    _title(sheet, " ".join(filter(None, annex_heading(doc))) or ANNEX_SHEET)
    _header(sheet, columns)
    for number, row in enumerate(rows, start=1):
        sheet.append(
            safe_row(
                sheet,
                [
                    number,
                    row.unit,
                    row.name,
                    row.field,
                    row.kind,
                    row.level,
                    row.origin,
                    row.score,
                    row.tier,
                    row.award,
                ],
            )
        )


def _table_sheet(book, table: Table, number: int, name: str) -> None:
    sheet = book.create_sheet(name)
    for index, share in enumerate(column_shares(table), start=1):
        width = max(6.0, round(TABLE_WIDTH * share, 1))
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    _print_setup(sheet)
    last = get_column_letter(max(len(table.columns), 1))
    # The filter covers the rows, not the total below them (sorting keeps it last).
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(len(table.rows), 1)}"
    _title(sheet, f"Bảng {number}: {table.title}")
    _header(sheet, table.columns)
    for row in table.rows:
        sheet.append(safe_row(sheet, list(row)))
    if table.total:
        total = safe_row(sheet, list(table.total))
        for cell in total:
            cell.font = BOLD
        sheet.append(total)
    if table.note:
        sheet.append([])
        note = safe_row(sheet, [table.note])
        note[0].font = Font(italic=True)
        sheet.append(note)
