"""Rubrics: building, saving, freezing, versioning and cloning.

The rubric builder saves the header, the criteria and the tiers together through
``rubric_save`` (one transaction: everything or nothing). The rules of the rows are the pure
validators of ``evaluation.validators``, which the builder's formsets call too; a refused
row raises ``EvaluationError`` whose ``errors`` are keyed like the formset's inputs
(``criteria-0-max_points``, ``tiers`` for the list). A rubric whose criteria carry any score
is frozen: every change is refused with a message that points to ``rubric_new_version``.
Each change writes one activity row.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from danvan.activity import log_action
from danvan.models import Unit, User
from models_registry.models import Campaign

from ..defaults import (
    DEFAULT_COLLECTIVE_CRITERIA,
    DEFAULT_INDIVIDUAL_CRITERIA,
    DEFAULT_NAMES,
    DEFAULT_TIERS,
)
from ..eligibility import tree_paths, units_related_by_tree
from ..enums import RubricAppliesTo
from ..models import Criterion, Rubric, Tier
from ..selectors import rubric_is_frozen
from ..validators import (
    POINT_STEP,  # noqa: F401 - services.scoring imports it from here
    RowErrors,
    criteria_errors,
    header_errors,
    parse_points,
    tiers_errors,
)
from .base import EvaluationError

HEADER_FIELDS = ("name", "campaign", "total_points", "applies_to")


class RubricErrors:
    """What is missing or wrong in a stored rubric (falsy when complete)."""

    def __init__(self, criteria: RowErrors, tiers: RowErrors):
        self.criteria = criteria
        self.tiers = tiers

    def __bool__(self) -> bool:
        return bool(self.criteria or self.tiers)

    @property
    def messages(self) -> list[str]:
        return self.criteria.messages + self.tiers.messages


def rubric_validate(*, rubric: Rubric) -> RubricErrors:
    """Validate the stored criteria and tiers of ``rubric`` (two queries, no writes)."""
    criteria = list(rubric.criteria.values("group", "title", "guidance", "max_points"))
    tiers = list(rubric.tiers.values("name", "min_score"))
    return RubricErrors(
        criteria=criteria_errors(total_points=rubric.total_points, criteria=criteria),
        tiers=tiers_errors(total_points=rubric.total_points, tiers=tiers),
    )


# --- Freezing -----------------------------------------------------------------------------


def _ensure_editable(rubric: Rubric) -> None:
    if rubric_is_frozen(rubric=rubric):
        raise EvaluationError(
            _(
                "This rubric is already used by a round that has scores, so it can no longer "
                "be changed. Create a new version of it and change that one instead."
            )
        )


def _lock_rubric(rubric: Rubric) -> Rubric:
    return Rubric.objects.select_for_update().get(pk=rubric.pk)


def _log(rubric: Rubric, verb: str, by: User, **data) -> None:
    log_action(rubric, f"evaluation.rubric.{verb}", actor=by, data=data, unit=rubric.organiser)


# --- Header -------------------------------------------------------------------------------


def _validate_header(rubric: Rubric) -> None:
    errors = header_errors(name=rubric.name, total_points=rubric.total_points)
    if rubric.campaign_id and rubric.campaign.organiser_id != rubric.organiser_id:
        # A commune may use the province's campaign for its own rubric.
        paths = tree_paths([rubric.organiser_id, rubric.campaign.organiser_id])
        if not units_related_by_tree(rubric.organiser_id, rubric.campaign.organiser_id, paths):
            errors["campaign"] = [_("This campaign is not run by the rubric's organiser.")]
    if errors:
        raise EvaluationError(errors=errors)


def _new(*, organiser, campaign, applies_to, name, total_points, by) -> Rubric:
    rubric = Rubric(
        organiser=organiser,
        campaign=campaign,
        applies_to=applies_to,
        name=(name or "").strip(),
        total_points=total_points,
        created_by=by,
    )
    _validate_header(rubric)
    rubric.save()
    return rubric


def _update_header(rubric: Rubric, data: dict) -> None:
    changed = [name for name in HEADER_FIELDS if name in data]
    for name in changed:
        setattr(rubric, name, data[name].strip() if name == "name" else data[name])
    if "applies_to" in data and (
        rubric.rounds_collective.exists() or rubric.rounds_individual.exists()
    ):
        raise EvaluationError(
            _("A round already uses this rubric: create a new rubric instead."),
            field="applies_to",
        )
    _validate_header(rubric)
    if changed:
        rubric.save(update_fields=changed)


# --- Rows ---------------------------------------------------------------------------------


def _save_criteria(rubric: Rubric, criteria: list[dict]) -> RowErrors:
    """Replace the criteria (kept ids stay stable, missing ones are deleted); returns the
    errors instead of writing when a row is refused."""
    errors = criteria_errors(total_points=rubric.total_points, criteria=criteria)
    existing = {c.pk: c for c in rubric.criteria.all()}
    for index, row in enumerate(criteria):
        if row.get("id") and row["id"] not in existing:
            errors.add(index, "id", _("This criterion belongs to another rubric."))
    if errors:
        return errors
    kept_ids = {row["id"] for row in criteria if row.get("id")}
    Criterion.objects.filter(rubric=rubric).exclude(pk__in=kept_ids).delete()
    to_create, to_update = [], []
    for position, row in enumerate(criteria, start=1):
        values = {
            "group": (row.get("group") or "").strip(),
            "title": row["title"].strip(),
            "guidance": (row.get("guidance") or "").strip(),
            "max_points": parse_points(row["max_points"]),
            "position": position,
        }
        if row.get("id"):
            criterion = existing[row["id"]]
            for name, value in values.items():
                setattr(criterion, name, value)
            to_update.append(criterion)
        else:
            to_create.append(Criterion(rubric=rubric, **values))
    Criterion.objects.bulk_update(
        to_update, ["group", "title", "guidance", "max_points", "position"]
    )
    Criterion.objects.bulk_create(to_create)
    return errors


def _save_tiers(rubric: Rubric, tiers: list[dict]) -> RowErrors:
    """Rewrite the tiers as a whole (nothing refers to a tier row: results copy its name)."""
    errors = tiers_errors(total_points=rubric.total_points, tiers=tiers)
    if errors:
        return errors
    Tier.objects.filter(rubric=rubric).delete()
    ordered = sorted(tiers, key=lambda row: parse_points(row["min_score"]), reverse=True)
    Tier.objects.bulk_create(
        Tier(
            rubric=rubric,
            name=" ".join(row["name"].split()),
            min_score=parse_points(row["min_score"]),
            position=position,
        )
        for position, row in enumerate(ordered, start=1)
    )
    return errors


# --- Writes -------------------------------------------------------------------------------


@transaction.atomic
def rubric_create(
    *,
    organiser: Unit,
    campaign: Campaign | None,
    applies_to: str,
    name: str,
    by: User,
    total_points: Decimal = Decimal("100"),
) -> Rubric:
    """Create an empty rubric (criteria and tiers follow through ``rubric_save``).

    Raises ``EvaluationError`` keyed by field (name, total, campaign).
    """
    rubric = _new(
        organiser=organiser,
        campaign=campaign,
        applies_to=applies_to,
        name=name,
        total_points=total_points,
        by=by,
    )
    _log(rubric, "create", by)
    return rubric


@transaction.atomic
def rubric_save(
    *,
    rubric: Rubric,
    by: User,
    header: dict | None = None,
    criteria: list[dict] | None = None,
    tiers: list[dict] | None = None,
) -> Rubric:
    """Save the rubric builder: changed ``header`` fields (name, campaign, total_points,
    applies_to), then the ``criteria`` and the ``tiers`` as whole lists (None: unchanged).

    Criterion rows: ``group``, ``title``, ``guidance``, ``max_points`` and, for an existing
    criterion, its ``id`` (kept); the list order is the criteria's order. Tier rows:
    ``name``, ``min_score``. All or nothing: raises ``EvaluationError`` when the rubric is
    frozen, with ``errors`` keyed by field (``name``…) or by row (``criteria-0-title``,
    ``tiers`` for the whole list) when something is refused. One activity row.
    """
    rubric = _lock_rubric(rubric)
    _ensure_editable(rubric)
    header = {name: value for name, value in (header or {}).items() if name in HEADER_FIELDS}
    _update_header(rubric, header)
    errors = {}
    if criteria is not None:
        errors.update(_save_criteria(rubric, criteria).as_errors("criteria"))
    if tiers is not None:
        errors.update(_save_tiers(rubric, tiers).as_errors("tiers"))
    if errors:
        raise EvaluationError(errors=errors)
    _log(rubric, "update", by, fields=sorted(header))
    return rubric


def rubric_save_criteria(*, rubric: Rubric, criteria: list[dict], by: User) -> list[Criterion]:
    """``rubric_save`` of the criteria alone; returns them in order."""
    rubric = rubric_save(rubric=rubric, criteria=criteria, by=by)
    return list(rubric.criteria.all())


def rubric_save_tiers(*, rubric: Rubric, tiers: list[dict], by: User) -> list[Tier]:
    """``rubric_save`` of the tiers alone; returns them, highest first."""
    rubric = rubric_save(rubric=rubric, tiers=tiers, by=by)
    return list(rubric.tiers.all())


def rubric_update(*, rubric: Rubric, by: User, data: dict) -> Rubric:
    """``rubric_save`` of header fields alone (``applies_to`` only while no round uses it)."""
    return rubric_save(rubric=rubric, header=data, by=by)


def _copy(source: Rubric, **overrides) -> Rubric:
    """A new rubric with the header, criteria and tiers of ``source`` (three queries)."""
    rubric = Rubric.objects.create(
        organiser=overrides.pop("organiser", source.organiser),
        campaign=overrides.pop("campaign", source.campaign),
        applies_to=source.applies_to,
        name=source.name,
        total_points=source.total_points,
        previous_version=source,
        **overrides,
    )
    Criterion.objects.bulk_create(
        Criterion(
            rubric=rubric,
            group=c.group,
            title=c.title,
            guidance=c.guidance,
            max_points=c.max_points,
            position=c.position,
        )
        for c in source.criteria.all()
    )
    Tier.objects.bulk_create(
        Tier(rubric=rubric, name=t.name, min_score=t.min_score, position=t.position)
        for t in source.tiers.all()
    )
    return rubric


@transaction.atomic
def rubric_new_version(*, rubric: Rubric, by: User) -> Rubric:
    """A copy of ``rubric`` numbered one higher, to change while the original stays frozen.

    Rounds keep using the original until the secretariat picks the new version (and a
    round with scores cannot change rubric). Refuses when that version already exists.
    """
    rubric = _lock_rubric(rubric)
    latest = Rubric.objects.filter(previous_version=rubric, version__gt=rubric.version).aggregate(
        v=Max("version")
    )["v"]
    if latest is not None:
        raise EvaluationError(
            _("Version %(version)d of this rubric already exists: change that one.")
            % {"version": latest}
        )
    new = _copy(rubric, version=rubric.version + 1, created_by=by)
    _log(new, "version", by, source=rubric.pk)
    return new


@transaction.atomic
def rubric_clone(
    *, source: Rubric, campaign: Campaign | None, by: User, organiser: Unit | None = None
) -> Rubric:
    """Copy ``source`` (e.g. last year's rubric) as version 1 of a rubric for ``campaign``.

    The organiser defaults to the campaign's organiser (or the source's without a campaign).
    """
    organiser = organiser or (campaign.organiser if campaign else source.organiser)
    clone = _copy(source, organiser=organiser, campaign=campaign, version=1, created_by=by)
    _log(clone, "clone", by, source=source.pk)
    return clone


@transaction.atomic
def rubric_create_default(
    *, organiser: Unit, campaign: Campaign | None, applies_to: str, by: User
) -> Rubric:
    """A complete rubric with the default criteria and tiers of DOMAIN.md (100 points).

    Collectives: six criteria (15, 15, 15, 25, 15, 15); individuals: five standards of 20.
    Tiers: Xuất sắc ≥ 90, Tốt ≥ 80, Khá ≥ 65, Đạt ≥ 50, Không đạt ≥ 0. One activity row.
    """
    applies_to = RubricAppliesTo(applies_to)
    rows = (
        DEFAULT_INDIVIDUAL_CRITERIA
        if applies_to == RubricAppliesTo.INDIVIDUAL
        else DEFAULT_COLLECTIVE_CRITERIA
    )
    rubric = _new(
        organiser=organiser,
        campaign=campaign,
        applies_to=applies_to,
        name=DEFAULT_NAMES[applies_to],
        total_points=Decimal("100"),
        by=by,
    )
    _save_criteria(
        rubric,
        [
            {"group": group, "title": title, "guidance": guidance, "max_points": points}
            for group, title, guidance, points in rows
        ],
    )
    _save_tiers(rubric, [{"name": name, "min_score": minimum} for name, minimum in DEFAULT_TIERS])
    _log(rubric, "create", by, default=True)
    return rubric
