import pytest

from danvan.enums import Role
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_record_plan_own_unit_or_secretariat_in_scope(world):
    officer = UserFactory(unit=world.commune_a, roles=[Role.UNIT_OFFICER])
    outsider = UserFactory(unit=UnitFactory(), roles=[Role.SECRETARIAT])

    assert officer.has_perm("reports.record_plan", world.commune_a)
    assert not officer.has_perm("reports.record_plan", world.commune_b)
    assert world.secretariat.has_perm("reports.record_plan", world.commune_b)
    assert not outsider.has_perm("reports.record_plan", world.commune_b)


def test_edit_narrative_secretariat_of_the_campaign_only(world):
    leader = UserFactory(unit=world.commission, roles=[Role.LEADER])
    outsider = UserFactory(unit=UnitFactory(), roles=[Role.SECRETARIAT])

    assert world.secretariat.has_perm("reports.edit_narrative", world.campaign)
    assert not leader.has_perm("reports.edit_narrative", world.campaign)
    assert leader.has_perm("reports.view_narrative", world.campaign)
    assert not outsider.has_perm("reports.edit_narrative", world.campaign)
