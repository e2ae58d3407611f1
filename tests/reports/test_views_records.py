"""The units' yearly plans and the issuer profiles: refusals at the field, nothing saved,
other input kept; the overview of the plans; the profile in force marked."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import IssuerProfile, UnitPlan

from .views_support import pages_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def pages(world):
    return pages_world(world)


def _plan_url(w, unit=None):
    return reverse("reports:plan_edit", args=[w.campaign.pk, (unit or w.commune_a).pk])


def test_home_panel_links_the_officer_to_their_plan(client, pages):
    client.force_login(pages.officer)

    html = client.get(reverse("home")).content.decode()

    assert 'id="home-plan-title"' in html
    assert _plan_url(pages) in html


def test_officer_records_the_plan_with_its_pdf(client, pages):
    client.force_login(pages.officer)
    upload = SimpleUploadedFile("ke-hoach.pdf", PDF, content_type="application/pdf")

    response = client.post(
        _plan_url(pages), {"number": "05/KH-UBND", "date": "2025-01-15", "file": upload}
    )

    plan = UnitPlan.objects.get()
    assert response.url == _plan_url(pages)
    assert (plan.number, plan.unit, plan.created_by) == (
        "05/KH-UBND",
        pages.commune_a,
        pages.officer,
    )
    download = client.get(
        reverse("reports:plan_file", args=[pages.campaign.pk, pages.commune_a.pk])
    )
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_plan_bad_number_is_refused_at_the_field(client, pages):
    client.force_login(pages.officer)

    response = client.post(
        _plan_url(pages), {"number": "kế hoạch 5", "date": "2025-01-15", "title": "Triển khai"}
    )

    form = response.context["form"]
    assert form.errors["number"]
    assert form["title"].value() == "Triển khai"
    assert not UnitPlan.objects.exists()


def test_plan_fake_pdf_is_refused_at_the_field(client, pages):
    client.force_login(pages.officer)
    upload = SimpleUploadedFile("ke-hoach.pdf", b"not a pdf", content_type="application/pdf")

    response = client.post(
        _plan_url(pages), {"number": "05/KH-UBND", "date": "2025-01-15", "file": upload}
    )

    assert response.context["form"].errors["file"]
    assert not UnitPlan.objects.exists()


def test_plan_remove_needs_post_and_deletes(client, pages):
    client.force_login(pages.secretariat)
    client.post(_plan_url(pages), {"number": "05/KH-UBND", "date": "2025-01-15"})
    remove = reverse("reports:plan_remove", args=[pages.campaign.pk, pages.commune_a.pk])

    assert client.get(remove).status_code == 405
    client.post(remove)

    assert not UnitPlan.objects.exists()


def test_plan_overview_counts_the_units_that_issued_one(client, pages):
    client.force_login(pages.secretariat)
    client.post(_plan_url(pages), {"number": "05/KH-UBND", "date": "2025-01-15"})
    client.force_login(pages.leader)

    response = client.get(reverse("reports:plan_overview"), {"campaign": pages.campaign.pk})

    assert response.context["issued"] == 1
    assert response.context["expected"] >= 5
    rows = list(response.context["page_obj"])
    assert rows[-1]["unit"].pk == pages.commune_a.pk  # units without a plan first
    assert _plan_url(pages) not in response.content.decode()  # leaders read only


def test_issuer_list_marks_the_profile_in_force(client, pages):
    client.force_login(pages.secretariat)

    response = client.get(reverse("reports:issuer_list"))

    in_force = [p for p in response.context["profiles"] if p.in_force]
    assert [p.symbol for p in in_force] == ["BTGDVTU"]
    assert "table-success" in response.content.decode()


def _profile_data(w, **changes):
    return {
        "unit": w.commission.pk,
        "superior_body": "ĐẢNG BỘ TỈNH HÀ TĨNH",
        "issuing_body": "BAN TUYÊN GIÁO VÀ DÂN VẬN",
        "symbol": "BTGDVTU",
        "place": "Hà Tĩnh",
        "signer_prefix": "K/T TRƯỞNG BAN",
        "signer_title": "PHÓ TRƯỞNG BAN",
        "signer_name": "Nguyễn Văn A",
        "recipients": "Thường trực Tỉnh ủy (để báo cáo)\nLưu VP",
        "valid_from": "2026-01-01",
        "valid_to": "",
        **changes,
    }


def test_issuer_overlap_is_refused_at_the_field_and_nothing_saved(client, pages):
    client.force_login(pages.secretariat)
    before = IssuerProfile.objects.count()

    response = client.post(reverse("reports:issuer_create"), _profile_data(pages))

    form = response.context["form"]
    assert form.errors["valid_from"]
    assert form["signer_name"].value() == "Nguyễn Văn A"
    assert IssuerProfile.objects.count() == before


def test_issuer_bad_symbol_is_refused_at_the_field(client, pages):
    client.force_login(pages.secretariat)
    current = IssuerProfile.objects.get(valid_to__isnull=True)

    response = client.post(
        reverse("reports:issuer_update", args=[current.pk]),
        _profile_data(pages, symbol="btg dv", valid_from="2025-03-01"),
    )

    assert response.context["form"].errors["symbol"]
    assert IssuerProfile.objects.get(pk=current.pk).symbol == "BTGDVTU"


def test_issuer_new_version_after_closing_the_current_one(client, pages):
    client.force_login(pages.secretariat)
    current = IssuerProfile.objects.get(valid_to__isnull=True)
    closed = _profile_data(pages, valid_from="2025-03-01", valid_to="2025-12-31")

    first = client.post(reverse("reports:issuer_update", args=[current.pk]), closed)
    second = client.post(reverse("reports:issuer_create"), _profile_data(pages))

    assert first.url == second.url == reverse("reports:issuer_list")
    assert IssuerProfile.objects.get(valid_from=datetime.date(2026, 1, 1)).signer_name == (
        "Nguyễn Văn A"
    )
