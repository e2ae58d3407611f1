"""The five-year summary page: the years among the campaigns, the range checked at the
field, the request going to the run's page."""

import pytest
from django.urls import reverse

from reports.models import Report

from .views_support import make_run, pages_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(world):
    return pages_world(world)


def test_summary_offers_only_the_years_with_a_campaign(client, pages):
    client.force_login(pages.secretariat)

    form = client.get(reverse("reports:summary")).context["form"]

    assert [c[0] for c in form.fields["from_year"].choices] == [2024, 2025]
    assert (form["from_year"].value(), form["to_year"].value()) == (2024, 2025)


@pytest.mark.parametrize(
    ("first", "last", "field"),
    [("2025", "2024", "to_year"), ("2019", "2025", "from_year"), ("2024", "2030", "to_year")],
)
def test_summary_refuses_a_bad_range_at_the_field(client, pages, first, last, field):
    client.force_login(pages.secretariat)

    response = client.post(
        reverse("reports:summary"), {"from_year": first, "to_year": last, "number": "4"}
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors[field]
    assert form["number"].value() == "4"
    assert not Report.objects.exists()


def test_summary_request_goes_to_the_run(client, pages):
    client.force_login(pages.secretariat)

    response = client.post(reverse("reports:summary"), {"from_year": "2024", "to_year": "2025"})

    report = Report.objects.get()
    assert response.url == reverse("reports:report_detail", args=[report.pk])
    assert (report.kind, report.from_year, report.to_year) == ("summary", 2024, 2025)
    assert report.campaign == pages.campaign


def test_summary_lists_earlier_runs_for_leaders_without_the_form(client, pages):
    run = make_run(pages.campaign, pages.secretariat, kind="summary")
    client.force_login(pages.leader)

    response = client.get(reverse("reports:summary"))

    html = response.content.decode()
    assert reverse("reports:report_detail", args=[run.pk]) in html
    assert 'name="from_year"' not in html
