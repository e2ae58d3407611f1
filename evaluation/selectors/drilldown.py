"""The drill-down from a result row: every sheet of one entry side by side, criterion by
criterion, with the spread per criterion, the comments and each reviewer's estimated
leniency. Names reviewers: the secretariat only (``evaluation.view_live_results``)."""

from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from django.db.models import Avg, Count, Max, Min, Prefetch, Sum

from danvan.db import vi_order

from .. import calibration
from ..enums import ConflictStatus, RubricAppliesTo, SheetStatus
from ..models import (
    Assignment,
    Criterion,
    CriterionScore,
    Result,
    Round,
    RoundEntry,
    ScoreSheet,
    active_assignment_q,
)
from .aggregation import EntryResult, entry_results, round_fits
from .criteria import CriterionStat, criterion_stats

# A criterion on which the counted sheets differ by at least this share of its maximum
# points is highlighted: the reviewers read it differently.
WIDE_CRITERION_SPREAD_SHARE = Decimal("0.30")
CENT = Decimal("0.01")


def _cents(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(CENT)


@dataclass(frozen=True)
class SheetColumn:
    """One reviewer's sheet of the entry (an active assignment)."""

    assignment: Assignment  # with reviewer
    sheet: ScoreSheet | None
    counted: bool  # submitted: enters the means, spreads and the result
    total: Decimal | None  # the submitted total, or the points given so far
    leniency: calibration.Leniency | None  # the reviewer's, in the entry's rubric group
    calibrated: Decimal | None  # total − leniency (counted sheets only)

    @property
    def reviewer(self):
        return self.assignment.reviewer

    @property
    def leniency_points(self) -> Decimal | None:
        return None if self.leniency is None else _cents(self.leniency.leniency)

    @property
    def leniency_uncertainty(self) -> Decimal | None:
        return None if self.leniency is None else _cents(self.leniency.uncertainty)


@dataclass(frozen=True)
class Cell:
    """The points and comment one sheet gave one criterion."""

    column: SheetColumn
    points: Decimal | None
    comment: str


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    cells: list[Cell]  # in the order of ``EntrySheets.columns``
    stat: CriterionStat | None  # over counted sheets; None when none scored it
    wide: bool  # the spread reaches WIDE_CRITERION_SPREAD_SHARE of the maximum

    @property
    def comments(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.comment]


@dataclass(frozen=True)
class TotalStat:
    """The totals of the counted sheets."""

    mean: Decimal | None
    min: Decimal | None
    max: Decimal | None
    count: int

    @property
    def spread(self) -> Decimal | None:
        return None if self.min is None or self.max is None else self.max - self.min


@dataclass(frozen=True)
class EntrySheets:
    entry: RoundEntry  # with dvk_model (unit, field)
    round: Round
    applies_to: str
    # A finalised round's frozen ``Result``, else the live ``EntryResult`` (provisional).
    result: Result | EntryResult | None
    provisional: bool
    columns: list[SheetColumn]  # counted sheets first, then the unsubmitted ones
    withdrawn: list[Assignment]  # approved conflicts of interest: no scores shown
    rows: list[CriterionRow]
    totals: TotalStat

    @property
    def dvk_model(self):
        return self.entry.dvk_model

    @property
    def tier_name(self) -> str:
        if isinstance(self.result, Result):
            return self.result.tier_name
        return self.result.tier.name if self.result and self.result.tier else ""

    @property
    def raw_tier_name(self) -> str:
        """The tier of the raw score alone when it differs from the tier used, else ""."""
        if isinstance(self.result, Result):
            raw = self.result.raw_tier_name
        else:
            raw = self.result.raw_tier.name if self.result and self.result.raw_tier else ""
        return raw if raw != self.tier_name else ""

    @property
    def groups(self) -> list[tuple[str, list[CriterionRow]]]:
        return [(g, list(rows)) for g, rows in groupby(self.rows, lambda r: r.criterion.group)]

    @property
    def wide_rows(self) -> list[CriterionRow]:
        return [row for row in self.rows if row.wide]

    @property
    def overall_comments(self) -> list[SheetColumn]:
        return [c for c in self.columns if c.sheet is not None and c.sheet.overall_comment]

    @property
    def has_comments(self) -> bool:
        return bool(self.overall_comments) or any(row.comments for row in self.rows)


def entry_sheets(*, round: Round, entry_id: int) -> EntrySheets:
    """Every sheet of the entry ``entry_id`` of ``round`` side by side, in a fixed number of
    queries whatever the number of sheets and criteria (seven for a finalised round, eleven
    for an open one, whose live results are computed for the whole round).

    Only counted sheets (submitted, of active assignments) enter the per-criterion
    ``stat``, the ``totals`` and the calibrated values; unsubmitted sheets are columns with
    what they have so far; assignments withdrawn for an approved conflict of interest are
    listed apart without scores. Raises ``RoundEntry.DoesNotExist`` for an entry of another
    round.
    """
    entry = RoundEntry.objects.select_related(
        "dvk_model__unit", "dvk_model__field__parent", "result"
    ).get(pk=entry_id, round=round)
    applies_to = RubricAppliesTo.for_kind(entry.dvk_model.kind).value
    criteria = list(
        Criterion.objects.filter(rubric_id=round.rubric_id_for(entry.dvk_model.kind)).order_by(
            "position", "pk"
        )
    )
    assignments = list(
        Assignment.objects.filter(entry=entry)
        .select_related("reviewer", "sheet")
        .annotate(points_so_far=Sum("sheet__scores__points"))
        .prefetch_related(Prefetch("sheet__scores", queryset=CriterionScore.objects.order_by()))
        .order_by(vi_order("reviewer__full_name"), "pk")
    )
    fits = round_fits(round)
    leniencies = fits[applies_to].leniencies if applies_to in fits else {}
    totals = ScoreSheet.objects.filter(
        active_assignment_q("assignment__"),
        assignment__entry=entry,
        status=SheetStatus.SUBMITTED,
        total__isnull=False,
    ).aggregate(mean=Avg("total"), low=Min("total"), high=Max("total"), n=Count("pk"))
    stats = criterion_stats(round=round, entry_ids=[entry.pk]).get(entry.pk, {})

    columns, withdrawn = [], []
    for assignment in assignments:
        if assignment.conflict_status == ConflictStatus.APPROVED:
            withdrawn.append(assignment)
            continue
        sheet = _sheet_of(assignment)
        counted = sheet is not None and sheet.status == SheetStatus.SUBMITTED
        leniency = leniencies.get(assignment.reviewer_id) if counted else None
        total = sheet.total if counted else assignment.points_so_far
        calibrated = None
        if counted and total is not None:
            calibrated = _cents(float(total) - (leniency.leniency if leniency else 0.0))
        columns.append(SheetColumn(assignment, sheet, counted, total, leniency, calibrated))
    columns.sort(key=lambda c: not c.counted)  # stable: names stay in order within each

    scores = {
        column.sheet.pk: {s.criterion_id: s for s in column.sheet.scores.all()}
        for column in columns
        if column.sheet is not None
    }
    rows = []
    for criterion in criteria:
        cells = []
        for column in columns:
            score = scores.get(column.sheet.pk if column.sheet else None, {}).get(criterion.pk)
            cells.append(
                Cell(column, score.points if score else None, score.comment if score else "")
            )
        stat = stats.get(criterion.pk)
        wide = (
            stat is not None and stat.spread >= criterion.max_points * WIDE_CRITERION_SPREAD_SHARE
        )
        rows.append(CriterionRow(criterion, cells, stat, wide))

    if round.is_finalised:
        result, provisional = getattr(entry, "result", None), False
    else:
        live = entry_results(round=round, fits=fits)
        result, provisional = next((r for r in live if r.entry_id == entry.pk), None), True
    return EntrySheets(
        entry=entry,
        round=round,
        applies_to=applies_to,
        result=result,
        provisional=provisional,
        columns=columns,
        withdrawn=withdrawn,
        rows=rows,
        totals=TotalStat(
            mean=_cents(totals["mean"]),
            min=_cents(totals["low"]),
            max=_cents(totals["high"]),
            count=totals["n"],
        ),
    )


def _sheet_of(assignment) -> ScoreSheet | None:
    try:
        return assignment.sheet
    except ScoreSheet.DoesNotExist:
        return None
