"""The e-mails: one at once for a kind the recipient gets by e-mail, one a day (the digest)
for the kinds they get in a digest.

Both are Vietnamese, plain text with an HTML alternative, with absolute links
(``settings.SITE_URL``), and record ``Notification.emailed_at`` so that no notification is
e-mailed twice: each e-mail is sent while its rows are locked and still unsent
(``select_for_update`` … ``emailed_at IS NULL``), and a failed send leaves them unsent for
the task's retry.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..dates import format_date
from ..models import Notification, NotificationChannel, NotificationPreference, User
from . import _kinds, channel_for, kind_for, notification_kinds

logger = logging.getLogger(__name__)

# The digest gathers what is at most this old, so that a missed day is caught up but a user
# who switches to the digest is not sent weeks of old news.
DIGEST_WINDOW = datetime.timedelta(days=3)
LANGUAGE = "vi"


def absolute_url(path: str) -> str:
    """``path`` (site-relative) on ``settings.SITE_URL``; anything else: the site's root."""
    if not path.startswith("/") or path.startswith("//"):
        path = "/"
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _site_title() -> str:
    return settings.SITE_TITLE or _('"Dan Van Kheo" movement registry')


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _kind_label(code: str) -> str:
    kind = kind_for(code)
    return str(kind.label) if kind is not None else ""


def _message(subject: str, template: str, context: dict, to: str) -> EmailMultiAlternatives:
    context = {
        "site_title": _site_title(),
        "subject": subject,
        "preferences_url": absolute_url(reverse("notification_preferences")),
        "list_url": absolute_url(reverse("notification_list")),
        **context,
    }
    text = render_to_string(f"danvan/email/{template}.txt", context)
    html = render_to_string(f"danvan/email/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, None, [to])
    message.attach_alternative(html, "text/html")
    return message


def notification_email(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail of one notification to its recipient (not sent), in Vietnamese."""
    with translation.override(LANGUAGE):
        label = _kind_label(notification.kind)
        return _message(
            notification.title,
            "notification",
            {
                "notification": notification,
                "paragraphs": _paragraphs(notification.body),
                "url": absolute_url(notification.url or reverse("notification_list")),
                "reason": _(
                    "You receive this e-mail because your account gets the notifications "
                    "“%(kind)s” by e-mail."
                )
                % {"kind": label},
            },
            notification.recipient.email,
        )


def notifications_email(notification_ids: list[int]) -> int:
    """E-mail each of ``notification_ids`` whose recipient gets its kind by e-mail at once
    and has an address, unless already e-mailed; returns how many went out.

    A mail server error propagates (the task retries) after the notifications already sent
    were recorded: a retry sends only the others.
    """
    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(of=("self",))
                .select_related("recipient")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if notification is None:
                continue
            recipient = notification.recipient
            if not recipient.is_active or not recipient.email:
                continue
            if channel_for(recipient, notification.kind) != NotificationChannel.EMAIL:
                continue
            notification_email(notification).send()
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
            sent += 1
    return sent


# --- The daily digest ----------------------------------------------------------------------


def digest_pending(*, now: datetime.datetime | None = None) -> QuerySet[Notification]:
    """Notifications waiting for a digest: of a kind their recipient gets in the digest
    (their choice, else the kind's default), neither e-mailed nor read yet, at most
    ``DIGEST_WINDOW`` old, to an active recipient with an e-mail address."""
    now = now or timezone.now()
    chosen = NotificationPreference.objects.filter(
        user=OuterRef("recipient"), kind=OuterRef("kind")
    )
    by_default = [
        k.code for k in _kinds.values() if k.default_channel == NotificationChannel.DIGEST
    ]
    digest = Exists(chosen.filter(channel=NotificationChannel.DIGEST)) | (
        Q(kind__in=by_default) & ~Exists(chosen)
    )
    return (
        Notification.objects.filter(digest, emailed_at__isnull=True, read_at__isnull=True)
        .filter(created_at__gte=now - DIGEST_WINDOW, created_at__lte=now)
        .filter(recipient__is_active=True)
        .exclude(recipient__email="")
    )


def digest_email(user: User, notifications: list[Notification]) -> EmailMultiAlternatives:
    """One e-mail listing ``notifications`` grouped by kind (in the preferences' order)."""
    with translation.override(LANGUAGE):
        order = {kind.code: i for i, kind in enumerate(notification_kinds())}
        groups = defaultdict(list)
        for notification in notifications:
            groups[notification.kind].append(
                {
                    "title": notification.title,
                    "url": absolute_url(notification.url or reverse("notification_list")),
                    "created_at": notification.created_at,
                }
            )
        grouped = [
            {"label": _kind_label(code) or _("Other notifications"), "items": items}
            for code, items in sorted(groups.items(), key=lambda g: (order.get(g[0], 1e9), g[0]))
        ]
        count = len(notifications)
        subject = ngettext(
            "%(count)s new notification on %(day)s",
            "%(count)s new notifications on %(day)s",
            count,
        ) % {"count": count, "day": format_date(timezone.localdate())}
        return _message(
            subject,
            "digest",
            {
                "groups": grouped,
                "count": count,
                "reason": _(
                    "You receive this e-mail because you chose a daily digest of some "
                    "notifications."
                ),
            },
            user.email,
        )


def digest_send(*, now: datetime.datetime | None = None) -> int:
    """Send each user waiting for a digest one e-mail of their notifications
    (``digest_pending``) and record them e-mailed; returns how many e-mails went out.
    Running it twice sends nothing the second time. A mail server error propagates (the
    task retries) after the digests already sent were recorded."""
    now = now or timezone.now()
    recipients = list(
        digest_pending(now=now).order_by("recipient_id").values_list("recipient_id", flat=True)
    )
    sent = 0
    with get_connection() as connection:
        for user_id in dict.fromkeys(recipients):
            with transaction.atomic():
                notifications = list(
                    digest_pending(now=now)
                    .filter(recipient_id=user_id)
                    .select_for_update(of=("self",))
                    .select_related("recipient")
                    .order_by("created_at", "pk")
                )
                if not notifications:
                    continue
                message = digest_email(notifications[0].recipient, notifications)
                message.connection = connection
                message.send()
                Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
                    emailed_at=timezone.now()
                )
                sent += 1
    logger.info("notification digest: %s e-mails", sent)
    return sent
