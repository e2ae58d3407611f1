"""The secretariat's forms: validation of what users type; saving goes through
``evaluation.services`` (which re-validate and raise errors keyed by field or by row)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.enums import UnitKind
from models_registry.enums import ModelKind
from models_registry.models import Field

from ..enums import CommitteeRole, RubricAppliesTo
from ..models import Round, Tier

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
MANAGING_KINDS = [UnitKind.PROVINCE, UnitKind.COMMUNE]


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


class RubricCreateForm(forms.Form):
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
    """One criterion; the rules (points add up, steps of 0.5) live in the service, which
    reports errors per row — points stay text so "12,5" reaches it as typed."""

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


CriterionFormSet = forms.formset_factory(CriterionRowForm, extra=2, can_delete=True)
TierFormSet = forms.formset_factory(TierRowForm, extra=1, can_delete=True)


# --- Committees ---------------------------------------------------------------------------


class CommitteeForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=None, empty_label=None)
    name = forms.CharField(
        label=_("Name"), max_length=255, initial="Ban Chỉ đạo phong trào thi đua Dân vận khéo"
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MemberForm(forms.Form):
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


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = [
            "campaign",
            "scope_unit",
            "name",
            "rubric_collective",
            "rubric_individual",
            "admit_collective_models",
            "admit_collective_exemplars",
            "admit_individual_exemplars",
            "require_result_report",
            "nominated_from",
            "reviewers_per_model",
            "scoring_opens",
            "scoring_closes",
            "visibility",
            "aggregation",
            "rank_by",
        ]
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
        if editable is not None:
            for name, field in self.fields.items():
                if name not in editable:
                    field.disabled = True

    def _post_clean(self):
        # The service validates the model (with the campaign's defaults filled in).
        pass


class BulkAssignForm(forms.Form):
    entries = forms.TypedMultipleChoiceField(
        label=_("Models"), coerce=int, choices=(), widget=forms.CheckboxSelectMultiple
    )
    reviewers = forms.TypedMultipleChoiceField(
        label=_("Reviewers"), coerce=int, choices=(), widget=forms.CheckboxSelectMultiple
    )

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


class ResultsFilterForm(forms.Form):
    unit_kind = forms.ChoiceField(label=_("Unit kind"), required=False)
    field = forms.ModelChoiceField(
        label=_("Field"), queryset=None, required=False, empty_label=_("All fields")
    )
    model_kind = forms.ChoiceField(label=_("Kind"), required=False)
    tier = forms.ModelChoiceField(
        label=_("Tier"), queryset=None, required=False, empty_label=_("All tiers")
    )

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_kind"].choices = [("", _("All units"))] + [
            (k.value, k.label)
            for k in UnitKind
            if k not in (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.RESIDENTIAL)
        ]
        self.fields["model_kind"].choices = [("", _("All kinds"))] + [
            (k.value, k.label) for k in ModelKind if k in round.model_kinds
        ]
        self.fields["field"].queryset = Field.objects.filter(parent__isnull=True).order_by(
            "position", "name"
        )
        rubric_ids = [pk for pk in (round.rubric_collective_id, round.rubric_individual_id) if pk]
        self.fields["tier"].queryset = Tier.objects.filter(rubric_id__in=rubric_ids).select_related(
            "rubric"
        )
