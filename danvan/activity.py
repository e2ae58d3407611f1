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
from collections import defaultdict
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, QuerySet, Value
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
    for the rows written before ``ActivityLog.object_repr`` existed (or bulk-loaded without
    it): such rows cost one query per object type, not one per row."""
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
        object_repr=str(obj),
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
    the actor and the object type; ``activity_rows`` finds out which objects still exist."""
    qs = ActivityLog.objects.select_related("actor", "content_type")
    return filter_to_scope(qs, user=user, newest_first=True).order_by("-timestamp", "-pk")


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


def _page_objects(logs) -> tuple[set[tuple[int, int]], dict[tuple[int, int], object]]:
    """For a page of rows, keyed by ``(content type id, object id)``: which objects named
    by ``object_repr`` still exist (one query for the page, whatever the number of types),
    and the objects of rows written without it (one query per type of those)."""
    named: dict = defaultdict(set)
    unnamed: dict = defaultdict(set)
    models = {}
    for log in logs:
        model = log.content_type.model_class()
        if model is None:  # the app is gone: the object is shown as deleted
            continue
        models[log.content_type_id] = model
        (named if log.object_repr else unnamed)[log.content_type_id].add(log.object_id)
    checks = [
        models[ct_id]
        ._base_manager.filter(pk__in=ids)
        .order_by()
        .annotate(_activity_type=Value(ct_id), _activity_object=F("pk"))
        .values_list("_activity_type", "_activity_object")
        for ct_id, ids in named.items()
    ]
    existing = set(checks[0].union(*checks[1:], all=True)) if checks else set()
    objects = {}
    for ct_id, ids in unnamed.items():
        model = models[ct_id]
        make = _object_querysets.get(model)
        queryset = make() if make else model._base_manager.all()
        for obj in queryset.filter(pk__in=ids).order_by():
            objects[(ct_id, obj.pk)] = obj
    return existing, objects


def _object_url(model, object_id) -> str:
    """The object's page, from its id alone: every logged model's ``get_absolute_url``
    reverses a route by ``pk`` (the contract of a logged model that has a page)."""
    if not hasattr(model, "get_absolute_url"):
        return ""
    return model(pk=object_id).get_absolute_url()


def activity_rows(logs, *, objects: bool = True) -> list[dict]:
    """What the audit page and ``danvan/includes/activity_timeline.html`` show of each
    ``ActivityLog``: a page of ``activity_visible_to`` (``objects``: with the object's name
    — ``object``, None once deleted —, its type and link), or ``activity_for(obj)`` with
    ``objects=False`` (one object's timeline: no object look-up).

    The name is the one the row kept (``object_repr``); rows without one show the object's
    present name. ``url`` is the object's page when it has one: that page applies its own
    permission (404 outside the reader's scope), and the rows themselves are already
    scoped, so no per-row permission query is made here.
    """
    logs = list(logs)
    existing, loaded = _page_objects(logs) if objects else (set(), {})
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
            key = (log.content_type_id, log.object_id)
            name, url = None, ""
            if log.object_repr:
                if key in existing:
                    name = log.object_repr
                    url = _object_url(log.content_type.model_class(), log.object_id)
            elif key in loaded:
                obj = loaded[key]
                name = str(obj)
                url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
            row.update(
                object=name,
                object_type=log.content_type.name,
                object_id=log.object_id,
                url=url,
            )
        rows.append(row)
    return rows
