"""Per-criterion figures of a round's counted sheets: what the drill-down, the results
export and the units' feedback show criterion by criterion."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Max, Min

from ..enums import SheetStatus
from ..models import Criterion, CriterionScore, Round
from ..models.rounds import active_assignment_q
from .aggregation import COLLECTIVE, INDIVIDUAL

CENT = Decimal("0.01")


@dataclass(frozen=True)
class CriterionStat:
    """The points the counted sheets of one entry gave one criterion."""

    mean: Decimal
    min: Decimal
    max: Decimal
    count: int

    @property
    def spread(self) -> Decimal:
        return self.max - self.min


def criterion_stats(
    *, round: Round, entry_ids: list[int] | None = None
) -> dict[int, dict[int, CriterionStat]]:
    """``{entry_id: {criterion_id: CriterionStat}}`` over the counted sheets (submitted, of
    active assignments) of ``round``, or of ``entry_ids`` only (one query). A criterion no
    counted sheet scored is absent."""
    qs = CriterionScore.objects.filter(
        active_assignment_q("sheet__assignment__"),
        sheet__assignment__round=round,
        sheet__status=SheetStatus.SUBMITTED,
        points__isnull=False,
    )
    if entry_ids is not None:
        qs = qs.filter(sheet__assignment__entry_id__in=entry_ids)
    rows = (
        qs.values("sheet__assignment__entry_id", "criterion_id")
        .annotate(mean=Avg("points"), low=Min("points"), high=Max("points"), n=Count("pk"))
        .order_by()
    )
    stats: dict[int, dict[int, CriterionStat]] = {}
    for row in rows:
        stats.setdefault(row["sheet__assignment__entry_id"], {})[row["criterion_id"]] = (
            CriterionStat(
                mean=Decimal(str(row["mean"])).quantize(CENT),
                min=Decimal(str(row["low"])),
                max=Decimal(str(row["high"])),
                count=row["n"],
            )
        )
    return stats


def round_criteria(*, round: Round) -> dict[str, list[Criterion]]:
    """The criteria of the round's rubrics by group (``"collective"``, ``"individual"``),
    in rubric order (one query)."""
    ids = {COLLECTIVE: round.rubric_collective_id, INDIVIDUAL: round.rubric_individual_id}
    criteria = Criterion.objects.filter(rubric_id__in=[i for i in ids.values() if i]).order_by(
        "rubric_id", "position", "pk"
    )
    by_rubric: dict[int, list[Criterion]] = {}
    for criterion in criteria:
        by_rubric.setdefault(criterion.rubric_id, []).append(criterion)
    return {group: by_rubric.get(pk, []) for group, pk in ids.items()}
