"""Decisions (quyết định khen thưởng): the list, recording one (from scratch or from a
sent proposal), its page with its awards, editing while draft, marking it issued,
revoking it or one of its awards, and its scanned copy.

Seeing is the first gate (``awards.view_decision``: outside the user's scope, 404); acting
needs ``awards.manage`` too (leaders read only: 404); a decision the secretariat may see
but no longer change (issued, revoked) answers with the service's refusal on its page.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.db import vi_order
from danvan.selectors import units_in_scope
from danvan.web import object_or_404, refusals, require
from models_registry.selectors import campaigns_in_scope

from .. import selectors, services
from ..enums import Occasion, ProposalStatus
from ..forms.decisions import AwardForm, DecisionFilterForm, DecisionForm, RevokeForm
from ..models import Award, Proposal

PAGE_SIZE = 25


def _posted(request):
    return request.POST if request.method == "POST" else None


def _decision_or_404(request, pk):
    return object_or_404(
        selectors.decision_detail, pk=pk, user=request.user, perm="awards.view_decision"
    )


def _decision_to_act_on(request, pk):
    """The decision, 404 unless the user may see it and manages decisions."""
    decision = _decision_or_404(request, pk)
    require(request.user, "awards.manage")
    return decision


def _locked(request, decision):
    """A decision that can no longer change this way: say why on its page."""
    messages.error(
        request,
        _("This decision has been issued: only a revocation with a reason can change it."),
    )
    return redirect("awards:decision_detail", pk=decision.pk)


# --- The list ------------------------------------------------------------------------------


def decision_list(request):
    user = request.user
    require(user, "awards.view_register")
    form = DecisionFilterForm(
        request.GET or None,
        years=selectors.decision_years(user=user),
        issuers=selectors.decision_issuers(user=user),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.decision_list(user=user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "awards/decisions/decision_list.html",
        {"filter_form": form, "page_obj": page, "can_manage": user.has_perm("awards.manage")},
    )


# --- Recording and editing the decision ----------------------------------------------------


def _sent_proposal_or_404(request, pk):
    if not str(pk).isascii() or not str(pk).isdigit():
        raise Http404
    proposal = object_or_404(
        Proposal.objects.select_related("campaign", "unit").get,
        pk=pk,
        user=request.user,
        perm="awards.view_proposal",
    )
    if proposal.status != ProposalStatus.SENT:
        raise Http404
    return proposal


def decision_create(request):
    """A new draft decision; ``?proposal=<pk>`` records it from a sent proposal (its lines
    become awards with the types' default amounts, editable afterwards)."""
    user = request.user
    require(user, "awards.manage")
    proposal_pk = request.GET.get("proposal")
    proposal = _sent_proposal_or_404(request, proposal_pk) if proposal_pk else None
    form = DecisionForm(
        _posted(request),
        request.FILES or None,
        issuers=units_in_scope(user=user).order_by(vi_order("name")),
        campaigns=None if proposal else campaigns_in_scope(user=user),
        initial={"issuer": user.scope_unit_id, "occasion": Occasion.YEAR_END},
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            if proposal is not None:
                decision = services.decision_create_from_proposal(
                    proposal=proposal, data=form.service_data(), by=user
                )
            else:
                decision = services.decision_create(
                    data=form.service_data(), campaigns=form.cleaned_data["campaigns"], by=user
                )
        if outcome.ok:
            messages.success(request, _("The decision has been recorded as a draft."))
            return redirect("awards:decision_detail", pk=decision.pk)
    return render(
        request, "awards/decisions/decision_form.html", {"form": form, "proposal": proposal}
    )


def decision_update(request, pk):
    decision = _decision_to_act_on(request, pk)
    user = request.user
    if not user.has_perm("awards.change_decision", decision):
        return _locked(request, decision)
    form = DecisionForm(
        _posted(request),
        request.FILES or None,
        issuers=units_in_scope(user=user).order_by(vi_order("name")),
        campaigns=None if decision.proposal_id else campaigns_in_scope(user=user),
        decision=decision,
    )
    if request.method == "POST" and form.is_valid():
        campaigns = form.cleaned_data.get("campaigns")
        with refusals(form) as outcome:
            services.decision_update(
                decision=decision, data=form.service_data(), campaigns=campaigns, by=user
            )
        if outcome.ok:
            messages.success(request, _("The decision has been saved."))
            return redirect("awards:decision_detail", pk=decision.pk)
    return render(
        request, "awards/decisions/decision_form.html", {"form": form, "decision": decision}
    )


# --- The decision's page -------------------------------------------------------------------


def decision_detail(request, pk):
    decision = _decision_or_404(request, pk)
    user = request.user
    awards = list(selectors.decision_awards(decision=decision))
    return render(
        request,
        "awards/decisions/decision_detail.html",
        {
            "decision": decision,
            "awards": awards,
            "total_amount": sum(a.amount for a in awards if not a.is_revoked),
            "can_change": user.has_perm("awards.change_decision", decision),
            "can_issue": user.has_perm("awards.issue_decision", decision),
            "can_revoke": user.has_perm("awards.revoke_decision", decision),
        },
    )


def decision_scan(request, pk):
    """The scanned copy, checked like evidence files: outside the scope, 404."""
    decision = _decision_or_404(request, pk)
    if not decision.scanned_copy:
        raise Http404
    try:
        handle = decision.scanned_copy.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = f"{decision.display_number.replace('/', '_')}.pdf"
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def decision_issue(request, pk):
    decision = _decision_to_act_on(request, pk)
    if not request.user.has_perm("awards.issue_decision", decision):
        return _locked(request, decision)
    with refusals(request) as outcome:
        services.decision_issue(decision=decision, by=request.user)
    if outcome.ok:
        messages.success(request, _("The decision has been marked issued: it is now locked."))
    return redirect("awards:decision_detail", pk=decision.pk)


def decision_revoke(request, pk):
    decision = _decision_to_act_on(request, pk)
    if not request.user.has_perm("awards.revoke_decision", decision):
        messages.error(request, _("Only an issued decision can be revoked."))
        return redirect("awards:decision_detail", pk=decision.pk)
    form = RevokeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.decision_revoke(
                decision=decision, reason=form.cleaned_data["reason"], by=request.user
            )
        if outcome.ok:
            messages.success(request, _("The decision has been revoked."))
            return redirect("awards:decision_detail", pk=decision.pk)
    return render(
        request,
        "awards/decisions/revoke_form.html",
        {"form": form, "decision": decision, "award": None},
    )


# --- Its awards ----------------------------------------------------------------------------


def _award_or_404(decision, award_pk) -> Award:
    return object_or_404(
        Award.objects.select_related("award_type", "dvk_model", "unit").get,
        pk=award_pk,
        decision=decision,
    )


def _award_form(request, decision, instance=None):
    return AwardForm(
        _posted(request),
        user=request.user,
        campaign=list(decision.campaigns.all()),
        instance=instance,
    )


def award_create(request, pk):
    decision = _decision_to_act_on(request, pk)
    if not request.user.has_perm("awards.change_decision", decision):
        return _locked(request, decision)
    form = _award_form(request, decision)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.award_add(decision=decision, data=form.service_data(), by=request.user)
        if outcome.ok:
            messages.success(request, _("The award has been added."))
            if "add_another" in request.POST:
                return redirect("awards:award_create", pk=decision.pk)
            return redirect("awards:decision_detail", pk=decision.pk)
    return render(
        request,
        "awards/decisions/award_form.html",
        {"form": form, "decision": decision, "award": None},
    )


def award_update(request, pk, award_pk):
    decision = _decision_to_act_on(request, pk)
    award = _award_or_404(decision, award_pk)
    if not request.user.has_perm("awards.change_decision", decision):
        return _locked(request, decision)
    form = _award_form(request, decision, instance=award)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.award_update(award=award, data=form.service_data(), by=request.user)
        if outcome.ok:
            messages.success(request, _("The award has been saved."))
            return redirect("awards:decision_detail", pk=decision.pk)
    return render(
        request,
        "awards/decisions/award_form.html",
        {"form": form, "decision": decision, "award": award},
    )


@require_POST
def award_remove(request, pk, award_pk):
    decision = _decision_to_act_on(request, pk)
    award = _award_or_404(decision, award_pk)
    if not request.user.has_perm("awards.change_decision", decision):
        return _locked(request, decision)
    with refusals(request) as outcome:
        services.award_remove(award=award, by=request.user)
    if outcome.ok:
        messages.success(
            request,
            _("“%(name)s” has been removed from the decision.") % {"name": award.recipient_name},
        )
    return redirect("awards:decision_detail", pk=decision.pk)


def award_revoke(request, pk, award_pk):
    decision = _decision_to_act_on(request, pk)
    award = _award_or_404(decision, award_pk)
    if not request.user.has_perm("awards.revoke_decision", decision):
        messages.error(request, _("Only an award of an issued decision can be revoked."))
        return redirect("awards:decision_detail", pk=decision.pk)
    form = RevokeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.award_revoke(award=award, reason=form.cleaned_data["reason"], by=request.user)
        if outcome.ok:
            messages.success(
                request,
                _("The award to “%(name)s” has been revoked.") % {"name": award.recipient_name},
            )
            return redirect("awards:decision_detail", pk=decision.pk)
    return render(
        request,
        "awards/decisions/revoke_form.html",
        {"form": form, "decision": decision, "award": award},
    )
