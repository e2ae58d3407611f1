"""One model with what its page shows: the model itself, its timeline and its history."""

import itertools

from django.db.models import (
    Exists,
    OuterRef,
)

from danvan.activity import action_label, activity_for
from danvan.models import Unit, User
from danvan.selectors import (
    subtree_pks,
)

from ..models import DvkModel
from ..rules import note_unit_in_scope

# The models a model links to, with what the pages show of them.
LINKED_MODELS = (
    "predecessor__campaign",
    "predecessor__unit",
    "replicates__unit",
    "replicates__campaign",
)


def dvk_model_detail(*, pk: int, viewer: User | None = None, links: bool = True) -> DvkModel:
    """One model with everything its pages show (raises DoesNotExist). With ``viewer``,
    whether the model's unit lies in the viewer's scope comes with it (an EXISTS walking
    down from the scope's root) and the rules reuse it. ``links=False`` leaves out the
    predecessor and the replicated model (four joins fewer to plan), for the model's page,
    which reads them with its lineage (``attach_linked_models``)."""
    qs = DvkModel.objects.select_related(
        "campaign",
        "unit",
        "field",
        "field__parent",
        "created_by",
        "result_report",
        *(LINKED_MODELS if links else ()),
    ).prefetch_related("attachments")
    root_id = None
    if viewer is not None and not viewer.is_superuser:
        root_id = viewer.scope_unit_id
    if root_id is not None:
        in_scope = Unit.objects.filter(pk=OuterRef("unit_id"), pk__in=subtree_pks(root_id))
        qs = qs.annotate(unit_in_viewer_scope=Exists(in_scope))
    dvk_model = qs.get(pk=pk)
    if root_id is not None:
        note_unit_in_scope(viewer, dvk_model.unit_id, dvk_model.unit_in_viewer_scope)
    return dvk_model


def dvk_model_timeline(*, dvk_model: DvkModel) -> list[dict]:
    """What happened to the model, oldest first, from the activity log (one query): who
    (``by``), when (``at``), what (``label``, the status reached, a file's name) and why
    (``reason``)."""
    return [
        {
            "at": row.timestamp,
            "by": row.actor,
            "action": row.action,
            "label": action_label(row.action),
            "status": row.data.get("to", ""),
            "reason": row.data.get("reason", ""),
            "file_name": row.data.get("name", "") if "attachment" in row.data else "",
        }
        for row in activity_for(dvk_model)
    ]


# Recorded versions the model's page reads: its history's entries and, from the same
# rows, the previous submission to compare with (``intake.previous_submission``).
RECENT_VERSIONS = 31


def dvk_model_recent_versions(*, dvk_model: DvkModel) -> list:
    """The model's latest ``RECENT_VERSIONS`` recorded versions (django-simple-history
    rows, with ``history_user``), newest first. One query, kept on the instance for its
    current version (a save in between reads them again)."""
    key = (dvk_model.version, dvk_model.status)
    cached = dvk_model.__dict__.get("_recent_versions")
    if cached is None or cached[0] != key:
        records = list(
            dvk_model.history.select_related("history_user").order_by("-history_id")[
                :RECENT_VERSIONS
            ]
        )
        cached = dvk_model._recent_versions = (key, records)
    return cached[1]


def dvk_model_history(*, dvk_model: DvkModel, limit: int = 30) -> list[dict]:
    """Field-level edits of the model, newest first: who, when, and what changed."""
    if limit + 1 <= RECENT_VERSIONS:
        records = dvk_model_recent_versions(dvk_model=dvk_model)[: limit + 1]
    else:
        records = list(
            dvk_model.history.select_related("history_user").order_by("-history_id")[: limit + 1]
        )
    entries = []
    for newer, older in itertools.pairwise(records):
        delta = newer.diff_against(older, excluded_fields=["version", "search_text", "updated_at"])
        changed = [
            str(DvkModel._meta.get_field(change.field).verbose_name) for change in delta.changes
        ]
        if changed:
            entries.append({"at": newer.history_date, "by": newer.history_user, "fields": changed})
    return entries[:limit]
