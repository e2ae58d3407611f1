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

import datetime
from dataclasses import dataclass

from danvan.pdf import PDF, file_stem, render_pdf, vietnamese_date_words

__all__ = [
    "PDF",
    "CertificateData",
    "ProposalData",
    "ProposalLineData",
    "certificates_pdf",
    "proposal_pdf",
    "vietnamese_date_words",
]

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
    return file_stem(text)


def _render_pdf(template: str, context: dict) -> bytes:
    return render_pdf(template, context, stylesheets=(LAYOUT_CSS,))
