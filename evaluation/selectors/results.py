"""Reads of results: live (the secretariat's), finalised (leaders'), a unit's own."""

from django.db.models import Q, QuerySet

from danvan.models import User
from danvan.selectors import units_visible_to
from models_registry.models import Campaign, Field

from .. import aggregation
from ..enums import RoundStatus
from ..models import Result, Round, Tier


def round_results(
    *,
    round: Round,
    unit_kind: str | None = None,
    field: Field | int | None = None,
    model_kind: str | None = None,
    tier: Tier | int | None = None,
) -> list[aggregation.EntryResult]:
    """The live results of every entry of ``round``, computed in SQL (four queries).

    Each ``EntryResult``: ``dvk_model`` (unit, field), ``applies_to``, ``sheet_count``,
    ``raw_score`` (the round's aggregation over submitted totals), ``calibrated_score``,
    ``score_used`` (per ``rank_by``), ``min_score``, ``max_score``, ``spread``, ``stddev``,
    ``disagreement``, ``tier``, ``rank`` (ties share it; ranked within collectives or
    individuals), ``recognised`` and ``in_top_tier``. Filters keep each row's rank in the
    whole round. No reviewer is named. See ``evaluation.aggregation``.
    """
    return aggregation.entry_results(
        round=round, unit_kind=unit_kind, field=field, model_kind=model_kind, tier=tier
    )


def reviewer_stats(*, round: Round) -> list[aggregation.ReviewerStat]:
    """Per reviewer of ``round``: ``assigned``, ``submitted``, ``conflicts_declared``,
    ``mean_given``, ``min_given``, ``max_given``, ``spread``, ``stddev_given``,
    ``vs_panel`` and ``vs_entries`` (how far above the panel mean and the means of their own
    entries they score). Two queries. Names reviewers: the secretariat only."""
    return aggregation.reviewer_results(round=round)


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
    """The finalised results of ``round`` by rank, with model, unit and field (one query)."""
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
    return qs.order_by("rank", "dvk_model__name", "pk")


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
    ).order_by("-round__campaign__year", "dvk_model__name", "round__scoring_opens", "pk")
