"""XLSX renderers: pure functions, data in, (filename, content_type, bytes) out."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def coverage_xlsx(*, campaign, units) -> tuple[str, str, bytes]:
    """The units that registered nothing in ``campaign`` as a spreadsheet."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Not registered"))
    sheet.column_dimensions["B"].width = 45
    sheet.column_dimensions["C"].width = 35
    sheet.column_dimensions["D"].width = 40
    sheet.append(
        [_("Units that have not registered a model — %(campaign)s") % {"campaign": campaign.title}]
    )
    sheet.append([])
    header = [_("No."), _("Unit"), _("Unit kind"), _("Parent unit"), _("Code")]
    sheet.append(header)
    for number, unit in enumerate(units.iterator(chunk_size=500), start=1):
        sheet.append(
            [
                number,
                unit.name,
                unit.get_kind_display(),
                unit.parent.name if unit.parent_id else "",
                unit.code or "",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return f"chua-dang-ky-{campaign.year}.xlsx", XLSX, buffer.getvalue()
