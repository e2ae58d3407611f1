"""What every registration service shares: the refusal type, the registration items and
the deadlines."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from danvan.dates import format_date, today
from danvan.errors import DomainError
from danvan.models import Unit
from danvan.selectors import unit_ancestor_ids

from ..models import Campaign, DeadlineExtension, DvkModel

# The fields the unit fills in on the registration form.
CONTENT_FIELDS = [
    "kind",
    "field",
    "name",
    *DvkModel.ITEM_TEXTS,
    "person_name",
    "person_position",
    "person_birth_year",
    "lead_name",
    "lead_phone",
    "lead_email",
    "planned_start",
    "planned_end",
    "replicates",
]
# What must be filled before submitting (a draft may be incomplete).
REQUIRED_ON_SUBMIT = [
    "field",
    "name",
    *DvkModel.ITEM_TEXTS,
    "lead_name",
    "lead_phone",
    "planned_start",
    "planned_end",
]
REQUIRED_FOR_INDIVIDUAL = ["person_name", "person_position", "person_birth_year"]
RESULT_FIELDS = [
    "results",
    "people_reached",
    "households",
    "money_mobilised",
    "workdays",
    "land_cleared_m2",
    "participants",
    "self_assessment",
]
RETURN_GRACE_DAYS = 7


class RegistrationError(DomainError):
    """A refused registration action; ``str(error)`` is the message to show the user."""


def refuse_invalid(error: ValidationError) -> RegistrationError:
    """A validator's ``ValidationError`` as the service's refusal (same fields, same words)."""
    if hasattr(error, "error_dict"):
        return RegistrationError(
            errors={field: list(ValidationError(msgs)) for field, msgs in error.error_dict.items()}
        )
    return RegistrationError(" ".join(error.messages))


def lock_dvk_model(dvk_model: DvkModel) -> DvkModel:
    """Re-read the row under a lock so that concurrent transitions serialise."""
    return (
        DvkModel.objects.select_for_update(of=("self",))
        .select_related("campaign", "unit", "field", "replicates")
        .get(pk=dvk_model.pk)
    )


# --- Deadlines ----------------------------------------------------------------------------


def registration_deadline(*, campaign: Campaign, unit: Unit) -> datetime.date:
    """The last day ``unit`` may register: the campaign's, or a later extension granted
    to the unit or to any unit above it."""
    ancestors = unit_ancestor_ids(unit=unit)
    extended = (
        DeadlineExtension.objects.filter(campaign=campaign, unit_id__in=ancestors)
        .order_by("-registration_closes")
        .values_list("registration_closes", flat=True)
        .first()
    )
    return max(filter(None, [campaign.registration_closes, extended]))


def submission_deadline(*, dvk_model: DvkModel) -> datetime.date:
    """The one deadline that applies to this model: its unit's registration deadline, or
    the resubmission day it was given when returned if that is later (also after a
    withdrawal). Pages show this date and no other."""
    deadline = registration_deadline(campaign=dvk_model.campaign, unit=dvk_model.unit)
    if dvk_model.resubmit_deadline:
        deadline = max(deadline, dvk_model.resubmit_deadline)
    return deadline


def ensure_registration_open(*, campaign: Campaign, unit: Unit, deadline=None) -> None:
    """Raise ``RegistrationError`` before the window opens or after ``deadline`` (default:
    the unit's registration deadline)."""
    day = today()
    if day < campaign.registration_opens:
        raise RegistrationError(
            _("Registration for this campaign opens on %(date)s.")
            % {"date": format_date(campaign.registration_opens)}
        )
    deadline = deadline or registration_deadline(campaign=campaign, unit=unit)
    if day > deadline:
        raise RegistrationError(
            _("Registration closed on %(date)s.") % {"date": format_date(deadline)}
        )
