"""Numbers as users type them: the one parser for decimal input.

Vietnamese writes the decimal separator as a comma ("7,5") while browsers and English
write a point ("7.5"): both mean 7.5. Anything else — letters, a thousands separator, a
superscript or another script's digits ("²", which ``str.isdigit`` accepts) — is refused.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils import formats

_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)", re.ASCII)
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)


def parse_decimal(text) -> Decimal:
    """``text`` as a finite ``Decimal``: "7,5" and "7.5" both give ``Decimal("7.5")``.

    Accepts a ``Decimal`` or an ``int`` unchanged. Raises ``ValueError`` for an empty
    value and for anything that is not a plain number written with ASCII digits and at most
    one separator (so "1.000,5", "7,5,0", "abc", "²", "NaN" and "Infinity" are refused).
    """
    if isinstance(text, bool):
        raise ValueError(text)
    if isinstance(text, Decimal):
        if not text.is_finite():
            raise ValueError(text)
        return text
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):
        text = repr(text)
    value = str(text if text is not None else "").strip()
    if not _NUMBER.fullmatch(value):
        raise ValueError(text)
    try:
        return Decimal(value.replace(",", "."))
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(text) from error


def parse_int(text) -> int:
    """``text`` as an ``int`` written with ASCII digits; raises ``ValueError`` otherwise
    (``int("²")`` would raise too, but ``"²".isdigit()`` is true: never test with that)."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    value = str(text if text is not None else "").strip()
    if not _INTEGER.fullmatch(value):
        raise ValueError(text)
    return int(value)


def is_multiple(value: Decimal, step: Decimal) -> bool:
    """``value`` is a whole number of ``step`` (points in steps of 0.5: 12.5 yes, 12.3 no)."""
    return value % step == 0


def format_decimal(value) -> str:
    """A number as every page shows it: the active language's format, no trailing zeros
    ("12,5" and "10" in Vietnamese; what ``floatformat:"-1"`` shows in templates). Empty
    for None."""
    if value is None:
        return ""
    return formats.number_format(Decimal(value).normalize())
