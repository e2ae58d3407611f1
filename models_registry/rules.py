"""Who may do what with campaigns and registered models.

Unit officers work on the models of their unit's subtree (drafts included); the
secretariat and leaders see submitted, returned and accepted models in their scope (never
drafts); when a campaign shares accepted models, every signed-in user with a unit may read
them. Out-of-scope objects answer 404 in the views.
"""

import rules

from danvan.extensions import extra_readers
from danvan.models import Unit
from danvan.rules import (
    is_admin,
    is_leader,
    is_secretariat,
    is_unit_officer,
    unit_in_scope_of,
    unit_in_subtree,
)
from danvan.selectors import subtree_pks

from .enums import ModelStatus


def unit_id_in_scope_of(user, unit_id: int | None) -> bool:
    """``unit_id`` lies at or below the user's scope root: one EXISTS walking down from the
    root (it stops at the first match), asked once per user object and unit — the model's
    page asks it for every permission it shows."""
    root_id = getattr(user, "scope_unit_id", None)
    if unit_id is None or root_id is None:
        return False
    if unit_id == root_id:
        return True
    return user.remember(
        ("unit_id_in_scope_of", root_id, unit_id),
        lambda: Unit.objects.filter(pk=unit_id, pk__in=subtree_pks(root_id)).exists(),
    )


def unit_id_in_subtree(unit_id: int, root_id: int) -> bool:
    """``unit_id`` is ``root_id`` or lies below it (one EXISTS, none when equal)."""
    if unit_id == root_id:
        return True
    return Unit.objects.filter(pk=unit_id, pk__in=subtree_pks(root_id)).exists()


def note_unit_in_scope(user, unit_id: int, in_scope: bool) -> None:
    """Keep what a read already computed (``selectors.dvk_model_detail`` asks it with the
    model) for ``unit_id_in_scope_of``."""
    user.remember(("unit_id_in_scope_of", user.scope_unit_id, unit_id), lambda: in_scope)


# Object predicates answer False without an object: ``has_perm(perm)`` with no object (the
# admin's model-level checks, a menu) asks whether the user holds the permission for any
# object, which these rules do not grant by themselves.


@rules.predicate
def model_in_officer_scope(user, dvk_model):
    return dvk_model is not None and unit_id_in_scope_of(user, dvk_model.unit_id)


@rules.predicate
def model_is_draft(user, dvk_model):
    return dvk_model is not None and dvk_model.status == ModelStatus.DRAFT


@rules.predicate
def model_is_editable(user, dvk_model):
    return dvk_model is not None and dvk_model.is_editable


@rules.predicate
def model_is_submitted(user, dvk_model):
    return dvk_model is not None and dvk_model.status == ModelStatus.SUBMITTED


@rules.predicate
def model_is_accepted(user, dvk_model):
    return dvk_model is not None and dvk_model.status == ModelStatus.ACCEPTED


@rules.predicate
def model_shared_by_campaign(user, dvk_model):
    return (
        dvk_model is not None
        and user.is_authenticated
        and user.unit_id is not None
        and dvk_model.campaign.share_accepted_models
    )


@rules.predicate
def campaign_in_scope(user, campaign):
    return campaign is not None and unit_in_scope_of(user, campaign.organiser)


@rules.predicate
def campaign_reaches_user(user, campaign):
    """The campaign's organiser is the user's unit or above it."""
    return (
        campaign is not None
        and user.is_authenticated
        and user.unit_id is not None
        and unit_in_subtree(user.unit, campaign.organiser)
    )


is_overseer = is_secretariat | is_leader

# The same policy as ``selectors.dvk_models_visible_to``; readers that later apps add
# (a reviewer reads the models assigned to them) come from ``danvan.extensions`` into both.
can_view_model = (
    is_admin
    | (is_unit_officer & model_in_officer_scope)
    | (is_overseer & model_in_officer_scope & ~model_is_draft)
    | (model_is_accepted & model_shared_by_campaign)
    | extra_readers("models_registry.DvkModel")
)

rules.add_perm("models_registry.view_dvkmodel", can_view_model)
rules.add_perm(
    "models_registry.change_dvkmodel", is_unit_officer & model_in_officer_scope & model_is_editable
)
rules.add_perm(
    "models_registry.submit_dvkmodel", is_unit_officer & model_in_officer_scope & model_is_editable
)
# Delete a draft: the unit's officers; the service refuses a model that is no longer a
# draft with a message (the view answers 404 to everyone else).
rules.add_perm("models_registry.delete_dvkmodel", is_unit_officer & model_in_officer_scope)
rules.add_perm(
    "models_registry.withdraw_dvkmodel",
    is_unit_officer & model_in_officer_scope & model_is_submitted,
)
rules.add_perm(
    "models_registry.review_dvkmodel",
    (is_admin | is_secretariat) & model_in_officer_scope & model_is_submitted,
)
rules.add_perm(
    "models_registry.report_dvkmodel", is_unit_officer & model_in_officer_scope & model_is_accepted
)
rules.add_perm(
    "models_registry.view_history", is_admin | is_unit_officer | is_secretariat | is_leader
)
# Show or hide an evidence photo in the library of exemplary models: the model's unit.
rules.add_perm("models_registry.publish_attachment", is_unit_officer & model_in_officer_scope)
rules.add_perm("models_registry.register", is_unit_officer)
rules.add_perm("models_registry.intake", is_admin | is_secretariat | is_leader)
rules.add_perm("models_registry.manage_campaigns", is_admin | is_secretariat)
rules.add_perm("models_registry.manage_fields", is_admin | is_secretariat)
rules.add_perm("models_registry.change_campaign", (is_admin | is_secretariat) & campaign_in_scope)
rules.add_perm(
    "models_registry.view_campaign",
    is_admin | ((is_secretariat | is_leader) & campaign_in_scope) | campaign_reaches_user,
)
