"""The dashboard's page and one-page PDF rendered from a hand-built ``Dashboard`` (the
templates and the renderer alone; tests/reports/test_views_dashboard.py goes through the
views with the real figures)."""

import datetime
import io
import json
import re

import pytest
from django import forms
from django.template.loader import render_to_string
from pypdf import PdfReader

from danvan.enums import Role
from reports.dashboard.data import Exemplary
from reports.renderers import render_dashboard_pdf
from reports.views.dashboard import band_of, chart_specs, dashboard_context
from tests.factories import UnitFactory, UserFactory

from .dashboard_support import hand_built

pytestmark = pytest.mark.django_db


class _Filters(forms.Form):
    year = forms.CharField(required=False)


def _page(rf, board) -> str:
    request = rf.get("/bao-cao/tong-quan/")
    request.user = UserFactory(unit=UnitFactory(), roles=[Role.LEADER])
    context = {"form": _Filters({}), "board": board, **dashboard_context(board)}
    return render_to_string("reports/dashboard/dashboard.html", context, request=request)


def test_page_draws_every_chart_from_the_json_and_keeps_a_table_beside_it(rf):
    html = _page(rf, hand_built())

    charts = json.loads(
        re.search(
            r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    canvases = re.findall(r'<canvas data-chart="(\w+)" role="img" aria-label="([^"]+)"', html)
    assert sorted(name for name, _label in canvases) == sorted(charts)
    for name in ("by_group", "by_field", "by_kind", "by_origin", "tiers", "awards"):
        assert f'data-table="{name}"' in html
    assert dict(canvases)["by_kind"].endswith("Mô hình: 250; Điển hình cá nhân: 62")
    assert charts["by_kind"]["datasets"][0]["data"] == [250, 62]
    assert charts["by_kind"]["datasets"][1] == {
        "label": "2025",
        "data": [240, 47],
        "tone": "accent",
    }
    assert charts["by_field"]["stacked"] is True
    assert [d["data"] for d in charts["by_field"]["datasets"]] == [[30, 18], [4, 6], [2, 2]]
    assert charts["by_group"]["datasets"][0]["data"] == [80, 62]  # 12/15, 186/300
    assert charts["by_group"]["percent"] is True
    assert "vendor/chartjs/chart.umd.min.js" in html and "js/dashboard.js" in html
    assert "<script>" not in html  # no inline script (a CSP comes later)


def test_page_links_every_figure_to_its_list(rf):
    html = _page(rf, hand_built())

    for url in (
        "/dang-ky/?year=2026",
        "/dang-ky/?kind=collective_model",
        "/dang-ky/?origin=replicated",
        "/dang-ky/?field=2",
        "/thu-vien/?tier=x",
        "/thu-vien/1/",
        "/khen-thuong/so/?type=1",
        "/bao-cao/tong-quan/?year=7&amp;locality=102",
        "/dang-ky/dot/7/phu-song/",
    ):
        assert f'href="{url}"' in html, url
    assert "/bao-cao/tong-quan/in/?year=7" in html  # the PDF keeps the filters


def test_page_shows_the_difference_with_last_year_and_the_units_without(rf):
    html = _page(rf, hand_built(without=3))

    assert "+25" in html  # 312 against 287
    assert "Thôn Đông Hải 2" in html
    assert '<details class="units-without' in html


def test_locality_bands_cover_0_to_100():
    assert [band_of(p) for p in (0, 19, 20, 59, 60, 79, 80, 100)] == [0, 0, 1, 2, 3, 3, 4, 4]


def test_chart_specs_without_last_year_draw_one_series():
    board = hand_built()
    board.previous_year = None

    specs = chart_specs(board)

    assert len(specs["by_kind"]["datasets"]) == 1


def test_summary_pdf_is_one_page_at_province_scale():
    board = hand_built(localities=110, without=600)
    board.by_field = board.by_field * 4  # eight fields
    board.exemplary = board.exemplary * 8

    filename, content_type, content = render_dashboard_pdf(
        board,
        printed=datetime.date(2026, 11, 30),
        filters=[("Năm", "2026"), ("Địa bàn", "Tất cả"), ("Lĩnh vực", "Tất cả")],
    )

    reader = PdfReader(io.BytesIO(content))
    text = reader.pages[0].extract_text()
    assert (filename, content_type) == ("tong-quan-2026.pdf", "application/pdf")
    assert len(reader.pages) == 1
    assert "TỔNG QUAN PHONG TRÀO THI ĐUA" in text
    assert "TỈNH HÀ TĨNH" in text
    assert "30/11/2026" in text
    assert "Xã Cẩm Xuyên 2" in text


def test_long_lists_are_cut_with_a_link_to_the_full_list(rf):
    """Hundreds of units without a model or of exemplary models at province scale: the page
    shows the first ones and says how many more, linking to the list that has them all."""
    board = hand_built(without=130)
    board.exemplary = [
        Exemplary(pk=i, name=f"Mô hình số {i}", unit_name="Xã Can Lộc", tier="Xuất sắc")
        for i in range(25)
    ]
    board.exemplary_url = "/thu-vien/?exemplary=on"

    html = _page(rf, board)

    assert html.count('<li class="list-group-item">') == 20
    assert "Mô hình số 19" in html and "Mô hình số 20" not in html
    assert 'href="/thu-vien/?exemplary=on"' in html
    start = html.index('class="units-without-list"')
    assert html[start : html.index("</ul>", start)].count("<li>") == 100
