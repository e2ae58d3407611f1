"""Reads of rounds, their entries and assignments (the secretariat's and leaders' views)."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from danvan.db import vi_order
from danvan.enums import Role
from danvan.models import User
from danvan.selectors import units_visible_to

from ..eligibility import Panel
from ..enums import ConflictStatus, SheetStatus
from ..models import (
    Assignment,
    CommitteeMember,
    Round,
    RoundEntry,
    ScoreSheet,
    active_assignment_q,
)
from .rubrics import count_of

# An entry's active reviewers, counted through the ``assignments`` relation.
ACTIVE_ON_ENTRY = active_assignment_q("assignments__")


def rounds_visible_to(*, user: User) -> QuerySet[Round]:
    """Rounds run in the secretariat's or leader's scope, and rounds where the user reviews."""
    qs = Round.objects.all()
    if user.is_superuser:
        return qs
    visible = Q(Exists(Assignment.objects.active().filter(round=OuterRef("pk"), reviewer=user)))
    if user.scope_unit_id is not None and (
        user.has_role(Role.SECRETARIAT) or user.has_role(Role.LEADER)
    ):
        visible |= Q(scope_unit__in=units_visible_to(user=user).values("pk"))
    return qs.filter(visible)


def _with_counts(qs: QuerySet[Round]) -> QuerySet[Round]:
    pk = OuterRef("pk")
    sheets = ScoreSheet.objects.filter(active_assignment_q("assignment__"), assignment__round=pk)
    return qs.annotate(
        entry_count=count_of(RoundEntry.objects.filter(round=pk), "round"),
        assignment_count=count_of(Assignment.objects.active().filter(round=pk), "round"),
        submitted_count=count_of(sheets.filter(status=SheetStatus.SUBMITTED), "assignment__round"),
        in_progress_count=count_of(
            sheets.filter(status=SheetStatus.IN_PROGRESS), "assignment__round"
        ),
        pending_count=count_of(sheets.filter(status=SheetStatus.PENDING), "assignment__round"),
        conflicts_pending=count_of(
            Assignment.objects.filter(round=pk, conflict_status=ConflictStatus.DECLARED), "round"
        ),
    )


def round_list(*, user: User, campaign=None) -> QuerySet[Round]:
    """Rounds the user may see, newest first, each with ``entry_count``,
    ``assignment_count`` (active), ``pending_count``, ``in_progress_count``,
    ``submitted_count`` (sheets) and ``conflicts_pending`` — one query for the page."""
    qs = rounds_visible_to(user=user).select_related("campaign", "scope_unit")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return _with_counts(qs).order_by("-scoring_opens", "-pk")


def round_detail(*, round_id: int, user: User) -> dict:
    """A round with its settings and progress (four queries).

    Returns ``round`` (annotated as in ``round_list``, with campaign, scope unit, rubrics
    and finaliser), ``nominated_from`` (rounds), ``short_entries`` (entries with fewer
    active reviewers than required) and ``rubrics`` (``{"collective": …, "individual": …}``).
    Raises ``Round.DoesNotExist`` when the user may not see it.
    """
    round_ = (
        _with_counts(rounds_visible_to(user=user))
        .select_related(
            "campaign", "scope_unit", "rubric_collective", "rubric_individual", "finalised_by"
        )
        .get(pk=round_id)
    )
    short = (
        RoundEntry.objects.filter(round=round_)
        .annotate(active=Count("assignments", filter=ACTIVE_ON_ENTRY))
        .filter(active__lt=round_.reviewers_per_model)
        .count()
    )
    return {
        "round": round_,
        "nominated_from": list(round_.nominated_from.select_related("scope_unit")),
        "short_entries": short,
        "rubrics": {
            "collective": round_.rubric_collective,
            "individual": round_.rubric_individual,
        },
    }


def round_entries(*, round: Round) -> QuerySet[RoundEntry]:
    """The entries of a round with their model, unit and field (for lists and filters)."""
    return (
        RoundEntry.objects.filter(round=round)
        .select_related("dvk_model", "dvk_model__unit", "dvk_model__field")
        .order_by(vi_order("dvk_model__unit__name"), vi_order("dvk_model__name"), "pk")
    )


def assignment_matrix(*, round: Round) -> dict:
    """Who scores what in ``round`` (three queries, whatever its size).

    Returns ``entries`` — each with ``assignment_list`` (reviewer and sheet, all states;
    an approved conflict shows as such) and ``active_count`` — and ``reviewers``: the
    active members of the round's committees, each with ``load`` (active assignments in
    the round), role and unit, least loaded first; plus ``reviewers_per_model``,
    ``conflicts`` (``(entry, assignment)`` pairs whose conflict is declared, to decide) and
    ``submitted_sheets`` (``(sheet id, label)`` pairs: the sheets that may be reopened).
    """
    entries = (
        round_entries(round=round)
        .annotate(active_count=Count("assignments", filter=ACTIVE_ON_ENTRY))
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("reviewer", "sheet").order_by(
                    vi_order("reviewer__full_name"), "pk"
                ),
                to_attr="assignment_list",
            )
        )
    )
    members = (
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
    entries = list(entries)
    conflicts, submitted = [], []
    for entry in entries:
        for assignment in entry.assignment_list:
            if assignment.conflict_status == ConflictStatus.DECLARED:
                conflicts.append((entry, assignment))
            sheet = _sheet_of(assignment)
            if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
                submitted.append((sheet.pk, f"{entry.dvk_model} — {assignment.reviewer}"))
    return {
        "entries": entries,
        "reviewers": list(members),
        "reviewers_per_model": round.reviewers_per_model,
        "conflicts": conflicts,
        "submitted_sheets": submitted,
    }


def _sheet_of(assignment) -> ScoreSheet | None:
    """The prefetched sheet, or None (an approved conflict's sheet may be deleted)."""
    try:
        return assignment.sheet
    except ScoreSheet.DoesNotExist:
        return None


def assignment_candidates(*, entry: RoundEntry) -> list[dict]:
    """The committee's members for one entry's "add a reviewer" choice (seven queries).

    Each row: ``member`` (with user and unit), ``load``, ``follows`` (the member follows the
    model's locality), ``reason`` (why they cannot take it, or None). Eligible and
    least-loaded first.
    """
    round_ = entry.round
    panel = Panel.load(round_, entry_ids=[entry.pk])
    loads = panel.loads()
    follows = panel.follows(entry.pk)
    members = CommitteeMember.objects.filter(
        committee__unit_id=round_.scope_unit_id, active=True, user__is_active=True
    ).select_related("user", "user__unit")
    rows = []
    seen = set()
    for member in members:
        if member.user_id in seen:
            continue
        seen.add(member.user_id)
        rows.append(
            {
                "member": member,
                "load": loads.get(member.user_id, 0),
                "follows": member.user_id in follows,
                "reason": panel.refusal(entry.pk, member.user),
            }
        )
    return sorted(
        rows,
        key=lambda row: (
            row["reason"] is not None,
            row["load"],
            not row["follows"],
            str(row["member"].user),
        ),
    )
