"""XLSX renderers: pure functions, data in, (filename, content_type, bytes) out.

Every row goes through ``danvan.xlsx.safe_row`` (through ``write_table``): a model or unit
name starting with "=" stays text, never a formula; numbers stay numbers.
"""

from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danvan.dates import format_date
from danvan.xlsx import XLSX, new_workbook, safe_row, workbook_bytes, write_table

from .enums import RubricAppliesTo
from .selectors import MIN_SHEETS_FOR_LENIENCY


def tier_name(row) -> str:
    """A live ``EntryResult`` carries its ``Tier``; a finalised ``Result`` its name."""
    if hasattr(row, "tier_name"):
        return row.tier_name
    return row.tier.name if row.tier else ""


def raw_tier_name(row) -> str:
    """The tier the raw score alone reaches ("" when unknown: a round finalised before
    it was recorded)."""
    if hasattr(row, "raw_tier_name"):
        return row.raw_tier_name
    return row.raw_tier.name if row.raw_tier else ""


def raw_tier_differs(row) -> bool:
    """The raw score alone would reach another tier than the one used."""
    raw = raw_tier_name(row)
    if hasattr(row, "raw_tier_name") and not raw:
        return False
    return raw != tier_name(row)


def _number(value):
    return float(value) if value is not None else None


def _points(value) -> str:
    """Points as people write them (20, 7,5)."""
    return formats.number_format(value.normalize() if value is not None else 0)


def _status_line(round, exported_at) -> str:
    """The status above every table: provisional with the export time, or finalised."""
    if round.is_finalised and round.finalised_at:
        return _("Finalised on %(date)s: these results are a frozen snapshot.") % {
            "date": format_date(timezone.localtime(round.finalised_at).date())
        }
    local = timezone.localtime(exported_at)
    return _("PROVISIONAL — exported at %(time)s on %(date)s") % {
        "time": formats.time_format(local, "H:i"),
        "date": format_date(local.date()),
    }


def _title_rows(title: str, round, policy: dict, exported_at) -> list[list]:
    """The rows above every sheet's table: its title, the policy, the status."""
    return [
        [title],
        [
            _("Ranked by: %(rank_by)s; aggregation: %(aggregation)s")
            % {
                "rank_by": policy["rank_by_label"],
                "aggregation": policy["aggregation_label"],
            }
        ],
        [_status_line(round, exported_at)],
    ]


def _results_sheet(book, round, rows, titles) -> None:
    sheet = book.create_sheet(_("Results"))
    header = [
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
        _("Tier by raw score"),
        _("Recognised"),
    ]
    body = []
    for row in rows:
        model = row.dvk_model
        body.append(
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
                tier_name(row),
                raw_tier_name(row),
                _("Yes") if row.recognised else _("No"),
            ]
        )
    write_table(
        sheet,
        title_rows=titles(_("Results — %(round)s") % {"round": round.name}),
        header=header,
        rows=body,
        bold_rows=(0, 2),
    )


def _criteria_sheets(book, round, rows, criteria, stats, titles) -> None:
    """One sheet per rubric group with rows: a row per entry, a column per criterion (the
    mean points of its counted sheets)."""
    for group in RubricAppliesTo:
        group_rows = [r for r in rows if RubricAppliesTo.for_kind(r.dvk_model.kind) == group]
        group_criteria = criteria.get(group.value) or []
        if not group_rows or not group_criteria:
            continue
        if group == RubricAppliesTo.COLLECTIVE:
            sheet = book.create_sheet(_("Criteria (collective)"))
        else:
            sheet = book.create_sheet(_("Criteria (individual)"))
        header = [_("Rank"), _("Model"), _("Unit"), _("Sheets")] + [
            _("%(criterion)s (max %(points)s)")
            % {"criterion": criterion.title, "points": _points(criterion.max_points)}
            for criterion in group_criteria
        ]
        body = []
        for row in group_rows:
            entry_stats = stats.get(row.entry_id, {})
            means = [entry_stats.get(c.pk) for c in group_criteria]
            body.append(
                [row.rank, row.dvk_model.name, row.dvk_model.unit.name, row.sheet_count]
                + [_number(found.mean) if found else None for found in means]
            )
        write_table(
            sheet,
            title_rows=titles(
                _("Mean points per criterion — %(group)s — %(round)s")
                % {"group": group.label, "round": round.name}
            ),
            header=header,
            rows=body,
            bold_rows=(0, 2),
        )


