"""Reads of the assignment page: one page of a round's entries with their reviewers, the
filters and sort applied in SQL, and the page's summary counted in SQL.

A row of the page is an entry (a model) with its reviewers, as the secretariat assigns
them: models are ticked for the bulk assignment, and a model short of reviewers is the row
to act on. Whatever the round's size the page reads the same queries: the round, the
summary, the committee, the page's count and rows, the page's assignments, and (when
there are any) the conflicts to decide.
"""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from danvan.db import vi_order
from danvan.models import User
from danvan.utils import fold_vietnamese

from ..enums import ConflictStatus, SheetStatus
from ..models import Assignment, CommitteeMember, Round, RoundEntry, ScoreSheet
from .rounds import rounds_visible_to
from .rubrics import count_of

# The entry filters of the page ("status"), each a condition on an entry's active
# assignments (of one reviewer when the reviewer filter is set too).
STATUS_SHORT = "short"  # fewer active reviewers than the round asks for
STATUS_BEHIND = "behind"  # a sheet not submitted yet
STATUS_DONE = "done"  # every reviewer there and every sheet submitted
STATUS_CONFLICT = "conflict"  # a declared conflict of interest waiting for a decision
STATUSES = (STATUS_SHORT, STATUS_BEHIND, STATUS_DONE, STATUS_CONFLICT)

SORT_UNIT = "unit"  # unit, then model (Vietnamese order): the default
SORT_NAME = "name"
SORT_PROGRESS = "progress"  # fewest sheets submitted first
SORT_REVIEWERS = "reviewers"  # fewest reviewers first
SORTS = (SORT_UNIT, SORT_NAME, SORT_PROGRESS, SORT_REVIEWERS)

CONFLICTS_SHOWN = 20


def assignment_round(*, round_id: int, user: User) -> Round:
    """The round of the assignment page with its campaign and scope unit (one query; its
    counts are ``assignment_summary``'s). Raises ``Round.DoesNotExist`` when the user may
    not see it."""
    return rounds_visible_to(user=user).select_related("campaign", "scope_unit").get(pk=round_id)


def _active(reviewer_id=None) -> QuerySet[Assignment]:
    """Active assignments of the outer entry (of one reviewer when given)."""
    qs = Assignment.objects.active().filter(entry=OuterRef("pk"))
    return qs.filter(reviewer_id=reviewer_id) if reviewer_id else qs


