"""The secretariat's audit page over the activity log (issue 7), and the timeline partial."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from danvan.activity import (
    activity_for,
    activity_rows,
    activity_visible_to,
    log_action,
    register_action,
)
from danvan.enums import Role, UnitKind
from danvan.extensions import menu_for
from danvan.models import ActivityLog
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("activity_list")


@pytest.fixture(autouse=True)
def _labels():
    register_action("danvan.unit.rename", "Đổi tên đơn vị")
    register_action("danvan.user.lock", "Khóa tài khoản")


@pytest.fixture
def tree():
    province = UnitFactory(name="Tỉnh Hà Tĩnh", kind=UnitKind.PROVINCE)
    commission = UnitFactory(
        name="Ban Tuyên giáo và Dân vận Tỉnh ủy",
        kind=UnitKind.PARTY_BODY,
        parent=province,
        oversees=province,
    )
    commune = UnitFactory(name="Xã Cẩm Xuyên", parent=province)
    elsewhere = UnitFactory(name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    secretariat = UserFactory(full_name="Lê Thu Hà", unit=commission, roles=[Role.SECRETARIAT])
    return {
        "province": province,
        "commune": commune,
        "elsewhere": elsewhere,
        "secretariat": secretariat,
    }


def _log(obj, action="danvan.unit.rename", *, actor=None, unit=None, **data):
    return log_action(obj, action, actor=actor, data=data, unit=unit)


def test_activity_visible_to_secretariat_is_their_subtree(tree):
    inside = _log(tree["commune"], unit=tree["commune"])
    _log(tree["elsewhere"], unit=tree["elsewhere"])
    _log(tree["province"], unit=None)

    rows = list(activity_visible_to(user=tree["secretariat"]))

    assert rows == [inside]


def test_activity_visible_to_administrator_is_everything(tree):
    _log(tree["commune"], unit=tree["commune"])
    _log(tree["elsewhere"], unit=tree["elsewhere"])
    _log(tree["province"], unit=None)
    admin = UserFactory(is_superuser=True, unit=None)

    assert activity_visible_to(user=admin).count() == 3


def test_activity_page_lists_rows_in_scope_with_label_actor_object_and_reason(client, tree):
    secretariat = tree["secretariat"]
    _log(tree["commune"], actor=secretariat, unit=tree["commune"], reason="Sáp nhập")
    _log(tree["elsewhere"], actor=secretariat, unit=tree["elsewhere"], reason="Bí mật")
    client.force_login(secretariat)

    response = client.get(URL)

    assert response.status_code == 200
    text = response.text
    assert "Đổi tên đơn vị" in text
    assert "Lê Thu Hà" in text
    assert f'href="{tree["commune"].get_absolute_url()}"' in text
    assert "Sáp nhập" in text
    assert "Bí mật" not in text


def test_activity_page_shows_a_deleted_object_by_its_id(client, tree):
    unit = UnitFactory(parent=tree["commune"])
    row = _log(unit, unit=tree["commune"])
    ActivityLog.objects.filter(pk=row.pk).update(object_id=987654)
    client.force_login(tree["secretariat"])

    response = client.get(URL)

    assert response.status_code == 200
    assert "#987654" in response.text


@pytest.mark.parametrize("role", [Role.UNIT_OFFICER, Role.COMMITTEE_MEMBER, Role.LEADER])
def test_activity_page_is_not_found_for_other_roles(client, tree, role):
    client.force_login(UserFactory(unit=tree["commune"], roles=[role]))

    assert client.get(URL).status_code == 404


def test_activity_page_requires_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_activity_page_filters_by_object_type_action_user_and_dates(client, tree):
    secretariat = tree["secretariat"]
    other = UserFactory(full_name="Phan Văn Tâm", unit=tree["commune"])
    unit_row = _log(tree["commune"], actor=secretariat, unit=tree["commune"])
    user_row = _log(other, "danvan.user.lock", actor=other, unit=tree["commune"])
    old_row = _log(tree["commune"], actor=secretariat, unit=tree["commune"])
    ActivityLog.objects.filter(pk=old_row.pk).update(
        timestamp=timezone.now() - datetime.timedelta(days=40)
    )
    client.force_login(secretariat)
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()

    def shown(**params):
        return [row["log"].pk for row in client.get(URL, params).context["rows"]]

    unit_type = unit_row.content_type_id
    assert shown(object_type=unit_type) == [unit_row.pk, old_row.pk]
    assert shown(action="danvan.user.lock") == [user_row.pk]
    assert shown(actor="phan văn") == [user_row.pk]
    assert shown(since=since) == [user_row.pk, unit_row.pk]
    assert shown(until=(timezone.localdate() - datetime.timedelta(days=30)).isoformat()) == [
        old_row.pk
    ]


def test_activity_page_with_a_bad_filter_value_answers(client, tree):
    client.force_login(tree["secretariat"])

    response = client.get(URL, {"object_type": "abc", "since": "hôm qua", "actor": "a\x00b"})

    assert response.status_code == 200
    assert response.context["filter"].form.errors


def test_activity_page_query_count_does_not_grow_with_rows(client, tree, django_assert_num_queries):
    secretariat = tree["secretariat"]
    client.force_login(secretariat)
    _log(tree["commune"], actor=secretariat, unit=tree["commune"])
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for _ in range(2):
        other = UserFactory(unit=tree["commune"])
        _log(UnitFactory(parent=tree["commune"]), actor=other, unit=tree["commune"])

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(URL)

    assert len(response.context["rows"]) == 3


def test_activity_menu_item_for_secretariat_and_administrators(tree):
    admin = UserFactory(is_superuser=True, unit=None)
    officer = UserFactory(unit=tree["commune"], roles=[Role.UNIT_OFFICER])

    def names(user):
        return [item["name"] for item in menu_for(user)]

    assert "activity" in names(tree["secretariat"])
    assert "activity" in names(admin)
    assert "activity" not in names(officer)


def test_activity_timeline_partial_shows_time_actor_label_and_reason(tree):
    secretariat = tree["secretariat"]
    _log(tree["commune"], actor=secretariat, unit=tree["commune"], reason="Sáp nhập xã")
    _log(tree["commune"], unit=tree["commune"])

    html = render_to_string(
        "danvan/includes/activity_timeline.html",
        {"rows": activity_rows(activity_for(tree["commune"]), objects=False)},
    )

    assert html.count("<li") == 2
    assert "Lê Thu Hà" in html
    assert "Đổi tên đơn vị" in html
    assert "Sáp nhập xã" in html


def test_activity_page_reads_the_same_number_of_queries_whatever_the_object_types(client, tree):
    secretariat = tree["secretariat"]
    client.force_login(secretariat)
    _log(tree["commune"], unit=tree["commune"])
    client.get(URL)  # warm the per-process caches (content types)
    with CaptureQueriesContext(connection) as one_type:
        client.get(URL)
    _log(secretariat, "danvan.user.lock", unit=tree["commune"])
    _log(UnitFactory(parent=tree["commune"]), unit=tree["commune"])
    client.get(URL)

    with CaptureQueriesContext(connection) as two_types:
        response = client.get(URL)

    assert response.status_code == 200
    assert len(two_types) == len(one_type)


def test_activity_row_keeps_the_name_the_object_had_when_it_was_written(client, tree):
    unit = UnitFactory(name="Xã Cũ", parent=tree["commune"])
    _log(unit, unit=tree["commune"])
    unit.name = "Xã Mới"
    unit.save()
    client.force_login(tree["secretariat"])

    text = client.get(URL).text

    assert "Xã Cũ" in text
    assert f'href="{unit.get_absolute_url()}"' in text


def test_activity_row_written_without_a_name_shows_the_object_as_it_is(client, tree):
    unit = UnitFactory(name="Xã Hiện Tại", parent=tree["commune"])
    row = _log(unit, unit=tree["commune"])
    ActivityLog.objects.filter(pk=row.pk).update(object_repr="")
    client.force_login(tree["secretariat"])

    text = client.get(URL).text

    assert "Xã Hiện Tại" in text
    assert f'href="{unit.get_absolute_url()}"' in text
