from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attachment, Campaign, DeadlineExtension, DvkModel, Field, StatusChange


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "position", "active"]
    list_filter = ["active", "parent"]
    search_fields = ["name"]
    list_select_related = ["parent"]


class ExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    extra = 0
    autocomplete_fields = ["unit", "granted_by"]


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["title", "year", "organiser", "registration_opens", "registration_closes"]
    search_fields = ["title", "year"]
    list_select_related = ["organiser"]
    autocomplete_fields = ["organiser"]
    filter_horizontal = ["focus_fields"]
    inlines = [ExtensionInline]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "reason", "note"]

    def has_add_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = [
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DvkModel)
class DvkModelAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "campaign", "kind", "status"]
    list_filter = ["status", "kind", "campaign"]
    search_fields = ["search_text", "unit__name"]
    list_select_related = ["unit", "campaign"]
    autocomplete_fields = ["unit", "campaign", "field", "predecessor", "replicates"]
    readonly_fields = [
        "status",
        "return_reason",
        "resubmit_deadline",
        "submitted_at",
        "accepted_at",
    ]
    inlines = [StatusChangeInline, AttachmentInline]
