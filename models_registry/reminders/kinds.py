"""The registration stage's reminder kinds, the activity code of the "nhắc" button and
the lead times of the schedule."""

from django.conf import settings
from django.utils.translation import gettext_lazy

from danvan.enums import Role
from danvan.notifications import NotificationKind

KIND_UNREGISTERED = "models_registry.remind_unregistered"
KIND_DRAFTS = "models_registry.remind_drafts"
KIND_RETURNED = "models_registry.remind_returned"
# The activity row of one press of the coverage page's "nhắc" button. No notification
# kind listens to it: the reminders themselves are the notifications.
ACTION_REMIND = "models_registry.campaign.remind"

DEFAULT_DAYS_BEFORE = (7, 3, 1)


def lead_days() -> tuple[int, ...]:
    """How many days before a deadline the schedule reminds (``REMINDER_DAYS_BEFORE``)."""
    return tuple(getattr(settings, "REMINDER_DAYS_BEFORE", DEFAULT_DAYS_BEFORE))


def reminder_kinds() -> list[NotificationKind]:
    """The kinds ``extensions.register()`` registers (labels shown on the preferences page)."""
    return [
        NotificationKind(
            code=KIND_UNREGISTERED,
            roles=(Role.UNIT_OFFICER,),
            label=gettext_lazy("Reminder: our unit has not registered a model yet"),
            order=210,
        ),
        NotificationKind(
            code=KIND_DRAFTS,
            roles=(Role.UNIT_OFFICER,),
            label=gettext_lazy("Reminder: drafts not yet submitted"),
            order=220,
        ),
        NotificationKind(
            code=KIND_RETURNED,
            roles=(Role.UNIT_OFFICER,),
            label=gettext_lazy("Reminder: returned models to resubmit"),
            order=230,
        ),
    ]
