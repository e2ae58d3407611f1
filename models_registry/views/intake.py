"""The secretariat's intake list and the registration coverage of a campaign."""

from django.core.paginator import Paginator
from django.shortcuts import render

from danvan.web import file_response, require

from .. import selectors
from ..enums import ModelStatus
from ..exports import coverage_xlsx
from ..filters import IntakeFilter
from .common import PAGE_SIZE, campaign_or_404


def intake(request):
    require(request.user, "models_registry.intake")
    filterset = IntakeFilter(
        request.GET or None, queryset=selectors.intake_queryset(user=request.user)
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "models_registry/intake_list.html",
        {"filter": filterset, "page_obj": page, "status_submitted": ModelStatus.SUBMITTED},
    )


def coverage(request, pk):
    campaign = campaign_or_404(request, pk)
    require(request.user, "models_registry.intake")
    kind = request.GET.get("kind", "")
    kinds = [kind] if kind in selectors.REGISTERING_KINDS else None
    missing = selectors.units_without_models(user=request.user, campaign=campaign, kinds=kinds)
    if request.GET.get("format") == "xlsx":
        return file_response(*coverage_xlsx(campaign=campaign, units=missing))
    page = Paginator(missing, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "models_registry/coverage.html",
        {
            "campaign": campaign,
            "summary": selectors.coverage_by_kind(user=request.user, campaign=campaign),
            "page_obj": page,
            "kind": kind,
            "kinds": [(k, k.label) for k in selectors.REGISTERING_KINDS],
        },
    )
