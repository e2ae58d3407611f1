"""The award types pages: list, add, edit; amounts typed the Vietnamese way; each refusal
at its field with nothing saved and the other input kept; who may open them."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from awards import services
from awards.enums import IssuingLevel, Proposer
from awards.forms.fields import parse_vnd
from awards.models import AwardType
from danvan.enums import Role, UnitKind
from danvan.models import ActivityLog
from tests.factories import AwardTypeFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

NEGATIVE = "The amount cannot be negative."
WHOLE = "Enter the amount in whole dong."


@pytest.fixture
def people(world):
    leadership = UnitFactory(
        kind=UnitKind.PARTY_BODY, parent=world.province, oversees=world.province
    )
    commune = UnitFactory(kind=UnitKind.COMMUNE, parent=world.province)
    return SimpleNamespace(
        secretariat=world.secretariat,
        leader=UserFactory(unit=leadership, roles=[Role.LEADER]),
        officer=UserFactory(unit=commune, roles=[Role.UNIT_OFFICER]),
    )


def _post(**changes):
    data = {
        "name": "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "short_code": "BK-CT",
        "issuing_level": IssuingLevel.PROVINCE,
        "issuer_description": "Chủ tịch Ủy ban nhân dân tỉnh",
        "proposed_by": Proposer.COMMISSION,
        "default_amount": "1.500.000",
        "is_formal_award": "on",
        "position": "1",
        "active": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _pages(world):
    return [
        reverse("awards:type_list"),
        reverse("awards:type_create"),
        reverse("awards:type_update", args=[world.award_type.pk]),
    ]


# --- Who may open the pages --------------------------------------------------------------


def test_type_pages_anonymous_redirects_to_login(client, world):
    for url in _pages(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["officer", "leader"])
def test_type_pages_without_permission_404(client, world, people, who):
    client.force_login(getattr(people, who))
    for url in _pages(world):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("awards:type_create"), _post())
    assert response.status_code == 404
    assert not AwardType.objects.filter(short_code="BK-CT").exists()


def test_type_pages_secretariat_ok(client, world):
    client.force_login(world.secretariat)
    for url in _pages(world):
        assert client.get(url).status_code == 200, url


def test_type_update_missing_404(client, world):
    client.force_login(world.secretariat)
    assert client.get(reverse("awards:type_update", args=[999_999])).status_code == 404


# --- The list ----------------------------------------------------------------------------


def test_type_list_shows_columns_and_vietnamese_amount(client, world):
    AwardTypeFactory(name="Biểu dương", short_code="BD", default_amount=None, is_formal_award=False)
    AwardTypeFactory(name="Loại cũ", short_code="OLD", active=False)
    client.force_login(world.secretariat)

    html = client.get(reverse("awards:type_list")).content.decode()

    assert world.award_type.name in html
    assert "1.500.000 đ" in html
    assert "Biểu dương" in html
    assert html.index(world.award_type.name) < html.index("Loại cũ")  # active first
    assert 'href="/khen-thuong/hinh-thuc/' in html
    assert "delete" not in html.lower()


def test_type_list_query_count_constant(client, world, django_assert_max_num_queries):
    client.force_login(world.secretariat)
    client.get(reverse("awards:type_list"))
    for n in range(20):
        AwardTypeFactory(name=f"Loại {n}")
    with django_assert_max_num_queries(12):
        client.get(reverse("awards:type_list"))


# --- Add and edit ------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["1.500.000", "1500000", "1 500 000 đ", " 1.500.000 VND "])
def test_type_create_amount_typed_either_way(client, world, typed):
    client.force_login(world.secretariat)

    response = client.post(reverse("awards:type_create"), _post(default_amount=typed))

    assert response.status_code == 302
    assert response.url == reverse("awards:type_list")
    created = AwardType.objects.get(short_code="BK-CT")
    assert created.default_amount == 1_500_000
    assert created.is_formal_award is True
    assert ActivityLog.objects.filter(
        action="awards.awardtype.create", object_id=created.pk
    ).exists()


def test_type_create_without_amount_saves_none(client, world):
    client.force_login(world.secretariat)

    client.post(reverse("awards:type_create"), _post(default_amount="", is_formal_award=None))

    created = AwardType.objects.get(short_code="BK-CT")
    assert (created.default_amount, created.is_formal_award) == (None, False)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-500.000", NEGATIVE),
        ("-1", NEGATIVE),
        ("1.500,5", WHOLE),
        ("1,5", WHOLE),
        ("1.5", WHOLE),
        ("1,500,000", WHOLE),
        ("abc", WHOLE),
        ("²", WHOLE),
    ],
)
def test_type_create_bad_amount_refused_at_field(client, world, typed, message):
    client.force_login(world.secretariat)

    response = client.post(reverse("awards:type_create"), _post(default_amount=typed))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["default_amount"] == [gettext(message)]
    assert not AwardType.objects.filter(short_code="BK-CT").exists()
    html = response.content.decode()
    assert 'value="Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"' in html  # other input kept
    assert f'value="{typed}"' in html


def test_type_create_duplicate_code_refused_at_field(client, world):
    client.force_login(world.secretariat)

    response = client.post(
        reverse("awards:type_create"), _post(short_code=world.award_type.short_code)
    )

    assert response.status_code == 200
    assert "short_code" in response.context["form"].errors
    assert not AwardType.objects.filter(name__startswith="Bằng khen của Chủ tịch").exists()


def test_type_create_missing_name_refused_at_field(client, world):
    client.force_login(world.secretariat)

    response = client.post(reverse("awards:type_create"), _post(name="  "))

    assert "name" in response.context["form"].errors
    assert 'value="BK-CT"' in response.content.decode()
    assert not AwardType.objects.filter(short_code="BK-CT").exists()


def test_type_update_shows_amount_grouped_and_deactivates(client, world):
    client.force_login(world.secretariat)
    url = reverse("awards:type_update", args=[world.award_type.pk])
    assert 'value="1.500.000"' in client.get(url).content.decode()

    response = client.post(
        url,
        _post(
            name=world.award_type.name,
            short_code=world.award_type.short_code,
            default_amount="2.000.000",
            active=None,
        ),
    )

    assert response.status_code == 302
    world.award_type.refresh_from_db()
    assert (world.award_type.default_amount, world.award_type.active) == (2_000_000, False)
    assert ActivityLog.objects.filter(
        action="awards.awardtype.update", object_id=world.award_type.pk
    ).exists()


# --- The amount parser and the service's own refusal -----------------------------------


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("", None), ("0", 0), ("500000", 500_000), ("500.000", 500_000), ("1.500.000 đ", 1_500_000)],
)
def test_parse_vnd_accepts(typed, amount):
    assert parse_vnd(typed) == amount


@pytest.mark.parametrize("typed", ["1.50.000", "12.3456", "1.500.000,00", "--5", "5-"])
def test_parse_vnd_refuses(typed):
    with pytest.raises(ValidationError):
        parse_vnd(typed)


def test_award_type_save_negative_amount_refused_at_default_amount(world):
    with pytest.raises(services.AwardsError) as refused:
        services.award_type_save(
            data={"default_amount": -5}, award_type=world.award_type, by=world.secretariat
        )

    assert refused.value.field == "default_amount"
    world.award_type.refresh_from_db()
    assert world.award_type.default_amount == 1_500_000
