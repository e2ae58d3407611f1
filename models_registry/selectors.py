"""Reads of campaigns and registered models, with their query shapes and visibility."""

import datetime
import itertools

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from danvan import dates
from danvan.activity import action_label, activity_for
from danvan.db import vi_order
from danvan.enums import Role, UnitKind
from danvan.extensions import extra_readers_q
from danvan.models import Unit, User
from danvan.selectors import filter_to_scope, unit_ancestor_ids, units_in_scope, units_visible_to
from danvan.utils import fold_vietnamese, vietnamese_sort_key

from .enums import ModelStatus
from .models import Campaign, DeadlineExtension, DvkModel, Field

# The kinds of unit the directives expect to register at least one model a year.
REGISTERING_KINDS = [
    UnitKind.COMMUNE,
    UnitKind.DEPARTMENT,
    UnitKind.PARTY_BODY,
    UnitKind.MASS_ORGANISATION,
    UnitKind.ARMED_FORCES,
]


# Lists a unit works through show what needs its attention first.
STATUS_ATTENTION_ORDER = Case(
    When(status=ModelStatus.RETURNED, then=Value(0)),
    When(status=ModelStatus.DRAFT, then=Value(1)),
    When(status=ModelStatus.SUBMITTED, then=Value(2)),
    default=Value(3),
)


def _scope_ids(user: User):
    """A subquery of the unit ids in the user's scope."""
    return units_visible_to(user=user).values("pk")


def registering_units(queryset: QuerySet[Unit]) -> QuerySet[Unit]:
    """The active units of ``queryset`` that register models (no historic districts, no
    residential areas)."""
    return queryset.filter(active=True).exclude(kind__in=[UnitKind.DISTRICT, UnitKind.RESIDENTIAL])


# --- Campaigns ----------------------------------------------------------------------------


def campaigns_for_unit(*, unit: Unit) -> QuerySet[Campaign]:
    """Campaigns organised by ``unit`` or any unit above it, newest first."""
    return Campaign.objects.filter(organiser_id__in=unit_ancestor_ids(unit=unit)).order_by("-year")


def campaign_current_for(*, user: User, today: datetime.date | None = None) -> Campaign | None:
    """The campaign a user works in now: the newest one that reaches their unit.

    Secretariat and leaders without a unit-level campaign see the newest in their scope.
    """
    if user.unit_id is None:
        return Campaign.objects.order_by("-year").first() if user.is_superuser else None
    today = today or dates.today()
    reaching = campaigns_for_unit(unit=user.unit)
    current = reaching.filter(registration_opens__lte=today).first() or reaching.first()
    if current is None and (user.has_role(Role.SECRETARIAT) or user.has_role(Role.LEADER)):
        current = campaigns_in_scope(user=user).first()
    return current


def campaigns_in_scope(*, user: User) -> QuerySet[Campaign]:
    """Campaigns the secretariat or a leader manages or follows, with model counts."""
    qs = Campaign.objects.select_related("organiser")
    if not user.is_superuser:
        qs = qs.filter(
            Q(organiser_id__in=_scope_ids(user))
            | Q(organiser_id__in=unit_ancestor_ids(unit=user.unit) if user.unit_id else [])
        )
    return qs.annotate(
        model_count=Count("models", filter=~Q(models__status=ModelStatus.DRAFT), distinct=True)
    ).order_by("-year")


def campaign_organisers_for(*, user: User) -> QuerySet[Unit]:
    """Units in the user's scope that may organise a campaign (province and communes)."""
    return registering_units(units_in_scope(user=user)).filter(
        kind__in=[UnitKind.PROVINCE, UnitKind.COMMUNE]
    )


def extension_units_for(*, user: User, campaign: Campaign) -> QuerySet[Unit]:
    """Units under the campaign's organiser, in the user's scope, that may be given a
    later deadline."""
    in_campaign = Unit.objects.descendants(campaign.organiser_id, include_self=False).values("pk")
    return registering_units(units_in_scope(user=user).filter(pk__in=in_campaign)).order_by(
        "kind", vi_order("name")
    )


