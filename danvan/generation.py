"""Files made in the background: the registry of generators, the request service and the
runner the Celery task ``danvan.generate_file`` calls.

An app registers what it can make from its ``extensions.register()``::

    register_generator("awards.certificates", Generator(
        run=build,                # (job, progress) -> (filename, content_type, bytes)
        may_download=allowed,     # (user, job) -> bool; the requester always may
        label=_("Certificates"),
        source=decision_link,     # optional: (job) -> (url, text) for the breadcrumb
    ))

and a view asks for one::

    job = generated_file_request(kind="awards.certificates", params={"decision": 7},
                                 title=..., by=request.user)
    return redirect(job)          # the job page: progress, then the download

``run`` is a pure function of ``job.params`` (and the data they point to), so identical
input gives identical bytes. It calls ``progress(done, total)`` as it goes; the runner
writes that to the row at most once a second. It raises ``DomainError`` for a refusal the
user should read as is; anything else is logged with its traceback and the user reads a
general message.

Making a job again — the retry of a failed one and the periodic sweep of jobs never sent
or left running by a killed worker — lives in ``danvan.generation_recovery``.
"""

from __future__ import annotations

import datetime
import errno
import hashlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .activity import log_action, register_action
from .errors import DomainError
from .models import GeneratedFile, GeneratedFileStatus, Unit, User

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

# A job still "running" after this long was lost with its worker (acks_late redelivers it):
# the next delivery may take it over, else the sweep fails it. Longer than the task's hard
# time limit.
STALE_AFTER = datetime.timedelta(minutes=35)
# The runner writes progress to the database at most this often (seconds).
PROGRESS_INTERVAL = 1.0

# What the user reads when a generator fails with anything but a ``DomainError``.
SYSTEM_ERROR = _(
    "The file could not be made because of an error in the system. The error has "
    "been recorded; try again later or tell the administrator."
)

# What the user reads when the file cannot be written because the disk is full.
DISK_FULL = _(
    "The file could not be stored: the server's disk is full. Try again later or tell "
    "the administrator."
)

register_action("danvan.generatedfile.request", _("File requested"))
register_action("danvan.generatedfile.done", _("File made"))
register_action("danvan.generatedfile.fail", _("File could not be made"))
register_action("danvan.generatedfile.retry", _("File requested again"))

# What the user reads when the background service (the Celery broker) cannot be reached:
# the request is recorded and the sweep (``danvan.generation_recovery``) sends it once the
# broker is back.
BROKER_DOWN = _(
    "The background service cannot be reached right now. Your request has been recorded "
    "and will be made automatically as soon as the service is back; you can leave this "
    "page and come back later."
)


@dataclass(frozen=True)
class Generator:
    """What one kind of generated file needs: how to make it and who else may fetch it."""

    run: Callable[[GeneratedFile, Progress], tuple[str, str, bytes]]
    may_download: Callable[[User, GeneratedFile], bool]
    label: str = ""
    # (url, text) of the page the file was asked for from (the decision, the report), for
    # the job page's breadcrumb; None: no link.
    source: Callable[[GeneratedFile], tuple[str, str] | None] | None = None
    # Called with the job once it is done or failed, inside the transaction that records
    # it (e.g. to move the run the file belongs to); None: nothing to do.
    finished: Callable[[GeneratedFile], None] | None = None


_generators: dict[str, Generator] = {}


def register_generator(kind: str, generator: Generator) -> None:
    _generators[kind] = generator


def generator_for(kind: str) -> Generator | None:
    return _generators.get(kind)


# --- Reads ---------------------------------------------------------------------------------


def generated_file_may_view(user, job: GeneratedFile) -> bool:
    """The requester, or a user the generator lets fetch the file (checked against the
    object the file is made from, e.g. the decision)."""
    if not user.is_authenticated:
        return False
    if job.requested_by_id is not None and job.requested_by_id == user.pk:
        return True
    generator = generator_for(job.kind)
    return generator is not None and bool(generator.may_download(user, job))


def generated_file_source(job: GeneratedFile) -> tuple[str, str] | None:
    """The (url, text) of the page the file belongs to, if its generator says."""
    generator = generator_for(job.kind)
    if generator is None or generator.source is None:
        return None
    return generator.source(job)


