"""Who may open each reports page: anonymous → login; a unit officer → 404 (except their
plan page); a leader reads (no buttons, POST refused); outside the scope → 404."""

import pytest
from django.urls import reverse

from reports.models import ReportNarrative, UnitPlan

from .views_support import make_run, pages_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(world):
    return pages_world(world)


def _urls(w, run):
    c, u = w.campaign.pk, w.commune_a.pk
    return {
        "home": reverse("reports:home"),
        "narrative": reverse("reports:narrative_edit", args=[c]),
        "preview": reverse("reports:annual_preview", args=[c]),
        "summary": reverse("reports:summary"),
        "run": reverse("reports:report_detail", args=[run.pk]),
        "download": reverse("reports:report_download", args=[run.pk, "pdf"]),
        "issuers": reverse("reports:issuer_list"),
        "issuer_new": reverse("reports:issuer_create"),
        "plans": reverse("reports:plan_overview"),
        "plan": reverse("reports:plan_edit", args=[c, u]),
    }


GET_STATUS = {
    # page: (secretariat, leader, officer, outsider)
    "home": (200, 200, 404, 200),
    "narrative": (200, 404, 404, 404),
    "preview": (200, 200, 404, 404),
    "summary": (200, 200, 404, 200),
    "run": (200, 200, 404, 404),
    "download": (200, 200, 404, 404),
    "issuers": (200, 404, 404, 200),
    "issuer_new": (200, 404, 404, 200),
    "plans": (200, 200, 404, 200),
    "plan": (200, 404, 200, 404),
}


@pytest.mark.parametrize("page", sorted(GET_STATUS))
def test_reports_pages_get_by_role(client, pages, page):
    run = make_run(pages.campaign, pages.secretariat)
    url = _urls(pages, run)[page]
    users = (pages.secretariat, pages.leader, pages.officer, pages.outsider)
    for user, expected in zip(users, GET_STATUS[page], strict=True):
        client.force_login(user)
        assert client.get(url).status_code == expected, (page, user)


@pytest.mark.parametrize("page", sorted(GET_STATUS))
def test_reports_pages_send_anonymous_to_login(client, pages, page):
    run = make_run(pages.campaign, pages.secretariat)
    url = _urls(pages, run)[page]

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_leader_reads_without_buttons_and_cannot_post(client, pages):
    run = make_run(pages.campaign, pages.secretariat, status="failed")
    client.force_login(pages.leader)
    c = pages.campaign.pk

    preview = client.get(reverse("reports:annual_preview", args=[c])).content.decode()
    detail = client.get(reverse("reports:report_detail", args=[run.pk])).content.decode()
    home = client.get(reverse("reports:home")).content.decode()

    assert reverse("reports:annual_request", args=[c]) not in preview
    assert reverse("reports:narrative_edit", args=[c]) not in preview + home
    assert reverse("reports:report_retry", args=[run.pk]) not in detail
    posts = [
        reverse("reports:narrative_edit", args=[c]),
        reverse("reports:annual_request", args=[c]),
        reverse("reports:report_retry", args=[run.pk]),
        reverse("reports:summary"),
        reverse("reports:issuer_create"),
        reverse("reports:plan_edit", args=[c, pages.commune_a.pk]),
    ]
    for url in posts:
        assert client.post(url, {"leadership": "x", "version": 0}).status_code == 404, url
    assert not ReportNarrative.objects.exists()
    assert not UnitPlan.objects.exists()


def test_officer_may_open_only_their_own_units_plan(client, pages):
    client.force_login(pages.officer)
    c = pages.campaign.pk

    own = client.get(reverse("reports:plan_edit", args=[c, pages.commune_a.pk]))
    other = client.get(reverse("reports:plan_edit", args=[c, pages.commune_b.pk]))
    foreign = client.get(
        reverse("reports:plan_edit", args=[pages.other_campaign.pk, pages.commune_a.pk])
    )

    assert (own.status_code, other.status_code, foreign.status_code) == (200, 404, 404)


def test_out_of_scope_run_and_campaign_answer_404(client, pages):
    foreign_run = make_run(pages.campaign, pages.secretariat)
    client.force_login(pages.outsider)

    assert client.get(reverse("reports:report_detail", args=[foreign_run.pk])).status_code == 404
    assert client.post(reverse("reports:report_retry", args=[foreign_run.pk])).status_code == 404
    assert (
        client.post(reverse("reports:annual_request", args=[pages.campaign.pk])).status_code == 404
    )
    home = client.get(reverse("reports:home")).content.decode()
    assert reverse("reports:report_detail", args=[foreign_run.pk]) not in home


def test_unknown_format_and_missing_run_answer_404(client, pages):
    run = make_run(pages.campaign, pages.secretariat)
    client.force_login(pages.secretariat)

    assert client.get(reverse("reports:report_download", args=[run.pk, "exe"])).status_code == 404
    assert client.get(reverse("reports:report_detail", args=[run.pk + 999])).status_code == 404
