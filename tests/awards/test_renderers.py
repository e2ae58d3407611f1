"""The printed documents: certificates and the proposal list (awards/renderers.py).

The PDFs are checked as a reader would see them: text extracted with poppler's
``pdftotext`` (diacritics intact), page counts from ``pdfinfo``. WeasyPrint takes about a
second per document, so each document is rendered once per module.
"""

import datetime
import re
import subprocess
import unicodedata
from dataclasses import replace

import pytest

from awards.renderers import (
    CertificateData,
    ProposalData,
    ProposalLineData,
    certificates_pdf,
    proposal_pdf,
    vietnamese_date_words,
)

MODEL = "Tổ dân phố xanh – sạch – đẹp"
PERSON = "Nguyễn Thị Thu Hà"
COLLECTIVE = "Hội Liên hiệp Phụ nữ xã Thạch Hà"


def certificate(name: str, **changes) -> CertificateData:
    data = CertificateData(
        recipient_name=name,
        recipient_detail="Phường Thành Sen, tỉnh Hà Tĩnh",
        achievement=(
            "Đã có thành tích xuất sắc trong xây dựng mô hình, điển hình “Dân vận khéo” năm 2025."
        ),
        award_title="GIẤY CHỨNG NHẬN",
        issuer_lines=("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH",),
        decision_number="1034/QĐ-UBND",
        decision_date=datetime.date(2026, 10, 5),
        signed_on=datetime.date(2026, 10, 15),
        place="Hà Tĩnh",
        signer_prefix="KT. CHỦ TỊCH",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Trần Báu Hà",
    )
    return replace(data, **changes)


def proposal(count: int, **changes) -> ProposalData:
    lines = tuple(
        ProposalLineData(
            name=f"Đơn vị số {number:02d} – Tổ dân phố Đồng Tiến",
            position_unit="Bí thư Chi bộ, phường Thành Sen",
            achievement="Đã có thành tích xuất sắc trong xây dựng mô hình “Dân vận khéo”",
            award="Bằng khen của Chủ tịch UBND tỉnh",
        )
        for number in range(1, count + 1)
    )
    data = ProposalData(
        issuer_parent="ĐẢNG BỘ TỈNH HÀ TĨNH",
        issuer_name="BAN TUYÊN GIÁO VÀ DÂN VẬN",
        proposed_on=datetime.date(2026, 11, 20),
        lines=lines,
        subtitle="mô hình, điển hình “Dân vận khéo” tiêu biểu năm 2025",
        signer_prefix="T/M BAN THƯỜNG VỤ",
        signer_title="PHÓ TRƯỞNG BAN",
        signer_name="Nguyễn Văn Hùng",
    )
    return replace(data, **changes)


def pdf_text(content: bytes, tmp_path, *, page: int | None = None) -> str:
    """The PDF's text in drawing order (a table cell by cell), whitespace runs made one space."""
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", *pages, str(path), "-"],
        check=True,
        capture_output=True,
    )
    return " ".join(result.stdout.decode().split())


