"""Who hears of a registration's transitions, and what they read (``danvan.notifications``).

Also the recipient helpers the later stages share: the officers of a unit
(``unit_officers``) and the secretariat that receives a unit's registrations
(``secretariat_receiving``) — one query each, whatever the number of users.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.dates import format_date
from danvan.enums import Role
from danvan.models import ActivityLog, NotificationChannel, Unit, User
from danvan.notifications import Message, NotificationKind, register_notification_kind
from danvan.selectors import unit_ancestor_ids

from .enums import ModelStatus

# --- Shared helpers -----------------------------------------------------------------------


def _with_scope_root(qs: QuerySet[User]) -> QuerySet[User]:
    # The root of what a user may see (``User.scope_unit_id``) in SQL.
    return qs.annotate(scope_root=Coalesce(F("unit__oversees_id"), F("unit_id")))


def unit_officers(unit_ids: Iterable[int]) -> list[User]:
    """Active unit officers whose scope is exactly one of ``unit_ids`` (the officers of
    that unit, or of the body that works for it), never those of another unit above or
    beside it. One query."""
    ids = {pk for pk in unit_ids if pk is not None}
    if not ids:
        return []
    qs = User.objects.filter(is_active=True, groups__name=Role.UNIT_OFFICER).distinct()
    return list(_with_scope_root(qs).filter(scope_root__in=ids).order_by("pk"))


def secretariat_receiving(unit: Unit, *, organiser: Unit | None = None) -> list[User]:
    """The active secretariat users who receive what ``unit`` sends for a campaign of
    ``organiser``: those whose scope holds both, and of them only the closest commission
    (the deepest scope root) — a province's commission, not every commission above it or
    of another province. Two queries."""
    path = unit_ancestor_ids(unit=unit)  # from the root down to ``unit``
    if organiser is not None and organiser.pk in path:
        path = path[: path.index(organiser.pk) + 1]
    qs = User.objects.filter(is_active=True, groups__name=Role.SECRETARIAT).distinct()
    users = list(_with_scope_root(qs).filter(scope_root__in=path).order_by("pk"))
    if not users:
        return []
    deepest = max(path.index(user.scope_root) for user in users)
    return [user for user in users if path.index(user.scope_root) == deepest]


def memo(log: ActivityLog, key: str, load: Callable[[], object]):
    """What ``load()`` returns, read once per activity row: the recipients and every
    recipient's message share it (no query per recipient)."""
    cache = log.__dict__.setdefault("_notification_cache", {})
    if key not in cache:
        cache[key] = load()
    return cache[key]


