"""An issuer profile: the names, symbol, place, signer and recipients a report prints, for
the reports dated within its validity. Overlaps and the symbol are checked by
``reports.services.issuer_profile_save``."""

from django import forms
from django.utils.text import capfirst

from ..models import IssuerProfile
from .options import DATE_WIDGET

FIELDS = [
    "superior_body",
    "issuing_body",
    "symbol",
    "place",
    "signer_prefix",
    "signer_title",
    "signer_name",
    "recipients",
    "valid_from",
    "valid_to",
]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class IssuerProfileForm(forms.Form):
    """Built from the model's fields (labels, help texts, lengths); ``unit`` among
    ``units``."""

    unit = UnitChoiceField(queryset=None)

    def __init__(self, *args, units, profile: IssuerProfile | None = None, **kwargs):
        if profile is not None and profile.pk:
            kwargs.setdefault(
                "initial", {"unit": profile.unit_id, **{f: getattr(profile, f) for f in FIELDS}}
            )
        super().__init__(*args, **kwargs)
        unit_field = IssuerProfile._meta.get_field("unit")
        self.fields["unit"].queryset = units
        self.fields["unit"].label = capfirst(unit_field.verbose_name)
        self.fields["unit"].help_text = unit_field.help_text
        for name in FIELDS:
            field = IssuerProfile._meta.get_field(name).formfield()
            if name in ("valid_from", "valid_to"):
                field.widget = DATE_WIDGET
            if name == "recipients":
                field.widget = forms.Textarea(attrs={"rows": 6})
            self.fields[name] = field

    def service_data(self) -> dict:
        return dict(self.cleaned_data)
