"""The December schedule (reports/schedule.py, reports/tasks.py): the beat entries exist
after migrate and survive an administrator's change; the daily task requests the same run
as the page on the campaign's report date; the secretariat is notified when it is ready."""

import datetime

import pytest
from django.core import mail
from django_celery_beat.models import PeriodicTask

from danvan.celery import app
from danvan.enums import Role
from danvan.models import Notification
from reports import runs, schedule, services
from reports.enums import ReportKind
from reports.models import Report, ReportStatus
from reports.tasks import scheduled_annual_reports
from tests.factories import UserFactory
from tests.reports.test_runs import fake_renderers  # noqa: F401 -- the fixture, by name
from tests.reports.test_services import two_profiles

pytestmark = pytest.mark.django_db

REPORT_DAY = datetime.date(2025, 12, 5)  # the campaigns' report date in tests/reports/conftest


@pytest.fixture
def report_world(world):
    two_profiles(world)
    return world


def test_migrate_creates_the_beat_entries():
    entry = PeriodicTask.objects.select_related("crontab").get(name=schedule.SCHEDULE_NAME)
    sweep = PeriodicTask.objects.select_related("interval").get(name=schedule.SWEEP_NAME)

    assert [entry.task, entry.enabled, entry.crontab.hour, entry.crontab.minute] == [
        "reports.scheduled_annual_reports",
        True,
        "8",
        "0",
    ]
    assert str(entry.crontab.timezone) == "Asia/Ho_Chi_Minh"
    assert [sweep.task, sweep.interval.every, sweep.interval.period] == [
        "danvan.sweep_generated_files",
        5,
        "minutes",
    ]
    import danvan.tasks  # noqa: F401 -- registers the tasks, as a worker's autodiscovery does
    import reports.tasks  # noqa: F401

    assert {entry.task, sweep.task} <= set(app.tasks)


def test_ensure_schedule_keeps_an_administrators_change():
    entry = PeriodicTask.objects.get(name=schedule.SCHEDULE_NAME)
    entry.crontab.hour = "7"
    entry.crontab.save()

    schedule.ensure_schedule()

    assert PeriodicTask.objects.filter(name=schedule.SCHEDULE_NAME).count() == 1
    assert PeriodicTask.objects.get(name=schedule.SCHEDULE_NAME).crontab.hour == "7"


def test_campaigns_due_on_their_report_date_or_the_default_day(report_world, settings):
    settings.REPORT_DEFAULT_DAY = "12-10"
    report_world.previous.report_date = None
    report_world.previous.save()

    assert schedule.campaigns_due(REPORT_DAY) == [report_world.campaign]
    assert schedule.campaigns_due(datetime.date(2024, 12, 10)) == [report_world.previous]
    assert schedule.campaigns_due(datetime.date(2025, 12, 10)) == []
    assert schedule.default_report_day(2026) == datetime.date(2026, 12, 10)


@pytest.mark.usefixtures("fake_renderers")
def test_scheduled_task_requests_the_same_run_as_the_page_once_a_day(
    report_world, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(schedule, "today", lambda: REPORT_DAY)
    with django_capture_on_commit_callbacks(execute=True):
        ids = scheduled_annual_reports.delay().get()
        again = scheduled_annual_reports.delay().get()

    report = Report.objects.get()
    on_demand = runs.report_spec(kind=ReportKind.ANNUAL, campaign=report_world.campaign)
    assert [ids, again] == [[report.pk], []]
    assert [report.scheduled, report.requested_by, report.status] == [
        True,
        None,
        ReportStatus.DONE,
    ]
    assert report.fingerprint == on_demand.fingerprint


@pytest.mark.usefixtures("fake_renderers")
def test_scheduled_run_done_notifies_the_secretariat_in_scope(
    report_world, django_capture_on_commit_callbacks
):
    outsider = UserFactory(unit=report_world.commune_a, roles=[Role.SECRETARIAT])

    with django_capture_on_commit_callbacks(execute=True):
        made = schedule.scheduled_reports(on=REPORT_DAY)

    assert len(made) == 1
    (notification,) = Notification.objects.filter(kind="reports.report_ready")
    assert notification.recipient == report_world.secretariat
    assert "2025" in notification.title
    assert not Notification.objects.filter(recipient=outsider).exists()
    # The old direct e-mail is gone (the notification's own e-mail replaces it).
    assert len(mail.outbox) <= 1


@pytest.mark.usefixtures("fake_renderers")
def test_scheduled_run_that_fails_notifies_the_secretariat_the_reason(
    world, django_capture_on_commit_callbacks
):
    # No issuer profile: the run is requested, then fails with a message for the user.
    with django_capture_on_commit_callbacks(execute=True):
        (report,) = schedule.scheduled_reports(on=REPORT_DAY)
    report.refresh_from_db()

    assert report.status == ReportStatus.FAILED
    (notification,) = Notification.objects.filter(kind="reports.report_failed")
    assert notification.recipient == world.secretariat
    assert report.error in notification.body


def test_scheduled_reports_skip_a_campaign_that_cannot_be_requested(
    report_world, caplog, monkeypatch
):
    def refuse(**kwargs):
        raise services.ReportsError("Không lập được.")

    monkeypatch.setattr(runs, "report_request", refuse)

    assert schedule.scheduled_reports(on=REPORT_DAY) == []
    assert "Không lập được." in caplog.text


@pytest.mark.usefixtures("fake_renderers")
def test_on_demand_run_tells_only_its_requester(report_world, django_capture_on_commit_callbacks):
    colleague = UserFactory(unit=report_world.secretariat.unit, roles=[Role.SECRETARIAT])
    with django_capture_on_commit_callbacks(execute=True):
        runs.report_request(
            kind=ReportKind.ANNUAL, campaign=report_world.campaign, by=report_world.secretariat
        )

    assert [n.recipient for n in Notification.objects.filter(kind="reports.report_ready")] == [
        report_world.secretariat
    ]
    assert not Notification.objects.filter(recipient=colleague).exists()
