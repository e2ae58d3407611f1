"""The December report's DOCX (reports/renderers/docx.py), opened with python-docx as the
clerk's Word would: header blocks, fonts, tables, "Nơi nhận", signature, annex."""

import hashlib
import io
import re
from dataclasses import replace

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from reports.renderers import render_docx
from reports.renderers.sample import sample_document


@pytest.fixture(scope="module")
def document():
    return sample_document(25)


@pytest.fixture(scope="module")
def rendered(document):
    return render_docx(document)


@pytest.fixture(scope="module")
def word(rendered):
    return Document(io.BytesIO(rendered[2]))


def cell_text(cell) -> str:
    return "\n".join(paragraph.text for paragraph in cell.paragraphs)


def test_docx_filename_and_type(rendered):
    filename, content_type, _content = rendered

    assert filename == "bao-cao-ket-qua-phong-trao-thi-dua-dan-van-kheo-nam-2025.docx"
    assert content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_docx_header_blocks_side_by_side_with_blanks_for_the_clerk(word):
    left, right = word.tables[0].rows[0].cells

    assert cell_text(left).split("\n") == [
        "ĐẢNG BỘ TỈNH HÀ TĨNH",
        "BAN TUYÊN GIÁO VÀ DÂN VẬN",
        "*",
        "Số" + " " * 8 + "-BC/BTGDVTU",
    ]
    party = right.paragraphs[0].runs[0]
    assert party.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert party.bold and party.underline
    assert re.fullmatch(r"Hà Tĩnh, ngày {3,}tháng 12 năm 2025", right.paragraphs[-1].text)
    assert right.paragraphs[-1].runs[0].italic


def test_docx_fills_the_number_and_the_day_when_given(document):
    given = replace(document, number="15", day_given=True)

    left, right = Document(io.BytesIO(render_docx(given)[2])).tables[0].rows[0].cells

    assert left.paragraphs[-1].text == "Số 15-BC/BTGDVTU"
    assert right.paragraphs[-1].text == "Hà Tĩnh, ngày 10 tháng 12 năm 2025"


def test_docx_names_times_new_roman_at_14_pt(word):
    normal = word.styles["Normal"]
    fonts = normal.element.rPr.rFonts

    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 14
    assert fonts.get(qn("w:cs")) == "Times New Roman"


def test_docx_title_sections_and_numbered_tables_with_vietnamese_figures(word):
    texts = [paragraph.text for paragraph in word.paragraphs]
    table = word.tables[1]

    assert "BÁO CÁO" in texts
    assert "Kết quả phong trào thi đua “Dân vận khéo” năm 2025" in texts
    assert "I. KẾT QUẢ THỰC HIỆN" in texts
    assert "Bảng 1: Số mô hình, điển hình đăng ký theo loại đơn vị" in texts
    assert "Bảng 3: Khen thưởng theo hình thức và cấp khen" in texts
    assert [cell.text for cell in table.rows[1].cells] == [
        "Xã, phường, thị trấn",
        "1.520",
        "212",
        "95",
        "1.827",
    ]
    assert [cell.text for cell in table.rows[-1].cells] == [
        "Tổng cộng",
        "1.711",
        "252",
        "108",
        "2.071",
    ]
    assert "Tốt" in [row.cells[0].text for row in word.tables[2].rows]
    assert "50,7" in [row.cells[2].text for row in word.tables[2].rows]


def test_docx_recipients_and_signature(word):
    left, right = word.tables[4].rows[0].cells

    assert left.paragraphs[0].text == "Nơi nhận:"
    assert left.paragraphs[1].text == "- Thường trực Tỉnh ủy (để báo cáo),"
    assert left.paragraphs[-1].text == "- Lưu VP."
    lines = [paragraph.text for paragraph in right.paragraphs if paragraph.text]
    assert lines == ["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Nguyễn Thị Hường"]


def test_docx_annex_on_landscape_pages_with_every_model(word, document):
    annex = word.tables[5]
    landscape = word.sections[-1]

    assert landscape.orientation == WD_ORIENT.LANDSCAPE
    assert [cell.text for cell in annex.rows[0].cells][:3] == [
        "STT",
        "Đơn vị",
        "Tên mô hình, điển hình",
    ]
    assert len(annex.rows) == 1 + len(document.annex)
    assert [row.cells[0].text for row in annex.rows[1:]] == [
        str(number) for number in range(1, len(document.annex) + 1)
    ]
    assert annex.rows[1].cells[1].text == "Công an tỉnh"
    assert "Xã Cẩm Xuyên" in [row.cells[1].text for row in annex.rows]


def test_docx_page_number_field_from_page_two(word):
    first = word.sections[0]

    assert first.different_first_page_header_footer
    assert 'w:instr="PAGE"' in first.header._element.xml
    assert first.first_page_header.paragraphs[0].text == ""


def test_docx_core_properties_are_the_reports_date(word):
    properties = word.core_properties

    assert properties.created.date().isoformat() == "2025-12-10"
    assert properties.modified.date().isoformat() == "2025-12-10"
    assert properties.author == "BAN TUYÊN GIÁO VÀ DÂN VẬN"


def test_docx_same_input_same_bytes(rendered, document):
    assert hashlib.sha256(render_docx(document)[2]).digest() == hashlib.sha256(rendered[2]).digest()
