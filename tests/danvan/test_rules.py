import pytest

from danvan.enums import Role, UnitKind
from danvan.models import Unit
from danvan.rules import unit_in_scope, unit_in_subtree
from danvan.selectors import (
    filter_to_scope,
    unit_ancestor_ids,
    unit_ids_in_subtree,
    unit_kind_counts,
)
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    province = UnitFactory(name="Tỉnh Hà Tĩnh", kind=UnitKind.PROVINCE)
    commune_a = UnitFactory(name="Xã Cẩm Xuyên", parent=province)
    commune_b = UnitFactory(name="Xã Thạch Hà", parent=province)
    front_a = UnitFactory(
        name="MTTQ xã Cẩm Xuyên", parent=commune_a, kind=UnitKind.MASS_ORGANISATION
    )
    women_a = UnitFactory(
        name="Hội Phụ nữ xã Cẩm Xuyên", parent=front_a, kind=UnitKind.MASS_ORGANISATION
    )
    return {
        "province": province,
        "a": commune_a,
        "b": commune_b,
        "front_a": front_a,
        "women_a": women_a,
    }


def test_unit_ids_in_subtree_includes_all_descendants_only(tree):
    ids = unit_ids_in_subtree(root=tree["a"])

    assert sorted(ids) == sorted([tree["a"].pk, tree["front_a"].pk, tree["women_a"].pk])


def test_unit_ancestor_ids_runs_from_root(tree):
    assert unit_ancestor_ids(unit=tree["women_a"]) == [
        tree["province"].pk,
        tree["a"].pk,
        tree["front_a"].pk,
        tree["women_a"].pk,
    ]


def test_unit_in_subtree_deep_descendant_true(tree):
    assert unit_in_subtree(tree["women_a"], tree["a"]) is True


def test_unit_in_subtree_sibling_false(tree):
    assert unit_in_subtree(tree["b"], tree["a"]) is False


def test_unit_in_subtree_ancestor_false(tree):
    assert unit_in_subtree(tree["province"], tree["a"]) is False


def test_unit_in_scope_officer_sees_own_subtree_only(tree):
    officer = UserFactory(unit=tree["a"], roles=[Role.UNIT_OFFICER])

    assert unit_in_scope(officer, tree["women_a"]) is True
    assert unit_in_scope(officer, tree["a"]) is True
    assert unit_in_scope(officer, tree["b"]) is False
    assert unit_in_scope(officer, tree["province"]) is False


def test_unit_in_scope_superuser_sees_everything(tree):
    admin = UserFactory(unit=None, is_superuser=True)

    assert unit_in_scope(admin, tree["b"]) is True


def test_unit_in_scope_user_without_unit_sees_nothing(tree):
    orphan = UserFactory(unit=None, roles=[Role.SECRETARIAT])

    assert unit_in_scope(orphan, tree["a"]) is False


def test_view_unit_permission_needs_role_and_scope(tree):
    no_role = UserFactory(unit=tree["province"])
    secretariat = UserFactory(unit=tree["province"], roles=[Role.SECRETARIAT])

    assert no_role.has_perm("danvan.view_unit", tree["a"]) is False
    assert secretariat.has_perm("danvan.view_unit", tree["a"]) is True


def test_unit_kind_counts_limited_to_scope(tree):
    officer = UserFactory(unit=tree["a"], roles=[Role.UNIT_OFFICER])

    counts = {row["kind"]: row["n"] for row in unit_kind_counts(user=officer)}

    assert counts == {UnitKind.COMMUNE: 1, UnitKind.MASS_ORGANISATION: 2}


def test_unit_search_text_folds_diacritics(tree):
    tree["front_a"].refresh_from_db()

    assert tree["front_a"].search_text.startswith("mttq xa cam xuyen")


@pytest.mark.parametrize("unit_key", ["province", "a", "women_a"])
def test_filter_to_scope_newest_first_keeps_the_same_rows(tree, unit_key):
    user = UserFactory(unit=tree[unit_key])
    units = Unit.objects.order_by("pk")

    plain = list(filter_to_scope(units, user=user, unit_field="pk"))
    streamed = list(filter_to_scope(units, user=user, unit_field="pk", newest_first=True))

    assert streamed == plain
    assert tree[unit_key] in streamed
    assert (tree["b"] in streamed) == (unit_key == "province")
