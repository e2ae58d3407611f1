"""The showcase of exemplary models (thư viện mô hình tiêu biểu) under ``/thu-vien/``.

Signed-in pages: the library (everyone with a unit: the accepted models recognised or
exemplary in the campaigns that reach them), one entry with its photos, the
secretariat's publishing and the public page switch. Public pages (no login): the same
library narrowed to what the secretariat published, only while an organiser's public page
is on, with no personal data beyond an individual's name and position.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from danvan.models import Unit
from danvan.web import object_or_404, refusals, require

from .. import showcase
from ..forms import LIBRARY_PAGE_SIZE, LibraryFilter, PublicPageForm

ENTRY_PERM = "reports.view_library"


def _library_page(request, *, user=None, public=False):
    """The filtered, paginated library for ``user`` (or the public page): the context of
    both list templates. A fixed number of queries whatever the number of models."""
    base = showcase.library_models(user=user, public=public)
    years, tiers = showcase.library_choices(base)
    filterset = LibraryFilter(
        request.GET or None,
        queryset=showcase.library_list(queryset=base),
        years=years,
        tiers=tiers,
        localities=showcase.library_localities(user=user),
        public=public,
    )
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = Paginator(showcase.LibraryByYear(rows), LIBRARY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    showcase.attach_awards(list(page.object_list))
    return {"filter": filterset, "page_obj": page, "filtered": bool(request.GET)}


def _library_model_or_404(pk, user):
    # Not object_or_404(fetch, user=…): that ``user`` is the gate's own argument.
    return object_or_404(lambda: showcase.library_entry_model(pk=pk, user=user))


def _photo_response(attachment):
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- Signed-in pages ------------------------------------------------------------------------


@require_GET
def library(request):
    require(request.user, ENTRY_PERM)
    context = _library_page(request, user=request.user)
    context["may_manage"] = request.user.has_perm("reports.manage_library")
    return render(request, "reports/showcase/library.html", context)


@require_GET
def entry(request, pk):
    require(request.user, ENTRY_PERM)
    user = request.user
    dvk_model = _library_model_or_404(pk, user)
    return render(
        request,
        "reports/showcase/entry.html",
        {
            "entry": showcase.library_entry(dvk_model, user=user),
            "dvk_model": dvk_model,
            "may_publish": user.has_perm("reports.publish_library_model", dvk_model),
            "may_replicate": user.has_perm("models_registry.register")
            and dvk_model.unit_id != user.unit_id,
            "may_open_registration": user.has_perm("models_registry.view_dvkmodel", dvk_model),
        },
    )


@require_GET
def photo(request, pk):
    require(request.user, ENTRY_PERM)
    user = request.user
    return _photo_response(object_or_404(lambda: showcase.library_photo(pk=pk, user=user)))


def _publishing(request, pk, service, success):
    require(request.user, ENTRY_PERM)
    dvk_model = _library_model_or_404(pk, request.user)
    require(request.user, "reports.publish_library_model", dvk_model)
    with refusals(request) as outcome:
        service(dvk_model=dvk_model, by=request.user)
    if outcome.ok:
        messages.success(request, success)
    return redirect("showcase:entry", pk=dvk_model.pk)


@require_POST
def publish(request, pk):
    return _publishing(
        request, pk, showcase.library_publish, _("The model is published on the public page.")
    )


@require_POST
def unpublish(request, pk):
    return _publishing(
        request,
        pk,
        showcase.library_unpublish,
        _("The model is no longer published on the public page."),
    )


def settings(request):
    """The secretariat switches the public page of each organiser in its scope."""
    require(request.user, "reports.manage_library")
    if request.method == "POST":
        form = PublicPageForm(request.POST)
        if not form.is_valid():
            raise Http404
        unit = object_or_404(
            Unit.objects.get,
            pk=form.cleaned_data["organiser"],
            user=request.user,
            perm="reports.switch_public_page",
        )
        public_page = form.cleaned_data["public_page"]
        with refusals(request) as outcome:
            showcase.library_public_page_set(unit=unit, public_page=public_page, by=request.user)
        if outcome.ok:
            if public_page:
                messages.success(request, _("The public page of %(unit)s is on.") % {"unit": unit})
            else:
                messages.success(request, _("The public page of %(unit)s is off.") % {"unit": unit})
        return redirect("showcase:settings")
    return render(
        request,
        "reports/showcase/settings.html",
        {"organisers": showcase.library_organisers(user=request.user)},
    )


# --- Public pages (no login) ---------------------------------------------------------------


def _require_public_page():
    if not showcase.public_page_open():
        raise Http404


@login_not_required
@require_GET
def public(request):
    _require_public_page()
    return render(
        request, "reports/showcase/public_library.html", _library_page(request, public=True)
    )


@login_not_required
@require_GET
def public_entry(request, pk):
    _require_public_page()
    dvk_model = object_or_404(showcase.library_entry_model, pk=pk, public=True)
    return render(
        request,
        "reports/showcase/public_entry.html",
        {"entry": showcase.library_entry(dvk_model, public=True), "dvk_model": dvk_model},
    )


@login_not_required
@require_GET
def public_photo(request, pk):
    _require_public_page()
    return _photo_response(object_or_404(showcase.library_photo, pk=pk, public=True))
