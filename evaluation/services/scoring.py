"""Filling in, submitting and reopening score sheets.

A criterion's points and comment are a row of their own (``CriterionScore``), saved one at
a time by the htmx form: two tabs scoring different criteria of the same sheet cannot
overwrite each other, and two saves of the same criterion simply leave the later one.
Every save re-reads the sheet under a row lock, so a save racing a submission either lands
before it or is refused after it. Submitting and reopening write an activity row; saves are
edits, not transitions, and write none. A score's history starts when its sheet is
reopened (the submitted points, then every change): drafts before the first submission
are nobody's record, and a reviewer saves dozens of times per sheet.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danvan.activity import log_action
from danvan.dates import today
from danvan.models import User
from danvan.numbers import is_multiple, parse_decimal

from ..enums import SheetStatus
from ..models import Criterion, CriterionScore, ScoreSheet
from ..policy import format_points, sheet_edit_refusal
from .base import EvaluationError, StaleEditError, claim_version, ensure_not_finalised
from .rubrics import POINT_STEP

REOPEN_GRACE_DAYS = 3
COMMENT_MAX = 5000
OVERALL_COMMENT_MAX = 10000


class SheetIncompleteError(EvaluationError):
    """A submission refused because criteria have no points; ``criteria`` lists them."""

    def __init__(self, criteria: list[Criterion]):
        self.criteria = criteria
        super().__init__(
            ngettext(
                "The sheet was not submitted: %(n)s criterion has no points yet.",
                "The sheet was not submitted: %(n)s criteria have no points yet.",
                len(criteria),
            )
            % {"n": len(criteria)}
        )


def _lock(sheet: ScoreSheet) -> ScoreSheet:
    """Lock the sheet row, then read it with its assignment and round.

    Two statements on purpose: on PostgreSQL a ``SELECT … FOR UPDATE`` that waited for a lock
    returns the joined rows as they were when it started, so a save that waited for
    ``round_finalise`` (which locks every sheet of the round) would still see the round
    open. The read after the lock sees the committed state.
    """
    ScoreSheet.objects.select_for_update().filter(pk=sheet.pk).values_list("pk").get()
    return ScoreSheet.objects.select_related(
        "assignment__round__scope_unit", "assignment__entry__dvk_model", "assignment__reviewer"
    ).get(pk=sheet.pk)


def _ensure_editable(sheet: ScoreSheet, user: User) -> None:
    refusal = sheet_edit_refusal(sheet=sheet, user=user)
    if refusal:
        raise EvaluationError(refusal)


def clean_points(value, *, max_points: Decimal) -> Decimal | None:
    """Points from a form value ("7,5" and "7.5" alike; empty: None), checked against a
    criterion: 0 to max in steps of 0.5.

    Raises ``EvaluationError`` on ``points`` with the message to show next to the field.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        points = parse_decimal(value)
    except ValueError:
        raise EvaluationError(
            _("Enter a number of points, e.g. 12 or 12.5."), field="points"
        ) from None
    if points < 0 or points > max_points:
        raise EvaluationError(
            _("Points must be between 0 and %(max)s.") % {"max": format_points(max_points)},
            field="points",
        )
    if not is_multiple(points, POINT_STEP):
        raise EvaluationError(_("Points go in steps of 0.5."), field="points")
    return points


