"""The dashboard's queries beside the models' groups (``statistics.load_year_grouped``):
its scope (the unit tree), the awards' groups, the exemplary models, the evaluation
progress. One query each, whatever the number of models."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, Subquery, Value, When

from awards.enums import RecipientKind
from awards.models import Award
from danvan.selectors import subtree_pks
from evaluation.enums import RoundStatus, SheetStatus
from evaluation.models import Result, Round, RoundEntry, active_assignment_q
from models_registry.enums import ModelKind

from .. import statistics
from ..statistics import AwardRow, UnitTree
from .data import Exemplary, Filters, Progress
from .links import url_for, url_maker


@dataclass(frozen=True)
class Scope:
    """Where the figures come from: ``tree`` is ``root_id``'s subtree; ``unit_root`` the
    unit whose subtree the rows are limited to (None: the campaign's every row, as the
    report counts them)."""

    tree: UnitTree
    root_id: int
    unit_root: int | None


def dashboard_scope(user, filters: Filters, tree: UnitTree | None = None) -> Scope:
    """The scope of ``user``'s dashboard with ``filters``: ``tree`` (the filter form's,
    the subtree of the user's scope) or one query for it. A locality outside the user's
    scope is ignored (the form refuses it before)."""
    campaign = filters.campaign
    base = user.scope_unit_id or campaign.organiser_id
    if tree is None or tree.root_id != base:
        tree = statistics.load_tree(base)
    root = base
    if campaign.organiser_id != base and campaign.organiser_id in tree.units:
        root = campaign.organiser_id  # a lower organiser's campaign reaches no higher
    locality = filters.locality
    if locality is not None and locality.pk in statistics.narrowed(tree, root).units:
        root = locality.pk
    tree = statistics.narrowed(tree, root)
    return Scope(tree, root, None if root == campaign.organiser_id else root)


def _subtree(root_id: int):
    return subtree_pks(root_id)


# --- Queries beside the models' groups ---------------------------------------------------


def award_groups(campaign, scope: Scope, field) -> tuple[list[AwardRow], dict]:
    """The campaign's counting awards in scope as grouped ``AwardRow``s (one query), and
    per (type name, issuer) the award types, issuing units and decision years behind it
    (for the register's link). A collective or model award is in scope by its unit, an
    individual's award without a unit by its decision's issuer."""
    qs = Award.objects.counting().filter(campaign=campaign)
    if scope.unit_root is not None:
        subtree = _subtree(scope.unit_root)
        qs = qs.filter(
            Q(unit__in=subtree)
            | Q(dvk_model__unit__in=subtree)
            | Q(unit__isnull=True, dvk_model__isnull=True, decision__issuer__in=subtree)
        )
    if field is not None:
        qs = qs.filter(Q(dvk_model__field=field) | Q(dvk_model__field__parent=field))
    individual_model = Case(
        When(
            recipient_kind=RecipientKind.MODEL,
            dvk_model__kind=ModelKind.INDIVIDUAL_EXEMPLAR,
            dvk_model__campaign=campaign,
            dvk_model__status__in=statistics.REGISTERED_STATUSES,
            then=Value(True),
        ),
        default=Value(False),
        output_field=BooleanField(),
    )
    groups = (
        qs.annotate(individual_model=individual_model)
        .values(
            "award_type_id",
            "award_type__name",
            "award_type__position",
            "decision__issuing_authority",
            "recipient_kind",
            "individual_model",
            "decision__issuer_id",
            "decision__year",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows, behind = [], {}
    for g in groups:
        name, issuer = g["award_type__name"], g["decision__issuing_authority"]
        rows.append(
            AwardRow(
                g["award_type_id"],
                name,
                g["award_type__position"],
                issuer,
                g["recipient_kind"],
                None,
                count=g["n"],
                individual_model=g["individual_model"],
            )
        )
        types, issuers, years = behind.setdefault((name, issuer), (set(), set(), set()))
        types.add(g["award_type_id"])
        issuers.add(g["decision__issuer_id"])
        years.add(g["decision__year"])
    return rows, behind


def exemplary_list(campaign, models, tree: UnitTree) -> list[tuple[int, Exemplary]]:
    """The models in ``models`` whose chosen result is exemplary, each with its unit's
    id (the locality grid counts them), by unit then name in Vietnamese order (one query
    over the exemplary models only; the units' names from ``tree``, which holds every
    unit of ``models`` once their groups are loaded)."""
    rows = (
        Result.objects.filter(
            pk=Subquery(statistics.chosen_results(campaign).values("pk")[:1]),
            dvk_model__in=models.values("pk"),
            exemplary=True,
        )
        .order_by()  # sorted below: no join for the results' own order
        .values_list("dvk_model_id", "dvk_model__name", "dvk_model__unit_id", "tier_name")
    )
    entry_url = url_maker("showcase:entry")
    listed = [
        (unit_id, Exemplary(pk, name, tree.name(unit_id), tier, entry_url(pk)))
        for pk, name, unit_id, tier in rows
    ]
    sort_key = statistics.vietnamese_sort_key
    return sorted(
        listed,
        key=lambda item: (sort_key(item[1].unit_name), sort_key(item[1].name), item[1].pk),
    )


def evaluation_progress(campaign, models, scope: Scope) -> Progress:
    """Rounds of the campaign reaching the scope (run by a unit of it, or with an entry of
    a model of it) and the sheets of active assignments on ``models`` (one query)."""
    rounds = Round.objects.filter(campaign=campaign)
    in_scope = models.values("pk")
    if scope.unit_root is not None:
        reach = Exists(RoundEntry.objects.filter(round=OuterRef("pk"), dvk_model__in=in_scope))
        rounds = rounds.filter(Q(scope_unit__in=_subtree(scope.unit_root)) | reach)
    on_models = Q(assignments__entry__dvk_model__in=in_scope) & active_assignment_q("assignments__")
    figures = rounds.aggregate(
        rounds=Count("pk", distinct=True),
        finalised=Count("pk", distinct=True, filter=Q(status=RoundStatus.FINALISED)),
        sheets=Count("assignments", distinct=True, filter=on_models),
        submitted=Count(
            "assignments",
            distinct=True,
            filter=on_models & Q(assignments__sheet__status=SheetStatus.SUBMITTED),
        ),
    )
    return Progress(
        rounds=figures["rounds"],
        rounds_finalised=figures["finalised"],
        sheets=figures["sheets"],
        sheets_submitted=figures["submitted"],
        url=url_for("evaluation:round_list"),
    )
