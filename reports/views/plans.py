"""The units' yearly plans (kế hoạch triển khai phong trào): a unit officer records their
unit's plan for a campaign; the secretariat records it for any unit in scope and sees,
with the leaders, which units issued one.

Recording needs ``reports.record_plan`` on the unit (its own officer, or the secretariat
in scope) and a unit that takes part in the campaign; anything else answers 404.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from danvan.db import vi_order
from danvan.models import Unit
from danvan.rules import unit_in_subtree
from danvan.selectors import filter_to_scope
from danvan.utils import vietnamese_sort_key
from danvan.web import object_or_404, refusals, require
from models_registry.models import Campaign
from models_registry.selectors import campaign_current_for

from .. import selectors, services, statistics
from ..forms import UnitPlanForm
from .common import posted

PAGE_SIZE = 50


def _campaign_and_unit(request, campaign_pk, unit_pk, perm):
    unit = object_or_404(Unit.objects.get, pk=unit_pk, user=request.user, perm=perm)
    campaign = object_or_404(Campaign.objects.select_related("organiser").get, pk=campaign_pk)
    if not unit_in_subtree(unit, campaign.organiser):
        raise Http404
    return campaign, unit


def my_plan(request):
    """The officer's way in from the home page: their unit's plan for the current
    campaign."""
    user = request.user
    campaign = campaign_current_for(user=user) if user.unit_id else None
    if campaign is None or not user.has_perm("reports.record_plan", user.unit):
        raise Http404
    return redirect("reports:plan_edit", campaign_pk=campaign.pk, unit_pk=user.unit_id)


def plan_edit(request, campaign_pk, unit_pk):
    campaign, unit = _campaign_and_unit(request, campaign_pk, unit_pk, "reports.record_plan")
    plan = selectors.unit_plan_of(campaign=campaign, unit=unit)
    form = UnitPlanForm(posted(request), request.FILES or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.unit_plan_save(
                campaign=campaign, unit=unit, data=form.service_data(), by=request.user
            )
        if outcome.ok:
            messages.success(request, _("The unit's yearly plan has been recorded."))
            return redirect("reports:plan_edit", campaign_pk=campaign.pk, unit_pk=unit.pk)
    return render(
        request,
        "reports/plan_form.html",
        {
            "campaign": campaign,
            "unit": unit,
            "plan": plan,
            "form": form,
            "can_see_all": request.user.has_perm("reports.view_plan_statistics"),
        },
    )


@require_POST
def plan_remove(request, campaign_pk, unit_pk):
    campaign, unit = _campaign_and_unit(request, campaign_pk, unit_pk, "reports.record_plan")
    plan = selectors.unit_plan_of(campaign=campaign, unit=unit)
    if plan is None:
        raise Http404
    with refusals(request) as outcome:
        services.unit_plan_remove(plan=plan, by=request.user)
    if outcome.ok:
        messages.success(request, _("The plan has been removed."))
    return redirect("reports:plan_edit", campaign_pk=campaign.pk, unit_pk=unit.pk)


@require_GET
def plan_file(request, campaign_pk, unit_pk):
    campaign, unit = _campaign_and_unit(request, campaign_pk, unit_pk, "reports.view_plan")
    plan = selectors.unit_plan_of(campaign=campaign, unit=unit)
    if plan is None or not plan.file:
        raise Http404
    try:
        handle = plan.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=plan.original_name or f"{plan.number.replace('/', '_')}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def plan_overview(request):
    """Which units of a campaign issued their plan (the figure the report prints), the
    units without one first; ``?campaign=`` picks the campaign (default: the newest)."""
    user = request.user
    require(user, "reports.view_plan_statistics")
    campaigns = list(
        filter_to_scope(
            Campaign.objects.select_related("organiser"), user=user, unit_field="organiser"
        ).order_by("-year", vi_order("organiser__name"))
    )
    chosen = request.GET.get("campaign", "")
    campaign = next(
        (c for c in campaigns if str(c.pk) == chosen), campaigns[0] if campaigns else None
    )
    context = {"campaigns": campaigns, "campaign": campaign, "page_obj": None}
    if campaign is not None:
        tree = statistics.load_tree(campaign.organiser_id)
        year = statistics.YearData(campaign=campaign, tree=tree, models=[])
        plans = {p.unit_id: p for p in selectors.unit_plans_of(campaign=campaign)}
        expected = sorted(
            tree.expected(*year.period),
            key=lambda u: (u.pk in plans, vietnamese_sort_key(u.name)),
        )
        rows = [{"unit": u, "plan": plans.get(u.pk)} for u in expected]
        context.update(
            expected=len(expected),
            issued=sum(1 for u in expected if u.pk in plans),
            page_obj=Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            can_record=user.has_perm("reports.write_reports"),
        )
    return render(request, "reports/plan_overview.html", context)
