"""The two printed documents of the awards cycle: certificates and the proposal list.

Pure functions over plain frozen dataclasses (no model import): data in,
``(filename, content_type, bytes)`` out. The caller — a service or a Celery task — builds the
dataclasses from a decision or a proposal. The texts are Vietnamese official documents, so
the templates hold the fixed legal wording in Vietnamese and are rendered under
``translation.override("vi")``.

Identical input gives identical bytes: the PDF's creation/modification dates come from the
input (the document's date, written as ``dcterms`` meta tags), WeasyPrint writes no file
identifier, font subsets are named deterministically, and the text is NFC-normalised.
"""

from __future__ import annotations

import atexit
import datetime
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

PDF = "application/pdf"
FONT_CSS = "css/pdf-fonts.css"
LAYOUT_CSS = "css/awards-pdf.css"


@dataclass(frozen=True)
class CertificateData:
    """One certificate page: who, for what, by which decision, signed by whom."""

    recipient_name: str
    achievement: str
    decision_number: str  # as the issuer writes it: "1034/QĐ-UBND", "125-QĐ/TU"
    decision_date: datetime.date
    signer_title: str  # "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "TRƯỞNG BAN"
    signer_name: str
    recipient_detail: str = ""  # line 2: position and unit, or the model's unit
    award_title: str = "GIẤY CHỨNG NHẬN"
    issuer_lines: tuple[str, ...] = ()  # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"
    place: str = "Hà Tĩnh"
    signed_on: datetime.date | None = None  # the place-and-date line; default: decision date
    signer_prefix: str = ""  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"

    @property
    def place_and_date(self) -> str:
        return f"{self.place}, {vietnamese_date_words(self.signed_on or self.decision_date)}"

    @property
    def decision_line(self) -> str:
        return f"Quyết định số {self.decision_number} {vietnamese_date_words(self.decision_date)}"


@dataclass(frozen=True)
class ProposalLineData:
    """One row of the proposal list."""

    name: str  # the collective, the model or the individual
    position_unit: str = ""  # "Bí thư Chi bộ, Tổ dân phố 5, phường Thành Sen"
    achievement: str = ""
    award: str = ""  # the award type's title: "Bằng khen của Chủ tịch UBND tỉnh"


@dataclass(frozen=True)
class ProposalData:
    """The proposal list (danh sách đề nghị khen thưởng) in the official layout.

    ``issuer_parent`` / ``issuer_name`` are the two header lines at the left (the body above,
    then the proposing body in bold); ``party`` picks the right-hand header: "ĐẢNG CỘNG SẢN
    VIỆT NAM" for a Party body, the national motto otherwise.
    """

    issuer_name: str  # "BAN TUYÊN GIÁO VÀ DÂN VẬN"
    proposed_on: datetime.date
    lines: tuple[ProposalLineData, ...]
    issuer_parent: str = ""  # "ĐẢNG BỘ TỈNH HÀ TĨNH"
    party: bool = True
    title: str = "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"
    subtitle: str = ""  # "mô hình, điển hình “Dân vận khéo” tiêu biểu năm 2025"
    reference: str = ""  # "(Kèm theo Tờ trình số 15-TTr/BTGDVTU ngày 20/11/2025)"
    place: str = "Hà Tĩnh"
    signer_prefix: str = ""  # "T/M BAN THƯỜNG VỤ"
    signer_title: str = ""
    signer_name: str = ""
    filename_stem: str = "danh-sach-de-nghi-khen-thuong"

    @property
    def place_and_date(self) -> str:
        return f"{self.place}, {vietnamese_date_words(self.proposed_on)}"


def vietnamese_date_words(day: datetime.date) -> str:
    """ "ngày 15 tháng 10 năm 2026"; days under 10 and months 1–2 take a leading zero
    (Nghị định 30/2020/NĐ-CP: "ngày 05 tháng 02 năm 2026", but "tháng 10", "tháng 3")."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def certificates_pdf(
    certificates: list[CertificateData], *, filename_stem: str
) -> tuple[str, str, bytes]:
    """One A4 landscape page per recipient, for printing on the pre-printed form."""
    if not certificates:
        raise ValueError("certificates_pdf needs at least one certificate")
    first = certificates[0]
    content = _render_pdf(
        "awards/pdf/certificates.html",
        {
            "certificates": certificates,
            "title": f"{first.award_title} – {first.decision_number}",
            "dated": max(c.signed_on or c.decision_date for c in certificates),
        },
    )
    return f"{_stem(filename_stem)}.pdf", PDF, content


def proposal_pdf(proposal: ProposalData) -> tuple[str, str, bytes]:
    """The proposal list: portrait A4, a table whose header repeats on every page."""
    content = _render_pdf(
        "awards/pdf/proposal.html",
        {
            "proposal": proposal,
            "title": " ".join(filter(None, [proposal.title, proposal.subtitle])),
            "dated": proposal.proposed_on,
        },
    )
    return f"{_stem(proposal.filename_stem)}.pdf", PDF, content


def _stem(text: str) -> str:
    """An ASCII file name: "Giấy chứng nhận 1034/QĐ-UBND" → "giay-chung-nhan-1034qd-ubnd"."""
    return slugify(text.replace("đ", "d").replace("Đ", "D")) or "tai-lieu"


def _render_pdf(template: str, context: dict) -> bytes:
    # WeasyPrint is heavy to import (Pango, fontTools): only the tasks that print pay for it.
    from weasyprint import HTML

    with translation.override("vi"):
        # Composed letters (NFC), so that decomposed input from a paste or an import gives
        # the same bytes and searchable, copyable text.
        html = unicodedata.normalize("NFC", render_to_string(template, context))
    stylesheets, font_config = _stylesheets()
    return HTML(string=html, base_url=str(_static_path(FONT_CSS).parent)).write_pdf(
        stylesheets=stylesheets, font_config=font_config
    )


@lru_cache(maxsize=1)
def _stylesheets():
    """The bundled fonts and the layout, parsed once per process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    sheets = [
        CSS(filename=str(_static_path(name)), font_config=font_config)
        for name in (FONT_CSS, LAYOUT_CSS)
    ]
    return sheets, font_config


# Drop the cached font configuration (and its temporary font folder) while the interpreter
# is still whole, not during its final teardown.
atexit.register(_stylesheets.cache_clear)


def _static_path(name: str) -> Path:
    found = finders.find(name)
    return Path(found) if found else Path(settings.BASE_DIR) / "static" / name
