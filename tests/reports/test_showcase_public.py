"""The public page: no login, only while an organiser switched it on, only published
library models, no personal data beyond an individual's name and position."""

import pytest
from django.urls import reverse

from models_registry.enums import ModelStatus
from models_registry.models import DvkModel
from reports.models import LibrarySettings, Publication
from tests.reports.test_showcase_support import build_library

pytestmark = pytest.mark.django_db


@pytest.fixture
def lib(db):
    return build_library()


def publish(lib, *models):
    for m in models:
        Publication.objects.create(dvk_model=m, published_by=lib.secretariat)


def switch_on(lib):
    LibrarySettings.objects.create(unit=lib.province, public_page=True)


def public_urls(lib):
    return [
        reverse("showcase:public"),
        reverse("showcase:public_entry", args=[lib.exemplary.pk]),
        reverse("showcase:public_photo", args=[lib.photo.pk]),
    ]


def test_public_pages_are_404_while_the_page_is_off(client, lib):
    publish(lib, lib.exemplary)
    LibrarySettings.objects.create(unit=lib.province, public_page=False)

    for url in public_urls(lib):
        assert client.get(url).status_code == 404, url


def test_public_pages_open_without_login_when_on(client, lib):
    publish(lib, lib.exemplary)
    switch_on(lib)

    for url in public_urls(lib):
        assert client.get(url).status_code == 200, url
    assert client.post(reverse("showcase:public")).status_code == 405


def test_public_list_shows_only_published_models(client, lib):
    publish(lib, lib.exemplary)
    switch_on(lib)

    response = client.get(reverse("showcase:public"))

    assert [m.name for m in response.context["page_obj"]] == ["Đường làng hiến đất"]
    assert "Bếp ăn nghĩa tình" not in response.content.decode()


def test_public_list_empty_state(client, lib):
    switch_on(lib)

    response = client.get(reverse("showcase:public"))

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []


def test_public_page_of_another_province_does_not_open_this_one(client, lib):
    publish(lib, lib.exemplary)
    LibrarySettings.objects.create(unit=lib.other, public_page=True)

    response = client.get(reverse("showcase:public"))

    assert list(response.context["page_obj"]) == []
    url = reverse("showcase:public_entry", args=[lib.exemplary.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("status", list(ModelStatus))
def test_public_page_never_shows_a_model_not_accepted(client, lib, status):
    publish(lib, lib.exemplary)
    switch_on(lib)
    DvkModel.objects.filter(pk=lib.exemplary.pk).update(status=status)
    url = reverse("showcase:public_entry", args=[lib.exemplary.pk])

    expected = 200 if status == ModelStatus.ACCEPTED else 404
    assert client.get(url).status_code == expected
    names = [m.name for m in client.get(reverse("showcase:public")).context["page_obj"]]
    assert names == (["Đường làng hiến đất"] if status == ModelStatus.ACCEPTED else [])


@pytest.mark.parametrize(
    "name", ["draft", "submitted", "returned", "plain", "pending", "recognised"]
)
def test_public_entry_of_an_unpublished_or_non_library_model_is_404(client, lib, name):
    switch_on(lib)
    publish(lib, lib.exemplary)

    url = reverse("showcase:public_entry", args=[getattr(lib, name).pk])

    assert client.get(url).status_code == 404


def test_public_photo_only_public_photos(client, lib):
    publish(lib, lib.exemplary)
    switch_on(lib)

    assert client.get(reverse("showcase:public_photo", args=[lib.photo.pk])).status_code == 200
    for pk in (lib.hidden_photo.pk, lib.pdf.pk):
        assert client.get(reverse("showcase:public_photo", args=[pk])).status_code == 404


def test_public_entry_has_no_contact_data_nor_birth_year(client, lib):
    publish(lib, lib.exemplary, lib.recognised)
    switch_on(lib)

    pages = [
        client.get(reverse("showcase:public_entry", args=[m.pk])).content.decode()
        for m in (lib.exemplary, lib.recognised)
    ]
    pages.append(client.get(reverse("showcase:public")).content.decode())

    html = "\n".join(pages)
    for secret in (
        "0912345678",
        "binh@example.vn",
        "Trần Thị Bình",
        "1975",
        lib.secretariat.username,
        lib.secretariat.get_full_name(),
        "anh-2.jpg",
        "bien-ban.pdf",
        reverse("models_registry:attachment_download", args=[lib.pdf.pk]),
    ):
        assert secret not in html, secret
    assert "Nguyễn Văn An" in html and "Trưởng thôn" in html  # name and position only
    assert reverse("showcase:public_photo", args=[lib.photo.pk]) in html
    assert reverse("showcase:photo", args=[lib.photo.pk]) not in html


def test_public_search_ignores_diacritics(client, lib):
    publish(lib, lib.exemplary, lib.recognised)
    switch_on(lib)

    response = client.get(reverse("showcase:public"), {"q": "bep an"})

    assert [m.name for m in response.context["page_obj"]] == ["Bếp ăn nghĩa tình"]


def test_public_page_has_a_login_link_and_no_menu(client, lib):
    switch_on(lib)

    html = client.get(reverse("showcase:public")).content.decode()

    assert reverse("login") in html
    assert f'href="{reverse("showcase:library")}"' not in html
    assert "navbar-toggler" not in html


def test_public_search_never_matches_the_person_in_charge(client, lib):
    """``search_text`` holds the person in charge, whom the public page never names: a
    visitor must not confirm a name by searching for it; signed-in readers still may."""
    publish(lib, lib.exemplary, lib.recognised)
    switch_on(lib)

    by_lead = client.get(reverse("showcase:public"), {"q": "tran thi binh"})
    by_person = client.get(reverse("showcase:public"), {"q": "nguyen van an"})
    by_unit = client.get(reverse("showcase:public"), {"q": "duc tho"})

    assert list(by_lead.context["page_obj"]) == []
    assert [m.name for m in by_person.context["page_obj"]] == ["Bếp ăn nghĩa tình"]
    assert [m.name for m in by_unit.context["page_obj"]] == ["Đường làng hiến đất"]
    client.force_login(lib.officer_b)
    signed_in = client.get(reverse("showcase:library"), {"q": "tran thi binh"})
    assert "Đường làng hiến đất" in [m.name for m in signed_in.context["page_obj"]]
