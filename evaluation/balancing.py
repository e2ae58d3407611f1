"""Balanced assignment of reviewers to entries: a pure function, no database.

The problem: every entry needs ``needed[e]`` more reviewers, chosen among those eligible for
it (no conflict of interest, not already on it); each reviewer already carries ``loads[r]``
assignments. Coverage is never in question — reviewers have no capacity limit, so an entry
is fully covered exactly when it has enough eligible reviewers — but balance is: the
reviewers' final loads should differ as little as the conflict structure allows.

1. Greedy: entries with the fewest eligible reviewers first (they have the least choice);
   each takes the least-loaded eligible reviewers, preferring those who follow the entry's
   locality, then the lowest id (deterministic).
2. Repair: while some reviewer ``u`` can pass one new assignment along a chain
   u →(e1) w1 →(e2) w2 … → v to a reviewer ``v`` with ``load(v) ≤ load(u) − 2`` (each
   ``w`` eligible for and not yet on the entry handed to it), apply the chain. Every chain
   lowers the sum of squared loads, so this ends; when no chain exists the load vector is
   the most balanced one reachable (the feasible load vectors form an M-convex set, where a
   local optimum for these exchanges is global: it minimises the largest load and maximises
   the smallest at once). Only assignments planned in this run move; existing ones stay.
"""

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    new: list[tuple[int, int]]  # (entry id, reviewer id), sorted
    uncovered: dict[int, int]  # entry id -> reviewers still missing
    loads: dict[int, int]  # reviewer id -> load after the plan


def plan_assignments(
    *,
    reviewers: Iterable[int],
    loads: Mapping[int, int],
    needed: Mapping[int, int],
    eligible: Mapping[int, set[int]],
    preferred: Mapping[int, set[int]] | None = None,
) -> Plan:
    """Choose reviewers for the entries of ``needed`` (see the module docstring).

    ``eligible[e]`` must already exclude reviewers with a conflict or already on ``e``;
    ``preferred[e]`` are the eligible reviewers who follow the entry's locality.
    """
    reviewers = sorted(set(reviewers))
    load = {r: loads.get(r, 0) for r in reviewers}
    preferred = preferred or {}
    available = {e: set(eligible.get(e, set())) & set(reviewers) for e in needed}
    # The new assignments, per reviewer and per entry (only these may move in the repair).
    new_by_reviewer: dict[int, set[int]] = {r: set() for r in reviewers}
    on_entry: dict[int, set[int]] = {e: set() for e in needed}
    uncovered: dict[int, int] = {}

    for entry in sorted(needed, key=lambda e: (len(available[e]), e)):
        want = needed[entry]
        if want <= 0:
            continue
        follows = preferred.get(entry, set())
        choice = sorted(available[entry], key=lambda r: (load[r], r not in follows, r))[:want]
        for reviewer in choice:
            load[reviewer] += 1
            new_by_reviewer[reviewer].add(entry)
            on_entry[entry].add(reviewer)
        if len(choice) < want:
            uncovered[entry] = want - len(choice)

    while _improve(load, new_by_reviewer, on_entry, available):
        pass

    new = sorted((e, r) for r, entries in new_by_reviewer.items() for e in entries)
    return Plan(new=new, uncovered=uncovered, loads=load)


def _improve(load, new_by_reviewer, on_entry, available) -> bool:
    """Find and apply one load-lowering chain; False when none exists."""
    levels = sorted(set(load.values()), reverse=True)
    lowest = min(levels, default=0)
    for level in levels:
        if level - 2 < lowest:
            return False
        sources = [r for r, n in load.items() if n == level]
        chain = _find_chain(sources, level - 2, load, new_by_reviewer, on_entry, available)
        if chain:
            for giver, entry, taker in chain:
                new_by_reviewer[giver].discard(entry)
                on_entry[entry].discard(giver)
                new_by_reviewer[taker].add(entry)
                on_entry[entry].add(taker)
            load[chain[0][0]] -= 1
            load[chain[-1][2]] += 1
            return True
    return False


def _find_chain(sources, target_max, load, new_by_reviewer, on_entry, available):
    """Breadth-first search from ``sources`` to a reviewer loaded at most ``target_max``.

    Returns the moves ``[(giver, entry, taker), …]`` or None. Every reviewer on the chain is
    distinct and each taker is judged against the assignments before the chain, which keeps
    the result valid even when an entry appears twice on the chain.
    """
    parent: dict[int, tuple[int, int] | None] = {s: None for s in sources}
    queue = deque(sorted(sources))
    while queue:
        giver = queue.popleft()
        for entry in sorted(new_by_reviewer[giver]):
            for taker in sorted(available[entry] - on_entry[entry]):
                if taker in parent:
                    continue
                parent[taker] = (giver, entry)
                if load[taker] <= target_max:
                    chain = []
                    node = taker
                    while parent[node] is not None:
                        previous, via = parent[node]
                        chain.append((previous, via, node))
                        node = previous
                    return list(reversed(chain))
                queue.append(taker)
    return None
