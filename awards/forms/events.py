"""The honouring event form: validation of what the secretariat types; saving goes through
``awards.services.honouring_event_save``."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.forms import ChooseLabelsMixin
from danvan.utils import vietnamese_sort_key

from ..models import HonouringEvent

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class AwardsPresentedField(forms.ModelMultipleChoiceField):
    """The awards presented: checkboxes the template draws grouped by decision."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(queryset=None, required=False, **kwargs)


class HonouringEventForm(ChooseLabelsMixin, forms.ModelForm):
    awards = AwardsPresentedField(
        label=_("Awards presented"),
        help_text=_("Awards of issued decisions that are not revoked, in your scope."),
    )

    class Meta:
        model = HonouringEvent
        fields = ["name", "date", "level", "place", "unit"]
        widgets = {"date": DATE_WIDGET}
        labels = {"unit": pgettext_lazy("event", "Organiser")}

    def __init__(self, *args, organisers, awards, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        unit.queryset = organisers
        unit.choices = [
            ("", unit.empty_label),
            *sorted(
                ((u.pk, u.name) for u in organisers),
                key=lambda choice: vietnamese_sort_key(choice[1]),
            ),
        ]
        self.fields["awards"].queryset = awards
        if self.instance.pk and not self.is_bound:
            self.initial["awards"] = list(self.instance.awards.values_list("pk", flat=True))

    def clean_name(self):
        return (self.cleaned_data.get("name") or "").strip()

    def selected_award_ids(self) -> set[str]:
        """The ids ticked (as posted, or as stored when the form opens) for the picker."""
        value = self["awards"].value() or []
        return {str(pk) for pk in value}

    def service_data(self) -> dict:
        """What ``honouring_event_save`` writes besides the awards."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
