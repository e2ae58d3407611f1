"""What the three renderers share (reports/renderers/common.py) and the SVG bar charts
(reports/renderers/charts.py)."""

import datetime
import io
import zipfile
from dataclasses import replace
from decimal import Decimal

import pytest

from reports.data import Chart, Paragraph, Section, Table
from reports.renderers.charts import bar_chart_svg
from reports.renderers.common import (
    annex_heading,
    date_line,
    fixed_zip,
    is_numeric,
    number_line,
    outline,
    recipient_lines,
    vi_number,
)
from reports.renderers.sample import sample_document, sample_issuer


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2071, "2.071"),
        (1234567, "1.234.567"),
        (-12, "-12"),
        (0, "0"),
        (Decimal("85.5"), "85,5"),
        (Decimal("85.50"), "85,5"),
        (Decimal("90.00"), "90"),
        (Decimal("1234.25"), "1.234,25"),
        (None, ""),
        ("+276", "+276"),
    ],
)
def test_vi_number_formats_the_vietnamese_way(value, text):
    assert vi_number(value) == text


def test_is_numeric_for_figures_and_signed_text():
    assert [is_numeric(v) for v in (3, Decimal("1.5"), "+276", "−12", "12,5%", "Tốt", None)] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]


def test_number_and_date_lines_leave_blanks_unless_given():
    document = sample_document(0)

    assert number_line(document, blank="__") == "Số__-BC/BTGDVTU"
    assert date_line(document, blank="__") == "Hà Tĩnh, ngày__tháng 12 năm 2025"
    given = replace(document, number="05", day_given=True, date=datetime.date(2026, 2, 3))
    assert number_line(given) == "Số 05-BC/BTGDVTU"
    assert date_line(given) == "Hà Tĩnh, ngày 03 tháng 02 năm 2026"


def test_recipient_lines_take_dashes_commas_and_a_final_full_stop():
    issuer = replace(sample_issuer(), recipients=("Thường trực Tỉnh ủy", "Lưu VP.", " "))
    document = replace(sample_document(0), issuer=issuer)

    assert recipient_lines(document) == ["- Thường trực Tỉnh ủy,", "- Lưu VP."]


def test_annex_heading_splits_the_colon():
    document = sample_document(0)

    assert annex_heading(document) == (
        "PHỤ LỤC",
        "DANH SÁCH MÔ HÌNH, ĐIỂN HÌNH “DÂN VẬN KHÉO” NĂM 2025",
    )
    assert annex_heading(replace(document, annex_title="Danh sách")) == ("PHỤ LỤC", "Danh sách")


def test_outline_numbers_tables_and_charts_separately_in_reading_order():
    table = Table(title="T", columns=("a",), rows=())
    chart = Chart(title="C", labels=("x",), series=(("s", (1,)),))
    sections = (
        Section("I", blocks=(table, chart), subsections=(Section("1", blocks=(table,)),)),
        Section("II", blocks=(Paragraph("p"), table)),
    )

    parts = outline(replace(sample_document(0), sections=sections))

    assert [(p.level, p.heading) for p in parts] == [(1, "I"), (2, "1"), (1, "II")]
    assert [b.caption for p in parts for b in p.blocks] == [
        "Bảng 1: T",
        "Biểu đồ 1: C",
        "Bảng 2: T",
        "",
        "Bảng 3: T",
    ]


def test_fixed_zip_dates_every_member_and_keeps_the_order():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("b.xml", "<b/>")
        archive.writestr("a.xml", "<a>1</a>")

    content = fixed_zip(
        buffer.getvalue(),
        when=datetime.date(2025, 12, 10),
        replace={"a.xml": lambda data: data.replace(b"1", b"2")},
    )

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.namelist() == ["b.xml", "a.xml"]
        assert {info.date_time for info in archive.infolist()} == {(2025, 12, 10, 0, 0, 0)}
        assert archive.read("a.xml") == b"<a>2</a>"


def test_bar_chart_svg_is_deterministic_with_values_labels_and_legend():
    chart = Chart(
        title="Số mô hình theo lĩnh vực",
        labels=("Kinh tế", "Văn hóa – xã hội"),
        series=(("Năm 2024", (640, 1512)), ("Năm 2025", (702, 0))),
    )

    svg = bar_chart_svg(chart)

    assert svg == bar_chart_svg(chart)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 4 + 2  # bars and legend keys
    assert (">1.512<" in svg and ">Văn hóa – xã<" in svg) or ">Văn hóa – xã hội<" in svg
    assert ">Năm 2025<" in svg


def test_bar_chart_svg_of_nothing_draws_an_empty_axis():
    svg = bar_chart_svg(Chart(title="Trống", labels=(), series=()))

    assert "<rect" not in svg and "<line" in svg
