"""Reads of units and users, with their query shapes."""

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL

from .db import vi_order
from .models import Unit, UnitSuccession, User
from .utils import fold_vietnamese


def unit_ancestor_ids(*, unit: Unit) -> list[int]:
    """Ids from the root down to ``unit`` itself (one recursive query walking up from the
    unit, or none if loaded with tree fields). Kept on the instance: the signed-in user's
    unit is asked for by several panels, rules and selectors of one request."""
    if hasattr(unit, "tree_path"):
        return list(unit.tree_path)
    if "_ancestor_ids" not in unit.__dict__:
        unit._ancestor_ids = _ancestor_ids(unit.pk)
    return list(unit._ancestor_ids)


def _walk_up(start: str) -> str:
    """The recursive walk up the parent links from the unit whose id is ``start`` (SQL):
    rows of ``"__up"("id", "parent", "depth")``, the unit itself at depth 0."""
    table = Unit._meta.db_table
    parent = Unit._meta.get_field("parent").column
    return (
        f'WITH RECURSIVE "__up"("id", "parent", "depth") AS ('  # nosec B608 # identifiers from the models' _meta, every value a bound parameter (docs/security.md)
        f'SELECT "id", "{parent}", 0 FROM "{table}" WHERE "id" = {start} '
        f'UNION ALL SELECT U."id", U."{parent}", A."depth" + 1 FROM "{table}" U '
        f'JOIN "__up" A ON U."id" = A."parent") '
    )


def _ancestor_ids(unit_id: int) -> list[int]:
    """A walk up the parent links from ``unit_id`` (the primary key serves each step) —
    not the tree-fields CTE, which numbers every unit of the table to find one path."""
    with connection.cursor() as cursor:
        cursor.execute(_walk_up("%s") + 'SELECT "id" FROM "__up" ORDER BY "depth" DESC', [unit_id])  # nosec B608
        return [row[0] for row in cursor.fetchall()]


def ancestor_pks(unit_id: int) -> RawSQL:
    """``unit_id`` and every unit above it, as a subquery for ``<unit field>__in`` filters
    (e.g. the campaigns organised by a unit or one above it): the walk up, a few steps."""
    return RawSQL(_walk_up("%s") + 'SELECT "id" FROM "__up"', (unit_id,))  # nosec B608 B611


class UnitWithin(Func):
    """True when the unit in ``unit_field`` is ``root_id`` or lies below it: a walk UP from
    that unit correlated to the outer row (a few steps by primary key).

    Cheaper than ``<unit field>__in=subtree_pks(root_id)`` when few rows are tested (a
    round, a page of rounds): walking down a province reads its thousands of units,
    walking up reads one unit's ancestors. PostgreSQL and SQLite."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, unit_field: str, root_id: int):
        super().__init__(F(unit_field))
        self.root_id = root_id

    def as_sql(self, compiler, connection, **extra_context):
        unit_sql, unit_params = compiler.compile(self.source_expressions[0])
        sql = f'EXISTS ({_walk_up(unit_sql)}SELECT 1 FROM "__up" WHERE "id" = %s)'  # nosec B608
        return sql, (*unit_params, self.root_id)


# String aggregation, which SQL leaves to each database (SQLite's group_concat takes no
# ORDER BY before 3.44: each id carries its depth and Python orders them).
_STRING_AGG = {"postgresql": "string_agg({}, ',')", "sqlite": "group_concat({}, ',')"}


def user_unit_ancestors_annotation(unit_column: str) -> RawSQL:
    """The ancestor ids of the user's unit as one text column of the user's query
    (``"depth:id,…"``, NULL for a user without a unit; ``keep_unit_ancestor_ids`` reads it)
    — the authentication backend loads them with the signed-in user: one query fewer on
    every page that asks for the current campaign, a deadline or a rule's scope.
    ``unit_column``: the quoted column of the user's unit id (``"danvan_user"."unit_id"``)."""
    pair = _STRING_AGG[connection.vendor].format(
        """CAST("depth" AS TEXT) || ':' || CAST("id" AS TEXT)"""
    )
    return RawSQL(f'({_walk_up(unit_column)}SELECT {pair} FROM "__up")', ())  # nosec B608 B611


