"""Scores, calibration, tiers and ranks of a round, computed in one SQL statement
(its text: ``selectors.aggregation_sql``).

It is plain SQL rather than the ORM because ranks must be taken over the whole round
*before* the page's filters apply, i.e. the filters, the sort and the page act on a
windowed result, which the ORM can only express through a derived table. Only the page's
rows become Python objects.

What counts: submitted sheets of active assignments (an approved conflict takes a sheet
out). Each sheet's value is its ``total`` (written at submission). Collectives and
individuals are scored on different rubrics, so every statistic below is taken per rubric
group (``grp``): calibration baselines, panels and ranks never mix the two.

Calibration: each sheet's calibrated value is its total less its reviewer's estimated
leniency (``evaluation.calibration``: a reviewer-bias model fitted by regularised least
squares to all counted sheets of the rubric group, in Python, from one query of the sheets);
the leniencies reach the SQL as a small table (``leniency``). An entry's calibrated score
applies the round's policy to its sheets' calibrated values, as its raw score does to their
totals, and is kept within the rubric's scale (0 to its total points). Scores are rounded
to 0.01 before ranking, so equal scores share a rank (``RANK``: 1, 1, 3). Each row also
carries the tier its raw score alone reaches, shown beside the tier used when they differ.

Besides the leniencies, Python computes only the per-group constants passed in (the
rubric's total and the disagreement thresholds derived from it), the conversion of each
output row to Decimals, and whether a row's tier is the lowest or the top one of its
rubric.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal

from django.db import connection

from danvan.models import Unit
from danvan.utils import fold_vietnamese
from models_registry.enums import ModelKind
from models_registry.models import DvkModel, Field

from .. import calibration
from ..enums import ConflictStatus, RankBy, RubricAppliesTo, SheetStatus
from ..models import Assignment, Round, RoundEntry, Rubric, ScoreSheet, Tier
from ..models.rounds import active_assignment_q
from . import aggregation_sql as sql_text

# An entry is flagged when its sheets disagree strongly: a spread (max − min) of at least
# this share of the rubric's total, or a standard deviation of at least that share. (A
# population deviation never exceeds half the spread, so the second test adds anything only
# when DISAGREEMENT_STDDEV_SHARE is below half of DISAGREEMENT_SPREAD_SHARE.)
DISAGREEMENT_SPREAD_SHARE = Decimal("0.20")
DISAGREEMENT_STDDEV_SHARE = Decimal("0.10")
# The trimmed mean drops the highest and the lowest sheet from this many sheets up.
TRIM_MIN_SHEETS = 5
# Leniencies reach the SQL rounded to this.
LENIENCY_STEP = Decimal("0.0001")
# Stand-in total for a rubric group without a rubric (no entry can be in it).
NO_CAP = Decimal("1000000")

COLLECTIVE = RubricAppliesTo.COLLECTIVE.value
INDIVIDUAL = RubricAppliesTo.INDIVIDUAL.value
CENT = Decimal("0.01")


def _decimal(value) -> Decimal | None:
    """A database number (Decimal on PostgreSQL, float or int on SQLite) to 0.01."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(CENT)


@dataclass(frozen=True)
class EntryResult:
    """One entry's live result in a round (no reviewer is named here)."""

    entry_id: int
    dvk_model: DvkModel
    applies_to: str
    sheet_count: int
    raw_score: Decimal | None
    calibrated_score: Decimal | None
    score_used: Decimal | None
    min_score: Decimal | None
    max_score: Decimal | None
    stddev: Decimal | None
    disagreement: bool
    tier: Tier | None
    raw_tier: Tier | None  # the tier the raw score alone reaches
    rank: int | None
    recognised: bool
    in_top_tier: bool

    @property
    def spread(self) -> Decimal | None:
        if self.min_score is None or self.max_score is None:
            return None
        return self.max_score - self.min_score


