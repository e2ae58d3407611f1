"""The intake list's filters (django-filter): all applied in SQL."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.enums import UnitKind
from danvan.utils import fold_vietnamese

from .enums import ModelKind, ModelStatus
from .models import Field


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
        queryset=Field.objects.filter(parent=None),
        empty_label=_("All fields"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ModelKind.choices, empty_label=_("All kinds")
    )

    def filter_search(self, queryset, name, value):
        folded = fold_vietnamese(value)
        if not folded:
            return queryset
        return queryset.filter(
            Q(search_text__contains=folded) | Q(unit__search_text__contains=folded)
        )

    def filter_unit(self, queryset, name, value):
        folded = fold_vietnamese(value)
        return queryset.filter(unit__search_text__contains=folded) if folded else queryset

    def filter_field(self, queryset, name, value):
        return queryset.filter(Q(field=value) | Q(field__parent=value))
