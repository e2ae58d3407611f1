"""The showcase pages: who may open each, the secretariat's buttons, refusals at the page
level, search without diacritics, filters, and a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.enums import Role
from danvan.models import Unit
from reports.models import LibrarySettings, Publication
from tests.factories import UserFactory
from tests.reports.conftest import finalised_round, registered
from tests.reports.test_showcase_support import build_library

pytestmark = pytest.mark.django_db


@pytest.fixture
def lib(db):
    return build_library()


def names_on(response):
    return sorted(m.name for m in response.context["page_obj"])


def test_anonymous_is_sent_to_login_from_signed_in_pages(client, lib):
    urls = [
        reverse("showcase:library"),
        reverse("showcase:entry", args=[lib.exemplary.pk]),
        reverse("showcase:photo", args=[lib.photo.pk]),
        reverse("showcase:settings"),
    ]
    for url in urls:
        response = client.get(url)
        assert (response.status_code == 302 and "/login" in response["Location"]) or (
            reverse("login") in response["Location"]
        ), url
    for url in (
        reverse("showcase:publish", args=[lib.exemplary.pk]),
        reverse("showcase:unpublish", args=[lib.exemplary.pk]),
    ):
        assert client.post(url).status_code == 302
    assert Publication.objects.count() == 0


def test_library_lists_the_library_for_every_unit(client, lib):
    for user in (lib.officer_a, lib.officer_b, lib.leader, lib.secretariat):
        client.force_login(user)
        response = client.get(reverse("showcase:library"))
        assert names_on(response) == ["Bếp ăn nghĩa tình", "Đường làng hiến đất"]


def test_library_of_another_province(client, lib):
    client.force_login(lib.outside_officer)

    response = client.get(reverse("showcase:library"))

    assert names_on(response) == ["Mô hình tỉnh bạn"]
    assert "Đường làng hiến đất" not in response.content.decode()


def test_library_refuses_a_user_without_a_unit(client, lib):
    client.force_login(UserFactory(unit=None))

    assert client.get(reverse("showcase:library")).status_code == 404


def test_library_empty_state(client, lib):
    client.force_login(UserFactory(unit=Unit.objects.create(name="Tỉnh mới", kind="province")))

    response = client.get(reverse("showcase:library"))

    assert "The library is still empty" in response.content.decode() or (
        "Thư viện" in response.content.decode()
    )
    assert names_on(response) == []


@pytest.mark.parametrize("query", ["duong lang", "ĐƯỜNG LÀNG", "duc tho", "Đức Thọ"])
def test_library_search_ignores_diacritics(client, lib, query):
    client.force_login(lib.officer_b)

    response = client.get(reverse("showcase:library"), {"q": query})

    assert names_on(response) == ["Đường làng hiến đất"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tier": "Tốt"}, ["Bếp ăn nghĩa tình"]),
        ({"kind": "individual_exemplar"}, ["Bếp ăn nghĩa tình"]),
        ({"exemplary": "on"}, ["Đường làng hiến đất"]),
        ({"year": "2025"}, ["Bếp ăn nghĩa tình", "Đường làng hiến đất"]),
        ({"year": "2024"}, ["Bếp ăn nghĩa tình", "Đường làng hiến đất"]),  # refused: ignored
        ({"tier": "Không có"}, ["Bếp ăn nghĩa tình", "Đường làng hiến đất"]),
        ({"locality": "abc"}, ["Bếp ăn nghĩa tình", "Đường làng hiến đất"]),
    ],
)
def test_library_filters(client, lib, params, expected):
    client.force_login(lib.officer_a)

    response = client.get(reverse("showcase:library"), params)

    assert response.status_code == 200
    assert names_on(response) == expected


def test_library_filters_by_field_and_locality(client, lib):
    client.force_login(lib.officer_a)
    url = reverse("showcase:library")

    by_field = client.get(url, {"field": lib.society.pk})
    by_locality = client.get(url, {"locality": lib.commune_b.pk})  # the village below it

    assert names_on(by_field) == ["Bếp ăn nghĩa tình"]
    assert names_on(by_locality) == ["Bếp ăn nghĩa tình"]


def _many(lib, n):
    models = [
        registered(lib.campaign, lib.commune_a, f"Mô hình {i}", by=lib.secretariat)
        for i in range(n)
    ]
    finalised_round(
        lib.campaign,
        lib.province,
        [(m, "85", "Tốt", True, False) for m in models],
        by=lib.secretariat,
    )


def test_library_query_count_is_constant(client, lib, django_assert_num_queries):
    """5 and 50 library models: the same queries (the site's own per request — session,
    user, groups, permissions, menu, savepoint — plus the library's eight)."""
    _many(lib, 3)
    client.force_login(lib.officer_a)
    url = reverse("showcase:library")
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "mo hinh"})
    _many(lib, 45)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url, {"q": "mo hinh"})

    assert response.context["page_obj"].paginator.count == 48
    assert len(few.captured_queries) <= 16


def test_library_own_queries_stay_within_budget(rf, lib, django_assert_max_num_queries):
    from reports.views.showcase import _library_page

    _many(lib, 48)
    request = rf.get("/thu-vien/", {"q": "mo hinh"})
    user = lib.officer_a
    user.unit  # noqa: B018 - the request's user arrives with its unit, as on a real page

    with django_assert_max_num_queries(12):
        context = _library_page(request, user=user)
        context["filter"].form.as_p()  # the choices render

    assert len(context["page_obj"].object_list) == 25


