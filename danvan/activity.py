"""The one activity log: every transition of every object writes one row.

Services call ``log_action`` inside their transaction, after the change::

    log_action(dvk_model, "models_registry.dvkmodel.submit", actor=by, unit=dvk_model.unit)

``action`` is ``"<app_label>.<model>.<verb>"``. Each app registers the Vietnamese label of
its actions (``register_action``) from its ``extensions.register()``; pages show that label.
Reads go through ``activity_for`` (one object's timeline) and ``activity_visible_to`` (the
audit page, filtered to the user's scope).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .dates import format_date
from .models import ActivityLog, Unit, User
from .notifications import dispatch
from .selectors import filter_to_scope
from .utils import vietnamese_sort_key

_labels: dict[str, str] = {}


def register_action(action: str, label) -> None:
    """``label`` is a lazy translation shown on the timeline and the audit page."""
    _labels[action] = label


_object_querysets: dict[type, Callable[[], QuerySet]] = {}


def register_object_queryset(model, queryset: Callable[[], QuerySet]) -> None:
    """How the audit page loads objects of ``model`` when their ``__str__`` crosses a
    relation (``lambda: Assignment.objects.select_related("reviewer", "entry__dvk_model")``),
    so that a page of rows costs one query per object type, not one per row."""
    _object_querysets[model] = queryset


def action_label(action: str) -> str:
    return str(_labels.get(action, action))


def action_choices() -> list[tuple[str, str]]:
    return sorted(
        ((a, str(label)) for a, label in _labels.items()),
        key=lambda choice: vietnamese_sort_key(choice[1]),
    )


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
    change leaves no row — nor the notifications it produces (``danvan.notifications``).
    """
    log = ActivityLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        action=action,
        data=data or {},
        unit=unit,
    )
    # Whoever the transition concerns hears of it (danvan.notifications).
    dispatch(log)
    return log


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


def activity_visible_to(*, user: User) -> QuerySet[ActivityLog]:
    """The audit page's rows: every row for administrators, else the rows whose ``unit`` lies
    in the user's subtree (rows without a unit are the administrators'). Newest first, with
    the actor, the object type and — one query per object type, whatever the number of rows —
    the object itself (``content_object``, None once deleted)."""
    qs = ActivityLog.objects.select_related("actor", "content_type")
    objects = GenericPrefetch("content_object", [make() for make in _object_querysets.values()])
    return filter_to_scope(qs, user=user).prefetch_related(objects).order_by("-timestamp", "-pk")


# What the pages show of ``ActivityLog.data``: the keys below, with their labels; other keys
# (ids kept for the record) are not shown. "from"/"to" are shown as one status change.
DATA_LABELS = {
    "total": _("Total points"),
    "until": _("Until"),
    "year": _("Year"),
    "title": _("Title"),
    "name": _("Name"),
    "unit_name": _("Unit"),
    "exemplary": _("Exemplary"),
    "nominated": _("Nominated"),
    "indicators": _("Indicators"),
    "uncovered": _("Entries still short of reviewers"),
    "refused": _("Refused"),
    "active": _("Active"),
    "filename": _("File"),
    "sent": _("People reminded"),
    "skipped": _("Not reminded again (already reminded today)"),
}


def _status_label(model, value) -> str:
    try:
        field = model._meta.get_field("status")
    except (AttributeError, FieldDoesNotExist):
        return str(value)
    return str(dict(field.flatchoices).get(value, value))


def _display_value(value) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return format_date(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def _data_rows(log, data: dict) -> list[tuple[str, str]]:
    rows = []
    if "to" in data:
        # get_for_id is cached: no query per row on a timeline read without the type.
        model = ContentType.objects.get_for_id(log.content_type_id).model_class()
        before, after = data.pop("from", ""), data.pop("to")
        change = _status_label(model, after)
        if before:
            change = f"{_status_label(model, before)} → {change}"
        rows.append((str(_("Status")), change))
    for key, label in DATA_LABELS.items():
        if data.get(key) not in (None, "", []):
            rows.append((str(label), _display_value(data[key])))
    return rows


def activity_rows(logs, *, objects: bool = True) -> list[dict]:
    """What the audit page and ``danvan/includes/activity_timeline.html`` show of each
    ``ActivityLog``: a page of ``activity_visible_to`` (``objects``: with the object, its
    type and link), or ``activity_for(obj)`` with ``objects=False`` (one object's timeline:
    no per-row object look-up).

    ``url`` is the object's page when it has one: that page applies its own permission
    (404 outside the reader's scope), and the rows themselves are already scoped, so no
    per-row permission query is made here.
    """
    rows = []
    for log in logs:
        data = dict(log.data or {})
        row = {
            "log": log,
            "timestamp": log.timestamp,
            "actor": log.actor,
            "label": action_label(log.action),
            "reason": data.pop("reason", ""),
            "data": _data_rows(log, data),
        }
        if objects:
            obj = log.content_object
            row.update(
                object=obj,
                object_type=log.content_type.name,
                object_id=log.object_id,
                url=obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
            )
        rows.append(row)
    return rows
