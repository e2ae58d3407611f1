"""Celery tasks of the evaluation stage (thin: fetch by id, guard, send)."""

import logging
from itertools import groupby

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation

from .models import Assignment
from .notifications import assignment_notice

logger = logging.getLogger(__name__)


@shared_task(name="evaluation.notify_assignments", autoretry_for=(OSError,), max_retries=3)
def notify_assignments(assignment_ids: list[int]) -> int:
    """E-mail each reviewer the models newly assigned to them (one e-mail per reviewer).

    Assignments that vanished or were taken off since are skipped, as are reviewers
    without an e-mail address. Returns the number of e-mails sent.
    """
    assignments = list(
        Assignment.objects.active()
        .filter(pk__in=assignment_ids)
        .select_related("reviewer", "round", "entry__dvk_model__unit")
        .order_by("reviewer_id", "round_id", "pk")
    )
    if len(assignments) < len(assignment_ids):
        logger.info(
            "notify_assignments: %d of %d gone",
            len(assignment_ids) - len(assignments),
            len(assignment_ids),
        )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for (_reviewer_id, _round_id), group in groupby(
            assignments, key=lambda a: (a.reviewer_id, a.round_id)
        ):
            group = list(group)
            reviewer = group[0].reviewer
            if not reviewer.email:
                logger.info("notify_assignments: reviewer %s has no e-mail", reviewer.pk)
                continue
            subject, body = assignment_notice(reviewer=reviewer, assignments=group)
            send_mail(subject, body, None, [reviewer.email])
            sent += 1
    return sent
