"""Reads of results: live (the secretariat's), finalised (leaders'), a unit's own."""

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from danvan.db import vi_order
from danvan.models import User
from danvan.selectors import units_visible_to
from models_registry.models import Campaign, Field

from ..enums import ConflictStatus, RoundStatus, RubricAppliesTo
from ..models import Assignment, Result, Round, Tier
from .aggregation import EntryResult, entry_results
from .reviewers import ReviewerStat, reviewer_results


def round_results(
    *,
    round: Round,
    unit_kind: str | None = None,
    field: Field | int | None = None,
    model_kind: str | None = None,
    tier: Tier | int | None = None,
) -> list[EntryResult]:
    """The live results of every entry of ``round``, computed in SQL (four queries).

    Each ``EntryResult``: ``dvk_model`` (unit, field), ``applies_to``, ``sheet_count``,
    ``raw_score`` (the round's aggregation over submitted totals), ``calibrated_score``,
    ``score_used`` (per ``rank_by``), ``min_score``, ``max_score``, ``spread``, ``stddev``,
    ``disagreement``, ``tier``, ``rank`` (ties share it; ranked within collectives or
    individuals), ``recognised`` and ``in_top_tier``. Filters keep each row's rank in the
    whole round. No reviewer is named. See ``selectors.aggregation``.
    """
    return entry_results(
        round=round, unit_kind=unit_kind, field=field, model_kind=model_kind, tier=tier
    )


def reviewer_stats(*, round: Round) -> list[ReviewerStat]:
    """Per reviewer of ``round``: ``assigned``, ``submitted``, ``conflicts_declared``,
    ``mean_given``, ``min_given``, ``max_given``, ``spread``, ``stddev_given``,
    ``vs_panel`` and ``vs_entries`` (how far above the panel mean and the means of their own
    entries they score). Two queries. Names reviewers: the secretariat only."""
    return reviewer_results(round=round)


def final_results(
    *,
    round: Round,
    unit_kind: str | None = None,
    field: Field | int | None = None,
    model_kind: str | None = None,
    tier_name: str | None = None,
    recognised: bool | None = None,
    exemplary: bool | None = None,
) -> QuerySet[Result]:
    """The finalised results of ``round`` with model, unit and field (one query), in the
    order of the live results: collectives then individuals, each by rank with unscored
    entries last, ties by entry — the same on SQLite and PostgreSQL (explicit NULLS LAST)."""
    qs = Result.objects.filter(round=round).select_related(
        "dvk_model", "dvk_model__unit", "dvk_model__field", "entry"
    )
    if unit_kind:
        qs = qs.filter(dvk_model__unit__kind=unit_kind)
    if model_kind:
        qs = qs.filter(dvk_model__kind=model_kind)
    if field:
        pk = getattr(field, "pk", field)
        qs = qs.filter(Q(dvk_model__field_id=pk) | Q(dvk_model__field__parent_id=pk))
    if tier_name:
        qs = qs.filter(tier_name=tier_name)
    if recognised is not None:
        qs = qs.filter(recognised=recognised)
    if exemplary is not None:
        qs = qs.filter(exemplary=exemplary)
    # The rubric group of the model's kind (``RubricAppliesTo.for_kind``), as in the live list.
    group = Case(
        When(dvk_model__kind__in=RubricAppliesTo.INDIVIDUAL.model_kinds, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return qs.order_by(group, F("rank").asc(nulls_last=True), "entry_id", "pk")


def final_policy(*, round: Round) -> dict:
    """The aggregation and ranking a finalised round's results were computed with, as
    captured in its ``Result`` rows (later changes to the round's settings do not count):
    ``aggregation`` and ``rank_by`` (codes) with their labels ``aggregation_label`` and
    ``rank_by_label``. One query, none when the round was read with its snapshot
    (``round_for_results``: ``snapshot_aggregation``, ``snapshot_rank_by``); the round's
    settings for a round without results."""
    if getattr(round, "snapshot_aggregation", None):
        snapshot = {"aggregation": round.snapshot_aggregation, "rank_by": round.snapshot_rank_by}
    else:
        snapshot = (
            Result.objects.filter(round=round)
            .order_by("pk")
            .values("aggregation", "rank_by")
            .first()
        ) or {"aggregation": round.aggregation, "rank_by": round.rank_by}
    labels = {
        "aggregation": dict(Result._meta.get_field("aggregation").flatchoices),
        "rank_by": dict(Result._meta.get_field("rank_by").flatchoices),
    }
    return {
        **snapshot,
        "aggregation_label": labels["aggregation"].get(snapshot["aggregation"], ""),
        "rank_by_label": labels["rank_by"].get(snapshot["rank_by"], ""),
    }


def live_policy(*, round: Round) -> dict:
    """The policy an open round's live results follow (its settings), shaped like
    ``final_policy``."""
    return {
        "aggregation": round.aggregation,
        "rank_by": round.rank_by,
        "aggregation_label": round.get_aggregation_display(),
        "rank_by_label": round.get_rank_by_display(),
    }


def pending_conflicts(*, round: Round) -> QuerySet[Assignment]:
    """Assignments of ``round`` whose conflict of interest is declared but not decided, with
    reviewer and model (one query): they must be decided before finalising."""
    return (
        Assignment.objects.filter(round=round, conflict_status=ConflictStatus.DECLARED)
        .select_related("reviewer", "entry__dvk_model__unit")
        .order_by("conflict_declared_at", "pk")
    )


def results_for_unit(*, user: User, campaign: Campaign | None = None) -> QuerySet[Result]:
    """The finalised results of the models of the user's unit subtree in ``campaign`` (every
    campaign when None, newest first).

    Only ``Result`` rows of finalised rounds, which name no reviewer (one query).
    """
    qs = Result.objects.filter(round__status=RoundStatus.FINALISED)
    if campaign is not None:
        qs = qs.filter(round__campaign=campaign)
    if not user.is_superuser:
        if user.scope_unit_id is None:
            return qs.none()
        qs = qs.filter(dvk_model__unit__in=units_visible_to(user=user).values("pk"))
    return qs.select_related(
        "round", "round__campaign", "round__scope_unit", "dvk_model", "dvk_model__unit"
    ).order_by("-round__campaign__year", vi_order("dvk_model__name"), "round__scoring_opens", "pk")
