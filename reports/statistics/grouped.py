"""A campaign's rows as grouped counts, for the leaders' dashboard.

``loading.load_year`` reads one row per model (the report needs names, scores and the
annex); the dashboard only counts, at province scale, so here the database groups the
models and each ``ModelRow`` stands for ``count`` models. The ``figures`` functions sum
``count``, so the dashboard's numbers are the report's numbers by construction.

Grouping by every attribute at once would give about one group per model (a unit rarely
has two models of the same kind, field, origin and tier), so the same models are grouped
three ways, each a ``YearData`` a family of figures reads (``GroupedYear``): by unit
(coverage, unit groups, levels, localities), by kind × top-level field × origin (the
registration figures) and by result (tiers, recognition). Two queries: the first two
groupings in one ``UNION ALL``, then the results; rows: the registering units plus a few
dozen, whatever the number of models.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from danvan.selectors import subtree_pks
from evaluation.enums import RoundStatus
from evaluation.models import Result
from models_registry.models import Campaign, DvkModel
from models_registry.selectors import ORIGIN_Q

from .loading import REGISTERED_STATUSES, ModelRow, ResultInfo, YearData, load_fields
from .units import UnitTree, add_units


def registered_models(
    campaign: Campaign, *, root_id: int | None = None, field=None
) -> QuerySet[DvkModel]:
    """The campaign's registered models (what the report counts), of ``root_id``'s subtree
    (None: every unit) and of the top-level ``field`` or its topics (None: every field)."""
    qs = DvkModel.objects.filter(campaign=campaign, status__in=REGISTERED_STATUSES)
    if root_id is not None:
        subtree = subtree_pks(root_id)
        qs = qs.filter(unit__in=subtree)
    if field is not None:
        qs = qs.filter(Q(field=field) | Q(field__parent=field))
    return qs


def chosen_results(campaign: Campaign, model_ref: str = "dvk_model") -> QuerySet[Result]:
    """The one result a figure reads for the model ``OuterRef(model_ref)``, as
    ``loading.attach_results`` chooses it: the organiser's own finalised round first, else
    the latest finalised lower round (the same order, reversed, on every database)."""
    own = Case(
        When(round__scope_unit_id=campaign.organiser_id, then=Value(1)),
        default=Value(0),
    )
    return (
        Result.objects.filter(
            dvk_model=OuterRef(model_ref),
            round__campaign=campaign,
            round__status=RoundStatus.FINALISED,
        )
        .annotate(own=own)
        .order_by("-own", "-round__finalised_at", "-pk")
    )


@dataclass
class GroupedYear:
    """The same registered models grouped three ways (each row's ``count`` sums to the
    same total in each): pass each figure the grouping it reads."""

    by_unit: YearData  # coverage, registrations_by_group / _by_level, localities
    by_kind: YearData  # registrations_total / _by_kind / _by_field / _by_origin
    by_result: YearData  # results_by_tier, evaluated_count, recognised_count

    @property
    def total(self) -> int:
        return sum(row.count for row in self.by_kind.models)


_NO_TEXT = Value(None, output_field=CharField())
_NO_NUMBER = Value(None, output_field=IntegerField())
_COLUMNS = ("g_set", "g_unit", "g_kind", "g_field", "g_field_name", "g_origin")


def _by_unit(models: QuerySet[DvkModel], tag: int) -> QuerySet:
    return (
        models.annotate(
            g_set=Value(tag, output_field=IntegerField()),
            g_unit=F("unit_id"),
            g_kind=_NO_TEXT,
            g_field=_NO_NUMBER,
            g_field_name=_NO_TEXT,
            g_origin=_NO_TEXT,
        )
        .values(*_COLUMNS)
        .annotate(n=Count("pk"))
        .order_by()
    )


def _by_kind(models: QuerySet[DvkModel], tag: int) -> QuerySet:
    origin = Case(
        *(When(q, then=Value(key)) for key, q in ORIGIN_Q.items()),
        output_field=CharField(),
    )
    return (
        models.annotate(
            g_set=Value(tag, output_field=IntegerField()),
            g_unit=_NO_NUMBER,
            g_kind=F("kind"),
            g_field=Coalesce("field__parent_id", "field_id"),
            g_field_name=Coalesce(
                "field__parent__name", "field__name", Value(""), output_field=CharField()
            ),
            g_origin=origin,
        )
        .values(*_COLUMNS)
        .annotate(n=Count("pk"))
        .order_by()
    )


def _row(
    count: int,
    *,
    unit_id=None,
    unit_name="",
    kind="",
    field_id=None,
    field_name="",
    origin="",
    result=None,
) -> ModelRow:
    return ModelRow(
        pk=0,
        name="",
        unit_id=unit_id,
        unit_name=unit_name,
        kind=kind,
        field_id=field_id,
        field_name=field_name,
        origin=origin,
        result=result,
        count=count,
    )


def _grouped_rows(sets: list[QuerySet[DvkModel]]) -> list[tuple[list, list[ModelRow]]]:
    """Each of ``sets`` grouped by unit and by kind × field × origin, all in one
    ``UNION ALL``: per set, its (unit id, count) pairs and its kind rows."""
    parts = [part(models, tag) for tag, models in enumerate(sets) for part in (_by_unit, _by_kind)]
    rows = [([], []) for _models in sets]
    union = parts[0].union(*parts[1:], all=True).values_list(*_COLUMNS, "n")
    for tag, unit_id, kind, field_id, field_name, origin, n in union:
        unit_rows, kind_rows = rows[tag]
        if unit_id is not None:
            unit_rows.append((unit_id, n))
        else:
            kind_rows.append(
                _row(n, kind=kind, field_id=field_id, field_name=field_name or "", origin=origin)
            )
    return rows


def load_year_grouped(
    campaign: Campaign,
    *,
    tree: UnitTree,
    models: QuerySet[DvkModel] | None = None,
    full: bool = True,
    fields: list[tuple[int, str]] | None = None,
) -> GroupedYear:
    """``models`` (a ``registered_models`` queryset; default: every registered model of
    the campaign) grouped three ways; with ``full``, their results too (the previous
    year's column needs none). Awards, tiers and plans are left to the caller (the
    dashboard scopes them itself). Two queries (one without ``full``), plus one when a
    model's unit lies outside ``tree`` (``units.add_units``)."""
    return load_years_grouped([(campaign, models)], tree=tree, fields=fields, full=full)[0]


