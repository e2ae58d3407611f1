"""A unit's yearly plan: number and symbol, date, title and the signed PDF. The checks
(number format, date in the campaign's years, a real PDF) are the service's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import UnitPlan
from .options import DATE_WIDGET


class UnitPlanForm(forms.Form):
    number = forms.CharField(
        label=_("Number and symbol"),
        max_length=60,
        help_text=UnitPlan._meta.get_field("number").help_text,
    )
    date = forms.DateField(label=_("Date issued"), widget=DATE_WIDGET)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    file = forms.FileField(
        label=_("Signed plan (PDF)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, plan: UnitPlan | None = None, **kwargs):
        if plan is not None:
            kwargs.setdefault(
                "initial", {"number": plan.number, "date": plan.date, "title": plan.title}
            )
        super().__init__(*args, **kwargs)
        if plan is not None and plan.file:
            self.fields["file"].help_text = _("Leave empty to keep the file already attached.")

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in ("number", "date", "title")}
        if self.cleaned_data.get("file"):
            data["file"] = self.cleaned_data["file"]
        return data
