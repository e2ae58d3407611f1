"""The figures of one campaign, computed from a ``YearData`` (no query here).

Each function is one statistic of the December report. Rows are ``Line(key, label,
value)`` in the order the report prints them; names sort in Vietnamese dictionary order.

A row of ``YearData.models`` (or ``.awards``) stands for ``count`` models (awards): 1 in
the report, which loads one row per model, and the size of a group in the leaders'
dashboard, which loads grouped counts (``grouped.load_year_grouped``). Every count here
sums ``count``, so both run through the same functions. ``exemplary_models`` and
``annex_rows`` list models one by one: they need one row per model.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from awards.enums import RecipientKind
from models_registry.enums import ModelKind

from ..data import AnnexRow
from ..wording import (
    GROUPS,
    KIND_LABELS,
    KINDS,
    LEVEL_LABELS,
    LEVELS,
    NO_FIELD,
    NOT_EVALUATED,
    ORIGIN_LABELS,
    ORIGINS,
)
from .loading import ModelRow, YearData
from .sorting import sort_key as vietnamese_sort_key


@dataclass(frozen=True)
class Line:
    key: object
    label: str
    value: int


def _lines(order, counter: Counter) -> list[Line]:
    return [Line(key, label, counter.get(key, 0)) for key, label in order]


def _counted(rows, key) -> Counter:
    """``key(row)`` → the number of models (awards) the rows stand for."""
    counter: Counter = Counter()
    for row in rows:
        counter[key(row)] += row.count
    return counter


def registrations_total(data: YearData) -> int:
    return sum(m.count for m in data.models)


def registrations_by_group(data: YearData) -> list[Line]:
    """Per unit group (Party bodies, state agencies, Front and mass organisations, armed
    forces, localities) of the registering unit."""
    counter = _counted(data.models, lambda m: data.tree.group(m.unit_id))
    return _lines([(key, label) for key, label, _kinds in GROUPS], counter)


def registrations_by_kind(data: YearData) -> list[Line]:
    """Mô hình / điển hình tập thể / điển hình cá nhân."""
    counter = _counted(data.models, lambda m: m.kind)
    return _lines([(str(k), label) for k, label in KINDS], counter)


def registrations_by_level(data: YearData) -> list[Line]:
    """Province, (historic) district, commune and grassroots level of the registering unit."""
    return _lines(LEVELS, _counted(data.models, lambda m: data.tree.level(m.unit_id)))


def registrations_by_origin(data: YearData) -> list[Line]:
    """New this year, carried over (duy trì) from an earlier year, replicating another
    unit's model (nhân rộng)."""
    return _lines(ORIGINS, _counted(data.models, lambda m: m.origin))


@dataclass(frozen=True)
class FieldLine:
    key: int | None
    label: str
    by_kind: tuple[int, ...]  # in the order of ``wording.KINDS``

    @property
    def total(self) -> int:
        return sum(self.by_kind)


def registrations_by_field(data: YearData) -> list[FieldLine]:
    """Per top-level field, split by kind: every active field (zero rows included), then
    any other field models use, then the models without a field."""
    counter = _counted(data.models, lambda m: (m.field_id, m.kind))
    order = list(data.fields)
    known = {pk for pk, _name in order}
    extra = {m.field_id: m.field_name for m in data.models if m.field_id not in known}
    order += sorted(
        ((pk, name) for pk, name in extra.items() if pk is not None),
        key=lambda item: vietnamese_sort_key(item[1]),
    )
    if None in extra:
        order.append((None, NO_FIELD))
    return [
        FieldLine(pk, name, tuple(counter.get((pk, str(kind)), 0) for kind, _label in KINDS))
        for pk, name in order
    ]


@dataclass(frozen=True)
class Coverage:
    """Units expected to register (registering kinds, existing during the campaign)."""

    expected: int
    with_plan: int
    registered: int
    without: tuple[str, ...]  # names of the expected units that registered nothing
    by_group: tuple[tuple[str, int, int, int], ...]  # (group label, expected, plan, registered)

    @property
    def not_registered(self) -> int:
        return self.expected - self.registered


