"""Who is reminded of a registration deadline, and of what (reads only)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from danvan.dates import today
from danvan.db import vi_order
from danvan.models import Unit, User
from danvan.selectors import subtree_pks

from .. import selectors
from ..models import Campaign, DeadlineExtension, DvkModel
from ..notifications import unit_officers as officers_of
from .kinds import lead_days


@dataclass
class Due:
    """One thing a unit is reminded of: its campaign, its deadline and, for drafts and
    returned models, the models concerned."""

    campaign: Campaign
    unit: Unit
    deadline: datetime.date
    models: list[DvkModel] = field(default_factory=list)


def registration_deadlines(
    *, campaign: Campaign, unit_ids: Iterable[int]
) -> dict[int, datetime.date]:
    """Each unit's last day to register in ``campaign``: the campaign's, or the latest
    extension granted to the unit or a unit above it (``services.registration_deadline``
    for many units: one query per extension of the campaign, usually none or a few)."""
    unit_ids = set(unit_ids)
    deadlines = dict.fromkeys(unit_ids, campaign.registration_closes)
    for extension in DeadlineExtension.objects.filter(campaign=campaign).order_by("pk"):
        below = Unit.objects.filter(pk__in=subtree_pks(extension.unit_id)).filter(pk__in=unit_ids)
        for pk in below.values_list("pk", flat=True):
            deadlines[pk] = max(deadlines[pk], extension.registration_closes)
    return deadlines


def _open_campaigns(on: datetime.date) -> list[Campaign]:
    """Campaigns whose registration has opened and still runs for some unit on ``on``."""
    return list(
        Campaign.objects.filter(registration_opens__lte=on)
        .filter(Q(registration_closes__gte=on) | Q(extensions__registration_closes__gte=on))
        .select_related("organiser")
        .distinct()
        .order_by("pk")
    )


def unregistered_due(*, on: datetime.date | None = None, days=None) -> list[Due]:
    """The units to remind on ``on`` (default today) that they have registered nothing:
    units expected to register, with no model at all (not even a draft) in an open
    campaign, whose deadline is one of ``days`` (default ``lead_days()``) days away."""
    on = on or today()
    days = set(days if days is not None else lead_days())
    due = []
    for campaign in _open_campaigns(on):
        units = list(
            selectors.registering_units(
                Unit.objects.filter(pk__in=subtree_pks(campaign.organiser_id))
            )
            .filter(kind__in=selectors.REGISTERING_KINDS)
            .exclude(dvk_models__campaign=campaign)
            .order_by("pk")
        )
        deadlines = registration_deadlines(campaign=campaign, unit_ids=[u.pk for u in units])
        due += [
            Due(campaign, unit, deadlines[unit.pk])
            for unit in units
            if (deadlines[unit.pk] - on).days in days
        ]
    return due


def models_due(*, status: str, on: datetime.date | None = None, days=None) -> list[Due]:
    """The models in ``status`` (draft or returned) whose submission deadline — the
    unit's registration deadline, or the later resubmission day a return gave — is one of
    ``days`` (default ``lead_days()``) days after ``on`` (default today), grouped by
    campaign and unit."""
    on = on or today()
    days = set(days if days is not None else lead_days())
    candidates = (
        DvkModel.objects.filter(status=status, campaign__registration_opens__lte=on)
        .filter(
            Q(campaign__registration_closes__gte=on)
            | Q(resubmit_deadline__gte=on)
            | Q(campaign__extensions__registration_closes__gte=on)
        )
        .select_related("campaign", "unit")
        .distinct()
        .order_by("campaign_id", "unit_id", vi_order("name"), "pk")
    )
    by_campaign = defaultdict(list)
    for dvk_model in candidates:
        by_campaign[dvk_model.campaign].append(dvk_model)
    groups: dict[tuple[int, int], Due] = {}
    for campaign, dvk_models in by_campaign.items():
        deadlines = registration_deadlines(
            campaign=campaign, unit_ids={m.unit_id for m in dvk_models}
        )
        for dvk_model in dvk_models:
            deadline = max(
                filter(None, [deadlines[dvk_model.unit_id], dvk_model.resubmit_deadline])
            )
            if (deadline - on).days not in days:
                continue
            key = (campaign.pk, dvk_model.unit_id)
            group = groups.setdefault(key, Due(campaign, dvk_model.unit, deadline))
            group.deadline = min(group.deadline, deadline)
            group.models.append(dvk_model)
            dvk_model.reminder_deadline = deadline
    return list(groups.values())


def unit_officers(unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active unit officers of each unit, by unit id: the same people the
    registration's notifications reach (``models_registry.notifications.unit_officers``:
    the unit's own officers, or those of the body that works for it). One query."""
    officers = defaultdict(list)
    for user in officers_of(unit_ids):
        officers[user.scope_root].append(user)
    return officers


def by_officer(
    due: list[Due], officers: dict[int, list[User]] | None = None
) -> dict[User, list[Due]]:
    """What each unit officer is reminded of (``officers``: ``unit_officers`` of the units
    of ``due`` when already read)."""
    if officers is None:
        officers = unit_officers(d.unit.pk for d in due)
    recipients: dict[int, tuple[User, list[Due]]] = {}
    for item in due:
        for user in officers.get(item.unit.pk, []):
            recipients.setdefault(user.pk, (user, []))[1].append(item)
    return dict(recipients.values())