@transaction.atomic
def sheet_save_score(
    *, sheet: ScoreSheet, criterion: Criterion, points, comment: str = "", by: User
) -> CriterionScore:
    """Save one criterion's points and comment (the htmx autosave); empty points clear it.

    Upserts the one ``CriterionScore`` row of (sheet, criterion): concurrent saves of other
    criteria are untouched; of the same criterion, the later wins without an error. Moves a
    pending sheet to in progress. Writes no activity row, and a history row of the score
    only on a sheet that was reopened (see below); the score's ``sheet`` is the locked,
    current sheet. Raises ``EvaluationError`` with ``field`` ``points`` (not
    a number, outside 0..max, not a step of 0.5), ``comment`` or ``criterion`` (not on this
    sheet's rubric), and without a field when ``by`` is not the assignee, the sheet is
    submitted, the round is not open or today is outside the scoring window.
    """
    locked = _lock(sheet)
    _ensure_editable(locked, by)
    entry = locked.assignment.entry
    if criterion.rubric_id != locked.assignment.round.rubric_id_for(entry.dvk_model.kind):
        raise EvaluationError(_("This criterion is not on this score sheet."), field="criterion")
    cleaned = clean_points(points, max_points=criterion.max_points)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise EvaluationError(
            _("Please keep the comment under %(max)d characters.") % {"max": COMMENT_MAX},
            field="comment",
        )
    # The sheet's row lock serialises every write to its scores, so a plain read then
    # save cannot race another save of the same criterion (no second lock, no savepoint).
    score = CriterionScore.objects.filter(sheet=locked, criterion=criterion).first()
    score = score or CriterionScore(sheet=locked, criterion=criterion)
    score.sheet, score.points, score.comment = locked, cleaned, comment
    if locked.reopened_at is None:
        # A draft nobody else has seen is not history: the score's history (simple-history)
        # starts when a submitted sheet is reopened (``sheet_reopen`` records the submitted
        # points), where a change replaces points that counted. A save is an edit, not a
        # transition: no activity row either. (simple-history tests the attribute's presence.)
        score.skip_history_when_saving = True
    score.save()
    if locked.status == SheetStatus.PENDING:
        locked.status = SheetStatus.IN_PROGRESS
        locked.save(update_fields=["status", "updated_at"])
    return score


@transaction.atomic
def sheet_save_overall(
    *, sheet: ScoreSheet, overall_comment: str, version: int, by: User
) -> ScoreSheet:
    """Save the sheet's overall comment (the htmx autosave and its Save button); refuses a
    form opened before another save of it.

    Raises ``StaleEditError`` on a stale ``version``, ``EvaluationError`` as
    ``sheet_save_score`` does (``field`` ``overall_comment`` when it is too long).
    """
    locked = _lock(sheet)
    _ensure_editable(locked, by)
    text = _clean_overall(overall_comment)
    claim_version(ScoreSheet, locked.pk, version)
    locked.overall_comment = text
    locked.version = version + 1
    if locked.status == SheetStatus.PENDING:
        locked.status = SheetStatus.IN_PROGRESS
    locked.save(update_fields=["overall_comment", "version", "status", "updated_at"])
    return locked


def _clean_overall(overall_comment: str | None) -> str:
    text = (overall_comment or "").strip()
    if len(text) > OVERALL_COMMENT_MAX:
        raise EvaluationError(
            _("Please keep the comment under %(max)d characters.") % {"max": OVERALL_COMMENT_MAX},
            field="overall_comment",
        )
    return text


def sheet_missing_criteria(*, sheet: ScoreSheet) -> list[Criterion]:
    """Criteria of the sheet's rubric without points yet (one query)."""
    rubric_id = sheet.assignment.round.rubric_id_for(sheet.assignment.entry.dvk_model.kind)
    scored = CriterionScore.objects.filter(
        sheet=sheet, criterion=OuterRef("pk"), points__isnull=False
    )
    return list(
        Criterion.objects.filter(rubric_id=rubric_id)
        .filter(~Exists(scored))
        .order_by("position", "pk")
    )