def deadline_extensions_visible_to(
    *, user: User, campaign: Campaign
) -> QuerySet[DeadlineExtension]:
    """The campaign's deadline extensions ``user`` may read, with unit and granting officer.

    The secretariat and leaders (intake) see every extension in their scope; a unit sees
    only the extensions that apply to it (granted to its own unit or a unit above it): the
    reason and the officer's name of another unit's extension are not its business.
    """
    qs = DeadlineExtension.objects.filter(campaign=campaign).select_related("unit", "granted_by")
    if user.has_perm("models_registry.intake"):
        qs = filter_to_scope(qs, user=user)
    elif user.unit_id is not None:
        qs = qs.filter(unit_id__in=unit_ancestor_ids(unit=user.unit))
    else:
        qs = qs.none()
    return qs.order_by(vi_order("unit__name"))


def fields_for_registration() -> QuerySet[Field]:
    """The fields a registration may choose: active ones, grouped by top-level field."""
    return (
        Field.objects.filter(active=True)
        .select_related("parent")
        .order_by("parent__position", vi_order("parent__name"), "position", vi_order("name"))
    )


def fields_for_management() -> list[Field]:
    """Every top-level field with all its topics, each annotated with its number of models."""
    topics = Field.objects.annotate(model_count=Count("dvk_models")).order_by(
        "position", vi_order("name")
    )
    return list(
        Field.objects.filter(parent=None)
        .annotate(model_count=Count("dvk_models"))
        .prefetch_related(Prefetch("children", queryset=topics))
        .order_by("position", vi_order("name"))
    )


def fields_tree() -> list[Field]:
    """Active top-level fields, each with its active topics prefetched."""
    return list(
        Field.objects.filter(parent=None, active=True)
        .prefetch_related(
            Prefetch(
                "children",
                queryset=Field.objects.filter(active=True).order_by("position", vi_order("name")),
            )
        )
        .order_by("position", vi_order("name"))
    )


# --- Models -------------------------------------------------------------------------------


# Where a registered model comes from, as the December report counts it: carried over
# (duy trì) from an earlier year, replicating another unit's model (nhân rộng), or new.
ORIGIN_Q = {
    "new": Q(predecessor__isnull=True, replicates__isnull=True),
    "maintained": Q(predecessor__isnull=False),
    "replicated": Q(predecessor__isnull=True, replicates__isnull=False),
}


def dvk_models_visible_to(*, user: User, campaign: Campaign | None = None) -> QuerySet[DvkModel]:
    """Every model ``user`` may read (see models_registry.rules for the same policy).

    Unit officers: their scope, drafts included. Secretariat and leaders: their scope,
    drafts excluded. Everyone with a unit: accepted models of campaigns that share them.
    Plus whoever a later app registers as a reader (``danvan.extensions.register_reader``).
    """
    qs = DvkModel.objects.all()
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if user.is_superuser:
        return qs
    extra = extra_readers_q("models_registry.DvkModel", user)
    if user.scope_unit_id is None:
        return qs.filter(extra) if extra is not None else qs.none()
    in_scope = Q(unit_id__in=_scope_ids(user))
    visible = Q(status=ModelStatus.ACCEPTED, campaign__share_accepted_models=True)
    if user.has_role(Role.UNIT_OFFICER):
        visible |= in_scope
    elif user.has_role(Role.SECRETARIAT) or user.has_role(Role.LEADER):
        visible |= in_scope & ~Q(status=ModelStatus.DRAFT)
    if extra is not None:
        visible |= extra
    return qs.filter(visible)


def dvk_model_list(*, queryset: QuerySet[DvkModel]) -> QuerySet[DvkModel]:
    """The shape of every list of models: the related rows a row shows, and counts."""
    return queryset.select_related("unit", "field", "field__parent", "campaign").annotate(
        attachment_count=Count("attachments", distinct=True)
    )


def dvk_models_of_unit(*, user: User, campaign: Campaign) -> QuerySet[DvkModel]:
    """The models of the user's own unit subtree in ``campaign`` (the officer's list)."""
    return dvk_model_list(
        queryset=filter_to_scope(DvkModel.objects.filter(campaign=campaign), user=user)
    ).order_by(STATUS_ATTENTION_ORDER, "-updated_at")


