"""One function per awards rule, called by model ``clean()``, forms and services alike.

Each returns nothing and raises ``ValidationError`` with a Vietnamese message.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .enums import Numbering

# A document type or issuer code: capital letters (Vietnamese ones too), digits, "&" and
# inner hyphens ("QĐ", "UBND", "BTGDVTU", "HĐTĐKT", "TU").
_CODE = r"[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ0-9&]+(?:-[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ0-9&]+)*"
_CODE_RE = re.compile(rf"^{_CODE}$")
_STATE_RE = re.compile(r"^(?P<number>\d{1,6})/(?P<doc_type>[A-ZĐ]+)-(?P<issuer>" + _CODE + r")$")
_PARTY_RE = re.compile(r"^(?P<number>\d{1,6})-(?P<doc_type>[A-ZĐ]+)/(?P<issuer>" + _CODE + r")$")


@dataclass(frozen=True)
class DecisionNumber:
    number: int
    doc_type: str
    issuer_code: str
    numbering: str

    def __str__(self):
        return format_decision_number(self.number, self.doc_type, self.issuer_code, self.numbering)


def format_decision_number(number, doc_type, issuer_code, numbering) -> str:
    """ "1034/QĐ-UBND" (state) or "125-QĐ/TU" (Party)."""
    if numbering == Numbering.PARTY:
        return f"{number}-{doc_type}/{issuer_code}"
    return f"{number}/{doc_type}-{issuer_code}"


def parse_decision_number(text: str) -> DecisionNumber:
    """The parts of a number and symbol as the issuer writes it (either numbering)."""
    value = (text or "").strip()
    for numbering, pattern in ((Numbering.STATE, _STATE_RE), (Numbering.PARTY, _PARTY_RE)):
        match = pattern.match(value)
        if match:
            number = int(match["number"])
            validate_number(number)
            return DecisionNumber(number, match["doc_type"], match["issuer"], numbering)
    raise ValidationError(
        _(
            "Write the number and symbol as the issuer does: “1034/QĐ-UBND” for a state "
            "body or “125-QĐ/TU” for a Party body."
        ),
        code="decision_number",
    )


def validate_number(number) -> None:
    if number is None or isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ValidationError(
            _("The number of a decision is a whole number from 1."), code="number"
        )


def validate_symbol_part(value: str) -> None:
    """A document type ("QĐ") or an issuer code ("UBND", "BTGDVTU")."""
    if not value or not _CODE_RE.match(value):
        raise ValidationError(
            _("Use capital letters and digits only, e.g. “QĐ” or “UBND”."), code="symbol"
        )


def validate_amount(amount) -> None:
    """A prize in whole dong, not negative (None: no prize money)."""
    if amount is None:
        return
    if isinstance(amount, bool):
        raise ValidationError(_("Enter the amount in whole dong."), code="amount")
    if isinstance(amount, float | str) or not isinstance(amount, int):
        try:
            whole = int(amount)
        except (TypeError, ValueError):
            raise ValidationError(_("Enter the amount in whole dong."), code="amount") from None
        if whole != amount:
            raise ValidationError(_("Enter the amount in whole dong."), code="amount")
        amount = whole
    if amount < 0:
        raise ValidationError(_("The amount cannot be negative."), code="amount_negative")


def validate_decision_date(date: datetime.date | None, campaigns) -> None:
    """A decision cannot be dated before any of its campaigns opened registration."""
    if date is None:
        raise ValidationError(_("Enter the date of the decision."), code="date")
    for campaign in campaigns:
        if date < campaign.registration_opens:
            raise ValidationError(
                _("The decision cannot be dated before the campaign “%(campaign)s” began.")
                % {"campaign": campaign.title},
                code="date_before_campaign",
            )


def validate_scanned_copy(uploaded) -> None:
    """A PDF by its content (``models_registry.files.check_uploaded_file``), nothing else."""
    from models_registry.files import check_uploaded_file

    if uploaded is None:
        return
    name = (uploaded.name or "").lower()
    if not name.endswith(".pdf"):
        raise ValidationError(_("The scanned copy must be a PDF file."), code="scan_type")
    check_uploaded_file(uploaded)