@dataclass(frozen=True)
class RoundRubrics:
    """The round's rubrics by group, with their tiers sorted once (highest first): one query
    (the tiers) when the round was read with its rubrics (``select_related``), else two."""

    by_group: dict[str, Rubric]
    tiers_by_group: dict[str, list[Tier]] = dataclass_field(default_factory=dict)

    @classmethod
    def load(cls, round_: Round) -> "RoundRubrics":
        ids = {
            COLLECTIVE: round_.rubric_collective_id,
            INDIVIDUAL: round_.rubric_individual_id,
        }
        wanted = [pk for pk in ids.values() if pk]
        if all(
            Round._meta.get_field(f"rubric_{group}").is_cached(round_)
            for group, pk in ids.items()
            if pk
        ):
            found = {r.pk: r for r in (round_.rubric_collective, round_.rubric_individual) if r}
        else:
            found = Rubric.objects.in_bulk(wanted)
        tiers: dict[int, list[Tier]] = {pk: [] for pk in wanted}
        for tier in Tier.objects.filter(rubric_id__in=wanted):
            tier.rubric = found[tier.rubric_id]
            tiers[tier.rubric_id].append(tier)
        return cls(
            {group: found[pk] for group, pk in ids.items() if pk in found},
            {
                group: sorted(tiers[pk], key=lambda t: (-t.min_score, t.pk))
                for group, pk in ids.items()
                if pk in found
            },
        )

    def total(self, group: str) -> Decimal:
        rubric = self.by_group.get(group)
        return rubric.total_points if rubric else NO_CAP

    def tiers(self, group: str) -> list[Tier]:
        return self.tiers_by_group.get(group, [])

    def all_tiers(self) -> dict[int, Tier]:
        return {t.pk: t for tiers in self.tiers_by_group.values() for t in tiers}

    def recognised_tier_ids(self) -> list[int]:
        """Tiers above the lowest of their rubric (the lowest is "Không đạt")."""
        return [
            t.pk for tiers in self.tiers_by_group.values() if len(tiers) > 1 for t in tiers[:-1]
        ]


def counted_sheets(round_: Round) -> dict[str, list[tuple[int, int, float]]]:
    """The sheets that count in ``round_`` (submitted, of active assignments) by rubric
    group: ``(entry_id, reviewer_id, total)`` each (one query)."""
    rows = (
        ScoreSheet.objects.filter(
            active_assignment_q("assignment__"),
            assignment__round=round_,
            status=SheetStatus.SUBMITTED,
            total__isnull=False,
        )
        .order_by("pk")
        .values_list(
            "assignment__entry_id",
            "assignment__reviewer_id",
            "assignment__entry__dvk_model__kind",
            "total",
        )
    )
    groups: dict[str, list] = {COLLECTIVE: [], INDIVIDUAL: []}
    for entry_id, reviewer_id, kind, total in rows:
        groups[RubricAppliesTo.for_kind(kind).value].append((entry_id, reviewer_id, float(total)))
    return groups


# The last fits, by the exact sheets they were fitted to: a results page, its export and
# the drill-down ask for the same round again and again while its sheets do not change, and
# the fit costs ~0.1-0.2 s of CPU at 9,000 sheets against ~1 ms to compare the sheets. The
# key is the data itself, so a changed, added or withdrawn sheet is a new key: nothing to
# invalidate. Per process; a few rounds (each key holds its sheets, ~1 MB at 9,000).
_FITS: OrderedDict[tuple, calibration.Fit] = OrderedDict()
_FITS_KEPT = 8
_FITS_LOCK = threading.Lock()


def _fit(sheets: list[tuple[int, int, float]]) -> calibration.Fit:
    key = tuple(sheets)
    with _FITS_LOCK:
        found = _FITS.get(key)
        if found is not None:
            _FITS.move_to_end(key)
            return found
    fitted = calibration.fit(key)
    with _FITS_LOCK:
        _FITS[key] = fitted
        while len(_FITS) > _FITS_KEPT:
            _FITS.popitem(last=False)
    return fitted


def round_fits(round_: Round) -> dict[str, calibration.Fit]:
    """The reviewer-bias model of each rubric group of ``round_`` (one query; the fit itself
    is reused while the counted sheets are exactly the same)."""
    return {group: _fit(sheets) for group, sheets in counted_sheets(round_).items()}


# What a results page may sort by (``aggregation_sql.ORDERS``) and keep only (flags).
RESULT_SORTS = tuple(sql_text.ORDERS)
RESULT_FLAGS = ("disagreement", "tier_changed", "recognised")


@dataclass(frozen=True)
class EntryPage:
    """One page of live results: its ``rows``, how many rows match the filters
    (``total``), and how many of those reach another tier by their raw score
    (``tier_changes``)."""

    rows: list[EntryResult]
    total: int
    tier_changes: int


