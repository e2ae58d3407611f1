"""The register of awards: permissions, scope, each filter, the totals, the query budget of
the page and of its XLSX export, and the export's formula safety."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards import services
from awards.enums import IssuingLevel, RecipientKind
from awards.exports import HEADER_ROW
from awards.models import Award
from danvan.enums import Role, UnitKind
from tests.awards.conftest import collective_award, decision_data, model_award, new_decision
from tests.factories import (
    AwardTypeFactory,
    CampaignFactory,
    FieldFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

REGISTER = reverse("awards:register")
XLSX = reverse("awards:register_xlsx")


def issued(world, number, awards, **changes):
    decision = new_decision(world, number=number, **changes)
    for data in awards:
        services.award_add(decision=decision, data=data, by=world.secretariat)
    return services.decision_issue(decision=decision, by=world.secretariat)


def rows_of(response):
    """The awards listed on the register page, as recipient names."""
    return [a.recipient_name for a in response.context["page_obj"]]


def sheet_of(response):
    book = load_workbook(io.BytesIO(response.content))
    return book.active


@pytest.fixture
def awarded(world):
    """Two models of two communes and a collective awarded by the province; a second
    decision for the commune of the recognised model, then revoked."""
    issued(
        world,
        1,
        [
            model_award(world, amount=1_000_000),
            model_award(world, world.recognised, amount=500_000),
        ],
    )
    revoked = issued(world, 2, [collective_award(world, world.recognised.unit, amount=700_000)])
    services.decision_revoke(decision=revoked, reason="Trùng thành tích", by=world.secretariat)
    return world


def decision_of(dvk_model):
    return Award.objects.get(dvk_model=dvk_model).decision


# --- Permissions -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [REGISTER, XLSX])
def test_register_anonymous_redirected_to_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url", [REGISTER, XLSX])
def test_register_unit_officer_404(client, awarded, url):
    officer = UserFactory(unit=awarded.exemplary.unit, roles=[Role.UNIT_OFFICER])
    client.force_login(officer)

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.LEADER])
@pytest.mark.parametrize("url", [REGISTER, XLSX])
def test_register_secretariat_and_leader_ok(client, awarded, role, url):
    user = UserFactory(unit=awarded.secretariat.unit, roles=[role])
    client.force_login(user)

    assert client.get(url).status_code == 200


def test_register_commune_secretariat_sees_only_its_scope(client, awarded):
    commune = awarded.exemplary.unit
    client.force_login(UserFactory(unit=commune, roles=[Role.SECRETARIAT]))

    response = client.get(REGISTER)

    assert rows_of(response) == [awarded.exemplary.name]
    assert response.context["register"].total_amount == 1_000_000
    # Issued by the province, outside the commune's scope: the number is not a link.
    assert response.context["page_obj"][0].decision_in_scope is False


def test_register_other_province_sees_nothing(client, awarded):
    client.force_login(UserFactory(unit=UnitFactory(kind=UnitKind.PROVINCE), roles=[Role.LEADER]))

    response = client.get(REGISTER)

    assert response.context["register"].count == 0


# --- The page --------------------------------------------------------------------------------


def test_register_lists_awards_total_excludes_revoked(client, awarded):
    client.force_login(awarded.secretariat)

    response = client.get(REGISTER)
    html = response.content.decode()

    assert response.context["register"].count == 3
    assert response.context["register"].total_amount == 1_500_000
    assert "1.500.000" in html
    assert "Trùng thành tích" in html  # the reason of the revocation, in the badge's title
    assert awarded.exemplary.get_absolute_url() in html
    assert reverse("awards:register_xlsx") in html
    # Issued in the secretariat's scope: each decision number opens the decision.
    assert all(a.decision_in_scope for a in response.context["page_obj"])
    assert reverse("awards:decision_detail", args=[decision_of(awarded.exemplary).pk]) in html


def test_register_revoked_filter(client, awarded):
    client.force_login(awarded.secretariat)

    only_revoked = client.get(REGISTER, {"revoked": "yes"})
    in_force = client.get(REGISTER, {"revoked": "no"})

    assert rows_of(only_revoked) == [awarded.recognised.unit.name]
    assert only_revoked.context["register"].total_amount == 0
    assert sorted(rows_of(in_force)) == sorted([awarded.exemplary.name, awarded.recognised.name])
    assert in_force.context["register"].total_amount == 1_500_000


def test_register_year_filter(client, awarded):
    last_year = awarded.campaign.year - 1
    day = datetime.date
    old_campaign = CampaignFactory(
        year=last_year,
        organiser=awarded.province,
        registration_opens=day(last_year, 1, 5),
        registration_closes=day(last_year, 2, 5),
        result_report_due=day(last_year, 6, 1),
        scoring_opens=day(last_year, 6, 2),
        scoring_closes=day(last_year, 7, 1),
        honouring_date=day(last_year, 10, 15),
        report_date=day(last_year, 12, 1),
    )
    decision = services.decision_create(
        data=decision_data(awarded, number=3, date=day(last_year, 12, 20)),
        campaigns=[old_campaign],
        by=awarded.secretariat,
    )
    services.award_add(
        decision=decision,
        data=collective_award(awarded, awarded.province, amount=300_000),
        by=awarded.secretariat,
    )
    services.decision_issue(decision=decision, by=awarded.secretariat)
    client.force_login(awarded.secretariat)

    response = client.get(REGISTER, {"year": str(last_year)})

    assert rows_of(response) == [awarded.province.name]
    assert response.context["register"].total_amount == 300_000
    years = dict(response.context["filter"].form.fields["year"].choices)
    assert str(last_year) in years and str(awarded.campaign.year) in years


def test_register_award_type_level_and_issuer_filters(client, awarded):
    commune = awarded.exemplary.unit
    giay_khen = AwardTypeFactory(issuing_level=IssuingLevel.COMMUNE)
    issued(
        awarded,
        4,
        [collective_award(awarded, commune, award_type=giay_khen, amount=200_000)],
        issuer=commune,
        issuer_code="UBND",
        issuing_authority="Ủy ban nhân dân xã",
    )
    client.force_login(awarded.secretariat)

    by_type = client.get(REGISTER, {"award_type": giay_khen.pk})
    by_level = client.get(REGISTER, {"level": IssuingLevel.COMMUNE})
    by_issuer = client.get(REGISTER, {"issuer": commune.pk})

    assert rows_of(by_type) == rows_of(by_level) == rows_of(by_issuer) == [commune.name]
    assert by_type.context["register"].total_amount == 200_000


def test_register_unit_kind_field_and_unit_filters(client, awarded):
    topic = FieldFactory(parent=FieldFactory())
    awarded.exemplary.field = topic
    awarded.exemplary.save(update_fields=["field"])
    issued(awarded, 5, [collective_award(awarded, awarded.province, amount=100_000)])
    client.force_login(awarded.secretariat)

    by_kind = client.get(REGISTER, {"unit_kind": UnitKind.PROVINCE})
    by_field = client.get(REGISTER, {"field": topic.parent_id})  # a field takes in its topics
    by_unit = client.get(REGISTER, {"unit": awarded.recognised.unit.pk})

    assert rows_of(by_kind) == [awarded.province.name]
    assert rows_of(by_field) == [awarded.exemplary.name]
    assert sorted(rows_of(by_unit)) == sorted(
        [awarded.recognised.name, awarded.recognised.unit.name]
    )


def test_register_bad_filter_value_ignored_and_shown(client, awarded):
    client.force_login(awarded.secretariat)

    response = client.get(REGISTER, {"year": "abc", "revoked": "no"})

    assert response.status_code == 200
    assert response.context["filter"].form.errors["year"]
    assert response.context["register"].count == 2  # the valid filter still applies


def test_register_unit_outside_scope_not_applied(client, awarded):
    client.force_login(awarded.secretariat)

    response = client.get(REGISTER, {"unit": UnitFactory().pk})

    assert response.context["filter"].form.errors["unit"]
    assert response.context["register"].count == 3


def test_register_empty_with_filters_offers_clear(client, awarded):
    client.force_login(awarded.secretariat)

    response = client.get(REGISTER, {"level": IssuingLevel.FRONT})

    assert response.context["register"].count == 0
    assert reverse("awards:register") + '"' in response.content.decode()


def _many_awards(world, count, number):
    units = [UnitFactory(parent=world.province) for _ in range(count)]
    issued(world, number, [collective_award(world, unit, amount=100_000) for unit in units])


@pytest.mark.parametrize("url", [REGISTER, XLSX])
def test_register_query_count_same_for_1_and_50_rows(client, world, url, django_assert_num_queries):
    _many_awards(world, 1, number=77)
    client.force_login(world.secretariat)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert response.status_code == 200
    _many_awards(world, 49, number=78)

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)

    if url == REGISTER:
        assert len(response.context["page_obj"]) == 50


# --- The export ------------------------------------------------------------------------------


def test_register_xlsx_cells_text_totals_and_formula_safety(client, world):
    individual = {
        "recipient_kind": RecipientKind.INDIVIDUAL,
        "person_name": "=cmd|' /C calc'!A0",
        "person_position": "@SUM(1+1)",
        "unit": world.exemplary.unit,
        "award_type": world.award_type,
        "achievement": "Đã có thành tích xuất sắc",
        "amount": 2_500_000,
    }
    issued(world, 1, [individual, model_award(world, amount=1_000_000)])
    revoked = issued(world, 2, [collective_award(world, world.province, amount=700_000)])
    services.decision_revoke(decision=revoked, reason="-Sai sót", by=world.secretariat)
    client.force_login(world.secretariat)

    response = client.get(XLSX, {"revoked": ""})
    sheet = sheet_of(response)
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))

    assert response["Content-Disposition"].startswith("attachment;")
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    names = {row[6]: row for row in rows[:-1]}
    person = names["'=cmd|' /C calc'!A0"]
    assert person[7] == "'@SUM(1+1)"
    assert person[9] == 2_500_000
    assert names[world.province.name][10] and names[world.province.name][11] == "'-Sai sót"
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:
            assert cell.data_type != "f"
            if cell.column not in (1, 3, 10) and cell.value is not None:
                assert cell.data_type == "s", cell.coordinate
    assert rows[-1][9] == 3_500_000  # the totals row: the revoked 700.000 is not counted


def test_register_xlsx_keeps_filters(client, awarded):
    client.force_login(awarded.secretariat)

    sheet = sheet_of(client.get(XLSX, {"revoked": "yes"}))
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))

    assert [row[6] for row in rows[:-1]] == [awarded.recognised.unit.name]
    assert rows[-1][9] == 0
    assert sheet["A2"].value.count(":") >= 2  # "Filters: Status: Revoked"


def test_every_register_xlsx_header_is_translated():
    """The headers are extracted by makemessages (an unknown alias of gettext_lazy hid two)."""
    from django.utils import translation

    from awards.exports import COLUMNS

    with translation.override("vi"):
        untranslated = [
            str(h) for h, _w in COLUMNS if str(h) in {"Decision number", "Recipient kind"}
        ]
        english = {str(h) for h, _w in COLUMNS} & {"Decision number", "Recipient kind", "Date"}
    assert untranslated == [] and english == set()
