"""Permission predicates shared by every app (the `rules` package).

Scope: a user may see their own unit and everything below it in the tree. Roles are
Django groups (see ``danvan.enums.Role``); administrators are superusers.
"""

import rules

from .enums import Role


@rules.predicate
def is_admin(user):
    return user.is_authenticated and user.is_superuser


def _has_role(role):
    @rules.predicate(name=f"has_role_{role.value}")
    def predicate(user):
        return user.is_authenticated and user.has_role(role)

    return predicate


is_unit_officer = _has_role(Role.UNIT_OFFICER)
is_committee_member = _has_role(Role.COMMITTEE_MEMBER)
is_secretariat = _has_role(Role.SECRETARIAT)
is_leader = _has_role(Role.LEADER)


def unit_in_subtree(unit, root) -> bool:
    """True when ``unit`` is ``root`` or lies below it (one query, none when equal)."""
    if unit is None or root is None:
        return False
    if unit.pk == root.pk:
        return True
    from .selectors import unit_ancestor_ids

    return root.pk in unit_ancestor_ids(unit=unit)


@rules.predicate
def unit_in_scope(user, unit):
    """The unit lies in the user's subtree (administrators see everything)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return unit_in_scope_of(user, unit)


def unit_in_scope_of(user, unit) -> bool:
    """``unit`` lies at or below the user's scope root (see ``User.scope_unit_id``; an
    anonymous user has none)."""
    root_id = getattr(user, "scope_unit_id", None)
    if unit is None or root_id is None:
        return False
    if unit.pk == root_id:
        return True
    from .selectors import unit_ancestor_ids

    return root_id in unit_ancestor_ids(unit=unit)


can_browse_units = is_admin | is_secretariat | is_leader | is_unit_officer | is_committee_member

rules.add_perm("danvan.view_unit", can_browse_units & unit_in_scope)
rules.add_perm("danvan.browse_units", can_browse_units)
# The audit page (danvan.views.activity_list): rows are filtered to the user's scope.
rules.add_perm("danvan.view_activity", is_admin | is_secretariat)