def _unsubmitted(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    # An active assignment without a sheet counts as not submitted.
    return qs.exclude(sheet__status=SheetStatus.SUBMITTED)


def _declared() -> QuerySet[Assignment]:
    return Assignment.objects.filter(entry=OuterRef("pk"), conflict_status=ConflictStatus.DECLARED)


# Positive forms of "active" and "not submitted" (a negation across the entry's
# assignments would turn into a subquery per row): one join, one GROUP BY.
ACTIVE_CONFLICT_STATUSES = [s for s in ConflictStatus.values if s != ConflictStatus.APPROVED]
OPEN_SHEET_STATUSES = [s for s in SheetStatus.values if s != SheetStatus.SUBMITTED]


def _active_on(path: str) -> Q:
    return Q(**{f"{path}conflict_status__in": ACTIVE_CONFLICT_STATUSES})


def _open_on(path: str) -> Q:
    """An active assignment whose sheet is not submitted (or missing)."""
    return _active_on(path) & (
        Q(**{f"{path}sheet__status__in": OPEN_SHEET_STATUSES}) | Q(**{f"{path}sheet__isnull": True})
    )


def assignment_summary(*, round: Round) -> dict:
    """The page's summary, counted in SQL in one query (one GROUP BY over the round's
    assignments and sheets, counted again over the entries): ``entries``, ``assignments``
    (active), sheets ``submitted``, ``in_progress`` and ``pending`` (of active assignments),
    ``conflicts`` (declared, to decide), and how many entries each status filter of the
    page matches: ``short``, ``behind``, ``done``, ``conflict``."""
    need = round.reviewers_per_model
    path = "assignments__"

    def sheets(status):
        return Count("assignments", filter=_active_on(path) & Q(assignments__sheet__status=status))

    per_entry = RoundEntry.objects.filter(round=round).annotate(
        active=Count("assignments", filter=_active_on(path)),
        open=Count("assignments", filter=_open_on(path)),
        declared=Count(
            "assignments", filter=Q(assignments__conflict_status=ConflictStatus.DECLARED)
        ),
        n_submitted=sheets(SheetStatus.SUBMITTED),
        n_in_progress=sheets(SheetStatus.IN_PROGRESS),
        n_pending=sheets(SheetStatus.PENDING),
    )
    summary = per_entry.aggregate(
        entries=Count("pk"),
        assignments=Sum("active"),
        submitted=Sum("n_submitted"),
        in_progress=Sum("n_in_progress"),
        pending=Sum("n_pending"),
        conflicts=Sum("declared"),
        short=Count("pk", filter=Q(active__lt=need)),
        behind=Count("pk", filter=Q(open__gt=0)),
        done=Count("pk", filter=Q(active__gte=need, open=0)),
        conflict=Count("pk", filter=Q(declared__gt=0)),
    )
    return {key: value or 0 for key, value in summary.items()}


def assignment_entries(
    *,
    round: Round,
    q: str = "",
    status: str = "",
    reviewer: int | None = None,
    unit: str = "",
    sort: str = SORT_UNIT,
) -> QuerySet[RoundEntry]:
    """The entries of ``round`` the page lists, filtered and sorted in SQL, with model and
    unit joined and annotated with ``active_count`` and ``submitted_count``.

    ``q`` matches the model (name, person, lead) or its unit, diacritics and case ignored
    (the folded ``search_text`` columns); ``unit`` the unit only. ``reviewer`` keeps the
    entries that reviewer actively scores, and the status applies to their sheet then
    (``behind``: their sheet is not submitted). ``sort`` is one of ``SORTS``.
    """
    active = _active()
    qs = (
        RoundEntry.objects.filter(round=round)
        .select_related("dvk_model__unit")
        .annotate(
            active_count=count_of(active, "entry"),
            submitted_count=count_of(active.filter(sheet__status=SheetStatus.SUBMITTED), "entry"),
        )
    )
    folded = fold_vietnamese(q)
    if folded:
        qs = qs.filter(
            Q(dvk_model__search_text__contains=folded)
            | Q(dvk_model__unit__search_text__contains=folded)
        )
    folded_unit = fold_vietnamese(unit)
    if folded_unit:
        qs = qs.filter(dvk_model__unit__search_text__contains=folded_unit)
    mine = _active(reviewer)
    if reviewer:
        qs = qs.filter(Exists(mine))
    if status == STATUS_SHORT:
        qs = qs.filter(active_count__lt=round.reviewers_per_model)
    elif status == STATUS_BEHIND:
        qs = qs.filter(Exists(_unsubmitted(mine)))
    elif status == STATUS_DONE:
        qs = qs.filter(active_count__gte=round.reviewers_per_model).exclude(
            Exists(_unsubmitted(mine))
        )
    elif status == STATUS_CONFLICT:
        declared = _declared()
        qs = qs.filter(Exists(declared.filter(reviewer_id=reviewer) if reviewer else declared))
    by_unit = (vi_order("dvk_model__unit__name"), vi_order("dvk_model__name"), "pk")
    order = {
        SORT_NAME: (vi_order("dvk_model__name"), "pk"),
        SORT_PROGRESS: ("submitted_count", *by_unit),
        SORT_REVIEWERS: ("active_count", *by_unit),
    }.get(sort, by_unit)
    return qs.order_by(*order)


def with_assignments(entries: list[RoundEntry]) -> list[tuple[int, str]]:
    """Give each entry of a page its ``assignment_list`` (reviewer and sheet, all states;
    an approved conflict shows as such; reviewers in Vietnamese order) in one query, and
    return the page's submitted sheets as ``(sheet id, label)`` — those the page offers to
    reopen."""
    by_entry = {entry.pk: entry for entry in entries}
    for entry in entries:
        entry.assignment_list = []
    if not entries:
        return []
    rows = (
        Assignment.objects.filter(entry__in=list(by_entry))
        .select_related("reviewer", "sheet")
        .order_by(vi_order("reviewer__full_name"), "pk")
    )
    submitted = []
    for assignment in rows:
        entry = by_entry[assignment.entry_id]
        entry.assignment_list.append(assignment)
        sheet = sheet_of(assignment)
        if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
            submitted.append((sheet.pk, f"{entry.dvk_model} — {assignment.reviewer}"))
    return submitted


def conflicts_to_decide(*, round: Round, limit: int = CONFLICTS_SHOWN) -> list[Assignment]:
    """The first ``limit`` declared conflicts of ``round`` with reviewer, model and unit
    (one query); the page's "conflict" filter lists the entries of all of them."""
    return list(
        Assignment.objects.filter(round=round, conflict_status=ConflictStatus.DECLARED)
        .select_related("reviewer", "entry__dvk_model__unit")
        .order_by("pk")[:limit]
    )


def round_reviewers(*, round: Round) -> list[CommitteeMember]:
    """The active members of the committees of the round's scope unit, each with ``load``
    (active assignments in the round), user and unit, least loaded first (one query)."""
    return list(
        CommitteeMember.objects.filter(committee__unit_id=round.scope_unit_id, active=True)
        .select_related("user", "user__unit", "committee")
        .annotate(
            load=count_of(
                Assignment.objects.active().filter(round=round, reviewer=OuterRef("user")),
                "reviewer",
            )
        )
        .order_by("load", vi_order("user__full_name"), "pk")
    )


def sheet_of(assignment) -> ScoreSheet | None:
    """The prefetched sheet, or None (an approved conflict's sheet may be deleted)."""
    try:
        return assignment.sheet
    except ScoreSheet.DoesNotExist:
        return None
