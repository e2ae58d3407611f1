"""Site pages: home, the organisation tree, health check, error pages."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.views.generic import DetailView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from .activity import activity_rows, activity_visible_to
from .enums import UnitKind
from .extensions import UNIT_PAGE, detail_sections_for, home_panels_for
from .filters import ActivityFilter
from .models import Unit
from .selectors import (
    scope_root_for,
    unit_breadcrumbs,
    unit_children,
    unit_kind_counts,
    unit_successions,
    unit_users,
)
from .utils import clean_search_text
from .web import require

UNIT_PAGE_SIZE = 50
ACTIVITY_PAGE_SIZE = 50


class HomeView(TemplateView):
    template_name = "danvan/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(panels=home_panels_for(self.request), **kwargs)


def home_panel_unit(request):
    """The user's own unit and roles (every signed-in user with a unit)."""
    user = request.user
    if user.unit_id is None and not user.is_superuser:
        return {"unit": None}
    return {"unit": user.unit, "roles": [role.label for role in user.roles]}


def home_panel_scope(request):
    """How many units of each kind the user's scope holds (one grouped query)."""
    user = request.user
    if not user.has_perm("danvan.browse_units"):
        return None
    labels = dict(UnitKind.choices)
    counts = [
        {"kind": labels.get(row["kind"], row["kind"]), "n": row["n"]}
        for row in unit_kind_counts(user=user)
    ]
    return {"unit_counts": counts, "unit_total": sum(c["n"] for c in counts)}


def unit_tree(request):
    """Start browsing at the top of the user's scope."""
    user = request.user
    if not user.has_perm("danvan.browse_units"):
        raise Http404
    if user.scope_unit_id and not user.is_superuser:
        return redirect("unit_detail", pk=user.scope_unit_id)
    root = Unit.objects.filter(parent=None, active=True).first()
    if root is None:
        raise Http404
    return redirect("unit_detail", pk=root.pk)


class UnitDetailView(PermissionRequiredMixin, DetailView):
    """One unit: where it sits, who works there, its successions and its children."""

    model = Unit
    permission_required = "danvan.view_unit"
    template_name = "danvan/unit_detail.html"
    context_object_name = "unit"

    def handle_no_permission(self):
        # Out of scope answers 404 so that ids cannot be probed.
        raise Http404

    def get_object(self, queryset=None):
        if not hasattr(self, "_object"):
            self._object = get_object_or_404(Unit.objects.with_tree_fields(), pk=self.kwargs["pk"])
        return self._object

    def get_context_data(self, **kwargs):
        unit = self.object
        user = self.request.user
        kind = self.request.GET.get("kind", "")
        if kind not in UnitKind.values:
            kind = ""
        query, query_cleaned = clean_search_text(self.request.GET.get("q", ""))
        show_inactive = self.request.GET.get("inactive") == "1"
        children = unit_children(unit=unit, kind=kind, query=query, include_inactive=show_inactive)
        page = Paginator(children, UNIT_PAGE_SIZE).get_page(self.request.GET.get("page"))
        scope_root = scope_root_for(user=user)
        return super().get_context_data(
            breadcrumbs=unit_breadcrumbs(unit=unit, stop_at=scope_root),
            page_obj=page,
            kinds=UnitKind.choices,
            kind=kind,
            query=query,
            query_cleaned=query_cleaned,
            show_inactive=show_inactive,
            successions=unit_successions(unit=unit),
            members=unit_users(unit=unit),
            sections=detail_sections_for(UNIT_PAGE, self.request, unit),
            **kwargs,
        )


def activity_list(request):
    """The audit page: the activity log within the user's scope, filtered and paginated."""
    require(request.user, "danvan.view_activity")
    activity_filter = ActivityFilter(
        request.GET or None, queryset=activity_visible_to(user=request.user)
    )
    page = Paginator(activity_filter.qs, ACTIVITY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "danvan/activity_list.html",
        {"filter": activity_filter, "page_obj": page, "rows": activity_rows(page)},
    )


@login_not_required
def health(request):
    """Liveness and database check for load balancers (no data disclosed)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok"})
    except Exception:  # noqa: BLE001 -- any database failure means "unhealthy"
        return JsonResponse({"status": "error"}, status=503)


@login_not_required
def error_404(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def error_403(request, exception=None):
    return render(request, "403.html", status=403)


@login_not_required
def error_500(request):
    # Rendered without the request: the context processors need the database, which may
    # be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
