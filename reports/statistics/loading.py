"""The few queries a report's figures come from, loaded once per campaign.

A campaign's figures read: its registered models (one query), the finalised results of
its rounds (one), the tiers of those rounds' rubrics (one), its counting awards (one), the
units' plans (one), the top-level fields (one) — plus the unit tree (``units.load_tree``).
Everything else is arithmetic over these rows in Python, so the number of queries does
not grow with the number of models.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from awards.models import Award
from danvan.db import vi_order
from evaluation.enums import RoundStatus
from evaluation.models import Result, Round, Tier
from models_registry.enums import ModelStatus
from models_registry.models import Campaign, DvkModel, Field

from .units import UnitTree, add_units, load_tree

# What counts as registered: the same as the coverage page (drafts do not count).
REGISTERED_STATUSES = (ModelStatus.SUBMITTED, ModelStatus.RETURNED, ModelStatus.ACCEPTED)


@dataclass(frozen=True)
class ResultInfo:
    score: Decimal | None
    tier: str
    recognised: bool
    exemplary: bool


@dataclass
class ModelRow:
    pk: int
    name: str
    unit_id: int
    unit_name: str
    kind: str
    field_id: int | None  # the top-level field
    field_name: str
    origin: str  # new / maintained / replicated
    result: ResultInfo | None = None
    awards: list[str] = field(default_factory=list)  # award type names, in award order
    count: int = 1  # the models the row stands for (a grouped row: the group's size)


@dataclass(frozen=True)
class AwardRow:
    type_id: int
    type_name: str
    type_position: int
    issuer: str
    recipient_kind: str
    dvk_model_id: int | None
    count: int = 1  # the awards the row stands for (a grouped row: the group's size)
    individual_model: bool = False  # a grouped row's awards went to exemplary individuals


@dataclass
class YearData:
    campaign: Campaign
    tree: UnitTree
    models: list[ModelRow]
    fields: list[tuple[int, str]] = field(default_factory=list)  # top-level (pk, name)
    tiers: list[str] = field(default_factory=list)  # highest first
    awards: list[AwardRow] = field(default_factory=list)
    plan_unit_ids: set[int] = field(default_factory=set)

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        """The days the campaign ran: registration opening to the report date (or the end
        of its year)."""
        campaign = self.campaign
        end = campaign.report_date or datetime.date(campaign.year, 12, 31)
        return campaign.registration_opens, max(end, campaign.registration_opens)


def _origin(predecessor_id, replicates_id) -> str:
    if predecessor_id:
        return "maintained"
    if replicates_id:
        return "replicated"
    return "new"


def load_models(campaign: Campaign) -> list[ModelRow]:
    rows = (
        DvkModel.objects.filter(campaign=campaign, status__in=REGISTERED_STATUSES)
        .order_by("pk")
        .values_list(
            "pk",
            "name",
            "unit_id",
            "unit__name",
            "kind",
            "field_id",
            "field__name",
            "field__parent_id",
            "field__parent__name",
            "predecessor_id",
            "replicates_id",
        )
    )
    models = []
    for pk, name, unit_id, unit_name, kind, fid, fname, parent_id, parent_name, pred, repl in rows:
        top_id, top_name = (parent_id, parent_name) if parent_id else (fid, fname or "")
        models.append(
            ModelRow(pk, name, unit_id, unit_name, kind, top_id, top_name, _origin(pred, repl))
        )
    return models


def attach_results(campaign: Campaign, models: list[ModelRow]) -> None:
    """Each model's result in the campaign's finalised rounds: the organiser's own round
    when the model reached it, otherwise the latest finalised lower round."""
    rows = (
        Result.objects.filter(round__campaign=campaign, round__status=RoundStatus.FINALISED)
        .order_by("round__finalised_at", "pk")
        .values_list(
            "dvk_model_id",
            "score_used",
            "tier_name",
            "recognised",
            "exemplary",
            "round__scope_unit_id",
        )
    )
    chosen: dict[int, tuple[bool, ResultInfo]] = {}
    for model_id, score, tier, recognised, exemplary, scope_id in rows:
        top = scope_id == campaign.organiser_id
        if model_id in chosen and chosen[model_id][0] and not top:
            continue
        chosen[model_id] = (top, ResultInfo(score, tier, recognised, exemplary))
    for model in models:
        if model.pk in chosen:
            model.result = chosen[model.pk][1]


def load_tiers(campaign: Campaign) -> list[str]:
    """Tier names of the finalised rounds' rubrics, highest first, each once."""
    rounds = Round.objects.filter(campaign=campaign, status=RoundStatus.FINALISED)
    rows = (
        Tier.objects.filter(
            Q(rubric__in=rounds.values("rubric_collective"))
            | Q(rubric__in=rounds.values("rubric_individual"))
        )
        .order_by("-min_score", "position", "pk")
        .values_list("name", flat=True)
    )
    return list(dict.fromkeys(rows))


def load_awards(campaign: Campaign) -> list[AwardRow]:
    """Awards of issued, not revoked decisions given for ``campaign``."""
    rows = (
        Award.objects.counting()
        .filter(campaign=campaign)
        .order_by("decision__date", "decision_id", "position", "pk")
        .values_list(
            "award_type_id",
            "award_type__name",
            "award_type__position",
            "decision__issuing_authority",
            "recipient_kind",
            "dvk_model_id",
        )
    )
    return [AwardRow(*row) for row in rows]


def load_fields() -> list[tuple[int, str]]:
    return list(
        Field.objects.filter(parent__isnull=True, active=True)
        .order_by("position", vi_order("name"))
        .values_list("pk", "name")
    )


def load_year(
    campaign: Campaign,
    *,
    tree: UnitTree | None = None,
    full: bool = True,
    fields: list[tuple[int, str]] | None = None,
) -> YearData:
    """Everything the figures of ``campaign`` need. ``full=False`` loads the registrations
    only (enough for the previous year's column)."""
    from ..models import UnitPlan

    tree = tree or load_tree(campaign.organiser_id)
    models = load_models(campaign)
    add_units(tree, (m.unit_id for m in models))
    data = YearData(campaign=campaign, tree=tree, models=models)
    data.fields = fields if fields is not None else (load_fields() if full else [])
    if not full:
        return data
    attach_results(campaign, models)
    data.tiers = load_tiers(campaign)
    data.awards = load_awards(campaign)
    by_model = {m.pk: m for m in models}
    for award in data.awards:
        model = by_model.get(award.dvk_model_id)
        if model is not None and award.type_name not in model.awards:
            model.awards.append(award.type_name)
    data.plan_unit_ids = set(
        UnitPlan.objects.filter(campaign=campaign).values_list("unit_id", flat=True)
    )
    return data
