"""reports/views/similar.py (``showcase:similar``): the "similar models" suggestions of
the registration form and the one-click "Replicate this model"; the form's hook
(``danvan.extensions.MODEL_FORM``) on the create and update pages."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext

from danvan.enums import Role, UnitKind
from models_registry.enums import ModelKind, ModelStatus
from models_registry.models import Campaign, DvkModel
from tests.factories import CampaignFactory, UnitFactory, UserFactory
from tests.reports.conftest import campaign_for, finalised_round, registered

pytestmark = pytest.mark.django_db

YEAR = 2025
SIMILAR = "/thu-vien/tuong-tu/"


@pytest.fixture
def lib(db):
    t = SimpleNamespace()
    t.province = UnitFactory(name="Tỉnh Hà Tĩnh", kind=UnitKind.PROVINCE)
    commission = UnitFactory(
        name="Ban Tuyên giáo và Dân vận Tỉnh ủy",
        kind=UnitKind.PARTY_BODY,
        parent=t.province,
        oversees=t.province,
    )
    t.commune_a = UnitFactory(name="Xã Đức Thọ", kind=UnitKind.COMMUNE, parent=t.province)
    t.commune_b = UnitFactory(name="Xã Can Lộc", kind=UnitKind.COMMUNE, parent=t.province)
    t.commune_c = UnitFactory(name="Xã Kỳ Anh", kind=UnitKind.COMMUNE, parent=t.province)
    t.secretariat = UserFactory(unit=commission, roles=[Role.SECRETARIAT])
    t.leader = UserFactory(unit=commission, roles=[Role.LEADER])
    t.officer_a = UserFactory(unit=t.commune_a, roles=[Role.UNIT_OFFICER])
    t.campaign = campaign_for(t.province, YEAR)
    Campaign.objects.filter(pk=t.campaign.pk).update(share_accepted_models=True)
    c, by = t.campaign, t.secretariat
    t.flowers = registered(
        c, t.commune_b, "Con đường hoa nông thôn mới", content="Trồng hoa hai bên đường."
    )
    t.savings = registered(c, t.commune_c, "Chi hội phụ nữ tiết kiệm", content="Góp vốn.")
    t.camera = registered(c, t.commune_c, "Camera an ninh", content="Lắp camera.")
    t.own = registered(c, t.commune_a, "Đường hoa xã Đức Thọ", content="Đường hoa.")
    t.unrecognised = registered(c, t.commune_b, "Đường hoa chưa được xét chọn")
    t.draft = registered(c, t.commune_b, "Đường hoa bản nháp", status=ModelStatus.DRAFT)
    t.submitted = registered(c, t.commune_c, "Đường hoa đã gửi", status=ModelStatus.SUBMITTED)
    finalised_round(
        c,
        t.province,
        [
            (t.flowers, "86", "Tốt", True, False),
            (t.savings, "95", "Xuất sắc", True, True),
            (t.camera, "81", "Tốt", True, False),
            (t.own, "90", "Xuất sắc", True, True),
            (t.unrecognised, "60", "", False, False),
            (t.draft, "90", "Xuất sắc", True, True),
            (t.submitted, "90", "Xuất sắc", True, True),
        ],
        by=by,
    )
    return t


def suggest(client, name="", content=""):
    return client.post(SIMILAR, {"name": name, "content": content})


def test_similar_url():
    assert reverse("showcase:similar") == SIMILAR


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_similar_anonymous_redirected_to_login(client, lib, method):
    response = getattr(client, method)(SIMILAR)

    assert response.status_code == 302
    assert response.url == redirect_to_login(SIMILAR, resolve_url(settings.LOGIN_URL)).url


@pytest.mark.parametrize("role", ["secretariat", "leader"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_similar_users_who_do_not_register_get_404(client, lib, role, method):
    client.force_login(getattr(lib, role))

    response = getattr(client, method)(SIMILAR, {"choose": lib.flowers.pk, "name": "Đường hoa"})

    assert response.status_code == 404


def test_similar_officer_without_unit_gets_404(client, lib):
    client.force_login(UserFactory(unit=None, roles=[Role.UNIT_OFFICER]))

    assert suggest(client, "Đường hoa").status_code == 404


def test_similar_other_methods_refused(client, lib):
    client.force_login(lib.officer_a)

    assert client.put(SIMILAR).status_code == 405


# --- Suggestions ------------------------------------------------------------------------------


def test_similar_suggests_the_obvious_match_first(client, lib):
    client.force_login(lib.officer_a)

    response = suggest(client, "Đường hoa thôn xóm", "Trồng hoa ven đường, sáng xanh sạch đẹp")

    results = response.context["results"]
    assert response.status_code == 200
    assert results[0] == lib.flowers
    html = response.content.decode()
    assert f'href="{reverse("showcase:entry", args=[lib.flowers.pk])}" target="_blank"' in html
    assert f'hx-get="{SIMILAR}?choose={lib.flowers.pk}"' in html
    assert 'hx-target="#replication-results"' in html
    assert lib.commune_b.name in html
    assert "Tốt" in html  # the tier
    assert str(YEAR) in html


def test_similar_offers_only_library_models_of_other_units(client, lib):
    client.force_login(lib.officer_a)

    response = suggest(client, "Đường hoa", "đường hoa")

    assert response.context["results"] == [lib.flowers]


def test_similar_offers_library_models_even_when_the_campaign_does_not_share(client, lib):
    """The library is there to be replicated: its models are readable and choosable as
    "replicates" whatever the campaign's sharing (``reports.showcase.library_reader``), so
    every button leads to a choice the form keeps."""
    Campaign.objects.filter(pk=lib.campaign.pk).update(share_accepted_models=False)
    client.force_login(lib.officer_a)

    response = suggest(client, "Đường hoa")

    assert response.context["results"][0] == lib.flowers
    assert client.get(SIMILAR, {"choose": lib.flowers.pk}).status_code == 200


@pytest.mark.parametrize(("name", "content"), [("", ""), ("   ", " \n ")])
def test_similar_empty_text_gives_a_hint(client, lib, name, content):
    client.force_login(lib.officer_a)

    response = suggest(client, name, content)

    assert response.status_code == 200
    assert response.context["results"] == []
    assert gettext("Type the name or the content of your model first, then ask again.") in (
        response.content.decode()
    )


def test_similar_nothing_alike_says_so(client, lib):
    client.force_login(lib.officer_a)

    response = suggest(client, "Sân bóng chuyền")

    assert gettext("No model of the library resembles what you have typed.") in (
        response.content.decode()
    )


def test_similar_query_count_independent_of_library_size(client, lib):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(lib.officer_a)
    suggest(client, "Đường hoa camera tiết kiệm")
    with CaptureQueriesContext(connection) as few:
        suggest(client, "Đường hoa camera tiết kiệm")
    more = [registered(lib.campaign, lib.commune_b, f"Đường hoa camera số {n}") for n in range(6)]
    finalised_round(
        lib.campaign,
        lib.commune_b,
        [(m, "85", "Tốt", True, False) for m in more],
        by=lib.secretariat,
    )

    with CaptureQueriesContext(connection) as many:
        response = suggest(client, "Đường hoa camera tiết kiệm")

    assert len(response.context["results"]) == 5
    assert len(many.captured_queries) == len(few.captured_queries)


# --- One click: "Replicate this model" --------------------------------------------------------


def test_similar_choose_returns_the_checked_choice(client, lib):
    client.force_login(lib.officer_a)

    response = client.get(SIMILAR, {"choose": lib.flowers.pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        f'type="radio" name="replicates" value="{lib.flowers.pk}" '
        f'id="replicates-{lib.flowers.pk}" checked'
    ) in html
    assert 'name="replicates" value="" id="replicates-none">' in html
    assert html.count('name="replicates"') == 2
    assert lib.flowers.name in html
    assert lib.commune_b.name in html
    assert 'role="status"' in html


@pytest.mark.parametrize("case", ["own", "draft", "submitted", "missing", "text", "empty"])
def test_similar_choose_what_the_form_refuses_gets_404(client, lib, case):
    value = {
        "own": lambda: lib.own.pk,
        "draft": lambda: lib.draft.pk,
        "submitted": lambda: lib.submitted.pk,
        "missing": lambda: 999999,
        "text": lambda: "abc",
        "empty": lambda: "",
    }[case]()
    client.force_login(lib.officer_a)

    assert client.get(SIMILAR, {"choose": value}).status_code == 404


def test_similar_choice_is_kept_by_the_registration_form(client, lib):
    CampaignFactory(organiser=lib.province)  # this year's, open for registration
    client.force_login(lib.officer_a)
    chosen = client.get(SIMILAR, {"choose": lib.flowers.pk})
    assert chosen.status_code == 200

    response = client.post(
        reverse("models_registry:model_create"),
        {
            "name": "Đường hoa thôn Trung",
            "kind": ModelKind.COLLECTIVE_MODEL,
            "replicates": str(lib.flowers.pk),
        },
    )

    assert response.status_code == 302
    assert DvkModel.objects.get(name="Đường hoa thôn Trung").replicates == lib.flowers


# --- The registration form's hook -------------------------------------------------------------


def test_registration_form_create_shows_the_suggestions_button(client, lib):
    client.force_login(lib.officer_a)

    response = client.get(reverse("models_registry:model_create"))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'hx-post="{SIMILAR}"' in html
    assert 'id="similar-results"' in html
    assert gettext("Suggest similar models") in html


def test_registration_form_update_shows_the_suggestions_button(client, lib):
    draft = registered(
        lib.campaign, lib.commune_a, "Bản nháp", status=ModelStatus.DRAFT, by=lib.officer_a
    )
    client.force_login(lib.officer_a)

    response = client.get(reverse("models_registry:model_update", args=[draft.pk]))

    assert response.status_code == 200
    assert f'hx-post="{SIMILAR}"' in response.content.decode()