def coverage(data: YearData) -> Coverage:
    start, end = data.period
    expected = data.tree.expected(start, end)
    registering = {m.unit_id for m in data.models if m.count}
    grouped: dict[str, list] = {}
    for unit in expected:
        grouped.setdefault(data.tree.group(unit.pk), []).append(unit)
    by_group = []
    for key, label, _kinds in GROUPS:
        units = grouped.get(key, [])
        by_group.append(
            (
                label,
                len(units),
                sum(u.pk in data.plan_unit_ids for u in units),
                sum(u.pk in registering for u in units),
            )
        )
    without = sorted((u.name for u in expected if u.pk not in registering), key=vietnamese_sort_key)
    return Coverage(
        expected=len(expected),
        with_plan=sum(u.pk in data.plan_unit_ids for u in expected),
        registered=sum(u.pk in registering for u in expected),
        without=tuple(without),
        by_group=tuple(by_group),
    )


def results_by_tier(data: YearData) -> list[Line]:
    """Models per tier of their result (the rubric's tiers, highest first), then the
    models without a finalised result."""
    counter = _counted(data.models, lambda m: m.result.tier if m.result else None)
    order = list(data.tiers)
    order += sorted(
        (t for t in counter if t is not None and t not in order), key=vietnamese_sort_key
    )
    lines = [Line(tier, tier or NOT_EVALUATED, counter.get(tier, 0)) for tier in order]
    lines.append(Line(None, NOT_EVALUATED, counter.get(None, 0)))
    return lines


def evaluated_count(data: YearData) -> int:
    return sum(m.count for m in data.models if m.result is not None)


def recognised_count(data: YearData) -> int:
    return sum(m.count for m in data.models if m.result and m.result.recognised)


def _by_unit_and_name(model: ModelRow):
    return (vietnamese_sort_key(model.unit_name), vietnamese_sort_key(model.name), model.pk)


def exemplary_models(data: YearData) -> list[ModelRow]:
    """The "tiêu biểu" models, by unit then name (Vietnamese order)."""
    return sorted(
        (m for m in data.models if m.result and m.result.exemplary), key=_by_unit_and_name
    )


@dataclass(frozen=True)
class AwardLine:
    type_name: str
    issuer: str
    collectives: int
    individuals: int

    @property
    def total(self) -> int:
        return self.collectives + self.individuals


def awards_by_type_and_issuer(data: YearData) -> list[AwardLine]:
    """Awards of issued, not revoked decisions, per award type and issuing authority;
    a model award to an exemplary individual counts as an individual (a grouped row says
    so itself: ``individual_model``)."""
    individual_models = {m.pk for m in data.models if m.kind == ModelKind.INDIVIDUAL_EXEMPLAR}
    counter: Counter = Counter()
    order: dict[tuple, tuple] = {}
    for award in data.awards:
        key = (award.type_name, award.issuer)
        if key not in order:
            order[key] = (
                award.type_position,
                vietnamese_sort_key(award.type_name),
                vietnamese_sort_key(award.issuer),
            )
        individual = award.recipient_kind == RecipientKind.INDIVIDUAL or (
            award.recipient_kind == RecipientKind.MODEL
            and (award.individual_model or award.dvk_model_id in individual_models)
        )
        counter[(*key, individual)] += award.count
    return [
        AwardLine(name, issuer, counter[(name, issuer, False)], counter[(name, issuer, True)])
        for name, issuer in sorted(order, key=order.get)
    ]


def awards_total(data: YearData) -> int:
    return sum(a.count for a in data.awards)


def annex_rows(data: YearData) -> list[AnnexRow]:
    """Every registered model of the year, by unit then name (Vietnamese order)."""
    return [
        AnnexRow(
            unit=m.unit_name,
            name=m.name,
            field=m.field_name or NO_FIELD,
            kind=KIND_LABELS.get(m.kind, m.kind),
            level=LEVEL_LABELS[data.tree.level(m.unit_id)],
            origin=ORIGIN_LABELS[m.origin],
            score=m.result.score if m.result else None,
            tier=(m.result.tier if m.result else "") or "",
            award="; ".join(m.awards),
        )
        for m in sorted(data.models, key=_by_unit_and_name)
    ]


def change(current: int, previous: int | None) -> int | None:
    """The change against the previous year (None when there was no previous year)."""
    return None if previous is None else current - previous
