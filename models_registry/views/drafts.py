"""Drafts as the unit writes them: the registration form saved at every pause (autosave,
htmx) and a draft deleted.

An autosave answers with the status line only (``includes/autosave_status.html``): 200
with the time of the save and the new ``version`` (swapped into the form's hidden input),
or 422 with the refusal's messages; nothing else of the page changes, so the user's input
stays as typed. The first autosave of a new registration creates the draft and tells the
page, in the ``HX-Trigger`` header ``autosave:created``, where the draft now lives: later
autosaves update it instead of creating another (static/js/autosave.js); out of band, the
page gains what only a draft has (submit, evidence link, delete: includes/draft_controls.html).
"""

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.web import refusals, require

from .. import selectors, services
from .common import UNIT_SIDE, model_or_404, require_registering_unit, require_side
from .models import registration_form

REFUSED = 422


def autosave_response(request, *, form, saved=None, created=False, status=200, headers=None):
    """The status line after an autosave: ``saved`` (a DvkModel or ResultReport) when it
    was stored, else ``form``'s errors (status 422). ``created``: the save created a new
    registration's draft (the page gains its edit-only controls, out of band)."""
    context = {"form": form, "saved": saved, "created": created and saved is not None}
    if saved is not None:
        context["saved_at"] = getattr(saved, "updated_at", None) or timezone.now()
    response = render(
        request,
        "models_registry/includes/autosave_status.html",
        context,
        status=status if saved is not None else REFUSED,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _autosave(request, *, dvk_model=None):
    campaign = (
        dvk_model.campaign if dvk_model else selectors.campaign_current_for(user=request.user)
    )
    form = registration_form(request, instance=dvk_model)
    if campaign is None:
        form.is_valid()
        form.add_error(None, _("There is no open campaign for your unit."))
        return autosave_response(request, form=form)
    if not form.is_valid():
        return autosave_response(request, form=form)
    with refusals(form) as outcome:
        saved = services.dvk_model_autosave(
            dvk_model=dvk_model,
            campaign=campaign,
            unit=request.user.unit,
            by=request.user,
            data=form.content_data(),
            version=form.cleaned_data.get("version") or 0,
        )
    if not outcome.ok:
        return autosave_response(request, form=form)
    headers = {}
    if dvk_model is None:
        headers["HX-Trigger"] = json.dumps(
            {
                "autosave:created": {
                    "action": reverse("models_registry:model_update", args=[saved.pk]),
                    "autosave_url": reverse("models_registry:model_autosave", args=[saved.pk]),
                }
            }
        )
    return autosave_response(
        request, form=form, saved=saved, created=dvk_model is None, headers=headers
    )


@require_POST
def model_autosave_new(request):
    """htmx: the first autosave of a new registration creates its draft."""
    require_registering_unit(request.user)
    return _autosave(request)


@require_POST
def model_autosave(request, pk):
    """htmx: save the draft (or returned model) being edited; never submits it."""
    dvk_model = model_or_404(request, pk)
    require_side(request.user, UNIT_SIDE, dvk_model)
    if not request.user.has_perm("models_registry.change_dvkmodel", dvk_model):
        form = registration_form(request, instance=dvk_model)
        form.is_valid()
        form.add_error(None, _("This model can no longer be edited."))
        return autosave_response(request, form=form)
    return _autosave(request, dvk_model=dvk_model)


@require_POST
def model_delete(request, pk):
    """Delete a draft of the user's unit (after the page's confirmation); 404 to anyone
    else, a message when it is no longer a draft."""
    dvk_model = model_or_404(request, pk)
    require(request.user, "models_registry.delete_dvkmodel", dvk_model)
    name = dvk_model.name
    with refusals(request) as outcome:
        services.dvk_model_delete(dvk_model=dvk_model, by=request.user)
    if not outcome.ok:
        return redirect(dvk_model)
    messages.success(request, _("The draft “%(name)s” has been deleted.") % {"name": name})
    return redirect("models_registry:my_models")
