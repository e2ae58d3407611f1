"""Who may do what in the evaluation stage.

* The secretariat manages rubrics, committees, rounds, assignments and results of the units
  in its scope (a provincial commission: the province and every commune round in it).
* A committee member sees only their own assignments and scores only their own sheet,
  while the round is open, inside the scoring window, until they submit.
* Units see only the finalised ``Result`` of their own models — never a sheet or a
  reviewer's name.
* Leaders read rounds and finalised results in their scope.

Objects outside a user's scope answer 404 in the views (the selectors filter them out).
"""

import rules
from django.db.models import Exists, OuterRef, Q

from danvan.enums import UnitKind
from danvan.rules import is_admin, is_leader, is_secretariat, unit_in_scope_of

from .enums import ConflictStatus, RoundStatus, SheetStatus
from .models import (
    Assignment,
    Committee,
    CommitteeMember,
    Result,
    Round,
    RoundEntry,
    Rubric,
    ScoreSheet,
)
from .policy import READABLE_ROUND_STATUSES


def _round_of(obj) -> Round | None:
    if isinstance(obj, Round):
        return obj
    if isinstance(obj, RoundEntry | Assignment | Result):
        return obj.round
    if isinstance(obj, ScoreSheet):
        return obj.assignment.round
    return None


def _assignment_of(obj) -> Assignment | None:
    if isinstance(obj, Assignment):
        return obj
    if isinstance(obj, ScoreSheet):
        return obj.assignment
    return None


def _scope_unit_of(obj):
    """The unit whose subtree decides who manages ``obj``."""
    if isinstance(obj, Rubric):
        return obj.organiser
    if isinstance(obj, Committee):
        return obj.unit
    if isinstance(obj, CommitteeMember):
        return obj.committee.unit
    round_ = _round_of(obj)
    return round_.scope_unit if round_ is not None else None


@rules.predicate
def object_in_scope(user, obj):
    if obj is None or not user.is_authenticated:
        return False
    return unit_in_scope_of(user, _scope_unit_of(obj))


@rules.predicate
def is_assignee(user, obj):
    """The user is the active reviewer of this assignment or sheet."""
    assignment = _assignment_of(obj)
    return assignment is not None and assignment.reviewer_id == user.pk and assignment.is_active


@rules.predicate
def reviews_in_round(user, obj):
    """The user has an active assignment in the object's round."""
    round_ = _round_of(obj)
    if round_ is None or not user.is_authenticated:
        return False
    return Assignment.objects.active().filter(round=round_, reviewer=user).exists()


def is_reviewer_expression():
    """The same as ``is_reviewer`` over a user row: the site's authentication backend
    loads it with the signed-in user (``danvan.extensions.register_user_fact``)."""
    return Exists(CommitteeMember.objects.filter(user=OuterRef("pk"), active=True))


@rules.predicate
def is_reviewer(user):
    """An active member of any committee (membership, not a group, makes a reviewer);
    asked on every page (the menu), so read once per user object."""
    return user.is_authenticated and user.fact(
        "is_reviewer", CommitteeMember.objects.filter(user=user, active=True).exists
    )


@rules.predicate
def round_is_readable(user, obj):
    """A reviewer reads what they were assigned only while the round is open or finalised."""
    round_ = _round_of(obj)
    return round_ is not None and round_.status in READABLE_ROUND_STATUSES


@rules.predicate
def round_is_draft(user, obj):
    round_ = _round_of(obj)
    return round_ is not None and round_.status == RoundStatus.DRAFT


@rules.predicate
def round_is_open(user, obj):
    round_ = _round_of(obj)
    return round_ is not None and round_.status == RoundStatus.OPEN


@rules.predicate
def round_is_finalised(user, obj):
    round_ = _round_of(obj)
    return round_ is not None and round_.status == RoundStatus.FINALISED


@rules.predicate
def results_unlocked(user, obj):
    round_ = _round_of(obj)
    return round_ is not None and round_.results_locked_at is None


@rules.predicate
def sheet_is_submitted(user, sheet):
    return isinstance(sheet, ScoreSheet) and sheet.status == SheetStatus.SUBMITTED


@rules.predicate
def conflict_is_none(user, assignment):
    return isinstance(assignment, Assignment) and assignment.conflict_status == ConflictStatus.NONE


