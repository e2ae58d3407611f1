"""The reports home: per campaign in scope, the annual report's state (text written, the
last run and its files), the way to the five-year summary, and every earlier run.

Secretariat and leaders (``reports.view_reports``); anybody else 404. A fixed number of
queries whatever the number of campaigns and runs (tests hold it to a budget).
"""

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import render
from django.views.decorators.http import require_GET

from danvan.db import vi_order
from danvan.selectors import filter_to_scope
from danvan.web import require
from models_registry.models import Campaign

from .. import runs
from ..enums import ReportKind
from ..models import Report, ReportNarrative
from .runs import files_of

CAMPAIGNS_PAGE_SIZE = 6
RUNS_PAGE_SIZE = 20


def campaigns_for_reports(user):
    """Campaigns whose organiser lies in the user's subtree, newest first, annotated with
    ``has_narrative`` and ``last_run_id`` (the newest annual run)."""
    runs = Report.objects.filter(campaign=OuterRef("pk"), kind=ReportKind.ANNUAL).order_by(
        "-created_at", "-pk"
    )
    narratives = ReportNarrative.objects.filter(campaign=OuterRef("pk"), kind=ReportKind.ANNUAL)
    return (
        filter_to_scope(
            Campaign.objects.select_related("organiser"), user=user, unit_field="organiser"
        )
        .annotate(has_narrative=Exists(narratives), last_run_id=Subquery(runs.values("pk")[:1]))
        .order_by("-year", vi_order("organiser__name"))
    )


def runs_for_reports(user):
    """Every run of an organiser in the user's subtree, newest first, files joined."""
    return filter_to_scope(runs.reports_for(), user=user, unit_field="organiser")


@require_GET
def reports_home(request):
    user = request.user
    require(user, "reports.view_reports")
    campaigns = Paginator(campaigns_for_reports(user), CAMPAIGNS_PAGE_SIZE).get_page(
        request.GET.get("nam")
    )
    last_ids = [c.last_run_id for c in campaigns if c.last_run_id]
    last_runs = {r.pk: r for r in runs.reports_for().filter(pk__in=last_ids)}
    cards = []
    for campaign in campaigns:
        run = last_runs.get(campaign.last_run_id)
        cards.append({"campaign": campaign, "run": run, "files": files_of(run) if run else []})
    page = Paginator(runs_for_reports(user), RUNS_PAGE_SIZE).get_page(request.GET.get("page"))
    for run in page:
        run.file_list = files_of(run)
    return render(
        request,
        "reports/report_home.html",
        {
            "cards": cards,
            "campaigns_page": campaigns,
            "page_obj": page,
            "can_request": user.has_perm("reports.write_reports"),
        },
    )
