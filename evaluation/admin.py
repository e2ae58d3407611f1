"""Administration views: for IT staff to inspect and repair; workflows stay in the services.

Finalised results and score sheets are read-only here (sheets keep their history).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["position", "group", "title", "max_points"]


class TierInline(admin.TabularInline):
    model = Tier
    extra = 0
    fields = ["name", "min_score", "position"]


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "applies_to", "total_points", "organiser", "campaign"]
    list_filter = ["applies_to"]
    search_fields = ["name"]
    list_select_related = ["organiser", "campaign"]
    autocomplete_fields = ["organiser", "campaign", "previous_version", "created_by"]
    inlines = [CriterionInline, TierInline]


class MemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0
    autocomplete_fields = ["user", "followed_units"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "unit"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    inlines = [MemberInline]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "scope_unit", "status", "scoring_opens", "scoring_closes"]
    list_filter = ["status", "aggregation", "rank_by"]
    search_fields = ["name"]
    list_select_related = ["campaign", "scope_unit"]
    autocomplete_fields = ["campaign", "scope_unit", "rubric_collective", "rubric_individual"]
    filter_horizontal = ["nominated_from"]
    readonly_fields = ["status", "opened_at", "finalised_at", "finalised_by", "results_locked_at"]


@admin.register(RoundEntry)
class RoundEntryAdmin(admin.ModelAdmin):
    list_display = ["dvk_model", "round", "nominated"]
    list_filter = ["nominated"]
    search_fields = ["dvk_model__name"]
    list_select_related = ["dvk_model", "round"]
    raw_id_fields = ["round", "dvk_model", "source_entry"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
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


class CriterionScoreInline(admin.TabularInline):
    model = CriterionScore
    extra = 0
    can_delete = False
    readonly_fields = ["criterion", "points", "comment", "updated_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ScoreSheet)
class ScoreSheetAdmin(SimpleHistoryAdmin):
    list_display = ["assignment", "status", "total", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["assignment__reviewer", "assignment__entry__dvk_model"]
    readonly_fields = [f.name for f in ScoreSheet._meta.fields]
    inlines = [CriterionScoreInline]

    def has_add_permission(self, request):
        return False


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
