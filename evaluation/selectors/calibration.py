"""What the calibrated score rests on, in figures people can check: each reviewer's
estimated leniency with its uncertainty and the number of sheets behind it, and the
warnings that limit it (reviewers with few sheets, groups of reviewers that share no
entry). Names reviewers: the secretariat only.

The model itself is ``evaluation.calibration``; ``selectors.aggregation.round_fits`` fits it
to a round's counted sheets.
"""

from dataclasses import dataclass
from decimal import Decimal

from danvan.models import User

from .. import calibration
from ..enums import RubricAppliesTo
from ..models import Round
from .aggregation import COLLECTIVE, INDIVIDUAL, round_fits

# A leniency resting on fewer sheets than this is mostly the prior (shrunk toward 0): the
# explanation warns about such reviewers.
MIN_SHEETS_FOR_LENIENCY = 3
CENT = Decimal("0.01")


def _points(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


@dataclass(frozen=True)
class ReviewerLeniency:
    """One reviewer's estimated leniency in one rubric group of a round."""

    reviewer: User
    leniency: Decimal  # points above (+) or below (−) the panel on the same entries
    uncertainty: Decimal  # its standard deviation, points
    sheets: int
    group: int  # connected group of reviewers (0 = the largest)

    @property
    def few_sheets(self) -> bool:
        return self.sheets < MIN_SHEETS_FOR_LENIENCY

    @property
    def clear(self) -> bool:
        """The leniency is larger than twice its uncertainty (not just noise)."""
        return abs(self.leniency) > 2 * self.uncertainty


@dataclass(frozen=True)
class GroupCalibration:
    """The fitted model of one rubric group (collectives or individuals) of a round."""

    applies_to: str
    label: str
    reviewers: list[ReviewerLeniency]  # most lenient first
    groups: int  # connected groups of reviewers; > 1: leniencies not comparable across
    sheets: int
    entries: int
    shrinkage: Decimal  # λ: a reviewer's leniency counts half after this many sheets
    noise_sd: Decimal  # points: how much sheets of one entry differ beyond leniency
    spread_sd: Decimal  # points: how much reviewers' leniencies differ

    @property
    def few_sheet_reviewers(self) -> list[ReviewerLeniency]:
        return [r for r in self.reviewers if r.few_sheets]

    @property
    def disconnected(self) -> bool:
        return self.groups > 1


@dataclass(frozen=True)
class CalibrationSummary:
    """Per rubric group with counted sheets (collectives first)."""

    groups: list[GroupCalibration]
    min_sheets: int = MIN_SHEETS_FOR_LENIENCY

    @property
    def has_warnings(self) -> bool:
        return any(g.disconnected or g.few_sheet_reviewers for g in self.groups)


def summarise(fits: dict[str, calibration.Fit], users: dict | None = None) -> CalibrationSummary:
    """``CalibrationSummary`` of fitted models (one query: the reviewers, none when
    ``users``, reviewers by id already read, holds them all)."""
    ids = {rid for fit in fits.values() for rid in fit.leniencies}
    users = dict(users or {})
    missing = ids - set(users)
    if missing:
        users.update(User.objects.in_bulk(missing))
    groups = []
    for applies_to in (COLLECTIVE, INDIVIDUAL):
        fit = fits.get(applies_to)
        if fit is None or not fit.leniencies:
            continue
        reviewers = sorted(
            (
                ReviewerLeniency(
                    reviewer=users[found.reviewer_id],
                    leniency=_points(found.leniency),
                    uncertainty=_points(found.uncertainty),
                    sheets=found.sheets,
                    group=found.group,
                )
                for found in fit.leniencies.values()
            ),
            key=lambda r: (-r.leniency, str(r.reviewer).casefold(), r.reviewer.pk),
        )
        groups.append(
            GroupCalibration(
                applies_to=applies_to,
                label=str(RubricAppliesTo(applies_to).label),
                reviewers=reviewers,
                groups=fit.groups,
                sheets=sum(r.sheets for r in reviewers),
                entries=len(fit.quality),
                shrinkage=_points(fit.shrinkage),
                noise_sd=_points(fit.noise_sd),
                spread_sd=_points(fit.spread_sd),
            )
        )
    return CalibrationSummary(groups=groups)


def calibration_summary(*, round: Round) -> CalibrationSummary:
    """The round's calibration in figures (two queries): per rubric group, every reviewer
    with counted sheets — ``leniency`` ± ``uncertainty`` (points), ``sheets``, ``group``,
    ``few_sheets``, ``clear`` —, the number of connected ``groups`` (``disconnected``),
    ``shrinkage`` (λ in sheets), ``noise_sd`` and ``spread_sd``. The secretariat only."""
    return summarise(round_fits(round))
