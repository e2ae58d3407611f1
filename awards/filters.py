"""The register's filters (django-filter): a GET form whose cleaned values feed
``selectors.award_register``, which applies them in SQL with the totals."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.db import vi_order
from danvan.enums import UnitKind
from danvan.models import Unit
from danvan.selectors import units_in_scope
from models_registry.models import Field

from . import selectors
from .enums import IssuingLevel
from .models import Award, AwardType

REVOKED_CHOICES = [("no", _("In force")), ("yes", _("Revoked"))]


class AwardRegisterFilter(django_filters.FilterSet):
    """Build with ``user=``: the years and issuers offered are those of the awards the
    user may read; ``register_filters()`` gives the selector's ``filters``."""

    year = django_filters.ChoiceFilter(label=_("Year"), empty_label=_("All years"))
    award_type = django_filters.ModelChoiceFilter(
        label=_("Award type"),
        queryset=AwardType.objects.order_by("position", vi_order("name")),
        empty_label=_("All award types"),
    )
    issuer = django_filters.ChoiceFilter(label=_("Issued by"), empty_label=_("All issuers"))
    level = django_filters.ChoiceFilter(
        label=_("Issuing level"), choices=IssuingLevel.choices, empty_label=_("All levels")
    )
    unit_kind = django_filters.ChoiceFilter(
        label=_("Unit kind"), choices=UnitKind.choices, empty_label=_("All unit kinds")
    )
    field = django_filters.ModelChoiceFilter(
        label=_("Field"),
        queryset=Field.objects.filter(parent=None).order_by("position", vi_order("name")),
        empty_label=_("All fields"),
    )
    revoked = django_filters.ChoiceFilter(
        label=_("Status"), choices=REVOKED_CHOICES, empty_label=_("All statuses")
    )
    # Set by the "see all in the register" link of a unit's page (no visible control).
    unit = django_filters.ModelChoiceFilter(queryset=Unit.objects.none(), widget=forms.HiddenInput)

    class Meta:
        model = Award
        fields: list = []

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, queryset=Award.objects.none(), **kwargs)
        years, issuers = selectors.award_register_choices(user=user)
        fields = self.form.fields
        fields["year"].choices = [("", _("All years"))] + [(str(year), str(year)) for year in years]
        fields["issuer"].choices = [("", _("All issuers"))] + [
            (str(pk), name) for pk, name in issuers
        ]
        fields["unit"].queryset = units_in_scope(user=user)

    def _cleaned(self) -> dict:
        if not self.form.is_bound:
            return {}
        self.form.is_valid()  # the valid values in cleaned_data, errors at the others
        return self.form.cleaned_data

    def register_filters(self) -> dict:
        """The valid values as ``award_register`` takes them; an invalid value (a year
        that is not offered, a unit outside the scope) is left out, shown at its field."""
        data = self._cleaned()
        filters = {name: data.get(name) for name in ("award_type", "level", "unit_kind")}
        filters |= {name: data.get(name) for name in ("field", "unit")}
        for name in ("year", "issuer"):  # offered as text choices
            filters[name] = int(data[name]) if data.get(name) else None
        filters["revoked"] = {"yes": True, "no": False}.get(data.get("revoked") or "")
        return filters

    def summary(self) -> list[tuple[str, str]]:
        """The filters in force as (label, value) pairs, for the export's heading."""
        data = self._cleaned()
        pairs = []
        for name, field in self.form.fields.items():
            value = data.get(name)
            if value in (None, ""):
                continue
            if name == "unit":
                pairs.append((str(_("Unit")), value.name))
            elif hasattr(field, "choices") and not hasattr(value, "pk"):
                shown = dict(field.choices).get(value, value)
                pairs.append((str(field.label), str(shown)))
            else:
                pairs.append((str(field.label), str(value)))
        return pairs
