"""Sending the registration reminders: the day's schedule and the coverage page's
"nhắc" button."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import ngettext

from danvan.activity import log_action
from danvan.dates import today
from danvan.models import Unit, User
from danvan.notifications import remind

from ..enums import ModelStatus
from ..models import Campaign
from .kinds import ACTION_REMIND, KIND_DRAFTS, KIND_RETURNED, KIND_UNREGISTERED
from .messages import drafts_message, returned_message, unregistered_message
from .selection import (
    Due,
    by_officer,
    models_due,
    registration_deadlines,
    unit_officers,
    unregistered_due,
)


@dataclass
class Reminded:
    """What one round of reminders did: ``sent`` users reminded, ``skipped`` users already
    reminded of that kind that day, ``unreachable`` units without an active officer,
    ``closed`` units whose deadline has passed."""

    sent: int = 0
    skipped: int = 0
    unreachable: int = 0
    closed: int = 0


def _send(kind: str, recipients: dict[User, list[Due]], build, on, outcome: Reminded) -> None:
    for user, due in recipients.items():
        if remind(user, kind, build(user, due, on=on), day=on) is None:
            outcome.skipped += 1
        else:
            outcome.sent += 1


def scheduled_reminders(*, on: datetime.date | None = None) -> dict[str, Reminded]:
    """Send the day's registration reminders (the beat task); returns what each kind did.
    Running it again the same day sends nothing new (``ReminderLog``)."""
    on = on or today()
    outcomes = {}
    for kind, due, build in [
        (KIND_UNREGISTERED, unregistered_due(on=on), unregistered_message),
        (KIND_DRAFTS, models_due(status=ModelStatus.DRAFT, on=on), drafts_message),
        (KIND_RETURNED, models_due(status=ModelStatus.RETURNED, on=on), returned_message),
    ]:
        outcome = outcomes[kind] = Reminded()
        _send(kind, by_officer(due), build, on, outcome)
    return outcomes


def campaign_remind_units(
    *, campaign: Campaign, units: list[Unit], by: User, on: datetime.date | None = None
) -> Reminded:
    """The coverage page's "nhắc": remind the officers of ``units`` now that they have
    registered nothing in ``campaign``, and log one ``ACTION_REMIND`` row.

    ``units`` must already be the user's selection filtered to their scope and to the
    units without a registration (``selectors.units_without_models``). Units whose
    deadline has passed are not reminded (they can no longer register).
    """
    on = on or today()
    outcome = Reminded()
    deadlines = registration_deadlines(campaign=campaign, unit_ids=[u.pk for u in units])
    due = []
    for unit in units:
        if deadlines[unit.pk] < on:
            outcome.closed += 1
        else:
            due.append(Due(campaign, unit, deadlines[unit.pk]))
    officers = unit_officers(d.unit.pk for d in due)
    outcome.unreachable = sum(1 for d in due if not officers.get(d.unit.pk))
    with transaction.atomic():
        _send(KIND_UNREGISTERED, by_officer(due, officers), unregistered_message, on, outcome)
        log_action(
            campaign,
            ACTION_REMIND,
            actor=by,
            data={
                "units": [u.pk for u in units],
                "sent": outcome.sent,
                "skipped": outcome.skipped,
            },
            unit=campaign.organiser,
        )
    return outcome


def reminded_message(outcome: Reminded) -> str:
    """The page's feedback, e.g. "Đã nhắc 5 người; 2 người đã được nhắc hôm nay nên không
    gửi lại." (shared with the round page's button)."""
    parts = [
        ngettext("Reminded %(count)d person", "Reminded %(count)d people", outcome.sent)
        % {"count": outcome.sent}
    ]
    if outcome.skipped:
        parts.append(
            ngettext(
                "%(count)d person had already been reminded today and was not reminded again",
                "%(count)d people had already been reminded today and were not reminded again",
                outcome.skipped,
            )
            % {"count": outcome.skipped}
        )
    if outcome.unreachable:
        parts.append(
            ngettext(
                "%(count)d unit has no officer account to remind",
                "%(count)d units have no officer account to remind",
                outcome.unreachable,
            )
            % {"count": outcome.unreachable}
        )
    if outcome.closed:
        parts.append(
            ngettext(
                "%(count)d unit's deadline has passed",
                "%(count)d units' deadlines have passed",
                outcome.closed,
            )
            % {"count": outcome.closed}
        )
    return "; ".join(parts) + "."
