"""A report run's page: its progress live (htmx polls the status block), then its three
files; a failed run shows its error and, for the secretariat, a retry.

Seeing a run needs ``reports.view_report`` (secretariat and leaders of its organiser's
scope; anybody else 404); retrying needs ``reports.retry_report``.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from danvan.models import GeneratedFileStatus
from danvan.web import file_response, object_or_404, refusals, require

from .. import runs
from ..models import REPORT_FORMATS, Report
from .common import request_outcome

FORMAT_LABELS = {"pdf": "PDF", "docx": "Word (DOCX)", "xlsx": "Excel (XLSX)"}


def files_of(report: Report) -> list[dict]:
    """The run's files in format order: the format, its label and the ``GeneratedFile``
    (None until the run has made it)."""
    return [
        {"format": fmt, "label": FORMAT_LABELS[fmt], "job": getattr(report, fmt)}
        for fmt in REPORT_FORMATS
    ]


def _report_or_404(request, pk) -> Report:
    return object_or_404(runs.report_of, pk, user=request.user, perm="reports.view_report")


@require_GET
def report_detail(request, pk):
    """The run's page; htmx polls it for the status block alone while the run is open."""
    report = _report_or_404(request, pk)
    context = {
        "report": report,
        "files": files_of(report),
        "can_retry": request.user.has_perm("reports.retry_report", report),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "reports/includes/report_status.html", context)
    return render(request, "reports/report_detail.html", context)


@require_GET
def report_download(request, pk, fmt):
    report = _report_or_404(request, pk)
    if fmt not in REPORT_FORMATS:
        raise Http404
    job = getattr(report, fmt)
    if job is None or job.status != GeneratedFileStatus.DONE or not job.file:
        raise Http404
    try:
        with job.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    return file_response(job.filename, job.content_type, content)


@require_POST
def report_retry(request, pk):
    report = _report_or_404(request, pk)
    require(request.user, "reports.retry_report", report)
    with refusals(request) as outcome:
        report = runs.report_retry(report=report, by=request.user)
    if outcome.ok:
        request_outcome(request, report, _("The report is being made again."))
    return redirect("reports:report_detail", pk=pk)
