"""Reads of rubrics and committees."""

from itertools import groupby

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from danvan.db import vi_order
from danvan.enums import UnitKind
from danvan.models import Unit, User
from danvan.selectors import unit_ancestor_ids, units_in_scope, units_visible_to

from ..models import Committee, CommitteeMember, Criterion, CriterionScore, Round, Rubric, Tier

# The units that run campaigns' rounds, organise rubrics and have a Steering Committee.
MANAGING_KINDS = [UnitKind.PROVINCE, UnitKind.COMMUNE]


def count_of(queryset: QuerySet, field: str, expression=None, output_field=None):
    """A correlated ``COUNT`` (or another aggregate) of ``queryset`` grouped by ``field``, as
    an annotation that is 0 when nothing matches (no join fan-out, one query overall)."""
    expression = expression or Count("pk")
    output_field = output_field or IntegerField()
    subquery = queryset.order_by().values(field).annotate(value=expression).values("value")
    return Coalesce(Subquery(subquery, output_field=output_field), 0, output_field=output_field)


def rubric_is_frozen(*, rubric: Rubric) -> bool:
    """A rubric is frozen once any round using it has a score on one of its criteria."""
    return CriterionScore.objects.filter(criterion__rubric=rubric).exists()


def rubrics_visible_to(*, user: User) -> QuerySet[Rubric]:
    """Rubrics of units in the user's scope, and of the units above them (a commune may
    reuse or clone the province's)."""
    qs = Rubric.objects.all()
    if user.is_superuser:
        return qs
    if user.scope_unit_id is None:
        return qs.none()
    above = unit_ancestor_ids(unit=user.unit)
    return qs.filter(
        Q(organiser__in=units_visible_to(user=user).values("pk")) | Q(organiser_id__in=above)
    )


def _rubric_annotations(qs: QuerySet[Rubric]) -> QuerySet[Rubric]:
    pk = OuterRef("pk")
    return qs.annotate(
        criteria_count=count_of(Criterion.objects.filter(rubric=pk), "rubric"),
        criteria_points=count_of(
            Criterion.objects.filter(rubric=pk),
            "rubric",
            Sum("max_points"),
            DecimalField(max_digits=7, decimal_places=1),
        ),
        tier_count=count_of(Tier.objects.filter(rubric=pk), "rubric"),
        round_count=count_of(Round.objects.filter(rubric_collective=pk), "rubric_collective")
        + count_of(Round.objects.filter(rubric_individual=pk), "rubric_individual"),
        is_frozen=Exists(CriterionScore.objects.filter(criterion__rubric=pk)),
    )


def rubric_list(*, user: User, campaign=None) -> QuerySet[Rubric]:
    """The rubrics the user may read, newest first, each with ``criteria_count``,
    ``criteria_points`` (their sum), ``tier_count``, ``round_count`` and ``is_frozen`` —
    annotated in SQL (one query for the page)."""
    qs = rubrics_visible_to(user=user).select_related("organiser", "campaign", "previous_version")
    if campaign is not None:
        qs = qs.filter(Q(campaign=campaign) | Q(campaign__isnull=True))
    return _rubric_annotations(qs).order_by("-created_at", "-pk")


def rubric_detail(*, rubric_id: int, user: User) -> dict:
    """A rubric with its criteria and tiers, for its page and its formsets (three queries).

    Returns ``rubric`` (annotated as in ``rubric_list``), ``criteria``, ``groups`` (pairs of
    group heading and its criteria, in order) and ``tiers`` (highest first). Raises
    ``Rubric.DoesNotExist`` outside the user's scope.
    """
    rubric = (
        _rubric_annotations(rubrics_visible_to(user=user))
        .select_related("organiser", "campaign", "previous_version", "created_by")
        .get(pk=rubric_id)
    )
    criteria = list(rubric.criteria.order_by("position", "pk"))
    return {
        "rubric": rubric,
        "criteria": criteria,
        "groups": [(group, list(rows)) for group, rows in groupby(criteria, lambda c: c.group)],
        "tiers": list(rubric.tiers.order_by("-min_score")),
    }


# --- Committees ---------------------------------------------------------------------------


def committee_list(*, user: User) -> QuerySet[Committee]:
    """Committees of units in the user's scope, with ``member_count`` (active members)."""
    qs = Committee.objects.select_related("unit")
    if not user.is_superuser:
        qs = qs.filter(unit__in=units_visible_to(user=user).values("pk"))
    return qs.annotate(
        member_count=count_of(
            CommitteeMember.objects.filter(committee=OuterRef("pk"), active=True), "committee"
        )
    ).order_by(vi_order("unit__name"), vi_order("name"))


def committee_detail(*, committee_id: int, user: User) -> dict:
    """A committee with its members (person, unit, role, followed localities): three
    queries. Returns ``committee`` and ``members`` (active first). Raises
    ``Committee.DoesNotExist`` outside the user's scope."""
    committee = committee_list(user=user).get(pk=committee_id)
    members = list(
        committee.members.select_related("user", "user__unit")
        .prefetch_related("followed_units")
        .order_by("-active", "role", vi_order("user__full_name"), "pk")
    )
    return {"committee": committee, "members": members}


def managing_units(*, user: User) -> QuerySet[Unit]:
    """Active provinces and communes in the user's scope: who may organise a rubric, run a
    round or have a committee (the choices of those forms)."""
    return (
        units_in_scope(user=user)
        .filter(kind__in=MANAGING_KINDS, active=True)
        .order_by("kind", vi_order("name"))
    )


def committee_candidates(*, user: User) -> QuerySet[User]:
    """Active people of the units in the user's scope, with their unit, by name: who may
    be added to a committee."""
    return (
        User.objects.filter(is_active=True, unit__in=units_in_scope(user=user))
        .select_related("unit")
        .order_by(vi_order("full_name"), "username")
    )


def followable_units(*, user: User) -> QuerySet[Unit]:
    """Active localities in the user's scope that a committee member may follow (not the
    province, its districts or residential groups)."""
    return (
        units_in_scope(user=user)
        .filter(active=True)
        .exclude(kind__in=[UnitKind.DISTRICT, UnitKind.RESIDENTIAL, UnitKind.PROVINCE])
        .order_by("kind", vi_order("name"))
    )
