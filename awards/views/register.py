"""The register of awards: filters, totals, the paginated table and its XLSX export."""

from django.core.paginator import Paginator
from django.shortcuts import render

from danvan.web import file_response, require

from .. import selectors
from ..exports import register_xlsx
from ..filters import AwardRegisterFilter

PAGE_SIZE = 50


def _register(request):
    require(request.user, "awards.view_register")
    filterset = AwardRegisterFilter(request.GET or None, user=request.user)
    filters = filterset.register_filters()
    return filterset, filters, selectors.award_register(user=request.user, filters=filters)


def award_register(request):
    filterset, filters, register = _register(request)
    paginator = Paginator(register.awards, PAGE_SIZE)
    paginator.count = register.count  # counted with the totals: no second COUNT
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "awards/register/register.html",
        {
            "filter": filterset,
            "register": register,
            "page_obj": page,
            "unit_filter": filters["unit"],
        },
    )


def award_register_xlsx(request):
    filterset, _filters, register = _register(request)
    return file_response(*register_xlsx(register=register, filters=filterset.summary()))
