"""Reads for the secretariat's intake tools: where a model stands in the filtered intake
list (previous / next), the rows of the list's export, the models a bulk action selects,
and what changed in a registration since its previous submission (a word diff of the
text, from the versions django-simple-history records at every save).

Every list here is the one ``selectors.intake_scope`` gives, filtered by the same
``IntakeFilter`` as the page, in ``selectors.INTAKE_ORDER``; positions and neighbours are
computed in SQL, never by loading the list.
"""

from __future__ import annotations

import difflib
import re

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from danvan.dates import format_date
from danvan.models import ActivityLog, User
from danvan.selectors import filter_to_scope

from .enums import ModelKind, ModelStatus
from .models import DvkModel, Field
from .privacy import personal_details_annotation
from .selectors import (
    INTAKE_ORDER,
    INTAKE_ORDER_REVERSED,
    RECENT_VERSIONS,
    dvk_model_recent_versions,
)

RETURN_ACTION = "models_registry.dvkmodel.return"
# A bulk action acts on at most this many models (a page of the list holds 25).
MAX_SELECTION = 100


# --- Previous / next ----------------------------------------------------------------------


def intake_position(*, queryset: QuerySet[DvkModel], dvk_model: DvkModel) -> dict | None:
    """Where ``dvk_model`` stands in ``queryset`` (the filtered intake rows, in
    ``INTAKE_ORDER``): ``{"position", "total", "previous", "next"}`` (neighbours' pks, None
    at the ends), or None when the model is not among the rows. Three queries, whatever
    the length of the list."""
    pk, submitted = dvk_model.pk, dvk_model.submitted_at
    if submitted is None:
        before = Q(submitted_at__isnull=False) | Q(submitted_at__isnull=True, pk__gt=pk)
        after = Q(submitted_at__isnull=True, pk__lt=pk)
    else:
        before = Q(submitted_at__gt=submitted) | Q(submitted_at=submitted, pk__gt=pk)
        after = (
            Q(submitted_at__lt=submitted)
            | Q(submitted_at=submitted, pk__lt=pk)
            | Q(submitted_at__isnull=True)
        )
    counts = queryset.order_by().aggregate(
        total=Count("pk"), before=Count("pk", filter=before), here=Count("pk", filter=Q(pk=pk))
    )
    if not counts["here"]:
        return None
    return {
        "position": counts["before"] + 1,
        "total": counts["total"],
        "previous": queryset.filter(before)
        .order_by(*INTAKE_ORDER_REVERSED)
        .values_list("pk", flat=True)
        .first(),
        "next": queryset.filter(after).order_by(*INTAKE_ORDER).values_list("pk", flat=True).first(),
    }


# --- Export ---------------------------------------------------------------------------------


def intake_export_rows(*, queryset: QuerySet[DvkModel], user: User) -> QuerySet[DvkModel]:
    """The filtered intake list (``selectors.intake_queryset`` through ``IntakeFilter``)
    with what the export adds: ``times_returned`` (the model's return rows in the activity
    log) and ``personal_details`` (``user`` may see the contact: the list also holds models
    other units share, whose contact stays with their scope — ``privacy``) — one query
    for all the rows."""
    returns = (
        ActivityLog.objects.filter(
            content_type=ContentType.objects.get_for_model(DvkModel),
            object_id=OuterRef("pk"),
            action=RETURN_ACTION,
        )
        .order_by()
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        times_returned=Coalesce(Subquery(returns, output_field=IntegerField()), Value(0)),
        personal_details=personal_details_annotation(user),
    )


# --- Bulk actions ---------------------------------------------------------------------------


def selected_ids(values) -> list[int]:
    """The distinct model ids of a bulk form's ``ids`` (anything not a number is dropped),
    in the order given, at most ``MAX_SELECTION``."""
    ids = []
    for value in values:
        text = str(value).strip()
        if text.isascii() and text.isdigit() and int(text) not in ids:
            ids.append(int(text))
    return ids[:MAX_SELECTION]


def intake_selection(*, user: User, ids: list[int]) -> list[DvkModel]:
    """The models among ``ids`` that lie in ``user``'s scope and are not drafts (the rows
    the intake list may show them), in the list's order; any other id is left out, so an
    id outside the scope cannot be acted on nor probed."""
    qs = filter_to_scope(DvkModel.objects.exclude(status=ModelStatus.DRAFT), user=user)
    return list(qs.filter(pk__in=ids).select_related("unit", "campaign").order_by(*INTAKE_ORDER))


# --- What changed since the previous submission ---------------------------------------------

# The items compared, in the form's order; ``kind`` says how a value is shown.
COMPARED_FIELDS = [
    ("name", "text"),
    ("situation", "text"),
    ("goals", "text"),
    ("content", "text"),
    ("area", "text"),
    ("forces", "text"),
    ("resources", "text"),
    ("timeline", "text"),
    ("outputs", "text"),
    ("sustainability", "text"),
    ("kind", "kind"),
    ("field", "field"),
    ("person_name", "text"),
    ("person_position", "text"),
    ("person_birth_year", "text"),
    ("lead_name", "text"),
    ("lead_phone", "text"),
    ("lead_email", "text"),
    ("planned_start", "date"),
    ("planned_end", "date"),
    ("replicates", "model"),
]
# Unchanged words kept on each side of a change; a longer unchanged stretch is elided.
CONTEXT_WORDS = 12
_TOKENS = re.compile(r"\s+|\S+")


