"""The models linked to a model (its lineage across years, the models replicating it,
the model it replicates), read once for the model's page, with whether the viewer may
open each."""

from django.db.models import (
    Case,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from danvan.extensions import extra_readers_q
from danvan.models import User
from danvan.utils import vietnamese_sort_key

from ..enums import ModelStatus
from ..models import DvkModel
from .scope import _own_visibility_q

# The statuses in which a model that replicates another shows on that model's page.
REPLICATION_STATUSES = (ModelStatus.SUBMITTED, ModelStatus.ACCEPTED)


def _relative_pks(dvk_model: DvkModel) -> RawSQL:
    """As a subquery, the ids of every model linked to ``dvk_model`` by carry-overs
    (``predecessor``), in either direction — one recursive walk along the predecessor
    index and the primary key (``UNION`` drops rows already reached, so even a cycle ends)
    —, of the submitted or accepted models that replicate it, and of the model it
    replicates."""
    table = DvkModel._meta.db_table
    sql = (
        f'WITH RECURSIVE "__lineage"("id", "predecessor_id") AS ('
        f'SELECT "id", "predecessor_id" FROM "{table}" WHERE "id" = %s '  # nosec B608 # identifiers from the models' _meta, every value a bound parameter (docs/security.md)
        f'UNION SELECT M."id", M."predecessor_id" FROM "{table}" M JOIN "__lineage" L '
        f'ON (M."predecessor_id" = L."id" OR M."id" = L."predecessor_id")) '
        f'SELECT "id" FROM "__lineage" '
        f'UNION SELECT "id" FROM "{table}" WHERE "replicates_id" = %s AND "status" IN (%s, %s)'
    )
    params = [dvk_model.pk, dvk_model.pk, *REPLICATION_STATUSES]
    if dvk_model.replicates_id is not None:
        sql += " UNION SELECT %s"
        params.append(dvk_model.replicates_id)
    return RawSQL(sql, params)  # nosec B611 # the lineage walk above, values bound


def _relatives(dvk_model: DvkModel, viewer: User | None) -> dict[int, DvkModel]:
    """The models of ``_relative_pks`` by pk (the model itself included), with campaign
    and unit joined and, with ``viewer``, ``viewer_may_view`` (``dvk_models_visible_to``).
    Kept on the instance: the model's page reads its lineage, its replications, whether
    the predecessor and the replicated model open and, through awards, its lineage's ids
    from it.

    One query; one more, for the extra readers' conditions
    (``danvan.extensions.register_reader``) on the few rows the viewer's own policy does
    not open (flagged in SQL: a filter on these rows only, never an EXISTS over every
    visible model, which PostgreSQL would hash in full)."""
    memo = dvk_model.__dict__.setdefault("_relatives", {})
    key = viewer.pk if viewer is not None else None
    if key is None and memo:
        return next(iter(memo.values()))
    if key in memo:
        return memo[key]
    qs = DvkModel.objects.filter(pk__in=_relative_pks(dvk_model)).select_related("campaign", "unit")
    scoped = viewer is not None and not viewer.is_superuser and viewer.scope_unit_id is not None
    if scoped:
        qs = qs.annotate(
            viewer_may_view=Case(
                When(_own_visibility_q(viewer), then=Value(True)), default=Value(False)
            )
        )
    rows = {row.pk: row for row in qs}
    if viewer is not None:
        for row in rows.values():
            if not scoped:
                row.viewer_may_view = viewer.is_superuser
        unknown = [pk for pk, row in rows.items() if not row.viewer_may_view and pk != dvk_model.pk]
        extra = extra_readers_q("models_registry.DvkModel", viewer) if unknown else None
        if extra is not None:
            for pk in DvkModel.objects.filter(extra, pk__in=unknown).values_list("pk", flat=True):
                rows[pk].viewer_may_view = True
    memo[key] = rows
    return rows


def attach_linked_models(*, dvk_model: DvkModel, viewer: User | None = None) -> None:
    """Set ``dvk_model.predecessor`` and ``.replicates`` (with campaign and unit) from the
    rows ``_relatives`` read anyway — no query of their own."""
    rows = _relatives(dvk_model, viewer)
    for name in ("predecessor", "replicates"):
        pk = getattr(dvk_model, f"{name}_id")
        if (
            pk is not None
            and pk in rows
            and not DvkModel._meta.get_field(name).is_cached(dvk_model)
        ):
            setattr(dvk_model, name, rows[pk])


def dvk_model_readable_relatives(*, dvk_model: DvkModel, viewer: User) -> set[int]:
    """The pks among the model's lineage, replications and replicated model that
    ``viewer`` may open (the rule ``view_dvkmodel``) — no query after ``_relatives``."""
    return {pk for pk, row in _relatives(dvk_model, viewer).items() if row.viewer_may_view}


def dvk_model_lineage_component(*, dvk_model: DvkModel) -> dict[int, DvkModel]:
    """Every model linked to ``dvk_model`` by carry-overs, in either direction and across
    branches, by pk (itself included), with campaign and unit joined (no query when the
    page's lineage or replications read them already)."""
    rows = _relatives(dvk_model, None)
    component = {dvk_model.pk: rows.get(dvk_model.pk, dvk_model)}
    frontier = [dvk_model.pk]
    while frontier:
        predecessors = {component[pk].predecessor_id for pk in frontier}
        reached = [
            row
            for row in rows.values()
            if row.pk not in component
            and (row.predecessor_id in frontier or row.pk in predecessors)
        ]
        component.update((row.pk, row) for row in reached)
        frontier = [row.pk for row in reached]
    return component


def dvk_model_lineage(*, dvk_model: DvkModel, viewer: User | None = None) -> list[DvkModel]:
    """The model's history across years: predecessors (oldest first), itself, successors
    (generation by generation, each newest first). With ``viewer``, only the years the
    viewer may read (another unit reading a library model never sees, nor gets a link to,
    its draft or returned continuation): the rule ``view_dvkmodel``, the same policy as
    ``dvk_models_visible_to``.

    One query for the lineage and the replications (``_relatives``), whatever the number
    of years.
    """
    rows = _relatives(dvk_model, viewer)
    component = dvk_model_lineage_component(dvk_model=dvk_model)
    earlier = []
    node = dvk_model
    seen = {dvk_model.pk}
    while node.predecessor_id in component and node.predecessor_id not in seen:
        node = component[node.predecessor_id]
        seen.add(node.pk)
        earlier.append(node)
    children: dict[int, list[DvkModel]] = {}
    for row in component.values():
        children.setdefault(row.predecessor_id, []).append(row)
    later = []
    frontier = [dvk_model.pk]
    while frontier:
        # The order the model's default ordering gave one query per generation.
        generation = sorted(
            (c for pk in frontier for c in children.get(pk, []) if c.pk not in seen),
            key=lambda c: c.created_at,
            reverse=True,
        )
        seen.update(c.pk for c in generation)
        later.extend(generation)
        frontier = [c.pk for c in generation]
    lineage = [*reversed(earlier), dvk_model, *later]
    if viewer is None:
        return lineage
    return [m for m in lineage if m.pk == dvk_model.pk or rows[m.pk].viewer_may_view]


def replications_of(dvk_model: DvkModel, *, viewer: User | None = None) -> list[DvkModel]:
    """The models that declare they replicate ``dvk_model`` ("được nhân rộng tại …"):
    submitted or accepted ones only (never a draft, a returned or a withdrawn one), with
    unit and campaign joined, by year and then unit in Vietnamese order. One query, shared
    with the lineage (``_relatives``).

    With ``viewer``, each carries ``viewer_may_view`` (the same policy as the rule
    ``view_dvkmodel``, through ``dvk_models_visible_to``), so the page links only those.
    """
    rows = _relatives(dvk_model, viewer).values()
    found = [
        m for m in rows if m.replicates_id == dvk_model.pk and m.status in REPLICATION_STATUSES
    ]
    return sorted(found, key=lambda m: (m.campaign.year, vietnamese_sort_key(m.unit.name), m.pk))
