"""One page of a round's results — live or finalised — with the filters, the search and
the sort applied in SQL, and its total counted by the same query (live) or one aggregate
(finalised). Ranks are always those of the whole round."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Sum, When, Window

from danvan.db import vi_order
from danvan.utils import fold_vietnamese

from .. import calibration
from ..enums import RubricAppliesTo
from ..models import Result, Round
from .aggregation import RoundRubrics, entry_results_page
from .results import final_results
from .rounds import add_progress, rounds_visible_to, with_entry_count

# Rows on one results page: a screen or two, whatever the size of the round.
RESULTS_PER_PAGE = 50


@dataclass(frozen=True)
class ResultsPage:
    """``page_obj`` (a Django ``Page`` of the rows, for ``includes/pagination.html``),
    its ``rows``, and ``tier_changes``: how many rows matching the filters reach another
    tier by their raw score alone."""

    page_obj: Page
    tier_changes: int

    @property
    def rows(self) -> list:
        return self.page_obj.object_list


class _Counted:
    """A stand-in list of ``total`` rows for the ``Paginator`` (the rows come from SQL)."""

    def __init__(self, total: int):
        self.total = total

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        return []


def _page(rows: list, number: int, total: int, per_page: int) -> Page:
    paginator = Paginator(_Counted(total), per_page)
    return Page(rows, number, paginator)


def _number(page_number) -> int:
    try:
        return max(1, int(page_number))
    except (TypeError, ValueError):
        return 1


def live_results_page(
    *,
    round: Round,
    filters: dict,
    page_number=1,
    sort: str = "rank",
    fits: dict[str, calibration.Fit] | None = None,
    rubrics: RoundRubrics | None = None,
    per_page: int | None = None,
) -> ResultsPage:
    """One page of the live results of ``round`` (``entry_results_page``: one statement
    ranks every entry and returns the page with the count). A page past the end shows the
    last one (one more query)."""
    number = _number(page_number)
    per_page = per_page or RESULTS_PER_PAGE

    def fetch(n):
        return entry_results_page(
            round=round,
            fits=fits,
            rubrics=rubrics,
            sort=sort,
            limit=per_page,
            offset=(n - 1) * per_page,
            **filters,
        )

    found = fetch(number)
    if not found.rows and number > 1:
        total = fetch(1).total if found.total == 0 else found.total
        number = max(1, -(-total // per_page))
        found = fetch(number)
    return ResultsPage(
        page_obj=_page(found.rows, number, found.total, per_page),
        tier_changes=found.tier_changes,
    )


_FINAL_ORDERS = {
    "name": (vi_order("dvk_model__name"), "entry_id", "pk"),
    "unit": (vi_order("dvk_model__unit__name"), vi_order("dvk_model__name"), "entry_id", "pk"),
    "stddev": (F("stddev").desc(nulls_last=True), "entry_id", "pk"),
}
# The raw tier is known (rounds finalised before it was recorded have "") and differs.
TIER_CHANGED_Q = ~Q(raw_tier_name="") & ~Q(raw_tier_name=F("tier_name"))


def final_results_filtered(*, round: Round, filters: dict, sort: str = "rank"):
    """The finalised results of ``round`` matching the page's ``filters`` (those of
    ``live_results_page``, with ``tier_name`` for the tier and the extra flag
    ``exemplary``), in ``sort`` order (one query when evaluated)."""
    qs = final_results(
        round=round,
        unit_kind=filters.get("unit_kind"),
        field=filters.get("field"),
        model_kind=filters.get("model_kind"),
        tier_name=filters.get("tier_name"),
    )
    group = filters.get("group")
    if group:
        individual = Q(dvk_model__kind__in=RubricAppliesTo.INDIVIDUAL.model_kinds)
        qs = qs.filter(individual if group == RubricAppliesTo.INDIVIDUAL else ~individual)
    flag = filters.get("flag")
    if flag == "disagreement":
        qs = qs.filter(disagreement=True)
    elif flag == "tier_changed":
        qs = qs.filter(TIER_CHANGED_Q)
    elif flag in ("recognised", "exemplary"):
        qs = qs.filter(**{flag: True})
    folded = fold_vietnamese(filters.get("search") or "")
    if folded:
        qs = qs.filter(
            Q(dvk_model__search_text__contains=folded)
            | Q(dvk_model__unit__search_text__contains=folded)
        )
    if sort in _FINAL_ORDERS:
        qs = qs.order_by(*_FINAL_ORDERS[sort])
    return qs


def final_results_page(
    *,
    round: Round,
    filters: dict,
    page_number=1,
    sort: str = "rank",
    per_page: int | None = None,
) -> ResultsPage:
    """One page of the finalised results of ``round``: two queries — the page's ids with
    the count and the tier changes of every matching row as windows, over the narrow rows
    (only the joins the filters and the sort need), then those rows with their model,
    unit, field and entry (a page past the end shows the last one: two more)."""
    per_page = per_page or RESULTS_PER_PAGE
    qs = final_results_filtered(round=round, filters=filters, sort=sort)
    ids = qs.annotate(
        matching=Window(Count("pk")),
        changes=Window(Sum(Case(When(TIER_CHANGED_Q, then=1), default=0))),
    ).values_list("pk", "matching", "changes")
    number = _number(page_number)
    found = list(ids[(number - 1) * per_page : number * per_page])
    if not found and number > 1:
        total = qs.count()
        number = max(1, -(-total // per_page))
        found = list(ids[(number - 1) * per_page : number * per_page])
    by_pk = qs.order_by().in_bulk([pk for pk, _matching, _changes in found])
    rows = [by_pk[pk] for pk, _matching, _changes in found]
    total = found[0][1] if found else 0
    return ResultsPage(
        page_obj=_page(rows, number, total, per_page),
        tier_changes=found[0][2] or 0 if found else 0,
    )


def round_for_results(*, round_id: int, user) -> Round:
    """The round of a results page: with ``entry_count``, campaign, scope unit, rubrics
    and finaliser, and the policy its finalised results were computed with
    (``snapshot_aggregation``, ``snapshot_rank_by``: for ``final_policy``) in one query;
    an unfinalised round also gets the progress counts of ``add_progress`` (one more).
    Raises ``Round.DoesNotExist`` when the user may not see it."""
    first = Result.objects.filter(round=OuterRef("pk")).order_by("pk")
    round_ = (
        with_entry_count(rounds_visible_to(user=user))
        .annotate(
            snapshot_aggregation=Subquery(first.values("aggregation")[:1]),
            snapshot_rank_by=Subquery(first.values("rank_by")[:1]),
        )
        .select_related(
            "campaign", "scope_unit", "rubric_collective", "rubric_individual", "finalised_by"
        )
        .get(pk=round_id)
    )
    return round_ if round_.is_finalised else add_progress(round_)