def _leniencies(fits: dict[str, calibration.Fit]) -> list[tuple[str, int, Decimal]]:
    return [
        (group, reviewer_id, Decimal(str(found.leniency)).quantize(LENIENCY_STEP))
        for group, group_fit in fits.items()
        for reviewer_id, found in sorted(group_fit.leniencies.items())
    ]


def _filters(rubrics: RoundRubrics, params: dict, wanted: dict) -> str:
    """The outer query's WHERE over the ranked rows (see ``entry_results_page``)."""
    filters = ["1 = 1"]
    for name in ("unit_kind", "model_kind"):
        if wanted.get(name):
            filters.append(f"{name} = %({name})s")
            params[name] = wanted[name]
    if wanted.get("group"):
        filters.append("grp = %(group)s")
        params["group"] = wanted["group"]
    if wanted.get("field"):
        filters.append("(field_id = %(field)s OR field_parent_id = %(field)s)")
        params["field"] = getattr(wanted["field"], "pk", wanted["field"])
    if wanted.get("tier"):
        filters.append("tier_id = %(tier)s")
        params["tier"] = getattr(wanted["tier"], "pk", wanted["tier"])
    flag = wanted.get("flag")
    if flag == "disagreement":
        filters.append("disagreement = 1")
    elif flag == "tier_changed":
        filters.append("COALESCE(tier_id, 0) <> COALESCE(raw_tier_id, 0)")
    elif flag == "recognised":
        ids = rubrics.recognised_tier_ids() or [0]
        for index, pk in enumerate(ids):
            params[f"recognised_{index}"] = pk
        filters.append(
            "tier_id IN (" + ", ".join(f"%(recognised_{i})s" for i in range(len(ids))) + ")"
        )
    folded = fold_vietnamese(wanted.get("search") or "")
    if folded:
        params["search"] = sql_text.like_pattern(folded)
        filters.append(
            "(model_search LIKE %(search)s ESCAPE '\\' OR unit_search LIKE %(search)s ESCAPE '\\')"
        )
    return " AND ".join(filters)


def entry_results_page(
    *,
    round: Round,
    fits: dict[str, calibration.Fit] | None = None,
    rubrics: RoundRubrics | None = None,
    sort: str = "rank",
    limit: int | None = None,
    offset: int = 0,
    **wanted,
) -> EntryPage:
    """Entries of ``round`` with their live results, ranked over the whole round, then
    filtered, sorted and cut to one page in the same SQL statement.

    Filters (``wanted``) select rows after ranking, so a row keeps its rank in the whole
    round: ``unit_kind`` (the model's unit), ``field`` (a field or any of its topics),
    ``model_kind``, ``group`` (rubric group), ``tier``, ``flag`` (one of
    ``RESULT_FLAGS``) and ``search`` (the model's or its unit's name, diacritics and case
    ignored, through their ``search_text``). ``sort``: one of ``RESULT_SORTS``; every
    order ends with the entry, the same on SQLite and PostgreSQL. ``limit``/``offset``:
    the page (None: every row). Queries: the rubrics' tiers (none when ``rubrics`` is
    given), the sheets for the model (none when ``fits`` is given) and the results, with
    each row's model, unit and field — whatever the number of entries.
    """
    rubrics = RoundRubrics.load(round) if rubrics is None else rubrics
    fits = round_fits(round) if fits is None else fits
    params: dict = {
        "round": round.pk,
        "individual_kind": ModelKind.INDIVIDUAL_EXEMPLAR.value,
        "submitted": SheetStatus.SUBMITTED.value,
        "approved": ConflictStatus.APPROVED.value,
        "trim_min": TRIM_MIN_SHEETS,
    }
    for group in (COLLECTIVE, INDIVIDUAL):
        total = rubrics.total(group)
        params[f"cap_{group}"] = total
        params[f"spread_{group}"] = total * DISAGREEMENT_SPREAD_SHARE
        params[f"stddev_{group}"] = total * DISAGREEMENT_STDDEV_SHARE
    filters = _filters(rubrics, params, wanted)
    page = ""
    if limit is not None:
        params["limit"], params["offset"] = int(limit), int(offset)
        page = "LIMIT %(limit)s OFFSET %(offset)s"
    sql = sql_text.RESULTS.format(
        sheet=sql_text.table(ScoreSheet),
        assignment=sql_text.table(Assignment),
        entry=sql_text.table(RoundEntry),
        dvk_model=sql_text.table(DvkModel),
        unit=sql_text.table(Unit),
        field=sql_text.table(Field),
        raw_policy=sql_text.policy(round.aggregation, "raw"),
        cal_policy=sql_text.policy(round.aggregation, "cal"),
        score_used="sc.calibrated_score" if round.rank_by == RankBy.CALIBRATED else "sc.raw_score",
        tier_case=sql_text.tier_case(rubrics.tiers_by_group, params),
        raw_tier_case=sql_text.tier_case(rubrics.tiers_by_group, params, "us.raw_score"),
        leniency=sql_text.leniency_table(_leniencies(fits), params),
        cap="CASE WHEN m.kind = %(individual_kind)s THEN %(cap_individual)s "
        "ELSE %(cap_collective)s END",
        filters=filters,
        order=sql_text.ORDERS.get(sort, sql_text.ORDERS["rank"]),
        limit=page,
    )
    sql, ordered = sql_text.named_to_positional(sql, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, ordered)
        rows = cursor.fetchall()
    if not rows:
        return EntryPage(rows=[], total=0, tier_changes=0)
    tiers = rubrics.all_tiers()
    return EntryPage(
        rows=[_entry_result(row, tiers, rubrics) for row in rows],
        total=rows[0][22],
        tier_changes=int(rows[0][23] or 0),
    )


