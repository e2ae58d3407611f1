"""Rounds: setting up, entries, opening, finalising, and what follows from the results.

A round moves draft → open → finalised, only through ``round_open`` and ``round_finalise``.
Finalising writes one immutable ``Result`` per entry from ``selectors.aggregation``; after
that only the exemplary selection (until the results are locked) and the nominations to a
higher round change.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.activity import log_action
from danvan.models import Unit, User
from danvan.selectors import subtree_pks
from models_registry.enums import ModelStatus, ReportStatus
from models_registry.models import Campaign, DvkModel

from ..eligibility import tree_paths
from ..enums import RoundStatus, RubricAppliesTo
from ..models import Round, RoundEntry, ScoreSheet
from .base import EvaluationError, ensure_not_finalised, lock_round
from .rubrics import rubric_validate

# The settings of a round a form may set (besides campaign, scope and nominations, which
# are set when it is created).
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
    "feedback_to_units",
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
    "feedback_to_units",
]


def round_editable_fields(*, round: Round | None) -> list[str]:
    """The settings a form may change: every one for a new or draft round (with the rounds
    it takes nominations from), ``OPEN_ROUND_FIELDS`` once open, none once finalised."""
    if round is None or round.status == RoundStatus.DRAFT:
        return [*ROUND_FIELDS, "nominated_from"]
    if round.status == RoundStatus.OPEN:
        return list(OPEN_ROUND_FIELDS)
    return []


def _log(round_: Round, verb: str, by: User, **data) -> None:
    log_action(round_, f"evaluation.round.{verb}", actor=by, data=data, unit=round_.scope_unit)


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
        raise EvaluationError(errors=errors)


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
    campaign's (an empty date is left out). ``nominated_from`` names finalised lower rounds
    whose nominated models are the entries (instead of the campaign's accepted models).
    Raises ``EvaluationError`` keyed by field. One activity row.
    """
    round_ = Round(
        campaign=campaign,
        scope_unit=scope_unit,
        created_by=by,
        scoring_opens=campaign.scoring_opens,
        scoring_closes=campaign.scoring_closes,
    )
    for name in ROUND_FIELDS:
        if name in data and not (name.startswith("scoring_") and data[name] is None):
            setattr(round_, name, data[name])
    round_.name = (round_.name or "").strip()
    _validate_round(round_, nominated_from)
    round_.save()
    if nominated_from:
        round_.nominated_from.set(nominated_from)
    _log(round_, "create", by)
    return round_


@transaction.atomic
def round_update(
    *, round: Round, by: User, data: dict, nominated_from: list[Round] | None = None
) -> Round:
    """Change a round's settings: those of ``round_editable_fields`` (all of them in draft,
    ``OPEN_ROUND_FIELDS`` once open). ``nominated_from`` may also come in ``data``.

    Raises ``EvaluationError`` for a finalised round or a setting that can no longer
    change, and keyed by field for invalid settings. One activity row.
    """
    round_ = lock_round(round)
    ensure_not_finalised(round_)
    data = dict(data)
    if "nominated_from" in data:
        nominated_from = list(data.pop("nominated_from"))
    allowed = round_editable_fields(round=round_)
    frozen = [name for name in data if name not in allowed]
    if frozen or (nominated_from is not None and "nominated_from" not in allowed):
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
    changed = sorted([*data, *(["nominated_from"] if nominated_from is not None else [])])
    _log(round_, "update", by, fields=changed)
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
    _log(round_, "open", by)
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
        unit__in=subtree_pks(round_.scope_unit_id),
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
    added = len(wanted - set(existing))
    _log(round_, "populate", by, added=added, kept=len(existing))
    return Population(
        added=added,
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
