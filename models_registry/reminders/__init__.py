"""Reminders of the registration stage: who is reminded of a registration deadline, what
the reminder says, and the secretariat's "nhắc" button on the coverage page.

Three reminder kinds (``danvan.notifications.NotificationKind`` with no actions, sent with
``danvan.notifications.remind``, hence at most once per user, kind and day):

* ``KIND_UNREGISTERED`` — a unit expected to register (``selectors.REGISTERING_KINDS``
  under the campaign's organiser) that has no model at all in the campaign, N days before
  its registration deadline (the campaign's, or a later extension of the unit or a unit
  above it). A unit that has drafts gets the drafts reminder instead, which names them.
* ``KIND_DRAFTS`` — drafts not yet submitted, N days before their deadline
  (``services.submission_deadline``: the unit's deadline, or a later resubmission day).
* ``KIND_RETURNED`` — returned models, N days before their resubmission deadline.

N is each of ``lead_days()`` (``settings.REMINDER_DAYS_BEFORE``, default 7, 3 and 1).
The recipients are the active unit officers of the model's or unit's own unit; a user
gets one reminder per kind listing every unit, draft or model concerned.
"""

from .kinds import (
    ACTION_REMIND,
    KIND_DRAFTS,
    KIND_RETURNED,
    KIND_UNREGISTERED,
    lead_days,
    reminder_kinds,
)
from .messages import (
    absolute_url,
    days_left_text,
    drafts_message,
    greeting,
    returned_message,
    signature,
    unregistered_message,
)
from .selection import (
    Due,
    by_officer,
    models_due,
    registration_deadlines,
    unit_officers,
    unregistered_due,
)
from .sending import Reminded, campaign_remind_units, reminded_message, scheduled_reminders

__all__ = [
    "ACTION_REMIND",
    "KIND_DRAFTS",
    "KIND_RETURNED",
    "KIND_UNREGISTERED",
    "Due",
    "Reminded",
    "absolute_url",
    "by_officer",
    "campaign_remind_units",
    "days_left_text",
    "drafts_message",
    "greeting",
    "lead_days",
    "models_due",
    "registration_deadlines",
    "reminded_message",
    "reminder_kinds",
    "returned_message",
    "scheduled_reminders",
    "signature",
    "unit_officers",
    "unregistered_due",
    "unregistered_message",
]
