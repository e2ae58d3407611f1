"""Decisions and their awards: what users type; saving goes through ``awards.services``.

The number and symbol is typed as the issuer writes it ("1034/QĐ-UBND", "125-QĐ/TU") in
one field and parsed by ``awards.validators.parse_decision_number``; amounts are typed as
Vietnamese writes them ("1.500.000") and checked by ``validate_amount``, the rule the
services apply too.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.forms import ChooseLabelsMixin

from ..enums import DecisionStatus, Occasion
from ..validators import parse_decision_number
from .fields import VndAmountField
from .recipients import RecipientForm

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CampaignChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class DecisionFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    issuer = UnitChoiceField(
        label=_("Issuer"), queryset=None, required=False, empty_label=_("All issuers")
    )

    def __init__(self, *args, years, issuers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, y) for y in years]
        self.fields["status"].choices = [("", _("All statuses")), *DecisionStatus.choices]
        self.fields["issuer"].queryset = issuers


class DecisionForm(ChooseLabelsMixin, forms.Form):
    """A decision's facts. ``campaigns`` is left out when the decision is recorded from a
    proposal (it concerns the proposal's campaign). ``service_data()`` is what
    ``decision_create`` / ``decision_update`` take."""

    number = forms.CharField(
        label=_("Number and symbol"),
        max_length=60,
        help_text=_("As the issuer writes it: “1034/QĐ-UBND” (state) or “125-QĐ/TU” (Party)."),
    )
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    issuer = UnitChoiceField(label=_("Issuer"), queryset=None)
    issuing_authority = forms.CharField(
        label=_("Issuing authority"),
        max_length=255,
        help_text=_("As printed at the top of the decision, e.g. “Ủy ban nhân dân tỉnh Hà Tĩnh”."),
    )
    signer_name = forms.CharField(label=_("Signed by"), max_length=150)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=150)
    occasion = forms.ChoiceField(label=_("Occasion"), choices=Occasion.choices)
    campaigns = CampaignChoiceField(
        label=_("Campaigns"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the decision rewards, as its text says."),
    )
    scanned_copy = forms.FileField(
        label=_("Scanned copy (PDF)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, issuers, campaigns=None, decision=None, **kwargs):
        if decision is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(decision)
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers
        if campaigns is None:
            del self.fields["campaigns"]
        else:
            self.fields["campaigns"].queryset = campaigns
        if decision is not None and decision.scanned_copy:
            self.fields["scanned_copy"].help_text = _(
                "A file is attached; choose another one to replace it."
            )

    @staticmethod
    def initial_for(decision) -> dict:
        return {
            "number": decision.display_number,
            "date": decision.date,
            "issuer": decision.issuer_id,
            "issuing_authority": decision.issuing_authority,
            "signer_name": decision.signer_name,
            "signer_title": decision.signer_title,
            "occasion": decision.occasion,
            "campaigns": [c.pk for c in decision.campaigns.all()],
            "reason": decision.reason,
        }

    def clean_number(self):
        return parse_decision_number(self.cleaned_data["number"])

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        parsed = data.pop("number")
        data.pop("campaigns", None)
        if not data.get("scanned_copy"):
            data.pop("scanned_copy", None)
        return {
            **data,
            "number": parsed.number,
            "doc_type": parsed.doc_type,
            "issuer_code": parsed.issuer_code,
            "numbering": parsed.numbering,
        }


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Give the reason for the revocation.")},
    )


class AwardForm(RecipientForm):
    """An award of a draft decision: the recipient (``RecipientForm``) and its amount.
    ``service_data()`` is what ``award_add`` / ``award_update`` take: an empty amount is
    the award type's default for a new award, no prize money for an existing one."""

    amount = VndAmountField(label=_("Amount (VND)"), required=False)

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {"amount": instance.amount})
        super().__init__(*args, instance=instance, **kwargs)
        self.adding = instance is None
        self.fields["amount"].help_text = (
            _("In whole dong, e.g. 1.500.000. Empty: the award type's default amount.")
            if self.adding
            else _("In whole dong, e.g. 1.500.000. Empty or 0: no prize money.")
        )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("amount") is None:
            if self.adding:
                data.pop("amount")
            else:
                data["amount"] = 0
        return data
