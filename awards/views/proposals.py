"""Proposals (tờ trình đề nghị khen thưởng): the list, opening one from a finalised round,
its lines, sending it, and its printed list.

The secretariat (``awards.manage``) changes proposals in its scope; leaders read them. A
proposal outside the user's scope answers 404. A sent proposal's lines are locked by the
services, whose refusal shows on the form or the page.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.web import file_response, object_or_404, refusals, require

from .. import selectors, services
from ..documents import proposal_document, recipient_position_unit
from ..forms.proposals import ProposalCreateForm, ProposalLineForm
from ..forms.recipients import RecipientForm
from ..models import Proposal, ProposalLine
from ..renderers import proposal_pdf as render_proposal_pdf


def _posted(request):
    return request.POST if request.method == "POST" else None


def _proposal_or_404(request, pk, *, manage: bool = False) -> Proposal:
    """The proposal if the user may read it (and, with ``manage``, act on it: the
    secretariat in scope — whether it is still a draft is the services' refusal)."""
    proposal = object_or_404(
        selectors.proposal_detail, pk=pk, user=request.user, perm="awards.view_proposal"
    )
    if manage:
        require(request.user, "awards.manage")
    return proposal


def _line_or_404(request, pk, line_pk) -> ProposalLine:
    proposal = _proposal_or_404(request, pk, manage=True)
    line = object_or_404(
        ProposalLine.objects.select_related("dvk_model", "unit").get, pk=line_pk, proposal=proposal
    )
    line.proposal = proposal
    return line


def proposal_list(request):
    require(request.user, "awards.view_register")
    proposals = selectors.proposals_visible_to(user=request.user)
    page = Paginator(proposals, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "awards/proposals/proposal_list.html",
        {"page_obj": page, "can_manage": request.user.has_perm("awards.manage")},
    )


def proposal_create(request):
    require(request.user, "awards.manage")
    rounds = selectors.rounds_for_proposal(user=request.user)
    form = ProposalCreateForm(
        _posted(request), rounds=rounds, award_types=selectors.award_types_active()
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            proposal = services.proposal_create_from_round(
                round=form.cleaned_data["round"],
                award_type=form.cleaned_data["award_type"],
                title=form.cleaned_data["title"].strip(),
                by=request.user,
            )
        if outcome.ok:
            messages.success(request, _("The proposal has been opened: check its lines."))
            return redirect("awards:proposal_detail", pk=proposal.pk)
    return render(
        request,
        "awards/proposals/proposal_form.html",
        {"form": form, "has_rounds": rounds.exists()},
    )


def proposal_detail(request, pk):
    """The proposal as the official list; a draft takes new lines here (POST)."""
    proposal = _proposal_or_404(request, pk, manage=request.method == "POST")
    user = request.user
    can_change = user.has_perm("awards.change_proposal", proposal)
    form = None
    if can_change or request.method == "POST":
        form = RecipientForm(_posted(request), user=user, campaign=proposal.campaign)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            line = services.proposal_line_add(proposal=proposal, data=form.cleaned_data, by=user)
        if outcome.ok:
            messages.success(
                request, _("“%(name)s” has been added to the list.") % {"name": line.recipient_name}
            )
            return redirect("awards:proposal_detail", pk=pk)
    return render(
        request,
        "awards/proposals/proposal_detail.html",
        {
            "proposal": proposal,
            "lines": _with_position_unit(selectors.proposal_lines(proposal=proposal)),
            "line_form": form,
            "can_change": can_change,
            "can_manage": user.has_perm("awards.manage"),
        },
    )


def _with_position_unit(lines) -> list[ProposalLine]:
    lines = list(lines)
    for line in lines:
        line.position_unit = recipient_position_unit(line)
    return lines


def proposal_line_update(request, pk, line_pk):
    line = _line_or_404(request, pk, line_pk)
    proposal = line.proposal
    if request.method == "GET" and not proposal.is_draft:
        return redirect("awards:proposal_detail", pk=pk)
    form = ProposalLineForm(
        _posted(request),
        user=request.user,
        campaign=proposal.campaign,
        instance=line,
        initial={"position": line.position},
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.proposal_line_update(line=line, data=form.cleaned_data, by=request.user)
        if outcome.ok:
            messages.success(request, _("The line has been saved."))
            return redirect("awards:proposal_detail", pk=pk)
    return render(
        request,
        "awards/proposals/line_form.html",
        {"form": form, "proposal": proposal, "line": line},
    )


@require_POST
def proposal_line_remove(request, pk, line_pk):
    line = _line_or_404(request, pk, line_pk)
    with refusals(request) as outcome:
        services.proposal_line_remove(line=line, by=request.user)
    if outcome.ok:
        messages.success(
            request, _("“%(name)s” has been removed from the list.") % {"name": line.recipient_name}
        )
    return redirect("awards:proposal_detail", pk=pk)


@require_POST
def proposal_send(request, pk):
    proposal = _proposal_or_404(request, pk, manage=True)
    with refusals(request) as outcome:
        services.proposal_send(proposal=proposal, by=request.user)
    if outcome.ok:
        messages.success(
            request,
            _("The proposal has been sent: its lines are locked. Record the decision once issued."),
        )
    return redirect("awards:proposal_detail", pk=pk)


def proposal_pdf(request, pk):
    proposal = _proposal_or_404(request, pk)
    return file_response(*render_proposal_pdf(proposal_document(proposal)))
