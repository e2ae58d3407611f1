"""XLSX renderers of the awards stage: pure functions, data in, (filename, content_type,
bytes) out. Every cell from user data goes through ``danvan.xlsx.safe_row`` (text, never
a formula); amounts and dates are written as numbers and dates."""

import math

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from openpyxl.styles import Alignment, Font

from danvan.dates import format_date, today
from danvan.xlsx import XLSX, new_workbook, safe_row, workbook_bytes

from .selectors import Register

# (header, width) of each column, in order.
COLUMNS = [
    (gettext_lazy("No."), 6),
    (gettext_lazy("Decision number"), 18),
    (gettext_lazy("Date"), 12),
    (gettext_lazy("Issuing authority"), 30),
    (gettext_lazy("Award type"), 30),
    (gettext_lazy("Recipient kind"), 12),
    (gettext_lazy("Recipient"), 40),
    (pgettext_lazy("job title", "Position"), 20),
    (gettext_lazy("Unit"), 30),
    (gettext_lazy("Amount (VND)"), 15),
    (gettext_lazy("Status"), 12),
    (gettext_lazy("Reason for revocation"), 35),
]
AMOUNT, DATE_COLUMN = 9, 2
WRAPPED = {3, 4, 6, 7, 8, 11}  # long text: wrapped inside the column's width
HEADER_ROW = 4  # title, filters, a blank line, then the header (frozen below it)
MONEY_FORMAT = "#,##0"
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
LINE_HEIGHT = 15  # points, for the default 11 pt font
DATE_FORMAT = "DD/MM/YYYY"


def _lines(text, width: int) -> int:
    """About how many lines ``text`` takes wrapped in a column ``width`` characters wide."""
    if not text:
        return 1
    return sum(max(1, math.ceil(len(part) / (width - 1))) for part in str(text).splitlines())


def award_unit_name(award) -> str:
    """The unit an award belongs to: the model's unit, or the recipient unit."""
    if award.dvk_model_id:
        return award.dvk_model.unit.name
    return award.unit.name if award.unit_id else ""


def register_xlsx(*, register: Register, filters: list[tuple[str, str]]) -> tuple[str, str, bytes]:
    """The register (rows of ``selectors.award_register``) as a spreadsheet: a title, the
    filters in force, a frozen header row, one row per award and a totals row (revoked
    awards are listed but never add to the total)."""
    book = new_workbook()
    sheet = book.create_sheet(_("Awards register"))
    for index, (_header, width) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    # Printed landscape, one page wide, the header repeated on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"

    heading = _("Register of awards — exported on %(date)s") % {"date": format_date(today())}
    title = safe_row(sheet, [heading])
    title[0].font = Font(bold=True, size=13)
    sheet.append(title)
    described = "; ".join(f"{label}: {value}" for label, value in filters)
    if filters:
        described = _("Filters: %(filters)s") % {"filters": described}
    else:
        described = _("Filters: none (every award in your scope)")
    sheet.append(safe_row(sheet, [described]))
    sheet.append([])
    header = safe_row(sheet, [str(label) for label, _width in COLUMNS])
    for cell in header:
        cell.font = Font(bold=True)
        cell.alignment = WRAP
    sheet.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * 2
    sheet.append(header)

    revoked_label = _("Revoked")
    number = 0
    for number, award in enumerate(register.awards.iterator(chunk_size=500), start=1):
        decision = award.decision
        revoked = award.is_revoked
        row = safe_row(
            sheet,
            [
                number,
                decision.display_number,
                decision.date,
                decision.issuing_authority,
                award.award_type.name,
                award.get_recipient_kind_display(),
                award.recipient_name,
                award.person_position,
                award_unit_name(award),
                award.amount,
                revoked_label if revoked else "",
                (award.revoked_reason or decision.revoked_reason) if revoked else "",
            ],
        )
        lines = 1
        for index, cell in enumerate(row):
            cell.alignment = WRAP if index in WRAPPED else TOP
            if index in WRAPPED:
                lines = max(lines, _lines(cell.value, COLUMNS[index][1]))
        # Spreadsheets do not all size a wrapped row on opening: give it its height.
        sheet.row_dimensions[HEADER_ROW + number].height = LINE_HEIGHT * lines
        row[DATE_COLUMN].number_format = DATE_FORMAT
        row[AMOUNT].number_format = MONEY_FORMAT
        sheet.append(row)

    totals = safe_row(
        sheet,
        [
            None,
            _("Total"),
            None,
            None,
            None,
            None,
            ngettext(
                "%(count)s award (revoked awards do not count in the amount)",
                "%(count)s awards (revoked awards do not count in the amount)",
                register.count,
            )
            % {"count": register.count},
            None,
            None,
            register.total_amount,
        ],
    )
    for cell in totals:
        cell.font = Font(bold=True)
        cell.alignment = TOP
    totals[AMOUNT].number_format = MONEY_FORMAT
    totals[6].alignment = WRAP
    total_row = HEADER_ROW + number + 1
    sheet.row_dimensions[total_row].height = LINE_HEIGHT * _lines(totals[6].value, COLUMNS[6][1])
    sheet.append(totals)
    return f"so-khen-thuong-{today():%Y%m%d}.xlsx", XLSX, workbook_bytes(book)
