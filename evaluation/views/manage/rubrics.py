"""Rubrics: the list, creating one (blank, default, copy), the builder, new versions."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.web import object_or_404, refusals, require
from models_registry.selectors import campaigns_in_scope

from ... import selectors, services
from ...forms.manage import (
    CriterionFormSet,
    RubricCreateForm,
    RubricFilterForm,
    RubricHeaderForm,
    TierFormSet,
)
from .common import posted


def rubric_list(request):
    require(request.user, "evaluation.manage_rubrics")
    campaigns = campaigns_in_scope(user=request.user)
    form = RubricFilterForm(request.GET or None, campaigns=campaigns)
    campaign = form.cleaned_data["campaign"] if form.is_valid() else None
    rubrics = selectors.rubric_list(user=request.user, campaign=campaign)
    return render(
        request, "evaluation/manage/rubric_list.html", {"rubrics": rubrics, "filter_form": form}
    )


def _rubric_or_404(request, pk, perm="evaluation.view_rubric") -> dict:
    detail = object_or_404(lambda: selectors.rubric_detail(rubric_id=pk, user=request.user))
    require(request.user, perm, detail["rubric"])
    return detail


def _create(data, by):
    """The service for the way of starting chosen on the form."""
    if data["mode"] == RubricCreateForm.CLONE:
        return services.rubric_clone(
            source=data["source"], campaign=data["campaign"], organiser=data["organiser"], by=by
        )
    if data["mode"] == RubricCreateForm.DEFAULT:
        return services.rubric_create_default(
            organiser=data["organiser"],
            campaign=data["campaign"],
            applies_to=data["applies_to"],
            by=by,
        )
    return services.rubric_create(
        organiser=data["organiser"],
        campaign=data["campaign"],
        applies_to=data["applies_to"],
        name=data["name"],
        total_points=data["total_points"],
        by=by,
    )


def rubric_create(request):
    require(request.user, "evaluation.manage_rubrics")
    form = RubricCreateForm(
        posted(request),
        organisers=selectors.managing_units(user=request.user),
        campaigns=campaigns_in_scope(user=request.user),
        rubrics=selectors.rubric_list(user=request.user),
        initial={"mode": request.GET.get("mode", RubricCreateForm.BLANK)},
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            rubric = _create(form.cleaned_data, request.user)
        if outcome.ok:
            messages.success(request, _("The rubric has been created."))
            return redirect("evaluation:rubric_detail", pk=rubric.pk)
    return render(request, "evaluation/manage/rubric_create.html", {"form": form})


def _points(value) -> str:
    return f"{value.normalize():f}"


def _builder(request, detail) -> tuple:
    """The header form and the two formsets of the builder, bound on POST; the formsets
    check their rows against the total posted in the header."""
    rubric = detail["rubric"]
    data = posted(request)
    header = RubricHeaderForm(
        data,
        initial={
            "name": rubric.name,
            "campaign": rubric.campaign_id,
            "applies_to": rubric.applies_to,
            "total_points": _points(rubric.total_points),
        },
        campaigns=campaigns_in_scope(user=request.user),
    )
    total = header.cleaned_data["total_points"] if data is not None and header.is_valid() else None
    criteria = CriterionFormSet(
        data,
        initial=[
            {
                "id": c.pk,
                "group": c.group,
                "title": c.title,
                "guidance": c.guidance,
                "max_points": _points(c.max_points),
                "position": c.position,
            }
            for c in detail["criteria"]
        ],
        prefix="criteria",
        total_points=total,
    )
    tiers = TierFormSet(
        data,
        initial=[{"name": t.name, "min_score": _points(t.min_score)} for t in detail["tiers"]],
        prefix="tiers",
        total_points=total,
    )
    return header, criteria, tiers


def rubric_detail(request, pk):
    """The rubric builder: header, criteria and tiers saved together, or nothing saved."""
    detail = _rubric_or_404(request, pk)
    rubric = detail["rubric"]
    context = {
        **detail,
        "can_change": request.user.has_perm("evaluation.change_rubric", rubric),
        "can_version": request.user.has_perm("evaluation.version_rubric", rubric),
    }
    if not context["can_change"]:
        return render(request, "evaluation/manage/rubric_detail.html", context)
    header, criteria, tiers = _builder(request, detail)
    if request.method == "POST":
        if all([header.is_valid(), criteria.is_valid(), tiers.is_valid()]):
            # Header refusals go next to its fields; any other goes above the builder.
            with refusals(header) as outcome:
                services.rubric_save(
                    rubric=rubric,
                    by=request.user,
                    header={name: header.cleaned_data[name] for name in header.changed_data},
                    criteria=criteria.rows(),
                    tiers=tiers.rows(),
                )
            if outcome.ok:
                messages.success(request, _("The rubric has been saved."))
                return redirect("evaluation:rubric_detail", pk=rubric.pk)
        messages.error(request, _("Nothing was saved: please correct the errors below."))
        context["posted_sum"] = criteria.points_sum()
    context.update({"header_form": header, "criteria_formset": criteria, "tiers_formset": tiers})
    return render(request, "evaluation/manage/rubric_detail.html", context)


@require_POST
def rubric_new_version(request, pk):
    rubric = _rubric_or_404(request, pk, "evaluation.version_rubric")["rubric"]
    with refusals(request) as outcome:
        new = services.rubric_new_version(rubric=rubric, by=request.user)
    if not outcome.ok:
        return redirect("evaluation:rubric_detail", pk=rubric.pk)
    messages.success(
        request,
        _("Version %(version)d has been created: change it here.") % {"version": new.version},
    )
    return redirect("evaluation:rubric_detail", pk=new.pk)
