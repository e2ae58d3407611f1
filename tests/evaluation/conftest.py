"""A province with a campaign, its commission's secretariat, a Steering Committee of
reviewers from provincial departments, and a draft round scoring collectives."""

from types import SimpleNamespace

import pytest

from danvan.enums import Role, UnitKind
from tests.factories import (
    CampaignFactory,
    CommitteeFactory,
    CommitteeMemberFactory,
    RoundFactory,
    UnitFactory,
    UserFactory,
)
from tests.factories.registry import secretariat_for


@pytest.fixture
def campaign(db):
    return CampaignFactory()


@pytest.fixture
def province(campaign):
    return campaign.organiser


@pytest.fixture
def secretariat(campaign):
    return secretariat_for(campaign)


@pytest.fixture
def commune(province):
    return UnitFactory(name="Xã Cẩm Xuyên", parent=province)


@pytest.fixture
def committee(province):
    return CommitteeFactory(unit=province, name="Ban Chỉ đạo tỉnh")


@pytest.fixture
def members(committee):
    """Three active members, each from their own provincial department."""
    return [CommitteeMemberFactory(committee=committee) for _ in range(3)]


@pytest.fixture
def reviewers(members):
    return [member.user for member in members]


@pytest.fixture
def round_(campaign, secretariat):
    """A draft round run by the province: one-criterion rubric, two reviewers per model."""
    return RoundFactory(campaign=campaign, created_by=secretariat)


@pytest.fixture
def people(campaign, province, commune, secretariat):
    """Users in every role, inside and outside the province."""
    leadership = UnitFactory(
        name="Thường trực Tỉnh uỷ", kind=UnitKind.PARTY_BODY, parent=province, oversees=province
    )
    other_province = UnitFactory(name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    other_commission = UnitFactory(
        name="Ban Tuyên giáo và Dân vận tỉnh khác",
        kind=UnitKind.PARTY_BODY,
        parent=other_province,
        oversees=other_province,
    )
    return SimpleNamespace(
        secretariat=secretariat,
        leader=UserFactory(unit=leadership, roles=[Role.LEADER]),
        officer=UserFactory(unit=commune, roles=[Role.UNIT_OFFICER]),
        other_officer=UserFactory(unit=UnitFactory(parent=province), roles=[Role.UNIT_OFFICER]),
        other_secretariat=UserFactory(unit=other_commission, roles=[Role.SECRETARIAT]),
        admin=UserFactory(unit=None, is_superuser=True, is_staff=True),
    )
