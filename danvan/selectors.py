"""Reads of units and users, with their query shapes."""

from django.db.models import Count, Q, QuerySet

from .db import vi_order
from .models import Unit, UnitSuccession, User
from .utils import fold_vietnamese


def unit_ancestor_ids(*, unit: Unit) -> list[int]:
    """Ids from the root down to ``unit`` itself (one recursive query, or none if loaded)."""
    if not hasattr(unit, "tree_path"):
        unit = Unit.objects.with_tree_fields().only("pk").get(pk=unit.pk)
    return list(unit.tree_path)


def units_in_subtree(*, root: Unit, include_self: bool = True) -> QuerySet[Unit]:
    """Every unit at or below ``root``, depth-first, with tree fields."""
    return Unit.objects.descendants(root, include_self=include_self)


def unit_ids_in_subtree(*, root: Unit | int) -> list[int]:
    """The ids of ``root``'s subtree, for ``unit_id__in`` filters elsewhere."""
    return list(units_in_subtree(root=root).values_list("pk", flat=True))


def units_visible_to(*, user: User) -> QuerySet[Unit]:
    """Units a user may browse: everything for administrators, else their subtree."""
    if user.is_superuser:
        return Unit.objects.with_tree_fields()
    if user.scope_unit_id is None:
        return Unit.objects.none()
    return Unit.objects.descendants(user.scope_unit_id, include_self=True)


def filter_to_scope(qs: QuerySet, *, user: User, unit_field: str = "unit") -> QuerySet:
    """``qs`` restricted to rows whose ``unit_field`` lies in the user's subtree (every row
    for administrators, none for a user without a unit). The one scope filter selectors use.
    """
    if user.is_superuser:
        return qs
    if user.scope_unit_id is None:
        return qs.none()
    return qs.filter(**{f"{unit_field}__in": units_visible_to(user=user).values("pk")})


def units_in_scope(*, user: User) -> QuerySet[Unit]:
    """The units of ``units_visible_to`` as a plain queryset (no tree fields), for filters,
    annotations and form choices."""
    if user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=units_visible_to(user=user).values("pk"))


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
        qs = qs.filter(pk__in=units_visible_to(user=user).values_list("pk", flat=True))
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
