"""The December report's workbook (reports/renderers/xlsx.py): the annex's full list and a
sheet per table, formula-safe, frozen headers, autofilter, Vietnamese order."""

import hashlib
import io
from dataclasses import replace
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from danvan.utils import vietnamese_sort_key
from reports.data import AnnexRow
from reports.renderers import render_xlsx
from reports.renderers.sample import sample_document

FORMULA = '=HYPERLINK("http://example.com","Bấm vào đây")'


@pytest.fixture(scope="module")
def document():
    base = sample_document(30)
    trap = AnnexRow(
        unit="Xã Cẩm Xuyên",
        name=FORMULA,
        field="Kinh tế",
        kind="Mô hình",
        level="Cơ sở",
        origin="Mới",
        score=Decimal("85.5"),
        tier="Tốt",
        award="",
    )
    return replace(base, annex=(*base.annex, trap))


@pytest.fixture(scope="module")
def rendered(document):
    return render_xlsx(document)


@pytest.fixture(scope="module")
def book(rendered):
    return load_workbook(io.BytesIO(rendered[2]))


def test_xlsx_filename_and_type(rendered):
    assert rendered[0] == "bao-cao-ket-qua-phong-trao-thi-dua-dan-van-kheo-nam-2025.xlsx"
    assert rendered[1] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_xlsx_full_list_first_then_one_sheet_per_table(book):
    assert book.sheetnames == ["Danh sách mô hình", "Bảng 1", "Bảng 2", "Bảng 3"]


def test_xlsx_headers_frozen_and_filtered(book):
    annex = book["Danh sách mô hình"]
    table = book["Bảng 1"]

    assert annex.freeze_panes == "A4"
    assert annex.auto_filter.ref == "A3:J34"
    assert [cell.value for cell in annex[3]][:3] == ["STT", "Đơn vị", "Tên mô hình, điển hình"]
    assert table.freeze_panes == "A4"
    assert table.auto_filter.ref == "A3:E7"


def test_xlsx_table_sheet_keeps_numbers_as_numbers(book):
    sheet = book["Bảng 1"]

    assert sheet["A1"].value == "Bảng 1: Số mô hình, điển hình đăng ký theo loại đơn vị"
    assert [cell.value for cell in sheet[4]] == ["Xã, phường, thị trấn", 1520, 212, 95, 1827]
    assert [cell.value for cell in sheet[8]] == ["Tổng cộng", 1711, 252, 108, 2071]
    assert sheet["A10"].value.startswith("Số liệu của các huyện giải thể")
    assert book["Bảng 2"]["C5"].value == pytest.approx(50.7)


def test_xlsx_annex_in_vietnamese_order_with_numbers(book, document):
    rows = list(book["Danh sách mô hình"].iter_rows(min_row=4, values_only=True))
    keys = [(vietnamese_sort_key(row[1]), vietnamese_sort_key(row[2])) for row in rows]

    assert len(rows) == len(document.annex)
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    assert keys == sorted(keys)
    assert rows[0][1] == "Công an tỉnh"


def test_xlsx_formula_from_user_data_stays_text(book):
    sheet = book["Danh sách mô hình"]
    cells = [row[2] for row in sheet.iter_rows(min_row=4) if "HYPERLINK" in str(row[2].value)]

    assert len(cells) == 1
    assert cells[0].data_type == "s"
    assert cells[0].value == "'" + FORMULA
    assert [
        row[7] for row in sheet.iter_rows(min_row=4, values_only=True) if "HYPERLINK" in str(row[2])
    ] == [85.5]


def test_xlsx_sheet_names_are_valid_and_unique(document):
    from reports.renderers.xlsx import _sheet_name

    taken = set()
    names = [_sheet_name(name, taken) for name in ("a/b:c", "A/B:C", "x" * 40, "x" * 40, "")]

    assert names == ["a b c", "A B C (2)", "x" * 31, "x" * 27 + " (2)", "Bảng"]
    assert all(len(name) <= 31 for name in names)


def test_xlsx_properties_dated_by_the_report(book):
    assert book.properties.created.date().isoformat() == "2025-12-10"
    assert book.properties.modified.date().isoformat() == "2025-12-10"


def test_xlsx_same_input_same_bytes(rendered, document):
    assert hashlib.sha256(render_xlsx(document)[2]).digest() == hashlib.sha256(rendered[2]).digest()


def test_xlsx_sheets_print_one_page_wide_and_share_widths_like_the_pdf(book, document):
    from reports.renderers.common import column_shares

    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    first = document.tables()[0]
    widths = [book["Bảng 1"].column_dimensions[c].width for c in "ABCDE"[: len(first.columns)]]
    shares = column_shares(first)
    assert widths.index(max(widths)) == shares.index(max(shares))


def test_column_shares_keep_the_row_number_narrow_and_text_wide():
    from reports.data import Table
    from reports.renderers.common import column_shares

    table = Table(
        title="t",
        columns=("STT", "Khối đơn vị", "Số đơn vị", "Đã đăng ký"),
        rows=((1, "Khối các cơ quan Đảng", 75, 0), (2, "Khối lực lượng vũ trang", 3, 0)),
    )
    stt, label, units, registered = column_shares(table)
    assert stt < units == registered < label
    assert abs(stt + label + units + registered - 1) < 1e-9
