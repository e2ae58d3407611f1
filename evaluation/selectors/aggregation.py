"""Scores, calibration, tiers and ranks of a round, computed in one SQL statement.

Portable SQL (PostgreSQL and SQLite ≥ 3.25): common table expressions, ``AVG``/``MIN``/
``MAX``/``SUM``/``COUNT``, ``ROW_NUMBER``/``RANK`` windows and ``SQRT`` (Django registers
it on SQLite). No ``PERCENTILE_CONT`` or ``STDDEV``: a variance is ``AVG(x*x) - AVG(x)^2``
(population variance) and a median is the mean of the middle one or two rows numbered by
``ROW_NUMBER`` within an entry. It is plain SQL rather than the ORM because ranks must be
taken over the whole round *before* the page's filters apply, i.e. the filters act on a
windowed result, which the ORM can only express through a derived table.

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

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from danvan.models import Unit
from models_registry.enums import ModelKind
from models_registry.models import DvkModel, Field

from .. import calibration
from ..enums import Aggregation, ConflictStatus, RankBy, RubricAppliesTo, SheetStatus
from ..models import Assignment, Round, RoundEntry, Rubric, ScoreSheet, Tier
from ..models.rounds import active_assignment_q

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


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _named_to_positional(sql: str, params: dict) -> tuple[str, list]:
    """``%(name)s`` placeholders to ``%s`` with a parameter list in order (both backends).

    A Decimal parameter is cast to NUMERIC in the SQL: Django hands Decimals to SQLite as
    text, and SQLite orders every number before every text, so ``x >= '90'`` would never
    hold there.
    """
    ordered = []

    def replace(match):
        value = params[match.group(1)]
        ordered.append(value)
        return "CAST(%s AS NUMERIC)" if isinstance(value, Decimal) else "%s"

    return re.sub(r"%\((\w+)\)s", replace, sql), ordered


_COUNTED = """
counted AS (
    SELECT s.id AS sheet_id, a.entry_id AS entry_id, a.reviewer_id AS reviewer_id,
           CASE WHEN m.kind = %(individual_kind)s THEN 'individual' ELSE 'collective' END AS grp,
           s.total AS raw
    FROM {sheet} s
    JOIN {assignment} a ON a.id = s.assignment_id
    JOIN {entry} e ON e.id = a.entry_id
    JOIN {dvk_model} m ON m.id = e.dvk_model_id
    WHERE a.round_id = %(round)s AND s.status = %(submitted)s
      AND a.conflict_status <> %(approved)s AND s.total IS NOT NULL
)"""

_RESULTS = (
    "WITH"
    + _COUNTED
    + """,
{leniency},
calibrated AS (
    SELECT c.sheet_id, c.entry_id, c.raw, c.raw - COALESCE(l.leniency, 0) AS cal
    FROM counted c
    LEFT JOIN leniency l ON l.reviewer_id = c.reviewer_id AND l.grp = c.grp
),
ordered AS (
    SELECT entry_id, raw, cal,
           ROW_NUMBER() OVER (PARTITION BY entry_id ORDER BY raw, sheet_id) AS raw_rn,
           ROW_NUMBER() OVER (PARTITION BY entry_id ORDER BY cal, sheet_id) AS cal_rn,
           COUNT(*) OVER (PARTITION BY entry_id) AS cnt
    FROM calibrated
),
per_entry AS (
    SELECT entry_id, COUNT(*) AS n,
           AVG(raw) AS raw_mean, MIN(raw) AS raw_min, MAX(raw) AS raw_max, SUM(raw) AS raw_sum,
           AVG(raw * raw) - AVG(raw) * AVG(raw) AS raw_var,
           AVG(CASE WHEN 2 * raw_rn BETWEEN cnt AND cnt + 2 THEN raw END) AS raw_median,
           AVG(cal) AS cal_mean, MIN(cal) AS cal_min, MAX(cal) AS cal_max, SUM(cal) AS cal_sum,
           AVG(CASE WHEN 2 * cal_rn BETWEEN cnt AND cnt + 2 THEN cal END) AS cal_median
    FROM ordered GROUP BY entry_id
),
scored AS (
    SELECT e.id AS entry_id, e.dvk_model_id AS dvk_model_id,
           CASE WHEN m.kind = %(individual_kind)s THEN 'individual' ELSE 'collective' END AS grp,
           m.kind AS model_kind, m.field_id AS field_id, f.parent_id AS field_parent_id,
           un.kind AS unit_kind,
           COALESCE(pe.n, 0) AS sheet_count,
           ROUND({raw_policy}, 2) AS raw_score,
           ROUND(CASE WHEN {cal_policy} < 0 THEN 0
                      WHEN {cal_policy} > {cap} THEN {cap}
                      ELSE {cal_policy} END, 2) AS calibrated_score,
           pe.raw_min AS min_score, pe.raw_max AS max_score,
           CASE WHEN pe.n IS NULL THEN NULL
                ELSE ROUND(SQRT(CASE WHEN pe.raw_var > 0 THEN pe.raw_var ELSE 0 END), 2)
           END AS stddev
    FROM {entry} e
    JOIN {dvk_model} m ON m.id = e.dvk_model_id
    JOIN {unit} un ON un.id = m.unit_id
    LEFT JOIN {field} f ON f.id = m.field_id
    LEFT JOIN per_entry pe ON pe.entry_id = e.id
    WHERE e.round_id = %(round)s
),
used AS (
    SELECT sc.*, {score_used} AS score_used FROM scored sc
),
ranked AS (
    SELECT us.*,
           CASE WHEN us.score_used IS NULL THEN NULL
                ELSE RANK() OVER (
                    PARTITION BY us.grp, CASE WHEN us.score_used IS NULL THEN 1 ELSE 0 END
                    ORDER BY us.score_used DESC)
           END AS entry_rank,
           {tier_case} AS tier_id,
           {raw_tier_case} AS raw_tier_id,
           CASE WHEN us.sheet_count >= 2 AND (
                    us.max_score - us.min_score >= CASE WHEN us.grp = 'individual'
                        THEN %(spread_individual)s ELSE %(spread_collective)s END
                    OR us.stddev >= CASE WHEN us.grp = 'individual'
                        THEN %(stddev_individual)s ELSE %(stddev_collective)s END)
                THEN 1 ELSE 0 END AS disagreement
    FROM used us
)
SELECT entry_id, dvk_model_id, grp, sheet_count, raw_score, calibrated_score, score_used,
       min_score, max_score, stddev, disagreement, tier_id, entry_rank, raw_tier_id
