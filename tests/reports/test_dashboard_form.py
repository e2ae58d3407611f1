"""The dashboard's filter form (``reports.forms.DashboardFilterForm``): the year among the
campaigns reaching the user (default: the current one), the locality among the units of
the user's scope, the top-level field; anything else refused at its field in Vietnamese."""

import pytest
from django.http import QueryDict

from danvan.enums import Role
from reports.forms import DashboardFilterForm
from reports.forms.dashboard import FIELD_REFUSED, LOCALITY_REFUSED, YEAR_REFUSED
from tests.factories import FieldFactory, UserFactory
from tests.reports.conftest import campaign_for

pytestmark = pytest.mark.django_db

PROVINCE_UNITS = [
    "Ban Tuyên giáo và Dân vận Tỉnh ủy",
    "Công an tỉnh",
    "Huyện Can Lộc",  # dissolved on 30 June 2025: it existed during the 2025 campaign
    "Sở Y tế",
    "Ủy ban MTTQ Việt Nam tỉnh",
    "Xã Can Lộc",
    "Xã Đức Thọ",
]


def form_of(user, query: str = "") -> DashboardFilterForm:
    return DashboardFilterForm(QueryDict(query), user=user)


def locality_names(form) -> list[str]:
    return [label for value, label in form.fields["locality"].choices if value != ""]


@pytest.fixture
def leader_a(world):
    return UserFactory(unit=world.commune_a, roles=[Role.LEADER])


def test_no_filters_gives_the_current_campaign_and_the_whole_scope(world):
    form = form_of(world.secretariat)

    filters = form.filters()

    assert (filters.campaign, filters.locality, filters.field) == (world.campaign, None, None)
    assert form["year"].value() == str(world.campaign.pk)  # shown as chosen


def test_years_are_the_campaigns_reaching_the_user(world):
    form = form_of(world.secretariat, f"year={world.previous.pk}")

    assert form.fields["year"].choices == [
        (world.campaign.pk, "2025"),
        (world.previous.pk, "2024"),
    ]
    assert form.filters().campaign == world.previous


def test_two_campaigns_of_one_year_are_told_apart_by_organiser(world, leader_a):
    own = campaign_for(world.commune_a, 2025)

    form = form_of(leader_a, f"year={own.pk}")

    labels = [label for _value, label in form.fields["year"].choices]
    assert labels == ["2025 – Tỉnh Hà Tĩnh", "2025 – Xã Đức Thọ", "2024"]
    assert form.filters().campaign == own


@pytest.mark.parametrize("value", ["other", "abc", "999999"])
def test_year_not_reaching_the_user_is_refused_at_the_field(world, leader_a, value):
    other = campaign_for(world.commune_b, 2025)  # commune B's own campaign
    query = f"year={other.pk}" if value == "other" else f"year={value}"

    form = form_of(leader_a, query)

    assert form.filters() is None
    assert form.errors["year"] == [str(YEAR_REFUSED)]


def test_localities_are_the_units_below_the_scope_root_in_vietnamese_order(world):
    assert locality_names(form_of(world.secretariat)) == PROVINCE_UNITS


def test_commune_leader_is_offered_the_units_of_the_commune(world, leader_a):
    assert locality_names(form_of(leader_a)) == ["Hội Liên hiệp Phụ nữ xã Đức Thọ", "Thôn 1"]


def test_locality_is_kept_in_the_filters(world):
    form = form_of(world.secretariat, f"locality={world.commune_a.pk}")

    assert form.filters().locality == world.commune_a


def test_deeper_unit_of_the_scope_is_accepted_and_shown(world):
    form = form_of(world.secretariat, f"locality={world.village.pk}")

    assert form.filters().locality == world.village
    assert "Thôn 1" in locality_names(form)


@pytest.mark.parametrize("value", ["commune_b", "province", "abc", "999999"])
def test_locality_outside_the_scope_is_refused_at_the_field(world, leader_a, value):
    unit = getattr(world, value, None)
    query = f"locality={unit.pk}" if unit is not None else f"locality={value}"

    form = form_of(leader_a, f"{query}&field={world.economy.pk}")

    assert form.filters() is None
    assert form.errors["locality"] == [str(LOCALITY_REFUSED)]
    assert form["field"].value() == str(world.economy.pk)  # the other input is kept


def test_field_is_a_top_level_active_field(world):
    form = form_of(world.secretariat, f"field={world.society.pk}")

    assert form.filters().field == world.society


@pytest.mark.parametrize("which", ["topic", "inactive", "unknown"])
def test_other_field_is_refused_at_the_field(world, which):
    value = {
        "topic": world.topic.pk,
        "inactive": FieldFactory(name="Cũ", active=False).pk,
        "unknown": "abc",
    }[which]

    form = form_of(world.secretariat, f"field={value}&locality={world.commune_a.pk}")

    assert form.filters() is None
    assert form.errors["field"] == [str(FIELD_REFUSED)]
    assert form["locality"].value() == str(world.commune_a.pk)


def test_user_without_a_campaign_gets_no_filters(world):
    outsider = UserFactory(unit=None)

    form = form_of(outsider)

    assert form.has_campaign is False
    assert form.filters() is None
    assert form.fields["year"].choices == []


def test_administrator_without_unit_chooses_among_every_campaign_and_the_organisers_units(
    world,
):
    admin = UserFactory(unit=None, is_superuser=True, is_staff=True)

    form = form_of(admin)

    assert [label for _value, label in form.fields["year"].choices] == ["2025", "2024"]
    assert form.filters().campaign == world.campaign
    assert locality_names(form) == PROVINCE_UNITS


def test_unbound_data_is_read_as_no_filters(world):
    form = DashboardFilterForm(None, user=world.secretariat)

    assert form.filters().campaign == world.campaign
