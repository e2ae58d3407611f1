"""What the bell, the notification list and the preferences page read and change."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ..errors import DomainError
from ..models import Notification, NotificationChannel, NotificationPreference, User
from . import kind_for


class NotificationError(DomainError):
    """A refused change of the notification settings."""


def notifications_for(*, user: User, unread: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first (``unread``: only those not yet read)."""
    qs = Notification.objects.filter(recipient=user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def unread_count(*, user: User) -> int:
    """How many of the user's notifications are unread (the bell's badge; one query)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_open(*, notification: Notification) -> Notification:
    """Mark ``notification`` read (once: the first reading time is kept)."""
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many were."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def safe_redirect_url(url: str) -> str | None:
    """``url`` when it is a path on this site ("/…", never "//host" or "/\\host"), else None:
    opening a notification never leads off the site."""
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")):
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
        return None
    return url


def notification_preferences_save(*, user: User, channels: dict[str, str]) -> None:
    """Save ``user``'s channel for each kind in ``channels`` (``{code: channel}``), all or
    nothing. A channel equal to the kind's default is stored as no row, so that the user
    follows the default.

    Raises ``NotificationError`` (``errors`` per kind code) for an unknown kind or channel.
    """
    errors: dict[str | None, list[str]] = {}
    for code, channel in channels.items():
        if kind_for(code) is None:
            errors.setdefault(None, []).append(_("This kind of notification does not exist."))
        elif channel not in NotificationChannel.values:
            errors[code] = [_("Choose how you want to receive this kind of notification.")]
    if errors:
        raise NotificationError(errors=errors)
    with transaction.atomic():
        for code, channel in channels.items():
            if channel == kind_for(code).default_channel:
                NotificationPreference.objects.filter(user=user, kind=code).delete()
            else:
                NotificationPreference.objects.update_or_create(
                    user=user, kind=code, defaults={"channel": channel}
                )
