"""Who hears of the evaluation's transitions, and what they read (``danvan.notifications``):
reviewers of their assignments (with a direct link to each sheet), of the decision on a
conflict of interest and of a reopened sheet; the units of their results once a round is
finalised. Each kind reads what it needs once per activity row (``memo``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from danvan.dates import format_date
from danvan.enums import Role
from danvan.models import ActivityLog, NotificationChannel, User
from danvan.notifications import Message, NotificationKind, register_notification_kind
from models_registry.notifications import (
    absolute,
    as_date,
    in_site_language,
    memo,
    paragraphs,
    unit_officers,
)

from .enums import RoundStatus
from .models import Assignment, Result, ScoreSheet


def _sheet_url(sheet_id: int) -> str:
    return reverse("evaluation:sheet", args=[sheet_id])


def _scoring_window(round_) -> str:
    return _("Scoring is open from %(opens)s to %(closes)s.") % {
        "opens": format_date(round_.scoring_opens),
        "closes": format_date(round_.scoring_closes),
    }


# --- Assigned: one notification per reviewer and batch, linking each sheet --------------------


def _new_sheets(log: ActivityLog) -> list[ScoreSheet]:
    """The sheets a reviewer may now open: those of the assignments a batch created in an
    open round (``assignments``) or of the reviewer who took over after a conflict was
    approved (``replacement``); when a round opens, every sheet assigned while it was
    being prepared (their links would not open before)."""
    data = log.data or {}
    ids = list(data.get("assignments") or [])
    if data.get("replacement"):
        ids.append(data["replacement"])

    def load() -> list[ScoreSheet]:
        active = Assignment.objects.active().filter(round__status=RoundStatus.OPEN)
        if log.action == "evaluation.round.open":
            active = active.filter(round_id=log.object_id)
        elif ids:
            active = active.filter(pk__in=ids)
        else:
            return []
        return list(
            ScoreSheet.objects.filter(assignment__in=active)
            .select_related(
                "assignment__round", "assignment__reviewer", "assignment__entry__dvk_model__unit"
            )
            .order_by("assignment__reviewer_id", "pk")
        )

    return memo(log, "new_sheets", load)


def _assigned_reviewers(log: ActivityLog) -> list[User]:
    return [sheet.assignment.reviewer for sheet in _new_sheets(log)]


@in_site_language
def _assigned(log: ActivityLog, user: User) -> Message:
    sheets = [s for s in _new_sheets(log) if s.assignment.reviewer_id == user.pk]
    round_ = sheets[0].assignment.round
    count = len(sheets)
    context = {"count": count, "round": round_.name}
    lines = []
    for sheet in sheets:
        dvk_model = sheet.assignment.entry.dvk_model
        lines.append(f"- {dvk_model.name} ({dvk_model.unit}): {absolute(_sheet_url(sheet.pk))}")
    return Message(
        title=ngettext(
            "You were asked to score %(count)d model in “%(round)s”",
            "You were asked to score %(count)d models in “%(round)s”",
            count,
        )
        % context,
        body=paragraphs(
            ngettext(
                "The Standing Office of the Steering Committee asked you to score "
                "%(count)d model in the round “%(round)s”:",
                "The Standing Office of the Steering Committee asked you to score these "
                "%(count)d models in the round “%(round)s”:",
                count,
            )
            % context,
            "\n".join(lines),
            _scoring_window(round_),
            _(
                "If you have a conflict of interest with one of these models, declare it on "
                "its sheet."
            ),
        ),
        url=_sheet_url(sheets[0].pk) if count == 1 else reverse("evaluation:queue"),
    )


# --- Conflict of interest decided, sheet reopened ---------------------------------------------


def _assignment(log: ActivityLog) -> Assignment | None:
    return memo(
        log,
        "assignment",
        lambda: (
            Assignment.objects.select_related("reviewer", "round", "entry__dvk_model")
            .filter(pk=log.object_id)
            .first()
        ),
    )


def _conflict_reviewer(log: ActivityLog) -> list[User]:
    assignment = _assignment(log)
    return [assignment.reviewer] if assignment is not None else []


@in_site_language
def _conflict_decided(log: ActivityLog, user: User) -> Message:
    assignment = _assignment(log)
    context = {
        "name": assignment.entry.dvk_model.name,
        "closes": format_date(assignment.round.scoring_closes),
    }
    if log.action.endswith("conflict_approve"):
        return Message(
            title=_("Conflict of interest approved: “%(name)s”") % context,
            body=_(
                "The Standing Office of the Steering Committee approved the conflict of "
                "interest you declared with “%(name)s”: you no longer score this model."
            )
            % context,
            url=reverse("evaluation:queue"),
        )
    sheet = ScoreSheet.objects.filter(assignment=assignment).only("pk").first()
    return Message(
        title=_("Conflict of interest not approved: “%(name)s”") % context,
        body=_(
            "The Standing Office of the Steering Committee did not approve the conflict of "
            "interest you declared with “%(name)s”. Please score this model by %(closes)s."
        )
        % context,
        url=_sheet_url(sheet.pk) if sheet is not None else reverse("evaluation:queue"),
    )


def _reopened_sheet(log: ActivityLog) -> ScoreSheet | None:
    return memo(
        log,
        "sheet",
        lambda: (
            ScoreSheet.objects.select_related(
                "assignment__reviewer", "assignment__round", "assignment__entry__dvk_model"
            )
            .filter(pk=log.object_id)
            .first()
        ),
    )


def _sheet_reviewer(log: ActivityLog) -> list[User]:
    sheet = _reopened_sheet(log)
    return [sheet.assignment.reviewer] if sheet is not None else []


@in_site_language
def _reopened(log: ActivityLog, user: User) -> Message:
    sheet = _reopened_sheet(log)
    round_ = sheet.assignment.round
    until = as_date(log.data.get("until")) or round_.scoring_closes
    context = {"name": sheet.assignment.entry.dvk_model.name, "date": format_date(until)}
    reason = log.data.get("reason") or sheet.reopen_reason
    return Message(
        title=_("Your sheet for “%(name)s” was reopened") % context,
        body=paragraphs(
            _(
                "The Standing Office of the Steering Committee reopened your score sheet for "
                "“%(name)s”."
            )
            % context,
            _("Reason: %(reason)s") % {"reason": reason} if reason else "",
            _("You may change it and submit it again until %(date)s.") % context,
        ),
        url=_sheet_url(sheet.pk),
    )


# --- Round finalised: each unit hears of its own results ---------------------------------------


def _round_results(log: ActivityLog) -> list[Result]:
    return memo(
        log,
        "results",
        lambda: list(
            Result.objects.filter(round_id=log.object_id)
            .select_related("round", "dvk_model")
            .order_by("rank", "pk")
        ),
    )


def _result_units(log: ActivityLog) -> list[User]:
    return unit_officers(result.dvk_model.unit_id for result in _round_results(log))


@in_site_language
def _finalised(log: ActivityLog, user: User) -> Message:
    unit_id = getattr(user, "scope_root", None) or user.scope_unit_id
    results = [r for r in _round_results(log) if r.dvk_model.unit_id == unit_id]
    round_ = _round_results(log)[0].round
    lines = []
    for result in results:
        line = f"- “{result.dvk_model.name}”"
        if result.tier_name:
            line += f": {result.tier_name}"
        lines.append(line)
    if len(results) == 1:
        url = reverse("evaluation:result_feedback", args=[results[0].pk])
    else:
        url = reverse("evaluation:my_results")
    return Message(
        title=_("The results of “%(round)s” are out") % {"round": round_.name},
        body=paragraphs(
            # One paragraph: the list's preview (its first paragraph) names the results.
            "\n".join(
                [
                    _("The round “%(round)s” has been finalised. Your unit's results:")
                    % {"round": round_.name},
                    *lines,
                ]
            ),
            _("Open the results to read the score and the reviewers' feedback."),
        ),
        url=url,
    )


KINDS = [
    NotificationKind(
        code="evaluation.assigned",
        roles=(Role.COMMITTEE_MEMBER,),
        label=gettext_lazy("I was asked to score models"),
        actions=(
            "evaluation.round.assign",
            "evaluation.round.assign_auto",
            "evaluation.assignment.conflict_approve",
            "evaluation.round.open",
        ),
        recipients=_assigned_reviewers,
        message=_assigned,
        default_channel=NotificationChannel.EMAIL,
        order=20,
    ),
    NotificationKind(
        code="evaluation.conflict_decided",
        roles=(Role.COMMITTEE_MEMBER,),
        label=gettext_lazy("My conflict of interest was decided"),
        actions=(
            "evaluation.assignment.conflict_approve",
            "evaluation.assignment.conflict_reject",
        ),
        recipients=_conflict_reviewer,
        message=_conflict_decided,
        default_channel=NotificationChannel.EMAIL,
        order=21,
    ),
    NotificationKind(
        code="evaluation.sheet_reopened",
        roles=(Role.COMMITTEE_MEMBER,),
        label=gettext_lazy("My score sheet was reopened"),
        actions=("evaluation.scoresheet.reopen",),
        recipients=_sheet_reviewer,
        message=_reopened,
        default_channel=NotificationChannel.EMAIL,
        order=22,
    ),
    NotificationKind(
        code="evaluation.round_finalised",
        roles=(Role.UNIT_OFFICER,),
        label=gettext_lazy("The results of our models are out"),
        actions=("evaluation.round.finalise",),
        recipients=_result_units,
        message=_finalised,
        default_channel=NotificationChannel.APP,
        order=23,
    ),
]


def register() -> None:
    register_notification_kind(*KINDS)
