"""Reads of rounds, their entries and assignments (the secretariat's and leaders' views)."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from danvan.db import vi_order
from danvan.enums import Role
from danvan.models import User
from danvan.selectors import UnitWithin

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


def rounds_visible_to(*, user: User) -> QuerySet[Round]:
    """Rounds run in the secretariat's or leader's scope, and rounds where the user reviews."""
    qs = Round.objects.all()
    if user.is_superuser:
        return qs
    visible = Q(Exists(Assignment.objects.active().filter(round=OuterRef("pk"), reviewer=user)))
    if user.scope_unit_id is not None and (
        user.has_role(Role.SECRETARIAT) or user.has_role(Role.LEADER)
    ):
        visible |= Q(UnitWithin("scope_unit_id", user.scope_unit_id))
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


def with_entry_count(qs: QuerySet[Round]) -> QuerySet[Round]:
    """Rounds annotated with ``entry_count`` (an index-only count per round)."""
    return qs.annotate(
        entry_count=count_of(RoundEntry.objects.filter(round=OuterRef("pk")), "round")
    )


def add_progress(round_: Round) -> Round:
    """Set on ``round_`` the progress counts of ``round_list`` — ``assignment_count``
    (active), ``submitted_count``, ``in_progress_count``, ``pending_count`` (sheets of
    active assignments) and ``conflicts_pending`` — from one pass over the round's
    assignments and their sheets (one query). Returns ``round_``."""
    active = active_assignment_q()

    def sheets(status):
        return Count("pk", filter=active & Q(sheet__status=status))

    counts = Assignment.objects.filter(round=round_).aggregate(
        assignment_count=Count("pk", filter=active),
        submitted_count=sheets(SheetStatus.SUBMITTED),
        in_progress_count=sheets(SheetStatus.IN_PROGRESS),
        pending_count=sheets(SheetStatus.PENDING),
        conflicts_pending=Count("pk", filter=Q(conflict_status=ConflictStatus.DECLARED)),
    )
    for name, value in counts.items():
        setattr(round_, name, value or 0)
    return round_


def round_detail(*, round_id: int, user: User) -> dict:
    """A round with its settings and progress (four queries).

    Returns ``round`` (with ``entry_count`` and the counts of ``add_progress``, campaign,
    scope unit, rubrics and finaliser), ``nominated_from`` (rounds), ``short_entries``
    (entries with fewer active reviewers than required) and ``rubrics``
    (``{"collective": …, "individual": …}``). Raises ``Round.DoesNotExist`` when the user
    may not see it.
    """
    round_ = add_progress(
        with_entry_count(rounds_visible_to(user=user))
        .select_related(
            "campaign", "scope_unit", "rubric_collective", "rubric_individual", "finalised_by"
        )
        .get(pk=round_id)
    )
    # Entries with enough active reviewers, counted from the assignments alone: the others
    # (none at all included) are short.
    staffed = (
        Assignment.objects.active()
        .filter(round=round_)
        .values("entry_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=round_.reviewers_per_model)
        .count()
    )
    short = round_.entry_count - staffed
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
