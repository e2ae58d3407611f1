"""Who hears that a report run ended (``danvan.notifications``): whoever requested it or
asked for it to be made again; for a run the schedule requested, the secretariat of the
organiser (the commission that receives its units' registrations). The link is the run's
page, where the files are downloaded or the run is made again."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.dates import format_date
from danvan.enums import Role
from danvan.models import ActivityLog, NotificationChannel, User
from danvan.notifications import Message, NotificationKind, register_notification_kind
from models_registry.notifications import (
    in_site_language,
    memo,
    paragraphs,
    secretariat_receiving,
)

from .models import Report


def _report(log: ActivityLog) -> Report | None:
    return memo(
        log,
        "report",
        lambda: (
            Report.objects.select_related("organiser", "campaign", "requested_by")
            .filter(pk=log.object_id)
            .first()
        ),
    )


def _requesters(log: ActivityLog) -> list[User]:
    report = _report(log)
    if report is None:
        return []
    people = [report.requested_by] if report.requested_by_id else []
    retries = ActivityLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Report),
        object_id=report.pk,
        action="reports.report.retry",
        actor__isnull=False,
    ).select_related("actor")
    people += [row.actor for row in retries]
    if report.scheduled:
        people += secretariat_receiving(report.organiser, organiser=report.organiser)
    return people


def _context(report: Report) -> dict:
    return {"report": str(report), "date": format_date(report.report_date)}


@in_site_language
def _done(log: ActivityLog, user: User) -> Message:
    report = _report(log)
    context = _context(report)
    if report.scheduled:
        title = _("The draft of “%(report)s” is ready") % context
        made = _("The draft of “%(report)s” dated %(date)s was made on schedule.") % context
    else:
        title = _("Report “%(report)s” is ready") % context
        made = _("The report “%(report)s” dated %(date)s has been made.") % context
    return Message(
        title=title,
        body=paragraphs(made, _("Open it to read it and download the PDF, DOCX and XLSX files.")),
        url=report.get_absolute_url(),
    )


@in_site_language
def _failed(log: ActivityLog, user: User) -> Message:
    report = _report(log)
    context = _context(report)
    reason = log.data.get("reason") or report.error
    if report.scheduled:
        title = _("The draft of “%(report)s” could not be made") % context
    else:
        title = _("Report “%(report)s” could not be made") % context
    return Message(
        title=title,
        body=paragraphs(
            _("The report “%(report)s” dated %(date)s could not be made.") % context,
            _("Reason: %(reason)s") % {"reason": reason} if reason else "",
            _("Make it again from its page once the cause is fixed."),
        ),
        url=report.get_absolute_url(),
    )


KINDS = [
    NotificationKind(
        code="reports.report_ready",
        roles=(Role.SECRETARIAT,),
        label=gettext_lazy("A report I asked for is ready"),
        actions=("reports.report.done",),
        recipients=_requesters,
        message=_done,
        default_channel=NotificationChannel.EMAIL,
        order=50,
    ),
    NotificationKind(
        code="reports.report_failed",
        roles=(Role.SECRETARIAT,),
        label=gettext_lazy("A report I asked for could not be made"),
        actions=("reports.report.fail",),
        recipients=_requesters,
        message=_failed,
        default_channel=NotificationChannel.EMAIL,
        order=51,
    ),
]


def register() -> None:
    register_notification_kind(*KINDS)
