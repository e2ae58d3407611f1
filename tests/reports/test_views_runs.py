"""The reports home and a run's page: states, downloads, retry, query budgets."""

import pytest
from django.urls import reverse

from reports.models import Report

from .views_support import make_run, pages_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(world):
    return pages_world(world)


def test_run_page_while_open_polls_itself(client, pages):
    run = make_run(pages.campaign, pages.secretariat, status="queued")
    client.force_login(pages.secretariat)
    url = reverse("reports:report_detail", args=[run.pk])

    page = client.get(url)
    fragment = client.get(url, headers={"HX-Request": "true"})

    assert f'hx-get="{url}"' in page.content.decode()
    assert fragment.templates[0].name == "reports/includes/report_status.html"
    assert "<html" not in fragment.content.decode()


def test_run_page_when_done_offers_three_downloads_with_sizes(client, pages):
    run = make_run(pages.campaign, pages.secretariat)
    client.force_login(pages.leader)

    html = client.get(reverse("reports:report_detail", args=[run.pk])).content.decode()
    pdf = client.get(reverse("reports:report_download", args=[run.pk, "pdf"]))

    assert "hx-get" not in html
    for fmt in ("pdf", "docx", "xlsx"):
        assert reverse("reports:report_download", args=[run.pk, fmt]) in html
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]


def test_failed_run_shows_the_error_and_retries(client, pages):
    run = make_run(pages.campaign, pages.secretariat, status="failed")
    client.force_login(pages.secretariat)
    url = reverse("reports:report_detail", args=[run.pk])

    html = client.get(url).content.decode()
    response = client.post(reverse("reports:report_retry", args=[run.pk]))

    assert "Không có hồ sơ cơ quan ban hành." in html
    assert reverse("reports:report_retry", args=[run.pk]) in html
    assert response.url == url
    assert Report.objects.get(pk=run.pk).status in ("queued", "running")


def test_retry_of_a_done_run_is_refused_with_a_message(client, pages):
    run = make_run(pages.campaign, pages.secretariat)
    client.force_login(pages.secretariat)

    response = client.post(reverse("reports:report_retry", args=[run.pk]), follow=True)

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["danger"]
    assert Report.objects.get(pk=run.pk).status == "done"


def test_home_lists_campaigns_and_runs(client, pages):
    run = make_run(pages.campaign, pages.secretariat, number="12")
    client.force_login(pages.secretariat)

    html = client.get(reverse("reports:home")).content.decode()

    assert reverse("reports:narrative_edit", args=[pages.campaign.pk]) in html
    assert reverse("reports:annual_preview", args=[pages.previous.pk]) in html
    assert reverse("reports:report_download", args=[run.pk, "xlsx"]) in html
    assert reverse("reports:summary") in html
    assert pages.other_campaign.organiser.name not in html


def _queries(client, django_assert_max_num_queries, url, budget):
    with django_assert_max_num_queries(budget) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_home_queries_do_not_grow_with_runs(client, pages, django_assert_max_num_queries):
    client.force_login(pages.secretariat)
    url = reverse("reports:home")
    make_run(pages.campaign, pages.secretariat, number="1")
    client.get(url)  # warm the per-request caches
    one = _queries(client, django_assert_max_num_queries, url, 30)
    for n in range(2, 6):
        make_run(pages.campaign, pages.secretariat, number=str(n))
    make_run(pages.previous, pages.secretariat, number="9", status="failed")

    many = _queries(client, django_assert_max_num_queries, url, 30)

    assert many == one


def test_run_page_queries_are_fixed(client, pages, django_assert_max_num_queries):
    client.force_login(pages.leader)
    first = make_run(pages.campaign, pages.secretariat, number="1")
    url = reverse("reports:report_detail", args=[first.pk])
    client.get(url)
    one = _queries(client, django_assert_max_num_queries, url, 15)
    for n in range(2, 6):
        make_run(pages.campaign, pages.secretariat, number=str(n))

    assert _queries(client, django_assert_max_num_queries, url, 15) == one