def keep_unit_ancestor_ids(unit: Unit, loaded: str | None) -> None:
    """Keep on ``unit`` the ids ``user_unit_ancestors_annotation`` loaded, where
    ``unit_ancestor_ids`` looks first."""
    if not loaded:
        return
    pairs = sorted((pair.split(":") for pair in loaded.split(",")), key=lambda p: -int(p[0]))
    unit._ancestor_ids = [int(unit_id) for _depth, unit_id in pairs]


def subtree_pks(root_id: int, *, include_self: bool = True) -> RawSQL:
    """The ids of ``root_id``'s subtree as a subquery for ``<unit field>__in`` filters.

    A recursive walk down from ``root_id`` only (the parent index serves each step), the
    same on PostgreSQL and SQLite — unlike ``Unit.objects.descendants``, whose tree CTE
    walks and orders every tree of the table to keep the rows under one unit, a cost that
    grows with all the units of the country rather than with the subtree. Use
    ``descendants`` only where the tree fields (depth, order) are shown."""
    table = Unit._meta.db_table
    parent = Unit._meta.get_field("parent").column
    sql = (
        f'WITH RECURSIVE "__subtree"("id") AS ('  # nosec B608 # identifiers from the models' _meta, every value a bound parameter (docs/security.md)
        f'SELECT "id" FROM "{table}" WHERE "id" = %s '
        f'UNION ALL SELECT U."id" FROM "{table}" U '
        f'JOIN "__subtree" S ON U."{parent}" = S."id") '
        f'SELECT "id" FROM "__subtree"'
    )
    if not include_self:
        sql += ' WHERE "id" <> %s'
        return RawSQL(sql, (root_id, root_id))  # nosec B611 # the walk above, values bound
    return RawSQL(sql, (root_id,))  # nosec B611


def units_in_subtree(*, root: Unit, include_self: bool = True) -> QuerySet[Unit]:
    """Every unit at or below ``root``, depth-first, with tree fields."""
    return Unit.objects.descendants(root, include_self=include_self)


def unit_ids_in_subtree(*, root: Unit | int) -> list[int]:
    """The ids of ``root``'s subtree, for ``unit_id__in`` filters elsewhere."""
    root_id = root if isinstance(root, int) else root.pk
    return list(Unit.objects.filter(pk__in=subtree_pks(root_id)).values_list("pk", flat=True))


def units_visible_to(*, user: User) -> QuerySet[Unit]:
    """Units a user may browse: everything for administrators, else their subtree."""
    if user.is_superuser:
        return Unit.objects.with_tree_fields()
    if user.scope_unit_id is None:
        return Unit.objects.none()
    return Unit.objects.descendants(user.scope_unit_id, include_self=True)


class _IsTrue(Func):
    """``(condition) IS TRUE``: the same rows as the bare condition in a WHERE, but
    PostgreSQL does not turn an ``IN (subquery)`` written so into a join."""

    template = "(%(expressions)s) IS TRUE"
    output_field = BooleanField()
    conditional = True


def in_subtree_q(root_id: int, unit_field: str = "unit") -> Q:
    """Rows whose ``unit_field`` lies at or below ``root_id``: the unit is in the walk down
    from the root (``subtree_pks``) — or, when that root is the only root of the unit table
    (a province's own database), every row with a unit, decided once by an uncorrelated
    ``NOT EXISTS`` that PostgreSQL and SQLite evaluate before the rows, so that a province
    never builds the set of all its units for each statement."""
    other_roots = Unit.objects.filter(
        (Q(parent__isnull=True) & ~Q(pk=root_id)) | Q(pk=root_id, parent__isnull=False)
    )
    only_root = Q(~Exists(other_roots)) & Q(**{f"{unit_field}__isnull": False})
    return only_root | Q(**{f"{unit_field}__in": subtree_pks(root_id)})


