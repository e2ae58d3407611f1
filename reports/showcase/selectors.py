"""Reads of the showcase (thư viện mô hình tiêu biểu): which models are in the library,
for whom, and what one entry shows.

A model is in the library when it is accepted and a finalised round recognised it or
marked it exemplary (tiêu biểu). Nothing else ever appears: no draft, submitted, returned
or withdrawn (back to draft) model, no result of a round still open.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from awards.models import Award
from danvan.db import vi_order
from danvan.enums import UnitKind
from danvan.extensions import Reader
from danvan.models import Unit, User
from danvan.selectors import subtree_pks, unit_ancestor_ids, units_visible_to
from danvan.utils import vietnamese_sort_key
from evaluation.enums import RoundStatus
from evaluation.models import Result
from models_registry import selectors as registry_selectors
from models_registry.enums import ModelStatus
from models_registry.models import PHOTO_CONTENT_TYPES, Attachment, Campaign, DvkModel

from ..models import LibrarySettings, Publication


def _finalised_results() -> QuerySet[Result]:
    """Results of finalised rounds of the outer model's own campaign."""
    return Result.objects.filter(
        dvk_model=OuterRef("pk"),
        round__campaign=OuterRef("campaign_id"),
        round__status=RoundStatus.FINALISED,
    )


