"""The December report's PDF (reports/renderers/pdf.py), checked as a reader sees it: the
text extracted by poppler's ``pdftotext`` (diacritics intact), page by page. WeasyPrint
takes seconds per document, so each document is rendered once per module."""

import hashlib
import io
import re
import subprocess
import unicodedata
from collections import Counter
from dataclasses import replace
from itertools import pairwise

import pytest
from pypdf import PdfReader

from reports.renderers import pdf as pdf_renderer
from reports.renderers import render_pdf
from reports.renderers.common import ordered_annex, vi_number
from reports.renderers.sample import sample_document


def page_texts(content: bytes, tmp_path) -> list[str]:
    """The text of each page in drawing order, whitespace runs made one space."""
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    pages = result.stdout.split("\f")
    return [re.sub(r"\s+", " ", page).strip() for page in pages if page.strip()]


@pytest.fixture(scope="module")
def document():
    return sample_document(40)


@pytest.fixture(scope="module")
def rendered(document, tmp_path_factory):
    filename, content_type, content = render_pdf(document)
    return filename, content_type, content, page_texts(content, tmp_path_factory.mktemp("pdf"))


def test_pdf_filename_and_type(rendered):
    filename, content_type, content, _pages = rendered

    assert filename == "bao-cao-ket-qua-phong-trao-thi-dua-dan-van-kheo-nam-2025.pdf"
    assert content_type == "application/pdf"
    assert content.startswith(b"%PDF-")


def test_pdf_first_page_has_the_header_blocks_with_blanks_for_the_clerk(rendered):
    first = rendered[3][0]

    assert "ĐẢNG BỘ TỈNH HÀ TĨNH" in first
    assert "BAN TUYÊN GIÁO VÀ DÂN VẬN" in first
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in first
    assert re.search(r"Số -BC/BTGDVTU", first)
    assert "Hà Tĩnh, ngày tháng 12 năm 2025" in first
    assert "BÁO CÁO" in first
    assert "Kết quả phong trào thi đua “Dân vận khéo” năm 2025" in first


def test_pdf_numbers_tables_and_formats_figures_the_vietnamese_way(rendered):
    text = " ".join(rendered[3])

    assert "Bảng 1: Số mô hình, điển hình đăng ký theo loại đơn vị" in text
    assert "Bảng 2: Kết quả đánh giá theo xếp loại" in text
    assert "Bảng 3: Khen thưởng theo hình thức và cấp khen" in text
    assert "Xã, phường, thị trấn 1.520 212 95 1.827" in text
    assert "Tổng cộng 1.711 252 108 2.071" in text
    assert "Tốt 1.050 50,7 +176" in text
    assert "Số liệu của các huyện giải thể năm 2025 được cộng vào đơn vị kế thừa." in text
    assert "Biểu đồ 1: Số mô hình theo lĩnh vực, năm 2024 và năm 2025" in text


def test_pdf_keeps_stacked_diacritics_composed(rendered):
    text = " ".join(rendered[3])

    assert "Nguyễn Thị Hường" in text
    assert "Xã Cẩm Xuyên" in text
    assert "Phường Thành Sen" in text
    assert "Đoàn Thanh niên tỉnh" in text
    assert unicodedata.is_normalized("NFC", text)


def test_pdf_ends_with_recipients_and_signature_then_the_annex(rendered):
    pages = rendered[3]
    closing = next(page for page in pages if "Nơi nhận:" in page)

    assert "- Thường trực Tỉnh ủy (để báo cáo)," in closing
    assert "- Lưu VP." in closing
    assert "K/T TRƯỞNG BAN" in closing
    assert "PHÓ TRƯỞNG BAN" in closing
    assert "Nguyễn Thị Hường" in closing.split("PHÓ TRƯỞNG BAN")[1]
    annex = pages[pages.index(closing) + 1]
    assert "PHỤ LỤC" in annex
    assert "DANH SÁCH MÔ HÌNH, ĐIỂN HÌNH “DÂN VẬN KHÉO” NĂM 2025" in annex
    assert "STT Tên mô hình, điển hình" in annex
    assert "Lĩnh vực · loại · cấp · mới/duy trì/nhân rộng Điểm, xếp loại Khen thưởng" in annex
    assert "Đơn vị" not in annex.split("Công an tỉnh (3)")[0]  # a group row, not a column


def annex_row_text(number: int, row) -> str:
    """A model's row of the PDF's annex as extracted: four cells, the name's cell with a
    second line "field · kind · level · origin", score and tier in one cell (the unit is
    the group row above)."""
    result = " · ".join(filter(None, [vi_number(row.score), row.tier]))
    cells = [
        str(number),
        row.name,
        " · ".join([row.field, row.kind, row.level, row.origin]),
        result,
        row.award,
    ]
    return " ".join(filter(None, cells))


def assert_every_row_under_its_unit(annex: str, rows) -> None:
    """Every row printed once, in order, with all its fields, and the nearest group row
    above it "unit (number of the unit's models)" — its own unit's."""
    totals = Counter(row.unit for row in rows)
    headings = {
        match.start(): unit
        for unit, count in totals.items()
        for match in re.finditer(re.escape(f"{unit} ({count})"), annex)
    }
    position = -1
    for number, row in enumerate(rows, start=1):
        text = annex_row_text(number, row)
        assert annex.count(text) == 1, text
        assert annex.index(text) > position, text
        position = annex.index(text)
        above = max(start for start in headings if start < position)
        assert headings[above] == row.unit, text


