"""Reminders of the scoring stage: reviewers whose score sheets are not submitted yet.

One reminder kind, ``KIND_SHEETS`` (sent with ``danvan.notifications.remind``: at most
once per reviewer and day). The daily task reminds a reviewer when one of their open
sheets is due in one of ``lead_days()`` days (``settings.REMINDER_DAYS_BEFORE``); a
sheet's deadline is the round's end of scoring, or the later day it was reopened until
(``policy.sheet_deadline``). The reminder lists every open sheet of the reviewer with a
direct link. The secretariat can also remind the reviewers of one round now from the
assignment page (``round_remind_reviewers``), which logs one ``ACTION_REMIND`` row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from danvan.activity import log_action
from danvan.dates import format_date, today
from danvan.enums import Role
from danvan.models import ReminderLog, User
from danvan.notifications import Message, NotificationKind, remind
from danvan.utils import vietnamese_sort_key
from models_registry.reminders import (
    Reminded,
    absolute_url,
    days_left_text,
    greeting,
    lead_days,
    signature,
)

from .enums import ConflictStatus, RoundStatus, SheetStatus
from .models import Round, ScoreSheet
from .models.rounds import active_assignment_q
from .services import EvaluationError

KIND_SHEETS = "evaluation.remind_sheets"
# The activity row of one press of the assignment page's "nhắc" button. No notification
# kind listens to it: the reminders themselves are the notifications.
ACTION_REMIND = "evaluation.round.remind"


def reminder_kinds() -> list[NotificationKind]:
    """The kinds ``extensions.register()`` registers."""
    return [
        NotificationKind(
            code=KIND_SHEETS,
            roles=(Role.COMMITTEE_MEMBER,),
            label=gettext_lazy("Reminder: score sheets not yet submitted"),
            order=240,
        )
    ]


# --- Who ----------------------------------------------------------------------------------


def open_sheets(*, on: datetime.date | None = None) -> QuerySet[ScoreSheet]:
    """Sheets a reviewer can still submit on ``on`` (default today): not submitted, of an
    active assignment of an open round whose scoring has started and whose deadline
    (``deadline``, annotated) has not passed. Soonest deadline first, with the reviewer,
    round, model and unit joined."""
    on = on or today()
    return (
        ScoreSheet.objects.filter(
            active_assignment_q("assignment__"),
            assignment__round__status=RoundStatus.OPEN,
            assignment__round__scoring_opens__lte=on,
            assignment__reviewer__is_active=True,
        )
        .exclude(status=SheetStatus.SUBMITTED)
        .annotate(
            # ``policy.sheet_deadline`` in SQL: the round's end, or the reopened sheet's own.
            deadline=Greatest(
                "assignment__round__scoring_closes",
                Coalesce("reopened_until", "assignment__round__scoring_closes"),
            )
        )
        .filter(deadline__gte=on)
        .select_related(
            "assignment__reviewer", "assignment__round", "assignment__entry__dvk_model__unit"
        )
        .order_by("deadline", "assignment__round_id", "pk")
    )


def _by_reviewer(sheets) -> dict[User, list[ScoreSheet]]:
    grouped: dict[int, tuple[User, list[ScoreSheet]]] = {}
    for sheet in sheets:
        reviewer = sheet.assignment.reviewer
        grouped.setdefault(reviewer.pk, (reviewer, []))[1].append(sheet)
    return dict(grouped.values())


def sheets_due(*, on: datetime.date | None = None, days=None) -> dict[User, list[ScoreSheet]]:
    """The reviewers to remind on ``on`` (default today): those with an open sheet due in
    one of ``days`` (default ``lead_days()``) days, each with all their open sheets."""
    on = on or today()
    days = set(days if days is not None else lead_days())
    return {
        reviewer: sheets
        for reviewer, sheets in _by_reviewer(open_sheets(on=on)).items()
        if any((sheet.deadline - on).days in days for sheet in sheets)
    }


@dataclass
class ReviewerProgress:
    """One reviewer's sheets in a round, for the assignment page's reminder list."""

    reviewer: User
    total: int
    submitted: int
    next_deadline: datetime.date | None
    reminded_today: bool

    @property
    def open(self) -> int:
        return self.total - self.submitted


def reviewers_behind(*, round: Round, on: datetime.date | None = None) -> list[ReviewerProgress]:
    """The reviewers of ``round`` with sheets not submitted yet (one query, whatever the
    round's size: the round's active assignments grouped by reviewer), in Vietnamese order
    of their names, each with their counts, the soonest deadline of their open sheets and
    whether they were reminded of their sheets on ``on`` (default today)."""
    on = on or today()
    a = "review_assignments__"
    # Positive conditions only: a negation across the reviewer's assignments would not use
    # the join the counts are grouped over.
    active = [s for s in ConflictStatus.values if s != ConflictStatus.APPROVED]
    unsubmitted = Q(**{f"{a}sheet__status__in": [SheetStatus.PENDING, SheetStatus.IN_PROGRESS]})
    unsubmitted |= Q(**{f"{a}sheet__isnull": True})
    users = (
        User.objects.filter(**{f"{a}round": round, f"{a}conflict_status__in": active})
        .annotate(
            total=Count(a[:-2]),
            submitted=Count(a[:-2], filter=Q(**{f"{a}sheet__status": SheetStatus.SUBMITTED})),
            next_deadline=Min(
                Greatest(
                    f"{a}round__scoring_closes",
                    Coalesce(f"{a}sheet__reopened_until", f"{a}round__scoring_closes"),
                ),
                filter=unsubmitted,
            ),
            reminded_today=Exists(
                ReminderLog.objects.filter(kind=KIND_SHEETS, day=on, user=OuterRef("pk"))
            ),
        )
        .filter(submitted__lt=F("total"))
        .select_related("unit")
    )
    progress = [
        ReviewerProgress(
            reviewer=user,
            total=user.total,
            submitted=user.submitted,
            next_deadline=user.next_deadline,
            reminded_today=user.reminded_today,
        )
        for user in users
    ]
    return sorted(progress, key=lambda p: vietnamese_sort_key(p.reviewer.get_full_name()))


# --- What ---------------------------------------------------------------------------------


def sheets_message(user: User, sheets: list[ScoreSheet], *, on: datetime.date) -> Message:
    """The reminder listing ``user``'s open sheets, each with a direct link (pure builder;
    the sheets carry ``deadline`` as ``open_sheets`` annotates it)."""
    count = len(sheets)
    deadline = min(sheet.deadline for sheet in sheets)
    title = ngettext(
        "Reminder: %(count)d score sheet not yet submitted — deadline %(date)s",
        "Reminder: %(count)d score sheets not yet submitted — deadline %(date)s",
        count,
    ) % {"count": count, "date": format_date(deadline)}
    lines = []
    for sheet in sheets:
        dvk_model = sheet.assignment.entry.dvk_model
        lines.append(
            _("- %(model)s (%(unit)s), %(round)s, deadline %(date)s: %(url)s")
            % {
                "model": dvk_model.name,
                "unit": dvk_model.unit.name,
                "round": sheet.assignment.round.name,
                "date": format_date(sheet.deadline),
                "url": absolute_url(reverse("evaluation:sheet", args=[sheet.pk])),
            }
        )
    body = [
        greeting(user),
        ngettext(
            "This score sheet has not been submitted yet:",
            "These score sheets have not been submitted yet:",
            count,
        ),
        "\n".join(lines),
        _(
            "Please score each model and submit its sheet before the deadline (%(left)s). "
            "If you have a conflict of interest with a model, declare it on its sheet."
        )
        % {"left": days_left_text(deadline, on)},
        signature(),
    ]
    url = (
        reverse("evaluation:sheet", args=[sheets[0].pk])
        if count == 1
        else reverse("evaluation:queue")
    )
    return Message(title=title, body="\n\n".join(body), url=url)


# --- Sending ------------------------------------------------------------------------------


def _send(recipients: dict[User, list[ScoreSheet]], on, outcome: Reminded) -> None:
    for user, sheets in recipients.items():
        if remind(user, KIND_SHEETS, sheets_message(user, sheets, on=on), day=on) is None:
            outcome.skipped += 1
        else:
            outcome.sent += 1


def scheduled_reminders(*, on: datetime.date | None = None) -> Reminded:
    """Send the day's score sheet reminders (the beat task). Running it again the same
    day sends nothing new."""
    on = on or today()
    outcome = Reminded()
    _send(sheets_due(on=on), on, outcome)
    return outcome


def round_remind_reviewers(
    *, round: Round, reviewer_ids, by: User, on: datetime.date | None = None
) -> Reminded:
    """The assignment page's "nhắc": remind the reviewers ``reviewer_ids`` of their open
    sheets in ``round`` now, and log one ``ACTION_REMIND`` row. Reviewers without an open
    sheet in the round (another round's, already submitted, someone else's id) are left
    out. Raises ``EvaluationError`` unless the round is open for scoring."""
    if round.status != RoundStatus.OPEN:
        raise EvaluationError(
            _("Reviewers can be reminded only while the round is open for scoring.")
        )
    on = on or today()
    sheets = open_sheets(on=on).filter(
        assignment__round=round, assignment__reviewer_id__in=set(reviewer_ids)
    )
    recipients = _by_reviewer(sheets)
    outcome = Reminded()
    if not recipients:
        return outcome
    with transaction.atomic():
        _send(recipients, on, outcome)
        log_action(
            round,
            ACTION_REMIND,
            actor=by,
            data={
                "reviewers": sorted(user.pk for user in recipients),
                "sent": outcome.sent,
                "skipped": outcome.skipped,
            },
            unit=round.scope_unit,
        )
    return outcome


__all__ = [
    "ACTION_REMIND",
    "KIND_SHEETS",
    "ReviewerProgress",
    "open_sheets",
    "reminder_kinds",
    "reviewers_behind",
    "round_remind_reviewers",
    "scheduled_reminders",
    "sheets_due",
    "sheets_message",
]
