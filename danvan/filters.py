"""The audit page's filters (django-filter): all applied in SQL."""

import django_filters
from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .activity import action_choices
from .models import ActivityLog
from .utils import clean_search_text, vietnamese_sort_key


def _object_type_choices():
    """The object types that have registered actions (``app_label.model.verb``), from the
    content types' per-process cache (no query once it is warm)."""
    models = set()
    for code, _label in action_choices():
        app_label, model_name, *_verb = code.split(".")
        try:
            models.add(apps.get_model(app_label, model_name))
        except LookupError:  # a code named after no model ("reports.dvkmodel.publish")
            continue
    choices = [
        (
            ContentType.objects.get_for_model(model, for_concrete_model=False).pk,
            str(model._meta.verbose_name).capitalize(),
        )
        for model in models
    ]
    return sorted(choices, key=lambda choice: vietnamese_sort_key(choice[1]))


class ActivityFilter(django_filters.FilterSet):
    object_type = django_filters.ChoiceFilter(
        label=_("Object type"),
        field_name="content_type",
        choices=_object_type_choices,
        empty_label=_("All object types"),
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=action_choices, empty_label=_("All actions")
    )
    actor = django_filters.CharFilter(
        label=_("By"),
        method="filter_actor",
        widget=forms.TextInput(attrs={"placeholder": _("Name or username")}),
    )
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="timestamp",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = django_filters.DateFilter(
        label=_("To"),
        field_name="timestamp",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = ActivityLog
        fields = []

    def filter_actor(self, queryset, name, value):
        text, _cleaned = clean_search_text(value)
        if not text:
            return queryset
        return queryset.filter(
            Q(actor__username__icontains=text) | Q(actor__full_name__icontains=text)
        )