def test_pdf_annex_prints_every_field_of_every_row_under_its_unit(rendered, document):
    annex = " ".join(rendered[3]).split("PHỤ LỤC")[1]

    assert_every_row_under_its_unit(annex, ordered_annex(document))
    assert annex.count("Phường Thành Sen (4)") == 1
    assert "(tiếp theo)" not in annex


def test_pdf_annex_lists_every_model_in_vietnamese_order(rendered, document):
    text = " ".join(rendered[3])
    # Units in dictionary order: "Công an" before "Đoàn" before "Hội" before "Ủy ban".
    annex = text.split("PHỤ LỤC")[1]
    units = ("Công an tỉnh", "Đoàn Thanh niên tỉnh", "Hội Liên hiệp Phụ nữ tỉnh", "Xã Cẩm Xuyên")
    positions = [annex.index(f" {unit}") for unit in units]
    assert positions == sorted(positions)
    for number in (1, 20, 40):
        assert re.search(rf"(^| ){number} [A-ZĐỦ]", text)
    assert f" {len(document.annex) + 1} " not in text.split("PHỤ LỤC")[1]


def test_pdf_annex_never_leaves_a_unit_row_alone_at_the_foot_of_a_page(document, tmp_path):
    """Units of one to three models: without ``break-after: avoid`` on the unit's row,
    pages end with it (checked)."""
    rows = ordered_annex(sample_document(90))
    annex = [
        replace(row, unit=f"Đơn vị {index // 2 + index % 3:03d}") for index, row in enumerate(rows)
    ]
    pages = page_texts(render_pdf(replace(document, annex=annex))[2], tmp_path)
    annex_pages = pages[next(i for i, page in enumerate(pages) if "PHỤ LỤC" in page) :]

    assert len(annex_pages) >= 4
    for page in annex_pages[:-1]:
        assert not re.search(r"Đơn vị \d{3} \(\d+\) \d+$", page), page[-200:]


def test_pdf_page_numbers_start_on_page_two(rendered):
    pages = rendered[3]

    assert not pages[0].endswith(" 1")
    assert [page.rsplit(" ", 1)[-1] for page in pages[1:]] == [
        str(number) for number in range(2, len(pages) + 1)
    ]


def test_pdf_fills_the_number_and_the_day_when_given(document, tmp_path):
    given = replace(document, number="15", day_given=True, annex=document.annex[:3])

    first = page_texts(render_pdf(given)[2], tmp_path)[0]

    assert "Số 15-BC/BTGDVTU" in first
    assert "Hà Tĩnh, ngày 10 tháng 12 năm 2025" in first


def test_pdf_same_input_same_bytes(rendered, document):
    again = render_pdf(document)[2]

    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(rendered[2]).hexdigest()


@pytest.fixture(scope="module")
def chunked(tmp_path_factory):
    """A long annex's path, made small: parts printed in child processes and merged."""
    patch = pytest.MonkeyPatch()
    patch.setattr(pdf_renderer, "IN_PROCESS_ROWS", 10)
    patch.setattr(pdf_renderer, "CHUNK_ROWS", 7)  # 6 chunks of 7, 4 of them inside a unit
    try:
        document = sample_document(40, number="7")
        first = render_pdf(document)[2]
        second = render_pdf(document)[2]
        chunks = pdf_renderer._chunks(pdf_renderer._annex_rows(document))
    finally:
        patch.undo()
    return first, second, page_texts(first, tmp_path_factory.mktemp("chunked")), chunks


def test_pdf_long_annex_is_merged_with_continuous_page_numbers(chunked):
    pages = chunked[2]

    assert [page.rsplit(" ", 1)[-1] for page in pages[1:]] == [
        str(number) for number in range(2, len(pages) + 1)
    ]
    assert pdf_renderer.last_peak_rss and all(peak > 0 for peak in pdf_renderer.last_peak_rss)


def test_pdf_long_annex_keeps_every_row_once_in_order_under_its_unit(chunked):
    annex = " ".join(chunked[2]).split("(Kèm theo Báo cáo số 7-BC/BTGDVTU)")[1]

    assert_every_row_under_its_unit(annex, ordered_annex(sample_document(40)))


def test_pdf_long_annex_repeats_the_unit_row_when_a_chunk_starts_inside_it(chunked):
    """A chunk starts on a new page; inside a unit, with the unit's row "(tiếp theo)"."""
    pages, chunks = chunked[2], chunked[3]
    totals = Counter(row[1] for chunk in chunks for row in chunk)
    continued = [after[0][1] for before, after in pairwise(chunks) if before[-1][1] == after[0][1]]

    assert len(continued) >= 2
    for unit in continued:
        heading = f"{unit} ({totals[unit]}) (tiếp theo)"
        page = next(page for page in pages if heading in page)
        assert "Khen thưởng " + heading in page  # at the top, under the column headings
    assert " ".join(pages).count("(tiếp theo)") == len(continued)


def test_pdf_long_annex_numbers_share_one_font_and_stay_small(chunked):
    """The page numbers of the parts are drawn from one set of digit forms: the merged
    file holds no copy of a font per page."""
    content = chunked[0]
    reader = PdfReader(io.BytesIO(content))

    assert content.count(b"/FontFile2") <= 4 * len(pdf_renderer.last_peak_rss)  # 4 per part
    assert content.count(b"/Subtype /Form") >= 10
    assert len(content) < 40_000 * len(reader.pages)


def test_pdf_long_annex_same_input_same_bytes(chunked):
    assert hashlib.sha256(chunked[0]).digest() == hashlib.sha256(chunked[1]).digest()
