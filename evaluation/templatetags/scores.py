"""Scores as the results pages print them, cheaper than ``floatformat`` (which quantizes
and localises through several layers for each of the ~10 numbers of a row)."""

from decimal import Decimal

from django import template
from django.utils import formats

register = template.Library()

DASH = "—"


@register.filter
def score(value, places: int = 2) -> str:
    """``value`` with ``places`` decimals and the active language's decimal separator
    (71,50); "—" for None."""
    if value is None or value == "":
        return DASH
    text = f"{Decimal(value):.{int(places)}f}"
    separator = formats.get_format("DECIMAL_SEPARATOR")
    return text.replace(".", separator) if separator != "." else text


@register.filter
def score_short(value) -> str:
    """Like ``floatformat:"-2"``: no decimals for a whole number (80), else two (80,50)."""
    if value is None or value == "":
        return DASH
    number = Decimal(value)
    return score(number, 0 if number == number.to_integral_value() else 2)
