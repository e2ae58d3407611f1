"""Honouring events (hội nghị biểu dương, vinh danh): the list with the cadence card, an
event's page with the awards presented there, and the form to record one.

The secretariat (``awards.manage``) records and edits; leaders (``awards.view_register``)
read. An event organised outside the user's scope answers 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from danvan.web import object_or_404, refusals, require

from .. import selectors, services
from ..forms.events import HonouringEventForm

READ = "awards.view_register"
MANAGE = "awards.manage"
PAGE_SIZE = 25


def _event_or_404(request, pk):
    """An event organised in the user's scope, else 404 (ids cannot be probed)."""
    return object_or_404(lambda: selectors.honouring_event_detail(pk=pk, user=request.user))


def event_list(request):
    require(request.user, READ)
    events = selectors.honouring_events_visible_to(user=request.user)
    return render(
        request,
        "awards/events/event_list.html",
        {
            "page_obj": Paginator(events, PAGE_SIZE).get_page(request.GET.get("page")),
            "cadences": selectors.honouring_cadence_status(user=request.user),
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


def event_detail(request, pk):
    require(request.user, READ)
    event = _event_or_404(request, pk)
    return render(
        request,
        "awards/events/event_detail.html",
        {
            "event": event,
            "awards": selectors.honouring_event_awards(event=event),
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


def event_edit(request, pk=None):
    require(request.user, MANAGE)
    event = _event_or_404(request, pk) if pk else None
    form = HonouringEventForm(
        request.POST or None,
        instance=event,
        initial={} if event else {"unit": request.user.scope_unit_id},
        organisers=selectors.honouring_event_organisers(user=request.user, event=event),
        awards=selectors.honouring_event_award_choices(user=request.user, event=event),
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            saved = services.honouring_event_save(
                data=form.service_data(),
                awards=form.cleaned_data["awards"],
                event=event,
                by=request.user,
            )
        if outcome.ok:
            messages.success(request, _("The honouring event has been saved."))
            return redirect("awards:event_detail", pk=saved.pk)
    return render(
        request,
        "awards/events/event_form.html",
        {
            "form": form,
            "event": event,
            "award_choices": form.fields["awards"].queryset,
            "selected": form.selected_award_ids(),
        },
    )
