"""The page of a generated file: its progress while it is made, then the download.

Only the requester, or a user the file's generator allows (``Generator.may_download``),
sees it; everybody else gets 404, so ids cannot be probed.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .generation import generated_file_may_view, generated_file_source
from .models import GeneratedFile, GeneratedFileStatus
from .web import file_response, object_or_404


def _job_or_404(request, pk: int) -> GeneratedFile:
    job = object_or_404(GeneratedFile.objects.select_related("requested_by").get, pk=pk)
    if not generated_file_may_view(request.user, job):
        raise Http404
    return job


@require_GET
def generated_file_detail(request, pk: int):
    """The job page; htmx polls it for the status block alone while the file is made."""
    job = _job_or_404(request, pk)
    if request.headers.get("HX-Request") == "true":
        return render(request, "danvan/includes/generated_file_status.html", {"job": job})
    return render(
        request,
        "danvan/generated_file.html",
        {"job": job, "source": generated_file_source(job)},
    )


@require_GET
def generated_file_download(request, pk: int):
    job = _job_or_404(request, pk)
    if job.status != GeneratedFileStatus.DONE or not job.file:
        raise Http404
    with job.file.open("rb") as handle:
        content = handle.read()
    return file_response(job.filename, job.content_type, content)
