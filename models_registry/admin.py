"""Administration of the registry: repair content, never move a model through its workflow.

Status, its dates and the version counter belong to ``models_registry.services``; the
admin shows them read-only, bumps the version when it saves (so a form open elsewhere is
told to reload instead of overwriting), and deletes only drafts (anything submitted has
history: activity rows, round entries, results).
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import F
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.admin import SimpleHistoryAdmin

from danvan.admin import GuardedAdminMixin, SafeInputAdminMixin
from danvan.admin_site import is_administrator
from danvan.web import file_response, refusals

from . import services
from .enums import ModelStatus
from .models import Attachment, Campaign, DeadlineExtension, DvkModel, Field


@admin.register(Field)
class FieldAdmin(SafeInputAdminMixin, admin.ModelAdmin):
    list_display = ["name", "parent", "position", "active"]
    list_filter = ["active", "parent"]
    search_fields = ["name"]
    list_select_related = ["parent"]


class ExtensionInline(SafeInputAdminMixin, admin.TabularInline):
    model = DeadlineExtension
    extra = 0
    autocomplete_fields = ["unit", "granted_by"]


@admin.register(Campaign)
class CampaignAdmin(SafeInputAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "year", "organiser", "registration_opens", "registration_closes"]
    search_fields = ["title", "year"]
    list_select_related = ["organiser"]
    autocomplete_fields = ["organiser"]
    filter_horizontal = ["focus_fields"]
    inlines = [ExtensionInline]


class AttachmentInline(admin.TabularInline):
    """Evidence is added and removed through the registration pages (permission-checked,
    recorded); here it is only listed."""

    model = Attachment
    extra = 0
    can_delete = False
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


# Fields the workflow services own (status and its traces, the carry-over link, where the
# model belongs): read-only here.
WORKFLOW_FIELDS = [
    "status",
    "version",
    "return_reason",
    "resubmit_deadline",
    "submitted_at",
    "accepted_at",
    "created_by",
    "created_at",
    "updated_at",
]
PLACEMENT_FIELDS = ["campaign", "unit", "kind", "predecessor"]


@admin.register(DvkModel)
class DvkModelAdmin(GuardedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "unit", "campaign", "kind", "status"]
    list_filter = ["status", "kind", "campaign"]
    search_fields = ["search_text", "unit__name"]
    list_select_related = ["unit", "campaign"]
    autocomplete_fields = ["unit", "campaign", "field", "predecessor", "replicates"]
    readonly_fields = WORKFLOW_FIELDS
    inlines = [AttachmentInline]
    actions = ["export_personal_data", "remove_personal_data"]

    def locked_fields(self, request, obj):
        return PLACEMENT_FIELDS if obj is not None else []

    def may_delete(self, obj):
        return obj.status == ModelStatus.DRAFT

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            # The same compare-and-set counter the services use: a registration form opened
            # before this repair is refused on save instead of overwriting it.
            DvkModel.objects.filter(pk=obj.pk).update(version=F("version") + 1)

    # --- Personal data of the individual and the contact (administrators only) ----------

    def has_personal_data_permission(self, request):
        # The site admits administrators only; said again here where it matters most.
        return is_administrator(request.user)

    @admin.action(description=gettext_lazy("Export personal data"), permissions=["personal_data"])
    def export_personal_data(self, request, queryset):
        """One model's personal data as a spreadsheet, for a request by the person."""
        if queryset.count() != 1:
            self.message_user(
                request,
                _("Choose exactly one model to export its personal data."),
                messages.WARNING,
            )
            return None
        response = file_response(*services.person_data_export(dvk_model=queryset.get()))
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(
        description=gettext_lazy("Remove personal data (anonymise)"),
        permissions=["personal_data"],
    )
    def remove_personal_data(self, request, queryset):
        """A confirmation page, then ``services.person_data_remove`` for each model."""
        dvk_models = list(queryset.select_related("unit", "campaign"))
        if request.POST.get("post") == "yes":
            removed = 0
            for dvk_model in dvk_models:
                with refusals(request) as outcome:
                    removed += services.person_data_remove(dvk_model=dvk_model, by=request.user)
                if not outcome.ok:
                    break
            self.message_user(
                request,
                ngettext(
                    "Personal data removed from %(count)d model.",
                    "Personal data removed from %(count)d models.",
                    removed,
                )
                % {"count": removed},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Remove personal data"),
            "opts": self.model._meta,
            "queryset": dvk_models,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "removed_name": services.REMOVED_NAME,
        }
        return TemplateResponse(
            request, "admin/models_registry/dvkmodel/remove_personal_data.html", context
        )
