from types import SimpleNamespace

import pytest

from danvan.enums import Role, UnitKind
from tests.factories import CampaignFactory, UnitFactory, UserFactory
from tests.factories.registry import secretariat_for


@pytest.fixture
def campaign(db):
    """This year's provincial campaign, open for registration today."""
    return CampaignFactory()


@pytest.fixture
def province(campaign):
    return campaign.organiser


@pytest.fixture
def commune(province):
    return UnitFactory(name="Xã Cẩm Xuyên", parent=province)


@pytest.fixture
def officer(commune):
    return UserFactory(unit=commune, roles=[Role.UNIT_OFFICER])


@pytest.fixture
def secretariat(campaign):
    return secretariat_for(campaign)


@pytest.fixture
def world(campaign, province, commune, officer, secretariat):
    """A province with two communes, its commission, leaders, a committee member, and a
    second province whose officer is out of every scope here."""
    front_a = UnitFactory(
        name="Ủy ban MTTQ xã Cẩm Xuyên", kind=UnitKind.MASS_ORGANISATION, parent=commune
    )
    commune_b = UnitFactory(name="Xã Thạch Hà", parent=province)
    leadership = UnitFactory(
        name="Thường trực Tỉnh uỷ", kind=UnitKind.PARTY_BODY, parent=province, oversees=province
    )
    department = UnitFactory(name="Sở Nông nghiệp", kind=UnitKind.DEPARTMENT, parent=province)
    other_province = UnitFactory(name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    commune_c = UnitFactory(name="Xã Ngoài Tỉnh", parent=other_province)
    return SimpleNamespace(
        campaign=campaign,
        province=province,
        commune_a=commune,
        front_a=front_a,
        commune_b=commune_b,
        department=department,
        other_province=other_province,
        commune_c=commune_c,
        officer_a=officer,
        officer_b=UserFactory(unit=commune_b, roles=[Role.UNIT_OFFICER]),
        secretariat=secretariat,
        leader=UserFactory(unit=leadership, roles=[Role.LEADER]),
        committee=UserFactory(unit=department, roles=[Role.COMMITTEE_MEMBER]),
        outsider=UserFactory(unit=commune_c, roles=[Role.UNIT_OFFICER]),
        admin=UserFactory(unit=None, is_superuser=True, is_staff=True),
    )