def previous_submission(*, dvk_model: DvkModel):
    """The recorded version (a django-simple-history row) of ``dvk_model`` as it was
    submitted the time before its current submission, or None: the model is not submitted
    or accepted now, or this is its first submission, or that submission was not recorded
    (rows changed by hand, outside the services, leave no version to compare with).

    The content cannot change while a model is submitted, so the last version saved as
    "submitted" before the latest draft or returned version is that submission (returned
    by the secretariat, or withdrawn by the unit). No query when both versions are among
    the recent ones the page's history reads (``selectors.dvk_model_recent_versions``),
    else two more."""
    waiting = [ModelStatus.SUBMITTED, ModelStatus.ACCEPTED]
    if dvk_model.status not in waiting:
        return None
    recent = dvk_model_recent_versions(dvk_model=dvk_model)
    between_at = next((i for i, v in enumerate(recent) if v.status not in waiting), None)
    if between_at is not None:
        base = next(
            (v for v in recent[between_at + 1 :] if v.status == ModelStatus.SUBMITTED), None
        )
        if base is not None or len(recent) < RECENT_VERSIONS:
            return base
    elif len(recent) < RECENT_VERSIONS:
        return None
    history = dvk_model.history.order_by("-history_id")
    between = history.exclude(status__in=waiting).values_list("history_id", flat=True).first()
    if between is None:
        return None
    return history.filter(status=ModelStatus.SUBMITTED, history_id__lt=between).first()


def _attribute(name: str, kind: str) -> str:
    return f"{name}_id" if kind in ("field", "model") else name


def _display(kind: str, value, names: dict) -> str:
    if value in (None, ""):
        return ""
    if kind == "kind":
        return str(ModelKind(value).label) if value in ModelKind.values else str(value)
    if kind == "date":
        return format_date(value)
    if kind in ("field", "model"):
        return names.get((kind, value), "")
    return str(value)


def word_diff(old: str, new: str) -> tuple[list[dict], list[dict]]:
    """``old`` and ``new`` as segments ``{"op", "text"}``: on the old side "equal" and
    "delete", on the new side "equal" and "insert" (words, spaces kept); an unchanged
    stretch longer than twice ``CONTEXT_WORDS`` words keeps its ends around a "skip"."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    old_parts: list[tuple[str, list[str]]] = []
    new_parts: list[tuple[str, list[str]]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            old_parts.append(("equal", a[i1:i2]))
            new_parts.append(("equal", b[j1:j2]))
            continue
        if i2 > i1:
            old_parts.append(("delete", a[i1:i2]))
        if j2 > j1:
            new_parts.append(("insert", b[j1:j2]))
    return _segments(old_parts), _segments(new_parts)


def _segments(parts: list[tuple[str, list[str]]]) -> list[dict]:
    if len(parts) == 1:
        return [{"op": parts[0][0], "text": "".join(parts[0][1])}]
    segments = []
    last = len(parts) - 1
    for index, (op, tokens) in enumerate(parts):
        if op == "equal":
            keep = CONTEXT_WORDS * 2  # tokens alternate words and spaces
            head = tokens[:keep] if index > 0 else []
            tail = tokens[-keep:] if index < last else []
            if len(tokens) > len(head) + len(tail) + keep:
                if head:
                    segments.append({"op": "equal", "text": "".join(head)})
                segments.append({"op": "skip", "text": ""})
                if tail:
                    segments.append({"op": "equal", "text": "".join(tail)})
                continue
        text = "".join(tokens)
        # Spaces alone that moved are not worth a mark.
        segments.append({"op": op if text.strip() else "equal", "text": text})
    return segments


def changes_since_previous_submission(*, dvk_model: DvkModel) -> list[dict] | None:
    """Each item of ``dvk_model`` that differs from its previous submission
    (``previous_submission``), in the form's order: ``{"name", "old", "new", "old_parts",
    "new_parts"}`` (the ``word_diff`` of the shown texts). None when there is no previous
    submission; an empty list when nothing changed. Unchanged items are left out.
    At most three queries (the two versions, the names of changed fields or linked models).
    """
    base = previous_submission(dvk_model=dvk_model)
    if base is None:
        return None
    changed = []
    for name, kind in COMPARED_FIELDS:
        attribute = _attribute(name, kind)
        old, new = getattr(base, attribute), getattr(dvk_model, attribute)
        if old != new and not (old in (None, "") and new in (None, "")):
            changed.append((name, kind, old, new))
    names = _linked_names(changed)
    changes = []
    for name, kind, old, new in changed:
        old_text, new_text = _display(kind, old, names), _display(kind, new, names)
        old_parts, new_parts = word_diff(old_text, new_text)
        changes.append(
            {
                "name": name,
                "old": old_text,
                "new": new_text,
                "old_parts": old_parts,
                "new_parts": new_parts,
            }
        )
    return changes


def _linked_names(changed) -> dict:
    """Display names of the fields and models a change links to: one query per kind."""
    ids = {"field": set(), "model": set()}
    for _name, kind, old, new in changed:
        if kind in ids:
            ids[kind].update(v for v in (old, new) if v is not None)
    names = {}
    if ids["field"]:
        for field in Field.objects.select_related("parent").filter(pk__in=ids["field"]):
            names[("field", field.pk)] = str(field)
    if ids["model"]:
        for pk, name in DvkModel.objects.filter(pk__in=ids["model"]).values_list("pk", "name"):
            names[("model", pk)] = name
    return names
