"""Who may read which model: the unit scope as a row condition and the visibility
policy (``dvk_models_visible_to``, the same policy as the rule ``view_dvkmodel``)."""

from django.db.models import Q, QuerySet

from danvan.enums import Role
from danvan.extensions import extra_readers_q
from danvan.models import User
from danvan.selectors import in_subtree_q, units_in_scope

from ..enums import ModelStatus
from ..models import Campaign, DvkModel


def _scope_ids(user: User):
    """A subquery of the unit ids in the user's scope (a walk down from its root; no tree
    fields: only the ids are needed)."""
    return units_in_scope(user=user).values("pk")


def dvk_models_visible_to(*, user: User, campaign: Campaign | None = None) -> QuerySet[DvkModel]:
    """Every model ``user`` may read (see models_registry.rules for the same policy).

    Unit officers: their scope, drafts included. Secretariat and leaders: their scope,
    drafts excluded. Everyone with a unit: accepted models of campaigns that share them.
    Plus whoever a later app registers as a reader (``danvan.extensions.register_reader``).
    """
    qs = DvkModel.objects.all()
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if user.is_superuser:
        return qs
    extra = extra_readers_q("models_registry.DvkModel", user)
    if user.scope_unit_id is None:
        return qs.filter(extra) if extra is not None else qs.none()
    visible = _own_visibility_q(user)
    if extra is not None:
        visible |= extra
    return qs.filter(visible)


def in_scope_q(user: User, unit_field: str = "unit") -> Q:
    """Rows whose ``unit_field`` lies in the scope of ``user`` (who has one)."""
    return in_subtree_q(user.scope_unit_id, unit_field)


def _own_visibility_q(user: User) -> Q:
    """``dvk_models_visible_to``'s own policy for a user with a scope (no extra readers)."""
    in_scope = in_scope_q(user)
    visible = Q(status=ModelStatus.ACCEPTED, campaign__share_accepted_models=True)
    if user.has_role(Role.UNIT_OFFICER):
        visible |= in_scope
    elif user.has_role(Role.SECRETARIAT) or user.has_role(Role.LEADER):
        visible |= in_scope & ~Q(status=ModelStatus.DRAFT)
    return visible
