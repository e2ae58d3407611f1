"""What a report request carries besides the campaign: the date, the number if it is
already known, whether the day is printed; and, for the five-year summary, the years."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
NUMBER_RE = re.compile(r"^\d{1,5}$")
# A phase (giai đoạn) is five years: a wider range makes tables nobody can print.
MAX_SUMMARY_YEARS = 5


class ReportOptionsForm(forms.Form):
    date = forms.DateField(
        label=_("Report date"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_(
            "Picks the issuer profile in force that day. Empty: the campaign's report date."
        ),
    )
    number = forms.CharField(
        label=_("Number"),
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_("Empty: left blank for the clerk, as “Số    -BC/…”."),
    )
    day_given = forms.BooleanField(
        label=_("Print the day of the date"),
        required=False,
        help_text=_("Unticked: the day is left blank for the clerk to write when signing."),
    )

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if number and not NUMBER_RE.match(number):
            raise ValidationError(
                _("Write the number only, e.g. “15”: the symbol comes from the issuer profile."),
                code="report_number",
            )
        return number

    def options(self) -> dict:
        """The cleaned options as the run's parameters (the date as ISO text or None)."""
        data = self.cleaned_data
        return {
            "date": data["date"].isoformat() if data.get("date") else None,
            "number": data.get("number", ""),
            "day_given": bool(data.get("day_given")),
        }


class SummaryRequestForm(ReportOptionsForm):
    """The phase's first and last year, among the years that have a campaign."""

    from_year = forms.TypedChoiceField(label=_("From year"), coerce=int)
    to_year = forms.TypedChoiceField(label=_("To year"), coerce=int)

    field_order = ["from_year", "to_year", "date", "number", "day_given"]

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(year, str(year)) for year in sorted(set(years))]
        self.fields["from_year"].choices = choices
        self.fields["to_year"].choices = choices
        self.fields["date"].help_text = _(
            "Picks the issuer profile in force that day. Empty: the last campaign's report date."
        )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("from_year"), cleaned.get("to_year")
        if first is not None and last is not None:
            if first > last:
                self.add_error("to_year", _("The last year cannot come before the first year."))
            elif last - first + 1 > MAX_SUMMARY_YEARS:
                self.add_error(
                    "to_year",
                    _("A phase covers at most %(count)s years: choose a later first year.")
                    % {"count": MAX_SUMMARY_YEARS},
                )
        return cleaned
