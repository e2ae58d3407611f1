"""Notifications: every transition that concerns someone reaches them in the app (the bell)
and, as they choose, by e-mail at once or in a daily digest. Built on the activity log.

Each app registers its kinds from its ``extensions.register()``::

    register_notification_kind(NotificationKind(
        code="models_registry.returned",
        label=_("A registration was returned"),
        actions=("models_registry.dvkmodel.return",),
        recipients=lambda log: officers_of(log.content_object.unit),
        message=lambda log, user: Message(title=..., body=..., url=obj.get_absolute_url()),
    ))

``log_action`` calls ``dispatch(log)`` inside the service's transaction: one
``Notification`` per recipient of every kind listening to the action (never the actor
themself), so a rolled back change leaves none; the e-mails go out through Celery once the
transaction commits (a broker outage is logged, never raised into the transition).
``remind(...)`` is the same for scheduled reminders, at most once per user, kind and day
(``ReminderLog``).

The package is the façade:

- here: the kinds' registry, ``channel_for`` (a user's channel for a kind: their
  ``NotificationPreference``, else the kind's ``default_channel``), ``dispatch``, ``remind``;
- ``inbox``: what the bell and the pages read and change (the list, unread count, mark
  read, the preferences form's service);
- ``emails``: the e-mail at once (``notifications_email``, the Celery task
  ``danvan.tasks.send_notification_emails``) and the daily digest (``digest_send``).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from ..models import (
    ActivityLog,
    Notification,
    NotificationChannel,
    NotificationPreference,
    ReminderLog,
    User,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    """What a notification says: a short ``title`` (the bell's line, the e-mail subject),
    an optional ``body`` (plain text, paragraphs separated by blank lines) and ``url`` (a
    site-relative path; e-mails make it absolute with ``settings.SITE_URL``)."""

    title: str
    body: str = ""
    url: str = ""


@dataclass(frozen=True)
class NotificationKind:
    """A kind of notification a user can choose a channel for."""

    code: str
    label: object  # lazy translation, shown on the preferences page
    # Activity actions that produce it (empty for reminders, sent with ``remind``).
    actions: tuple[str, ...] = ()
    # Who receives it for one activity row (the actor is always left out).
    recipients: Callable[[ActivityLog], Iterable[User]] | None = None
    # The message for one recipient, rendered in Vietnamese.
    message: Callable[[ActivityLog, User], Message] | None = None
    default_channel: str = NotificationChannel.EMAIL
    order: int = 100  # on the preferences page
    # Who may receive it at all (the preferences page lists only those kinds): holders of
    # one of ``roles`` (empty: anyone), and of them those ``audience`` admits (None: all).
    roles: tuple[str, ...] = ()
    audience: Callable[[User], bool] | None = None

    def is_for(self, user: User) -> bool:
        """Whether ``user`` may receive this kind (the preferences page lists only those)."""
        if self.roles and not user.is_superuser and not any(map(user.has_role, self.roles)):
            return False
        return self.audience is None or self.audience(user)


_kinds: dict[str, NotificationKind] = {}


def register_notification_kind(*kinds: NotificationKind) -> None:
    """Register one kind or several (an app's list: ``register_notification_kind(*KINDS)``)."""
    for kind in kinds:
        _kinds[kind.code] = kind


def unregister_notification_kind(code: str) -> None:
    """Forget a kind (tests register throw-away kinds and remove them afterwards)."""
    _kinds.pop(code, None)


def notification_kinds(*, user: User | None = None) -> list[NotificationKind]:
    """The registered kinds in the preferences' order (``user``: only those whose
    ``roles`` and ``audience`` admit them)."""
    kinds = sorted(_kinds.values(), key=lambda k: (k.order, k.code))
    if user is not None:
        kinds = [k for k in kinds if k.is_for(user)]
    return kinds


def kind_for(code: str) -> NotificationKind | None:
    return _kinds.get(code)


def default_channel(code: str) -> str:
    """The channel of a kind for a user who chose none (an unknown kind: the app only)."""
    kind = _kinds.get(code)
    return kind.default_channel if kind is not None else NotificationChannel.APP


def channels_for(user: User) -> dict[str, str]:
    """``{kind code: channel}`` for every registered kind: the user's choice, else the
    kind's default (one query)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind.code: chosen.get(kind.code, kind.default_channel) for kind in _kinds.values()}


def channel_for(user: User, code: str) -> str:
    """How ``user`` wants notifications of kind ``code`` (one query)."""
    chosen = (
        NotificationPreference.objects.filter(user=user, kind=code)
        .values_list("channel", flat=True)
        .first()
    )
    return chosen or default_channel(code)


def _create(user: User, kind: NotificationKind, message: Message, log=None) -> Notification:
    return Notification.objects.create(
        recipient=user,
        kind=kind.code,
        activity=log,
        title=" ".join(str(message.title).split())[:300],
        body=message.body,
        url=message.url,
    )


def _queue_emails(ids: list[int]) -> None:
    """Hand the e-mails of ``ids`` to Celery. Nothing a mail server or the broker does may
    fail the transition that already committed: errors are logged, never raised (in the
    embedded setup the task runs in process and would otherwise raise after its retries)."""
    from ..tasks import send_notification_emails

    try:
        send_notification_emails.delay(ids)
    except Exception:  # an outage (broker, mail server) must not fail a committed change
        logger.exception("could not send the e-mails of notifications %s", ids)


def _after_commit(notifications: list[Notification]) -> None:
    """Queue the e-mails of ``notifications`` once the transaction commits (the task sends
    only those whose recipients chose e-mail at once)."""
    if not notifications:
        return
    ids = [n.pk for n in notifications]
    transaction.on_commit(lambda: _queue_emails(ids))


def dispatch(log: ActivityLog) -> list[Notification]:
    """The notifications of one activity row (see the module). Called by ``log_action``."""
    created = []
    for kind in list(_kinds.values()):
        if log.action not in kind.actions or kind.recipients is None or kind.message is None:
            continue
        seen = set()
        for user in kind.recipients(log):
            if user is None or user.pk in seen or user.pk == log.actor_id or not user.is_active:
                continue
            seen.add(user.pk)
            created.append(_create(user, kind, kind.message(log, user), log))
    _after_commit(created)
    return created


def remind(
    user: User, kind: str, message: Message, *, day: datetime.date | None = None
) -> Notification | None:
    """Remind ``user`` (a notification of the registered reminder ``kind``), unless they
    were already reminded of that kind on ``day`` (today): then None."""
    from ..dates import today

    registered = _kinds[kind]
    try:
        with transaction.atomic():
            ReminderLog.objects.create(user=user, kind=kind, day=day or today())
    except IntegrityError:
        return None
    notification = _create(user, registered, message)
    _after_commit([notification])
    return notification


# The readers and the e-mails use the registry above.
from .emails import digest_send, notification_email, notifications_email  # noqa: E402 -- uses the registry above
from .inbox import (  # noqa: E402 -- uses the registry above
    notification_open,
    notification_preferences_save,
    notifications_for,
    notifications_mark_all_read,
    safe_redirect_url,
    unread_count,
)

__all__ = [
    "Message",
    "NotificationKind",
    "channel_for",
    "channels_for",
    "default_channel",
    "digest_send",
    "dispatch",
    "kind_for",
    "notification_email",
    "notification_kinds",
    "notification_open",
    "notification_preferences_save",
    "notifications_email",
    "notifications_for",
    "notifications_mark_all_read",
    "register_notification_kind",
    "remind",
    "safe_redirect_url",
    "unread_count",
    "unregister_notification_kind",
]
