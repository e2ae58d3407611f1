import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from danvan.enums import Role, UnitKind
from tests.factories import UnitFactory, UserFactory
from tests.factories.evaluation import CommitteeFactory, CommitteeMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    province = UnitFactory(name="Tỉnh Hà Tĩnh", kind=UnitKind.PROVINCE)
    commission = UnitFactory(
        name="Ban Tuyên giáo và Dân vận Tỉnh ủy",
        kind=UnitKind.PARTY_BODY,
        parent=province,
        oversees=province,
    )
    commune_a = UnitFactory(name="Xã Cẩm Xuyên", parent=province)
    commune_b = UnitFactory(name="Xã Thạch Hà", parent=province)
    return {"province": province, "commission": commission, "a": commune_a, "b": commune_b}


def test_login_page_is_public_and_vietnamese(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert "Đăng nhập" in response.text


def test_home_anonymous_redirects_to_login(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_wrong_password_gives_one_vague_message(client, tree):
    UserFactory(username="canbo", unit=tree["a"], roles=[Role.UNIT_OFFICER])

    response = client.post(
        reverse("login"),
        {"username": "canbo", "password": "sai-mat-khau"},
        REMOTE_ADDR="10.0.0.1",
    )

    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.text
    assert 'value="canbo"' in response.text


def test_login_success_reaches_home(client, tree):
    UserFactory(username="canbo", unit=tree["a"], roles=[Role.UNIT_OFFICER])

    response = client.post(
        reverse("login"),
        {"username": "canbo", "password": "matkhau-an-toan-2026"},
        REMOTE_ADDR="10.0.0.1",
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"].username == "canbo"


def test_login_repeated_failures_lock_the_account(client, tree, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="canbo", unit=tree["a"], roles=[Role.UNIT_OFFICER])
    for _ in range(3):
        client.post(
            reverse("login"), {"username": "canbo", "password": "x"}, REMOTE_ADDR="10.0.0.2"
        )

    response = client.post(
        reverse("login"),
        {"username": "canbo", "password": "matkhau-an-toan-2026"},
        REMOTE_ADDR="10.0.0.2",
    )

    assert response.status_code == 429
    assert "tạm khóa" in response.text


@pytest.mark.parametrize(
    ("role", "unit_key", "expected_text"),
    [
        (Role.UNIT_OFFICER, "a", "Xã Cẩm Xuyên"),
        (Role.SECRETARIAT, "commission", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
        (Role.COMMITTEE_MEMBER, "commission", "Thành viên Ban Chỉ đạo"),
        (Role.LEADER, "commission", "Lãnh đạo"),
    ],
)
def test_home_shows_unit_and_role(client, tree, role, unit_key, expected_text):
    user = UserFactory(unit=tree[unit_key], roles=[role])
    client.force_login(user)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert expected_text in response.text


def test_home_user_without_unit_is_told_to_contact_admin(client):
    client.force_login(UserFactory(unit=None))

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["panels"][0]["unit"] is None


def test_unit_detail_in_scope_ok(client, tree):
    client.force_login(UserFactory(unit=tree["commission"], roles=[Role.SECRETARIAT]))

    response = client.get(reverse("unit_detail", args=[tree["a"].pk]))

    assert response.status_code == 200
    assert "Xã Cẩm Xuyên" in response.text


def test_unit_detail_out_of_scope_is_404(client, tree):
    client.force_login(UserFactory(unit=tree["a"], roles=[Role.UNIT_OFFICER]))

    response = client.get(reverse("unit_detail", args=[tree["b"].pk]))

    assert response.status_code == 404


def test_unit_detail_unknown_id_is_404(client, tree):
    client.force_login(UserFactory(unit=tree["a"], roles=[Role.UNIT_OFFICER]))

    response = client.get(reverse("unit_detail", args=[999999]))

    assert response.status_code == 404


def test_unit_tree_starts_at_scope_root(client, tree):
    client.force_login(UserFactory(unit=tree["commission"], roles=[Role.SECRETARIAT]))

    response = client.get(reverse("unit_tree"))

    assert response.url == reverse("unit_detail", args=[tree["province"].pk])


def test_unit_detail_search_ignores_diacritics(client, tree):
    client.force_login(UserFactory(unit=tree["commission"], roles=[Role.SECRETARIAT]))

    response = client.get(reverse("unit_detail", args=[tree["province"].pk]), {"q": "cam xuyen"})

    assert [u.name for u in response.context["page_obj"]] == ["Xã Cẩm Xuyên"]


def test_unit_detail_query_count_does_not_grow(client, tree, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(UserFactory(unit=tree["commission"], roles=[Role.SECRETARIAT]))
    url = reverse("unit_detail", args=[tree["province"].pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(40):
        UnitFactory(parent=tree["province"])
        UserFactory(unit=tree["a"])

    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_health_is_public(client):
    response = client.get(reverse("health"))

    assert response.json() == {"status": "ok"}


def test_password_change_page_renders(client, tree):
    client.force_login(UserFactory(unit=tree["a"], roles=[Role.UNIT_OFFICER]))

    response = client.get(reverse("password_change"))

    assert response.status_code == 200


def test_english_browser_still_gets_vietnamese(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert "Đăng nhập" in response.text


def test_language_switch_to_english_is_kept(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/dang-nhap/"})

    response = client.get(reverse("login"))

    assert "Log in" in response.text


def test_unit_search_with_a_nul_byte_answers_with_a_notice(client, tree):
    """Issue 8 item 14: a NUL byte in the unit search was a 500 on PostgreSQL."""
    client.force_login(UserFactory(unit=tree["commission"], roles=[Role.SECRETARIAT]))

    response = client.get(
        reverse("unit_detail", args=[tree["province"].pk]), {"q": "Cẩm\x00 Xuyên"}
    )

    assert response.status_code == 200
    assert response.context["query"] == "Cẩm Xuyên"
    assert response.context["query_cleaned"] is True
    assert [u.name for u in response.context["page_obj"]] == ["Xã Cẩm Xuyên"]
    notice = gettext(
        "Characters that cannot be searched for (such as control characters) were removed "
        "from the search text."
    )
    assert escape(notice) in response.text


ROLE_PANELS = (
    "models_registry/includes/home_unit_officer.html",
    "evaluation/includes/home_reviewer.html",
)


def _home_panel_templates(client, user) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return [panel["template"] for panel in response.context["panels"]]


def test_home_of_an_administrator_shows_no_role_panel(client, tree):
    """The unit officer's and the reviewer's panels are the role's (the administrator's
    "every permission" would show the whole province under "your unit's models")."""
    admin = UserFactory(unit=tree["commission"], is_superuser=True, is_staff=True)

    templates = _home_panel_templates(client, admin)

    assert not set(ROLE_PANELS) & set(templates)


def test_home_of_a_unit_officer_who_also_reviews_shows_both_role_panels(client, tree):
    officer = UserFactory(unit=tree["a"], roles=[Role.UNIT_OFFICER, Role.COMMITTEE_MEMBER])
    CommitteeMemberFactory(user=officer, committee=CommitteeFactory(unit=tree["province"]))

    templates = _home_panel_templates(client, officer)

    assert set(ROLE_PANELS) <= set(templates)
