"""Celery tasks of the reports (thin: fetch by id, guard, call a service).

The files of a run are made by the shared ``danvan.generate_file`` task (see
``reports.jobs``); these are the December schedule and the secretariat's notice.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation

from .models import Report

logger = logging.getLogger(__name__)


@shared_task(name="reports.scheduled_annual_reports")
def scheduled_annual_reports() -> list[int]:
    """Run by beat at 08:00 every day (``reports.schedule``): request the annual report
    draft of every campaign whose report date is today. Returns the runs' ids."""
    from .schedule import scheduled_reports

    return [report.pk for report in scheduled_reports()]


@shared_task(name="reports.notify_report_ready", autoretry_for=(OSError,), max_retries=3)
def notify_report_ready(report_id: int) -> int:
    """E-mail the secretariat of the run's organiser that the scheduled draft is ready (or
    could not be made, with the reason). A run that vanished or is still open is skipped.
    Returns the number of e-mails sent."""
    from .schedule import report_ready_notice, secretariat_of

    report = Report.objects.select_related("organiser", "campaign").filter(pk=report_id).first()
    if report is None or not report.is_finished:
        logger.info("notify_report_ready: run %s is gone or still open", report_id)
        return 0
    recipients = [user.email for user in secretariat_of(report.organiser) if user.email]
    if not recipients:
        logger.info("notify_report_ready: nobody to tell about run %s", report_id)
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = report_ready_notice(report)
    send_mail(subject, body, None, recipients)
    return len(recipients)
