"""danvan/numbers.py: the one parser of decimal input."""

from decimal import Decimal

import pytest

from danvan.numbers import is_multiple, parse_decimal, parse_int


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7,5", Decimal("7.5")),
        ("7.5", Decimal("7.5")),
        (" 12 ", Decimal("12")),
        ("-0,5", Decimal("-0.5")),
        (",5", Decimal("0.5")),
        (Decimal("3.25"), Decimal("3.25")),
        (4, Decimal("4")),
        (2.5, Decimal("2.5")),
    ],
)
def test_parse_decimal_accepts_comma_and_point(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize(
    "text", ["", " ", None, "abc", "7,5,0", "1.000,5", "²", "٣", "NaN", "Infinity", "1e3", True]
)
def test_parse_decimal_refuses_what_is_not_a_plain_number(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_parse_int_refuses_unicode_digits():
    """Issue 8 item 14: "²".isdigit() is true but it is not a number the user typed."""
    assert parse_int(" 42 ") == 42
    for text in ("²", "４２", "4.2", ""):
        with pytest.raises(ValueError):
            parse_int(text)


def test_is_multiple_half_points():
    assert is_multiple(Decimal("12.5"), Decimal("0.5"))
    assert not is_multiple(Decimal("12.3"), Decimal("0.5"))
