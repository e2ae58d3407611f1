"""Administration: inspect and repair; an issued or revoked decision and its awards are
read-only and cannot be deleted, a sent proposal's lines likewise."""

from django.contrib import admin

from danvan.admin import GuardedAdminMixin, SafeInputAdminMixin

from . import services
from .models import (
    Award,
    AwardType,
    Decision,
    HonouringCadence,
    HonouringEvent,
    Proposal,
    ProposalLine,
)

# Locked once issued: what the decision services may set, plus the links they own.
DECISION_FIELDS = [*services.DECISION_FIELDS, "campaigns", "scanned_copy", "proposal"]
RECIPIENT_FIELDS = [
    "recipient_kind",
    "dvk_model",
    "unit",
    "person_name",
    "person_position",
    "award_type",
    "achievement",
    "manual",
    "manual_reason",
    "position",
]


def _decision_locked(decision) -> bool:
    return decision is not None and not decision.is_draft


@admin.register(AwardType)
class AwardTypeAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_code", "issuing_level", "is_formal_award", "active"]
    list_filter = ["issuing_level", "is_formal_award", "active"]
    search_fields = ["name", "short_code"]

    def may_delete(self, obj) -> bool:
        # Types in use keep the history of the awards they name (PROTECT would 500 otherwise).
        return not Award.objects.filter(award_type=obj).exists() and not (
            ProposalLine.objects.filter(award_type=obj).exists()
        )


class AwardInline(SafeInputAdminMixin, admin.TabularInline):
    model = Award
    extra = 0
    fields = [*RECIPIENT_FIELDS, "campaign", "amount", "revoked"]
    readonly_fields = ["revoked"]
    autocomplete_fields = ["dvk_model", "unit", "award_type"]

    def get_readonly_fields(self, request, obj=None):
        if _decision_locked(obj):
            return self.fields
        return super().get_readonly_fields(request, obj)

    def has_add_permission(self, request, obj=None):
        return not _decision_locked(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _decision_locked(obj) and super().has_delete_permission(request, obj)


@admin.register(Decision)
class DecisionAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "date", "issuing_authority", "occasion", "status"]
    list_filter = ["status", "occasion", "year"]
    search_fields = ["issuing_authority", "issuer_code", "signer_name"]
    readonly_fields = ["status", "year", "issued_at", "revoked_reason", "revoked_at", "revoked_by"]
    autocomplete_fields = ["issuer", "campaigns", "proposal"]
    inlines = [AwardInline]

    def locked_fields(self, request, obj):
        return DECISION_FIELDS if _decision_locked(obj) else []

    def may_delete(self, obj) -> bool:
        return obj.is_draft


@admin.register(Award)
class AwardAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "award_type", "amount", "revoked"]
    list_filter = ["revoked", "award_type"]
    search_fields = ["person_name", "unit__name", "dvk_model__name"]
    autocomplete_fields = ["decision", "dvk_model", "unit", "award_type", "campaign"]
    readonly_fields = ["revoked", "revoked_reason"]

    def locked_fields(self, request, obj):
        if obj is not None and _decision_locked(obj.decision):
            return [*RECIPIENT_FIELDS, "decision", "campaign", "amount"]
        return []

    def may_delete(self, obj) -> bool:
        return obj.decision.is_draft


class ProposalLineInline(SafeInputAdminMixin, admin.TabularInline):
    model = ProposalLine
    extra = 0
    fields = RECIPIENT_FIELDS
    autocomplete_fields = ["dvk_model", "unit", "award_type"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return self.fields
        return super().get_readonly_fields(request, obj)

    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_delete_permission(request, obj)


@admin.register(Proposal)
class ProposalAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "campaign", "status", "sent_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    readonly_fields = ["status", "sent_at", "sent_by"]
    autocomplete_fields = ["round", "campaign", "unit"]
    inlines = [ProposalLineInline]

    def locked_fields(self, request, obj):
        return ["round", "campaign", "unit", "title"] if obj and not obj.is_draft else []

    def may_delete(self, obj) -> bool:
        return obj.is_draft and not obj.decisions.exists()


@admin.register(HonouringEvent)
class HonouringEventAdmin(GuardedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "date", "level", "place"]
    list_filter = ["level"]
    search_fields = ["name", "place"]
    autocomplete_fields = ["unit", "awards"]


@admin.register(HonouringCadence)
class HonouringCadenceAdmin(GuardedAdminMixin, admin.ModelAdmin):
    """How often each level honours (data: directives differ). Deleting a row loses no
    history (events stay); untick "active" to stop showing it on the events page."""

    list_display = [
        "level",
        "events_per_period",
        "period_years",
        "base_year",
        "usual_day",
        "usual_month",
        "active",
    ]
    list_filter = ["active"]
