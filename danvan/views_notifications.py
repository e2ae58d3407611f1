"""The bell, the notification list and the notification settings (danvan.notifications)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import notifications
from .models import Notification, NotificationChannel
from .web import refusals

PAGE_SIZE = 25


class NotificationPreferencesForm(forms.Form):
    """One channel per kind (``kinds``), pre-filled with ``channels``. A kind left out of
    the POST keeps its channel."""

    CHANNELS = [
        (NotificationChannel.APP, gettext_lazy("In the app only")),
        (NotificationChannel.EMAIL, gettext_lazy("Also by e-mail at once")),
        (NotificationChannel.DIGEST, gettext_lazy("Also in the morning digest")),
    ]

    def __init__(self, *args, kinds, channels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        message = gettext_lazy("Choose how you want to receive this kind of notification.")
        for kind in kinds:
            self.fields[kind.code] = forms.ChoiceField(
                label=kind.label,
                choices=self.CHANNELS,
                initial=channels.get(kind.code, kind.default_channel),
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"invalid_choice": message},
            )

    def channels(self) -> dict[str, str]:
        """``{kind code: channel}`` of the kinds the POST chose a channel for."""
        return {code: channel for code, channel in self.cleaned_data.items() if channel}


def _preview(body: str, limit: int = 200) -> str:
    """The first paragraph of a notification's body, shortened for the list."""
    first = body.strip().split("\n\n", 1)[0]
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def notification_list(request):
    """The user's notifications, newest first, 25 a page; ``?unread=1``: unread only."""
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(
        notifications.notifications_for(user=request.user, unread=unread_only), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for notification in page:
        notification.preview = _preview(notification.body)
    return render(
        request,
        "danvan/notifications/notification_list.html",
        {
            "page_obj": page,
            "unread_only": unread_only,
            "unread": notifications.unread_count(user=request.user),
        },
    )


@require_GET
def notification_open(request, pk):
    """Mark one of the user's notifications read and go to its page (a path on this site;
    any other link leads back to the list). Someone else's notification: 404."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications.notification_open(notification=notification)
    return redirect(notifications.safe_redirect_url(notification.url) or "notification_list")


@require_POST
def notification_mark_all_read(request):
    count = notifications.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notification_list")


@login_not_required
@never_cache
@require_GET
def notification_bell(request):
    """The navbar's bell with the unread count, loaded by static/js/notifications.js after
    the page (so that no page render gains a query). Signed out (an expired session while a
    page stays open): the script's request (HX-Request) gets "no content" and the bell stays
    as it is; any other, the login."""
    if not request.user.is_authenticated:
        if request.headers.get("HX-Request"):
            return HttpResponse(status=204)
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "danvan/notifications/bell.html",
        {"unread": notifications.unread_count(user=request.user)},
    )


def notification_preferences(request):
    """How the user receives each kind of notification: in the app only, also by e-mail at
    once, or in a daily digest."""
    kinds = notifications.notification_kinds(user=request.user)
    form = NotificationPreferencesForm(
        request.POST or None, kinds=kinds, channels=notifications.channels_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            notifications.notification_preferences_save(user=request.user, channels=form.channels())
        if outcome.ok:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notification_preferences")
    return render(
        request,
        "danvan/notifications/notification_preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
    )
