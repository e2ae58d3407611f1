"""Writes on units, people and roles."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .enums import Role
from .extensions import role_permissions
from .models import User


@transaction.atomic
def roles_sync_groups() -> dict[Role, Group]:
    """Create or update one group per role with exactly its permissions (idempotent)."""
    groups = {}
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for dotted in role_permissions(role):
            app_label, codename = dotted.split(".", 1)
            wanted.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
        groups[role] = group
    return groups


def roles_sync_after_migrate(sender, using="default", **kwargs) -> None:
    """``post_migrate``: the role groups follow the code after every ``migrate``.

    Each app's permissions are created by its own ``post_migrate``, in INSTALLED_APPS
    order, so the groups are written after the last app's.
    """
    from django.apps import apps

    last = [config for config in apps.get_app_configs() if config.models_module][-1]
    if sender is last and using == "default":
        roles_sync_groups()


def user_set_roles(*, user: User, roles: list[Role]) -> None:
    """Make ``user`` a member of exactly the groups of ``roles``."""
    groups = roles_sync_groups()
    user.groups.set([groups[role] for role in roles])
    user.forget_access()
