"""Each registration rule checked in one place.

Pure functions: values in, ``ValidationError`` keyed by form field out. Forms call them in
``clean()`` so the user sees the message next to the field; services call them before
writing so no other route (a script, a crafted POST) can bypass them; the model's
``Meta.constraints`` hold the part the database can enforce.
"""

from __future__ import annotations

import datetime
import re

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


# A Vietnamese phone number, once spaces, dots, dashes and brackets are removed and a
# leading +84 (or 84 before nine or ten digits) becomes 0: a mobile number 0[35789]x xxx xxxx
# (10 digits) or a landline 02xx xxx xxxx (11 digits, the area code since 2017).
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_PHONE_PATTERN = re.compile(r"0[35789]\d{8}|02\d{9}")


def extension_date_warnings(*, campaign, until: datetime.date | None) -> list[str]:
    """What a unit's later registration deadline ``until`` contradicts in the campaign's
    dates: it reaches past the end of scoring (a model registered then cannot be scored this
    year), or past its start (the round needs the late models added). Allowed — the
    campaign page and the grant's message show these so that the secretariat notices."""
    from danvan.dates import format_date

    if until is None or campaign.scoring_opens is None:
        return []
    dates = {
        "until": format_date(until),
        "opens": format_date(campaign.scoring_opens),
        "closes": format_date(campaign.scoring_closes),
    }
    if campaign.scoring_closes and until >= campaign.scoring_closes:
        return [
            _(
                "The new deadline (%(until)s) is not before the end of scoring (%(closes)s): "
                "a model registered by then cannot be scored this year."
            )
            % dates
        ]
    if until >= campaign.scoring_opens:
        return [
            _(
                "The new deadline (%(until)s) is after scoring opens (%(opens)s): once the "
                "late models are accepted, add them to the round (“Populate entries”)."
            )
            % dates
        ]
    return []


def normalise_phone(value: str | None, *, field: str = "lead_phone") -> str:
    """``value`` as the digits of a Vietnamese phone number ("0912345678"), or "" when
    empty; raises ``ValidationError`` on ``field`` when it is not one."""
    text = (value or "").strip()
    if not text:
        return ""
    digits = _PHONE_SEPARATORS.sub("", text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not (digits.isascii() and _PHONE_PATTERN.fullmatch(digits)):
        raise ValidationError(
            {
                field: _(
                    "Enter a Vietnamese phone number: a mobile number of 10 digits "
                    "(e.g. 0912 345 678) or a landline of 11 digits with the area code "
                    "(e.g. 0239 3855 555)."
                )
            }
        )
    return digits
