"""How report runs plug into the site: the generators of the run's three files (the shared
``danvan.generate_file`` task makes them; who may fetch them is ``reports.view_report``
of ``reports.rules``), the labels of the runs' activity rows, and the December schedule.
``register()`` is called from ``reports.extensions.register``."""

from __future__ import annotations

from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from danvan.activity import register_action
from danvan.enums import Role
from danvan.extensions import register_role_permissions
from danvan.generation import Generator, register_generator
from danvan.models import GeneratedFile

from .models import REPORT_FORMATS, Report

ACTIONS = [
    ("reports.report.request", _("Report requested")),
    ("reports.report.done", _("Report made")),
    ("reports.report.fail", _("Report could not be made")),
    ("reports.report.retry", _("Report requested again")),
]


# --- Generators of the run's files -------------------------------------------------------


def _report_of(job: GeneratedFile) -> Report | None:
    return (
        Report.objects.select_related("organiser", "campaign")
        .filter(pk=job.params.get("report"))
        .first()
    )


def _run(job: GeneratedFile, progress):
    from .runs import ReportSpec, report_render, report_started

    report = _report_of(job)
    if report is None:
        raise LookupError(f"The run of generated file {job.pk} is gone")
    report_started(report.pk)
    return report_render(ReportSpec.of(report), job.params["format"], progress)


def _may_download(user, job: GeneratedFile) -> bool:
    report = _report_of(job)
    return report is not None and user.has_perm("reports.view_report", report)


def _source(job: GeneratedFile):
    report = _report_of(job)
    url = report.get_absolute_url() if report is not None else ""
    return (url, str(report)) if url else None


def _finished(job: GeneratedFile) -> None:
    from .runs import report_file_finished

    report_file_finished(job)


def register() -> None:
    from . import schedule

    for action, label in ACTIONS:
        register_action(action, label)
    for fmt in REPORT_FORMATS:
        register_generator(
            f"reports.{fmt}",
            Generator(
                run=_run,
                may_download=_may_download,
                label=_("Report"),
                source=_source,
                finished=_finished,
            ),
        )
    register_role_permissions(Role.SECRETARIAT, ["reports.view_report"])
    post_migrate.connect(schedule.ensure_schedule_after_migrate, dispatch_uid="reports.schedule")
