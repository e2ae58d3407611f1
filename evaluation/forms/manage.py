"""The secretariat's forms: validation of what users type; saving goes through
``evaluation.services``. The rubric builder's formsets validate their rows with the pure
validators of ``evaluation.validators``, the ones the services apply too."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from danvan.forms import ChooseLabelsMixin

from .. import services
from ..enums import CommitteeRole, RubricAppliesTo
from ..models import Round
from ..validators import criteria_errors, parse_points, tiers_errors

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        unit = obj.unit.name if obj.unit_id else ""
        return f"{obj} — {unit}" if unit else str(obj)


# --- Rubrics ------------------------------------------------------------------------------


class RubricFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=None, required=False, empty_label=_("All campaigns")
    )

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns


class RubricCreateForm(ChooseLabelsMixin, forms.Form):
    BLANK = "blank"
    DEFAULT = "default"
    CLONE = "clone"
    MODE_CHOICES = [
        (BLANK, _("Start from a blank rubric")),
        (DEFAULT, _("Start from the default criteria and tiers")),
        (CLONE, _("Copy an existing rubric (e.g. last year's)")),
    ]

    mode = forms.ChoiceField(
        label=_("How to start"), choices=MODE_CHOICES, initial=BLANK, widget=forms.RadioSelect
    )
    applies_to = forms.ChoiceField(label=_("Applies to"), choices=RubricAppliesTo.choices)
    organiser = UnitChoiceField(label=_("Organiser"), queryset=None, empty_label=None)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=None,
        required=False,
        empty_label=_("Any campaign of the organiser"),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=255,
        required=False,
        help_text=_("Needed for a blank rubric; the others keep the name of their source."),
    )
    total_points = forms.DecimalField(
        label=_("Total points"), max_digits=5, decimal_places=1, initial=100, min_value=1
    )
    source = forms.ModelChoiceField(
        label=_("Rubric to copy"),
        queryset=None,
        required=False,
        help_text=_("Only for a copy: its criteria and tiers are copied."),
    )

    def __init__(self, *args, organisers, campaigns, rubrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        self.fields["campaign"].queryset = campaigns
        self.fields["source"].queryset = rubrics

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        if mode == self.BLANK and not (data.get("name") or "").strip():
            self.add_error("name", _("Please give the rubric a name."))
        if mode == self.CLONE and not data.get("source"):
            self.add_error("source", _("Choose the rubric to copy."))
        return data


class RubricHeaderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=None,
        required=False,
        empty_label=_("Any campaign of the organiser"),
    )
    applies_to = forms.ChoiceField(label=_("Applies to"), choices=RubricAppliesTo.choices)
    total_points = forms.DecimalField(
        label=_("Total points"), max_digits=5, decimal_places=1, min_value=1
    )

    def __init__(self, *args, campaigns, **kwargs):
        kwargs.setdefault("prefix", "rubric")
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns


class CriterionRowForm(forms.Form):
    """One criterion; the rules across rows (points add up, steps of 0.5) are the
    formset's — points stay text so that "12,5" reaches the validator as typed."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    group = forms.CharField(label=_("Group"), max_length=200, required=False)
    title = forms.CharField(label=_("Criterion"), max_length=500, required=False)
    guidance = forms.CharField(
        label=_("What earns full marks"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    max_points = forms.CharField(
        label=_("Max points"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "js-points"}),
    )
    position = forms.IntegerField(label=_("Order"), required=False, min_value=0)


class TierRowForm(forms.Form):
    name = forms.CharField(label=_("Tier"), max_length=100, required=False)
    min_score = forms.CharField(
        label=_("From score"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class RowsFormSet(forms.BaseFormSet):
    """A list of rows checked as a whole by a pure validator against the rubric's total.

    ``rows()`` are the kept rows (not deleted, not left empty; in ``position`` order when
    the rows have one) as the services take them; the validator's messages go next to the
    row's field, or above the list.
    """

    row_fields: tuple[str, ...] = ()
    rows_name = ""  # the validator's keyword for the rows
    validator = None

    def __init__(self, *args, total_points: Decimal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.total_points = total_points

    def _kept(self) -> list[tuple[forms.Form, dict]]:
        kept = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            if not data.get("id") and not any(
                str(data.get(name) or "").strip() for name in self.row_fields
            ):
                continue  # an empty row
            kept.append((form, data))
        kept.sort(key=lambda item: (item[1].get("position") is None, item[1].get("position") or 0))
        return kept

    def rows(self) -> list[dict]:
        return [{name: data.get(name) for name in self.row_fields} for _form, data in self._kept()]

    def clean(self):
        if any(self.errors):
            return
        kept = self._kept()
        rows = [{name: data.get(name) for name in self.row_fields} for _form, data in kept]
        errors = type(self).validator(total_points=self.total_points, **{self.rows_name: rows})
        for index, fields in errors.rows.items():
            form = kept[index][0]
            for name, messages in fields.items():
                form.add_error(name if name in form.fields else None, messages)
        if errors.general:
            raise ValidationError(errors.general)


class CriterionRowsFormSet(RowsFormSet):
    row_fields = ("id", "group", "title", "guidance", "max_points")
    rows_name = "criteria"
    validator = staticmethod(criteria_errors)

    def points_sum(self) -> Decimal:
        """The sum of the points typed in the rows kept (for the running total)."""
        total = Decimal(0)
        for form in self.forms:
            if form.is_bound and form.data.get(form.add_prefix("DELETE")):
                continue
            try:
                total += parse_points(form["max_points"].value()) or 0
            except ValueError:
                continue
        return total


class TierRowsFormSet(RowsFormSet):
    row_fields = ("name", "min_score")
    rows_name = "tiers"
    validator = staticmethod(tiers_errors)


CriterionFormSet = forms.formset_factory(
    CriterionRowForm, formset=CriterionRowsFormSet, extra=2, can_delete=True
)
TierFormSet = forms.formset_factory(TierRowForm, formset=TierRowsFormSet, extra=1, can_delete=True)


# --- Committees ---------------------------------------------------------------------------


class CommitteeForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=None, empty_label=None)
    name = forms.CharField(
        label=_("Name"), max_length=255, initial="Ban Chỉ đạo phong trào thi đua “Dân vận khéo”"
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MemberForm(ChooseLabelsMixin, forms.Form):
    user = PersonChoiceField(label=_("Person"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=CommitteeRole.choices)
    followed_units = UnitMultipleChoiceField(
        label=_("Localities followed"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, people=None, units, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["followed_units"].queryset = units
        if editing:
            del self.fields["user"]
        else:
            self.fields["user"].queryset = people
            del self.fields["active"]


# --- Rounds -------------------------------------------------------------------------------


class RoundForm(ChooseLabelsMixin, forms.ModelForm):
    class Meta:
        model = Round
        fields = ["campaign", "scope_unit", *services.ROUND_FIELDS, "nominated_from"]
        widgets = {
            "scoring_opens": DATE_WIDGET,
            "scoring_closes": DATE_WIDGET,
            "nominated_from": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, campaigns, units, rubrics, rounds, editable=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["scope_unit"] = UnitChoiceField(
            label=_("Run by"), queryset=units, empty_label=None
        )
        self.fields["rubric_collective"].queryset = rubrics
        self.fields["rubric_individual"].queryset = rubrics
        self.fields["nominated_from"].queryset = rounds
        # The service requires a window: default to the campaign's (filled in by it).
        self.fields["scoring_opens"].required = False
        self.fields["scoring_closes"].required = False
        if self.instance.pk:
            self.fields["campaign"].disabled = True
            self.fields["scope_unit"].disabled = True
            self.fields["scoring_opens"].required = True
            self.fields["scoring_closes"].required = True
        self.editable = list(self.fields) if editable is None else editable
        for name, field in self.fields.items():
            if name not in self.editable:
                field.disabled = True

    def changes(self) -> dict:
        """The settings to save: every editable one for a new round, the changed ones
        (that may change) for an existing round."""
        names = self.editable if not self.instance.pk else self.changed_data
        return {name: self.cleaned_data[name] for name in names if name in self.editable}


class BulkAssignForm(forms.Form):
    entries = forms.TypedMultipleChoiceField(
        label=_("Models"), coerce=int, choices=(), widget=forms.CheckboxSelectMultiple
    )
    reviewers = forms.TypedMultipleChoiceField(
        label=_("Reviewers"), coerce=int, choices=(), widget=forms.CheckboxSelectMultiple
    )
    # The page renders the checkboxes itself: the error summary links to each group's errors.
    error_targets = {"entries": "bulk-entries-errors", "reviewers": "bulk-reviewers-errors"}

    def __init__(self, *args, entries, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [(e.pk, str(e.dvk_model)) for e in entries]
        self.fields["reviewers"].choices = [(m.user_id, str(m.user)) for m in reviewers]
        self.fields["entries"].error_messages["required"] = _("Tick at least one model.")
        self.fields["reviewers"].error_messages["required"] = _("Tick at least one reviewer.")


class ReopenForm(forms.Form):
    sheet = forms.TypedChoiceField(label=_("Submitted sheet"), coerce=int, choices=())
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    until = forms.DateField(
        label=_("May be changed until"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Leave empty to keep the round's scoring window."),
    )

    def __init__(self, *args, sheets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = sheets


class FinaliseForm(forms.Form):
    force = forms.BooleanField(
        label=_("Finalise without the sheets that are not submitted"), required=False
    )
