"""XLSX renderers: pure functions, data in, (filename, content_type, bytes) out.

Every row goes through ``danvan.xlsx.safe_row``: a model or unit name starting with "="
stays text, never a formula.
"""

from django.utils.text import slugify
from django.utils.translation import gettext as _

from danvan.xlsx import XLSX, new_workbook, safe_row, workbook_bytes


def _tier_name(row) -> str:
    """A live ``EntryResult`` carries its ``Tier``; a finalised ``Result`` its name."""
    if hasattr(row, "tier_name"):
        return row.tier_name
    return row.tier.name if row.tier else ""


def _number(value):
    return float(value) if value is not None else None


def results_xlsx(*, round, rows, policy: dict) -> tuple[str, str, bytes]:
    """The results of ``round`` (live ``EntryResult`` rows or finalised ``Result`` rows, in
    the page's order) as a spreadsheet, with the ``policy`` they follow
    (``selectors.final_policy`` or ``live_policy``); no reviewer is named."""
    book = new_workbook()
    sheet = book.create_sheet(_("Results"))
    sheet.column_dimensions["B"].width = 45
    sheet.column_dimensions["C"].width = 35
    sheet.append(safe_row(sheet, [_("Results — %(round)s") % {"round": round.name}]))
    sheet.append(
        safe_row(
            sheet,
            [
                _("Ranked by: %(rank_by)s; aggregation: %(aggregation)s")
                % {
                    "rank_by": policy["rank_by_label"],
                    "aggregation": policy["aggregation_label"],
                }
            ],
        )
    )
    sheet.append([])
    sheet.append(
        safe_row(
            sheet,
            [
                _("Rank"),
                _("Model"),
                _("Unit"),
                _("Kind"),
                _("Sheets"),
                _("Raw score"),
                _("Calibrated score"),
                _("Score used"),
                _("Lowest sheet"),
                _("Highest sheet"),
                _("Spread"),
                _("Standard deviation"),
                _("Reviewers disagree"),
                _("Tier"),
                _("Recognised"),
            ],
        )
    )
    for row in rows:
        model = row.dvk_model
        sheet.append(
            safe_row(
                sheet,
                [
                    row.rank,
                    model.name,
                    model.unit.name,
                    model.get_kind_display(),
                    row.sheet_count,
                    _number(row.raw_score),
                    _number(row.calibrated_score),
                    _number(row.score_used),
                    _number(row.min_score),
                    _number(row.max_score),
                    _number(row.spread),
                    _number(row.stddev),
                    _("Yes") if row.disagreement else "",
                    _tier_name(row),
                    _("Yes") if row.recognised else _("No"),
                ],
            )
        )
    filename = f"ket-qua-{slugify(round.name) or round.pk}.xlsx"
    return filename, XLSX, workbook_bytes(book)