def _dvk_model(dvk_model_id, row) -> DvkModel:
    """The row's model from the statement's own columns (no query): name, kind, unit (name,
    kind) and field (name, parent); any other field is deferred (read when first used)."""
    name, kind, unit_id, unit_name, unit_kind, field_id, field_name, field_parent_id = row
    model = _partial(DvkModel, {"id": dvk_model_id, "name": name, "kind": kind})
    model.unit = _partial(Unit, {"id": unit_id, "name": unit_name, "kind": unit_kind})
    model.field = (
        _partial(Field, {"id": field_id, "name": field_name, "parent_id": field_parent_id})
        if field_id is not None
        else None
    )
    return model


def _partial(model_class, values: dict):
    """An instance of ``model_class`` as read from the database with only ``values``
    (attribute names; ``from_db`` wants them in the model's field order)."""
    names = [f.attname for f in model_class._meta.concrete_fields if f.attname in values]
    return model_class.from_db(connection.alias, names, [values[name] for name in names])


def _entry_result(row, tiers, rubrics: RoundRubrics) -> EntryResult:
    (entry_id, dvk_model_id, group, sheet_count, raw_score, calibrated_score, score_used) = row[:7]
    (min_score, max_score, stddev, disagreement, tier_id, rank, raw_tier_id) = row[7:14]
    group_tiers = rubrics.tiers(group)
    row_tier = tiers.get(tier_id)
    return EntryResult(
        entry_id=entry_id,
        dvk_model=_dvk_model(dvk_model_id, row[14:22]),
        applies_to=group,
        sheet_count=sheet_count,
        raw_score=_decimal(raw_score),
        calibrated_score=_decimal(calibrated_score),
        score_used=_decimal(score_used),
        min_score=_decimal(min_score),
        max_score=_decimal(max_score),
        stddev=_decimal(stddev),
        disagreement=bool(disagreement),
        tier=row_tier,
        raw_tier=tiers.get(raw_tier_id),
        rank=rank,
        # Recognised: any tier above the lowest (the lowest is "Không đạt").
        recognised=row_tier is not None and len(group_tiers) > 1 and row_tier != group_tiers[-1],
        in_top_tier=row_tier is not None and len(group_tiers) > 1 and row_tier == group_tiers[0],
    )


def entry_results(
    *,
    round: Round,
    unit_kind: str | None = None,
    field: Field | int | None = None,
    model_kind: str | None = None,
    tier: Tier | int | None = None,
    fits: dict[str, calibration.Fit] | None = None,
    **more,
) -> list[EntryResult]:
    """Every entry of ``round`` (or those matching the filters) with its live result, ordered
    by group, rank (unscored last), entry: ``entry_results_page`` without a page. Filters
    select rows after ranking, so a row keeps its rank in the whole round."""
    return entry_results_page(
        round=round,
        unit_kind=unit_kind,
        field=field,
        model_kind=model_kind,
        tier=tier,
        fits=fits,
        **more,
    ).rows
