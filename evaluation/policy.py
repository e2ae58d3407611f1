"""Small domain rules shared by services, selectors and permission predicates.

Kept apart from ``services`` so that selectors and ``rules`` can use them without importing
the write layer.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from danvan.dates import format_date, today
from danvan.models import User
from danvan.numbers import format_decimal

from .enums import ConflictStatus, RoundStatus, SheetStatus
from .models import ScoreSheet

__all__ = [
    "READABLE_ROUND_STATUSES",
    "format_points",
    "sheet_deadline",
    "sheet_edit_refusal",
    "today",
]

# A reviewer reads what they were assigned (the sheet, the model and its evidence) only
# while the round is open or once it is finalised: a round still being prepared shows
# nothing. The rule (``evaluation.rules``) and the selectors both use this list.
READABLE_ROUND_STATUSES = [RoundStatus.OPEN, RoundStatus.FINALISED]


def format_points(value: Decimal | None) -> str:
    """Points as every page of the sheet shows them ("12,5", "10"): see
    ``danvan.numbers.format_decimal``."""
    return format_decimal(value)


def sheet_deadline(sheet: ScoreSheet) -> datetime.date:
    """The last day the sheet may change: the round's, or later when it was reopened."""
    closes = sheet.assignment.round.scoring_closes
    return max(closes, sheet.reopened_until) if sheet.reopened_until else closes


def sheet_edit_refusal(*, sheet: ScoreSheet, user: User) -> str | None:
    """Why ``user`` may not change ``sheet`` now (None when they may). No query when the
    sheet was read with its assignment and round."""
    assignment = sheet.assignment
    round_ = assignment.round
    if assignment.reviewer_id != user.pk:
        return _("Only the reviewer assigned to this sheet can score it.")
    if assignment.conflict_status == ConflictStatus.APPROVED:
        return _("You no longer score this model: your conflict of interest was approved.")
    if round_.status == RoundStatus.FINALISED:
        return _("This round has been finalised: its score sheets can no longer change.")
    if sheet.status == SheetStatus.SUBMITTED:
        return _(
            "This sheet has been submitted. Ask the secretariat to reopen it if it needs a change."
        )
    if round_.status != RoundStatus.OPEN:
        return _("Scoring has not started: the round is still being prepared.")
    if today() < round_.scoring_opens:
        return _("Scoring opens on %(date)s.") % {"date": format_date(round_.scoring_opens)}
    deadline = sheet_deadline(sheet)
    if today() > deadline:
        return _("Scoring closed on %(date)s.") % {"date": format_date(deadline)}
    return None
