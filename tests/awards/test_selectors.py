import pytest

from awards import selectors, services
from danvan.enums import Role
from tests.awards.conftest import collective_award, model_award, new_decision
from tests.factories import DvkModelFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def issued(world, number, awards):
    decision = new_decision(world, number=number)
    for data in awards:
        services.award_add(decision=decision, data=data, by=world.secretariat)
    return services.decision_issue(decision=decision, by=world.secretariat)


def test_awards_for_model_follows_carried_over_lineage(world):
    issued(world, 1, [model_award(world)])
    successor = DvkModelFactory(
        campaign=world.campaign, unit=world.exemplary.unit, predecessor=world.exemplary
    )

    awards = list(selectors.awards_for_model(dvk_model=successor))

    assert [a.dvk_model for a in awards] == [world.exemplary]
    assert awards[0].is_revoked is False


def test_awards_for_model_shows_revoked_and_hides_drafts(world):
    decision = issued(world, 1, [model_award(world)])
    services.decision_revoke(decision=decision, reason="Sai", by=world.secretariat)
    draft = new_decision(world, number=2)
    services.award_add(
        decision=draft, data=model_award(world, world.recognised), by=world.secretariat
    )

    awards = list(selectors.awards_for_model(dvk_model=world.exemplary))

    assert [a.is_revoked for a in awards] == [True]
    assert list(selectors.awards_for_model(dvk_model=world.recognised)) == []


def test_awards_for_unit_collective_and_model_awards(world):
    commune = world.exemplary.unit
    issued(world, 1, [model_award(world), collective_award(world, commune)])

    assert selectors.awards_for_unit(unit=commune).count() == 2


def test_decisions_visible_to_scope_of_issuer(world):
    decision = new_decision(world)
    outsider = UserFactory(unit=UnitFactory(), roles=[Role.SECRETARIAT])

    assert list(selectors.decisions_visible_to(user=world.secretariat)) == [decision]
    assert list(selectors.decisions_visible_to(user=outsider)) == []


def test_awards_visible_to_unit_officer_own_units_once_issued(world):
    commune = world.exemplary.unit
    officer = UserFactory(unit=commune, roles=[Role.UNIT_OFFICER])
    draft = new_decision(world, number=2)
    services.award_add(decision=draft, data=collective_award(world, commune), by=world.secretariat)
    assert list(selectors.awards_visible_to(user=officer)) == []

    issued(world, 1, [model_award(world), model_award(world, world.recognised)])

    assert [a.dvk_model for a in selectors.awards_visible_to(user=officer)] == [world.exemplary]


def test_award_register_totals_exclude_revoked_and_filter(world):
    issued(
        world,
        1,
        [
            model_award(world, amount=1_000_000),
            model_award(world, world.recognised, amount=500_000),
        ],
    )
    revoked = issued(world, 2, [collective_award(world, world.province, amount=700_000)])
    services.decision_revoke(decision=revoked, reason="Sai", by=world.secretariat)

    register = selectors.award_register(user=world.secretariat)
    only_revoked = selectors.award_register(user=world.secretariat, filters={"revoked": True})

    assert (register.count, register.total_amount) == (3, 1_500_000)
    assert (only_revoked.count, only_revoked.total_amount) == (1, 0)
    assert selectors.award_register(user=world.secretariat, filters={"level": "commune"}).count == 0


@pytest.mark.parametrize("rows", [1, 3])
def test_award_register_query_count_constant(world, rows, django_assert_num_queries):
    units = [UnitFactory(parent=world.province) for _ in range(rows)]
    issued(world, 1, [collective_award(world, unit) for unit in units])
    user = type(world.secretariat).objects.get(pk=world.secretariat.pk)
    user.scope_unit_id  # noqa: B018 -- load the user's unit before counting

    with django_assert_num_queries(2):
        register = selectors.award_register(user=user)
        names = [
            (a.recipient_name, a.decision.display_number, a.award_type.name)
            for a in register.awards
        ]

    assert len(names) == register.count == rows
