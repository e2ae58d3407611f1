"""The authentication backend: Django's ``ModelBackend`` with the reads every page needs
folded into as few queries as their semantics allow.

* ``get_user`` (run once per request by the session's authentication) loads the user with
  their unit (``select_related``), the ids of the unit's ancestors (a walk up the tree, kept
  where ``danvan.selectors.unit_ancestor_ids`` looks first) and the facts later apps
  registered with ``danvan.extensions.register_user_fact`` (evaluation's "active committee
  member"), in one query.
* The user's groups (their roles) and model permissions — their own and their groups' —
  are read together in one query the first time anything asks (``User.load_access``),
  then answered from the user object for the rest of the request. Permissions are still
  the rows in the database (what an administrator granted in the admin counts), exactly
  as ``ModelBackend`` reads them; superusers keep ``ModelBackend``'s "every permission".
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .extensions import user_fact_annotations
from .selectors import keep_unit_ancestor_ids, user_unit_ancestors_annotation

# The user's unit's ancestor ids, loaded with the user (``danvan.selectors``).
ANCESTORS = "unit_ancestor_path"


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        annotations = user_fact_annotations()
        column = f'"{model._meta.db_table}"."{model._meta.get_field("unit").column}"'
        user = (
            model._default_manager.select_related("unit")
            .annotate(**annotations, **{ANCESTORS: user_unit_ancestors_annotation(column)})
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        for alias, name in user_fact_aliases(annotations):
            user.remember_fact(name, getattr(user, alias))
        if user.unit_id is not None:
            keep_unit_ancestor_ids(user.unit, getattr(user, ANCESTORS))
        return user

    def _get_permissions(self, user_obj, obj, from_name):
        if (
            obj is None
            and user_obj.is_active
            and not user_obj.is_anonymous
            and not user_obj.is_superuser
            and not hasattr(user_obj, f"_{from_name}_perm_cache")
            and hasattr(user_obj, "load_access")
        ):
            user_obj.load_access()
        return super()._get_permissions(user_obj, obj, from_name)


def user_fact_aliases(annotations: dict) -> list[tuple[str, str]]:
    """(annotation alias, fact name) pairs of ``user_fact_annotations()``."""
    return [(alias, alias.removeprefix("fact_")) for alias in annotations]
