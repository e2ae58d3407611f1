"""The December schedule: at 08:00 (beat, ``CELERY_BEAT_SCHEDULER`` = the database
scheduler, so the time is editable in the admin's "Periodic tasks") the task
``reports.scheduled_annual_reports`` requests the annual report draft of every campaign
whose report date is today — the campaign's ``report_date``, else the day
``REPORT_DEFAULT_DAY`` ("MM-DD", default "12-05") of the campaign's year — through the
same service as the page (``reports.runs.report_request``, ``by=None``), and the
secretariat is notified when the draft is ready (``reports.notifications``).

The periodic tasks are created after every ``migrate`` (``ensure_schedule``), once: an
administrator's later change of the time is kept. The sweep of generated files
(``danvan.sweep_generated_files``, every five minutes) is created the same way.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from danvan.dates import today
from models_registry.models import Campaign

from .enums import ReportKind
from .models import Report
from .services import ReportsError

logger = logging.getLogger(__name__)

SCHEDULE_NAME = "Báo cáo năm: dự thảo theo lịch"
SCHEDULE_TASK = "reports.scheduled_annual_reports"
SWEEP_NAME = "Tệp tạo nền: gửi lại và dọn việc treo"
SWEEP_TASK = "danvan.sweep_generated_files"
DEFAULT_DAY = "12-05"


def default_report_day(year: int) -> datetime.date:
    """``REPORT_DEFAULT_DAY`` ("MM-DD") of ``year``: the report date of a campaign that has
    none."""
    month, day = (
        int(part) for part in getattr(settings, "REPORT_DEFAULT_DAY", DEFAULT_DAY).split("-")
    )
    return datetime.date(year, month, day)


def campaigns_due(on: datetime.date) -> list[Campaign]:
    """The campaigns whose report date is ``on``."""
    due = Q(report_date=on)
    if default_report_day(on.year) == on:
        due |= Q(report_date__isnull=True, year=on.year)
    return list(Campaign.objects.filter(due).select_related("organiser").order_by("pk"))


def scheduled_reports(*, on: datetime.date | None = None) -> list[Report]:
    """Request the annual report draft of each campaign due ``on`` (default today), once:
    a campaign that already has a scheduled run of that date is skipped. A
    campaign whose report cannot be made (no issuer profile) is logged and skipped."""
    from .runs import report_request

    on = on or today()
    made = []
    for campaign in campaigns_due(on):
        already = Report.objects.filter(
            campaign=campaign, kind=ReportKind.ANNUAL, scheduled=True, report_date=on
        ).exists()
        if already:
            continue
        try:
            made.append(
                report_request(kind=ReportKind.ANNUAL, by=None, campaign=campaign, scheduled=True)
            )
        except ReportsError as error:
            logger.warning("Scheduled report of %s not requested: %s", campaign, error)
    return made


# --- The periodic tasks ------------------------------------------------------------------


def ensure_schedule() -> None:
    """Create the two periodic tasks unless they exist (an administrator's changes are
    kept)."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    with transaction.atomic():
        if not PeriodicTask.objects.filter(name=SCHEDULE_NAME).exists():
            crontab, _created = CrontabSchedule.objects.get_or_create(
                minute="0",
                hour="8",
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone=settings.TIME_ZONE,
            )
            PeriodicTask.objects.create(
                name=SCHEDULE_NAME,
                task=SCHEDULE_TASK,
                crontab=crontab,
                description=_(
                    "Every day at 08:00: makes the annual report draft of each campaign "
                    "whose report date is today."
                ),
            )
        if not PeriodicTask.objects.filter(name=SWEEP_NAME).exists():
            every, _created = IntervalSchedule.objects.get_or_create(
                every=5, period=IntervalSchedule.MINUTES
            )
            PeriodicTask.objects.create(
                name=SWEEP_NAME,
                task=SWEEP_TASK,
                interval=every,
                description=_(
                    "Sends again the files the background service never received and fails "
                    "those whose worker was stopped."
                ),
            )


def ensure_schedule_after_migrate(sender, using="default", **kwargs) -> None:
    """``post_migrate`` handler: once per ``migrate``, after the reports app's."""
    if getattr(sender, "name", None) != "reports":
        return
    ensure_schedule()
