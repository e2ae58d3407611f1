"""Every read of the awards stage, with its query shape and visibility."""

from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet, Sum, Value

from danvan.dates import today
from danvan.db import vi_order
from danvan.enums import UnitKind
from danvan.models import Unit, User
from danvan.selectors import filter_to_scope, subtree_pks, units_in_scope
from danvan.utils import vietnamese_sort_key
from evaluation.enums import RoundStatus
from evaluation.models import Round
from models_registry.models import DvkModel

from .enums import DecisionStatus
from .models import (
    Award,
    AwardType,
    Decision,
    HonouringCadence,
    HonouringEvent,
    Proposal,
    ProposalLine,
)


def award_types_active() -> QuerySet[AwardType]:
    return AwardType.objects.filter(active=True).order_by("position", vi_order("name"))


def _awards() -> QuerySet[Award]:
    return Award.objects.select_related(
        "decision", "decision__issuer", "award_type", "dvk_model", "unit", "campaign"
    ).with_is_revoked()


def model_lineage_ids(*, dvk_model: DvkModel) -> list[int]:
    """The model and every model it continues or that continues it (carried over, "duy
    trì", across years): one recursive query, shared with the model page's lineage."""
    from models_registry.selectors import dvk_model_lineage_component

    return sorted(dvk_model_lineage_component(dvk_model=dvk_model))


def awards_for_model(*, dvk_model: DvkModel) -> QuerySet[Award]:
    """Awards of the model and its carried-over lineage, of issued or revoked decisions
    (``revoked_any`` annotated, read by ``Award.is_revoked``: revoked ones show as revoked), newest first."""
    return (
        _awards()
        .filter(dvk_model_id__in=model_lineage_ids(dvk_model=dvk_model))
        .exclude(decision__status=DecisionStatus.DRAFT)
        .order_by("-decision__date", "position", "pk")
    )


def _models_of(units: Q) -> QuerySet:
    """The ids of the models of ``units`` as a subquery: an award's model is tested by its
    own column (the models' unit index answers the subquery) instead of joining every award
    to its model before filtering."""
    return DvkModel.objects.filter(units).values("pk")


