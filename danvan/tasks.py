"""Site-wide Celery tasks."""

import logging
from smtplib import SMTPException

from celery import shared_task
from django.db import connection

logger = logging.getLogger(__name__)


@shared_task(name="danvan.ping", ignore_result=False)  # its caller reads the answer
def ping(token: str) -> dict:
    """Answer with the token, the worker's host and whether the database answers.

    Used by the health check and by the test that proves a real worker runs our tasks.
    """
    import socket

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        db_ok = cursor.fetchone()[0] == 1
    logger.info("ping %s", token)
    return {"token": token, "host": socket.gethostname(), "db": db_ok}


@shared_task(
    name="danvan.generate_file",
    acks_late=True,
    # The soft limit ends a stuck generator as a failed job the user can read about; the
    # hard limit kills the worker process if even that does not stop it.
    soft_time_limit=25 * 60,
    time_limit=30 * 60,
)
def generate_file(job_id: int) -> str | None:
    """Make the file of a ``GeneratedFile`` (see ``danvan.generation``); returns its status,
    or None if the row is gone. Safe to deliver twice: a finished job is left as it is."""
    from .generation import generated_file_run

    job = generated_file_run(job_id=job_id)
    return job.status if job is not None else None


@shared_task(name="danvan.sweep_generated_files")
def sweep_generated_files() -> list[int]:
    """Send again the generated files the broker never got and fail those whose worker was
    killed (``danvan.generation_recovery.generated_files_sweep``); run every few minutes by beat.
    Returns [sent again, failed]."""
    from .generation_recovery import generated_files_sweep

    return list(generated_files_sweep())


@shared_task(
    name="danvan.send_notification_emails",
    # A mail server that is down or refuses for a while: try again later, waiting longer
    # each time (about 1, 2, 4, 8, 16 minutes); what was already sent is not sent again.
    autoretry_for=(SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail the notifications whose recipients chose "by e-mail" for their kind (the
    others wait for the bell or the digest); never one twice. Returns how many went out."""
    from .notifications import notifications_email

    return notifications_email(list(notification_ids))


@shared_task(
    name="danvan.send_notification_digest",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def send_notification_digest() -> int:
    """The daily digest (beat, every morning): one e-mail per user listing the notifications
    of the kinds they get in a digest; running it twice sends nothing new. Returns how many
    e-mails went out."""
    from .notifications import digest_send

    return digest_send()
