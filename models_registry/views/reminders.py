"""The coverage page's "nhắc": the secretariat reminds the selected units that have not
registered, now."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.web import require

from .. import reminders, selectors
from .common import campaign_or_404


def _posted_ids(values) -> set[int]:
    """Ids from checkboxes (ASCII digits only: "²".isdigit() is true but int("²") fails)."""
    return {int(v) for v in values if v.isascii() and v.isdigit()}


@require_POST
def coverage_remind(request, pk):
    """Remind the officers of the ticked units (``units``), or of the one whose row button
    was pressed (``unit``). Units outside the user's scope, or that have registered since,
    are left out: only the coverage page's own list can be reminded."""
    campaign = campaign_or_404(request, pk)
    require(request.user, "models_registry.intake")
    require(request.user, "models_registry.manage_campaigns")
    back = reverse("models_registry:coverage", args=[campaign.pk])
    query = {k: request.POST[k] for k in ("kind", "page") if request.POST.get(k, "").strip()}
    if query:
        back += "?" + urlencode(query)
    single = request.POST.get("unit")
    ids = _posted_ids([single] if single else request.POST.getlist("units"))
    if not ids:
        messages.error(request, _("Please tick at least one unit to remind."))
        return redirect(back)
    units = list(
        selectors.units_without_models(user=request.user, campaign=campaign).filter(pk__in=ids)
    )
    if not units:
        messages.error(
            request, _("None of the selected units can be reminded: they are not on this list.")
        )
        return redirect(back)
    outcome = reminders.campaign_remind_units(campaign=campaign, units=units, by=request.user)
    level = messages.SUCCESS if outcome.sent else messages.WARNING
    messages.add_message(request, level, reminders.reminded_message(outcome))
    return redirect(back)
