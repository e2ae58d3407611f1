"""Finalisation and what follows from the results: the exemplary selection, the lock,
nominations to a higher round.

Finalising writes one immutable ``Result`` per entry from the live aggregation, with the
policy in force; after that only the exemplary selection (until the results are locked) and
the nominations change.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danvan.activity import log_action
from danvan.models import User

from ..enums import ConflictStatus, RoundStatus, SheetStatus
from ..models import Assignment, Result, Round, RoundEntry, ScoreSheet
from ..selectors import entry_results
from .base import EvaluationError, lock_round
from .rounds import _log

# --- Finalisation -------------------------------------------------------------------------


def _pending_conflicts(round_: Round) -> int:
    return Assignment.objects.filter(round=round_, conflict_status=ConflictStatus.DECLARED).count()


@transaction.atomic
def round_finalise(*, round: Round, by: User, force: bool = False) -> Round:
    """Freeze the round's results: one ``Result`` per entry, then status finalised.

    Each result copies the live result of ``selectors.aggregation.entry_results`` (sheet
    count, raw, calibrated and used score, range, deviation, tier, rank) and the policy in
    force (aggregation, rank by), which the results page and export read from then on;
    ``recognised`` is a tier above the lowest, ``exemplary`` is pre-selected for the top
    tier. Refuses (``EvaluationError``) a round that is not open — a finalised round cannot
    be finalised again —, a round with conflicts of interest declared but not decided
    (their sheets would be frozen in and the conflicts could never be decided), and a round
    with sheets not submitted unless ``force`` (they are then left out for good). One
    activity row.
    """
    round_ = lock_round(round)
    if round_.status == RoundStatus.FINALISED:
        raise EvaluationError(_("This round has already been finalised."))
    if round_.status != RoundStatus.OPEN:
        raise EvaluationError(_("Only an open round can be finalised."))
    # Wait for saves in flight and hold off new ones until the snapshot is committed: each
    # sheet service locks its sheet row first, then finds the round finalised.
    list(
        ScoreSheet.objects.select_for_update(of=("self",))
        .filter(assignment__round=round_)
        .values_list("pk", flat=True)
    )
    conflicts = _pending_conflicts(round_)
    if conflicts:
        raise EvaluationError(
            ngettext(
                "%(count)d conflict of interest is declared but not decided. Decide it on the "
                "assignment page before finalising.",
                "%(count)d conflicts of interest are declared but not decided. Decide them on "
                "the assignment page before finalising.",
                conflicts,
            )
            % {"count": conflicts}
        )
    unfinished = (
        ScoreSheet.objects.filter(assignment__in=Assignment.objects.active().filter(round=round_))
        .exclude(status=SheetStatus.SUBMITTED)
        .count()
    )
    if unfinished and not force:
        raise EvaluationError(
            ngettext(
                "%(count)d score sheet is not submitted yet. Wait for it, or finalise without it.",
                "%(count)d score sheets are not submitted yet. Wait for them, or finalise "
                "without them.",
                unfinished,
            )
            % {"count": unfinished}
        )
    rows = entry_results(round=round_)
    Result.objects.bulk_create(
        Result(
            round=round_,
            entry_id=row.entry_id,
            dvk_model=row.dvk_model,
            sheet_count=row.sheet_count,
            raw_score=row.raw_score,
            calibrated_score=row.calibrated_score,
            score_used=row.score_used,
            min_score=row.min_score,
            max_score=row.max_score,
            stddev=row.stddev,
            disagreement=row.disagreement,
            tier_name=row.tier.name if row.tier else "",
            raw_tier_name=row.raw_tier.name if row.raw_tier else "",
            rank=row.rank,
            aggregation=round_.aggregation,
            rank_by=round_.rank_by,
            recognised=row.recognised,
            exemplary=row.in_top_tier,
        )
        for row in rows
    )
    round_.status = RoundStatus.FINALISED
    round_.finalised_at = timezone.now()
    round_.finalised_by = by
    round_.save(update_fields=["status", "finalised_at", "finalised_by"])
    _log(round_, "finalise", by, results=len(rows), unfinished_left_out=unfinished)
    return round_


@transaction.atomic
def round_lock_results(*, round: Round, by: User) -> Round:
    """Close the exemplary selection of a finalised round (when a report or an award
    decision uses the results). Idempotent."""
    round_ = lock_round(round)
    if round_.status != RoundStatus.FINALISED:
        raise EvaluationError(_("Only the results of a finalised round can be locked."))
    if round_.results_locked_at is None:
        round_.results_locked_at = timezone.now()
        round_.save(update_fields=["results_locked_at"])
    return round_


@transaction.atomic
def result_set_exemplary(*, result: Result, exemplary: bool, by: User) -> Result:
    """Mark a recognised result as "tiêu biểu" (exemplary) or not — the only change a
    result accepts. Raises ``EvaluationError`` once the results are locked or for a model
    that was not recognised. One activity row."""
    round_ = lock_round(result.round)
    if round_.results_locked_at is not None:
        raise EvaluationError(
            _("These results are already used by a report or a decision and can no longer change.")
        )
    locked = Result.objects.select_for_update().get(pk=result.pk)
    if exemplary and not locked.recognised:
        raise EvaluationError(_("Only a recognised model can be marked as exemplary."))
    locked.exemplary = exemplary
    locked.exemplary_set_by = by
    locked.exemplary_set_at = timezone.now()
    locked.save(update_fields=["exemplary", "exemplary_set_by", "exemplary_set_at"])
    log_action(
        locked,
        "evaluation.result.exemplary",
        actor=by,
        data={"exemplary": exemplary},
        unit=round_.scope_unit,
    )
    return locked


@transaction.atomic
def round_nominate(*, result: Result, by: User, nominated: bool = True) -> RoundEntry:
    """Nominate a finalised result's model to the higher round (or withdraw it).

    Who may, and from which rounds (not the provincial round: nothing is above it), is the
    rule ``evaluation.nominate_result``. Raises ``EvaluationError`` for a model that was not
    recognised, or when withdrawing a nomination a higher round has already taken. One
    activity row.
    """
    entry = RoundEntry.objects.select_for_update().get(pk=result.entry_id)
    if result.round.status != RoundStatus.FINALISED:
        raise EvaluationError(_("Only models of a finalised round can be nominated."))
    if nominated and not result.recognised:
        raise EvaluationError(_("Only a recognised model can be nominated."))
    if not nominated and RoundEntry.objects.filter(source_entry=entry).exists():
        raise EvaluationError(_("A higher round has already taken this model."))
    entry.nominated = nominated
    entry.nominated_at = timezone.now() if nominated else None
    entry.nominated_by = by if nominated else None
    entry.save(update_fields=["nominated", "nominated_at", "nominated_by"])
    log_action(
        result,
        "evaluation.result.nominate",
        actor=by,
        data={"nominated": nominated},
        unit=result.round.scope_unit,
    )
    return entry
