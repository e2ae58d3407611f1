"""Pure validators of a rubric: the one place its rules are written.

The rubric builder's formsets (``evaluation.forms.manage``) and the rubric services call
the same functions, so a rule is checked the same way whoever saves: the criteria's points
add up to the rubric's total and go in steps of 0.5; tiers have unique names and minimums
(no overlap), the lowest starts at 0 (no gap) and none starts above the total. No database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from danvan.dates import format_date
from danvan.numbers import format_decimal, is_multiple, parse_decimal

POINT_STEP = Decimal("0.5")
TIER_STEP = Decimal("0.1")


def parse_points(value) -> Decimal | None:
    """Points as typed ("12,5" or "12.5"); None when empty; ``ValueError`` otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_decimal(value)


def is_step(value: Decimal, step: Decimal = POINT_STEP) -> bool:
    return is_multiple(value, step)


@dataclass
class RowErrors:
    """Messages for a list of rows: ``rows[index][field]``, and ``general`` for the list."""

    rows: dict[int, dict[str, list[str]]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def add(self, index: int | None, field_name: str, message: str) -> None:
        if index is None:
            self.general.append(message)
        else:
            self.rows.setdefault(index, {}).setdefault(field_name, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.rows or self.general)

    @property
    def messages(self) -> list[str]:
        found = list(self.general)
        for fields in self.rows.values():
            for messages in fields.values():
                found += messages
        return found

    def as_errors(self, prefix: str) -> dict[str, list[str]]:
        """Keyed like the formset's inputs (``criteria-0-max_points``; ``criteria`` for the
        list), for a ``DomainError``'s ``errors``."""
        errors = {
            f"{prefix}-{index}-{name}": list(messages)
            for index, fields in self.rows.items()
            for name, messages in fields.items()
        }
        if self.general:
            errors[prefix] = list(self.general)
        return errors


def header_errors(*, name: str, total_points: Decimal | None) -> dict[str, list[str]]:
    """A rubric's name and total (the campaign is checked by the service: it needs the tree)."""
    errors: dict[str, list[str]] = {}
    if not (name or "").strip():
        errors["name"] = [_("Please give the rubric a name.")]
    if total_points is None or total_points <= 0:
        errors["total_points"] = [_("The total must be more than 0 points.")]
    elif not is_step(total_points):
        errors["total_points"] = [_("Points go in steps of 0.5.")]
    return errors


def criteria_errors(*, total_points: Decimal | None, criteria: list[dict]) -> RowErrors:
    """Check criterion rows (``title``, ``max_points``) against the rubric's total (not
    checked when ``total_points`` is None, e.g. while the total itself is invalid)."""
    errors = RowErrors()
    if not criteria:
        errors.add(None, "", _("Add at least one criterion."))
        return errors
    points_sum = Decimal(0)
    all_numbers = True
    for index, row in enumerate(criteria):
        if not (row.get("title") or "").strip():
            errors.add(index, "title", _("Please give the criterion a title."))
        try:
            points = parse_points(row.get("max_points"))
        except ValueError:
            errors.add(index, "max_points", _("Enter a number of points, e.g. 15 or 12.5."))
            all_numbers = False
            continue
        if points is None:
            errors.add(index, "max_points", _("Please give the maximum points."))
            all_numbers = False
            continue
        if points <= 0:
            errors.add(index, "max_points", _("The maximum must be more than 0 points."))
        elif not is_step(points):
            errors.add(index, "max_points", _("Points go in steps of 0.5."))
        points_sum += points
    if all_numbers and total_points is not None and points_sum != total_points:
        errors.add(
            None,
            "",
            _("The criteria add up to %(sum)s points but the rubric's total is %(total)s.")
            % {"sum": format_decimal(points_sum), "total": format_decimal(total_points)},
        )
    return errors


def tiers_errors(*, total_points: Decimal | None, tiers: list[dict]) -> RowErrors:
    """Check tier rows (``name``, ``min_score``): unique names and minimums, the lowest at
    0, none above the total (not checked when ``total_points`` is None)."""
    errors = RowErrors()
    if not tiers:
        errors.add(None, "", _("Add at least one tier."))
        return errors
    names: set[str] = set()
    minimums: set[Decimal] = set()
    for index, row in enumerate(tiers):
        name = " ".join((row.get("name") or "").split())
        if not name:
            errors.add(index, "name", _("Please give the tier a name."))
        elif name.casefold() in names:
            errors.add(index, "name", _("Another tier already has this name."))
        names.add(name.casefold())
        try:
            minimum = parse_points(row.get("min_score"))
        except ValueError:
            errors.add(index, "min_score", _("Enter a number of points, e.g. 80 or 65.5."))
            continue
        if minimum is None:
            errors.add(index, "min_score", _("Please give the score this tier starts from."))
            continue
        if minimum < 0:
            errors.add(index, "min_score", _("A tier cannot start below 0."))
        elif total_points is not None and minimum > total_points:
            errors.add(
                index,
                "min_score",
                _("A tier cannot start above the rubric's total of %(total)s points.")
                % {"total": format_decimal(total_points)},
            )
        elif not is_step(minimum, TIER_STEP):
            errors.add(index, "min_score", _("Use at most one decimal place."))
        if minimum in minimums:
            errors.add(
                index, "min_score", _("Two tiers cannot start from the same score: they overlap.")
            )
        minimums.add(minimum)
    if minimums and min(minimums) != 0:
        errors.add(
            None,
            "",
            _("The lowest tier must start from 0 so that every score falls in a tier."),
        )
    return errors


# --- A round's dates against its campaign's (warnings, never refusals) ---------------------


def round_date_warnings(*, campaign, scoring_opens, scoring_closes) -> list[str]:
    """What a round's scoring window contradicts in its campaign's dates: it opens before
    the campaign's registration has closed, or it is not the scoring window the campaign
    page announces. Both are allowed (a late round, a second round); the round's and the
    campaign's pages show these so that the secretariat notices. Empty when consistent."""
    if campaign is None or scoring_opens is None or scoring_closes is None:
        return []
    warnings = []
    if scoring_opens <= campaign.registration_closes:
        warnings.append(
            _(
                "Scoring opens on %(opens)s, before the campaign's registration closes "
                "(%(closes)s): models registered after the round opens are not in it."
            )
            % {
                "opens": format_date(scoring_opens),
                "closes": format_date(campaign.registration_closes),
            }
        )
    if (scoring_opens, scoring_closes) != (campaign.scoring_opens, campaign.scoring_closes):
        warnings.append(
            _(
                "The round scores from %(opens)s to %(closes)s, but the campaign announces "
                "scoring from %(campaign_opens)s to %(campaign_closes)s: change one of them "
                "so that units and reviewers read the same dates."
            )
            % {
                "opens": format_date(scoring_opens),
                "closes": format_date(scoring_closes),
                "campaign_opens": format_date(campaign.scoring_opens),
                "campaign_closes": format_date(campaign.scoring_closes),
            }
        )
    return warnings
