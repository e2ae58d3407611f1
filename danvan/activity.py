"""The one activity log: every transition of every object writes one row.

Services call ``log_action`` inside their transaction, after the change::

    log_action(dvk_model, "models_registry.dvkmodel.submit", actor=by, unit=dvk_model.unit)

``action`` is ``"<app_label>.<model>.<verb>"``. Each app registers the Vietnamese label of
its actions (``register_action``) from its ``extensions.register()``; pages show that label.
Reads go through ``activity_for`` (one object's timeline) and ``activity_visible_to`` (the
audit page, filtered to the user's scope).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from .models import ActivityLog, Unit, User

_labels: dict[str, str] = {}


def register_action(action: str, label) -> None:
    """``label`` is a lazy translation shown on the timeline and the audit page."""
    _labels[action] = label


def action_label(action: str) -> str:
    return str(_labels.get(action, action))


def action_choices() -> list[tuple[str, str]]:
    return sorted(((a, str(label)) for a, label in _labels.items()), key=lambda c: c[1])


def log_action(
    obj,
    action: str,
    *,
    actor: User | None,
    data: dict | None = None,
    unit: Unit | None = None,
) -> ActivityLog:
    """Record that ``actor`` did ``action`` to ``obj`` (``actor`` None: the system).

    ``unit`` places the row in the organisation tree for scope filtering (usually the
    unit that owns ``obj``). Call it inside the service's transaction so that a rolled back
    change leaves no row.
    """
    return ActivityLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        action=action,
        data=data or {},
        unit=unit,
    )


def activity_for(obj) -> QuerySet[ActivityLog]:
    """The timeline of one object, oldest first, with the actor loaded."""
    return (
        ActivityLog.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=obj.pk,
        )
        .select_related("actor")
        .order_by("timestamp", "pk")
    )