@rules.predicate
def rubric_is_editable(user, rubric):
    from .selectors import rubric_is_frozen

    return isinstance(rubric, Rubric) and not rubric_is_frozen(rubric=rubric)


@rules.predicate
def round_sends_nominations(user, obj):
    """A commune's round nominates to the provincial round; the provincial round, to none."""
    round_ = _round_of(obj)
    return round_ is not None and round_.scope_unit.kind != UnitKind.PROVINCE


@rules.predicate
def result_is_recognised(user, result):
    return isinstance(result, Result) and result.recognised


is_manager = is_admin | (is_secretariat & object_in_scope)
can_manage = is_admin | is_secretariat

# Rubrics and committees.
rules.add_perm("evaluation.manage_rubrics", can_manage)
rules.add_perm("evaluation.view_rubric", is_manager | (is_leader & object_in_scope))
rules.add_perm("evaluation.change_rubric", is_manager & rubric_is_editable)
rules.add_perm("evaluation.version_rubric", is_manager)
rules.add_perm("evaluation.manage_committees", can_manage)
rules.add_perm("evaluation.change_committee", is_manager)
# Rounds, entries and assignments.
rules.add_perm("evaluation.manage_rounds", can_manage)
# Leaders read the list of rounds to reach finalised results (never assignments).
rules.add_perm("evaluation.list_rounds", can_manage | is_leader)
rules.add_perm(
    "evaluation.view_round", is_manager | (is_leader & object_in_scope) | reviews_in_round
)
rules.add_perm("evaluation.change_round", is_manager & ~round_is_finalised)
rules.add_perm("evaluation.open_round", is_manager & round_is_draft)
rules.add_perm("evaluation.assign_round", is_manager & ~round_is_finalised)
# Who scores what names the reviewers: the secretariat only, not leaders.
rules.add_perm("evaluation.view_assignments", is_manager)
rules.add_perm("evaluation.finalise_round", is_manager & round_is_open)
# Live results name reviewers (per-reviewer statistics): the secretariat only.
rules.add_perm("evaluation.view_live_results", is_manager)
# Scoring.
rules.add_perm("evaluation.review", is_reviewer)
rules.add_perm("evaluation.view_sheet", (is_assignee & round_is_readable) | is_manager)
rules.add_perm("evaluation.reopen_sheet", is_manager & sheet_is_submitted & ~round_is_finalised)
rules.add_perm("evaluation.declare_conflict", is_assignee & conflict_is_none & ~round_is_finalised)
# Finalised results (Result rows carry no reviewer).
rules.add_perm(
    "evaluation.view_results", (is_manager | (is_leader & object_in_scope)) & round_is_finalised
)
rules.add_perm("evaluation.set_exemplary", is_manager & round_is_finalised & results_unlocked)
# Nominations go up to a higher round: the provincial round has none above it. The page
# shows the nomination column by ``nominate_from_round`` and the POST checks
# ``nominate_result`` — one predicate chain feeds both.
can_nominate_from = is_manager & round_is_finalised & round_sends_nominations
rules.add_perm("evaluation.nominate_from_round", can_nominate_from)
rules.add_perm("evaluation.nominate_result", can_nominate_from & result_is_recognised)


# A reviewer reads the registration and downloads the evidence of the models they score,
# while the round is open or finalised. ``models_registry`` cannot import this app (imports
# flow down), so both halves are registered as a reader in ``danvan.extensions`` (see
# ``evaluation.extensions``): the predicate feeds the rule, the Q feeds the selector. The
# sheet follows the same rule (``view_sheet``, ``selectors.sheets_visible_to``).


def reviews_model_q(user):
    """Models with an active assignment of ``user`` in an open or finalised round."""
    if not user.is_authenticated:
        return None
    return Q(
        pk__in=Assignment.objects.active()
        .filter(reviewer=user, round__status__in=READABLE_ROUND_STATUSES)
        .values("entry__dvk_model_id")
    )


@rules.predicate
def reviews_model(user, dvk_model):
    if dvk_model is None or not user.is_authenticated:
        return False
    return (
        Assignment.objects.active()
        .filter(
            reviewer=user, entry__dvk_model=dvk_model, round__status__in=READABLE_ROUND_STATUSES
        )
        .exists()
    )
