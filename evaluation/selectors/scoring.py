"""Reads for reviewers: their queue and the score sheet page."""

from itertools import groupby

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Greatest

from danvan.enums import Role
from danvan.models import User
from danvan.selectors import units_visible_to
from models_registry.enums import ModelKind
from models_registry.models import DvkModel

from ..enums import RoundStatus, SheetStatus, Visibility
from ..models import Assignment, Criterion, CriterionScore, Rubric, ScoreSheet
from ..policy import READABLE_ROUND_STATUSES, sheet_deadline, sheet_edit_refusal
from .rubrics import count_of


def reviewer_queue(*, user: User, include_finalised: bool = False) -> QuerySet[Assignment]:
    """The user's active assignments with everything their queue shows (one query).

    Each assignment carries ``round``, ``entry.dvk_model`` (with unit and field) and
    ``sheet``, and is annotated with ``criteria_total`` (criteria of the rubric that applies
    to the model), ``criteria_scored`` (criteria with points on the sheet), ``progress``
    (0–100), ``due_date`` (the round's close, or later when the sheet was reopened) and
    ``queue_order``. In progress first, then not started, then submitted; soonest due first.
    Rounds still being prepared are left out (their sheets cannot be opened yet), and
    finalised rounds unless ``include_finalised``.
    """
    individual = Q(entry__dvk_model__kind=ModelKind.INDIVIDUAL_EXEMPLAR)
    qs = (
        Assignment.objects.active()
        .filter(reviewer=user, round__status__in=READABLE_ROUND_STATUSES)
        .select_related(
            "round",
            "round__campaign",
            "entry__dvk_model",
            "entry__dvk_model__unit",
            "entry__dvk_model__field",
            "sheet",
        )
        .annotate(
            criteria_total=Case(
                When(
                    individual,
                    then=count_of(
                        Criterion.objects.filter(rubric=OuterRef("round__rubric_individual")),
                        "rubric",
                    ),
                ),
                default=count_of(
                    Criterion.objects.filter(rubric=OuterRef("round__rubric_collective")),
                    "rubric",
                ),
                output_field=IntegerField(),
            ),
            criteria_scored=count_of(
                CriterionScore.objects.filter(
                    sheet__assignment=OuterRef("pk"), points__isnull=False
                ),
                "sheet",
            ),
            progress=Case(
                When(
                    criteria_total__gt=0,
                    then=F("criteria_scored") * 100 / F("criteria_total"),
                ),
                default=Value(0),
                output_field=IntegerField(),
            ),
            due_date=Greatest(
                "round__scoring_closes",
                Coalesce("sheet__reopened_until", "round__scoring_closes"),
            ),
            queue_order=Case(
                When(sheet__status=SheetStatus.IN_PROGRESS, then=Value(0)),
                When(sheet__status=SheetStatus.PENDING, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .order_by("queue_order", "due_date", "round_id", "pk")
    )
    if not include_finalised:
        qs = qs.exclude(round__status=RoundStatus.FINALISED)
    return qs


def reviewer_queue_summary(*, user: User) -> dict:
    """What the reviewer's home panel shows (one query): ``counts`` ({sheet status:
    number}), ``total``, ``open`` (sheets not yet submitted) and ``next_due`` (the soonest
    due date of an unsubmitted sheet, or None). Finalised rounds are left out."""
    rows = (
        reviewer_queue(user=user)
        .order_by()
        .values("sheet__status")
        .annotate(n=Count("pk"), first_due=Min("due_date"))
    )
    counts = {status: 0 for status in SheetStatus.values}
    next_due = None
    for row in rows:
        counts[row["sheet__status"]] = row["n"]
        if row["sheet__status"] != SheetStatus.SUBMITTED and row["first_due"] is not None:
            next_due = min(next_due or row["first_due"], row["first_due"])
    total = sum(counts.values())
    return {
        "counts": counts,
        "total": total,
        "open": total - counts[SheetStatus.SUBMITTED],
        "next_due": next_due,
    }


def sheets_visible_to(*, user: User) -> QuerySet[ScoreSheet]:
    """Sheets of the user's active assignments in open or finalised rounds (as the rule
    ``evaluation.view_sheet``); for the secretariat, every sheet of the rounds run in its
    scope. Units and leaders see no sheet."""
    qs = ScoreSheet.objects.all()
    if user.is_superuser:
        return qs
    visible = Q(
        assignment__in=Assignment.objects.active().filter(
            reviewer=user, round__status__in=READABLE_ROUND_STATUSES
        )
    )
    if user.scope_unit_id is not None and user.has_role(Role.SECRETARIAT):
        visible |= Q(assignment__round__scope_unit__in=units_visible_to(user=user).values("pk"))
    return qs.filter(visible)


def sheet_for(*, sheet_id: int, user: User) -> ScoreSheet:
    """The sheet ``user`` may read (the rule ``evaluation.view_sheet``, which
    ``sheets_visible_to`` mirrors), read with its assignment, reviewer, round and scope unit
    and whoever reopened it: one query of six tables, checked in Python, so that a reviewer
    saving a criterion pays for no visibility subquery. Raises ``ScoreSheet.DoesNotExist``
    when the user may not see it."""
    sheet = ScoreSheet.objects.select_related(
        "assignment__reviewer", "assignment__round__scope_unit", "reopened_by"
    ).get(pk=sheet_id)
    if not user.has_perm("evaluation.view_sheet", sheet):
        raise ScoreSheet.DoesNotExist
    return sheet


def sheet_criteria(*, sheet: ScoreSheet, rubric_id: int) -> list[Criterion]:
    """The criteria of ``rubric_id`` in order, each annotated with ``score_points`` and
    ``score_comment`` of ``sheet`` (one LEFT JOIN on the unique (sheet, criterion) row) and,
    on every row, the sheet's running ``sheet_total`` and ``sheet_scored`` (window
    aggregates over the same rows) and its ``rubric``: one query."""
    rows = Criterion.objects.filter(rubric_id=rubric_id).annotate(
        own=FilteredRelation("scores", condition=Q(scores__sheet=sheet))
    )
    return list(
        rows.select_related("rubric")
        .annotate(
            score_points=F("own__points"),
            score_comment=Coalesce(F("own__comment"), Value(""), output_field=CharField()),
            sheet_total=Window(Sum("own__points")),
            sheet_scored=Window(Count("own__points")),
        )
        .order_by("position", "pk")
    )


def sheet_progress(*, sheet: ScoreSheet, rubric_id: int) -> dict:
    """``criteria_count``, ``scored_count`` and ``total`` (points so far, or None) of
    ``sheet`` on ``rubric_id``, as the page's running total shows them (one query)."""
    return (
        Criterion.objects.filter(rubric_id=rubric_id)
        .annotate(own=FilteredRelation("scores", condition=Q(scores__sheet=sheet)))
        .aggregate(
            criteria_count=Count("pk"), scored_count=Count("own__points"), total=Sum("own__points")
        )
    )


def _peers(*, sheet: ScoreSheet, entry_id: int) -> list[ScoreSheet]:
    """The other active reviewers' submitted sheets of the entry, with their reviewer and
    their ``scores`` (two queries)."""
    return list(
        ScoreSheet.objects.filter(
            assignment__in=Assignment.objects.active().filter(entry_id=entry_id),
            status=SheetStatus.SUBMITTED,
        )
        .exclude(pk=sheet.pk)
        .select_related("assignment__reviewer")
        .prefetch_related(
            Prefetch(
                "scores", queryset=CriterionScore.objects.order_by("criterion__position", "pk")
            )
        )
        .order_by("submitted_at", "pk")
    )


def sheet_detail(*, sheet_id: int, user: User) -> dict:
    """Everything the score sheet page shows, in a fixed number of simple queries (four,
    five with a result report, six with other reviewers' sheets): the sheet with its
    assignment and round (``sheet_for``), the model with its unit, field and result report,
    the criteria with this sheet's scores and running totals (``sheet_criteria``), the
    attachments. No query joins more than six tables: one query of sixteen cost PostgreSQL
    more to plan than to run (docs/performance.md).

    Returns ``sheet``, ``assignment``, ``round``, ``dvk_model`` (unit, field),
    ``result_report`` (or None), ``attachments``, ``rubric``, ``criteria`` (each annotated
    with ``score_points`` and ``score_comment`` of this sheet), ``groups`` (group heading,
    criteria), ``criteria_count``, ``scored_count``, ``total`` (points so far, summed in
    SQL), ``deadline``, ``is_assignee``, ``refusal`` (why the user cannot change the sheet
    now, or None), ``can_edit``, and ``peers``: the other reviewers' submitted sheets with
    their ``scores`` — for the assignee only as the round's visibility allows, always for
    the secretariat. Raises ``ScoreSheet.DoesNotExist`` when the user may not see it.
    """
    sheet = sheet_for(sheet_id=sheet_id, user=user)
    assignment = sheet.assignment
    round_ = assignment.round
    dvk_model = DvkModel.objects.select_related("unit", "field__parent", "result_report").get(
        round_entries=assignment.entry_id
    )
    rubric_id = round_.rubric_id_for(dvk_model.kind)
    criteria = sheet_criteria(sheet=sheet, rubric_id=rubric_id)
    if criteria:
        rubric = criteria[0].rubric
        total, scored = criteria[0].sheet_total, criteria[0].sheet_scored
    else:  # no rubric for the model's kind (or none of its criteria): nothing to score
        rubric, total, scored = Rubric.objects.filter(pk=rubric_id).first(), None, 0
    is_assignee = assignment.reviewer_id == user.pk
    show_peers = (
        not is_assignee
        or round_.visibility == Visibility.ALWAYS
        or (round_.visibility == Visibility.AFTER_SUBMIT and sheet.is_submitted)
    )
    refusal = sheet_edit_refusal(sheet=sheet, user=user)
    return {
        "sheet": sheet,
        "assignment": assignment,
        "round": round_,
        "dvk_model": dvk_model,
        "result_report": getattr(dvk_model, "result_report", None),
        "attachments": list(dvk_model.attachments.all()),
        "rubric": rubric,
        "criteria": criteria,
        "groups": [(group, list(rows)) for group, rows in groupby(criteria, lambda c: c.group)],
        "criteria_count": len(criteria),
        "scored_count": scored,
        "total": total,
        "deadline": sheet_deadline(sheet),
        "is_assignee": is_assignee,
        "refusal": refusal,
        "can_edit": refusal is None,
        "peers": _peers(sheet=sheet, entry_id=assignment.entry_id) if show_peers else [],
    }
