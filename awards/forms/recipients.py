"""The recipient of a proposal line or an award, as a form (shared by proposals and
decisions).

API — subclass ``RecipientForm`` (a ``forms.Form``) and add your own fields::

    class AwardForm(RecipientForm):
        amount = forms.IntegerField(...)

    form = AwardForm(request.POST or None, user=request.user, campaign=decision_campaigns)
    if form.is_valid():
        services.award_add(decision=decision, data=form.cleaned_data, by=request.user)

Fields (``RECIPIENT_FORM_FIELDS``): ``recipient_kind`` (radio: model, collective,
individual), ``dvk_model``, ``unit``, ``person_name``, ``person_position``, ``award_type``,
``achievement``, ``manual``, ``manual_reason``. No ``position``: the services number a new
line after the last one.

Constructor keyword arguments:

* ``user`` (required): the models and units offered are those in the user's scope;
* ``campaign``: a ``Campaign``, an iterable or queryset of campaigns, or None (every
  campaign) — the models offered are the campaign's registered (not draft) models;
* ``instance``: a ``ProposalLine`` or ``Award`` being edited: its values become the initial
  ones and its current model, unit and award type stay choosable even when they have since
  left the choices (an award type made inactive).

``cleaned_data`` is the services' ``data`` dict as it is: fields that do not belong to the
chosen kind are emptied (a model's line takes the model's unit; a collective keeps no name;
an individual keeps an optional unit), ``manual_reason`` is emptied when not manual. The
per-kind checks themselves (a model line needs a model …) and the finalised-round rule stay
in the services (``awards.services.base.apply_recipient``) so that there is one source of
each message; ``danvan.web.refusals`` puts them next to the field they name.

The template renders the fields inside ``templates/awards/includes/recipient_fields.html``
and ``static/js/awards-recipient.js`` shows only the fields of the chosen kind (without
JavaScript every field shows, each labelled with the kind it belongs to).
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.db import vi_order
from danvan.models import Unit, User
from danvan.selectors import filter_to_scope, units_in_scope
from models_registry.enums import ModelStatus
from models_registry.models import Campaign, DvkModel

from ..enums import RecipientKind
from ..models import AwardType

RECIPIENT_FORM_FIELDS = (
    "recipient_kind",
    "dvk_model",
    "unit",
    "person_name",
    "person_position",
    "award_type",
    "achievement",
    "manual",
    "manual_reason",
)

# The fields that belong to one kind only (the JS hides the others).
KIND_FIELDS = {
    "dvk_model": (RecipientKind.MODEL,),
    "manual": (RecipientKind.MODEL,),
    "manual_reason": (RecipientKind.MODEL,),
    "unit": (RecipientKind.COLLECTIVE, RecipientKind.INDIVIDUAL),
    "person_name": (RecipientKind.INDIVIDUAL,),
    "person_position": (RecipientKind.INDIVIDUAL,),
}


class ModelChoiceByName(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        unit = getattr(obj, "unit", None)
        return f"{obj.name} — {unit.name}" if unit is not None else obj.name


class UnitChoiceByName(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class RecipientForm(forms.Form):
    recipient_kind = forms.ChoiceField(
        label=_("Recipient"),
        choices=RecipientKind.choices,
        initial=RecipientKind.MODEL,
        widget=forms.RadioSelect,
    )
    dvk_model = ModelChoiceByName(
        label=_("Model (for a model)"),
        queryset=DvkModel.objects.none(),
        required=False,
        empty_label=_("Choose a model of the campaign"),
    )
    manual = forms.BooleanField(
        label=_("Manual proposal (the model has no result in a finalised round)"),
        required=False,
    )
    manual_reason = forms.CharField(
        label=_("Reason for the manual proposal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    unit = UnitChoiceByName(
        label=_("Unit (the collective, or the individual's unit)"),
        queryset=None,
        required=False,
        empty_label=_("Choose a unit"),
    )
    person_name = forms.CharField(
        label=_("Full name (for an individual)"), max_length=150, required=False
    )
    person_position = forms.CharField(
        label=_("Position (for an individual)"), max_length=150, required=False
    )
    award_type = forms.ModelChoiceField(
        label=_("Award type"), queryset=AwardType.objects.none(), empty_label=None
    )
    achievement = forms.CharField(
        label=_("Achievement"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "As it will be printed, e.g. “Đã có thành tích xuất sắc trong xây dựng mô hình …”."
        ),
    )

    def __init__(self, *args, user: User, campaign=None, instance=None, **kwargs):
        if instance is not None:
            initial = {name: getattr(instance, name) for name in RECIPIENT_FORM_FIELDS}
            initial.update(kwargs.pop("initial", None) or {})
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        keep = {
            name: getattr(instance, f"{name}_id", None) if instance is not None else None
            for name in ("dvk_model", "unit", "award_type")
        }
        self.fields["dvk_model"].queryset = _models_for(user, campaign, keep["dvk_model"])
        units = units_in_scope(user=user)
        if keep["unit"]:
            units = units | Unit.objects.filter(pk=keep["unit"])
        self.fields["unit"].queryset = units.order_by("position", vi_order("name"))
        self.fields["award_type"].queryset = AwardType.objects.filter(
            Q(active=True) | Q(pk=keep["award_type"])
        ).order_by("position", vi_order("name"))
        for name, kinds in KIND_FIELDS.items():
            self.fields[name].widget.attrs["data-recipient-kinds"] = " ".join(kinds)

    def clean(self):
        data = super().clean()
        kind = data.get("recipient_kind")
        if kind != RecipientKind.MODEL:
            data["dvk_model"] = None
            data["manual"] = False
        elif data.get("dvk_model") is not None:
            data["unit"] = data["dvk_model"].unit
        if kind != RecipientKind.INDIVIDUAL:
            data["person_name"] = ""
            data["person_position"] = ""
        if not data.get("manual"):
            data["manual_reason"] = ""
        return data


def _models_for(user: User, campaign, keep_pk):
    """Registered models of ``campaign`` (one, several or None: all) in the user's scope."""
    qs = DvkModel.objects.exclude(status=ModelStatus.DRAFT)
    if isinstance(campaign, Campaign):
        qs = qs.filter(campaign=campaign)
    elif campaign is not None:
        qs = qs.filter(campaign__in=campaign)
    qs = filter_to_scope(qs, user=user)
    if keep_pk:
        qs = qs | DvkModel.objects.filter(pk=keep_pk)
    return qs.select_related("unit").order_by(vi_order("name"), "pk")
