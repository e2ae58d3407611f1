"""Each registration rule checked in one place.

Pure functions: values in, ``ValidationError`` keyed by form field out. Forms call them in
``clean()`` so the user sees the message next to the field; services call them before
writing so no other route (a script, a crafted POST) can bypass them; the model's
``Meta.constraints`` hold the part the database can enforce.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from danvan.dates import today

EARLIEST_BIRTH_YEAR = 1900


def validate_planned_dates(start: datetime.date | None, end: datetime.date | None) -> None:
    """The planned period cannot end before it starts (constraint ``dvk_model_planned_range``)."""
    if start and end and end < start:
        raise ValidationError({"planned_end": _("The end date cannot be before the start date.")})


def validate_birth_year(year: int | None) -> None:
    """A year of birth lies between 1900 (constraint ``dvk_model_birth_year``) and this year."""
    if year is None:
        return
    if year > today().year:
        raise ValidationError(
            {"person_birth_year": _("The year of birth cannot be in the future.")}
        )
    if year < EARLIEST_BIRTH_YEAR:
        raise ValidationError({"person_birth_year": _("Please enter a year of birth after 1900.")})


# (earlier, later): the later date may not come before the earlier one. The same pairs are
# the campaign's check constraints.
CAMPAIGN_DATE_ORDER = [
    ("registration_opens", "registration_closes"),
    ("registration_closes", "result_report_due"),
    ("scoring_opens", "scoring_closes"),
]


def validate_campaign_dates(values: dict, *, labels: dict | None = None) -> None:
    """The campaign's dates in order, and registration opening in (or next to) its year.

    ``values`` maps field names to dates (missing or None: not checked); ``labels`` maps
    field names to the labels the message names (default: the model's verbose names,
    capitalised as form labels are).
    """
    from .models import Campaign

    def label(name):
        if labels and name in labels:
            return labels[name]
        return capfirst(Campaign._meta.get_field(name).verbose_name)

    errors: dict[str, list[str]] = {}
    for earlier, later in CAMPAIGN_DATE_ORDER:
        first, second = values.get(earlier), values.get(later)
        if first and second and second < first:
            errors.setdefault(later, []).append(
                _("This date cannot be before “%(other)s”.") % {"other": label(earlier)}
            )
    year, opens = values.get("year"), values.get("registration_opens")
    if year and opens and abs(opens.year - year) > 1:
        errors.setdefault("registration_opens", []).append(
            _("Registration should open in the campaign's year.")
        )
    if errors:
        raise ValidationError(errors)