def generated_files_for(*, kind: str, params: dict | None = None):
    """Earlier runs of one kind (with these parameters, if given), newest first."""
    qs = GeneratedFile.objects.filter(kind=kind).select_related("requested_by")
    if params is not None:
        qs = qs.filter(params=params)
    return qs.order_by("-created_at", "-pk")


# --- Writes --------------------------------------------------------------------------------


@transaction.atomic
def generated_file_request(
    *, kind: str, params: dict, title: str, by: User | None, unit: Unit | None = None
) -> GeneratedFile:
    """Record a request for a file and queue the task that makes it once this transaction
    commits (run in process when no broker is configured).

    ``unit`` places the activity row in the tree (default: the requester's unit). Raises
    ``LookupError`` for a kind nobody registered (a programming error, not a refusal).
    """
    job = generated_file_create(kind=kind, params=params, title=title, by=by)
    requester = job.requested_by
    log_action(
        job,
        "danvan.generatedfile.request",
        actor=requester,
        data={"title": job.title},
        unit=unit or (requester.unit if requester is not None else None),
    )
    dispatch_on_commit(job)
    return job


def generated_file_create(*, kind: str, params: dict, title: str, by: User | None) -> GeneratedFile:
    """The job row alone, waiting: for a service that makes several files for one object
    (the report's PDF, DOCX and XLSX), records its own activity row and then calls
    ``dispatch_on_commit``. Raises ``LookupError`` for a kind nobody registered."""
    if generator_for(kind) is None:
        raise LookupError(f"No generator is registered for {kind!r}")
    requester = by if by is not None and by.is_authenticated else None
    return GeneratedFile.objects.create(
        kind=kind, params=params, title=title[:300], requested_by=requester
    )


def dispatch_on_commit(*jobs: GeneratedFile) -> bool:
    """Send the jobs to the workers once the current transaction commits (in process when
    no broker is configured). Returns False, and sets ``broker_down`` on each job, when
    the broker cannot be reached now: the jobs stay waiting, recorded, and the sweep sends
    them later; the caller shows ``BROKER_DOWN``."""
    available = broker_available()
    for job in jobs:
        job.broker_down = not available
    if available:
        ids = [job.pk for job in jobs]
        # robust: a broker lost between the check and the commit is logged; the sweep
        # sends the jobs later.
        transaction.on_commit(lambda: generated_file_dispatch(ids), robust=True)
    return available


def broker_available() -> bool:
    """Whether a task sent now reaches a broker (always, when tasks run in process)."""
    from .celery import app

    if app.conf.task_always_eager:
        return True
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception:  # any failure to connect means "not now"; the reason is logged
        logger.warning("The Celery broker cannot be reached", exc_info=True)
        return False
    return True


def generated_file_dispatch(job_ids: list[int]) -> bool:
    """Send the task of each job now; False (logged) if the broker refused one."""
    from .tasks import generate_file  # the task module imports this one

    try:
        for job_id in job_ids:
            generate_file.delay(job_id)
    except Exception:  # kombu's connection errors vary by transport; the sweep retries
        logger.warning("Generated files %s could not be sent to the broker", job_ids, exc_info=True)
        return False
    return True


def generated_file_run(*, job_id: int) -> GeneratedFile | None:
    """Make the file of job ``job_id`` (the Celery task's body).

    Takes the job if it is waiting (or was left running by a lost worker), calls its
    generator with a progress callback, stores the file and marks the job done; on an error
    marks it failed with a message for the user and logs the traceback. Returns the job, or
    None if the row is gone. A job that is done, failed or being made elsewhere is returned
    untouched: a task delivered twice does not make the file twice.
    """
    job, claimed = _claim(job_id)
    if not claimed:
        return job
    generator = generator_for(job.kind)
    try:
        if generator is None:
            raise LookupError(f"No generator is registered for {job.kind!r}")
        filename, content_type, content = generator.run(job, _progress_writer(job))
        return _store(job, filename, content_type, content)
    except Exception as error:  # any failure ends the job as failed, with the traceback logged
        logger.exception("Generated file %s (%s) failed", job.pk, job.kind)
        return generated_file_fail(job=job, error=error)