def load_years_grouped(
    years: list[tuple[Campaign, QuerySet[DvkModel] | None]],
    *,
    tree: UnitTree,
    fields: list[tuple[int, str]] | None = None,
    full: bool = True,
) -> list[GroupedYear]:
    """``load_year_grouped`` for several (campaign, models) at once: their groups in one
    query; with ``full``, the first year's results (one more). The later years are
    compared against and read without results."""
    sets = [registered_models(campaign) if models is None else models for campaign, models in years]
    grouped_rows = _grouped_rows(sets)
    add_units(tree, (unit_id for unit_rows, _k in grouped_rows for unit_id, _n in unit_rows))
    fields = fields if fields is not None else (load_fields() if full else [])
    loaded = []
    for index, ((campaign, _models), models, (unit_rows, kind_rows)) in enumerate(
        zip(years, sets, grouped_rows, strict=True)
    ):

        def year(rows: list[ModelRow], campaign=campaign) -> YearData:
            return YearData(campaign=campaign, tree=tree, models=rows, fields=fields)

        by_unit = year([_row(n, unit_id=pk, unit_name=tree.name(pk)) for pk, n in unit_rows])
        result_rows = _result_rows(campaign, models) if full and index == 0 else []
        evaluated = sum(row.count for row in result_rows)
        total = sum(row.count for row in kind_rows)
        if total > evaluated:
            result_rows.append(_row(total - evaluated))
        loaded.append(
            GroupedYear(by_unit=by_unit, by_kind=year(kind_rows), by_result=year(result_rows))
        )
    return loaded


def _result_rows(campaign: Campaign, models: QuerySet[DvkModel]) -> list[ModelRow]:
    """The models' chosen results grouped by tier, recognition and exemplary (one query)."""
    chosen = (
        Result.objects.filter(
            pk=Subquery(chosen_results(campaign).values("pk")[:1]),
            dvk_model__in=models.values("pk"),
        )
        .values("tier_name", "recognised", "exemplary")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("tier_name", "recognised", "exemplary", "n")
    )
    return [
        _row(n, result=ResultInfo(None, tier, recognised, exemplary))
        for tier, recognised, exemplary, n in chosen
    ]
