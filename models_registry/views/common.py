"""What the registration views share: the 404 gates and the refused-action redirect."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from danvan.rules import is_admin, is_secretariat, is_unit_officer
from danvan.web import object_or_404

from .. import selectors
from ..models import Campaign, DvkModel
from ..rules import model_in_officer_scope

PAGE_SIZE = 25

# Who may ever ask for a model's actions: the unit's side (its officers) or the reviewing
# side (the secretariat). Anybody else gets 404 even on a model they read; a model in the
# wrong state for the action is the permission's refusal, said on its page.
UNIT_SIDE = is_admin | (is_unit_officer & model_in_officer_scope)
REVIEWING_SIDE = is_admin | (is_secretariat & model_in_officer_scope)


def require_side(user, side, dvk_model) -> None:
    """404 unless ``user`` is on ``side`` (``UNIT_SIDE`` / ``REVIEWING_SIDE``) of the model."""
    if not side.test(user, dvk_model):
        raise Http404


def require_registering_unit(user) -> None:
    """Registration pages need a unit officer attached to a unit (an administrator without
    a unit passes every permission check but has no unit to register for)."""
    if user.unit_id is None or not user.has_perm("models_registry.register"):
        raise Http404


def model_or_404(request, pk, *, links: bool = True) -> DvkModel:
    """The model with everything its page shows; 404 unless the user may read it (seeing
    is the first gate: without it every action answers 404). ``links``: see
    ``selectors.dvk_model_detail``."""
    return object_or_404(
        selectors.dvk_model_detail,
        pk=pk,
        viewer=request.user,
        links=links,
        user=request.user,
        perm="models_registry.view_dvkmodel",
    )


def campaign_or_404(request, pk, perm="models_registry.view_campaign") -> Campaign:
    return object_or_404(
        Campaign.objects.select_related("organiser").get, pk=pk, user=request.user, perm=perm
    )


def action_refused(request, dvk_model, message=None):
    """A model the user may read but not act on now: say so on its page."""
    messages.error(request, message or _("This action is not possible for this model now."))
    return redirect(dvk_model)
