"""Form fields the awards forms share."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..validators import validate_amount

# "1.500.000", "1500000", "1 500 000", with or without "đ"/"VND"; groups of three digits.
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:[.\s]\d{3})+", re.ASCII)
_PLAIN = re.compile(r"[+-]?\d+", re.ASCII)
_CURRENCY = re.compile(r"\s*(?:đ|đồng|vnd|vnđ)\s*$", re.IGNORECASE)


def parse_vnd(text: str) -> int | None:
    """An amount in dong as users type it: "1.500.000", "1500000", "1 500 000 đ" → 1500000;
    empty → None. Raises ``ValidationError`` (the awards validators' messages) for a
    fraction ("1.500,5", "1,5"), a negative amount or anything that is not a number."""
    value = _CURRENCY.sub("", (text or "").strip().replace("\u00a0", " ")).strip()
    if not value:
        return None
    if _GROUPED.fullmatch(value):
        amount = int(re.sub(r"[.\s]", "", value))
    elif _PLAIN.fullmatch(value):
        amount = int(value)
    else:  # a fraction ("1.500,5", "1,5"), letters, two signs…
        raise ValidationError(_("Enter the amount in whole dong."), code="amount")
    validate_amount(amount)
    return amount


class VndAmountField(forms.Field):
    """A whole amount in dong, Vietnamese thousands separators accepted (cleans to an
    ``int``, None when empty)."""

    widget = forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "30"}
    )

    def to_python(self, value):
        return parse_vnd(str(value or "")[:60])

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}".replace(",", ".")
        return value