def filter_to_scope(
    qs: QuerySet, *, user: User, unit_field: str = "unit", newest_first: bool = False
) -> QuerySet:
    """``qs`` restricted to rows whose ``unit_field`` lies in the user's subtree (every row
    for administrators, none for a user without a unit). The one scope filter selectors use.

    ``newest_first``: for a page of a big table read in an index's order (the activity log,
    ``ORDER BY timestamp DESC … LIMIT 50``): the subtree is tested on each row as it is
    read (a hashed subplan), so PostgreSQL walks the index and stops at the page's end. As
    a plain ``IN`` it becomes a hash join with the subtree, whose rows come unordered: every
    row in scope (a province's whole log) is joined and sorted for each page.
    """
    if user.is_superuser:
        return qs
    if user.scope_unit_id is None:
        return qs.none()
    in_scope = in_subtree_q(user.scope_unit_id, unit_field)
    if newest_first:
        return qs.filter(_IsTrue(ExpressionWrapper(in_scope, output_field=BooleanField())))
    return qs.filter(in_scope)


def units_in_scope(*, user: User) -> QuerySet[Unit]:
    """The units of ``units_visible_to`` as a plain queryset (no tree fields), for filters,
    annotations and form choices."""
    if user.is_superuser:
        return Unit.objects.all()
    if user.scope_unit_id is None:
        return Unit.objects.none()
    return Unit.objects.filter(pk__in=subtree_pks(user.scope_unit_id))


def scope_root_for(*, user: User) -> Unit | None:
    """The top of the user's scope (None for administrators: they see every tree)."""
    if user.is_superuser or user.scope_unit_id is None:
        return None
    return Unit.objects.get(pk=user.scope_unit_id)


def unit_kind_counts(*, user: User):
    """Active units per kind in the user's scope: rows of ``{"kind", "n"}``."""
    qs = Unit.objects.filter(active=True)
    if not user.is_superuser:
        if user.scope_unit_id is None:
            return []
        qs = qs.filter(pk__in=subtree_pks(user.scope_unit_id))
    return list(qs.values("kind").annotate(n=Count("pk")).order_by("kind"))


def unit_children(*, unit: Unit, kind: str = "", query: str = "", include_inactive=False):
    """Direct children of ``unit`` (or, with a query, any descendant matching it).

    Each row is annotated with ``child_count`` and ``user_count`` in SQL.
    """
    if query:
        ids = unit_ids_in_subtree(root=unit)
        qs = Unit.objects.filter(pk__in=ids, search_text__contains=fold_vietnamese(query))
        qs = qs.exclude(pk=unit.pk)
    else:
        qs = Unit.objects.filter(parent=unit)
    if kind:
        qs = qs.filter(kind=kind)
    if not include_inactive:
        qs = qs.filter(active=True)
    return qs.annotate(
        child_count=Count("children", distinct=True),
        user_count=Count("users", distinct=True, filter=Q(users__is_active=True)),
    ).order_by("position", vi_order("name"))


def unit_breadcrumbs(*, unit: Unit, stop_at: Unit | None) -> list[Unit]:
    """Ancestors of ``unit`` from ``stop_at`` (the user's scope root) down to the unit."""
    chain = list(Unit.objects.ancestors(unit, include_self=True))
    if stop_at is not None:
        ids = [u.pk for u in chain]
        if stop_at.pk in ids:
            chain = chain[ids.index(stop_at.pk) :]
    return chain


def unit_successions(*, unit: Unit) -> dict[str, list[UnitSuccession]]:
    related = UnitSuccession.objects.select_related("predecessor", "successor")
    return {
        "incoming": list(related.filter(successor=unit)),
        "outgoing": list(related.filter(predecessor=unit)),
    }


def unit_users(*, unit: Unit) -> QuerySet[User]:
    return (
        User.objects.filter(unit=unit, is_active=True)
        .prefetch_related("groups")
        .order_by(vi_order("full_name"), "username")
    )