def _reviewers_sheet(book, round, reviewers, calibration, titles) -> None:
    """Each reviewer's sheets and scoring with their estimated leniency per rubric group."""
    sheet = book.create_sheet(_("Reviewers"))
    groups = calibration.groups if calibration else []
    header = [
        _("Reviewer"),
        _("Assigned"),
        _("Submitted"),
        _("Mean given"),
        _("Lowest given"),
        _("Highest given"),
        _("Range"),
        _("Standard deviation"),
        _("Vs panel"),
    ]
    for group in groups:
        suffix = f" ({group.label})" if len(groups) > 1 else ""
        header += [
            _("Estimated leniency") + suffix,
            _("Uncertainty (±)") + suffix,
            _("Sheets it rests on") + suffix,
            _("Few sheets") + suffix,
        ]
    body = []
    for line in reviewers:
        stat = line.stat
        values = [
            str(stat.reviewer),
            stat.assigned,
            stat.submitted,
            _number(stat.mean_given),
            _number(stat.min_given),
            _number(stat.max_given),
            _number(stat.spread),
            _number(stat.stddev_given),
            _number(stat.vs_panel),
        ]
        found = {group.applies_to: leniency for group, leniency in line.leniencies}
        for group in groups:
            leniency = found.get(group.applies_to)
            if leniency is None:
                values += [None, None, None, ""]
            else:
                values += [
                    _number(leniency.leniency),
                    _number(leniency.uncertainty),
                    leniency.sheets,
                    _("Yes") if leniency.few_sheets else "",
                ]
        body.append(values)
    write_table(
        sheet,
        title_rows=titles(_("Reviewers — %(round)s") % {"round": round.name}),
        header=header,
        rows=body,
        bold_rows=(0, 2),
    )
    sheet.append([])
    notes = [
        _(
            "Estimated leniency: how many points a reviewer gives above (+) or below (−) the "
            "others on the same models; the calibrated score takes it off each of their sheets."
        )
    ]
    for group in groups:
        notes += [f"{group.label}: {warning}" for warning in calibration_warnings(group)]
    for note in notes:
        sheet.append(safe_row(sheet, [note]))


def calibration_warnings(group) -> list[str]:
    """The limits of one rubric group's calibration (``GroupCalibration``) in words, for
    the secretariat (names the reviewers with few sheets): the page and the export."""
    warnings = []
    few = group.few_sheet_reviewers
    if few:
        warnings.append(
            ngettext(
                "%(names)s scored fewer than %(min)s sheets: their leniency is barely "
                "estimated, so their sheets are corrected little.",
                "%(names)s scored fewer than %(min)s sheets each: their leniency is barely "
                "estimated, so their sheets are corrected little.",
                len(few),
            )
            % {"names": ", ".join(str(r.reviewer) for r in few), "min": MIN_SHEETS_FOR_LENIENCY}
        )
    if group.disconnected:
        warnings.append(
            _(
                "The reviewers form %(groups)s groups that scored no model in common: biases "
                "are not comparable between groups, and the calibrated ranking across groups is "
                "not reliable."
            )
            % {"groups": group.groups}
        )
    return warnings


def results_xlsx(
    *,
    round,
    rows,
    policy: dict,
    exported_at,
    criteria: dict | None = None,
    criterion_stats: dict | None = None,
    reviewers: list | None = None,
    calibration=None,
) -> tuple[str, str, bytes]:
    """The results of ``round`` (live ``EntryResult`` rows or finalised ``Result`` rows, in
    the page's order) as a spreadsheet, with the ``policy`` they follow
    (``selectors.final_policy`` or ``live_policy``). Every sheet says above its table
    whether the results are provisional (with ``exported_at``) or when they were finalised.

    Sheets: the results (with the tier the raw score alone reaches); per rubric group in
    use, the mean points per criterion (``criteria``: ``selectors.round_criteria``,
    ``criterion_stats``: ``selectors.criterion_stats``); and, only when ``reviewers`` is
    given (the secretariat's export: names reviewers), each reviewer's statistics with their
    estimated leniency from ``calibration`` (``selectors.CalibrationSummary``).
    ``reviewers``: objects with ``stat`` (``ReviewerStat``) and ``leniencies``
    (``[(GroupCalibration, ReviewerLeniency)]``).
    """
    book = new_workbook()

    def titles(title):
        return _title_rows(title, round, policy, exported_at)

    _results_sheet(book, round, rows, titles)
    if criteria and criterion_stats is not None:
        _criteria_sheets(book, round, rows, criteria, criterion_stats, titles)
    if reviewers is not None:
        _reviewers_sheet(book, round, reviewers, calibration, titles)
    filename = f"ket-qua-{slugify(round.name) or round.pk}.xlsx"
    return filename, XLSX, workbook_bytes(book)
