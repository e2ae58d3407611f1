"""Who hears of an award decision (``danvan.notifications``): once it is issued — and if it
is revoked — the officers of every unit it names: the collectives, the units of its
individuals and the units of its models. Each reads the awards of their own unit, with a
link to their unit's page (its awards section)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.dates import format_date
from danvan.enums import Role
from danvan.models import ActivityLog, NotificationChannel, User
from danvan.notifications import Message, NotificationKind, register_notification_kind
from models_registry.notifications import in_site_language, memo, paragraphs, unit_officers

from .models import Award, Decision


def _unit_of(award: Award) -> int | None:
    return award.unit_id or (award.dvk_model.unit_id if award.dvk_model_id else None)


def _decision(log: ActivityLog) -> Decision | None:
    return memo(log, "decision", lambda: Decision.objects.filter(pk=log.object_id).first())


def _awards(log: ActivityLog) -> list[Award]:
    return memo(
        log,
        "awards",
        lambda: list(
            Award.objects.filter(decision_id=log.object_id)
            .select_related("unit", "dvk_model", "award_type")
            .order_by("position", "pk")
        ),
    )


def _recipient_units(log: ActivityLog) -> list[User]:
    return unit_officers(_unit_of(award) for award in _awards(log))


def _own_awards(log: ActivityLog, user: User) -> tuple[int, list[str]]:
    unit_id = getattr(user, "scope_root", None) or user.scope_unit_id
    lines = [
        f"- {award.recipient_name}: {award.award_type.name}"
        for award in _awards(log)
        if _unit_of(award) == unit_id
    ]
    return unit_id, lines


@in_site_language
def _issued(log: ActivityLog, user: User) -> Message:
    decision = _decision(log)
    unit_id, lines = _own_awards(log, user)
    context = {
        "number": decision.display_number,
        "date": format_date(decision.date),
        "authority": decision.issuing_authority,
    }
    return Message(
        title=_("Award decision %(number)s names your unit") % context,
        body=paragraphs(
            _("%(authority)s issued decision %(number)s of %(date)s, which awards:") % context,
            "\n".join(lines),
        ),
        url=reverse("unit_detail", args=[unit_id]),
    )


@in_site_language
def _revoked(log: ActivityLog, user: User) -> Message:
    decision = _decision(log)
    unit_id, lines = _own_awards(log, user)
    reason = log.data.get("reason") or decision.revoked_reason
    context = {"number": decision.display_number, "date": format_date(decision.date)}
    return Message(
        title=_("Award decision %(number)s was revoked") % context,
        body=paragraphs(
            _("Decision %(number)s of %(date)s was revoked; these awards no longer count:")
            % context,
            "\n".join(lines),
            _("Reason: %(reason)s") % {"reason": reason} if reason else "",
        ),
        url=reverse("unit_detail", args=[unit_id]),
    )


KINDS = [
    NotificationKind(
        code="awards.decision_issued",
        roles=(Role.UNIT_OFFICER,),
        label=gettext_lazy("An award decision names our unit"),
        actions=("awards.decision.issue",),
        recipients=_recipient_units,
        message=_issued,
        default_channel=NotificationChannel.APP,
        order=40,
    ),
    NotificationKind(
        code="awards.decision_revoked",
        roles=(Role.UNIT_OFFICER,),
        label=gettext_lazy("An award decision naming our unit was revoked"),
        actions=("awards.decision.revoke",),
        recipients=_recipient_units,
        message=_revoked,
        default_channel=NotificationChannel.APP,
        order=41,
    ),
]


def register() -> None:
    register_notification_kind(*KINDS)
