"""What the reports views share: the campaign gate, the posted data, the options in the
query string."""

from django.contrib import messages
from django.http import QueryDict
from django.utils.translation import gettext as _

from danvan.web import object_or_404, require
from models_registry.models import Campaign

from .. import runs
from ..forms import ReportOptionsForm

OPTION_NAMES = ("date", "number", "day_given")


def posted(request):
    return request.POST if request.method == "POST" else None


def campaign_or_404(request, pk: int, perm: str = "reports.view_narrative") -> Campaign:
    """The campaign, 404 unless ``request.user`` has ``perm`` on it (outside the scope,
    or a unit officer: ids cannot be probed)."""
    return object_or_404(
        Campaign.objects.select_related("organiser").get, pk=pk, user=request.user, perm=perm
    )


def require_post_perm(request, perm: str, obj=None) -> None:
    """A POST needs ``perm`` too (leaders read: their POST answers 404)."""
    if request.method == "POST":
        require(request.user, perm, obj)


def options_form(data, campaign: Campaign, *, bind_defaults: bool = False) -> ReportOptionsForm:
    """The options (date, number, day printed) read from ``data`` (the query string or
    the POST) when it carries any; else the campaign's report date — as initial data, or
    bound (``bind_defaults``: a page that validates the options on every view)."""
    if data is not None and any(name in data for name in OPTION_NAMES):
        return ReportOptionsForm(data)
    date = campaign.report_date
    if bind_defaults:
        return ReportOptionsForm({"date": date.isoformat() if date else ""})
    return ReportOptionsForm(initial={"date": date})


def options_of(form: ReportOptionsForm) -> dict:
    """The form's options if it validated, else the defaults (the date as a ``date``)."""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return {"date": data["date"], "number": data["number"], "day_given": data["day_given"]}
    return {"date": None, "number": "", "day_given": False}


def options_query(options: dict) -> str:
    """The options as a query string for the preview's address ("" when all default)."""
    query = QueryDict(mutable=True)
    if options.get("date"):
        query["date"] = options["date"].isoformat()
    if options.get("number"):
        query["number"] = options["number"]
    if options.get("day_given"):
        query["day_given"] = "on"
    return f"?{query.urlencode()}" if query else ""


def request_outcome(request, report, done_message: str) -> None:
    """Tell the requester what became of the request: queued (``done_message``), already
    being made (the open run with the same inputs), or waiting for an unreachable broker
    (``runs.BROKER_DOWN``: recorded, sent later — nothing is lost)."""
    if getattr(report, "broker_down", False):
        messages.warning(request, runs.BROKER_DOWN)
    elif getattr(report, "is_new", True) is False:
        messages.info(request, _("The same report is already being made: here is its run."))
    else:
        messages.success(request, done_message)
