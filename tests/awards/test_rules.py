"""The permission matrix of the awards rules (secretariat manages in scope, leaders read,
unit officers read their own units' awards once issued)."""

import pytest

from awards import services
from danvan.enums import Role
from tests.awards.conftest import collective_award, new_decision
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    commune = world.exemplary.unit
    return {
        "secretariat": world.secretariat,
        "leader": UserFactory(unit=world.secretariat.unit, roles=[Role.LEADER]),
        "officer": UserFactory(unit=commune, roles=[Role.UNIT_OFFICER]),
        "other_officer": UserFactory(unit=UnitFactory(), roles=[Role.UNIT_OFFICER]),
        "other_secretariat": UserFactory(unit=UnitFactory(), roles=[Role.SECRETARIAT]),
    }


def allowed(people, perm, obj=None) -> set[str]:
    return {
        name
        for name, user in people.items()
        if type(user).objects.get(pk=user.pk).has_perm(perm, obj)
    }


def test_decision_matrix_draft_issued_revoked(world, people):
    decision = new_decision(world)
    award = services.award_add(
        decision=decision, data=collective_award(world, world.exemplary.unit), by=world.secretariat
    )

    assert allowed(people, "awards.view_decision", decision) == {"secretariat", "leader"}
    assert allowed(people, "awards.change_decision", decision) == {"secretariat"}
    assert allowed(people, "awards.issue_decision", decision) == {"secretariat"}
    assert allowed(people, "awards.revoke_decision", decision) == set()
    assert allowed(people, "awards.view_award", award) == {"secretariat", "leader"}

    services.decision_issue(decision=decision, by=world.secretariat)
    decision.refresh_from_db()
    award.refresh_from_db()

    assert allowed(people, "awards.change_decision", decision) == set()
    assert allowed(people, "awards.revoke_decision", decision) == {"secretariat"}
    assert allowed(people, "awards.view_award", award) == {"secretariat", "leader", "officer"}


def test_global_permissions(people):
    assert allowed(people, "awards.manage") == {"secretariat", "other_secretariat"}
    assert allowed(people, "awards.manage_award_types") == {"secretariat", "other_secretariat"}
    assert allowed(people, "awards.view_register") == {"secretariat", "other_secretariat", "leader"}


def test_proposal_matrix(world, people):
    proposal = services.proposal_create_from_round(round=world.round, by=world.secretariat)

    assert allowed(people, "awards.view_proposal", proposal) == {"secretariat", "leader"}
    assert allowed(people, "awards.change_proposal", proposal) == {"secretariat"}
    services.proposal_send(proposal=proposal, by=world.secretariat)
    proposal.refresh_from_db()
    assert allowed(people, "awards.change_proposal", proposal) == set()
