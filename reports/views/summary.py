"""The five-year summary (báo cáo tổng kết giai đoạn): choose the phase's first and last
year among the campaigns in scope, request it, follow it on the run's page. Earlier
summary runs are listed below the form.

Reading needs ``reports.view_reports``; requesting needs ``reports.request_report`` on the
phase's last campaign (leaders read only: their POST answers 404).
"""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from danvan.enums import UnitKind
from danvan.selectors import filter_to_scope
from danvan.web import refusals, require
from models_registry.models import Campaign

from .. import runs
from ..enums import ReportKind
from ..forms import SummaryRequestForm
from .common import posted, request_outcome
from .runs import files_of

RUNS_SHOWN = 20


def _last_campaign(campaigns, from_year, to_year):
    """The phase's last campaign in scope: the province's if there is one, else any."""
    inside = [c for c in campaigns if from_year <= c.year <= to_year]
    inside.sort(key=lambda c: (-c.year, c.organiser.kind != UnitKind.PROVINCE, c.pk))
    return inside[0] if inside else None


def summary_request(request):
    user = request.user
    require(user, "reports.view_reports")
    campaigns = list(
        filter_to_scope(
            Campaign.objects.select_related("organiser"), user=user, unit_field="organiser"
        ).order_by("-year")
    )
    years = [c.year for c in campaigns]
    initial = {}
    if years:
        initial = {"to_year": max(years), "from_year": max(min(years), max(years) - 4)}
    form = SummaryRequestForm(posted(request), years=years, initial=initial)
    can_request = user.has_perm("reports.write_reports")
    if request.method == "POST":
        require(user, "reports.write_reports")
        if form.is_valid():
            data = form.cleaned_data
            last = _last_campaign(campaigns, data["from_year"], data["to_year"])
            require(user, "reports.request_report", last)
            options = form.options()
            with refusals(form) as outcome:
                report = runs.report_request(
                    kind=ReportKind.SUMMARY,
                    campaign=last,
                    from_year=data["from_year"],
                    to_year=data["to_year"],
                    date=data["date"],
                    number=options["number"],
                    day_given=options["day_given"],
                    by=user,
                )
            if outcome.ok:
                request_outcome(request, report, _("The summary report has been requested."))
                return redirect("reports:report_detail", pk=report.pk)
    earlier = list(
        filter_to_scope(
            runs.reports_for(kind=ReportKind.SUMMARY), user=user, unit_field="organiser"
        )[:RUNS_SHOWN]
    )
    for run in earlier:
        run.file_list = files_of(run)
    return render(
        request,
        "reports/summary_form.html",
        {"form": form, "has_campaigns": bool(years), "can_request": can_request, "runs": earlier},
    )
