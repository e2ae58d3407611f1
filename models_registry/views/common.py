"""What the registration views share: the 404 gates and the refused-action redirect."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from danvan.web import object_or_404

from .. import selectors
from ..models import Campaign, DvkModel

PAGE_SIZE = 25


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
