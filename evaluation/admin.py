"""Administration views: for IT staff to inspect and repair; workflows stay in the services.

The admin may not do what a service refuses (``danvan.admin.GuardedAdminMixin``):

* a rubric with scores is frozen: its criteria and tiers are read-only, none added or
  deleted, the rubric not deleted;
* a round's rules are read-only once it is open, everything once finalised; only a round
  being prepared may be deleted (with its entries and assignments);
* score sheets, criterion scores and finalised results are read-only and never deleted.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from danvan.admin import GuardedAdminMixin, ReadOnlyAdminMixin, SafeInputAdminMixin

from .enums import RoundStatus
from .models import (
    Assignment,
    Committee,
    CommitteeMember,
    Criterion,
    CriterionScore,
    Result,
    Round,
    RoundEntry,
    Rubric,
    ScoreSheet,
    Tier,
)
from .selectors import rubric_is_frozen
from .services import ROUND_FIELDS


def _frozen(request, rubric) -> bool:
    """``rubric_is_frozen``, asked once per request and rubric (inlines ask several times)."""
    if rubric is None or rubric.pk is None:
        return False
    cache = request.__dict__.setdefault("_frozen_rubrics", {})
    if rubric.pk not in cache:
        cache[rubric.pk] = rubric_is_frozen(rubric=rubric)
    return cache[rubric.pk]


class FrozenRubricInlineMixin:
    """Criteria and tiers of a frozen rubric: shown, not added, changed or deleted."""

    def get_readonly_fields(self, request, obj=None):
        if _frozen(request, obj):
            return list(self.fields)
        return super().get_readonly_fields(request, obj)

    def has_add_permission(self, request, obj=None):
        return not _frozen(request, obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _frozen(request, obj) and super().has_delete_permission(request, obj)


class CriterionInline(FrozenRubricInlineMixin, admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["position", "group", "title", "max_points"]


class TierInline(FrozenRubricInlineMixin, admin.TabularInline):
    model = Tier
    extra = 0
    fields = ["name", "min_score", "position"]


@admin.register(Rubric)
class RubricAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "version", "applies_to", "total_points", "organiser", "campaign"]
    list_filter = ["applies_to"]
    search_fields = ["name"]
    list_select_related = ["organiser", "campaign"]
    autocomplete_fields = ["organiser", "campaign", "previous_version", "created_by"]
    inlines = [CriterionInline, TierInline]

    def locked_fields(self, request, obj):
        if _frozen(request, obj):
            return ["applies_to", "total_points", "version", "previous_version", "organiser"]
        return []

    def may_delete(self, obj):
        return not rubric_is_frozen(rubric=obj)


class MemberInline(SafeInputAdminMixin, admin.TabularInline):
    model = CommitteeMember
    extra = 0
    autocomplete_fields = ["user", "followed_units"]


@admin.register(Committee)
class CommitteeAdmin(SafeInputAdminMixin, admin.ModelAdmin):
    list_display = ["name", "unit"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    inlines = [MemberInline]


# The rules of a round: what is scored, by whom, how, when (the service's list of settings
# less its name). Read-only here once the round is open — the round page changes what the
# service allows — and everything once finalised.
ROUND_RULES = [
    "campaign",
    "scope_unit",
    "nominated_from",
    *(field for field in ROUND_FIELDS if field != "name"),
]


def _round_started(round_) -> bool:
    return round_ is not None and round_.status != RoundStatus.DRAFT


@admin.register(Round)
class RoundAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "campaign", "scope_unit", "status", "scoring_opens", "scoring_closes"]
    list_filter = ["status", "aggregation", "rank_by"]
    search_fields = ["name"]
    list_select_related = ["campaign", "scope_unit"]
    autocomplete_fields = ["campaign", "scope_unit", "rubric_collective", "rubric_individual"]
    filter_horizontal = ["nominated_from"]
    readonly_fields = ["status", "opened_at", "finalised_at", "finalised_by", "results_locked_at"]

    def locked_fields(self, request, obj):
        if obj is None or obj.status == RoundStatus.DRAFT:
            return []
        if obj.status == RoundStatus.FINALISED:
            return ["name", *ROUND_RULES]
        return ROUND_RULES

    def may_delete(self, obj):
        return obj.status == RoundStatus.DRAFT


@admin.register(RoundEntry)
class RoundEntryAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["dvk_model", "round", "nominated"]
    list_filter = ["nominated"]
    search_fields = ["dvk_model__name"]
    list_select_related = ["dvk_model", "round"]
    raw_id_fields = ["round", "dvk_model", "source_entry"]
    readonly_fields = ["nominated"]  # round_nominate owns it

    def locked_fields(self, request, obj):
        return ["round", "dvk_model", "source_entry"] if obj is not None else []

    def may_delete(self, obj):
        return not _round_started(obj.round)


@admin.register(Assignment)
class AssignmentAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["entry", "reviewer", "round", "conflict_status", "assigned_at"]
    list_filter = ["conflict_status"]
    search_fields = ["reviewer__username", "reviewer__full_name", "entry__dvk_model__name"]
    list_select_related = ["entry__dvk_model", "reviewer", "round"]
    raw_id_fields = ["round", "entry", "reviewer", "assigned_by"]
    readonly_fields = [
        "conflict_status",
        "conflict_reason",
        "conflict_declared_at",
        "conflict_resolved_at",
        "conflict_resolved_by",
    ]

    def locked_fields(self, request, obj):
        return ["round", "entry", "reviewer"] if _round_started(getattr(obj, "round", None)) else []

    def may_delete(self, obj):
        # Deleting an assignment deletes its sheet and scores.
        return not _round_started(obj.round)


class CriterionScoreInline(admin.TabularInline):
    model = CriterionScore
    extra = 0
    can_delete = False
    readonly_fields = ["criterion", "points", "comment", "updated_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScoreSheet)
class ScoreSheetAdmin(GuardedAdminMixin, SimpleHistoryAdmin):
    """Sheets are written by the scoring services and kept: read-only, never deleted."""

    list_display = ["assignment", "status", "total", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["assignment__reviewer", "assignment__entry__dvk_model"]
    readonly_fields = [f.name for f in ScoreSheet._meta.fields]
    inlines = [CriterionScoreInline]

    def has_add_permission(self, request):
        return False

    def may_delete(self, obj):
        return False


@admin.register(Result)
class ResultAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "dvk_model",
        "round",
        "score_used",
        "tier_name",
        "rank",
        "recognised",
        "exemplary",
    ]
    list_filter = ["recognised", "exemplary", "tier_name"]
    search_fields = ["dvk_model__name"]
    list_select_related = ["dvk_model", "round"]
    readonly_fields = [f.name for f in Result._meta.fields]
