"""Validation of what users type; saving goes through models_registry.services."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from danvan.dates import today
from danvan.db import vi_order
from danvan.forms import ChooseLabelsMixin, choose_label
from danvan.models import Unit
from danvan.utils import vietnamese_sort_key

from .enums import AttachmentPurpose, ModelKind
from .models import Campaign, DvkModel, Field, ResultReport
from .services import (
    CONTENT_FIELDS,
    REPORT_REQUIRED_ON_SUBMIT,
    REQUIRED_FOR_INDIVIDUAL,
    REQUIRED_ON_SUBMIT,
    RESULT_FIELDS,
)
from .validators import (
    EARLIEST_BIRTH_YEAR,
    normalise_phone,
    validate_birth_year,
    validate_campaign_dates,
    validate_planned_dates,
)

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def grouped_field_choices(queryset, *, blank: str | None = None) -> list:
    """Choices grouped by top-level field: each group offers the field itself, then its
    topics (so "Kinh tế" and "Kinh tế › Chuyển đổi số" read as one block)."""
    fields = list(queryset.select_related("parent"))
    tops = sorted(
        (f for f in fields if f.parent_id is None),
        key=lambda f: (f.position, vietnamese_sort_key(f.name)),
    )
    topics: dict[int, list] = {}
    for field in fields:
        if field.parent_id is not None:
            topics.setdefault(field.parent_id, []).append(field)
    choices = [("", blank)] if blank is not None else []
    for top in tops:
        children = sorted(
            topics.get(top.pk, []), key=lambda f: (f.position, vietnamese_sort_key(f.name))
        )
        options = [(top.pk, _("%(field)s (whole field)") % {"field": top.name})]
        options += [(child.pk, child.name) for child in children]
        choices.append((top.name, options))
    return choices


class FieldChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class CampaignForm(ChooseLabelsMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "year",
            "title",
            "organiser",
            "registration_opens",
            "registration_closes",
            "result_report_due",
            "scoring_opens",
            "scoring_closes",
            "honouring_date",
            "report_date",
            "focus_fields",
            "share_accepted_models",
        ]
        widgets = {
            name: DATE_WIDGET
            for name in [
                "registration_opens",
                "registration_closes",
                "result_report_due",
                "scoring_opens",
                "scoring_closes",
                "honouring_date",
                "report_date",
            ]
        } | {"focus_fields": forms.CheckboxSelectMultiple}

    def __init__(self, *args, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        self.fields["focus_fields"].queryset = Field.objects.filter(active=True)
        self.fields["focus_fields"].choices = grouped_field_choices(
            self.fields["focus_fields"].queryset
        )
        if organisers.count() == 1 and not self.instance.pk:
            self.fields["organiser"].initial = organisers.first()

    def clean(self):
        data = super().clean()
        _add_errors(
            self,
            validate_campaign_dates,
            data,
            labels={name: field.label for name, field in self.fields.items()},
        )
        return data


class FieldForm(forms.ModelForm):
    class Meta:
        model = Field
        fields = ["name", "parent", "position", "active"]
        help_texts = {
            "parent": _(
                "Leave empty for a top-level field; choose one to make this a topic of it."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Field.objects.filter(parent=None).order_by("position", vi_order("name"))
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = _("(top-level field)")


class DeadlineExtensionForm(ChooseLabelsMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    registration_closes = forms.DateField(label=_("New deadline"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


def _add_errors(form, validator, *args, **kwargs) -> None:
    """Run a pure validator (models_registry.validators) and put its errors on ``form``."""
    try:
        validator(*args, **kwargs)
    except ValidationError as error:
        form.add_error(None, error)


# The id of the note that explains the "required before submitting" mark.
REQUIRED_NOTE_ID = "required-note"


class RequiredOnSubmitBoundField(BoundField):
    """Adds ``required-on-submit`` to the wrapper of a field the submission requires
    (registry.css marks its label as crispy marks a required one)."""

    def css_classes(self, extra_classes=None):
        classes = super().css_classes(extra_classes)
        if self.name in getattr(self.form, "required_on_submit", ()):
            classes = f"{classes} required-on-submit".strip()
        return classes


def mark_required_on_submit(form, names) -> None:
    """Mark the fields ``names`` that a draft may leave empty but the submission requires:
    a class on their wrapper (``RequiredOnSubmitBoundField``) and the note
    ``REQUIRED_NOTE_ID`` in their ``aria-describedby`` (after their help text). Fields the
    form itself requires keep crispy's own mark."""
    form.required_on_submit = set()
    for name in names:
        field = form.fields.get(name)
        if field is None or field.required:
            continue
        form.required_on_submit.add(name)
        described = [f"{form[name].auto_id}_helptext"] if field.help_text else []
        field.widget.attrs["aria-describedby"] = " ".join([*described, REQUIRED_NOTE_ID])