def _claim(job_id: int) -> tuple[GeneratedFile | None, bool]:
    """The job, and whether this delivery took it (marked it running) and must make it."""
    now = timezone.now()
    with transaction.atomic():
        job = GeneratedFile.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            logger.warning("Generated file %s vanished before it was made", job_id)
            return None, False
        stale = (
            job.status == GeneratedFileStatus.RUNNING
            and job.started_at is not None
            and job.started_at < now - STALE_AFTER
        )
        if job.status != GeneratedFileStatus.PENDING and not stale:
            logger.info("Generated file %s is %s: not made again", job.pk, job.status)
            return job, False
        job.status = GeneratedFileStatus.RUNNING
        job.started_at = now
        job.progress_done = 0
        job.error = ""
        job.save(update_fields=["status", "started_at", "progress_done", "error"])
    return job, True


def _progress_writer(job: GeneratedFile) -> Progress:
    last: list[float | None] = [None]

    def progress(done: int, total: int) -> None:
        total = max(int(total), 0)
        done = min(max(int(done), 0), total)
        now = time.monotonic()
        if last[0] is not None and now - last[0] < PROGRESS_INTERVAL and done < total:
            return
        last[0] = now
        job.progress_done, job.progress_total = done, total
        GeneratedFile.objects.filter(pk=job.pk).update(progress_done=done, progress_total=total)

    return progress


def _store(job: GeneratedFile, filename: str, content_type: str, content: bytes) -> GeneratedFile:
    # The file is complete on disk before the row says "done": a half-written file is
    # never offered.
    _write(job, filename, content)
    job.filename = filename
    job.content_type = content_type
    job.size = len(content)
    job.sha256 = hashlib.sha256(content).hexdigest()
    job.status = GeneratedFileStatus.DONE
    job.progress_total = max(job.progress_total, 1)
    job.progress_done = job.progress_total
    job.finished_at = timezone.now()
    with transaction.atomic():
        job.save(
            update_fields=[
                "file",
                "filename",
                "content_type",
                "size",
                "sha256",
                "status",
                "progress_done",
                "progress_total",
                "finished_at",
            ]
        )
        log_action(
            job,
            "danvan.generatedfile.done",
            actor=None,
            data={"filename": filename},
            unit=generated_file_unit(job),
        )
        _finished(job)
    return job


def _write(job: GeneratedFile, filename: str, content: bytes) -> None:
    """Store the file under a temporary name, then move it to its own: a worker killed
    while writing leaves a ``.part`` file, never a truncated file under the real name. A
    write that fails (a full disk) removes the ``.part`` file; raises ``DomainError``
    (``DISK_FULL``) when the disk is full, else the ``OSError``."""
    storage = job.file.storage
    if not isinstance(storage, FileSystemStorage):
        job.file.save(filename, ContentFile(content), save=False)
        return
    name = storage.get_available_name(job.file.field.generate_filename(job, filename))
    path = Path(storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    try:
        partial.write_bytes(content)
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DomainError(str(DISK_FULL)) from error
        raise
    job.file.name = name


def generated_file_fail(*, job: GeneratedFile, error: Exception) -> GeneratedFile:
    """Mark the running ``job`` failed with a message for the user (the ``DomainError``'s,
    else ``SYSTEM_ERROR``), one activity row, and call its generator's ``finished``."""
    message = str(error) if isinstance(error, DomainError) else str(SYSTEM_ERROR)
    job.status = GeneratedFileStatus.FAILED
    job.error = message
    job.finished_at = timezone.now()
    with transaction.atomic():
        job.save(update_fields=["status", "error", "finished_at"])
        log_action(
            job,
            "danvan.generatedfile.fail",
            actor=None,
            data={"reason": message},
            unit=generated_file_unit(job),
        )
        _finished(job)
    return job


def _finished(job: GeneratedFile) -> None:
    generator = generator_for(job.kind)
    if generator is not None and generator.finished is not None:
        generator.finished(job)


def generated_file_unit(job: GeneratedFile) -> Unit | None:
    """The unit the job's activity rows are placed in: its requester's, if any."""
    requester = job.requested_by
    return requester.unit if requester is not None else None
