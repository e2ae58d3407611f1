"""The leaders' dashboard pages (``/bao-cao/tong-quan/``): who may open them, the filters
kept in every link, an invalid filter answered at its field, the one-page PDF, a fixed
number of queries, and the home panel that replaces the intake panel for leaders."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from danvan.enums import Role
from tests.factories import UserFactory

from .conftest import registered
from .views_support import pages_world

pytestmark = pytest.mark.django_db

PAGE = "reports:dashboard"
PDF_PAGE = "reports:dashboard_pdf"


@pytest.fixture
def pages(world):
    return pages_world(world)


# --- Access ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", [PAGE, PDF_PAGE])
def test_dashboard_sends_anonymous_to_login(client, pages, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", [PAGE, PDF_PAGE])
def test_dashboard_by_role(client, pages, name):
    committee = UserFactory(unit=pages.commission, roles=[Role.COMMITTEE_MEMBER])
    expected = [
        (pages.secretariat, 200),
        (pages.leader, 200),
        (pages.outsider, 200),  # their own province's dashboard
        (pages.officer, 404),
        (committee, 404),
    ]
    for user, status in expected:
        client.force_login(user)
        assert client.get(reverse(name)).status_code == status, user


def test_dashboard_refuses_post(client, pages):
    client.force_login(pages.leader)

    assert client.post(reverse(PAGE)).status_code == 405


def test_outsider_sees_only_their_province(client, pages):
    client.force_login(pages.outsider)

    html = client.get(reverse(PAGE)).content.decode()

    assert "Tỉnh Nghệ An" in html
    assert "Xã Đức Thọ" not in html


def test_commune_leader_sees_the_commune_only(client, pages):
    leader = UserFactory(unit=pages.commune_a, roles=[Role.LEADER])
    client.force_login(leader)

    response = client.get(reverse(PAGE))

    board = response.context["board"]
    assert response.status_code == 200
    assert board.scope_name == "Xã Đức Thọ"
    assert "Xã Can Lộc" not in response.content.decode()
    assert {cell.name for cell in board.localities} <= {"Thôn 1", "Hội Liên hiệp Phụ nữ xã Đức Thọ"}


def test_commune_leader_cannot_narrow_to_another_commune(client, pages):
    leader = UserFactory(unit=pages.commune_a, roles=[Role.LEADER])
    client.force_login(leader)

    response = client.get(reverse(PAGE), {"locality": pages.commune_b.pk})

    assert response.status_code == 200
    assert response.context["board"] is None
    assert response.context["form"].errors["locality"]


# --- The page -------------------------------------------------------------------------


def test_dashboard_shows_the_report_figures_with_charts_and_tables(client, pages):
    client.force_login(pages.leader)

    response = client.get(reverse(PAGE), {"year": pages.campaign.pk})

    html = response.content.decode()
    board = response.context["board"]
    assert board.filters.campaign == pages.campaign
    assert board.registrations.value == 6  # the report's count: a draft does not count
    assert board.registrations.previous == 3
    assert 'data-figure="registrations"' in html
    assert "+3" in html
    assert html.count("<canvas data-chart=") == 6
    assert 'id="dashboard-charts" type="application/json"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert "Bếp ăn nghĩa tình" in html  # exemplary
    assert "Bằng khen của Chủ tịch UBND tỉnh" in html


def test_dashboard_keeps_the_filters_in_its_links(client, pages):
    client.force_login(pages.leader)
    query = {"year": pages.campaign.pk, "field": pages.economy.pk}

    response = client.get(reverse(PAGE), query)

    html = response.content.decode()
    board = response.context["board"]
    assert board.filters.field == pages.economy
    pdf_link = f"{reverse(PDF_PAGE)}?year={pages.campaign.pk}&amp;field={pages.economy.pk}"
    assert pdf_link in html
    tile = next(cell for cell in board.localities if cell.name == "Xã Đức Thọ")
    assert f"field={pages.economy.pk}" in tile.url
    assert f'href="{tile.url.replace("&", "&amp;")}"' in html
    assert f"field={pages.economy.pk}" in board.by_kind[0].url


def test_dashboard_narrowed_to_a_locality(client, pages):
    client.force_login(pages.leader)

    response = client.get(reverse(PAGE), {"locality": pages.commune_a.pk})

    board = response.context["board"]
    assert board.filters.locality == pages.commune_a
    assert board.scope_name == "Xã Đức Thọ"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "99999"}, "year"),
        ({"year": "abc"}, "year"),
        ({"field": "99999"}, "field"),
        ({"locality": "99999"}, "locality"),
    ],
)
def test_invalid_filter_is_shown_at_its_field_not_a_500(client, pages, params, field):
    client.force_login(pages.leader)

    response = client.get(reverse(PAGE), params)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["board"] is None
    assert response.context["form"].errors[field]
    assert "is-invalid" in html
    assert "<canvas" not in html


def test_invalid_filter_keeps_the_other_filters(client, pages):
    client.force_login(pages.leader)

    response = client.get(reverse(PAGE), {"year": pages.campaign.pk, "field": "99999"})

    form = response.context["form"]
    assert str(form["year"].value()) == str(pages.campaign.pk)


def test_dashboard_without_any_campaign_says_so(client, db):
    from danvan.enums import UnitKind
    from tests.factories import UnitFactory

    leader = UserFactory(unit=UnitFactory(kind=UnitKind.PROVINCE), roles=[Role.LEADER])
    client.force_login(leader)

    response = client.get(reverse(PAGE))

    assert response.status_code == 200
    assert response.context["board"] is None
    assert 'class="filter-form' not in response.content.decode()


def test_dashboard_queries_do_not_grow_with_models(client, pages):
    client.force_login(pages.leader)
    url = reverse(PAGE)
    units = [pages.department, pages.front, pages.police, pages.commune_a, pages.village]

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for n in range(5):
        registered(pages.campaign, units[n % 5], f"Mô hình thêm {n}", field=pages.economy)
    client.get(url)  # warm the per-request caches
    few = count()
    for n in range(5, 50):
        registered(pages.campaign, units[n % 5], f"Mô hình thêm {n}", field=pages.society)
    many = count()

    assert many == few
    assert few <= 40


# --- The PDF ------------------------------------------------------------------------------


def test_dashboard_pdf_is_one_page(client, pages):
    client.force_login(pages.leader)

    response = client.get(reverse(PDF_PAGE), {"year": pages.campaign.pk})

    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="tong-quan-2025.pdf"' in response["Content-Disposition"]
    assert len(reader.pages) == 1
    assert "TỔNG QUAN PHONG TRÀO THI ĐUA" in text
    assert "Bếp ăn nghĩa tình" in text


def test_dashboard_pdf_prints_the_filters(client, pages):
    client.force_login(pages.leader)

    response = client.get(
        reverse(PDF_PAGE), {"year": pages.campaign.pk, "locality": pages.commune_a.pk}
    )

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "XÃ ĐỨC THỌ" in text


def test_dashboard_pdf_with_an_invalid_filter_goes_back_to_the_page(client, pages):
    client.force_login(pages.leader)

    response = client.get(reverse(PDF_PAGE), {"year": "99999"})

    assert response.status_code == 302
    assert response.url == f"{reverse(PAGE)}?year=99999"


# --- Home ---------------------------------------------------------------------------------


def test_leader_home_shows_the_dashboard_panel_not_the_intake(client, pages):
    client.force_login(pages.leader)

    html = client.get(reverse("home")).content.decode()

    assert 'id="home-dashboard-title"' in html
    assert reverse(PAGE) in html
    assert 'id="home-intake-title"' not in html


def test_secretariat_home_keeps_the_intake_and_gets_the_dashboard(client, pages):
    client.force_login(pages.secretariat)

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert 'id="home-intake-title"' in html
    assert 'id="home-dashboard-title"' in html


def test_home_panel_counts_the_current_campaign(rf, pages):
    from reports.views.dashboard_panel import home_panel_dashboard

    request = rf.get("/")
    request.user = pages.leader

    panel = home_panel_dashboard(request)

    # The report's figures: six registered, three recognised, two exemplary.
    assert panel["campaign"] == pages.campaign
    assert (panel["registered"], panel["recognised"], panel["exemplary"]) == (6, 3, 2)


def test_home_panel_hidden_from_a_unit_officer(rf, pages):
    from reports.views.dashboard_panel import home_panel_dashboard

    request = rf.get("/")
    request.user = pages.officer

    assert home_panel_dashboard(request) is None


def test_menu_shows_the_overview_to_leaders_only(client, pages):
    client.force_login(pages.leader)
    leader_html = client.get(reverse("home")).content.decode()
    client.force_login(pages.officer)
    officer_html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse(PAGE)}"' in leader_html
    assert f'href="{reverse(PAGE)}"' not in officer_html