FROM ranked
WHERE {filters}
ORDER BY grp, CASE WHEN entry_rank IS NULL THEN 1 ELSE 0 END, entry_rank, entry_id
"""
)


def _policy(aggregation: str, prefix: str) -> str:
    """The SQL of an entry's score under ``aggregation`` over ``raw`` or ``cal`` values."""
    if aggregation == Aggregation.MEDIAN:
        return f"pe.{prefix}_median"
    if aggregation == Aggregation.TRIMMED_MEAN:
        return (
            f"CASE WHEN pe.n >= %(trim_min)s THEN "
            f"(pe.{prefix}_sum - pe.{prefix}_max - pe.{prefix}_min) * 1.0 / (pe.n - 2) "
            f"ELSE pe.{prefix}_mean END"
        )
    return f"pe.{prefix}_mean"


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
    """The round's rubrics by group, with their tiers (highest first) — two queries."""

    by_group: dict[str, Rubric]

    @classmethod
    def load(cls, round_: Round) -> "RoundRubrics":
        ids = {
            COLLECTIVE: round_.rubric_collective_id,
            INDIVIDUAL: round_.rubric_individual_id,
        }
        rubrics = Rubric.objects.filter(pk__in=[i for i in ids.values() if i]).prefetch_related(
            "tiers"
        )
        found = {r.pk: r for r in rubrics}
        return cls({group: found[pk] for group, pk in ids.items() if pk in found})

    def total(self, group: str) -> Decimal:
        rubric = self.by_group.get(group)
        return rubric.total_points if rubric else NO_CAP

    def tiers(self, group: str) -> list[Tier]:
        rubric = self.by_group.get(group)
        return sorted(rubric.tiers.all(), key=lambda t: t.min_score, reverse=True) if rubric else []

    def all_tiers(self) -> dict[int, Tier]:
        return {t.pk: t for group in self.by_group for t in self.tiers(group)}


def _tier_case(rubrics: RoundRubrics, params: dict, column: str = "us.score_used") -> str:
    """CASE mapping ``column`` to the id of its tier (highest minimum reached), per group."""
    branches = []
    for group in (COLLECTIVE, INDIVIDUAL):
        for index, tier in enumerate(rubrics.tiers(group)):
            key = f"{group}_{index}"
            params[f"tier_min_{key}"] = tier.min_score
            params[f"tier_id_{key}"] = tier.pk
            branches.append(
                f"WHEN us.grp = '{group}' AND {column} >= %(tier_min_{key})s THEN %(tier_id_{key})s"
            )
    return (
        f"CASE WHEN {column} IS NULL THEN CAST(NULL AS INTEGER) "
        + " ".join(branches)
        + " ELSE CAST(NULL AS INTEGER) END"
    )


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


