"""Reads of the reports' own data: issuer profiles by date, narratives, unit plans."""

import datetime

from django.db.models import Q, QuerySet

from danvan.models import Unit
from models_registry.models import Campaign

from .enums import ReportKind
from .models import IssuerProfile, ReportNarrative, UnitPlan


def _valid_on(date: datetime.date) -> Q:
    return Q(valid_from__lte=date) & (Q(valid_to__isnull=True) | Q(valid_to__gte=date))


def issuer_profile_on(unit: Unit | int, date: datetime.date) -> IssuerProfile | None:
    """The profile of ``unit`` valid on ``date`` (at most one: versions never overlap)."""
    unit_id = getattr(unit, "pk", unit)
    return IssuerProfile.objects.filter(_valid_on(date), unit_id=unit_id).first()


def issuer_profile_for(*, organiser: Unit, date: datetime.date) -> IssuerProfile | None:
    """The profile that signs the reports of ``organiser``'s campaigns on ``date``: the
    organiser's own, else one of a unit that oversees it (the provincial commission
    oversees the province). One query."""
    candidates = IssuerProfile.objects.filter(
        _valid_on(date), Q(unit=organiser) | Q(unit__oversees=organiser)
    ).select_related("unit")
    found = sorted(candidates, key=lambda p: (p.unit_id != organiser.pk, p.unit_id, p.pk))
    return found[0] if found else None


def issuer_profiles_of(*, unit: Unit) -> QuerySet[IssuerProfile]:
    return IssuerProfile.objects.filter(unit=unit).order_by("-valid_from")


def previous_campaign(campaign: Campaign) -> Campaign | None:
    """The same organiser's campaign of the year before (None when there was none)."""
    return Campaign.objects.filter(
        organiser_id=campaign.organiser_id, year=campaign.year - 1
    ).first()


def narrative_of(*, campaign: Campaign, kind: str = ReportKind.ANNUAL) -> ReportNarrative | None:
    """The saved narrative (None until the secretariat first saves one)."""
    return ReportNarrative.objects.filter(campaign=campaign, kind=kind).first()


def latest_narrative_before(*, campaign: Campaign, kind: str) -> ReportNarrative | None:
    """The newest saved narrative of the same organiser and kind in an earlier year."""
    return (
        ReportNarrative.objects.filter(
            campaign__organiser_id=campaign.organiser_id,
            campaign__year__lt=campaign.year,
            kind=kind,
        )
        .select_related("campaign")
        .order_by("-campaign__year")
        .first()
    )


def unit_plans_of(*, campaign: Campaign) -> QuerySet[UnitPlan]:
    return UnitPlan.objects.filter(campaign=campaign).select_related("unit", "created_by")


def unit_plan_of(*, campaign: Campaign, unit: Unit) -> UnitPlan | None:
    return UnitPlan.objects.filter(campaign=campaign, unit=unit).first()
