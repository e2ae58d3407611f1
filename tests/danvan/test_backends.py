"""danvan.backends.UserBackend and the User's caching helpers: the fixed cost of a request
(the user with their unit and facts in one query, roles and permissions in one more)
with Django's permission semantics unchanged."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory

from danvan.backends import UserBackend
from danvan.context_processors import site
from danvan.enums import Role
from danvan.models import Unit, User
from danvan.selectors import unit_ancestor_ids
from danvan.services import user_set_roles
from tests.factories import UnitFactory, UserFactory
from tests.factories.evaluation import CommitteeFactory, CommitteeMemberFactory

pytestmark = pytest.mark.django_db


def _signed_in(user) -> User:
    return UserBackend().get_user(user.pk)


def test_get_user_loads_the_unit_and_the_registered_facts_in_one_query(
    django_assert_num_queries,
):
    member = UserFactory(roles=[Role.COMMITTEE_MEMBER])
    CommitteeMemberFactory(user=member, committee=CommitteeFactory(unit=member.unit))

    with django_assert_num_queries(1):
        user = _signed_in(member)
        assert user.unit.name == member.unit.name
        assert user.has_perm("evaluation.review")
        assert user.fact("is_reviewer", lambda: pytest.fail("asked the database")) is True


def test_get_user_loads_the_unit_s_ancestors_from_the_root_down(django_assert_num_queries):
    province = UnitFactory()
    commune = UnitFactory(parent=province)
    hamlet = UnitFactory(parent=commune)
    user = UserFactory(unit=hamlet)

    with django_assert_num_queries(1):
        signed_in = _signed_in(user)
        ancestors = unit_ancestor_ids(unit=signed_in.unit)

    assert ancestors == [province.pk, commune.pk, hamlet.pk]
    assert ancestors == unit_ancestor_ids(unit=Unit.objects.get(pk=hamlet.pk))


def test_get_user_without_a_unit_loads_no_ancestors():
    user = UserFactory(unit=None)

    assert _signed_in(user).unit is None


def test_get_user_refuses_an_inactive_user():
    user = UserFactory(is_active=False)

    assert _signed_in(user) is None


def test_roles_and_permissions_are_read_once_in_one_query(django_assert_num_queries):
    user = UserFactory(roles=[Role.SECRETARIAT])
    user.user_permissions.add(Permission.objects.get(codename="view_historicalunit"))
    signed_in = _signed_in(user)

    with django_assert_num_queries(1):
        assert signed_in.has_role(Role.SECRETARIAT)
        assert not signed_in.has_role(Role.LEADER)
        assert signed_in.has_perm("danvan.view_user")
        assert signed_in.has_perm("danvan.view_historicalunit")
        assert not signed_in.has_perm("danvan.change_unit")
        assert "danvan.view_user" in signed_in.get_all_permissions()


def test_permissions_are_django_s_own_for_every_kind_of_grant():
    """The user's own permission, their groups' (one granted in the admin beyond the
    role's), a group without permissions, and none at all."""
    own = UserFactory(roles=[Role.LEADER])
    own.user_permissions.add(Permission.objects.get(codename="change_unit"))
    Group.objects.get(name=Role.LEADER).permissions.add(
        Permission.objects.get(codename="view_user")
    )
    bare_group = UserFactory()
    bare_group.groups.add(Group.objects.create(name="không quyền"))
    nothing = UserFactory()

    for user in (own, bare_group, nothing):
        expected = ModelBackend().get_all_permissions(User.objects.get(pk=user.pk))
        signed_in = _signed_in(user)
        assert signed_in.get_all_permissions() == expected
        assert signed_in.get_user_permissions() == ModelBackend().get_user_permissions(
            User.objects.get(pk=user.pk)
        )
    assert _signed_in(bare_group).has_role("không quyền")


def test_a_superuser_keeps_every_permission():
    admin = UserFactory(is_superuser=True, is_staff=True)

    signed_in = _signed_in(admin)

    assert signed_in.get_all_permissions() == {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
    assert signed_in.has_perm("evaluation.manage_rounds")


def test_setting_roles_forgets_what_the_user_object_kept():
    user = _signed_in(UserFactory(roles=[Role.UNIT_OFFICER]))
    assert not user.has_perm("danvan.view_user")

    user_set_roles(user=user, roles=[Role.SECRETARIAT])

    assert user.has_role(Role.SECRETARIAT)
    assert user.has_perm("danvan.view_user")


def test_a_fact_of_a_user_not_loaded_by_the_backend_is_computed_once(
    django_assert_num_queries,
):
    member = UserFactory()
    CommitteeMemberFactory(user=member, committee=CommitteeFactory(unit=member.unit))
    user = User.objects.get(pk=member.pk)

    with django_assert_num_queries(1):
        assert user.has_perm("evaluation.review")
        assert user.has_perm("evaluation.review")


def test_remember_computes_once_per_user_object():
    user = UserFactory()
    calls = []

    first = user.remember(("thing", 1), lambda: calls.append(1) or "a")
    second = user.remember(("thing", 1), lambda: calls.append(1) or "b")

    assert (first, second, calls) == ("a", "a", [1])


def test_the_menu_is_computed_once_per_request(django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = _signed_in(UserFactory(roles=[Role.SECRETARIAT], unit=UnitFactory()))
    first = site(request)

    with django_assert_num_queries(0):
        second = site(request)

    assert second is first
    assert first["nav_items"][0]["name"] == "home"


def test_migrate_writes_every_role_group_with_its_permissions():
    """The groups come from post_migrate (danvan.services.roles_sync_after_migrate): a new
    server has them after ``migrate``, an upgrade gets a role's new permission."""
    from danvan.extensions import role_permissions

    for role in Role:
        group = Group.objects.get(name=role.value)
        granted = {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert granted == set(role_permissions(role)), role
