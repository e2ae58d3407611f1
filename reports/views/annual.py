"""The annual report of a campaign: writing its narrative, previewing its figures, and
requesting it.

Reading (the preview) needs ``reports.view_narrative`` on the campaign (secretariat and
leaders in scope; anybody else 404); writing the narrative and requesting the report need
``reports.edit_narrative`` / ``reports.request_report`` (leaders read only: 404).
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from danvan.web import refusals, require

from .. import builder, runs, selectors, services
from ..enums import ReportKind
from ..forms import PARAGRAPH_HELP, NarrativeForm
from .common import (
    campaign_or_404,
    options_form,
    options_of,
    options_query,
    posted,
    request_outcome,
)
from .document import preview_of


def narrative_edit(request, pk):
    """The six sections, prefilled the first time with last year's text; the options of
    the report beside them. Saving goes on to the preview with those options."""
    campaign = campaign_or_404(request, pk, "reports.edit_narrative")
    narrative = services.narrative_open(campaign=campaign, kind=ReportKind.ANNUAL)
    form = NarrativeForm(posted(request), narrative=narrative)
    options = options_form(posted(request) or request.GET, campaign)
    options_ok = not options.is_bound or options.is_valid()
    if request.method == "POST" and form.is_valid() and options_ok:
        with refusals(form) as outcome:
            services.narrative_save(
                campaign=campaign,
                data=form.sections(),
                by=request.user,
                kind=ReportKind.ANNUAL,
                version=form.cleaned_data["version"],
            )
        if outcome.ok:
            messages.success(request, _("The report's text has been saved."))
            url = reverse("reports:annual_preview", args=[campaign.pk])
            return redirect(url + options_query(options_of(options)))
    return render(
        request,
        "reports/narrative_form.html",
        {
            "campaign": campaign,
            "narrative": narrative,
            "form": form,
            "options": options,
            "paragraph_help": PARAGRAPH_HELP,
        },
    )


@require_GET
def annual_preview(request, pk):
    """The figures the report will contain, as the report lays them out, with the options
    chosen; the request button for those who may ask for it."""
    campaign = campaign_or_404(request, pk)
    options = options_form(request.GET, campaign, bind_defaults=True)
    preview = None
    if options.is_valid():
        with refusals(options) as outcome:
            document = builder.annual_report(campaign, **options_of(options))
        if outcome.ok:
            preview = preview_of(document)
            preview["document"] = document
    user = request.user
    return render(
        request,
        "reports/annual_preview.html",
        {
            "campaign": campaign,
            "options": options,
            "preview": preview,
            "narrative_saved": selectors.narrative_of(campaign=campaign) is not None,
            "can_edit": user.has_perm("reports.edit_narrative", campaign),
            "can_request": user.has_perm("reports.request_report", campaign),
        },
    )


@require_POST
def annual_request(request, pk):
    """Ask for the report with the options posted; on to the run's page. A refusal (no
    issuer profile, the broker unreachable …) comes back to the preview, options kept."""
    campaign = campaign_or_404(request, pk)
    require(request.user, "reports.request_report", campaign)
    options = options_form(request.POST, campaign, bind_defaults=True)
    preview_url = reverse("reports:annual_preview", args=[campaign.pk])
    if not options.is_valid():
        messages.error(request, _("Check the report's options."))
        return redirect(preview_url + options_query(options_of(options)))
    with refusals(request) as outcome:
        report = runs.report_request(
            kind=ReportKind.ANNUAL, campaign=campaign, by=request.user, **options_of(options)
        )
    if outcome.ok:
        request_outcome(request, report, _("The report has been requested."))
        return redirect("reports:report_detail", pk=report.pk)
    return redirect(preview_url + options_query(options_of(options)))