@transaction.atomic
def sheet_submit(
    *,
    sheet: ScoreSheet,
    by: User,
    overall_comment: str | None = None,
    version: int | None = None,
) -> ScoreSheet:
    """Submit a fully scored sheet with its overall comment: the total is summed in SQL,
    the comment saved in the same transaction, and the sheet locks.

    ``overall_comment`` (None: leave it as it is) is what the submit form carries, so a
    comment typed and not yet saved is not lost. ``version`` is the sheet's version when
    that form was last saved: a comment that differs from the stored one is refused as
    stale when the sheet changed since (another tab), while the same text — an autosave
    that landed just before — is no conflict. Idempotent for a sheet already submitted by
    ``by`` (a double click submits once). Writes one activity row.

    Raises ``SheetIncompleteError`` listing the criteria without points, ``StaleEditError``,
    and ``EvaluationError`` as ``sheet_save_score`` does; nothing is saved on a refusal.
    """
    locked = _lock(sheet)
    if locked.status == SheetStatus.SUBMITTED and locked.assignment.reviewer_id == by.pk:
        return locked
    _ensure_editable(locked, by)
    fields = ["total", "status", "submitted_at", "version", "updated_at"]
    if overall_comment is not None:
        text = _clean_overall(overall_comment)
        if text != locked.overall_comment:
            if version is not None and version != locked.version:
                raise StaleEditError()
            locked.overall_comment = text
            fields.append("overall_comment")
    missing = sheet_missing_criteria(sheet=locked)
    if missing:
        raise SheetIncompleteError(missing)
    rubric_id = locked.assignment.round.rubric_id_for(locked.assignment.entry.dvk_model.kind)
    locked.total = CriterionScore.objects.filter(
        sheet=locked, criterion__rubric_id=rubric_id
    ).aggregate(total=Sum("points"))["total"]
    locked.status = SheetStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.version += 1  # the row is locked: a plain increment is safe
    locked.save(update_fields=fields)
    log_action(
        locked,
        "evaluation.scoresheet.submit",
        actor=by,
        data={"total": str(locked.total)},
        unit=locked.assignment.round.scope_unit,
    )
    return locked


@transaction.atomic
def sheet_reopen(
    *, sheet: ScoreSheet, by: User, reason: str, until: datetime.date | None = None
) -> ScoreSheet:
    """The secretariat reopens a submitted sheet so that its reviewer can change it.

    Records who, when and why; the history keeps the submitted points (one row per
    criterion, written here) and every later change. ``until`` is the last day it may change; after the scoring window it defaults
    to ``REOPEN_GRACE_DAYS`` from today. Writes one activity row. Raises
    ``EvaluationError`` with ``field`` ``reason`` or ``until``, and without a field when the
    sheet is not submitted or the round finalised.
    """
    reason = (reason or "").strip()
    if not reason:
        raise EvaluationError(_("Please give the reason for reopening the sheet."), field="reason")
    locked = _lock(sheet)
    ensure_not_finalised(locked.assignment.round)
    if locked.status != SheetStatus.SUBMITTED:
        raise EvaluationError(_("Only a submitted sheet can be reopened."))
    if until is not None and until < today():
        raise EvaluationError(_("The day cannot be in the past."), field="until")
    if until is None and today() > locked.assignment.round.scoring_closes:
        until = today() + datetime.timedelta(days=REOPEN_GRACE_DAYS)
    locked.status = SheetStatus.IN_PROGRESS
    locked.total = None
    locked.reopened_at = timezone.now()
    locked.reopened_by = by
    locked.reopen_reason = reason
    locked.reopened_until = until
    locked.version += 1  # the row is locked: a plain increment is safe
    locked._change_reason = reason[:100]  # simple-history's reason column
    locked.save(
        update_fields=[
            "status",
            "total",
            "reopened_at",
            "reopened_by",
            "reopen_reason",
            "reopened_until",
            "version",
            "updated_at",
        ]
    )
    # The submitted points, before they may change (drafts write no history of their own).
    CriterionScore.history.bulk_history_create(
        list(locked.scores.all()), default_user=by, default_change_reason=reason[:100]
    )
    log_action(
        locked,
        "evaluation.scoresheet.reopen",
        actor=by,
        data={"reason": reason, "until": until.isoformat() if until else None},
        unit=locked.assignment.round.scope_unit,
    )
    return locked
