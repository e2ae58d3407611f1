"""reports/notifications.py: the end of a run reaches whoever requested it or asked for it
again (the secretariat for a scheduled run — tests/reports/test_schedule.py), with the
reason when it failed and a link to the run's page that opens for them."""

import pytest

from danvan.enums import Role
from danvan.models import Notification
from danvan.notifications import kind_for
from reports import runs
from reports.enums import ReportKind
from reports.models import ReportStatus
from reports.runs import report_request, report_retry
from tests.factories import UserFactory
from tests.reports.test_runs import fake_renderers  # noqa: F401 -- the fixture, by name
from tests.reports.test_services import two_profiles

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_world(world):
    two_profiles(world)
    return world


def test_kinds_are_registered():
    assert kind_for("reports.report_ready").default_channel == "email"
    assert kind_for("reports.report_failed").default_channel == "email"


@pytest.mark.usefixtures("fake_renderers")
def test_ready_run_tells_its_requester_with_the_run_link(
    report_world, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(
            kind=ReportKind.ANNUAL, campaign=report_world.campaign, by=report_world.secretariat
        )
    report.refresh_from_db()

    assert report.status == ReportStatus.DONE
    (notification,) = Notification.objects.filter(kind="reports.report_ready")
    assert notification.recipient == report_world.secretariat
    assert str(report) in notification.title
    assert notification.url == report.get_absolute_url()
    client.force_login(report_world.secretariat)
    assert client.get(notification.url).status_code == 200


@pytest.mark.usefixtures("fake_renderers")
def test_failed_run_tells_the_reason_and_retry_tells_both_requesters(
    report_world, django_capture_on_commit_callbacks, monkeypatch, client
):
    def broken(doc):
        raise RuntimeError("python-docx exploded")

    monkeypatch.setitem(runs.RENDERERS, "docx", broken)
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(
            kind=ReportKind.ANNUAL, campaign=report_world.campaign, by=report_world.secretariat
        )
    report.refresh_from_db()

    (failed,) = Notification.objects.filter(kind="reports.report_failed")
    assert failed.recipient == report_world.secretariat
    assert report.error in failed.body
    assert failed.url == report.get_absolute_url()

    colleague = UserFactory(unit=report_world.secretariat.unit, roles=[Role.SECRETARIAT])
    bystander = UserFactory(unit=report_world.secretariat.unit, roles=[Role.SECRETARIAT])
    monkeypatch.setitem(runs.RENDERERS, "docx", lambda doc: ("b.docx", "x/docx", b"docx"))
    with django_capture_on_commit_callbacks(execute=True):
        report_retry(report=report, by=colleague)

    ready = Notification.objects.filter(kind="reports.report_ready")
    assert sorted(n.recipient_id for n in ready) == sorted(
        [report_world.secretariat.pk, colleague.pk]
    )
    assert not Notification.objects.filter(recipient=bystander).exists()
    client.force_login(colleague)
    assert client.get(ready[0].url).status_code == 200
