"""Workflow buttons of the model page: submit, withdraw, accept, return, carry over."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from danvan.errors import DomainError
from danvan.web import refusals, require

from .. import intake as intake_reads
from .. import selectors, services
from ..enums import ModelStatus
from ..forms import CarryOverForm, ReturnForm
from .common import (
    PAGE_SIZE,
    REVIEWING_SIDE,
    UNIT_SIDE,
    action_refused,
    model_or_404,
    require_registering_unit,
    require_side,
)
from .intake import intake_url, list_query, may_review_many


def _transition(request, pk, perm, service, success, side=UNIT_SIDE):
    dvk_model = model_or_404(request, pk)
    require_side(request.user, side, dvk_model)
    if not request.user.has_perm(perm, dvk_model):
        return action_refused(request, dvk_model)
    with refusals(request) as outcome:
        service(dvk_model=dvk_model, by=request.user)
    if outcome.ok:
        messages.success(request, success)
    elif isinstance(outcome.error, DomainError) and any(outcome.error.field_errors()):
        # Items of the registration are missing: the form is where they are filled in.
        return redirect("models_registry:model_update", pk=pk)
    return redirect(dvk_model)


@require_POST
def model_submit(request, pk):
    return _transition(
        request,
        pk,
        "models_registry.submit_dvkmodel",
        services.dvk_model_submit,
        _("The model has been submitted to the secretariat."),
    )


@require_POST
def model_withdraw(request, pk):
    return _transition(
        request,
        pk,
        "models_registry.withdraw_dvkmodel",
        services.dvk_model_withdraw,
        _("The model has been withdrawn and is a draft again."),
    )


@require_POST
def model_accept(request, pk):
    return _transition(
        request,
        pk,
        "models_registry.review_dvkmodel",
        services.dvk_model_accept,
        _("The registration has been accepted."),
        side=REVIEWING_SIDE,
    )


def model_return(request, pk):
    dvk_model = model_or_404(request, pk)
    require_side(request.user, REVIEWING_SIDE, dvk_model)
    if not request.user.has_perm("models_registry.review_dvkmodel", dvk_model):
        return action_refused(request, dvk_model)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.dvk_model_return(
                dvk_model=dvk_model,
                by=request.user,
                reason=form.cleaned_data["reason"],
                resubmit_by=form.cleaned_data["resubmit_by"],
            )
        if outcome.ok:
            messages.success(request, _("The registration has been returned to the unit."))
            return redirect(dvk_model)
    return render(
        request, "models_registry/dvkmodel_return.html", {"dvk_model": dvk_model, "form": form}
    )


def carry_over(request):
    require_registering_unit(request.user)
    campaign = selectors.campaign_current_for(user=request.user)
    if campaign is None:
        messages.error(request, _("There is no open campaign for your unit."))
        return redirect("models_registry:my_models")
    candidates = selectors.carry_over_candidates(user=request.user, campaign=campaign)
    form = CarryOverForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            new_model = services.dvk_model_carry_over(
                source=form.cleaned_data["source"], campaign=campaign, by=request.user
            )
        if outcome.ok:
            messages.success(
                request,
                _(
                    "A new draft continuing this model has been created. "
                    "Update its targets and dates for this year."
                ),
            )
            return redirect("models_registry:model_update", pk=new_model.pk)
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "models_registry/dvkmodel_carry_over.html",
        {"campaign": campaign, "page_obj": page, "form": form},
    )


# --- Several at once, from the intake list ----------------------------------------------------
# Each model goes through the single service in its own savepoint (services.intake): the
# ones that cannot be acted on are reported, the others proceed.


def _bulk_selection(request):
    """The posted selection: (models in the user's scope, number of other ids, list query).
    404 for a user who may not accept or return (leaders read the list only)."""
    require(request.user, "models_registry.intake")
    if not may_review_many(request.user):
        raise Http404
    ids = intake_reads.selected_ids(request.POST.getlist("ids"))
    selection = intake_reads.intake_selection(user=request.user, ids=ids)
    return selection, len(ids) - len(selection), list_query(QueryDict(request.POST.get("from", "")))


def _report(request, outcome, unknown: int, done_message: str, refused_message: str) -> None:
    if outcome.done:
        messages.success(request, done_message % {"count": len(outcome.done)})
    for dvk_model, reason in outcome.refused:
        messages.warning(request, refused_message % {"name": dvk_model.name, "reason": reason})
    if unknown:
        messages.warning(
            request,
            ngettext(
                "%(count)d selected registration was not found among yours; "
                "nothing was done for it.",
                "%(count)d selected registrations were not found among yours; "
                "nothing was done for them.",
                unknown,
            )
            % {"count": unknown},
        )


@require_POST
def intake_accept_many(request):
    """Accept the ticked registrations of the intake list."""
    selection, unknown, query = _bulk_selection(request)
    if not selection and not unknown:
        messages.error(request, _("Tick the registrations to act on first."))
        return redirect(intake_url(query))
    outcome = services.dvk_models_accept_many(dvk_models=selection, by=request.user)
    count = len(outcome.done)
    _report(
        request,
        outcome,
        unknown,
        ngettext(
            "%(count)d registration has been accepted.",
            "%(count)d registrations have been accepted.",
            count,
        ),
        _("“%(name)s” was not accepted: %(reason)s"),
    )
    return redirect(intake_url(query))


@require_POST
def intake_return_many(request):
    """Return the ticked registrations with one reason: the list's button opens this page
    (the reason is asked for here); its own form (``confirm``) returns them."""
    selection, unknown, query = _bulk_selection(request)
    if not selection and not unknown:
        messages.error(request, _("Tick the registrations to act on first."))
        return redirect(intake_url(query))
    confirming = "confirm" in request.POST
    waiting = [m for m in selection if m.status == ModelStatus.SUBMITTED]
    if not waiting and not confirming:
        messages.error(request, _("None of the ticked registrations is waiting for a decision."))
        return redirect(intake_url(query))
    form = ReturnForm(request.POST if confirming else None)
    if confirming and form.is_valid():
        with refusals(form) as outcome:
            result = services.dvk_models_return_many(
                dvk_models=selection,
                by=request.user,
                reason=form.cleaned_data["reason"],
                resubmit_by=form.cleaned_data["resubmit_by"],
            )
        if outcome.ok:
            count = len(result.done)
            _report(
                request,
                result,
                unknown,
                ngettext(
                    "%(count)d registration has been returned to its unit.",
                    "%(count)d registrations have been returned to their units.",
                    count,
                ),
                _("“%(name)s” was not returned: %(reason)s"),
            )
            return redirect(intake_url(query))
    return render(
        request,
        "models_registry/dvkmodel_return.html",
        {
            "form": form,
            "selection": waiting,
            "not_waiting": [m for m in selection if m not in waiting],
            "unknown": unknown,
            "list_query": query,
            "list_url": intake_url(query),
        },
    )
