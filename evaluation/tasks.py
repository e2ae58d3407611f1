"""Celery tasks of the evaluation stage (thin: fetch by id, guard, call a service).

The reviewers' assignment e-mail that lived here is now a notification of the kind
"evaluation.assigned" (``evaluation.notifications``), e-mailed by
``danvan.tasks.send_notification_emails`` with a link to each sheet.
"""

import datetime
import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="evaluation.send_reminders")
def send_reminders(day: str | None = None) -> int:
    """The daily score sheet reminders (beat, 07:30): reviewers with sheets not submitted,
    N days before their deadline (``evaluation.reminders.scheduled_reminders``). ``day``
    ("YYYY-MM-DD", default today) exists for tests and for a missed day. Safe to run twice
    a day. Returns the number of reviewers reminded."""
    from .reminders import scheduled_reminders

    outcome = scheduled_reminders(on=datetime.date.fromisoformat(day) if day else None)
    logger.info("evaluation.send_reminders %s: %d sent", day or "today", outcome.sent)
    return outcome.sent
