"""The assignment page's filters (a plain GET form; ``selectors.assignment_entries``
applies them in SQL)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..selectors import assignments as shape

STATUS_CHOICES = [
    ("", _("All models")),
    (shape.STATUS_SHORT, _("Short of reviewers")),
    (shape.STATUS_BEHIND, _("Sheets not yet submitted")),
    (shape.STATUS_DONE, _("Every sheet submitted")),
    (shape.STATUS_CONFLICT, _("Conflict to decide")),
]
SORT_CHOICES = [
    (shape.SORT_UNIT, _("Unit, then model")),
    (shape.SORT_NAME, _("Model name")),
    (shape.SORT_PROGRESS, _("Fewest sheets submitted first")),
    (shape.SORT_REVIEWERS, _("Fewest reviewers first")),
]


class AssignmentFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name of the model, person or unit")}),
    )
    status = forms.ChoiceField(
        label=_("Progress"),
        choices=STATUS_CHOICES,
        required=False,
    )
    reviewer = forms.TypedChoiceField(
        label=_("Reviewer"), coerce=int, empty_value=None, required=False, choices=()
    )
    unit = forms.CharField(label=_("Unit"), required=False, max_length=100)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, reviewers, **kwargs):
        """``reviewers``: the committee members the page lists (``round_reviewers``)."""
        super().__init__(*args, **kwargs)
        seen = {}
        for member in reviewers:
            seen.setdefault(member.user_id, str(member.user))
        self.fields["reviewer"].choices = [("", _("All reviewers")), *seen.items()]

    def filters(self) -> dict:
        """The valid filters as ``assignment_entries`` takes them (a wrong value is
        ignored: the list shows unfiltered rather than an error on a GET)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "reviewer": data.get("reviewer"),
            "unit": data.get("unit") or "",
            "sort": data.get("sort") or shape.SORT_UNIT,
        }

    def is_filtered(self) -> bool:
        filters = self.filters()
        return any(filters.get(name) for name in ("q", "status", "reviewer", "unit"))
