"""Coverage: which units are expected to register a model, and which did not."""

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
)

from danvan.db import vi_order
from danvan.enums import UnitKind
from danvan.models import Unit, User

from ..enums import ModelStatus
from ..models import Campaign, DvkModel
from ..rules import unit_id_in_scope_of, unit_id_in_subtree
from .scope import in_scope_q, in_subtree_q

# The kinds of unit the directives expect to register at least one model a year.
REGISTERING_KINDS = [
    UnitKind.COMMUNE,
    UnitKind.DEPARTMENT,
    UnitKind.PARTY_BODY,
    UnitKind.MASS_ORGANISATION,
    UnitKind.ARMED_FORCES,
]


def registering_units(queryset: QuerySet[Unit]) -> QuerySet[Unit]:
    """The active units of ``queryset`` that register models (no historic districts, no
    residential areas)."""
    return queryset.filter(active=True).exclude(kind__in=[UnitKind.DISTRICT, UnitKind.RESIDENTIAL])


def _coverage_units(*, user: User, campaign: Campaign, kinds) -> QuerySet[Unit]:
    """Active units of ``kinds`` under the campaign's organiser and in the user's scope
    (one walk down, from the deeper of the two roots when one lies under the other)."""
    qs = Unit.objects.filter(active=True, kind__in=kinds)
    organiser_id = campaign.organiser_id
    if not user.is_superuser:
        if user.scope_unit_id is None:
            return qs.none()
        # The organiser's subtree lies in the scope, or the scope in the organiser's
        # subtree: one walk is enough; otherwise both.
        if not unit_id_in_scope_of(user, organiser_id):
            qs = qs.filter(in_scope_q(user, "pk"))
            if unit_id_in_subtree(user.scope_unit_id, organiser_id):
                return qs
    return qs.filter(in_subtree_q(organiser_id, "pk"))


def _registered(campaign: Campaign):
    """The unit (``OuterRef("pk")``) registered a model in ``campaign``: drafts do not
    count; submitted, returned or accepted models do."""
    return Exists(
        DvkModel.objects.filter(campaign=campaign, unit=OuterRef("pk")).exclude(
            status=ModelStatus.DRAFT
        )
    )


def units_without_models(
    *, user: User, campaign: Campaign, kinds: list[str] | None = None
) -> QuerySet[Unit]:
    """Active units of the registering kinds in scope that registered nothing in ``campaign``.

    Drafts do not count as registered: only submitted, returned or accepted models do.
    """
    qs = _coverage_units(user=user, campaign=campaign, kinds=kinds or REGISTERING_KINDS)
    return (
        qs.filter(~_registered(campaign))
        .select_related("parent")
        .order_by("kind", vi_order("parent__name"), vi_order("name"))
    )


def coverage_by_kind(*, user: User, campaign: Campaign) -> list[dict]:
    """Per unit kind: units expected to register, units that did, units that did not."""
    qs = _coverage_units(user=user, campaign=campaign, kinds=REGISTERING_KINDS)
    rows = (
        qs.annotate(registered=_registered(campaign))
        .values("kind")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(registered=True)))
        .order_by("kind")
    )
    labels = dict(UnitKind.choices)
    return [
        {
            "kind": row["kind"],
            "label": labels.get(row["kind"], row["kind"]),
            "total": row["total"],
            "done": row["done"],
            "missing": row["total"] - row["done"],
        }
        for row in rows
    ]
