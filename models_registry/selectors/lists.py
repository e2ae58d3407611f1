"""Lists of models: their shape (joins and counts), the officer's list, the intake list's
rows and order, carry-over and replication choices."""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from danvan.db import vi_order
from danvan.models import Unit, User
from danvan.selectors import (
    filter_to_scope,
)
from danvan.utils import fold_vietnamese

from ..enums import ModelStatus
from ..models import Attachment, Campaign, DvkModel
from .scope import dvk_models_visible_to

# Lists a unit works through show what needs its attention first.
STATUS_ATTENTION_ORDER = Case(
    When(status=ModelStatus.RETURNED, then=Value(0)),
    When(status=ModelStatus.DRAFT, then=Value(1)),
    When(status=ModelStatus.SUBMITTED, then=Value(2)),
    default=Value(3),
)


# Where a registered model comes from, as the December report counts it: carried over
# (duy trì) from an earlier year, replicating another unit's model (nhân rộng), or new.
ORIGIN_Q = {
    "new": Q(predecessor__isnull=True, replicates__isnull=True),
    "maintained": Q(predecessor__isnull=False),
    "replicated": Q(predecessor__isnull=True, replicates__isnull=False),
}


def dvk_model_list(*, queryset: QuerySet[DvkModel]) -> QuerySet[DvkModel]:
    """The shape of every list of models: the related rows a row shows, and counts.

    The attachment count is a correlated subquery, not a join with GROUP BY: it is
    computed for the rows of the page only (PostgreSQL evaluates it after ORDER BY …
    LIMIT) and the paginator's COUNT(*) leaves it out."""
    attachments = (
        Attachment.objects.filter(dvk_model=OuterRef("pk"))
        .order_by()
        .values("dvk_model")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.select_related("unit", "field", "field__parent", "campaign").annotate(
        attachment_count=Coalesce(Subquery(attachments), 0)
    )


def dvk_models_of_unit(*, user: User, campaign: Campaign) -> QuerySet[DvkModel]:
    """The models of the user's own unit subtree in ``campaign`` (the officer's list)."""
    return dvk_model_list(
        queryset=filter_to_scope(DvkModel.objects.filter(campaign=campaign), user=user)
    ).order_by(STATUS_ATTENTION_ORDER, "-updated_at")


def carry_over_candidates(*, user: User, campaign: Campaign) -> QuerySet[DvkModel]:
    """Accepted models of earlier years in the user's scope not yet carried into ``campaign``."""
    already = DvkModel.objects.filter(campaign=campaign, predecessor=OuterRef("pk"))
    return (
        filter_to_scope(
            DvkModel.objects.filter(status=ModelStatus.ACCEPTED, campaign__year__lt=campaign.year),
            user=user,
        )
        .annotate(carried=Exists(already))
        .filter(carried=False)
        .select_related("campaign", "unit", "field")
        .order_by("-campaign__year", vi_order("name"))
    )


def replication_choices(*, user: User, exclude_unit: Unit | None) -> QuerySet[DvkModel]:
    """Every model a registration of ``exclude_unit`` may declare it replicates: accepted
    models of other units that ``user`` may read. The search offers these and the form
    accepts nothing else."""
    qs = dvk_models_visible_to(user=user).filter(status=ModelStatus.ACCEPTED)
    if exclude_unit is not None:
        qs = qs.exclude(unit=exclude_unit)
    return qs


def search_words(query: str, *, max_length: int = 100) -> str:
    """Typed search words folded for ``search_text`` (diacritics and case ignored), with
    the control characters a browser never sends but a crafted request may (a NUL byte
    makes PostgreSQL refuse the query) removed."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in (query or "")[:max_length])
    return fold_vietnamese(cleaned)


class _InSet(Func):
    """``expression`` is one of the values of ``subquery``: ``= ANY(ARRAY(subquery))`` on
    PostgreSQL — the set is computed once, before the rows, and an index on the column
    can take it (alone or in a BitmapOr) —, ``IN (subquery)`` elsewhere."""

    conditional = True
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        (lhs, lhs_params), (rhs, rhs_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)


def model_or_unit_matches(folded: str) -> Q:
    """Models whose own words or whose unit's contain ``folded`` (already folded). The
    units' ids are a set computed once, so that on PostgreSQL both sides read an index —
    the models' trigram index OR the unit index with the unit trigram index's matches —,
    combined in one bitmap; an OR across the join to the unit can use neither and reads
    every model."""
    return Q(search_text__contains=folded) | unit_matches(folded)


def unit_matches(folded: str) -> Q:
    """Models whose unit's folded name contains ``folded`` (the units through their
    trigram index on PostgreSQL, as a set computed once)."""
    units = Subquery(Unit.objects.filter(search_text__contains=folded).values("pk"))
    return Q(_InSet(F("unit_id"), units))


def replication_candidates(*, user: User, query: str, exclude_unit: Unit, limit: int = 20):
    """The ``replication_choices`` matching ``query`` (diacritics ignored), newest first."""
    qs = replication_choices(user=user, exclude_unit=exclude_unit)
    folded = search_words(query)
    if folded:
        qs = qs.filter(search_text__contains=folded)
    qs = qs.select_related("unit", "campaign")
    return qs.order_by("-campaign__year", vi_order("name"))[:limit]


# The intake list's order: newest submission first (a model never submitted, which only
# data loaded by hand can hold, last on every database), then the newest row.
INTAKE_ORDER = (F("submitted_at").desc(nulls_last=True), F("pk").desc())
INTAKE_ORDER_REVERSED = (F("submitted_at").asc(nulls_first=True), F("pk").asc())


def intake_scope(*, user: User) -> QuerySet[DvkModel]:
    """The rows of the intake list, without the list's joins and counts: non-draft models
    ``user`` may read, in the list's order. The intake filters apply to it (the list, its
    export and the previous/next links of the model page filter the same rows)."""
    visible = dvk_models_visible_to(user=user)
    return visible.exclude(status=ModelStatus.DRAFT).order_by(*INTAKE_ORDER)


def intake_queryset(*, user: User) -> QuerySet[DvkModel]:
    """What the secretariat's intake list filters: non-draft models in scope."""
    return dvk_model_list(queryset=intake_scope(user=user)).order_by(*INTAKE_ORDER)


def unit_model_counts(*, user: User, campaign: Campaign) -> dict[str, int]:
    """Counts by status of the user's unit models in ``campaign`` (one grouped query)."""
    rows = (
        filter_to_scope(DvkModel.objects.filter(campaign=campaign), user=user)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}
