"""The reports' home panels (registered in ``reports.extensions``): a unit officer's
yearly plan for the current campaign; the secretariat's and leaders' report of the
current campaign. Each returns None to hide its panel."""

from django.db.models import Exists

from danvan.enums import Role
from models_registry.selectors import campaign_current_for

from .. import runs, selectors
from ..enums import ReportKind
from ..models import ReportNarrative


def home_panel_plan(request) -> dict | None:
    """The officer's unit's plan for the current campaign, issued or not, with the link
    to record it."""
    user = request.user
    if not user.is_authenticated or user.unit_id is None:
        return None
    if not user.has_role(Role.UNIT_OFFICER):  # a role panel (not an administrator's)
        return None
    campaign = campaign_current_for(user=user)
    if campaign is None or not user.has_perm("reports.record_plan", user.unit):
        return None
    return {"campaign": campaign, "plan": selectors.unit_plan_of(campaign=campaign, unit=user.unit)}


def home_panel_report(request) -> dict | None:
    """The current campaign's report: text written or not, its last run."""
    user = request.user
    if not user.is_authenticated or not user.has_perm("reports.view_reports"):
        return None
    campaign = campaign_current_for(user=user)
    if campaign is None or not user.has_perm("reports.view_narrative", campaign):
        return None
    # The newest run says whether the text is written too (one query); without a run,
    # the narrative is asked alone.
    narrative = ReportNarrative.objects.filter(campaign=campaign, kind=ReportKind.ANNUAL)
    run = (
        runs.reports_for(campaign=campaign, kind=ReportKind.ANNUAL)
        .annotate(has_narrative=Exists(narrative))
        .first()
    )
    if run is not None:
        has_narrative = run.has_narrative
    else:
        has_narrative = selectors.narrative_of(campaign=campaign) is not None
    return {
        "campaign": campaign,
        "has_narrative": has_narrative,
        "run": run,
        "can_request": user.has_perm("reports.write_reports"),
    }