def _chosen_result() -> QuerySet[Result]:
    """The result an entry shows, as ``reports.statistics.loading.attach_results`` picks
    it: the organiser's own round when the model reached it, otherwise the latest
    finalised lower round (the round's campaign is the model's)."""
    return (
        _finalised_results()
        .annotate(
            own_round=Case(
                When(round__scope_unit_id=F("round__campaign__organiser_id"), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-own_round", "-round__finalised_at", "-pk")
    )


def _ancestor_ids(user: User) -> list[int]:
    """Ids from the root down to the user's unit, loaded once per user object (the list,
    its choices and the entry each need them)."""
    cached = getattr(user, "_library_ancestor_ids", None)
    if cached is None:
        cached = unit_ancestor_ids(unit=user.unit)
        user._library_ancestor_ids = cached
    return cached


def _reaching_q(user: User) -> Q | None:
    """Campaigns whose library ``user`` reads: organised at or above the user's unit (so
    every unit of the province sees the other units' models), plus those organised in the
    user's scope (the province's secretariat also sees the communes' own campaigns).
    ``None``: nothing (a user without a unit)."""
    if user.is_superuser:
        return Q()
    if user.unit_id is None:
        return None
    # The scope's ids by a walk down from its root (what ``units_visible_to`` holds,
    # without the tree CTE over every unit).
    return Q(campaign__organiser_id__in=_ancestor_ids(user)) | Q(
        campaign__organiser_id__in=subtree_pks(user.scope_unit_id)
    )


def public_organiser_ids() -> QuerySet:
    """The organisers whose public page is switched on (a subquery of unit ids)."""
    return LibrarySettings.objects.filter(public_page=True).values("unit_id")


def public_page_open() -> bool:
    return LibrarySettings.objects.filter(public_page=True).exists()


def _in_library_q() -> Q:
    """The model (the row itself) is in the library: accepted, with a finalised result that
    is recognised or exemplary (an EXISTS correlated to the row)."""
    return Q(status=ModelStatus.ACCEPTED) & Q(
        Exists(_finalised_results().filter(Q(recognised=True) | Q(exemplary=True)))
    )


def library_models(*, user: User | None = None, public: bool = False) -> QuerySet[DvkModel]:
    """The models of the library, as a plain queryset (callers add their shape).

    Accepted models with a finalised result that is recognised or exemplary. ``user``:
    only campaigns that reach them (see ``_reaching_q``; nothing for a user without a
    unit). ``public=True``: only models the secretariat published whose organiser switched
    the public page on. Neither: every library model (for callers that scope themselves).
    """
    qs = DvkModel.objects.filter(_in_library_q())
    if user is not None:
        reach = _reaching_q(user)
        if reach is None:
            return qs.none()
        qs = qs.filter(reach)
    if public:
        qs = qs.filter(
            Exists(Publication.objects.filter(dvk_model=OuterRef("pk"))),
            campaign__organiser_id__in=public_organiser_ids(),
        )
    return qs


def _library_reads(user, dvk_model) -> bool:
    if not user.is_authenticated or dvk_model.status != ModelStatus.ACCEPTED:
        return False
    return library_models(user=user).filter(pk=dvk_model.pk).exists()


def _library_q(user) -> Q | None:
    """``library_models(user=user)`` as conditions on the row itself (its status, an EXISTS
    of its recognising result, its campaign's organiser), never ``pk IN`` the whole library:
    asked about a few rows (the model page's other years), PostgreSQL checks those rows
    only instead of building every library model first."""
    if not user.is_authenticated:
        return None
    reach = _reaching_q(user)
    if reach is None:
        return None
    return _in_library_q() & reach


# Registered from ``reports.extensions``: a library entry's model is readable by whoever
# reads the library entry (``danvan.extensions.Reader``: the rule and the selector).
library_reader = Reader("showcase_library", _library_reads, _library_q)


# The list shows none of the ten items' long texts nor the contact data.
_LONG_TEXTS = (
    *DvkModel.ITEM_TEXTS,
    "lead_name",
    "lead_phone",
    "lead_email",
    "return_reason",
)


def library_list(*, queryset: QuerySet[DvkModel]) -> QuerySet[DvkModel]:
    """The shape of a library list: unit, campaign and field joined; the shown result's
    tier (``lib_tier``), score (``lib_score``) and exemplary flag (``lib_exemplary``) and
    whether it is published (``lib_published``) annotated; exemplary first, then by year
    (newest), score and name."""
    chosen = _chosen_result()
    return (
        queryset.select_related("unit", "campaign", "field", "field__parent")
        .defer(*_LONG_TEXTS)
        .annotate(
            lib_tier=Subquery(chosen.values("tier_name")[:1]),
            lib_score=Subquery(chosen.values("score_used")[:1]),
            lib_exemplary=Subquery(chosen.values("exemplary")[:1]),
            lib_published=Exists(Publication.objects.filter(dvk_model=OuterRef("pk"))),
        )
        .order_by("-campaign__year", "-lib_exemplary", "-lib_score", vi_order("name"), "pk")
    )


def attach_awards(models: list[DvkModel]) -> None:
    """Give each model ``lib_awards``: the names of its counting awards (issued, not
    revoked), each once, in decision order. One query for the whole page."""
    by_pk = {m.pk: m for m in models}
    for model in models:
        model.lib_awards = []
    rows = (
        Award.objects.counting()
        .filter(dvk_model_id__in=by_pk)
        .order_by("decision__date", "decision_id", "position", "pk")
        .values_list("dvk_model_id", "award_type__name")
    )
    for model_id, name in rows:
        names = by_pk[model_id].lib_awards
        if name not in names:
            names.append(name)


# --- Filter choices -----------------------------------------------------------------------


def library_choices(queryset: QuerySet[DvkModel]) -> tuple[list[int], list[str]]:
    """The years (newest first) and the tier names (Vietnamese order) the library's
    finalised results offer as filters, in one query."""
    rows = (
        Result.objects.filter(
            dvk_model__in=queryset.values("pk"), round__status=RoundStatus.FINALISED
        )
        .order_by()
        .values_list("round__campaign__year", "tier_name")
        .distinct()
    )
    years, tiers = set(), set()
    for year, tier in rows:
        years.add(year)
        if tier:
            tiers.add(tier)
    return sorted(years, reverse=True), sorted(tiers, key=vietnamese_sort_key)


def library_localities(*, user: User | None) -> list[tuple[int, str]]:
    """Communes (the localities below the province) of the user's province, or of every
    province for administrators and the public page; (pk, name) in Vietnamese order."""
    qs = Unit.objects.filter(kind=UnitKind.COMMUNE, active=True)
    if user is not None and not user.is_superuser:
        if user.unit_id is None:
            return []
        root_id = _ancestor_ids(user)[0]
        qs = qs.filter(pk__in=subtree_pks(root_id, include_self=False))
    return sorted(qs.values_list("pk", "name"), key=lambda row: vietnamese_sort_key(row[1]))


# --- One entry ----------------------------------------------------------------------------


@dataclass
class LibraryEntry:
    dvk_model: DvkModel
    result: Result | None  # the shown result, with its round
    other_results: list[Result] = field(default_factory=list)  # other finalised rounds
    awards: list[Award] = field(default_factory=list)
    photos: list[Attachment] = field(default_factory=list)
    replications: list[DvkModel] = field(default_factory=list)
    publication: Publication | None = None


def library_entry_model(*, pk: int, user: User | None = None, public: bool = False) -> DvkModel:
    """One library model with what its entry shows joined (raises DoesNotExist when it is
    not in the library for ``user`` / the public page)."""
    return (
        library_models(user=user, public=public)
        .select_related("unit", "campaign", "campaign__organiser", "field", "field__parent")
        .get(pk=pk)
    )


def library_entry(
    dvk_model: DvkModel, *, user: User | None = None, public: bool = False
) -> LibraryEntry:
    """What an entry of the library shows about ``dvk_model`` (already checked to be in
    the library for the reader): its results (the one chosen first), counting awards,
    public photos, the units that replicated it and its publication. A fixed number of
    queries."""
    results = list(
        Result.objects.filter(
            dvk_model=dvk_model,
            round__campaign_id=dvk_model.campaign_id,
            round__status=RoundStatus.FINALISED,
        )
        .select_related("round", "round__scope_unit")
        .order_by("round__finalised_at", "pk")
    )
    chosen = None
    for result in results:  # the same choice as attach_results: own round, else latest
        own = result.round.scope_unit_id == dvk_model.campaign.organiser_id
        if chosen is not None and chosen[0] and not own:
            continue
        chosen = (own, result)
    shown = chosen[1] if chosen else None
    awards = list(
        Award.objects.counting()
        .filter(dvk_model=dvk_model)
        .select_related("award_type", "decision")
        .order_by("decision__date", "decision_id", "position", "pk")
    )
    photos = list(
        dvk_model.attachments.filter(public=True, content_type__in=PHOTO_CONTENT_TYPES).order_by(
            "uploaded_at", "pk"
        )
    )
    replications = registry_selectors.replications_of(
        dvk_model, viewer=None if public or user is None else user
    )
    if public:
        # The public page names the replicating units of accepted registrations only.
        replications = [m for m in replications if m.status == ModelStatus.ACCEPTED]
    return LibraryEntry(
        dvk_model=dvk_model,
        result=shown,
        other_results=[r for r in results if r is not shown],
        awards=awards,
        photos=photos,
        replications=replications,
        publication=Publication.objects.filter(dvk_model=dvk_model)
        .select_related("published_by")
        .first(),
    )


def library_photo(*, pk: int, user: User | None = None, public: bool = False) -> Attachment:
    """A photo the unit marked public, of a model in the library for ``user`` (or on the
    public page); raises DoesNotExist otherwise."""
    return Attachment.objects.get(
        pk=pk,
        public=True,
        content_type__in=PHOTO_CONTENT_TYPES,
        dvk_model__in=library_models(user=user, public=public).values("pk"),
    )


def library_organisers(*, user: User) -> list[Unit]:
    """Organisers in the user's scope (units that organised a campaign), each with
    ``public_page`` (their setting, off when never set), in Vietnamese order."""
    qs = Unit.objects.filter(pk__in=Campaign.objects.values("organiser_id"))
    if not user.is_superuser:
        qs = qs.filter(pk__in=units_visible_to(user=user).values("pk"))
    qs = qs.annotate(
        public_page=Exists(LibrarySettings.objects.filter(unit=OuterRef("pk"), public_page=True))
    )
    return sorted(qs, key=lambda u: vietnamese_sort_key(u.name))
