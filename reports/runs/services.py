"""Writes of report runs: request, retry, and the moves of a run as its files are made."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.activity import log_action
from danvan.generation import dispatch_on_commit, generated_file_create
from danvan.generation_recovery import generated_file_retry as _file_retry
from danvan.models import GeneratedFile, GeneratedFileStatus, User
from models_registry.models import Campaign

from ..models import OPEN_STATUSES, REPORT_FORMATS, Report, ReportStatus
from ..services import ReportsError
from .spec import FORMAT_LABELS, ReportSpec, report_spec


def report_request(
    *,
    kind: str,
    by: User | None,
    campaign: Campaign | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
    date: datetime.date | None = None,
    number: str = "",
    day_given: bool = False,
    scheduled: bool = False,
) -> Report:
    """Request a report; returns its run.

    While a run with the same inputs is queued or running, that run is returned and
    nothing is written (``report.is_new`` is False); two requests at once make one run.
    Otherwise a run is recorded with its three jobs and one activity row, and the jobs are
    sent to the workers once the transaction commits (made in process when no broker is
    configured). ``report.broker_down`` is True when the broker cannot be reached: the run
    stays queued and is sent later; show ``BROKER_DOWN``. ``by`` is None for the schedule.
    Permission is the caller's (``reports.request_report`` on the campaign). Raises
    ``ReportsError`` for bad input (at its field).
    """
    spec = report_spec(
        kind=kind,
        campaign=campaign,
        from_year=from_year,
        to_year=to_year,
        date=date,
        number=number,
        day_given=day_given,
    )
    requester = by if by is not None and by.is_authenticated else None
    with transaction.atomic():
        report = _open_run(spec.fingerprint)
        if report is None:
            try:
                with transaction.atomic():
                    report = _create(spec, requester, scheduled)
            except IntegrityError:
                # Another request with the same inputs committed first (the unique
                # constraint on open runs): that run is the answer.
                report = _open_run(spec.fingerprint)
                if report is None:
                    raise
            else:
                return report
    report.is_new = False
    report.broker_down = False
    return report


def _open_run(fingerprint: str) -> Report | None:
    return Report.objects.filter(fingerprint=fingerprint, status__in=OPEN_STATUSES).first()


def _create(spec: ReportSpec, requester: User | None, scheduled: bool) -> Report:
    report = Report.objects.create(
        kind=spec.kind,
        organiser_id=spec.organiser_id,
        campaign_id=spec.campaign_id,
        from_year=spec.from_year,
        to_year=spec.to_year,
        report_date=spec.report_date,
        number=spec.number,
        day_given=spec.day_given,
        narrative=spec.narrative,
        fingerprint=spec.fingerprint,
        scheduled=scheduled,
        requested_by=requester,
    )
    title = spec.title()
    jobs = []
    for fmt in REPORT_FORMATS:
        job = generated_file_create(
            kind=f"reports.{fmt}",
            params={"report": report.pk, "format": fmt},
            title=f"{title} ({FORMAT_LABELS[fmt]})",
            by=requester,
        )
        setattr(report, fmt, job)
        jobs.append(job)
    report.save(update_fields=list(REPORT_FORMATS))
    log_action(
        report,
        "reports.report.request",
        actor=requester,
        data={"title": title, "scheduled": scheduled},
        unit=report.organiser,
    )
    report.is_new = True
    report.broker_down = not dispatch_on_commit(*jobs)
    return report


def report_retry(*, report: Report, by: User | None) -> Report:
    """Make the failed files of a failed run again: the run goes back to queued, one
    activity row, the jobs are sent once the transaction commits (``broker_down`` as in
    ``report_request``). Raises ``ReportsError`` unless the run failed, or when a run with
    the same inputs is open meanwhile (that one is the one to follow)."""
    requester = by if by is not None and by.is_authenticated else None
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.FAILED:
            raise ReportsError(_("Only a report that could not be made can be made again."))
        if _open_run(report.fingerprint) is not None:
            raise ReportsError(_("The same report is already being made: follow that run."))
        jobs = _files_of(report)
        files = [f for f in jobs if f.status == GeneratedFileStatus.FAILED]
        running = any(f.status == GeneratedFileStatus.RUNNING for f in jobs)
        report.status = ReportStatus.RUNNING if running else ReportStatus.QUEUED
        report.error = ""
        report.finished_at = None
        report.save(update_fields=["status", "error", "finished_at"])
        broker_down = False
        for job in files:
            broker_down |= _file_retry(job=job, by=requester).broker_down
        log_action(
            report,
            "reports.report.retry",
            actor=requester,
            data={"title": str(report), "formats": [f.params.get("format") for f in files]},
            unit=report.organiser,
        )
    report.broker_down = broker_down
    return report


def _files_of(report: Report) -> list[GeneratedFile]:
    ids = [pk for pk in (report.pdf_id, report.docx_id, report.xlsx_id) if pk is not None]
    return list(GeneratedFile.objects.filter(pk__in=ids).order_by("pk"))


def report_file_finished(job: GeneratedFile) -> None:
    """Move the run of ``job`` now that the job is done or failed (the generators'
    ``finished`` hook, inside the job's transaction): failed as soon as one file failed
    (with its message), done when all three are, else running. The run's row is locked,
    so files finishing at the same time in two workers settle in turn. The end of a run
    (``reports.report.done`` / ``fail``) notifies its requesters, or for a scheduled run
    the secretariat (``reports.notifications``)."""
    report = Report.objects.select_for_update().filter(pk=job.params.get("report")).first()
    if report is None:
        return
    jobs = [job if f.pk == job.pk else f for f in _files_of(report)]
    failed = [f for f in jobs if f.status == GeneratedFileStatus.FAILED]
    if failed:
        status, error = ReportStatus.FAILED, failed[0].error
    elif len(jobs) == len(REPORT_FORMATS) and all(
        f.status == GeneratedFileStatus.DONE for f in jobs
    ):
        status, error = ReportStatus.DONE, ""
    else:
        status, error = ReportStatus.RUNNING, ""
    if (status, error) == (report.status, report.error):
        return
    previous = report.status
    report.status, report.error = status, error
    report.finished_at = timezone.now() if report.is_finished else None
    report.save(update_fields=["status", "error", "finished_at"])
    if report.is_finished and previous != status:
        log_action(
            report,
            "reports.report.done" if status == ReportStatus.DONE else "reports.report.fail",
            actor=None,
            data={"title": str(report), "reason": error} if error else {"title": str(report)},
            unit=report.organiser,
        )


def report_started(report_id: int) -> None:
    """Mark a queued run running (when its first job starts)."""
    Report.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, started_at=timezone.now()
    )
