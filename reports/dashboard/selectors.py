"""The leaders' dashboard's figures: ``dashboard_for(user, filters)``.

Scope: the subtree of the user's unit (``User.scope_unit_id``: a commission that oversees
the province sees the province; administrators without a unit see the organiser's tree),
no wider than the campaign (a campaign of a lower organiser: that organiser's subtree),
narrowed to ``filters.locality``; models narrowed to ``filters.field`` and its topics.
When the scope is the organiser's whole tree the rows are exactly the December report's
(``reports.statistics``), and the figures come from the same functions over grouped rows
(``statistics.load_year_grouped``): the same numbers by construction.

A constant number of queries whatever the number of models (tests/reports/
test_dashboard_selectors.py counts them): the unit tree, the fields and the previous
campaign (none of the three when the filter form passes what it read: ``Loaded``), this
year's and last year's models' groups (one ``UNION ALL``), the results' groups, the tiers,
the awards' groups, the exemplary models, the evaluation progress (``queries``); the
links are ``links``.
"""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _

from danvan.enums import UnitKind

from .. import statistics
from ..selectors import previous_campaign
from ..statistics import YearData
from ..wording import GROUPS
from .data import AwardBar, Bar, Dashboard, FieldBar, Filters, Loaded, LocalityCell
from .links import Links
from .queries import award_groups, dashboard_scope, evaluation_progress, exemplary_list

TERRITORIAL_KINDS = frozenset({UnitKind.COMMUNE, UnitKind.DISTRICT})


def _by_key(lines) -> dict:
    return {line.key: line.value for line in lines}


def locality_cells(
    data: YearData, exemplary_units: list[int], root_id: int, links: Links
) -> list[LocalityCell]:
    """One cell per unit directly below ``root_id`` that was expected to register or has
    models in its subtree (a commune, a department; not a historic district without
    models), in Vietnamese order of names (no query: arithmetic over ``data``, the models
    grouped by unit, and the units of the exemplary models)."""
    tree = data.tree
    start, end = data.period
    models, registering = Counter(), set()
    for row in data.models:
        if row.count:
            registering.add(row.unit_id)
            models[tree.locality(row.unit_id)] += row.count
    exemplary = Counter(tree.locality(unit_id) for unit_id in exemplary_units)
    expected, registered = Counter(), Counter()
    for unit in tree.expected(start, end):
        expected[tree.locality(unit.pk)] += 1
        registered[tree.locality(unit.pk)] += unit.pk in registering
    children = [
        unit
        for unit in tree.units.values()
        if unit.parent_id == root_id
        and unit.pk != root_id
        and (expected[unit.pk] or models[unit.pk])
    ]
    # Below a province the grid stands for a map: its communes, wards and special zones (and
    # historic districts); departments, Party bodies and mass organisations have their
    # coverage in the panel by unit group. Below a commune (no commune under it) every
    # unit is a cell: its villages and residential groups, its Front and mass organisations.
    places = [unit for unit in children if unit.kind in TERRITORIAL_KINDS]
    children = places or children
    children.sort(key=lambda unit: (statistics.vietnamese_sort_key(unit.name), unit.pk))
    return [
        LocalityCell(
            unit_id=unit.pk,
            name=unit.name,
            expected=expected[unit.pk],
            registered=registered[unit.pk],
            models=models[unit.pk],
            exemplary=exemplary[unit.pk],
            url=links.dashboard(unit.pk),
        )
        for unit in children
    ]


def _only(values: set):
    """The one value of ``values``; None when there are several (the link leaves that
    filter out rather than show a part of the figure)."""
    return next(iter(values)) if len(values) == 1 else None


def _award_bars(data: YearData, behind: dict, links: Links) -> list[AwardBar]:
    """The awards per type and issuer (the report's figure), each linked to the register
    filtered by its award type, issuing unit and decision year where each is one."""
    bars = []
    for line in statistics.awards_by_type_and_issuer(data):
        types, issuers, years = behind[(line.type_name, line.issuer)]
        url = links.register(award_type=_only(types), issuer=_only(issuers), year=_only(years))
        bars.append(AwardBar(line.type_name, line.issuer, line.collectives, line.individuals, url))
    return bars


