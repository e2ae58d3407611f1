"""Celery tasks of the reports (thin: fetch by id, guard, call a service).

The files of a run are made by the shared ``danvan.generate_file`` task (see
``reports.jobs``); this is the December schedule. The end of a run is a notification
(``reports.notifications``), e-mailed by ``danvan.tasks.send_notification_emails``.
"""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="reports.scheduled_annual_reports")
def scheduled_annual_reports() -> list[int]:
    """Run by beat at 08:00 every day (``reports.schedule``): request the annual report
    draft of every campaign whose report date is today. Returns the runs' ids."""
    from .schedule import scheduled_reports

    return [report.pk for report in scheduled_reports()]
