"""Every read of the awards stage, with its query shape and visibility."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from danvan.models import Unit, User
from danvan.selectors import filter_to_scope
from models_registry.models import DvkModel

from .enums import DecisionStatus
from .models import Award, AwardType, Decision, HonouringEvent, Proposal


def award_types_active() -> QuerySet[AwardType]:
    return AwardType.objects.filter(active=True).order_by("position", "name")


def _awards() -> QuerySet[Award]:
    return Award.objects.select_related(
        "decision", "decision__issuer", "award_type", "dvk_model", "unit", "campaign"
    ).with_is_revoked()


def model_lineage_ids(*, dvk_model: DvkModel) -> list[int]:
    """The model and every model it continues or that continues it (carried over, "duy
    trì", across years): one query per year of the chain."""
    ids = {dvk_model.pk}
    frontier = {dvk_model.pk}
    while frontier:
        linked = DvkModel.objects.filter(
            Q(pk__in=DvkModel.objects.filter(pk__in=frontier).values("predecessor_id"))
            | Q(predecessor_id__in=frontier)
        ).values_list("pk", flat=True)
        frontier = set(linked) - ids
        ids |= frontier
    return sorted(ids)


def awards_for_model(*, dvk_model: DvkModel) -> QuerySet[Award]:
    """Awards of the model and its carried-over lineage, of issued or revoked decisions
    (``revoked_any`` annotated, read by ``Award.is_revoked``: revoked ones show as revoked), newest first."""
    return (
        _awards()
        .filter(dvk_model_id__in=model_lineage_ids(dvk_model=dvk_model))
        .exclude(decision__status=DecisionStatus.DRAFT)
        .order_by("-decision__date", "position", "pk")
    )


def awards_for_unit(*, unit: Unit) -> QuerySet[Award]:
    """The unit's collective and individual awards and the awards of its models."""
    return (
        _awards()
        .filter(Q(unit=unit) | Q(dvk_model__unit=unit))
        .exclude(decision__status=DecisionStatus.DRAFT)
        .order_by("-decision__date", "position", "pk")
    )


def decisions_visible_to(*, user: User) -> QuerySet[Decision]:
    """Decisions whose issuer lies in the user's scope, with their award count."""
    qs = Decision.objects.select_related("issuer").annotate(award_count=Count("awards"))
    return filter_to_scope(qs, user=user, unit_field="issuer").order_by("-date", "-number")


def proposals_visible_to(*, user: User) -> QuerySet[Proposal]:
    qs = Proposal.objects.select_related("campaign", "round", "unit").annotate(
        line_count=Count("lines")
    )
    return filter_to_scope(qs, user=user).order_by("-created_at", "-pk")


def awards_visible_to(*, user: User) -> QuerySet[Award]:
    """Awards a user may read: those of decisions in scope (secretariat, leaders), and a
    unit officer's own units' awards (recipient unit or model unit in scope) once issued."""
    if user.is_superuser:
        return _awards()
    if user.scope_unit_id is None:
        return Award.objects.none()
    by_issuer = filter_to_scope(Award.objects.all(), user=user, unit_field="decision__issuer")
    by_unit = filter_to_scope(Award.objects.all(), user=user, unit_field="unit")
    by_model = filter_to_scope(Award.objects.all(), user=user, unit_field="dvk_model__unit")
    officer = Q(pk__in=by_unit.values("pk")) | Q(pk__in=by_model.values("pk"))
    return _awards().filter(
        Q(pk__in=by_issuer.values("pk")) | (officer & ~Q(decision__status=DecisionStatus.DRAFT))
    )


@dataclass
class Register:
    awards: QuerySet
    count: int
    total_amount: int


def award_register(*, user: User, filters: dict | None = None) -> Register:
    """The register of awards in scope with filters (``year``, ``award_type``, ``issuer``,
    ``level``, ``unit_kind``, ``field``, ``revoked``: True/False/None) and the count and
    prize money in SQL (revoked awards never add to the total). Two queries whatever the
    number of rows: the totals and the rows."""
    filters = filters or {}
    qs = awards_visible_to(user=user).exclude(decision__status=DecisionStatus.DRAFT)
    if filters.get("year"):
        qs = qs.filter(decision__year=filters["year"])
    if filters.get("award_type"):
        qs = qs.filter(award_type=filters["award_type"])
    if filters.get("issuer"):
        qs = qs.filter(decision__issuer=filters["issuer"])
    if filters.get("level"):
        qs = qs.filter(award_type__issuing_level=filters["level"])
    if filters.get("unit_kind"):
        kind = filters["unit_kind"]
        qs = qs.filter(Q(unit__kind=kind) | Q(dvk_model__unit__kind=kind))
    if filters.get("field"):
        qs = qs.filter(dvk_model__field=filters["field"])
    revoked = filters.get("revoked")
    if revoked is True:
        qs = qs.filter(revoked_any=True)
    elif revoked is False:
        qs = qs.filter(revoked_any=False)
    totals = qs.aggregate(
        count=Count("pk"), total=Sum("amount", filter=Q(revoked_any=False), default=0)
    )
    rows = qs.order_by("-decision__date", "decision__number", "position", "pk")
    return Register(awards=rows, count=totals["count"], total_amount=totals["total"] or 0)


def honouring_events_visible_to(*, user: User) -> QuerySet[HonouringEvent]:
    qs = HonouringEvent.objects.select_related("unit").annotate(award_count=Count("awards"))
    return filter_to_scope(qs, user=user).order_by("-date", "-pk")
