"""The five-year summary's figures: the same statistics with one column per year, and the
figures per locality with dissolved or merged units rolled up into their successors."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from danvan.models import Unit
from models_registry.models import Campaign

from . import figures
from .loading import YearData, load_fields, load_year
from .sorting import sort_key as vietnamese_sort_key
from .units import UnitTree, load_tree


@dataclass
class SummaryData:
    organiser: Unit
    tree: UnitTree
    years: list[YearData]  # one per campaign in the range, oldest first

    @property
    def year_numbers(self) -> list[int]:
        return [y.campaign.year for y in self.years]


def load_summary(*, organiser: Unit, from_year: int, to_year: int) -> SummaryData:
    """Every campaign of ``organiser`` from ``from_year`` to ``to_year``: the tree with its
    successions and the fields once, then each year's rows (a constant number of queries
    per year, whatever the number of models)."""
    campaigns = Campaign.objects.filter(
        organiser=organiser, year__gte=from_year, year__lte=to_year
    ).order_by("year")
    tree = load_tree(organiser, successions=True)
    fields = load_fields()
    years = [load_year(c, tree=tree, fields=fields) for c in campaigns]
    return SummaryData(organiser=organiser, tree=tree, years=years)


@dataclass(frozen=True)
class YearLine:
    key: object
    label: str
    values: tuple[int, ...]  # one per year

    def changes(self) -> tuple[int | None, ...]:
        """Against the previous year; None for the first."""
        return (None, *(b - a for a, b in zip(self.values, self.values[1:], strict=False)))


def per_year(summary: SummaryData, statistic) -> list[YearLine]:
    """``statistic`` (a ``figures`` function returning ``Line`` rows) for every year,
    joined on the rows' keys in the order they first appear."""
    labels: dict = {}
    values: dict = {}
    for index, year in enumerate(summary.years):
        for line in statistic(year):
            labels.setdefault(line.key, line.label)
            values.setdefault(line.key, [0] * len(summary.years))[index] = line.value
    return [YearLine(key, labels[key], tuple(values[key])) for key in labels]


def fields_per_year(summary: SummaryData) -> list[YearLine]:
    """Registrations per top-level field (all kinds together), per year."""
    return per_year(
        summary,
        lambda year: [
            figures.Line(f.key, f.label, f.total) for f in figures.registrations_by_field(year)
        ],
    )


@dataclass(frozen=True)
class Overview:
    year: int
    registered: int
    change: int | None
    new: int
    maintained: int
    replicated: int
    evaluated: int
    recognised: int
    exemplary: int
    awards: int


def overview(summary: SummaryData) -> list[Overview]:
    """One row per year: the headline figures and the change against the year before."""
    rows = []
    previous = None
    for year in summary.years:
        origins = {line.key: line.value for line in figures.registrations_by_origin(year)}
        total = figures.registrations_total(year)
        rows.append(
            Overview(
                year=year.campaign.year,
                registered=total,
                change=figures.change(total, previous),
                new=origins["new"],
                maintained=origins["maintained"],
                replicated=origins["replicated"],
                evaluated=figures.evaluated_count(year),
                recognised=figures.recognised_count(year),
                exemplary=len(figures.exemplary_models(year)),
                awards=figures.awards_total(year),
            )
        )
        previous = total
    return rows


@dataclass(frozen=True)
class Localities:
    lines: list[YearLine]
    rolled_up: tuple[str, ...]  # names of the units whose figures went to a successor
    years: tuple[int, ...]  # the years those successions took effect


def per_locality(summary: SummaryData) -> Localities:
    """Registrations per unit directly below the organiser (a commune, a department, the
    Front …) per year. A unit that later dissolved, merged or was renamed counts under its
    successor, followed through every change (the 2025 districts under their communes)."""
    tree = summary.tree
    counters = []
    rolled: dict[int, int] = {}
    for year in summary.years:
        counter: Counter = Counter()
        for model in year.models:
            locality = tree.locality(model.unit_id)
            target = tree.rolled_up(locality)
            if target != locality:
                rolled[locality] = tree.succession_years.get(locality)
            counter[tree.locality(target) if target in tree.units else target] += model.count
        counters.append(counter)
    keys = sorted({k for c in counters for k in c}, key=lambda k: vietnamese_sort_key(tree.name(k)))
    lines = [YearLine(k, tree.name(k), tuple(c.get(k, 0) for c in counters)) for k in keys]
    names = sorted((tree.name(k) for k in rolled), key=vietnamese_sort_key)
    return Localities(lines, tuple(names), tuple(sorted({y for y in rolled.values() if y})))
