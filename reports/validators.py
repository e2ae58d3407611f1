"""One function per reports rule, called by model ``clean()``, forms and services alike.

Each returns nothing (or the cleaned value) and raises ``ValidationError`` with a
Vietnamese message.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from danvan.dates import format_date, today

# Capital letters (Vietnamese ones too), digits, "&" and inner hyphens: "BTGDVTU", "UBND", "ĐU".
_CODE = r"[A-ZĐÂĂÊÔƠƯ0-9&]+(?:-[A-ZĐÂĂÊÔƠƯ0-9&]+)*"
_SYMBOL_RE = re.compile(rf"^{_CODE}$")
# A plan as the issuer writes it: state "05/KH-UBND", Party "12-KH/ĐU" (number, then type).
_PLAN_STATE_RE = re.compile(rf"^\d{{1,6}}/KH-{_CODE}$")
_PLAN_PARTY_RE = re.compile(rf"^\d{{1,6}}-KH/{_CODE}$")


def validate_symbol(value: str) -> None:
    """The issuer's symbol in "Số …-BC/BTGDVTU"."""
    if not value or not _SYMBOL_RE.match(value):
        raise ValidationError(
            _("Use capital letters and digits only, e.g. “BTGDVTU”."), code="symbol"
        )


def validate_no_overlap(profile) -> None:
    """No two profiles of one unit are valid on the same day."""
    from .models import IssuerProfile

    if profile.unit_id is None or profile.valid_from is None:
        return
    if profile.valid_to is not None and profile.valid_to < profile.valid_from:
        return  # the range check reports this one
    others = IssuerProfile.objects.filter(unit_id=profile.unit_id).exclude(pk=profile.pk)
    others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=profile.valid_from))
    if profile.valid_to is not None:
        others = others.filter(valid_from__lte=profile.valid_to)
    clash = others.order_by("valid_from").first()
    if clash is not None:
        until = format_date(clash.valid_to) if clash.valid_to else _("open-ended")
        raise ValidationError(
            {
                "valid_from": _(
                    "These dates overlap the profile “%(name)s” valid from %(start)s to "
                    "%(end)s: end that one first."
                )
                % {"name": clash.issuing_body, "start": format_date(clash.valid_from), "end": until}
            },
            code="overlap",
        )


def clean_plan_number(text: str) -> str:
    """The plan's number and symbol, spaces removed; refuses anything else."""
    value = "".join((text or "").split())
    if not (_PLAN_STATE_RE.match(value) or _PLAN_PARTY_RE.match(value)):
        raise ValidationError(
            _(
                "Write the plan's number and symbol as issued: “05/KH-UBND” for a state "
                "body or “12-KH/ĐU” for a Party body."
            ),
            code="plan_number",
        )
    return value


def validate_plan_date(date, campaign) -> None:
    """Issued by today, in the campaign's year or the year before (plans come out in the
    last weeks of the previous year too)."""
    if date is None:
        raise ValidationError(_("Enter the date the plan was issued."), code="plan_date")
    if date > today():
        raise ValidationError(_("The plan cannot be dated in the future."), code="plan_future")
    if date.year not in (campaign.year - 1, campaign.year):
        raise ValidationError(
            _("A plan for %(year)s is dated in %(before)s or %(year)s.")
            % {"year": campaign.year, "before": campaign.year - 1},
            code="plan_year",
        )


def validate_plan_file(uploaded):
    """A PDF by its name and its content (``models_registry.files.check_uploaded_file``);
    returns the checked file's facts."""
    from models_registry.files import check_uploaded_file

    name = (uploaded.name or "").lower()
    if not name.endswith(".pdf"):
        raise ValidationError(_("The plan must be a PDF file."), code="plan_type")
    return check_uploaded_file(uploaded)