def awards_for_unit(*, unit: Unit) -> QuerySet[Award]:
    """The unit's collective and individual awards and the awards of its models."""
    return (
        _awards()
        .filter(Q(unit=unit) | Q(dvk_model__in=_models_of(Q(unit=unit))))
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


def award_visibility(*, user: User) -> Q:
    """The condition ``awards_visible_to`` applies, for filtering any queryset of awards:
    the awards of decisions issued in the user's scope (secretariat, leaders), and those
    whose recipient unit or model's unit lies in it once issued (a unit officer's own).
    One walk down the user's subtree per part PostgreSQL needs (each a hashed subplan on
    the joined rows), instead of a subquery over every award per part."""
    if user.is_superuser:
        return Q()
    if user.scope_unit_id is None:
        return Q(pk__in=[])
    subtree = subtree_pks(user.scope_unit_id)
    recipient = Q(unit__in=subtree) | Q(dvk_model__in=_models_of(Q(unit__in=subtree)))
    return Q(decision__issuer__in=subtree) | (recipient & ~Q(decision__status=DecisionStatus.DRAFT))


def awards_visible_to(*, user: User) -> QuerySet[Award]:
    """Awards a user may read: those of decisions in scope (secretariat, leaders), and a
    unit officer's own units' awards (recipient unit or model unit in scope) once issued."""
    return _awards().filter(award_visibility(user=user))


def _issuer_in_scope(user: User):
    """True when the award's decision was issued in the user's scope (its page opens)."""
    if user.is_superuser:
        return Value(True, output_field=BooleanField())
    if user.scope_unit_id is None:
        return Value(False, output_field=BooleanField())
    in_scope = Q(decision__issuer__in=subtree_pks(user.scope_unit_id))
    return ExpressionWrapper(in_scope, output_field=BooleanField())


# What a row of the register (page and XLSX) prints: the rows are sorted before the page is
# cut, so every column read is carried through the sort (the models' long texts are not).
REGISTER_COLUMNS = (
    "recipient_kind",
    "person_name",
    "person_position",
    "position",
    "amount",
    "revoked",
    "revoked_reason",
    "decision__number",
    "decision__doc_type",
    "decision__issuer_code",
    "decision__numbering",
    "decision__year",
    "decision__date",
    "decision__issuing_authority",
    "decision__status",
    "decision__revoked_reason",
    "award_type__name",
    "dvk_model__name",
    "dvk_model__unit__name",
    "unit__name",
)


@dataclass
class Register:
    awards: QuerySet
    count: int
    total_amount: int


def award_register(*, user: User, filters: dict | None = None) -> Register:
    """The register of awards in scope with filters (``year``, ``award_type``, ``issuer``,
    ``level``, ``unit_kind``, ``field`` (a field takes in its topics), ``unit`` (the
    recipient unit or the model's unit), ``revoked``: True/False/None) and the count and
    prize money in SQL (revoked awards never add to the total). Two queries whatever the
    number of rows: the totals and the rows; each row is annotated ``decision_in_scope``
    (the user may open its decision)."""
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
        field = filters["field"]
        qs = qs.filter(Q(dvk_model__field=field) | Q(dvk_model__field__parent=field))
    if filters.get("unit"):
        unit = filters["unit"]
        qs = qs.filter(Q(unit=unit) | Q(dvk_model__unit=unit))
    revoked = filters.get("revoked")
    if revoked is True:
        qs = qs.filter(revoked_any=True)
    elif revoked is False:
        qs = qs.filter(revoked_any=False)
    totals = qs.aggregate(
        count=Count("pk"), total=Sum("amount", filter=Q(revoked_any=False), default=0)
    )
    rows = (
        qs.select_related(None)
        .select_related("decision", "award_type", "dvk_model__unit", "unit")
        .only(*REGISTER_COLUMNS)
        .annotate(decision_in_scope=_issuer_in_scope(user))
        .order_by("-decision__date", "decision__number", "position", "pk")
    )
    return Register(awards=rows, count=totals["count"], total_amount=totals["total"] or 0)


def award_register_choices(*, user: User) -> tuple[list[int], list[tuple[int, str]]]:
    """The years and the issuers (``(pk, name)``, in Vietnamese dictionary order) of the
    awards the user may read: what the register's filters offer. One query, over the few
    distinct (year, issuer) pairs of their decisions."""
    pairs = (
        awards_visible_to(user=user)
        .order_by()
        .values_list("decision__year", "decision__issuer_id", "decision__issuer__name")
        .distinct()
    )
    years, issuers = set(), {}
    for year, issuer_id, name in pairs:
        years.add(year)
        issuers[issuer_id] = name
    ordered = sorted(issuers.items(), key=lambda item: vietnamese_sort_key(item[1]))
    return sorted(years, reverse=True), ordered


def award_register_totals(*, user: User, years: list[int]) -> dict[int, dict]:
    """``award_register``'s count and prize money for each of ``years``, in one query:
    ``{year: {"count", "total_amount"}}`` (the home panel's overview)."""
    qs = awards_visible_to(user=user).exclude(decision__status=DecisionStatus.DRAFT)
    sums = qs.filter(decision__year__in=years).aggregate(
        **{f"count_{year}": Count("pk", filter=Q(decision__year=year)) for year in years},
        **{
            f"total_{year}": Sum(
                "amount", filter=Q(decision__year=year, revoked_any=False), default=0
            )
            for year in years
        },
    )
    return {
        year: {"count": sums[f"count_{year}"], "total_amount": sums[f"total_{year}"] or 0}
        for year in years
    }


def honouring_events_visible_to(*, user: User) -> QuerySet[HonouringEvent]:
    qs = HonouringEvent.objects.select_related("unit").annotate(award_count=Count("awards"))
    return filter_to_scope(qs, user=user).order_by("-date", "-pk")


# --- Decision pages ------------------------------------------------------------------------


def decision_list(*, user: User, filters: dict | None = None) -> QuerySet[Decision]:
    """``decisions_visible_to`` with the list's filters (``year``, ``status``, ``issuer``)."""
    filters = filters or {}
    qs = decisions_visible_to(user=user)
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("issuer"):
        qs = qs.filter(issuer=filters["issuer"])
    return qs.order_by("-date", "-number", "-pk")


def decision_years(*, user: User) -> list[int]:
    """The years of the decisions in the user's scope, newest first (the list's filter)."""
    qs = filter_to_scope(Decision.objects.all(), user=user, unit_field="issuer")
    return list(qs.order_by("-year").values_list("year", flat=True).distinct())


def decision_issuers(*, user: User) -> QuerySet[Unit]:
    """Units in the user's scope that have issued at least one decision."""
    qs = filter_to_scope(Decision.objects.all(), user=user, unit_field="issuer")
    return Unit.objects.filter(pk__in=qs.values("issuer_id")).order_by(vi_order("name"))


def decision_detail(*, pk: int) -> Decision:
    """One decision with what its page shows (issuer, proposal, who revoked it, campaigns);
    raises ``Decision.DoesNotExist``."""
    return (
        Decision.objects.select_related("issuer", "proposal", "revoked_by", "created_by")
        .prefetch_related("campaigns")
        .get(pk=pk)
    )


def decision_awards(*, decision: Decision) -> QuerySet[Award]:
    """The decision's awards in their order, with everything a row shows and
    ``revoked_any`` (revoked on its own or with the decision): one query."""
    return (
        Award.objects.filter(decision=decision)
        .select_related("award_type", "dvk_model", "dvk_model__unit", "unit", "campaign")
        .with_is_revoked()
        .order_by("position", "pk")
    )


# --- Award types, honouring events and their cadence -----------------------------------------


def award_type_list() -> QuerySet[AwardType]:
    """Every award type, active ones first, in the secretariat's order."""
    return AwardType.objects.order_by("-active", "position", vi_order("name"))


def honouring_event_detail(*, pk: int, user: User) -> HonouringEvent:
    """One event organised in the user's scope; raises ``HonouringEvent.DoesNotExist``
    otherwise (the page answers 404)."""
    return filter_to_scope(HonouringEvent.objects.select_related("unit"), user=user).get(pk=pk)


def honouring_event_awards(*, event: HonouringEvent) -> QuerySet[Award]:
    """The awards presented at ``event`` with ``revoked_any`` (revoked ones stay listed and
    show as revoked): one query."""
    return (
        event.awards.select_related(
            "decision", "award_type", "dvk_model", "dvk_model__unit", "unit"
        )
        .with_is_revoked()
        .order_by("-decision__date", "decision__number", "position", "pk")
    )


def honouring_event_award_choices(
    *, user: User, event: HonouringEvent | None = None
) -> QuerySet[Award]:
    """What the event form offers: the counting awards (issued, not revoked) the user may
    read, plus those already presented at ``event`` (kept even once revoked), grouped by
    decision, newest decision first."""
    visible = awards_visible_to(user=user)
    offered = Q(pk__in=visible.counting().values("pk"))
    if event is not None and event.pk:
        offered |= Q(pk__in=event.awards.values("pk"))
    return (
        Award.objects.filter(offered)
        .select_related("decision", "award_type", "dvk_model", "unit")
        .with_is_revoked()
        .order_by("-decision__date", "-decision__number", "decision_id", "position", "pk")
    )


ORGANISER_KINDS = [
    UnitKind.PROVINCE,
    UnitKind.COMMUNE,
    UnitKind.PARTY_BODY,
    UnitKind.MASS_ORGANISATION,
]


def honouring_event_organisers(
    *, user: User, event: HonouringEvent | None = None
) -> QuerySet[Unit]:
    """Who may organise an event in the user's scope: active provinces, communes, Party
    bodies and mass organisations (plus the event's own organiser, even if inactive now)."""
    qs = units_in_scope(user=user)
    condition = Q(kind__in=ORGANISER_KINDS, active=True)
    if event is not None and event.unit_id:
        condition |= Q(pk=event.unit_id)
    return qs.filter(condition)


@dataclass
class CadenceStatus:
    """Where one level stands in its current period. ``held``: events recorded at this
    level in the user's scope during the period (past or planned); ``organisers``: their
    distinct organising units; ``short``: organisers with fewer events than the cadence
    asks; ``due``: nothing recorded yet, or some organiser is short."""

    cadence: HonouringCadence
    period_start: int
    period_end: int
    held: int
    organisers: int
    short: int

    @property
    def due(self) -> bool:
        return self.held == 0 or self.short > 0


def honouring_cadence_status(*, user: User, on=None) -> list[CadenceStatus]:
    """Per active cadence, the period containing ``on`` (default today) and the events of
    the user's scope in it, counted per organiser in SQL: two queries."""
    on = on or today()
    cadences = list(HonouringCadence.objects.filter(active=True).order_by("level"))
    if not cadences:
        return []
    periods = {cadence.level: cadence.period_of(on.year) for cadence in cadences}
    in_period = Q(pk__in=[])
    for level, (start, end) in periods.items():
        in_period |= Q(level=level, date__year__gte=start, date__year__lte=end)
    counts = (
        filter_to_scope(HonouringEvent.objects.filter(in_period), user=user)
        .values("level", "unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_level: dict[str, list[int]] = {}
    for row in counts:
        per_level.setdefault(row["level"], []).append(row["n"])
    statuses = []
    for cadence in cadences:
        numbers = per_level.get(cadence.level, [])
        start, end = periods[cadence.level]
        statuses.append(
            CadenceStatus(
                cadence=cadence,
                period_start=start,
                period_end=end,
                held=sum(numbers),
                organisers=len(numbers),
                short=sum(1 for n in numbers if n < cadence.events_per_period),
            )
        )
    return statuses


# --- Proposal pages (awards.views.proposals) ----------------------------------------------


def proposal_detail(*, pk: int) -> Proposal:
    """A proposal with what its page header shows (the 404 gate is the caller's)."""
    return Proposal.objects.select_related(
        "campaign", "round", "unit", "unit__parent", "unit__oversees", "created_by", "sent_by"
    ).get(pk=pk)


def proposal_lines(*, proposal: Proposal) -> QuerySet[ProposalLine]:
    """The lines in list order with everything a row prints: one query whatever their
    number."""
    return (
        ProposalLine.objects.filter(proposal=proposal)
        .select_related("award_type", "dvk_model", "dvk_model__unit", "unit", "unit__parent")
        .order_by("position", "pk")
    )


def rounds_for_proposal(*, user: User) -> QuerySet[Round]:
    """Finalised rounds run in the user's scope, newest first: what a proposal opens from."""
    qs = Round.objects.filter(status=RoundStatus.FINALISED).select_related("campaign", "scope_unit")
    return filter_to_scope(qs, user=user, unit_field="scope_unit").order_by("-finalised_at", "-pk")
