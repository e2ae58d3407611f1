"""Administration of the reports' data. Issuer profiles are edited here (through the
service: same checks, one activity row); a profile that has already been in force
cannot be deleted — end it and add the next version instead. Narratives, unit plans and
report runs are written through their services only and are read-only here."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from danvan.admin import GuardedAdminMixin, ReadOnlyAdminMixin
from danvan.dates import today

from . import services
from .models import IssuerProfile, Report, ReportNarrative, UnitPlan
from .validators import validate_symbol


class IssuerProfileForm(forms.ModelForm):
    class Meta:
        model = IssuerProfile
        fields = services.ISSUER_FIELDS

    def clean_symbol(self):
        symbol = (self.cleaned_data.get("symbol") or "").strip().upper()
        validate_symbol(symbol)
        return symbol


@admin.register(IssuerProfile)
class IssuerProfileAdmin(GuardedAdminMixin, SimpleHistoryAdmin):
    form = IssuerProfileForm
    list_display = ["issuing_body", "symbol", "unit", "valid_from", "valid_to", "signer_name"]
    list_filter = ["symbol"]
    search_fields = ["issuing_body", "symbol", "signer_name", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in services.ISSUER_FIELDS}
        try:
            services.issuer_profile_save(data=data, by=request.user, profile=obj)
        except services.ReportsError as error:  # the form's clean() ran the same checks
            raise ValidationError(str(error)) from None

    def may_delete(self, obj) -> bool:
        return obj.valid_from > today()


@admin.register(ReportNarrative)
class ReportNarrativeAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["campaign", "kind", "updated_by", "updated_at", "version"]
    list_filter = ["kind"]
    list_select_related = ["campaign", "updated_by"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("reports.view_reportnarrative")


@admin.register(UnitPlan)
class UnitPlanAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "unit", "campaign", "date", "original_name"]
    list_filter = ["campaign"]
    search_fields = ["number", "unit__name", "title"]
    list_select_related = ["unit", "campaign"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("reports.view_unitplan")


@admin.register(Report)
class ReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Runs are written by ``reports.runs`` only (a failed one is retried from its page)."""

    list_display = ["__str__", "status", "report_date", "requested_by", "created_at", "finished_at"]
    list_filter = ["kind", "status", "scheduled"]
    search_fields = ["number", "fingerprint", "requested_by__username"]
    list_select_related = ["campaign", "requested_by"]
    date_hierarchy = "created_at"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("reports.view_report")
