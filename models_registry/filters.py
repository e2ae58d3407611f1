"""The intake list's filters (django-filter): all applied in SQL."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.db import vi_order
from danvan.enums import UnitKind
from danvan.selectors import subtree_pks
from danvan.utils import fold_vietnamese

from .enums import ModelKind, ModelStatus
from .models import Field
from .selectors import ORIGIN_Q, model_or_unit_matches, unit_matches

ORIGIN_CHOICES = [
    ("new", pgettext_lazy("model origin", "New")),
    ("maintained", pgettext_lazy("model origin", "Carried over")),
    ("replicated", pgettext_lazy("model origin", "Replicated")),
]


# The same rule as the report's (reports.statistics): carried over first, then replicated.
class IntakeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("Name of the model, person or unit")}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[c for c in ModelStatus.choices if c[0] != ModelStatus.DRAFT],
        empty_label=_("All statuses"),
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="campaign__year")
    unit_kind = django_filters.ChoiceFilter(
        label=_("Unit kind"),
        field_name="unit__kind",
        choices=UnitKind.choices,
        empty_label=_("All unit kinds"),
    )
    unit = django_filters.CharFilter(label=_("Unit"), method="filter_unit")
    field = django_filters.ModelChoiceFilter(
        label=_("Field"),
        method="filter_field",
        queryset=Field.objects.filter(parent=None).order_by("position", vi_order("name")),
        empty_label=_("All fields"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ModelKind.choices, empty_label=_("All kinds")
    )
    # Set by the leaders' dashboard's links (no visible controls): the pk of a unit whose
    # subtree's models to keep (the list is already limited to the user's scope), and the
    # origin the December report counts (new, carried over, replicating another model).
    locality = django_filters.NumberFilter(method="filter_locality", widget=forms.HiddenInput)
    origin = django_filters.ChoiceFilter(
        label=pgettext_lazy("model origin", "Origin"),
        choices=ORIGIN_CHOICES,
        method="filter_origin",
        widget=forms.HiddenInput,
    )

    def filter_search(self, queryset, name, value):
        """The model's own words or its unit's (``selectors.model_or_unit_matches``)."""
        folded = fold_vietnamese(value)
        if not folded:
            return queryset
        return queryset.filter(model_or_unit_matches(folded))

    def filter_unit(self, queryset, name, value):
        folded = fold_vietnamese(value)
        return queryset.filter(unit_matches(folded)) if folded else queryset

    def filter_locality(self, queryset, name, value):
        subtree = subtree_pks(int(value))
        return queryset.filter(unit__in=subtree)

    def filter_origin(self, queryset, name, value):
        return queryset.filter(ORIGIN_Q[value])

    def filter_field(self, queryset, name, value):
        return queryset.filter(Q(field=value) | Q(field__parent=value))
