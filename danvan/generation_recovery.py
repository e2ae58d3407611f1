"""Making generated files again (see ``danvan.generation`` for requesting and making them):
the retry of a failed job (its page, the report run's retry) and the periodic sweep (task
``danvan.sweep_generated_files``) that sends again the jobs the broker never got and fails
the jobs left running by a killed worker, so that the user can retry them.

The broker is reached only through ``danvan.generation`` (``broker_available``,
``dispatch_on_commit``, ``generated_file_dispatch``), called through the module so that a
request and the sweep see the same answer.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import generation
from .activity import log_action
from .errors import DomainError
from .models import GeneratedFile, GeneratedFileStatus, User

logger = logging.getLogger(__name__)

# What a job left running by a worker that was killed (out of memory, hard time limit,
# machine restart) reads once the sweep gives up on it.
WORKER_LOST = _(
    "The file could not be made: the background process stopped before it finished. "
    "Try again; if it happens again, tell the administrator."
)
# A waiting job older than this was probably never sent (the broker was down): the sweep
# sends it again. A duplicate delivery is harmless (the runner claims a job once).
DISPATCH_GRACE = datetime.timedelta(minutes=2)


def generated_file_retry(*, job: GeneratedFile, by: User | None) -> GeneratedFile:
    """Make a failed job again: back to waiting (error and progress cleared), one activity
    row, sent once the transaction commits (see ``generation.dispatch_on_commit`` for a
    broker that is down). Raises ``DomainError`` unless the job failed."""
    with transaction.atomic():
        job = GeneratedFile.objects.select_for_update().get(pk=job.pk)
        if job.status != GeneratedFileStatus.FAILED:
            raise DomainError(_("Only a file that could not be made can be made again."))
        _reset(job)
        actor = by if by is not None and by.is_authenticated else None
        log_action(
            job,
            "danvan.generatedfile.retry",
            actor=actor,
            data={"title": job.title},
            unit=actor.unit if actor is not None else generation.generated_file_unit(job),
        )
        generation.dispatch_on_commit(job)
    return job


def _reset(job: GeneratedFile) -> None:
    job.status = GeneratedFileStatus.PENDING
    job.error = ""
    job.progress_done = job.progress_total = 0
    job.started_at = job.finished_at = None
    job.save(
        update_fields=[
            "status", "error", "progress_done", "progress_total", "started_at", "finished_at"
        ]
    )  # fmt: skip


def generated_files_sweep(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """The periodic clean-up (task ``danvan.sweep_generated_files``): send again the jobs
    waiting for longer than ``DISPATCH_GRACE`` (never sent: the broker was down), and fail
    the jobs left running for longer than ``generation.STALE_AFTER`` (their worker was
    killed) with ``WORKER_LOST``, so that the user can retry. Returns (sent again, failed)."""
    now = now or timezone.now()
    waiting = list(
        GeneratedFile.objects.filter(
            status=GeneratedFileStatus.PENDING, created_at__lt=now - DISPATCH_GRACE
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = (
        len(waiting)
        if waiting and generation.broker_available() and generation.generated_file_dispatch(waiting)
        else 0
    )
    lost = 0
    stale = GeneratedFile.objects.filter(
        status=GeneratedFileStatus.RUNNING, started_at__lt=now - generation.STALE_AFTER
    ).values_list("pk", flat=True)
    for job_id in list(stale):
        with transaction.atomic():
            job = GeneratedFile.objects.select_for_update().filter(pk=job_id).first()
            if job is None or job.status != GeneratedFileStatus.RUNNING:
                continue
            generation.generated_file_fail(job=job, error=DomainError(str(WORKER_LOST)))
            lost += 1
    if sent or lost:
        logger.info("Sweep of generated files: %d sent again, %d failed", sent, lost)
    return sent, lost
