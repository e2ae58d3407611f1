"""Steering Committees and their members."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.web import object_or_404, refusals, require

from ... import selectors, services
from ...forms.manage import CommitteeForm, MemberForm
from ...models import CommitteeMember
from .common import posted


def committee_list(request):
    require(request.user, "evaluation.manage_committees")
    committees = selectors.committee_list(user=request.user)
    return render(request, "evaluation/manage/committee_list.html", {"committees": committees})


def committee_create(request):
    require(request.user, "evaluation.manage_committees")
    form = CommitteeForm(posted(request), units=selectors.managing_units(user=request.user))
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            committee = services.committee_create(
                unit=form.cleaned_data["unit"], name=form.cleaned_data["name"], by=request.user
            )
        if outcome.ok:
            messages.success(request, _("The committee has been created."))
            return redirect("evaluation:committee_detail", pk=committee.pk)
    return render(request, "evaluation/manage/committee_form.html", {"form": form})


def committee_detail(request, pk):
    detail = object_or_404(lambda: selectors.committee_detail(committee_id=pk, user=request.user))
    require(request.user, "evaluation.change_committee", detail["committee"])
    form = MemberForm(
        posted(request),
        people=selectors.committee_candidates(user=request.user),
        units=selectors.followable_units(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.committee_member_add(
                committee=detail["committee"],
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                followed_units=list(form.cleaned_data["followed_units"]),
                by=request.user,
            )
        if outcome.ok:
            messages.success(request, _("The member has been added."))
            return redirect("evaluation:committee_detail", pk=pk)
    return render(
        request, "evaluation/manage/committee_detail.html", {**detail, "member_form": form}
    )


def _member_or_404(request, pk) -> CommitteeMember:
    return object_or_404(
        CommitteeMember.objects.select_related("committee__unit", "user").get,
        pk=pk,
        user=request.user,
        perm="evaluation.change_committee",
    )


def member_update(request, pk):
    member = _member_or_404(request, pk)
    form = MemberForm(
        posted(request),
        units=selectors.followable_units(user=request.user),
        editing=True,
        initial={
            "role": member.role,
            "active": member.active,
            "followed_units": list(member.followed_units.values_list("pk", flat=True)),
        },
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.committee_member_update(
                member=member,
                role=form.cleaned_data["role"],
                active=form.cleaned_data["active"],
                followed_units=list(form.cleaned_data["followed_units"]),
                by=request.user,
            )
        if outcome.ok:
            messages.success(request, _("The member has been saved."))
            return redirect("evaluation:committee_detail", pk=member.committee_id)
    return render(request, "evaluation/manage/member_form.html", {"form": form, "member": member})


@require_POST
def member_deactivate(request, pk):
    member = _member_or_404(request, pk)
    with refusals(request) as outcome:
        services.committee_member_update(member=member, active=False, by=request.user)
    if outcome.ok:
        messages.success(
            request,
            _("%(person)s is no longer active: they keep their sheets but get no new models.")
            % {"person": member.user},
        )
    return redirect("evaluation:committee_detail", pk=member.committee_id)