def dvk_model_detail(*, pk: int) -> DvkModel:
    """One model with everything its page shows (raises DoesNotExist)."""
    return (
        DvkModel.objects.select_related(
            "campaign",
            "unit",
            "field",
            "field__parent",
            "created_by",
            "predecessor__campaign",
            "predecessor__unit",
            "replicates__unit",
            "replicates__campaign",
            "result_report",
        )
        .prefetch_related("attachments")
        .get(pk=pk)
    )


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


def dvk_model_lineage(*, dvk_model: DvkModel, viewer: User | None = None) -> list[DvkModel]:
    """The model's history across years: predecessors (oldest first), itself, successors.
    With ``viewer``, only the years the viewer may read (another unit reading a library
    model never sees, nor gets a link to, its draft or returned continuation) — one query
    more.

    One query per generation; a lineage spans a handful of years at most.
    """
    earlier = []
    node = dvk_model
    seen = {dvk_model.pk}
    while node.predecessor_id and node.predecessor_id not in seen:
        node = DvkModel.objects.select_related("campaign", "unit").get(pk=node.predecessor_id)
        seen.add(node.pk)
        earlier.append(node)
    later = []
    frontier = [dvk_model.pk]
    while frontier:
        children = list(
            DvkModel.objects.filter(predecessor_id__in=frontier)
            .exclude(pk__in=seen)
            .select_related("campaign", "unit")
        )
        seen.update(c.pk for c in children)
        later.extend(children)
        frontier = [c.pk for c in children]
    lineage = [*reversed(earlier), dvk_model, *later]
    if viewer is None or len(lineage) == 1:
        return lineage
    others = [m.pk for m in lineage if m.pk != dvk_model.pk]
    readable = set(
        dvk_models_visible_to(user=viewer).filter(pk__in=others).values_list("pk", flat=True)
    )
    return [m for m in lineage if m.pk == dvk_model.pk or m.pk in readable]


def replications_of(dvk_model: DvkModel, *, viewer: User | None = None) -> list[DvkModel]:
    """The models that declare they replicate ``dvk_model`` ("được nhân rộng tại …"):
    submitted or accepted ones only (never a draft, a returned or a withdrawn one), with
    unit and campaign joined, by year and then unit in Vietnamese order. One query.

    With ``viewer``, each carries ``viewer_may_view`` (the same policy as the rule
    ``view_dvkmodel``, through ``dvk_models_visible_to``), so the page links only those.
    """
    qs = DvkModel.objects.filter(
        replicates=dvk_model, status__in=[ModelStatus.SUBMITTED, ModelStatus.ACCEPTED]
    ).select_related("unit", "campaign")
    if viewer is not None:
        qs = qs.annotate(
            viewer_may_view=Exists(dvk_models_visible_to(user=viewer).filter(pk=OuterRef("pk")))
        )
    return sorted(qs, key=lambda m: (m.campaign.year, vietnamese_sort_key(m.unit.name), m.pk))


def carry_over_candidates(*, user: User, campaign: Campaign) -> QuerySet[DvkModel]:
    """Accepted models of earlier years in the user's scope not yet carried into ``campaign``."""
    already = DvkModel.objects.filter(campaign=campaign, predecessor=OuterRef("pk"))
    return (
        filter_to_scope(
            DvkModel.objects.filter(status=ModelStatus.ACCEPTED, campaign__year__lt=campaign.year),
            user=user,
        )
        .annotate(carried=Exists(already))
        .filter(carried=False)
        .select_related("campaign", "unit", "field")
        .order_by("-campaign__year", vi_order("name"))
    )


def replication_choices(*, user: User, exclude_unit: Unit | None) -> QuerySet[DvkModel]:
    """Every model a registration of ``exclude_unit`` may declare it replicates: accepted
    models of other units that ``user`` may read. The search offers these and the form
    accepts nothing else."""
    qs = dvk_models_visible_to(user=user).filter(status=ModelStatus.ACCEPTED)
    if exclude_unit is not None:
        qs = qs.exclude(unit=exclude_unit)
    return qs


