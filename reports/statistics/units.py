"""The organisation tree as a report reads it: each unit's group, level and locality, the
units expected to register, and the successors that dissolved or merged units roll up
into. Loaded once per report (one query for the subtree, one for the successions)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from danvan.enums import UnitKind
from danvan.models import Unit, UnitSuccession
from danvan.selectors import subtree_pks
from models_registry.selectors import REGISTERING_KINDS

from ..wording import GROUP_OF_KIND


@dataclass(frozen=True)
class UnitInfo:
    pk: int
    parent_id: int | None
    kind: str
    name: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    active: bool

    def valid_during(self, start: datetime.date, end: datetime.date) -> bool:
        """Existing at some point of ``start``–``end``. A unit switched off without an end
        date counts as gone (its end was not recorded)."""
        if not self.active and self.valid_to is None:
            return False
        if self.valid_from is not None and self.valid_from > end:
            return False
        return self.valid_to is None or self.valid_to >= start


@dataclass
class UnitTree:
    root_id: int
    units: dict[int, UnitInfo]
    # predecessor id -> principal successor id (first recorded succession)
    successors: dict[int, int] = field(default_factory=dict)
    succession_years: dict[int, int] = field(default_factory=dict)
    _levels: dict[int, str] = field(default_factory=dict)
    _localities: dict[int, int] = field(default_factory=dict)
    _expected: dict[tuple, list[UnitInfo]] = field(default_factory=dict)

    def group(self, unit_id: int) -> str:
        unit = self.units.get(unit_id)
        return GROUP_OF_KIND.get(unit.kind, "local") if unit else "local"

    def level(self, unit_id: int) -> str:
        """Grassroots for villages and residential groups; commune or (historic) district
        level for a unit at or below one; province level otherwise."""
        if unit_id in self._levels:
            return self._levels[unit_id]
        unit = self.units.get(unit_id)
        level = "province"
        if unit is not None and unit.kind == UnitKind.RESIDENTIAL:
            level = "grassroots"
        else:
            for ancestor in self.ancestors(unit_id):
                if ancestor.kind == UnitKind.COMMUNE:
                    level = "commune"
                    break
                if ancestor.kind == UnitKind.DISTRICT:
                    level = "district"
                    break
        self._levels[unit_id] = level
        return level

    def ancestors(self, unit_id: int):
        """The unit itself, then its parents up to the root (within the loaded tree)."""
        seen = set()
        unit = self.units.get(unit_id)
        while unit is not None and unit.pk not in seen:
            seen.add(unit.pk)
            yield unit
            if unit.pk == self.root_id:
                return
            unit = self.units.get(unit.parent_id)

    def locality(self, unit_id: int) -> int:
        """The unit directly below the root that contains ``unit_id`` (the root itself for
        the root's own models). Kept per unit: a page asks for thousands."""
        found = self._localities.get(unit_id)
        if found is None:
            chain = [u.pk for u in self.ancestors(unit_id)]
            if len(chain) >= 2 and chain[-1] == self.root_id:
                found = chain[-2]
            else:
                found = chain[0] if chain else unit_id
            self._localities[unit_id] = found
        return found

    def rolled_up(self, unit_id: int) -> int:
        """The successor a dissolved, merged or renamed unit's figures go to, followed
        through successive changes; the unit itself when it has none."""
        seen = {unit_id}
        while unit_id in self.successors:
            unit_id = self.successors[unit_id]
            if unit_id in seen:
                break
            seen.add(unit_id)
        return unit_id

    def expected(self, start: datetime.date, end: datetime.date) -> list[UnitInfo]:
        """Units of the registering kinds existing during ``start``–``end`` (the same kinds
        as the registration coverage page). Kept per period while the tree is unchanged (the
        dashboard asks three times)."""
        key = (start, end, len(self.units))
        if key not in self._expected:
            self._expected[key] = [
                u
                for u in self.units.values()
                if u.kind in REGISTERING_KINDS and u.valid_during(start, end)
            ]
        return list(self._expected[key])

    def name(self, unit_id: int) -> str:
        unit = self.units.get(unit_id)
        return unit.name if unit else ""


_FIELDS = ("pk", "parent_id", "kind", "name", "valid_from", "valid_to", "active")


def _depth_first(root_id: int, rows: list[tuple]) -> dict[int, UnitInfo]:
    """``rows`` (siblings in the units' order) by id, depth-first from ``root_id``: the
    order ``Unit.objects.descendants`` gives, without its tree CTE."""
    children: dict[int | None, list[tuple]] = {}
    for row in rows:
        children.setdefault(row[1], []).append(row)
    by_id = {row[0]: row for row in rows}
    units: dict[int, UnitInfo] = {}
    stack = [by_id[root_id]] if root_id in by_id else []
    while stack:
        row = stack.pop()
        units[row[0]] = UnitInfo(*row)
        stack.extend(reversed(children.get(row[0], ())))
    return units


def load_tree(root: Unit | int, *, successions: bool = False) -> UnitTree:
    """``root``'s subtree (one query: a walk down from ``root``, not the tree CTE over
    every unit) and, if asked, the successions out of it (one more)."""
    root_id = getattr(root, "pk", root)
    rows = list(Unit.objects.filter(pk__in=subtree_pks(root_id)).values_list(*_FIELDS))
    tree = UnitTree(root_id=root_id, units=_depth_first(root_id, rows))
    if successions:
        links = (
            UnitSuccession.objects.filter(predecessor_id__in=list(tree.units))
            .order_by("effective_date", "pk")
            .values_list("predecessor_id", "successor_id", "effective_date")
        )
        for predecessor, successor, effective in links:
            if predecessor not in tree.successors:
                tree.successors[predecessor] = successor
                tree.succession_years[predecessor] = effective.year
    return tree


def add_units(tree: UnitTree, unit_ids) -> None:
    """Load units referenced by the data but outside the subtree (one query, only when
    there are any), so that names and groups still resolve."""
    missing = [pk for pk in set(unit_ids) if pk not in tree.units]
    if missing:
        for row in Unit.objects.filter(pk__in=missing).values_list(*_FIELDS):
            tree.units[row[0]] = UnitInfo(*row)


def narrowed(tree: UnitTree, root_id: int) -> UnitTree:
    """The part of ``tree`` at or below ``root_id`` (no query): the dashboard loads the
    user's subtree once and narrows it to a locality or a lower organiser's campaign."""
    if root_id == tree.root_id:
        return tree
    units = {
        pk: unit
        for pk, unit in tree.units.items()
        if any(a.pk == root_id for a in tree.ancestors(pk))
    }
    return UnitTree(root_id=root_id, units=units, successors=dict(tree.successors))
