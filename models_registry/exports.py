"""XLSX renderers: pure functions, data in, (filename, content_type, bytes) out. Every
cell from user data goes through ``danvan.xlsx.safe_row`` (text, never a formula)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.dates import format_date
from danvan.xlsx import XLSX, new_workbook, safe_row, workbook_bytes, write_table


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


def intake_xlsx(*, rows, filters: str, day) -> tuple[str, str, bytes]:
    """The filtered intake list (``intake.intake_export_rows``: every matching row, in the
    list's order, each with ``personal_details``) as a table: one row per registration,
    the header frozen with an autofilter (``write_table``). ``filters`` states the filters
    in the title rows."""
    book = new_workbook()
    sheet = book.create_sheet(_("Registrations"))
    header = [
        _("No."),
        _("Unit"),
        _("Name of the model"),
        _("Year"),
        _("Kind"),
        _("Field"),
        _("Status"),
        _("Submitted on"),
        _("Times returned"),
        _("Resubmit by"),
        _("Person in charge"),
        _("Contact phone"),
        _("Evidence files"),
    ]
    body = [
        [
            number,
            m.unit.name,
            m.name,
            m.campaign.year,
            m.get_kind_display(),
            str(m.field) if m.field_id else "",
            m.get_status_display(),
            format_date(timezone.localtime(m.submitted_at).date()) if m.submitted_at else "",
            m.times_returned,
            format_date(m.resubmit_deadline),
            # The contact of a model outside the reader's scope (one a campaign shares)
            # stays with its scope (``privacy``).
            m.lead_name if m.personal_details else "",
            m.lead_phone if m.personal_details else "",
            m.attachment_count,
        ]
        for number, m in enumerate(rows.iterator(chunk_size=500), start=1)
    ]
    write_table(
        sheet,
        title_rows=[
            [_("Registrations — exported on %(date)s") % {"date": format_date(day)}],
            [filters],
        ],
        header=header,
        rows=body,
        bold_rows=(0,),
    )
    return f"ho-so-dang-ky-{day.isoformat()}.xlsx", XLSX, workbook_bytes(book)
