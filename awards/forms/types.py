"""The award type form: validation of what the secretariat types; saving goes through
``awards.services.award_type_save``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.forms import ChooseLabelsMixin

from ..models import AwardType
from .fields import VndAmountField


class AwardTypeForm(ChooseLabelsMixin, forms.ModelForm):
    default_amount = VndAmountField(
        label=_("Default amount (VND)"),
        required=False,
        help_text=_("Written like 1.500.000; leave empty when there is no prize money."),
    )

    class Meta:
        model = AwardType
        fields = [
            "name",
            "short_code",
            "issuing_level",
            "issuer_description",
            "proposed_by",
            "default_amount",
            "is_formal_award",
            "position",
            "active",
        ]
        help_texts = {
            "short_code": _("A short code such as GK-CTX or BK-CTUBND, unique."),
            "issuer_description": _(
                "Who signs it, as the decision names them: “Chủ tịch Ủy ban nhân dân tỉnh”."
            ),
            "active": _("Untick to stop offering the type; the awards that name it keep it."),
        }

    def clean_short_code(self):
        return (self.cleaned_data.get("short_code") or "").strip()

    def clean_name(self):
        return (self.cleaned_data.get("name") or "").strip()

    def service_data(self) -> dict:
        """What ``award_type_save`` writes."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