def as_date(value) -> datetime.date | None:
    """A day kept in ``ActivityLog.data``: a date before the row is read back, an ISO
    string after."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def absolute(path: str) -> str:
    """``path`` as a link that works in an e-mail too (``settings.SITE_URL``)."""
    return f"{settings.SITE_URL}{path}" if path.startswith("/") else path


def logged_on(log: ActivityLog) -> str:
    return format_date(timezone.localtime(log.timestamp).date())


def in_site_language(message: Callable) -> Callable:
    """Notifications are written in the site's language, whoever triggers them (a worker,
    a request in another language)."""

    @functools.wraps(message)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return message(*args, **kwargs)

    return wrapper


def paragraphs(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)


# --- The registration's kinds -------------------------------------------------------------


def _dvk_model(log: ActivityLog):
    from .models import DvkModel

    return memo(
        log,
        "dvk_model",
        lambda: (
            DvkModel.objects.select_related("unit", "campaign__organiser")
            .filter(pk=log.object_id)
            .first()
        ),
    )


def _secretariat(log: ActivityLog) -> list[User]:
    dvk_model = _dvk_model(log)
    if dvk_model is None:
        return []
    return secretariat_receiving(dvk_model.unit, organiser=dvk_model.campaign.organiser)


def _officers(log: ActivityLog) -> list[User]:
    dvk_model = _dvk_model(log)
    return unit_officers([dvk_model.unit_id]) if dvk_model is not None else []


@in_site_language
def _submitted(log: ActivityLog, user: User) -> Message:
    dvk_model = _dvk_model(log)
    context = {"name": dvk_model.name, "unit": dvk_model.unit.name, "date": logged_on(log)}
    if log.data.get("from") == ModelStatus.RETURNED:
        title = _("Registration “%(name)s” was submitted again") % context
        body = _("%(unit)s submitted the corrected registration “%(name)s” on %(date)s.")
    else:
        title = _("New registration: “%(name)s”") % context
        body = _("%(unit)s submitted the registration “%(name)s” on %(date)s.")
    return Message(
        title=title,
        body=paragraphs(
            body % context, _("Open it to accept it or to return it to the unit with a reason.")
        ),
        url=dvk_model.get_absolute_url(),
    )


@in_site_language
def _returned(log: ActivityLog, user: User) -> Message:
    dvk_model = _dvk_model(log)
    reason = log.data.get("reason") or dvk_model.return_reason
    day = as_date(log.data.get("resubmit_by")) or dvk_model.resubmit_deadline
    context = {"name": dvk_model.name, "date": format_date(day)}
    return Message(
        title=_("Registration “%(name)s” was returned for changes") % context,
        body=paragraphs(
            _(
                "The Standing Office of the Steering Committee returned the registration "
                "“%(name)s” to your unit for changes."
            )
            % context,
            _("Reason: %(reason)s") % {"reason": reason} if reason else "",
            _("Please correct it and submit it again by %(date)s.") % context if day else "",
        ),
        url=dvk_model.get_absolute_url(),
    )


@in_site_language
def _accepted(log: ActivityLog, user: User) -> Message:
    dvk_model = _dvk_model(log)
    context = {"name": dvk_model.name, "date": logged_on(log)}
    return Message(
        title=_("Registration “%(name)s” was accepted") % context,
        body=_(
            "The Standing Office of the Steering Committee accepted the registration "
            "“%(name)s” on %(date)s."
        )
        % context,
        url=dvk_model.get_absolute_url(),
    )


@in_site_language
def _result_report(log: ActivityLog, user: User) -> Message:
    dvk_model = _dvk_model(log)
    context = {"name": dvk_model.name, "unit": dvk_model.unit.name, "date": logged_on(log)}
    return Message(
        title=_("Result report of “%(name)s” submitted") % context,
        body=_("%(unit)s submitted the result report of “%(name)s” on %(date)s.") % context,
        url=dvk_model.get_absolute_url(),
    )


KINDS = [
    NotificationKind(
        code="models_registry.submitted",
        roles=(Role.SECRETARIAT,),
        label=gettext_lazy("A unit submitted a registration (secretariat)"),
        actions=("models_registry.dvkmodel.submit",),
        recipients=_secretariat,
        message=_submitted,
        default_channel=NotificationChannel.EMAIL,
        order=10,
    ),
    NotificationKind(
        code="models_registry.returned",
        roles=(Role.UNIT_OFFICER,),
        label=gettext_lazy("Our registration was returned for changes"),
        actions=("models_registry.dvkmodel.return",),
        recipients=_officers,
        message=_returned,
        default_channel=NotificationChannel.EMAIL,
        order=11,
    ),
    NotificationKind(
        code="models_registry.accepted",
        roles=(Role.UNIT_OFFICER,),
        label=gettext_lazy("Our registration was accepted"),
        actions=("models_registry.dvkmodel.accept",),
        recipients=_officers,
        message=_accepted,
        default_channel=NotificationChannel.APP,
        order=12,
    ),
    NotificationKind(
        code="models_registry.result_report_submitted",
        roles=(Role.SECRETARIAT,),
        label=gettext_lazy("A unit submitted a result report (secretariat)"),
        actions=("models_registry.dvkmodel.submit_result_report",),
        recipients=_secretariat,
        message=_result_report,
        default_channel=NotificationChannel.APP,
        order=13,
    ),
]


def register() -> None:
    register_notification_kind(*KINDS)
