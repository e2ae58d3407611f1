"""XLSX renderers: pure functions, data in, (filename, content_type, bytes) out."""

import io

from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _tier_name(row) -> str:
    """A live ``EntryResult`` carries its ``Tier``; a finalised ``Result`` its name."""
    if hasattr(row, "tier_name"):
        return row.tier_name
    return row.tier.name if row.tier else ""


def _number(value):
    return float(value) if value is not None else None


def results_xlsx(*, round, rows) -> tuple[str, str, bytes]:
    """The results of ``round`` (live ``EntryResult`` rows or finalised ``Result`` rows, in
    rank order) as a spreadsheet; no reviewer is named."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Results"))
    sheet.column_dimensions["B"].width = 45
    sheet.column_dimensions["C"].width = 35
    sheet.append([_("Results — %(round)s") % {"round": round.name}])
    sheet.append(
        [
            _("Ranked by: %(rank_by)s; aggregation: %(aggregation)s")
            % {
                "rank_by": round.get_rank_by_display(),
                "aggregation": round.get_aggregation_display(),
            }
        ]
    )
    sheet.append([])
    sheet.append(
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
        ]
    )
    for row in rows:
        model = row.dvk_model
        sheet.append(
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
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return f"ket-qua-{slugify(round.name) or round.pk}.xlsx", XLSX, buffer.getvalue()
