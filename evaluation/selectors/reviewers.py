"""How each reviewer of a round scores compared with the panel, in one SQL statement.

Shares the counted sheets (``_COUNTED``) and the SQL helpers of ``selectors.aggregation``.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from danvan.models import User
from models_registry.enums import ModelKind
from models_registry.models import DvkModel

from ..enums import ConflictStatus, SheetStatus
from ..models import Assignment, Round, RoundEntry, ScoreSheet
from .aggregation import _decimal
from .aggregation_sql import COUNTED as _COUNTED
from .aggregation_sql import named_to_positional as _named_to_positional
from .aggregation_sql import table as _table

_REVIEWERS = (
    """WITH active AS (
    SELECT a.reviewer_id AS reviewer_id, a.entry_id AS entry_id, a.conflict_status AS conflict,
           s.status AS status, s.total AS total,
           CASE WHEN m.kind = %(individual_kind)s THEN 'individual' ELSE 'collective' END AS grp
    FROM {assignment} a
    JOIN {entry} e ON e.id = a.entry_id
    JOIN {dvk_model} m ON m.id = e.dvk_model_id
    LEFT JOIN {sheet} s ON s.assignment_id = a.id
    WHERE a.round_id = %(round)s AND a.conflict_status <> %(approved)s
),
"""
    + _COUNTED.lstrip()  # nosec B608 # identifiers from the models' _meta, every value a bound parameter (docs/security.md)
    + """,
panel AS (SELECT grp, AVG(raw) AS mean FROM counted GROUP BY grp),
entry_mean AS (SELECT entry_id, AVG(raw) AS mean FROM counted GROUP BY entry_id),
per_reviewer AS (
    SELECT ac.reviewer_id AS reviewer_id,
           COUNT(*) AS assigned,
           SUM(CASE WHEN ac.status = %(submitted)s THEN 1 ELSE 0 END) AS submitted,
           SUM(CASE WHEN ac.conflict = %(declared)s THEN 1 ELSE 0 END) AS conflicts,
           AVG(CASE WHEN ac.status = %(submitted)s THEN ac.total END) AS mean_given,
           MIN(CASE WHEN ac.status = %(submitted)s THEN ac.total END) AS min_given,
           MAX(CASE WHEN ac.status = %(submitted)s THEN ac.total END) AS max_given,
           AVG(CASE WHEN ac.status = %(submitted)s THEN ac.total * ac.total END)
             - AVG(CASE WHEN ac.status = %(submitted)s THEN ac.total END)
               * AVG(CASE WHEN ac.status = %(submitted)s THEN ac.total END) AS var_given,
           AVG(CASE WHEN ac.status = %(submitted)s THEN ac.total - p.mean END) AS vs_panel,
           AVG(CASE WHEN ac.status = %(submitted)s THEN ac.total - em.mean END) AS vs_entries
    FROM active ac
    LEFT JOIN panel p ON p.grp = ac.grp
    LEFT JOIN entry_mean em ON em.entry_id = ac.entry_id
    GROUP BY ac.reviewer_id
)
SELECT reviewer_id, assigned, submitted, conflicts,
       ROUND(mean_given, 2), min_given, max_given,
       CASE WHEN var_given IS NULL THEN NULL
            ELSE ROUND(SQRT(CASE WHEN var_given > 0 THEN var_given ELSE 0 END), 2)
       END,
       ROUND(vs_panel, 2), ROUND(vs_entries, 2)
FROM per_reviewer
"""
)


@dataclass(frozen=True)
class ReviewerStat:
    """How one reviewer scored in a round, compared with the panel."""

    reviewer: User
    assigned: int
    submitted: int
    conflicts_declared: int
    mean_given: Decimal | None
    min_given: Decimal | None
    max_given: Decimal | None
    stddev_given: Decimal | None
    vs_panel: Decimal | None  # mean of (sheet − panel mean of its rubric group)
    vs_entries: Decimal | None  # mean of (sheet − mean of all sheets of the same entry)

    @property
    def spread(self) -> Decimal | None:
        if self.min_given is None or self.max_given is None:
            return None
        return self.max_given - self.min_given


def reviewer_results(*, round: Round) -> list[ReviewerStat]:
    """Per reviewer with active assignments in ``round``: sheets assigned and submitted,
    conflicts pending, the mean, range and standard deviation of the totals they gave, and
    how far above (+) or below (−) the panel and their entries' means they score. Two
    queries; ordered by name."""
    params = {
        "round": round.pk,
        "individual_kind": ModelKind.INDIVIDUAL_EXEMPLAR.value,
        "submitted": SheetStatus.SUBMITTED.value,
        "approved": ConflictStatus.APPROVED.value,
        "declared": ConflictStatus.DECLARED.value,
    }
    sql = _REVIEWERS.format(
        sheet=_table(ScoreSheet),
        assignment=_table(Assignment),
        entry=_table(RoundEntry),
        dvk_model=_table(DvkModel),
    )
    sql, ordered = _named_to_positional(sql, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, ordered)
        rows = cursor.fetchall()
    users = User.objects.in_bulk([row[0] for row in rows])
    stats = []
    for (
        reviewer_id,
        assigned,
        submitted,
        conflicts,
        mean_given,
        min_given,
        max_given,
        stddev_given,
        vs_panel,
        vs_entries,
    ) in rows:
        stats.append(
            ReviewerStat(
                reviewer=users[reviewer_id],
                assigned=assigned,
                submitted=submitted or 0,
                conflicts_declared=conflicts or 0,
                mean_given=_decimal(mean_given),
                min_given=_decimal(min_given),
                max_given=_decimal(max_given),
                stddev_given=_decimal(stddev_given),
                vs_panel=_decimal(vs_panel),
                vs_entries=_decimal(vs_entries),
            )
        )
    return sorted(stats, key=lambda s: (str(s.reviewer).casefold(), s.reviewer.pk))
