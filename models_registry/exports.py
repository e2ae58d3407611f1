"""XLSX renderers: pure functions, data in, (filename, content_type, bytes) out. Every
cell from user data goes through ``danvan.xlsx.safe_row`` (text, never a formula)."""

from django.utils.translation import gettext as _

from danvan.xlsx import XLSX, new_workbook, safe_row, workbook_bytes


def coverage_xlsx(*, campaign, units) -> tuple[str, str, bytes]:
    """The units that registered nothing in ``campaign`` as a spreadsheet."""
    book = new_workbook()
    sheet = book.create_sheet(_("Not registered"))
    sheet.column_dimensions["B"].width = 45
    sheet.column_dimensions["C"].width = 35
    sheet.column_dimensions["D"].width = 40
    sheet.append(
        safe_row(
            sheet,
            [
                _("Units that have not registered a model — %(campaign)s")
                % {"campaign": campaign.title}
            ],
        )
    )
    sheet.append([])
    sheet.append(
        safe_row(sheet, [_("No."), _("Unit"), _("Unit kind"), _("Parent unit"), _("Code")])
    )
    for number, unit in enumerate(units.iterator(chunk_size=500), start=1):
        sheet.append(
            safe_row(
                sheet,
                [
                    number,
                    unit.name,
                    unit.get_kind_display(),
                    unit.parent.name if unit.parent_id else "",
                    unit.code or "",
                ],
            )
        )
    return f"chua-dang-ky-{campaign.year}.xlsx", XLSX, workbook_bytes(book)
