"""Administration for IT staff: inspect and repair, never bypass a workflow.

``GuardedAdminMixin`` is how every app's admin keeps what its services enforce: fields a
service owns are read-only (``locked_fields``), rows whose deletion would lose history
cannot be deleted (``may_delete``; the bulk delete action is off so it cannot skip the
check), and simple-history's "revert" cannot write an old state back over a workflow.

``SafeInputAdminMixin`` (on every admin and inline of the project) turns bad input into a
form error instead of a 500: an autocomplete field posted with a value that is not a key
("abc", "²") and a search term with a NUL byte (PostgreSQL refuses those).
"""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import ActivityLog, GeneratedFile, Unit, UnitSuccession, User


class _ValidKeysOnly:
    """Django's autocomplete widgets look up the posted values to redisplay them; a value
    that is not a key raised there, after the form had already reported it invalid."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        field_name = getattr(remote, "field_name", None)
        opts = remote.model._meta
        key = opts.get_field(field_name) if field_name else opts.pk
        valid = []
        for item in value:
            try:
                # The range validators too: SQLite cannot even bind a 64-bit overflow.
                key.run_validators(key.to_python(item))
            except ValidationError:
                continue
            valid.append(item)
        return super().optgroups(name, valid, attr)


class SafeAutocompleteSelect(_ValidKeysOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidKeysOnly, AutocompleteSelectMultiple):
    pass


class SafeInputAdminMixin:
    """For every ``ModelAdmin`` and inline: see the module docstring."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))


class GuardedAdminMixin(SafeInputAdminMixin):
    """Read-only fields and deletion decided per object (see the module docstring)."""

    def locked_fields(self, request, obj) -> list[str]:
        """Fields of ``obj`` (None on the add page) that only a service may change."""
        return []

    def may_delete(self, obj) -> bool:
        return True

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + [f for f in self.locked_fields(request, obj) if f not in readonly]

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or self.may_delete(obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Showing an old version is fine; saving it would restore an old workflow state.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdminMixin(SafeInputAdminMixin):
    """Rows written only by a service: visible, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuccessionInline(SafeInputAdminMixin, admin.TabularInline):
    model = UnitSuccession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ["successor"]
    verbose_name = _("successor")
    verbose_name_plural = _("successors")


@admin.register(Unit)
class UnitAdmin(SafeInputAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "code", "parent", "active", "valid_from", "valid_to"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "short_name", "code", "search_text"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    inlines = [SuccessionInline]


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(SafeInputAdminMixin, admin.ModelAdmin):
    list_display = ["predecessor", "kind", "successor", "effective_date", "legal_basis"]
    list_filter = ["kind"]
    autocomplete_fields = ["predecessor", "successor"]
    list_select_related = ["predecessor", "successor"]


@admin.register(User)
class UserAdmin(SafeInputAdminMixin, BaseUserAdmin):
    list_display = ["username", "full_name", "unit", "position", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "full_name", "email", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "position", "unit", "email", "phone")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "unit", "password1", "password2"),
            },
        ),
    )


@admin.register(ActivityLog)
class ActivityLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The activity log is written by ``danvan.activity.log_action`` only."""

    list_display = ["timestamp", "actor", "action", "content_type", "object_id", "unit"]
    list_filter = ["content_type", "action"]
    search_fields = ["action", "actor__username", "actor__full_name"]
    list_select_related = ["actor", "content_type", "unit"]
    date_hierarchy = "timestamp"


@admin.register(GeneratedFile)
class GeneratedFileAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Generated files are written by ``danvan.generation`` only (a failed one is made
    again from its page, e.g. the report run's retry)."""

    list_display = ["created_at", "title", "kind", "status", "requested_by", "size", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "filename", "sha256", "requested_by__username"]
    list_select_related = ["requested_by"]
    date_hierarchy = "created_at"
    exclude = ["file"]  # the storage has no URL: the file goes out through its job page
