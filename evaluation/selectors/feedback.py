"""A finalised result as its unit reads it: tier, score, rank of N, and — when the round
allows it — the average points per criterion and the reviewers' comments, never their names.

Who may read a result (``results_visible_to``): the officers, leaders and secretariat whose
subtree holds the model's unit (``results_for_unit``), the secretariat and leaders whose
subtree holds the round (``evaluation.view_results``), administrators. Committee members as
such do not: a reviewer reads the sheets they scored, not the outcome of the model.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from danvan.enums import Role
from danvan.models import User
from danvan.selectors import units_visible_to
from danvan.utils import vietnamese_sort_key
from models_registry.models import DvkModel

from ..enums import RoundStatus, RubricAppliesTo, SheetStatus
from ..models import Criterion, CriterionScore, Result, ScoreSheet
from ..models.rounds import active_assignment_q
from .criteria import CriterionStat, criterion_stats, round_criteria
from .results import results_for_unit

# Roles that read their subtree's models' results, and those that also read the rounds
# run in their subtree (the rule ``evaluation.view_results``).
_UNIT_READERS = (Role.UNIT_OFFICER, Role.LEADER, Role.SECRETARIAT)
_ROUND_READERS = (Role.LEADER, Role.SECRETARIAT)


def _group(prefix: str = "") -> Case:
    """The rubric group of a result's model (``RubricAppliesTo.for_kind``): 1 individuals,
    0 collectives — as ``final_results`` orders them."""
    return Case(
        When(
            **{f"{prefix}dvk_model__kind__in": RubricAppliesTo.INDIVIDUAL.model_kinds},
            then=Value(1),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


def with_ranked_count(qs: QuerySet[Result]) -> QuerySet[Result]:
    """``qs`` annotated with ``ranked_count``: how many results of the same round and rubric
    group have a rank (the N of "rank 3 of N"), in the same query."""
    ranked = (
        Result.objects.filter(round=OuterRef("round"), rank__isnull=False)
        .annotate(peer_group=_group())
        .filter(peer_group=OuterRef("rubric_group"))
        .order_by()
        .values("round")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(rubric_group=_group()).annotate(
        ranked_count=Coalesce(Subquery(ranked, output_field=IntegerField()), Value(0))
    )


def results_visible_to(*, user: User) -> QuerySet[Result]:
    """The finalised results ``user`` may read with their feedback (see the module).

    Plain queryset (no joins); the group query of ``user.has_role`` is the only other read.
    """
    qs = Result.objects.filter(round__status=RoundStatus.FINALISED)
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    allowed = Q(pk__in=[])
    if any(user.has_role(role) for role in _UNIT_READERS):
        allowed |= Q(pk__in=results_for_unit(user=user).values("pk"))
    if any(user.has_role(role) for role in _ROUND_READERS) and user.scope_unit_id:
        allowed |= Q(round__scope_unit__in=units_visible_to(user=user).values("pk"))
    return qs.filter(allowed)


def results_of_model(*, dvk_model: DvkModel, user: User) -> list[Result]:
    """The finalised results of ``dvk_model`` that ``user`` may read, oldest round first,
    each with its round (and campaign) and ``ranked_count`` (one query)."""
    qs = results_visible_to(user=user).filter(dvk_model=dvk_model)
    return list(
        with_ranked_count(qs)
        .select_related("round", "round__campaign", "round__scope_unit")
        .order_by("round__finalised_at", "pk")
    )


@dataclass(frozen=True)
class CriterionFeedback:
    """One criterion as the unit reads it: the mean points of the counted sheets out of
    ``criterion.max_points``, and their non-empty comments (alphabetical, unsigned)."""

    criterion: Criterion
    stat: CriterionStat | None
    comments: list[str]

    @property
    def percent(self) -> int | None:
        """The mean as a whole per cent of the criterion's maximum (None when unscored)."""
        if self.stat is None or not self.criterion.max_points:
            return None
        share = self.stat.mean * 100 / self.criterion.max_points
        return int(max(Decimal(0), min(share, Decimal(100))).to_integral_value())


def _sorted(texts) -> list[str]:
    """Comments in alphabetical order: nothing in the order ties a comment on one criterion
    to a comment on another, so a unit cannot put them together into one reviewer."""
    return sorted((t.strip() for t in texts if t and t.strip()), key=vietnamese_sort_key)


def result_feedback(*, result_id: int, user: User) -> dict:
    """The feedback page of one finalised result.

    Returns ``result`` (round, campaign, model and unit joined; ``ranked_count``),
    ``dvk_model``, ``round``, ``detailed`` (the round's ``feedback_to_units``), and when
    detailed: ``criteria`` [CriterionFeedback in rubric order], ``overall_comments`` (the
    counted sheets' overall comments, alphabetical), ``sheet_count``. Nothing names or
    numbers a reviewer. Five queries at most, whatever the number of sheets and criteria.

    Raises ``Result.DoesNotExist`` when the result is not finalised or not visible to
    ``user``.
    """
    result = (
        with_ranked_count(results_visible_to(user=user))
        .select_related(
            "round", "round__campaign", "round__scope_unit", "dvk_model", "dvk_model__unit"
        )
        .get(pk=result_id)
    )
    round_ = result.round
    context = {
        "result": result,
        "dvk_model": result.dvk_model,
        "round": round_,
        "detailed": round_.feedback_to_units,
        "criteria": [],
        "overall_comments": [],
        "sheet_count": result.sheet_count,
    }
    if not round_.feedback_to_units:
        return context
    group = RubricAppliesTo.for_kind(result.dvk_model.kind).value
    criteria = round_criteria(round=round_)[group]
    stats = criterion_stats(round=round_, entry_ids=[result.entry_id]).get(result.entry_id, {})
    counted = Q(
        active_assignment_q("sheet__assignment__"),
        sheet__assignment__entry_id=result.entry_id,
        sheet__status=SheetStatus.SUBMITTED,
    )
    comments: dict[int, list[str]] = {}
    for criterion_id, comment in (
        CriterionScore.objects.filter(counted)
        .exclude(comment="")
        .order_by()
        .values_list("criterion_id", "comment")
    ):
        comments.setdefault(criterion_id, []).append(comment)
    overall = (
        ScoreSheet.objects.filter(
            active_assignment_q("assignment__"),
            assignment__entry_id=result.entry_id,
            status=SheetStatus.SUBMITTED,
        )
        .exclude(overall_comment="")
        .order_by()
        .values_list("overall_comment", flat=True)
    )
    context["criteria"] = [
        CriterionFeedback(
            criterion=criterion,
            stat=stats.get(criterion.pk),
            comments=_sorted(comments.get(criterion.pk, [])),
        )
        for criterion in criteria
    ]
    context["overall_comments"] = _sorted(overall)
    return context