def pdf_pages(content: bytes, tmp_path) -> int:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True).stdout
    return int(re.search(rb"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


@pytest.fixture(scope="module")
def certificates():
    return [certificate(MODEL), certificate(PERSON), certificate(COLLECTIVE)]


@pytest.fixture(scope="module")
def certificates_file(certificates):
    return certificates_pdf(certificates, filename_stem="Giấy chứng nhận 1034/QĐ-UBND")


@pytest.fixture(scope="module")
def long_proposal_file():
    return proposal_pdf(proposal(60))


def test_vietnamese_date_words_pads_days_and_the_first_two_months():
    assert vietnamese_date_words(datetime.date(2026, 10, 15)) == "ngày 15 tháng 10 năm 2026"
    assert vietnamese_date_words(datetime.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert vietnamese_date_words(datetime.date(2026, 3, 1)) == "ngày 01 tháng 3 năm 2026"


def test_certificates_pdf_names_the_file_and_the_content_type(certificates_file):
    filename, content_type, content = certificates_file

    assert filename == "giay-chung-nhan-1034qd-ubnd.pdf"
    assert content_type == "application/pdf"
    assert content.startswith(b"%PDF-")


def test_certificates_pdf_has_one_page_per_recipient(certificates_file, tmp_path):
    assert pdf_pages(certificates_file[2], tmp_path) == 3


def test_certificates_pdf_page_holds_its_recipient_with_diacritics(certificates_file, tmp_path):
    content = certificates_file[2]

    pages = [pdf_text(content, tmp_path, page=number) for number in (1, 2, 3)]

    assert [MODEL in pages[0], PERSON in pages[1], COLLECTIVE in pages[2]] == [True] * 3
    assert PERSON not in pages[0]
    first = pages[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "GIẤY CHỨNG NHẬN" in first
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH" in first
    assert "điển hình “Dân vận khéo”" in first
    assert "Quyết định số 1034/QĐ-UBND ngày 05 tháng 10 năm 2026" in first
    assert "Hà Tĩnh, ngày 15 tháng 10 năm 2026" in first
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in first
    assert "Trần Báu Hà" in first


def test_certificates_pdf_gives_identical_bytes_for_identical_input(
    certificates, certificates_file
):
    again = certificates_pdf(
        [replace(c) for c in certificates], filename_stem="Giấy chứng nhận 1034/QĐ-UBND"
    )

    assert again == certificates_file


def test_certificates_pdf_bytes_change_with_the_input(certificates_file):
    other = certificates_pdf(
        [certificate(MODEL), certificate(PERSON), certificate("Nguyễn Văn An")],
        filename_stem="Giấy chứng nhận 1034/QĐ-UBND",
    )

    assert other[2] != certificates_file[2]


def test_certificates_pdf_keeps_long_texts_on_one_page_each(tmp_path):
    long = certificate(
        "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở và phong trào thi đua “Dân vận khéo” "
        "xã Thạch Lạc, tỉnh Hà Tĩnh",
        achievement="Đã có thành tích xuất sắc trong xây dựng mô hình “Dân vận khéo”, " * 6,
    )

    _, _, content = certificates_pdf([long, long], filename_stem="dai")

    assert pdf_pages(content, tmp_path) == 2
    assert "Quyết định số 1034/QĐ-UBND" in pdf_text(content, tmp_path, page=2)


def test_certificates_pdf_prints_decomposed_input_as_composed_text(tmp_path):
    decomposed = unicodedata.normalize("NFD", PERSON)

    _, _, content = certificates_pdf([certificate(decomposed)], filename_stem="nfd")

    assert PERSON in pdf_text(content, tmp_path)


def test_certificates_pdf_refuses_an_empty_list():
    with pytest.raises(ValueError):
        certificates_pdf([], filename_stem="trong")


def test_proposal_pdf_lists_every_line_under_the_column_headers(tmp_path):
    filename, content_type, content = proposal_pdf(proposal(3))

    text = pdf_text(content, tmp_path)
    assert filename == "danh-sach-de-nghi-khen-thuong.pdf"
    assert content_type == "application/pdf"
    assert pdf_pages(content, tmp_path) == 1
    assert "ĐẢNG BỘ TỈNH HÀ TĨNH BAN TUYÊN GIÁO VÀ DÂN VẬN" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "Hà Tĩnh, ngày 20 tháng 11 năm 2026" in text
    assert "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG" in text
    for header in ("STT", "Tên tập thể/cá nhân", "Chức vụ/đơn vị", "Thành tích"):
        assert header in text
    assert "Hình thức khen thưởng" in text
    for number in (1, 2, 3):
        assert f"Đơn vị số {number:02d} – Tổ dân phố Đồng Tiến" in text
    assert "Bằng khen của Chủ tịch UBND tỉnh" in text
    assert "T/M BAN THƯỜNG VỤ PHÓ TRƯỞNG BAN Nguyễn Văn Hùng" in text


def test_proposal_pdf_of_a_state_body_carries_the_national_motto(tmp_path):
    _, _, content = proposal_pdf(
        proposal(1, party=False, issuer_parent="UBND TỈNH HÀ TĨNH", issuer_name="SỞ NỘI VỤ")
    )

    text = pdf_text(content, tmp_path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text


def test_proposal_pdf_of_sixty_lines_repeats_the_header_on_every_page(long_proposal_file, tmp_path):
    content = long_proposal_file[2]

    pages = pdf_pages(content, tmp_path)
    texts = [pdf_text(content, tmp_path, page=number) for number in range(1, pages + 1)]

    assert pages >= 3
    assert all("STT" in text and "Chức vụ/đơn vị" in text for text in texts)
    assert "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG" not in texts[1]
    # The page number (top centre, from page 2) is drawn last.
    assert [text.split()[-1] for text in texts[1:]] == [str(n) for n in range(2, pages + 1)]
    everything = " ".join(texts)
    assert [f"Đơn vị số {n:02d} –" in everything for n in range(1, 61)] == [True] * 60


def test_proposal_pdf_gives_identical_bytes_for_identical_input(long_proposal_file):
    assert proposal_pdf(proposal(60)) == long_proposal_file
