"""The assignment page's "nhắc": the secretariat reminds the selected reviewers of their
sheets not yet submitted, now."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.web import refusals
from models_registry.reminders import reminded_message

from ... import reminders
from .common import round_or_404


@require_POST
def round_remind(request, pk):
    """Remind the ticked reviewers (``reviewers``), or the one whose row button was pressed
    (``reviewer``). Reviewers without an open sheet in this round are left out."""
    round_ = round_or_404(request, pk)["round"]
    back = reverse("evaluation:round_assignments", args=[pk])
    single = request.POST.get("reviewer")
    values = [single] if single else request.POST.getlist("reviewers")
    ids = {int(v) for v in values if v.isascii() and v.isdigit()}
    if not ids:
        messages.error(request, _("Please tick at least one reviewer to remind."))
        return redirect(back)
    with refusals(request) as outcome:
        reminded = reminders.round_remind_reviewers(round=round_, reviewer_ids=ids, by=request.user)
    if not outcome.ok:
        return redirect(back)
    if reminded.sent or reminded.skipped:
        level = messages.SUCCESS if reminded.sent else messages.WARNING
        messages.add_message(request, level, reminded_message(reminded))
    else:
        messages.error(
            request,
            _("None of the selected reviewers has a score sheet to submit in this round."),
        )
    return redirect(back)
