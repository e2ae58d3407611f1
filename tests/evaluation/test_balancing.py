"""evaluation/balancing.py and assignments_auto as properties over random organisations.

The property test builds, inside each example, a random unit tree under a province, a
random committee (members in random units of the tree) and random entries (models of random
units), runs ``assignments_auto`` and checks it against an exhaustive search: every entry
gets as many reviewers as it can, nobody reviews a unit above or below their own, and the
loads are exactly as balanced as the best possible assignment.
"""

import itertools
from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danvan.enums import UnitKind
from evaluation import balancing, services
from evaluation.models import Assignment
from tests.factories import (
    CampaignFactory,
    CommitteeFactory,
    CommitteeMemberFactory,
    DvkModelFactory,
    RoundEntryFactory,
    RoundFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# --- The pure planner ---------------------------------------------------------------------


def test_plan_assignments_without_conflicts_differs_by_at_most_one():
    entries = {e: 3 for e in range(7)}

    plan = balancing.plan_assignments(
        reviewers=range(5),
        loads={},
        needed=entries,
        eligible={e: set(range(5)) for e in entries},
    )

    assert Counter(e for e, _r in plan.new) == {e: 3 for e in entries}
    assert sorted(plan.loads.values()) == [4, 4, 4, 4, 5]
    assert plan.uncovered == {}


def test_plan_assignments_repairs_greedy_imbalance_along_a_chain():
    # Entry 0 can only go to reviewer 0; entries 1 and 2 to 0 or 1; entry 3 to 1 or 2.
    # Balanced optimum: loads 1, 1, 1 with reviewer 2 used (2 loads are reachable only by
    # passing entry 3 on and entry 2 back).
    eligible = {0: {0}, 1: {0, 1}, 2: {0, 1}, 3: {1, 2}}

    plan = balancing.plan_assignments(
        reviewers=[0, 1, 2], loads={}, needed={e: 1 for e in eligible}, eligible=eligible
    )

    assert sorted(plan.loads.values()) == [1, 1, 2]
    assert all(r in eligible[e] for e, r in plan.new)


def test_plan_assignments_counts_existing_loads():
    plan = balancing.plan_assignments(
        reviewers=[1, 2], loads={1: 3}, needed={10: 1, 11: 1}, eligible={10: {1, 2}, 11: {1, 2}}
    )

    assert plan.new == [(10, 2), (11, 2)]
    assert plan.loads == {1: 3, 2: 2}


def test_plan_assignments_reports_uncovered_entries():
    plan = balancing.plan_assignments(
        reviewers=[1, 2], loads={}, needed={10: 3}, eligible={10: {1, 2}}
    )

    assert plan.uncovered == {10: 1}
    assert plan.new == [(10, 1), (10, 2)]


def test_plan_assignments_is_deterministic():
    args = {
        "reviewers": [5, 3, 9],
        "loads": {},
        "needed": {1: 2, 2: 2, 3: 1},
        "eligible": {1: {3, 5, 9}, 2: {3, 9}, 3: {5, 9}},
    }

    assert balancing.plan_assignments(**args) == balancing.plan_assignments(**args)


@st.composite
def bipartite(draw):
    reviewers = list(range(draw(st.integers(min_value=1, max_value=4))))
    entries = list(range(100, 100 + draw(st.integers(min_value=1, max_value=5))))
    eligible = {e: set(draw(st.lists(st.sampled_from(reviewers), unique=True))) for e in entries}
    loads = {r: draw(st.integers(min_value=0, max_value=3)) for r in reviewers}
    needed = {e: draw(st.integers(min_value=1, max_value=2)) for e in entries}
    return reviewers, loads, needed, eligible


@settings(max_examples=300, deadline=None)
@given(problem=bipartite())
def test_plan_assignments_property_matches_exhaustive_optimum(problem):
    reviewers, loads, needed, eligible = problem

    plan = balancing.plan_assignments(
        reviewers=reviewers, loads=loads, needed=needed, eligible=eligible
    )

    choices = [
        list(itertools.combinations(sorted(eligible[e]), min(needed[e], len(eligible[e]))))
        for e in needed
    ]
    best = min(
        max(totals.values()) - min(totals.values())
        for totals in (_loads(reviewers, loads, combo) for combo in itertools.product(*choices))
    )
    assert max(plan.loads.values()) - min(plan.loads.values()) == best
    assert all(r in eligible[e] for e, r in plan.new)
    assert Counter(e for e, _r in plan.new) == {
        e: min(n, len(eligible[e])) for e, n in needed.items() if min(n, len(eligible[e]))
    }


def _loads(reviewers, loads, combo):
    total = {r: loads.get(r, 0) for r in reviewers}
    for chosen in combo:
        for r in chosen:
            total[r] += 1
    return total


# --- The property over random organisations ------------------------------------------------


@st.composite
def organisations(draw):
    """A tree of 2–8 units under a province (parents drawn among earlier units), 1–4
    reviewers and 1–5 entries placed in random units, and 1–2 reviewers per model."""
    size = draw(st.integers(min_value=2, max_value=8))
    parents = [draw(st.integers(min_value=0, max_value=i)) for i in range(size)]
    place = st.integers(min_value=0, max_value=size)  # 0 is the province itself
    reviewers = draw(st.lists(place, min_size=1, max_size=4))
    entries = draw(st.lists(place, min_size=1, max_size=5))
    per_model = draw(st.integers(min_value=1, max_value=2))
    return parents, reviewers, entries, per_model


def ancestors(index, parents):
    """Indices from the unit up to the province (0), units being 1..n with parents."""
    chain = [index]
    while index != 0:
        index = parents[index - 1]
        chain.append(index)
    return chain


def related(a, b, parents):
    return a in ancestors(b, parents) or b in ancestors(a, parents)


def best_spread(reviewer_places, entry_places, parents, per_model):
    """The smallest (max load − min load) over every valid assignment (exhaustive)."""
    choices = []
    for place in entry_places:
        eligible = [r for r, rp in enumerate(reviewer_places) if not related(rp, place, parents)]
        k = min(per_model, len(eligible))
        choices.append(list(itertools.combinations(eligible, k)))
    best = None
    for combo in itertools.product(*choices):
        loads = Counter({r: 0 for r in range(len(reviewer_places))})
        for chosen in combo:
            loads.update(chosen)
        spread = max(loads.values()) - min(loads.values())
        best = spread if best is None else min(best, spread)
        if best == 0:
            break
    return best


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(organisation=organisations())
def test_assignments_auto_property_covered_conflict_free_optimally_balanced(db, organisation):
    parents, reviewer_places, entry_places, per_model = organisation
    with transaction.atomic():
        province = UnitFactory(kind=UnitKind.PROVINCE)
        units = [province]
        for parent in parents:
            units.append(UnitFactory(parent=units[parent]))
        campaign = CampaignFactory(organiser=province)
        secretariat = UserFactory(unit=province)
        committee = CommitteeFactory(unit=province)
        members = [
            CommitteeMemberFactory(committee=committee, user=UserFactory(unit=units[place]))
            for place in reviewer_places
        ]
        round_ = RoundFactory(
            campaign=campaign, created_by=secretariat, reviewers_per_model=per_model
        )
        entries = [
            RoundEntryFactory(
                round=round_,
                dvk_model=DvkModelFactory(campaign=campaign, unit=units[place]),
            )
            for place in entry_places
        ]

        result = services.assignments_auto(round=round_, by=secretariat)
        again = services.assignments_auto(round=round_, by=secretariat)

        place_of_reviewer = {
            m.user_id: place for m, place in zip(members, reviewer_places, strict=True)
        }
        pairs = list(Assignment.objects.filter(round=round_).values_list("entry_id", "reviewer_id"))
        per_entry = Counter(entry_id for entry_id, _r in pairs)
        loads = Counter({m.user_id: 0 for m in members})
        loads.update(reviewer_id for _e, reviewer_id in pairs)
        for entry, place in zip(entries, entry_places, strict=True):
            eligible = sum(not related(rp, place, parents) for rp in reviewer_places)
            assert per_entry[entry.pk] == min(per_model, eligible)
        for entry_id, reviewer_id in pairs:
            entry_place = entry_places[[e.pk for e in entries].index(entry_id)]
            assert not related(place_of_reviewer[reviewer_id], entry_place, parents)
        uncovered = {e.pk: missing for e, missing in result.uncovered}
        expected_uncovered = {
            e.pk: per_model - per_entry[e.pk] for e in entries if per_entry[e.pk] < per_model
        }
        assert uncovered == expected_uncovered
        spread = max(loads.values()) - min(loads.values())
        assert spread == best_spread(reviewer_places, entry_places, parents, per_model)
        assert again.created == []
        transaction.set_rollback(True)