def round_fits(round_: Round) -> dict[str, calibration.Fit]:
    """The reviewer-bias model of each rubric group of ``round_`` (one query)."""
    return {group: calibration.fit(sheets) for group, sheets in counted_sheets(round_).items()}


def _leniency_table(fits: dict[str, calibration.Fit], params: dict) -> str:
    """``leniency(reviewer_id, grp, leniency)``: the fitted leniencies as a CTE."""
    selects = []
    for group, group_fit in fits.items():
        for index, (reviewer_id, found) in enumerate(sorted(group_fit.leniencies.items())):
            key = f"{group}_{index}"
            params[f"len_r_{key}"] = reviewer_id
            params[f"len_v_{key}"] = Decimal(str(found.leniency)).quantize(LENIENCY_STEP)
            selects.append(
                f"SELECT %(len_r_{key})s AS reviewer_id, '{group}' AS grp, "
                f"%(len_v_{key})s AS leniency"
            )
    if not selects:
        selects.append(
            "SELECT CAST(NULL AS INTEGER) AS reviewer_id, 'none' AS grp, "
            "CAST(NULL AS NUMERIC) AS leniency"
        )
    return "leniency AS (\n    " + "\n    UNION ALL ".join(selects) + "\n)"


def entry_results(
    *,
    round: Round,
    unit_kind: str | None = None,
    field: Field | int | None = None,
    model_kind: str | None = None,
    tier: Tier | int | None = None,
    fits: dict[str, calibration.Fit] | None = None,
) -> list[EntryResult]:
    """Every entry of ``round`` (or those matching the filters) with its live result.

    Filters select rows after ranking, so a row keeps its rank in the whole round:
    ``unit_kind`` (the model's unit), ``field`` (a field or any of its topics),
    ``model_kind``, ``tier``. Ordered by group, rank (unscored last), entry. Five queries,
    whatever the number of entries (``fits``, the round's ``round_fits`` when the caller
    has them, saves one).
    """
    rubrics = RoundRubrics.load(round)
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
    filters = ["1 = 1"]
    if unit_kind:
        filters.append("unit_kind = %(unit_kind)s")
        params["unit_kind"] = unit_kind
    if model_kind:
        filters.append("model_kind = %(model_kind)s")
        params["model_kind"] = model_kind
    if field:
        filters.append("(field_id = %(field)s OR field_parent_id = %(field)s)")
        params["field"] = getattr(field, "pk", field)
    if tier:
        filters.append("tier_id = %(tier)s")
        params["tier"] = getattr(tier, "pk", tier)
    sql = _RESULTS.format(
        sheet=_table(ScoreSheet),
        assignment=_table(Assignment),
        entry=_table(RoundEntry),
        dvk_model=_table(DvkModel),
        unit=_table(Unit),
        field=_table(Field),
        raw_policy=_policy(round.aggregation, "raw"),
        cal_policy=_policy(round.aggregation, "cal"),
        score_used="sc.calibrated_score" if round.rank_by == RankBy.CALIBRATED else "sc.raw_score",
        tier_case=_tier_case(rubrics, params),
        raw_tier_case=_tier_case(rubrics, params, "us.raw_score"),
        leniency=_leniency_table(fits, params),
        cap="CASE WHEN m.kind = %(individual_kind)s THEN %(cap_individual)s "
        "ELSE %(cap_collective)s END",
        filters=" AND ".join(filters),
    )
    sql, ordered = _named_to_positional(sql, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, ordered)
        rows = cursor.fetchall()
    models = DvkModel.objects.select_related("unit", "field", "field__parent").in_bulk(
        [row[1] for row in rows]
    )
    tiers = rubrics.all_tiers()
    results = []
    for (
        entry_id,
        dvk_model_id,
        group,
        sheet_count,
        raw_score,
        calibrated_score,
        score_used,
        min_score,
        max_score,
        stddev,
        disagreement,
        tier_id,
        rank,
        raw_tier_id,
    ) in rows:
        group_tiers = rubrics.tiers(group)
        row_tier = tiers.get(tier_id)
        results.append(
            EntryResult(
                entry_id=entry_id,
                dvk_model=models[dvk_model_id],
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
                recognised=row_tier is not None
                and len(group_tiers) > 1
                and row_tier != group_tiers[-1],
                in_top_tier=row_tier is not None
                and len(group_tiers) > 1
                and row_tier == group_tiers[0],
            )
        )
    return results