def search_words(query: str, *, max_length: int = 100) -> str:
    """Typed search words folded for ``search_text`` (diacritics and case ignored), with
    the control characters a browser never sends but a crafted request may (a NUL byte
    makes PostgreSQL refuse the query) removed."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in (query or "")[:max_length])
    return fold_vietnamese(cleaned)


def replication_candidates(*, user: User, query: str, exclude_unit: Unit, limit: int = 20):
    """The ``replication_choices`` matching ``query`` (diacritics ignored), newest first."""
    qs = replication_choices(user=user, exclude_unit=exclude_unit)
    folded = search_words(query)
    if folded:
        qs = qs.filter(search_text__contains=folded)
    qs = qs.select_related("unit", "campaign")
    return qs.order_by("-campaign__year", vi_order("name"))[:limit]


# The intake list's order: newest submission first (a model never submitted, which only
# data loaded by hand can hold, last on every database), then the newest row.
INTAKE_ORDER = (F("submitted_at").desc(nulls_last=True), F("pk").desc())
INTAKE_ORDER_REVERSED = (F("submitted_at").asc(nulls_first=True), F("pk").asc())


def intake_scope(*, user: User) -> QuerySet[DvkModel]:
    """The rows of the intake list, without the list's joins and counts: non-draft models
    ``user`` may read, in the list's order. The intake filters apply to it (the list, its
    export and the previous/next links of the model page filter the same rows)."""
    visible = dvk_models_visible_to(user=user)
    return visible.exclude(status=ModelStatus.DRAFT).order_by(*INTAKE_ORDER)


def intake_queryset(*, user: User) -> QuerySet[DvkModel]:
    """What the secretariat's intake list filters: non-draft models in scope."""
    return dvk_model_list(queryset=intake_scope(user=user)).order_by(*INTAKE_ORDER)


def unit_model_counts(*, user: User, campaign: Campaign) -> dict[str, int]:
    """Counts by status of the user's unit models in ``campaign`` (one grouped query)."""
    rows = (
        filter_to_scope(DvkModel.objects.filter(campaign=campaign), user=user)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


# --- Coverage -----------------------------------------------------------------------------


def units_without_models(
    *, user: User, campaign: Campaign, kinds: list[str] | None = None
) -> QuerySet[Unit]:
    """Active units of the registering kinds in scope that registered nothing in ``campaign``.

    Drafts do not count as registered: only submitted, returned or accepted models do.
    """
    registered = DvkModel.objects.filter(campaign=campaign, unit=OuterRef("pk")).exclude(
        status=ModelStatus.DRAFT
    )
    qs = filter_to_scope(
        Unit.objects.filter(active=True, kind__in=kinds or REGISTERING_KINDS),
        user=user,
        unit_field="pk",
    )
    qs = qs.filter(
        pk__in=Unit.objects.descendants(campaign.organiser_id, include_self=True).values("pk")
    )
    return (
        qs.annotate(registered=Exists(registered))
        .filter(registered=False)
        .select_related("parent")
        .order_by("kind", vi_order("parent__name"), vi_order("name"))
    )


def coverage_by_kind(*, user: User, campaign: Campaign) -> list[dict]:
    """Per unit kind: units expected to register, units that did, units that did not."""
    registered = DvkModel.objects.filter(campaign=campaign, unit=OuterRef("pk")).exclude(
        status=ModelStatus.DRAFT
    )
    qs = filter_to_scope(
        Unit.objects.filter(active=True, kind__in=REGISTERING_KINDS), user=user, unit_field="pk"
    )
    qs = qs.filter(
        pk__in=Unit.objects.descendants(campaign.organiser_id, include_self=True).values("pk")
    )
    rows = (
        qs.annotate(registered=Exists(registered))
        .values("kind")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(registered=True)))
        .order_by("kind")
    )
    labels = dict(UnitKind.choices)
    return [
        {
            "kind": row["kind"],
            "label": labels.get(row["kind"], row["kind"]),
            "total": row["total"],
            "done": row["done"],
            "missing": row["total"] - row["done"],
        }
        for row in rows
    ]


def dvk_model_history(*, dvk_model: DvkModel, limit: int = 30) -> list[dict]:
    """Field-level edits of the model, newest first: who, when, and what changed."""
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