def dashboard_for(user, filters: Filters, loaded: Loaded | None = None) -> Dashboard:
    """The dashboard of ``filters.campaign`` as ``user`` may see it (see the module's
    docstring for the scope). ``filters`` come validated from ``DashboardFilterForm``,
    ``loaded`` is what the form read (``DashboardFilterForm.loaded``; None: read it)."""
    campaign = filters.campaign
    scope = dashboard_scope(user, filters, loaded.tree if loaded is not None else None)
    tree = scope.tree
    chosen_field = filters.field
    if chosen_field is not None:
        fields = [(chosen_field.pk, chosen_field.name)]
    else:
        fields = loaded.fields if loaded is not None else statistics.load_fields()
    models = statistics.registered_models(campaign, root_id=scope.unit_root, field=chosen_field)
    earlier = loaded.previous if loaded is not None else Loaded.UNKNOWN
    if earlier is Loaded.UNKNOWN:
        earlier = previous_campaign(campaign)
    years = [(campaign, models)]
    if earlier is not None:
        years.append(
            (
                earlier,
                statistics.registered_models(earlier, root_id=scope.unit_root, field=chosen_field),
            )
        )
    grouped, *before = statistics.load_years_grouped(years, tree=tree, fields=fields)
    previous = before[0] if before else None
    grouped.by_result.tiers = statistics.load_tiers(campaign)
    grouped.by_kind.awards, awards_behind = award_groups(campaign, scope, chosen_field)
    exemplary = exemplary_list(campaign, models, tree)
    links = Links(filters)

    def last_year(values: dict, key):
        return values.get(key, 0) if previous is not None else None

    def compare(statistic) -> dict:
        return _by_key(statistic(previous.by_kind)) if previous is not None else {}

    kinds_before = compare(statistics.registrations_by_kind)
    origins_before = compare(statistics.registrations_by_origin)
    cover = statistics.coverage(grouped.by_unit)
    groups_before = (
        {label: n for label, _e, _p, n in statistics.coverage(previous.by_unit).by_group}
        if previous is not None
        else {}
    )
    data = grouped.by_kind
    return Dashboard(
        filters=filters,
        scope_name=tree.name(scope.root_id),
        previous_year=earlier.year if earlier is not None else None,
        registrations=Bar(
            "registrations",
            _("Registered models"),
            statistics.registrations_total(data),
            url=links.intake(),
            previous=previous.total if previous is not None else None,
        ),
        expected_units=cover.expected,
        registered_units=cover.registered,
        units_without=cover.without,
        by_group=[
            Bar(
                key,
                label,
                registered,
                url=links.coverage(),
                previous=last_year(groups_before, label),
                out_of=expected,
            )
            for (key, _l, _k), (label, expected, _plan, registered) in zip(
                GROUPS, cover.by_group, strict=True
            )
        ],
        by_kind=[
            Bar(
                line.key,
                line.label,
                line.value,
                url=links.intake(kind=line.key),
                previous=last_year(kinds_before, line.key),
            )
            for line in statistics.registrations_by_kind(data)
        ],
        by_origin=[
            Bar(
                line.key,
                line.label,
                line.value,
                url=links.intake(origin=line.key),
                previous=last_year(origins_before, line.key),
            )
            for line in statistics.registrations_by_origin(data)
        ],
        by_field=[
            FieldBar(
                str(line.key) if line.key is not None else "",
                line.label,
                line.by_kind,
                url=links.intake(field=line.key) if line.key is not None else "",
            )
            for line in statistics.registrations_by_field(data)
        ],
        localities=locality_cells(
            grouped.by_unit, [unit_id for unit_id, _e in exemplary], scope.root_id, links
        ),
        progress=evaluation_progress(campaign, models, scope),
        tiers=[
            Bar(
                line.key or "",
                line.label,
                line.value,
                url=links.library(tier=line.key) if line.key else "",
            )
            for line in statistics.results_by_tier(grouped.by_result)
        ],
        recognised=statistics.recognised_count(grouped.by_result),
        exemplary=[entry for _unit_id, entry in exemplary],
        awards=_award_bars(data, awards_behind, links),
        coverage_url=links.coverage(),
        recognised_url=links.library(),
        exemplary_url=links.library(exemplary="on"),
    )
