"""Rounds: setting up, entries, opening, finalising, and what follows from the results.

A round moves draft → open → finalised, only through ``round_open`` and ``round_finalise``.
Finalising writes one immutable ``Result`` per entry from ``evaluation.aggregation``; after
that only the exemplary selection (until the results are locked) and the nominations to a
higher round change.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danvan.models import Unit, User
from models_registry.enums import ModelStatus, ReportStatus
from models_registry.models import Campaign, DvkModel

from .. import aggregation
from ..eligibility import tree_paths
from ..enums import ConflictStatus, RoundStatus, RubricAppliesTo, SheetStatus
from ..models import Result, Round, RoundEntry, ScoreSheet
from .base import EvaluationError, ensure_not_finalised, lock_round
from .rubrics import rubric_validate

ROUND_FIELDS = [
    "name",
    "rubric_collective",
    "rubric_individual",
    "admit_collective_models",
    "admit_collective_exemplars",
    "admit_individual_exemplars",
    "require_result_report",
    "reviewers_per_model",
    "scoring_opens",
    "scoring_closes",
    "visibility",
    "aggregation",
    "rank_by",
]
# What may still change once scoring has started (the rest would change what is scored).
OPEN_ROUND_FIELDS = [
    "name",
    "reviewers_per_model",
    "scoring_opens",
    "scoring_closes",
    "visibility",
    "aggregation",
    "rank_by",
]


def _validate_round(round_: Round, nominated_from: list[Round] | None) -> None:
    """Check a round's settings against its campaign, scope and rubrics (few queries)."""
    try:
        round_.full_clean(exclude=["campaign", "scope_unit", "created_by", "nominated_from"])
    except ValidationError as error:
        errors = dict(error.message_dict)
    else:
        errors = {}
    if not (round_.name or "").strip():
        errors["name"] = [_("Please give the round a name.")]
    rubrics = [round_.rubric_collective, round_.rubric_individual]
    paths = tree_paths(
        [
            round_.scope_unit_id,
            round_.campaign.organiser_id,
            *(r.organiser_id for r in rubrics if r is not None),
            *(r.scope_unit_id for r in nominated_from or []),
        ]
    )
    scope_path = paths.get(round_.scope_unit_id, [])
    if round_.campaign.organiser_id not in scope_path:
        errors.setdefault("scope_unit", []).append(
            _("The round must be run by the campaign's organiser or a unit below it.")
        )
    if not round_.model_kinds:
        errors.setdefault("admit_collective_models", []).append(
            _("Choose at least one kind of model for this round.")
        )
    wanted = {
        "rubric_collective": (
            RubricAppliesTo.COLLECTIVE,
            round_.admit_collective_models or round_.admit_collective_exemplars,
        ),
        "rubric_individual": (RubricAppliesTo.INDIVIDUAL, round_.admit_individual_exemplars),
    }
    for name, (applies_to, needed) in wanted.items():
        rubric = getattr(round_, name)
        if rubric is None:
            if needed:
                errors.setdefault(name, []).append(_("Choose the rubric for these models."))
            continue
        if rubric.applies_to != applies_to:
            errors.setdefault(name, []).append(
                _("This rubric is for %(kind)s.") % {"kind": rubric.get_applies_to_display()}
            )
        if rubric.campaign_id and rubric.campaign_id != round_.campaign_id:
            errors.setdefault(name, []).append(_("This rubric belongs to another campaign."))
        if rubric.organiser_id not in scope_path:
            errors.setdefault(name, []).append(
                _("This rubric belongs to a unit that does not run this round.")
            )
    for source in nominated_from or []:
        if (
            source.pk == round_.pk
            or source.campaign_id != round_.campaign_id
            or round_.scope_unit_id not in paths.get(source.scope_unit_id, [])
            or source.scope_unit_id == round_.scope_unit_id
        ):
            errors.setdefault("nominated_from", []).append(
                _("“%(round)s” is not a lower round of the same campaign.") % {"round": source}
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def round_create(
    *,
    campaign: Campaign,
    scope_unit: Unit,
    by: User,
    data: dict,
    nominated_from: list[Round] | None = None,
) -> Round:
    """Create a draft round of ``campaign`` run by ``scope_unit``.

    ``data`` holds the fields of ``ROUND_FIELDS``; the scoring window defaults to the
    campaign's. ``nominated_from`` names finalised lower rounds whose nominated models are
    the entries (instead of the campaign's accepted models). Raises ``ValidationError``
    keyed by field.
    """
    round_ = Round(
        campaign=campaign,
        scope_unit=scope_unit,
        created_by=by,
        scoring_opens=campaign.scoring_opens,
        scoring_closes=campaign.scoring_closes,
    )
    for name in ROUND_FIELDS:
        if name in data:
            setattr(round_, name, data[name])
    round_.name = (round_.name or "").strip()
    _validate_round(round_, nominated_from)
    round_.save()
    if nominated_from:
        round_.nominated_from.set(nominated_from)
    return round_


@transaction.atomic
def round_update(
    *, round: Round, by: User, data: dict, nominated_from: list[Round] | None = None
) -> Round:
    """Change a round's settings: all of them in draft, ``OPEN_ROUND_FIELDS`` once open.

    Raises ``EvaluationError`` for a finalised round or a setting that can no longer
    change, ``ValidationError`` keyed by field.
    """
    round_ = lock_round(round)
    ensure_not_finalised(round_)
    allowed = ROUND_FIELDS if round_.status == RoundStatus.DRAFT else OPEN_ROUND_FIELDS
    frozen = [name for name in data if name not in allowed]
    if frozen or (nominated_from is not None and round_.status != RoundStatus.DRAFT):
        raise EvaluationError(
            _("Scoring has started: the rubrics and the entry rules can no longer change.")
        )
    for name in data:
        setattr(round_, name, data[name])
    if "name" in data:
        round_.name = (round_.name or "").strip()
    sources = list(round_.nominated_from.all()) if nominated_from is None else nominated_from
    _validate_round(round_, sources)
    round_.save(update_fields=list(data))
    if nominated_from is not None:
        round_.nominated_from.set(nominated_from)
    return round_


@transaction.atomic
def round_open(*, round: Round, by: User) -> Round:
    """Open a draft round for scoring once its rubrics are complete and it has entries.

    Raises ``EvaluationError`` naming what is missing.
    """
    round_ = lock_round(round)
    if round_.status == RoundStatus.OPEN:
        return round_
    if round_.status != RoundStatus.DRAFT:
        raise EvaluationError(_("Only a round being prepared can be opened."))
    for rubric in filter(None, [round_.rubric_collective, round_.rubric_individual]):
        errors = rubric_validate(rubric=rubric)
        if errors:
            raise EvaluationError(
                _("The rubric “%(rubric)s” is not complete: %(problems)s")
                % {"rubric": rubric, "problems": " ".join(errors.messages)}
            )
    if not round_.entries.exists():
        raise EvaluationError(_("Add the models taking part before opening the round."))
    round_.status = RoundStatus.OPEN
    round_.opened_at = timezone.now()
    round_.save(update_fields=["status", "opened_at"])
    return round_


# --- Entries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Population:
    added: int
    kept: int
    not_matching: list[RoundEntry]  # existing entries the rules no longer select (kept)


def _candidates(round_: Round):
    """The models the round's entry rules select, as (model id, source entry id) pairs."""
    kinds = round_.model_kinds
    sources = list(round_.nominated_from.all())
    if sources:
        return list(
            RoundEntry.objects.filter(
                round__in=sources,
                round__status=RoundStatus.FINALISED,
                nominated=True,
                dvk_model__kind__in=kinds,
            )
            .order_by("pk")
            .values_list("dvk_model_id", "pk")
        )
    models = DvkModel.objects.filter(
        campaign=round_.campaign,
        status=ModelStatus.ACCEPTED,
        kind__in=kinds,
        unit__in=Unit.objects.descendants(round_.scope_unit_id, include_self=True).values("pk"),
    )
    if round_.require_result_report:
        models = models.filter(result_report__status=ReportStatus.SUBMITTED)
    return [(pk, None) for pk in models.order_by("pk").values_list("pk", flat=True)]


@transaction.atomic
def round_populate_entries(*, round: Round, by: User) -> Population:
    """Add the models the entry rules select and that are not entries yet (idempotent).

    Rules: accepted models of the campaign in the scope unit's subtree, of the admitted
    kinds, with a submitted result report when required — or, when the round takes
    nominations, the nominated entries of the named finalised rounds (of admitted kinds).
    Existing entries are never removed here; those the rules no longer select are reported.
    Raises ``EvaluationError`` for a finalised round.
    """
    round_ = lock_round(round)
    ensure_not_finalised(round_)
    candidates = _candidates(round_)
    wanted = {model_id for model_id, _source in candidates}
    existing = dict(RoundEntry.objects.filter(round=round_).values_list("dvk_model_id", "pk"))
    RoundEntry.objects.bulk_create(
        [
            RoundEntry(round=round_, dvk_model_id=model_id, source_entry_id=source_id)
            for model_id, source_id in candidates
            if model_id not in existing
        ],
        ignore_conflicts=True,
    )
    stale_ids = [pk for model_id, pk in existing.items() if model_id not in wanted]
    return Population(
        added=len(wanted - set(existing)),
        kept=len(existing),
        not_matching=list(
            RoundEntry.objects.filter(pk__in=stale_ids).select_related("dvk_model__unit")
        ),
    )


@transaction.atomic
def round_entry_remove(*, entry: RoundEntry, by: User) -> None:
    """Take an entry out of its round, with its assignments and empty sheets.

    Raises ``EvaluationError`` once any of its sheets has a score, or for a finalised round.
    """
    round_ = lock_round(entry.round)
    ensure_not_finalised(round_)
    if ScoreSheet.objects.filter(assignment__entry=entry, scores__isnull=False).exists():
        raise EvaluationError(_("Reviewers have already scored this model: it stays in the round."))
    entry.delete()


# --- Finalisation -------------------------------------------------------------------------


@transaction.atomic
def round_finalise(*, round: Round, by: User, force: bool = False) -> Round:
    """Freeze the round's results: one ``Result`` per entry, then status finalised.

    Each result copies the live result of ``aggregation.entry_results`` (sheet count, raw,
    calibrated and used score, range, deviation, tier, rank) and the policy in force;
    ``recognised`` is a tier above the lowest, ``exemplary`` is pre-selected for the top
    tier. Refuses while sheets are not submitted unless ``force`` (they are then left out;
    they cannot change afterwards). Idempotent for a finalised round. Raises
    ``EvaluationError`` for a round that is not open or has sheets left without ``force``.
    """
    round_ = lock_round(round)
    if round_.status == RoundStatus.FINALISED:
        return round_
    if round_.status != RoundStatus.OPEN:
        raise EvaluationError(_("Only an open round can be finalised."))
    # Wait for saves in flight and hold off new ones until the snapshot is committed: each
    # sheet service locks its sheet row first, then finds the round finalised.
    list(
        ScoreSheet.objects.select_for_update(of=("self",))
        .filter(assignment__round=round_)
        .values_list("pk", flat=True)
    )
    unfinished = (
        ScoreSheet.objects.filter(assignment__round=round_)
        .exclude(assignment__conflict_status=ConflictStatus.APPROVED)
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
    rows = aggregation.entry_results(round=round_)
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
    that was not recognised."""
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
    return locked


@transaction.atomic
def round_nominate(*, result: Result, by: User, nominated: bool = True) -> RoundEntry:
    """Nominate a finalised result's model to the higher round (or withdraw it).

    Raises ``EvaluationError`` for a model that was not recognised, or when withdrawing a
    nomination a higher round has already taken.
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
    return entry
