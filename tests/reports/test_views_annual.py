"""The annual report's pages: the narrative editor, the preview, the request."""

import pytest
from django.urls import reverse

from danvan.generation import BROKER_DOWN
from reports import services
from reports.models import IssuerProfile, Report, ReportNarrative
from tests.reports.test_services import SECTIONS

from .views_support import pages_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(world):
    return pages_world(world)


def _edit_url(w):
    return reverse("reports:narrative_edit", args=[w.campaign.pk])


def _form_data(version=0, **changes):
    return {**SECTIONS, "version": version, **changes}


def test_narrative_editor_is_prefilled_from_last_year(client, pages):
    services.narrative_save(campaign=pages.previous, data=SECTIONS, by=pages.secretariat)
    client.force_login(pages.secretariat)

    response = client.get(_edit_url(pages))

    form = response.context["form"]
    assert form["leadership"].value() == SECTIONS["leadership"]
    assert "2024" in response.content.decode()
    assert not ReportNarrative.objects.filter(campaign=pages.campaign).exists()


def test_narrative_save_goes_to_the_preview_with_the_options(client, pages):
    client.force_login(pages.secretariat)

    response = client.post(
        _edit_url(pages), _form_data(number="15", date="2025-12-10", day_given="on")
    )

    narrative = ReportNarrative.objects.get(campaign=pages.campaign)
    assert narrative.lessons == SECTIONS["lessons"]
    assert narrative.updated_by == pages.secretariat
    assert response.status_code == 302
    assert response.url.startswith(reverse("reports:annual_preview", args=[pages.campaign.pk]))
    assert "number=15" in response.url and "day_given=on" in response.url


def test_narrative_stale_edit_is_refused_and_the_text_kept(client, pages):
    services.narrative_save(campaign=pages.campaign, data=SECTIONS, by=pages.secretariat)
    client.force_login(pages.secretariat)

    response = client.post(_edit_url(pages), _form_data(version=0, lessons="Bài học mới"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "Bài học mới" in response.content.decode()
    assert ReportNarrative.objects.get(campaign=pages.campaign).lessons == SECTIONS["lessons"]


def test_narrative_too_long_is_refused_at_its_field(client, pages):
    client.force_login(pages.secretariat)

    response = client.post(_edit_url(pages), _form_data(causes="x" * 20001))

    assert response.status_code == 200
    assert response.context["form"].errors["causes"]
    assert response.context["form"]["lessons"].value() == SECTIONS["lessons"]
    assert not ReportNarrative.objects.exists()


def test_bad_number_option_is_refused_at_its_field(client, pages):
    client.force_login(pages.secretariat)

    response = client.post(_edit_url(pages), _form_data(number="15-BC"))

    assert response.status_code == 200
    assert response.context["options"].errors["number"]
    assert not ReportNarrative.objects.exists()


def test_preview_shows_the_figures_and_the_header(client, pages):
    services.narrative_save(campaign=pages.campaign, data=SECTIONS, by=pages.secretariat)
    client.force_login(pages.secretariat)

    response = client.get(
        reverse("reports:annual_preview", args=[pages.campaign.pk]), {"number": "15"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Số 15-BC/BTGDVTU" in html
    assert "BÁO CÁO" in html
    assert "Tuyên truyền rộng rãi." in html
    assert 'data-key="by_field"' in html and 'data-key="awards"' in html
    assert "Bếp ăn nghĩa tình" in html  # the exemplary models and the annex
    assert reverse("reports:annual_request", args=[pages.campaign.pk]) in html


def test_preview_without_issuer_profile_says_why(client, pages):
    IssuerProfile.objects.all().delete()
    client.force_login(pages.secretariat)

    response = client.get(reverse("reports:annual_preview", args=[pages.campaign.pk]))

    assert response.status_code == 200
    assert response.context["preview"] is None
    assert response.context["options"].non_field_errors()


def test_request_creates_a_run_and_shows_its_page(client, pages):
    client.force_login(pages.secretariat)
    url = reverse("reports:annual_request", args=[pages.campaign.pk])

    response = client.post(url, {"number": "7", "date": "2025-12-10"})
    again = client.post(url, {"number": "7", "date": "2025-12-10"})

    report = Report.objects.get()
    assert response.url == reverse("reports:report_detail", args=[report.pk])
    assert again.url == response.url  # same inputs while open: the same run
    assert (report.number, report.requested_by) == ("7", pages.secretariat)
    assert report.report_date.isoformat() == "2025-12-10"


def test_request_with_broker_down_keeps_the_run_and_says_so(client, pages, monkeypatch):
    monkeypatch.setattr("danvan.generation.broker_available", lambda: False)
    client.force_login(pages.secretariat)

    response = client.post(reverse("reports:annual_request", args=[pages.campaign.pk]), follow=True)

    report = Report.objects.get()
    assert response.redirect_chain[-1][0] == reverse("reports:report_detail", args=[report.pk])
    assert [str(m) for m in response.context["messages"]] == [str(BROKER_DOWN)]
    assert report.status == "queued"
    assert all(job.status == "pending" for job in report.files())


def test_request_refused_without_issuer_profile_returns_to_preview(client, pages):
    IssuerProfile.objects.all().delete()
    client.force_login(pages.secretariat)

    response = client.post(
        reverse("reports:annual_request", args=[pages.campaign.pk]), {"number": "3"}
    )

    # No profile: the run is recorded and fails on its page with the builder's message,
    # or the request is refused back to the preview; never a 500.
    assert response.status_code == 302
    assert response.url.startswith("/bao-cao/")
