"""Who scores what: manual and automatic assignment, conflicts of interest, notifications.

Eligibility (``evaluation.eligibility``) is computed for the whole round from a fixed number
of queries, never per pair; the balancing (``evaluation.balancing``) is a pure function.
Every new assignment comes with its pending score sheet; the reviewer is notified (with a
link to the sheet) from the batch's activity row. Assignment, population and transitions of
a round serialise on the round's row lock.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from danvan.activity import log_action
from danvan.models import User

from .. import balancing
from ..eligibility import Panel
from ..enums import ConflictStatus, SheetStatus
from ..models import Assignment, Round, RoundEntry, ScoreSheet
from .base import EvaluationError, ensure_not_finalised, lock_round


def _create(round_: Round, pairs: list[tuple[int, int]], by: User) -> list[Assignment]:
    """Insert assignments with their pending sheets. The reviewers hear of them through the
    activity row the caller writes (``evaluation.notifications``: kind "assigned")."""
    if not pairs:
        return []
    created = Assignment.objects.bulk_create(
        Assignment(round=round_, entry_id=entry_id, reviewer_id=reviewer_id, assigned_by=by)
        for entry_id, reviewer_id in pairs
    )
    bulk_create_with_history(
        [ScoreSheet(assignment=a) for a in created], ScoreSheet, default_user=by
    )
    return created


# --- Manual assignment --------------------------------------------------------------------


@dataclass(frozen=True)
class BulkAssignment:
    created: list[Assignment]
    refused: list[tuple[RoundEntry, User, str]]  # each pair refused, with the reason


@transaction.atomic
def assignments_add_bulk(
    *, round: Round, entries: list[RoundEntry], reviewers: list[User], by: User
) -> BulkAssignment:
    """Assign every reviewer of ``reviewers`` to every entry of ``entries`` that they may
    take (per model: one entry and many reviewers; per reviewer: the reverse).

    Pairs that are refused are reported with the reason, the others are created (with
    their sheets; the reviewers are notified). One activity row. Raises ``EvaluationError`` when the round
    is finalised or an entry belongs to another round.
    """
    round_ = lock_round(round)
    ensure_not_finalised(round_)
    if any(entry.round_id != round_.pk for entry in entries):
        raise EvaluationError(_("This model is not an entry of this round."))
    panel = Panel.load(round_, entry_ids=[e.pk for e in entries])
    pairs, refused = [], []
    for entry in entries:
        for reviewer in reviewers:
            reason = panel.refusal(entry.pk, reviewer)
            if reason:
                refused.append((entry, reviewer, reason))
            else:
                pairs.append((entry.pk, reviewer.pk))
                panel.on_entry[entry.pk][reviewer.pk] = ConflictStatus.NONE
    created = _create(round_, pairs, by)
    log_action(
        round_,
        "evaluation.round.assign",
        actor=by,
        data={"assignments": [a.pk for a in created], "refused": len(refused)},
        unit=round_.scope_unit,
    )
    return BulkAssignment(created=created, refused=refused)


def assignment_add(*, entry: RoundEntry, reviewer: User, by: User) -> Assignment:
    """Assign ``reviewer`` to score ``entry``, with a pending sheet and a notification.

    Raises ``EvaluationError`` when the reviewer is not an active member of the round's
    committee, works in the model's unit or a unit above or below it, is already assigned
    (or had a conflict approved), or the round is finalised.
    """
    result = assignments_add_bulk(round=entry.round, entries=[entry], reviewers=[reviewer], by=by)
    if result.refused:
        raise EvaluationError(result.refused[0][2])
    return result.created[0]


@transaction.atomic
def assignment_remove(*, assignment: Assignment, by: User) -> None:
    """Take a reviewer off an entry before they have scored anything (sheet deleted).

    Raises ``EvaluationError`` once the sheet has a score or the round is finalised.
    """
    round_ = lock_round(assignment.round)
    ensure_not_finalised(round_)
    sheet = ScoreSheet.objects.filter(assignment=assignment).first()
    if sheet is not None and (sheet.status != SheetStatus.PENDING or sheet.scores.exists()):
        raise EvaluationError(
            _("This reviewer has already started scoring the model: the assignment stays.")
        )
    assignment.delete()


# --- Automatic assignment -----------------------------------------------------------------


@dataclass(frozen=True)
class AutoAssignment:
    created: list[Assignment]
    uncovered: list[tuple[RoundEntry, int]]  # entries still short of reviewers, and by how many
    loads: dict[int, int]  # reviewer id -> active assignments in the round after the run


@transaction.atomic
def assignments_auto(*, round: Round, by: User) -> AutoAssignment:
    """Give every entry ``reviewers_per_model`` active, conflict-free reviewers.

    Existing assignments count and stay; reviewers' loads end as even as the conflicts
    allow (see ``evaluation.balancing``), and among equally loaded reviewers those who
    follow the model's locality are preferred. Idempotent: a second run creates nothing.
    Entries without enough eligible reviewers are reported in ``uncovered``. Queries do not
    grow with the number of entries or reviewers. Raises ``EvaluationError`` when the round
    is finalised. One activity row.
    """
    round_ = lock_round(round)
    ensure_not_finalised(round_)
    panel = Panel.load(round_)
    needed = {
        e: round_.reviewers_per_model - panel.active_count(e)
        for e in panel.entry_units
        if panel.active_count(e) < round_.reviewers_per_model
    }
    plan = balancing.plan_assignments(
        reviewers=panel.reviewer_units,
        loads=panel.loads(),
        needed=needed,
        eligible={e: panel.eligible(e) for e in needed},
        preferred={e: panel.follows(e) for e in needed},
    )
    created = _create(round_, plan.new, by)
    log_action(
        round_,
        "evaluation.round.assign_auto",
        actor=by,
        data={"assignments": [a.pk for a in created], "uncovered": len(plan.uncovered)},
        unit=round_.scope_unit,
    )
    short = RoundEntry.objects.filter(pk__in=list(plan.uncovered)).select_related(
        "dvk_model", "dvk_model__unit"
    )
    return AutoAssignment(
        created=created,
        uncovered=[(entry, plan.uncovered[entry.pk]) for entry in short],
        loads=plan.loads,
    )


# --- Conflicts of interest ----------------------------------------------------------------


@transaction.atomic
def assignment_declare_conflict(*, assignment: Assignment, by: User, reason: str) -> Assignment:
    """The assigned reviewer declares a conflict of interest, for the secretariat to decide.

    Raises ``EvaluationError`` (on ``reason`` when empty), when ``by`` is not the reviewer, a conflict was already declared, or the round is finalised. Writes
    one activity row.
    """
    reason = (reason or "").strip()
    if not reason:
        raise EvaluationError(_("Please explain the conflict of interest."), field="reason")
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("round__scope_unit")
        .get(pk=assignment.pk)
    )
    if locked.reviewer_id != by.pk:
        raise EvaluationError(_("Only the assigned reviewer can declare a conflict of interest."))
    ensure_not_finalised(locked.round)
    if locked.conflict_status != ConflictStatus.NONE:
        raise EvaluationError(_("A conflict of interest has already been declared here."))
    locked.conflict_status = ConflictStatus.DECLARED
    locked.conflict_reason = reason
    locked.conflict_declared_at = timezone.now()
    locked.save(update_fields=["conflict_status", "conflict_reason", "conflict_declared_at"])
    log_action(
        locked,
        "evaluation.assignment.declare_conflict",
        actor=by,
        data={"reason": reason},
        unit=locked.round.scope_unit,
    )
    return locked


@dataclass(frozen=True)
class ConflictResolution:
    assignment: Assignment
    replacement: Assignment | None  # the reviewer who took over, when approved and possible


@transaction.atomic
def assignment_resolve_conflict(
    *, assignment: Assignment, by: User, approve: bool
) -> ConflictResolution:
    """The secretariat approves or rejects a declared conflict.

    Approving takes the reviewer off the entry: their sheet is deleted unless submitted
    (a submitted sheet stays on record but no longer counts; its history keeps the values)
    and the entry is reassigned at once to the least-loaded eligible reviewer, if any.
    Rejecting leaves the assignment as it was. Raises ``EvaluationError`` when no conflict
    is pending or the round is finalised. One activity row (approve or reject).
    """
    round_ = lock_round(assignment.round)
    ensure_not_finalised(round_)
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.conflict_status != ConflictStatus.DECLARED:
        raise EvaluationError(_("There is no pending conflict of interest to decide here."))
    locked.conflict_status = ConflictStatus.APPROVED if approve else ConflictStatus.REJECTED
    locked.conflict_resolved_by = by
    locked.conflict_resolved_at = timezone.now()
    locked.save(update_fields=["conflict_status", "conflict_resolved_by", "conflict_resolved_at"])
    replacement = None
    if approve:
        ScoreSheet.objects.filter(assignment=locked).exclude(status=SheetStatus.SUBMITTED).delete()
        panel = Panel.load(round_, entry_ids=[locked.entry_id])
        missing = round_.reviewers_per_model - panel.active_count(locked.entry_id)
        if missing > 0:
            plan = balancing.plan_assignments(
                reviewers=panel.reviewer_units,
                loads=panel.loads(),
                needed={locked.entry_id: missing},
                eligible={locked.entry_id: panel.eligible(locked.entry_id)},
                preferred={locked.entry_id: panel.follows(locked.entry_id)},
            )
            created = _create(round_, plan.new, by)
            replacement = created[0] if created else None
    log_action(
        locked,
        f"evaluation.assignment.conflict_{'approve' if approve else 'reject'}",
        actor=by,
        data={"replacement": replacement.pk if replacement else None},
        unit=round_.scope_unit,
    )
    return ConflictResolution(assignment=locked, replacement=replacement)
