"""The showcase's filters (django-filter, all applied in SQL) and the public page switch."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.db import vi_order
from danvan.selectors import subtree_pks
from danvan.utils import clean_search_text, fold_vietnamese
from models_registry.enums import ModelKind
from models_registry.models import Field
from models_registry.selectors import model_or_unit_matches

LIBRARY_PAGE_SIZE = 25


class LibraryFilter(django_filters.FilterSet):
    """Filters of the library and of the public page. ``years``, ``tiers`` and
    ``localities`` are the choices the reader's library offers (see
    ``reports.showcase.library_years`` …); a choice outside them is refused by the form,
    never a 500."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(
            attrs={"placeholder": _("Name of the model, person or unit"), "type": "search"}
        ),
    )
    field = django_filters.ModelChoiceFilter(
        label=_("Field"),
        method="filter_field",
        queryset=Field.objects.filter(parent=None, active=True).order_by(
            "position", vi_order("name")
        ),
        empty_label=_("All fields"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ModelKind.choices, empty_label=_("All kinds")
    )
    locality = django_filters.ChoiceFilter(
        label=_("Locality"), method="filter_locality", empty_label=_("All localities")
    )
    tier = django_filters.ChoiceFilter(
        label=_("Tier"), method="filter_tier", empty_label=_("All tiers")
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"), field_name="campaign__year", empty_label=_("All years")
    )
    exemplary = django_filters.BooleanFilter(
        label=_("Exemplary (tiêu biểu) only"),
        method="filter_exemplary",
        widget=forms.CheckboxInput,
    )

    def __init__(self, data=None, *args, years=(), tiers=(), localities=(), public=False, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.public = public
        self.filters["year"].extra["choices"] = [(y, str(y)) for y in years]
        self.filters["tier"].extra["choices"] = [(t, t) for t in tiers]
        self.filters["locality"].extra["choices"] = list(localities)

    def filter_search(self, queryset, name, value):
        text, _dropped = clean_search_text(value)
        folded = fold_vietnamese(text)
        if not folded:
            return queryset
        matches = queryset.filter(model_or_unit_matches(folded))
        if not self.public:
            return matches
        # ``search_text`` also holds the person in charge, whom the public page never
        # names: there a match must be in the model's or the individual's name, or the
        # unit's (checked here over the published models that matched, a short list).
        rows = matches.values_list("pk", "name", "person_name", "unit__search_text")
        keep = [
            pk
            for pk, name, person, unit_text in rows
            if folded in fold_vietnamese(f"{name} {person}") or folded in unit_text
        ]
        return queryset.filter(pk__in=keep)

    def filter_field(self, queryset, name, value):
        return queryset.filter(Q(field=value) | Q(field__parent=value))

    def filter_locality(self, queryset, name, value):
        # ``value`` is one of the offered choices (a unit id), checked by the form.
        subtree = subtree_pks(int(value))
        return queryset.filter(unit__in=subtree)

    def filter_tier(self, queryset, name, value):
        # ``lib_tier``: the shown result's tier, annotated by ``library_list``.
        return queryset.filter(lib_tier=value)

    def filter_exemplary(self, queryset, name, value):
        return queryset.filter(lib_exemplary=True) if value else queryset


class PublicPageForm(forms.Form):
    """Switch one organiser's public page on or off (``organiser`` is checked against
    the user's scope by the view)."""

    organiser = forms.IntegerField(widget=forms.HiddenInput)
    public_page = forms.TypedChoiceField(
        choices=[("1", _("On")), ("0", _("Off"))], coerce=lambda v: v == "1"
    )
