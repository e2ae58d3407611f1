"""The admin edits issuer profiles through the service (same refusals, one activity row)
and shows narratives, plans and report runs read-only."""

import datetime

import pytest
from django.urls import reverse

from danvan.models import ActivityLog
from reports import services
from reports.enums import ReportKind
from reports.models import IssuerProfile, Report
from reports.runs import report_request
from tests.factories import UserFactory
from tests.reports.test_services import SECTIONS, profile_data, two_profiles

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = UserFactory(is_superuser=True, is_staff=True, unit=None)
    client.force_login(user)
    return user


def form_data(unit, **changes):
    data = profile_data(unit, **changes)
    data["unit"] = unit.pk
    data["valid_from"] = data["valid_from"].isoformat()
    data["valid_to"] = data["valid_to"].isoformat() if data["valid_to"] else ""
    return data


def test_admin_adds_profile_through_service(tree, superuser, client):
    response = client.post(reverse("admin:reports_issuerprofile_add"), form_data(tree.commission))

    assert response.status_code == 302
    assert IssuerProfile.objects.get().symbol == "BDVTU"
    assert ActivityLog.objects.filter(action="reports.issuerprofile.create").count() == 1


def test_admin_refuses_overlap_at_the_field(tree, superuser, client):
    two_profiles(tree)

    response = client.post(
        reverse("admin:reports_issuerprofile_add"),
        form_data(tree.commission, valid_from=datetime.date(2025, 1, 1), valid_to=None),
    )

    assert response.status_code == 200
    assert "valid_from" in response.context["adminform"].form.errors
    assert IssuerProfile.objects.count() == 2


def test_admin_cannot_delete_a_profile_already_in_force(tree, superuser, client):
    old, _new = two_profiles(tree)

    response = client.post(
        reverse("admin:reports_issuerprofile_delete", args=[old.pk]), {"post": "yes"}
    )

    assert response.status_code == 403


def test_admin_narrative_is_read_only(world, superuser, client):
    narrative = services.narrative_save(
        campaign=world.campaign, data=SECTIONS, by=world.secretariat
    )

    page = client.get(reverse("admin:reports_reportnarrative_change", args=[narrative.pk]))

    assert page.status_code == 200
    assert 'name="leadership"' not in page.content.decode()


def test_admin_report_run_is_read_only(
    world, superuser, client, django_capture_on_commit_callbacks
):
    two_profiles(world)
    with django_capture_on_commit_callbacks(execute=False):
        report = report_request(
            kind=ReportKind.ANNUAL, campaign=world.campaign, by=world.secretariat
        )
    change = reverse("admin:reports_report_change", args=[report.pk])

    listed = client.get(reverse("admin:reports_report_changelist"))
    page = client.get(change)
    posted = client.post(change, {"number": "99", "status": "done"})
    added = client.get(reverse("admin:reports_report_add"))
    deleted = client.post(reverse("admin:reports_report_delete", args=[report.pk]), {"post": "yes"})

    assert [listed.status_code, page.status_code] == [200, 200]
    assert 'name="number"' not in page.content.decode()
    assert [posted.status_code, added.status_code, deleted.status_code] == [403, 403, 403]
    report.refresh_from_db()
    assert [report.number, report.status, Report.objects.count()] == ["", "queued", 1]
