"""Vietnamese alphabetical order in SQL (issue 13): the ``vi_icu`` collation sorts names as
``danvan.utils.vietnamese_sort_key`` does, on SQLite (a Python collation function) and on
PostgreSQL (ICU ``vi-x-icu``), and the pages show that order — not code-point order, which
puts "Phường Hoành Sơn" before "Phường Hà Huy Tập"."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from danvan.db import vi_order, vietnamese_compare
from danvan.enums import Role, UnitKind
from danvan.models import Unit
from danvan.utils import vietnamese_sort_key
from tests.factories import UnitFactory, UserFactory
from tests.factories.registry import CampaignFactory, secretariat_for

pytestmark = pytest.mark.django_db

# Names code-point order gets wrong: "à" (U+00E0) and "ả" (U+1EA3) sort after "o", "ư"
# after "u" and "v", "Đ" (U+0110) after every ASCII letter.
NAMES = [
    "Phường Hoành Sơn",
    "Phường Hải Châu",
    "Phường Hà Huy Tập",
    "Xã Thượng Lộc",
    "Xã Thạch Hà",
    "Xã Hương Xuân",
    "Xã Hương Đô",
    "Xã Đông Hà",
    "Xã Duy Tân",
    "Xã Dương Minh Châu",
    "Xã An Lạc",
    "Xã Ân Thi",
    "Xã Ăn Hiền",
]
# The dictionary's order: a < ă < â, d < đ, o < ô < ơ, u < ư; tones only break ties.
EXPECTED = [
    "Phường Hà Huy Tập",
    "Phường Hải Châu",
    "Phường Hoành Sơn",
    "Xã An Lạc",
    "Xã Ăn Hiền",
    "Xã Ân Thi",
    "Xã Duy Tân",
    "Xã Dương Minh Châu",
    "Xã Đông Hà",
    "Xã Hương Đô",
    "Xã Hương Xuân",
    "Xã Thạch Hà",
    "Xã Thượng Lộc",
]


@pytest.fixture
def units():
    return [UnitFactory(name=name) for name in NAMES]


def test_expected_order_is_vietnamese_sort_key_order_not_code_point_order():
    assert sorted(NAMES, key=vietnamese_sort_key) == EXPECTED
    assert sorted(NAMES) != EXPECTED


def test_vi_order_sorts_names_as_vietnamese_sort_key_does(units):
    names = list(Unit.objects.order_by(vi_order("name")).values_list("name", flat=True))

    assert names == EXPECTED


def test_vi_order_descending_reverses_it(units):
    names = list(
        Unit.objects.order_by(vi_order("name", descending=True)).values_list("name", flat=True)
    )

    assert names == EXPECTED[::-1]


def test_vi_order_tones_break_ties_only(db):
    words = ["Hạ", "Há", "Hả", "Hb", "Hà", "Ha", "Hã", "Hă"]
    for word in words:
        UnitFactory(name=word)

    names = list(Unit.objects.order_by(vi_order("name")).values_list("name", flat=True))

    assert names == ["Ha", "Hà", "Hả", "Hã", "Há", "Hạ", "Hă", "Hb"]
    assert names == sorted(words, key=vietnamese_sort_key)


def test_vi_order_follows_a_relation(units):
    for unit in units:
        UserFactory(unit=unit, full_name="")

    names = list(
        Unit.objects.filter(users__isnull=False)
        .order_by(vi_order("users__unit__name"))
        .values_list("name", flat=True)
    )

    assert names == EXPECTED


def test_units_default_order_and_tree_order_use_the_collation(units):
    province = UnitFactory(name="Tỉnh Hà Tĩnh", kind=UnitKind.PROVINCE)
    Unit.objects.filter(pk__in=[u.pk for u in units]).update(parent=province)

    default = [u.name for u in Unit.objects.filter(parent=province)]
    tree = [u.name for u in Unit.objects.descendants(province)]

    assert default == EXPECTED
    assert tree == EXPECTED


def test_the_database_collation_is_the_one_in_use():
    """On PostgreSQL the migration created ``vi_icu`` from ICU; on SQLite every connection
    has the Python function (its comparison agrees with the key)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT collprovider, colliculocale FROM pg_collation WHERE collname = 'vi_icu'"
            )
            assert cursor.fetchone() == ("i", "vi-x-icu")
    assert vietnamese_compare("Hà", "Hải") == -1
    assert vietnamese_compare("Đông", "Duy") == 1
    assert vietnamese_compare("Hương", "Hương") == 0


def _option_labels(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


def test_unit_select_of_a_form_shows_vietnamese_order(client):
    campaign = CampaignFactory()
    province = campaign.organiser
    for name in NAMES:
        UnitFactory(name=name, parent=province, kind=UnitKind.COMMUNE)
    client.force_login(secretariat_for(campaign))

    response = client.get(reverse("evaluation:committee_create"))

    communes = [label for label in _option_labels(response.text, "unit") if label in NAMES]
    assert communes == EXPECTED


def test_unit_page_lists_children_in_vietnamese_order(client):
    province = UnitFactory(name="Tỉnh Hà Tĩnh", kind=UnitKind.PROVINCE)
    for name in NAMES:
        UnitFactory(name=name, parent=province, kind=UnitKind.COMMUNE)
    user = UserFactory(unit=province, roles=[Role.SECRETARIAT])
    client.force_login(user)

    response = client.get(reverse("unit_detail", args=[province.pk]))

    shown = sorted((response.text.find(name), name) for name in NAMES)
    assert [name for _position, name in shown] == EXPECTED
    assert all(position > 0 for position, _name in shown)
