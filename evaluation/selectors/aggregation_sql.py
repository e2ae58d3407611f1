"""The SQL text of ``selectors.aggregation``: the one statement that scores, calibrates,
tiers and ranks every entry of a round, then filters, sorts and pages the ranked rows.

Portable SQL (PostgreSQL and SQLite ≥ 3.25): common table expressions, ``AVG``/``MIN``/
``MAX``/``SUM``/``COUNT``, ``ROW_NUMBER``/``RANK`` windows and ``SQRT`` (Django registers
it on SQLite). No ``PERCENTILE_CONT`` or ``STDDEV``: a variance is ``AVG(x*x) - AVG(x)^2``
(population variance) and a median is the mean of the middle one or two rows numbered by
``ROW_NUMBER`` within an entry.

Ranks are windows over the whole round (``ranked``); the page's filters, its sort and its
``LIMIT``/``OFFSET`` act on the ranked rows in the outer query, which also counts the rows
that match (``COUNT(*) OVER ()``) and those whose raw score reaches another tier than the
score used, so that one statement gives the page, its total and its note.
"""

import re
from decimal import Decimal

from django.db import connection

from danvan.db import VI_COLLATION

from ..enums import Aggregation


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def named_to_positional(sql: str, params: dict) -> tuple[str, list]:
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


COUNTED = """
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

# The calibrated values (``cal``) are the sheet totals less a leniency that is itself a
# rounded float from the model: they are computed in double precision (cheap), while the
# raw totals, their means and the variance stay exact NUMERIC, as the ranks and the
# finalised snapshot need. Only the square root of the variance (the standard deviation,
# shown and compared with a threshold, never ranked) is taken in double precision too.
RESULTS = (
    "WITH"  # nosec B608 # identifiers from the models' _meta, every value a bound parameter (docs/security.md)
    + COUNTED
    + """,
{leniency},
calibrated AS (
    SELECT c.sheet_id, c.entry_id, c.raw,
           CAST(c.raw AS DOUBLE PRECISION) - COALESCE(l.leniency, 0) AS cal
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
           m.unit_id AS unit_id, un.kind AS unit_kind, m.name AS model_name,
           un.name AS unit_name, f.name AS field_name,
           m.search_text AS model_search, un.search_text AS unit_search,
           COALESCE(pe.n, 0) AS sheet_count,
           ROUND({raw_policy}, 2) AS raw_score,
           ROUND(CAST(CASE WHEN {cal_policy} < 0 THEN 0
                      WHEN {cal_policy} > {cap} THEN {cap}
                      ELSE {cal_policy} END AS NUMERIC), 2) AS calibrated_score,
           pe.raw_min AS min_score, pe.raw_max AS max_score,
           CASE WHEN pe.n IS NULL THEN NULL
                ELSE ROUND(CAST(SQRT(CASE WHEN pe.raw_var > 0
                                          THEN CAST(pe.raw_var AS DOUBLE PRECISION)
                                          ELSE 0 END) AS NUMERIC), 2)
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
       min_score, max_score, stddev, disagreement, tier_id, entry_rank, raw_tier_id,
       model_name, model_kind, unit_id, unit_name, unit_kind, field_id, field_name,
       field_parent_id,
       COUNT(*) OVER () AS matching,
       SUM(CASE WHEN COALESCE(tier_id, 0) <> COALESCE(raw_tier_id, 0) THEN 1 ELSE 0 END)
           OVER () AS tier_changes
FROM ranked
WHERE {filters}
ORDER BY {order}
{limit}
"""
)

_VI = f'COLLATE "{VI_COLLATION}"'

# The orders a page may ask for; each ends with the entry so that ties are ordered the same
# on both databases. "rank": rubric group, rank, unscored last (the finalised list's order).
ORDERS = {
    "rank": "grp, CASE WHEN entry_rank IS NULL THEN 1 ELSE 0 END, entry_rank, entry_id",
    "name": f"model_name {_VI}, entry_id",
    "unit": f"unit_name {_VI}, model_name {_VI}, entry_id",
    "stddev": "CASE WHEN stddev IS NULL THEN 1 ELSE 0 END, stddev DESC, entry_id",
}


def policy(aggregation: str, prefix: str) -> str:
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


def tier_case(tiers_by_group: dict, params: dict, column: str = "us.score_used") -> str:
    """CASE mapping ``column`` to the id of its tier (highest minimum reached), per group;
    ``tiers_by_group``: each group's tiers, highest first."""
    branches = []
    for group, tiers in tiers_by_group.items():
        for index, tier in enumerate(tiers):
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


def leniency_table(leniencies: list[tuple[str, int, Decimal]], params: dict) -> str:
    """``leniency(reviewer_id, grp, leniency)`` as a CTE from ``(group, reviewer, value)``;
    the values are doubles (see ``RESULTS``)."""
    selects = []
    for index, (group, reviewer_id, value) in enumerate(leniencies):
        params[f"len_r_{index}"] = reviewer_id
        params[f"len_v_{index}"] = float(value)
        selects.append(
            f"SELECT %(len_r_{index})s AS reviewer_id, '{group}' AS grp, "
            f"CAST(%(len_v_{index})s AS DOUBLE PRECISION) AS leniency"
        )
    if not selects:
        selects.append(
            "SELECT CAST(NULL AS INTEGER) AS reviewer_id, 'none' AS grp, "
            "CAST(NULL AS DOUBLE PRECISION) AS leniency"
        )
    return "leniency AS (\n    " + "\n    UNION ALL ".join(selects) + "\n)"


def like_pattern(folded: str) -> str:
    """A ``LIKE … ESCAPE '\\'`` pattern for text containing ``folded`` (``%`` and ``_``
    typed by the user match themselves)."""
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
