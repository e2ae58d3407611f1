"""Who may review which entry of a round, computed for the whole round at once.

A reviewer is eligible for an entry when they are an active member of a committee of the
round's scope unit, are not on the entry yet (an approved conflict keeps its row, so it
counts), and do not work in the model's unit or in a unit above or below it. ``Panel.load``
reads everything this needs in a fixed number of queries — the ancestor paths of every unit
involved come from one recursive query — so no check runs a query per pair.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from danvan.models import Unit, User

from .enums import ConflictStatus
from .models import Assignment, CommitteeMember, Round, RoundEntry


def tree_paths(unit_ids) -> dict[int, list[int]]:
    """Ancestor paths (root … unit) of the given units, in one recursive query."""
    ids = {pk for pk in unit_ids if pk is not None}
    if not ids:
        return {}
    units = Unit.objects.with_tree_fields().filter(pk__in=ids).only("pk")
    return {unit.pk: list(unit.tree_path) for unit in units}


def units_related_by_tree(a: int | None, b: int | None, paths: dict[int, list[int]]) -> bool:
    """True when unit ``a`` is ``b``, or above it, or below it in the tree."""
    if a is None or b is None:
        return False
    return a in paths.get(b, [b]) or b in paths.get(a, [a])


@dataclass
class Panel:
    """A round's reviewers and entries with what eligibility needs (five queries)."""

    round: Round
    reviewer_units: dict[int, int | None]  # reviewer id -> their unit id
    followed: dict[int, set[int]]  # reviewer id -> unit ids they follow
    entry_units: dict[int, int]  # entry id -> the model's unit id
    on_entry: dict[int, dict[int, str]]  # entry id -> {reviewer id: conflict status}
    paths: dict[int, list[int]]  # unit id -> ancestor ids, root first

    @classmethod
    def load(cls, round_: Round, entry_ids: list[int] | None = None) -> "Panel":
        members = CommitteeMember.objects.filter(
            committee__unit_id=round_.scope_unit_id, active=True, user__is_active=True
        )
        reviewer_units = dict(members.values_list("user_id", "user__unit_id"))
        followed: dict[int, set[int]] = {r: set() for r in reviewer_units}
        through = CommitteeMember.followed_units.through
        for user_id, unit_id in through.objects.filter(
            committeemember__in=members.values("pk")
        ).values_list("committeemember__user_id", "unit_id"):
            followed[user_id].add(unit_id)
        entries = RoundEntry.objects.filter(round=round_)
        if entry_ids is not None:
            entries = entries.filter(pk__in=entry_ids)
        entry_units = dict(entries.values_list("pk", "dvk_model__unit_id"))
        on_entry: dict[int, dict[int, str]] = {e: {} for e in entry_units}
        for entry_id, reviewer_id, status in Assignment.objects.filter(
            entry_id__in=list(entry_units) if entry_ids is not None else entries.values("pk")
        ).values_list("entry_id", "reviewer_id", "conflict_status"):
            on_entry[entry_id][reviewer_id] = status
        paths = tree_paths([*reviewer_units.values(), *entry_units.values()])
        return cls(round_, reviewer_units, followed, entry_units, on_entry, paths)

    def conflicts(self, entry_id: int, reviewer_id: int) -> bool:
        return units_related_by_tree(
            self.reviewer_units.get(reviewer_id), self.entry_units[entry_id], self.paths
        )

    def eligible(self, entry_id: int) -> set[int]:
        return {
            r
            for r in self.reviewer_units
            if r not in self.on_entry[entry_id] and not self.conflicts(entry_id, r)
        }

    def follows(self, entry_id: int) -> set[int]:
        path = set(self.paths.get(self.entry_units[entry_id], []))
        return {r for r, units in self.followed.items() if units & path}

    def active_count(self, entry_id: int) -> int:
        return sum(1 for s in self.on_entry[entry_id].values() if s != ConflictStatus.APPROVED)

    def loads(self) -> dict[int, int]:
        """Active assignments per reviewer in the whole round (one grouped query)."""
        counts = dict(
            Assignment.objects.active()
            .filter(round=self.round)
            .values("reviewer_id")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("reviewer_id", "n")
        )
        return {**{r: 0 for r in self.reviewer_units}, **counts}

    def refusal(self, entry_id: int, reviewer: User) -> str | None:
        """Why ``reviewer`` cannot take ``entry_id`` (None when they can)."""
        name = str(reviewer)
        if reviewer.pk not in self.reviewer_units:
            return _(
                "%(name)s is not an active member of the Steering Committee running this round."
            ) % {"name": name}
        status = self.on_entry[entry_id].get(reviewer.pk)
        if status == ConflictStatus.APPROVED:
            return _("%(name)s has a conflict of interest with this model.") % {"name": name}
        if status is not None:
            return _("%(name)s is already assigned to this model.") % {"name": name}
        if self.conflicts(entry_id, reviewer.pk):
            return _(
                "%(name)s works in %(unit)s, which is the model's unit or above or below it: "
                "they cannot score this model."
            ) % {"name": name, "unit": reviewer.unit}
        return None
