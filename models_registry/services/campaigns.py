"""Campaigns: their dates and focus fields, deadline extensions and result indicators."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from danvan.activity import log_action
from danvan.dates import format_date
from danvan.models import Unit, User

from ..models import Campaign, DeadlineExtension, Indicator
from ..validators import validate_campaign_dates
from .common import RegistrationError, refuse_invalid

CAMPAIGN_DATE_FIELDS = [
    "registration_opens",
    "registration_closes",
    "result_report_due",
    "scoring_opens",
    "scoring_closes",
    "honouring_date",
    "report_date",
]


@transaction.atomic
def campaign_save(*, campaign: Campaign, focus_fields=None, by: User | None = None) -> Campaign:
    """Validate and save a new or edited campaign with its focus fields; logs create or
    update. Raises ``RegistrationError`` on the dates (by field) and Django's
    ``ValidationError`` from the model (a second campaign of the organiser in one year)."""
    try:
        validate_campaign_dates(
            {name: getattr(campaign, name) for name in ["year", *CAMPAIGN_DATE_FIELDS]}
        )
    except ValidationError as error:
        raise refuse_invalid(error) from None
    created = campaign.pk is None
    campaign.full_clean()
    campaign.save()
    if focus_fields is not None:
        campaign.focus_fields.set(focus_fields)
    log_action(
        campaign,
        "models_registry.campaign.create" if created else "models_registry.campaign.update",
        actor=by,
        data={"year": campaign.year, "title": campaign.title},
        unit=campaign.organiser,
    )
    return campaign


@transaction.atomic
def campaign_extend_deadline(
    *, campaign: Campaign, unit: Unit, until: datetime.date, reason: str, by: User
) -> DeadlineExtension:
    """Grant ``unit`` (and its subtree) registration until ``until``; replaces an earlier
    grant. Raises ``RegistrationError`` on ``registration_closes`` or ``reason``."""
    if until <= campaign.registration_closes:
        raise RegistrationError(
            _("The new deadline must be after the campaign's (%(date)s).")
            % {"date": format_date(campaign.registration_closes)},
            field="registration_closes",
        )
    if not reason.strip():
        raise RegistrationError(_("Please give a reason."), field="reason")
    extension, _created = DeadlineExtension.objects.update_or_create(
        campaign=campaign,
        unit=unit,
        defaults={"registration_closes": until, "reason": reason.strip(), "granted_by": by},
    )
    log_action(
        campaign,
        "models_registry.campaign.extend_deadline",
        actor=by,
        data={"unit": unit.pk, "unit_name": unit.name, "until": until, "reason": reason.strip()},
        unit=unit,
    )
    return extension


@transaction.atomic
def campaign_save_indicators(*, campaign: Campaign, rows: list[dict], by: User | None = None):
    """Replace the campaign's indicators by ``rows`` (dicts with id?, name, unit_label,
    position, delete?); logs one update.

    Refused (``RegistrationError``, nothing saved) when a row names an indicator that no
    longer exists (deleted in another tab) or removes one that reports already use.
    """
    ids = {row["id"] for row in rows if row.get("id")}
    existing = Indicator.objects.filter(campaign=campaign, pk__in=ids).in_bulk()
    if set(existing) != ids:
        raise RegistrationError(
            _(
                "Some of these indicators were changed or removed in another window. Nothing "
                "was saved: reload the page and make your changes again."
            )
        )
    for row in rows:
        indicator = existing.get(row.get("id"))
        if row.get("delete"):
            if indicator is not None:
                if indicator.values.exists():
                    raise RegistrationError(
                        _("“%(name)s” is already used by result reports and cannot be removed.")
                        % {"name": indicator.name}
                    )
                indicator.delete()
            continue
        if not (row.get("name") or "").strip():
            continue
        indicator = indicator or Indicator(campaign=campaign)
        indicator.name = row["name"].strip()
        indicator.unit_label = (row.get("unit_label") or "").strip()
        indicator.position = row.get("position") or 0
        indicator.full_clean()
        indicator.save()
    log_action(
        campaign,
        "models_registry.campaign.update_indicators",
        actor=by,
        data={"indicators": list(campaign.indicators.values_list("name", flat=True))},
        unit=campaign.organiser,
    )
