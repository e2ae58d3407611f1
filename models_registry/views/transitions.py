"""Workflow buttons of the model page: submit, withdraw, accept, return, carry over."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.errors import DomainError
from danvan.web import refusals

from .. import selectors, services
from ..forms import CarryOverForm, ReturnForm
from .common import PAGE_SIZE, action_refused, model_or_404, require_registering_unit


def _transition(request, pk, perm, service, success):
    dvk_model = model_or_404(request, pk)
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
    )


def model_return(request, pk):
    dvk_model = model_or_404(request, pk)
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
