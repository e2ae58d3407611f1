"""Reads of campaigns, their deadline extensions and the fields a model is filed under."""

import datetime

from django.db.models import (
    Count,
    Prefetch,
    Q,
    QuerySet,
)

from danvan import dates
from danvan.db import vi_order
from danvan.enums import Role, UnitKind
from danvan.models import Unit, User
from danvan.selectors import (
    filter_to_scope,
    subtree_pks,
    unit_ancestor_ids,
    units_in_scope,
)

from ..enums import ModelStatus
from ..models import Campaign, DeadlineExtension, Field
from .coverage import registering_units
from .scope import _scope_ids


def campaigns_for_unit(*, unit: Unit) -> QuerySet[Campaign]:
    """Campaigns organised by ``unit`` or any unit above it, newest first."""
    return Campaign.objects.filter(organiser_id__in=unit_ancestor_ids(unit=unit)).order_by("-year")


def campaign_current_for(*, user: User, today: datetime.date | None = None) -> Campaign | None:
    """The campaign a user works in now: the newest one that reaches their unit.

    Secretariat and leaders without a unit-level campaign see the newest in their scope.
    """
    # Several home panels ask for it in one request: read once per user object and day.
    today = today or dates.today()
    return user.remember(("campaign_current_for", today), lambda: _campaign_current(user, today))


def _campaign_current(user: User, today: datetime.date) -> Campaign | None:
    if user.unit_id is None:
        if not user.is_superuser:
            return None
        return Campaign.objects.select_related("organiser").order_by("-year").first()
    reaching = campaigns_for_unit(unit=user.unit).select_related("organiser")
    current = reaching.filter(registration_opens__lte=today).first() or reaching.first()
    if current is None and (user.has_role(Role.SECRETARIAT) or user.has_role(Role.LEADER)):
        current = campaigns_in_scope(user=user).first()
    return current


def campaigns_in_scope(*, user: User) -> QuerySet[Campaign]:
    """Campaigns the secretariat or a leader manages or follows, with model counts."""
    qs = Campaign.objects.select_related("organiser")
    if not user.is_superuser:
        qs = qs.filter(
            Q(organiser_id__in=_scope_ids(user))
            | Q(organiser_id__in=unit_ancestor_ids(unit=user.unit) if user.unit_id else [])
        )
    return qs.annotate(
        model_count=Count("models", filter=~Q(models__status=ModelStatus.DRAFT), distinct=True)
    ).order_by("-year")


def campaign_organisers_for(*, user: User) -> QuerySet[Unit]:
    """Units in the user's scope that may organise a campaign (province and communes)."""
    return registering_units(units_in_scope(user=user)).filter(
        kind__in=[UnitKind.PROVINCE, UnitKind.COMMUNE]
    )


def extension_units_for(*, user: User, campaign: Campaign) -> QuerySet[Unit]:
    """Units under the campaign's organiser, in the user's scope, that may be given a
    later deadline."""
    in_campaign = subtree_pks(campaign.organiser_id, include_self=False)
    return registering_units(units_in_scope(user=user).filter(pk__in=in_campaign)).order_by(
        "kind", vi_order("name")
    )


def deadline_extensions_visible_to(
    *, user: User, campaign: Campaign
) -> QuerySet[DeadlineExtension]:
    """The campaign's deadline extensions ``user`` may read, with unit and granting officer.

    The secretariat and leaders (intake) see every extension in their scope; a unit sees
    only the extensions that apply to it (granted to its own unit or a unit above it): the
    reason and the officer's name of another unit's extension are not its business.
    """
    qs = DeadlineExtension.objects.filter(campaign=campaign).select_related("unit", "granted_by")
    if user.has_perm("models_registry.intake"):
        qs = filter_to_scope(qs, user=user)
    elif user.unit_id is not None:
        qs = qs.filter(unit_id__in=unit_ancestor_ids(unit=user.unit))
    else:
        qs = qs.none()
    return qs.order_by(vi_order("unit__name"))


def fields_for_registration() -> QuerySet[Field]:
    """The fields a registration may choose: active ones, grouped by top-level field."""
    return (
        Field.objects.filter(active=True)
        .select_related("parent")
        .order_by("parent__position", vi_order("parent__name"), "position", vi_order("name"))
    )


def fields_for_management() -> list[Field]:
    """Every top-level field with all its topics, each annotated with its number of models."""
    topics = Field.objects.annotate(model_count=Count("dvk_models")).order_by(
        "position", vi_order("name")
    )
    return list(
        Field.objects.filter(parent=None)
        .annotate(model_count=Count("dvk_models"))
        .prefetch_related(Prefetch("children", queryset=topics))
        .order_by("position", vi_order("name"))
    )


def fields_tree() -> list[Field]:
    """Active top-level fields, each with its active topics prefetched."""
    return list(
        Field.objects.filter(parent=None, active=True)
        .prefetch_related(
            Prefetch(
                "children",
                queryset=Field.objects.filter(active=True).order_by("position", vi_order("name")),
            )
        )
        .order_by("position", vi_order("name"))
    )