class DvkModelForm(ChooseLabelsMixin, forms.ModelForm):
    """The registration form. ``version`` guards against two tabs editing one draft.

    ``replicates_queryset`` is what the replication search offers
    (``selectors.replication_choices``): a hidden id outside it is refused.
    """

    bound_field_class = RequiredOnSubmitBoundField
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    replicates = forms.ModelChoiceField(
        label=_("Replicates the model of another unit"),
        queryset=DvkModel.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _(
                "Choose the replicated model from the search results: this one cannot be chosen."
            )
        },
    )

    class Meta:
        model = DvkModel
        fields = [name for name in CONTENT_FIELDS if name != "replicates"]
        widgets = {
            "kind": forms.RadioSelect,
            "planned_start": DATE_WIDGET,
            "planned_end": DATE_WIDGET,
            "situation": forms.Textarea(attrs={"rows": 4}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "content": forms.Textarea(attrs={"rows": 6}),
            "area": forms.Textarea(attrs={"rows": 3}),
            "forces": forms.Textarea(attrs={"rows": 3}),
            "resources": forms.Textarea(attrs={"rows": 3}),
            "timeline": forms.Textarea(attrs={"rows": 3}),
            "outputs": forms.Textarea(attrs={"rows": 3}),
            "sustainability": forms.Textarea(attrs={"rows": 3}),
            "person_birth_year": forms.NumberInput(attrs={"min": 1900}),
        }
        help_texts = {
            "name": _("A short name that says what the model does and where."),
            "situation": _("The local problem the model addresses and why it was chosen."),
            "goals": _("Measurable targets: what will change, by how much, by when."),
            "content": _("What is done and how: the “skilful” way of mobilising people."),
            "area": _("Where, and for whom."),
            "forces": _("Who leads, who coordinates, who takes part, and the role of each."),
            "resources": _("Budget, facilities, work-days and contributions from the people."),
            "timeline": _("Start, milestones and when results will be evaluated."),
            "outputs": _("Outputs that can be checked: figures, works, documents."),
            "sustainability": _("How the model will last and how others can copy it."),
        }

    def __init__(self, *args, fields_queryset, replicates_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"] = FieldChoiceField(
            label=_("Field"), queryset=fields_queryset, required=False
        )
        self.fields["field"].choices = grouped_field_choices(
            self.fields["field"].queryset, blank=choose_label(_("Field"))
        )
        self.fields["name"].required = True
        self.fields["kind"].choices = ModelKind.choices
        birth_year = self.fields["person_birth_year"]
        birth_year.max_value = None
        birth_year.widget.attrs.update({"min": EARLIEST_BIRTH_YEAR, "max": today().year})
        replicates = replicates_queryset
        if self.instance.replicates_id:
            # The choice made earlier stays valid even if it is no longer offered.
            replicates = replicates | DvkModel.objects.filter(pk=self.instance.replicates_id)
        self.fields["replicates"].queryset = replicates
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["replicates"].initial = self.instance.replicates_id
        mark_required_on_submit(self, [*REQUIRED_ON_SUBMIT, *REQUIRED_FOR_INDIVIDUAL])

    def clean_lead_phone(self):
        try:
            return normalise_phone(self.cleaned_data.get("lead_phone"))
        except ValidationError as error:
            raise ValidationError(error.message_dict["lead_phone"]) from None

    def clean(self):
        data = super().clean()
        _add_errors(self, validate_birth_year, data.get("person_birth_year"))
        _add_errors(
            self, validate_planned_dates, data.get("planned_start"), data.get("planned_end")
        )
        return data

    def content_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in CONTENT_FIELDS}


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for return"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The unit sees this text and fixes the registration accordingly."),
    )
    resubmit_by = forms.DateField(
        label=_("Resubmit by"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Leave empty for the unit's deadline or one week from today."),
    )

    def clean_resubmit_by(self):
        day = self.cleaned_data.get("resubmit_by")
        if day and day < today():
            raise forms.ValidationError(_("The resubmission day cannot be in the past."))
        return day


class CarryOverForm(forms.Form):
    """The earlier model to continue, among ``selectors.carry_over_candidates``."""

    source = forms.ModelChoiceField(
        queryset=DvkModel.objects.none(),
        error_messages={
            "required": _("Choose the model to carry over."),
            "invalid_choice": _(
                "This model cannot be carried over: choose one of the models listed below."
            ),
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = candidates


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, DOCX, XLSX, JPG or PNG."))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    public = forms.BooleanField(
        label=_("Show this photo in the library of exemplary models"),
        help_text=_("Only photos (JPG, PNG); other units and, if published, the public see it."),
        required=False,
    )
    purpose = forms.ChoiceField(
        choices=AttachmentPurpose.choices,
        widget=forms.HiddenInput,
        initial=AttachmentPurpose.REGISTRATION,
    )


class ResultReportForm(forms.ModelForm):
    """The result report; the campaign's configurable indicators are added as
    ``indicator_<id>`` fields (see ``indicator_fields``)."""

    bound_field_class = RequiredOnSubmitBoundField
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ResultReport
        fields = RESULT_FIELDS
        widgets = {
            "results": forms.Textarea(attrs={"rows": 6}),
            "participants": forms.Textarea(attrs={"rows": 3}),
            "self_assessment": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "results": _("For each target of the registration: what was achieved, with figures."),
            "self_assessment": _("Strengths, limits and what the unit will do next."),
        }

    def __init__(self, *args, indicators=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A draft may be saved incomplete; submission checks the required items.
        self.fields["results"].required = False
        self.fields["self_assessment"].required = False
        mark_required_on_submit(self, REPORT_REQUIRED_ON_SUBMIT)
        for name in (
            "people_reached",
            "households",
            "money_mobilised",
            "workdays",
            "land_cleared_m2",
        ):
            self.fields[name].min_value = 0
            self.fields[name].widget.attrs["min"] = 0
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        current = {}
        if self.instance.pk:
            current = {v.indicator_id: v.value for v in self.instance.indicator_values.all()}
        self.indicator_names = []
        for indicator in indicators or []:
            name = f"indicator_{indicator.pk}"
            self.fields[name] = forms.DecimalField(
                label=str(indicator),
                required=False,
                min_value=0,
                max_digits=16,
                decimal_places=2,
                initial=current.get(indicator.pk),
            )
            self.indicator_names.append(name)

    @property
    def indicator_fields(self):
        """The bound fields of the campaign's own indicators, in order."""
        return [self[name] for name in self.indicator_names]

    def indicator_values(self) -> dict:
        return {
            int(name.removeprefix("indicator_")): self.cleaned_data.get(name)
            for name in self.indicator_names
        }


class IndicatorRowForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Indicator"), max_length=200, required=False)
    unit_label = forms.CharField(label=_("Unit of measure"), max_length=50, required=False)
    position = forms.IntegerField(label=_("Position"), min_value=0, required=False)


IndicatorFormSet = forms.formset_factory(IndicatorRowForm, extra=3, can_delete=True)


def default_campaign_dates(year: int) -> dict:
    """Sensible defaults for a new campaign form (every date stays editable)."""
    return {
        "year": year,
        "registration_opens": datetime.date(year, 1, 15),
        "registration_closes": datetime.date(year, 3, 31),
        "result_report_due": datetime.date(year, 9, 15),
        "scoring_opens": datetime.date(year, 9, 16),
        "scoring_closes": datetime.date(year, 10, 5),
        "honouring_date": datetime.date(year, 10, 15),
        "report_date": datetime.date(year, 12, 10),
    }
