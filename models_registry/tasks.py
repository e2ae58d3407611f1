"""Celery tasks of the registration stage (thin: parse, call a service)."""

import datetime
import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="models_registry.send_reminders")
def send_reminders(day: str | None = None) -> dict[str, int]:
    """The daily registration reminders (beat, 07:30): units that registered nothing,
    drafts not submitted and returned models, each N days before its deadline
    (``models_registry.reminders.scheduled_reminders``). ``day`` ("YYYY-MM-DD", default
    today) exists for tests and for sending a missed day by hand. Safe to run twice a
    day: a person is reminded of a kind at most once a day. Returns the number of people
    reminded per kind."""
    from .reminders import scheduled_reminders

    on = datetime.date.fromisoformat(day) if day else None
    outcomes = scheduled_reminders(on=on)
    counts = {kind: outcome.sent for kind, outcome in outcomes.items()}
    logger.info("send_reminders %s: %s", day or "today", counts)
    return counts
