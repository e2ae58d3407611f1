"""Writes on units, people and roles."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .enums import Role
from .models import User

# Model permissions each role's group carries (app_label.codename). Object-level rules
# (scope, workflow states) live in each app's rules.py; these only open the doors.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.UNIT_OFFICER: [],
    Role.COMMITTEE_MEMBER: [],
    Role.SECRETARIAT: ["danvan.view_unit", "danvan.view_user"],
    Role.LEADER: ["danvan.view_unit"],
}


def register_role_permissions(role: Role, perms: list[str]) -> None:
    """Later apps add their model permissions to a role from ``AppConfig.ready()``."""
    ROLE_PERMISSIONS.setdefault(role, [])
    for perm in perms:
        if perm not in ROLE_PERMISSIONS[role]:
            ROLE_PERMISSIONS[role].append(perm)


@transaction.atomic
def roles_sync_groups() -> dict[Role, Group]:
    """Create or update one group per role with exactly its permissions (idempotent)."""
    groups = {}
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in ROLE_PERMISSIONS.get(role, []):
            app_label, codename = dotted.split(".", 1)
            wanted.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
        groups[role] = group
    return groups


def user_set_roles(*, user: User, roles: list[Role]) -> None:
    """Make ``user`` a member of exactly the groups of ``roles``."""
    groups = roles_sync_groups()
    user.groups.set([groups[role] for role in roles])
    if hasattr(user, "_role_cache"):
        del user._role_cache