def test_entry_for_a_unit_of_the_province(client, lib):
    client.force_login(lib.officer_b)

    response = client.get(reverse("showcase:entry", args=[lib.exemplary.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    assert reverse("showcase:photo", args=[lib.photo.pk]) in html
    assert reverse("showcase:photo", args=[lib.hidden_photo.pk]) not in html
    assert f"?replicates={lib.exemplary.pk}" in html
    assert reverse("showcase:publish", args=[lib.exemplary.pk]) not in html


def test_entry_without_replicate_button_for_the_models_own_unit(client, lib):
    client.force_login(lib.officer_a)

    html = client.get(reverse("showcase:entry", args=[lib.exemplary.pk])).content.decode()

    assert "?replicates=" not in html


@pytest.mark.parametrize("name", ["draft", "submitted", "returned", "plain", "pending"])
def test_entry_of_a_model_not_in_the_library_is_404(client, lib, name):
    client.force_login(lib.secretariat)

    url = reverse("showcase:entry", args=[getattr(lib, name).pk])

    assert client.get(url).status_code == 404


def test_entry_out_of_scope_is_404(client, lib):
    client.force_login(lib.outside_officer)

    assert client.get(reverse("showcase:entry", args=[lib.exemplary.pk])).status_code == 404
    assert client.get(reverse("showcase:photo", args=[lib.photo.pk])).status_code == 404


def test_photo_serves_only_public_photos(client, lib):
    client.force_login(lib.officer_b)

    shown = client.get(reverse("showcase:photo", args=[lib.photo.pk]))

    assert (shown.status_code, shown["Content-Type"]) == (200, "image/png")
    for pk in (lib.hidden_photo.pk, lib.pdf.pk):
        assert client.get(reverse("showcase:photo", args=[pk])).status_code == 404


def test_secretariat_publishes_and_unpublishes(client, lib):
    client.force_login(lib.secretariat)
    entry_url = reverse("showcase:entry", args=[lib.exemplary.pk])

    assert (
        reverse("showcase:publish", args=[lib.exemplary.pk])
        in client.get(entry_url).content.decode()
    )
    response = client.post(reverse("showcase:publish", args=[lib.exemplary.pk]))
    assert (response.status_code, response["Location"]) == (302, entry_url)
    assert Publication.objects.filter(dvk_model=lib.exemplary).exists()
    assert (
        reverse("showcase:unpublish", args=[lib.exemplary.pk])
        in client.get(entry_url).content.decode()
    )

    client.post(reverse("showcase:unpublish", args=[lib.exemplary.pk]))
    assert not Publication.objects.exists()


def test_publish_get_is_not_allowed(client, lib):
    client.force_login(lib.secretariat)

    assert client.get(reverse("showcase:publish", args=[lib.exemplary.pk])).status_code == 405


@pytest.mark.parametrize("who", ["officer_a", "leader", "outsider"])
def test_publish_by_wrong_role_or_out_of_scope_is_404(client, lib, who):
    client.force_login(getattr(lib, who))

    for name in ("publish", "unpublish"):
        url = reverse(f"showcase:{name}", args=[lib.exemplary.pk])
        assert client.post(url).status_code == 404
    assert Publication.objects.count() == 0


def test_publish_of_a_model_not_in_the_library_is_404(client, lib):
    client.force_login(lib.secretariat)

    assert client.post(reverse("showcase:publish", args=[lib.returned.pk])).status_code == 404
    assert Publication.objects.count() == 0


def test_unpublish_refused_is_a_message_on_the_page(client, lib):
    client.force_login(lib.secretariat)

    response = client.post(reverse("showcase:unpublish", args=[lib.exemplary.pk]), follow=True)

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["danger"] or [
        str(m) for m in response.context["messages"]
    ]
    assert Publication.objects.count() == 0


def test_settings_switch_the_public_page(client, lib):
    client.force_login(lib.secretariat)
    url = reverse("showcase:settings")

    assert "Tỉnh Hà Tĩnh" in client.get(url).content.decode()
    response = client.post(url, {"organiser": lib.province.pk, "public_page": "1"})

    assert response.status_code == 302
    assert LibrarySettings.objects.get(unit=lib.province).public_page is True
    client.post(url, {"organiser": lib.province.pk, "public_page": "0"})
    assert LibrarySettings.objects.get(unit=lib.province).public_page is False


def test_settings_refuses_a_unit_that_organises_nothing_with_a_message(client, lib):
    client.force_login(lib.secretariat)

    response = client.post(
        reverse("showcase:settings"),
        {"organiser": lib.commune_a.pk, "public_page": "1"},
        follow=True,
    )

    assert response.status_code == 200
    assert len(list(response.context["messages"])) == 1
    assert LibrarySettings.objects.count() == 0


@pytest.mark.parametrize("who", ["officer_a", "leader"])
def test_settings_wrong_role_is_404(client, lib, who):
    client.force_login(getattr(lib, who))
    url = reverse("showcase:settings")

    assert client.get(url).status_code == 404
    assert client.post(url, {"organiser": lib.province.pk, "public_page": "1"}).status_code == 404
    assert LibrarySettings.objects.count() == 0


def test_settings_out_of_scope_organiser_is_404(client, lib):
    client.force_login(lib.outsider)

    response = client.post(
        reverse("showcase:settings"), {"organiser": lib.province.pk, "public_page": "1"}
    )

    assert response.status_code == 404
    assert LibrarySettings.objects.count() == 0


def test_settings_bad_input_is_404_not_500(client, lib):
    client.force_login(lib.secretariat)

    response = client.post(reverse("showcase:settings"), {"organiser": "x", "public_page": "1"})

    assert response.status_code == 404


def test_menu_shows_the_library_to_unit_users(client, lib):
    client.force_login(UserFactory(unit=lib.commune_a, roles=[Role.UNIT_OFFICER]))

    html = client.get(reverse("showcase:library")).content.decode()

    assert f'href="{reverse("showcase:library")}"' in html
