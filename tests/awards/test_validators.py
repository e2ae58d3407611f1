import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.enums import Numbering
from awards.validators import (
    format_decision_number,
    parse_decision_number,
    validate_amount,
    validate_decision_date,
    validate_scanned_copy,
    validate_symbol_part,
)
from tests.factories.registry import docx_bytes, pdf_bytes


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("1034/QĐ-UBND", (1034, "QĐ", "UBND", Numbering.STATE)),
        ("125-QĐ/TU", (125, "QĐ", "TU", Numbering.PARTY)),
        (" 7/QĐ-BTGDVTU ", (7, "QĐ", "BTGDVTU", Numbering.STATE)),
        ("12/QĐ-HĐTĐKT", (12, "QĐ", "HĐTĐKT", Numbering.STATE)),
    ],
)
def test_parse_decision_number_both_numberings(text, parts):
    parsed = parse_decision_number(text)

    assert (parsed.number, parsed.doc_type, parsed.issuer_code, parsed.numbering) == parts
    assert str(parsed) == text.strip()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1034",
        "QĐ-UBND",
        "0/QĐ-UBND",
        "1034/qđ-ubnd",
        "1034/QĐ/UBND",
        "abc/QĐ-UBND",
        "²/QĐ-UBND",
    ],
)
def test_parse_decision_number_malformed_refused(text):
    with pytest.raises(ValidationError):
        parse_decision_number(text)


def test_format_decision_number_party():
    assert format_decision_number(125, "QĐ", "TU", Numbering.PARTY) == "125-QĐ/TU"


@pytest.mark.parametrize("value", ["qđ", "Q Đ", "", "QĐ/", "-QĐ"])
def test_validate_symbol_part_refuses(value):
    with pytest.raises(ValidationError):
        validate_symbol_part(value)


@pytest.mark.parametrize("amount", [None, 0, 1_500_000, 2.0])
def test_validate_amount_accepts_whole_dong(amount):
    validate_amount(amount)


@pytest.mark.parametrize("amount", [-1, 1.5, "abc", True])
def test_validate_amount_refuses(amount):
    with pytest.raises(ValidationError):
        validate_amount(amount)


def test_validate_decision_date_before_campaign_refused():
    campaign = type("C", (), {"registration_opens": datetime.date(2025, 3, 1), "title": "2025"})

    with pytest.raises(ValidationError):
        validate_decision_date(datetime.date(2025, 2, 28), [campaign])
    validate_decision_date(datetime.date(2025, 3, 1), [campaign])


def test_validate_scanned_copy_pdf_only(settings):
    validate_scanned_copy(SimpleUploadedFile("qd.pdf", pdf_bytes()))
    with pytest.raises(ValidationError):
        validate_scanned_copy(SimpleUploadedFile("qd.docx", docx_bytes()))
    with pytest.raises(ValidationError):
        validate_scanned_copy(SimpleUploadedFile("qd.pdf", docx_bytes()))
