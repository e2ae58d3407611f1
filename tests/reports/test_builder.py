import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.enums import RecipientKind
from reports import services
from reports.builder import ANNEX_COLUMNS, annual_report
from reports.data import Chart, Paragraph, Table
from reports.models import ReportNarrative
from tests.reports.conftest import decision_with, finalised_round, registered
from tests.reports.test_services import SECTIONS, two_profiles

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_world(world):
    two_profiles(world)
    return world


def test_annual_report_outline(report_world):
    document = annual_report(report_world.campaign)

    assert [s.heading for s in document.sections] == [
        "I. KẾT QUẢ THỰC HIỆN",
        "II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026",
        "III. KIẾN NGHỊ, ĐỀ XUẤT",
    ]
    assert [s.heading for s in document.sections[0].subsections] == [
        "1. Công tác lãnh đạo, chỉ đạo, tuyên truyền",
        "2. Kết quả đăng ký, xây dựng mô hình, điển hình",
        "3. Kết quả xét chọn, công nhận mô hình, điển hình",
        "4. Công tác khen thưởng, biểu dương",
        "5. Hạn chế",
        "6. Nguyên nhân",
        "7. Bài học kinh nghiệm",
    ]
    assert [t.key for t in document.tables()] == [
        "coverage",
        "by_unit_group",
        "by_field",
        "by_kind",
        "by_level",
        "by_origin",
        "by_tier",
        "exemplary",
        "awards",
    ]
    registration = document.sections[0].subsections[1]
    charts = [b for b in registration.blocks if isinstance(b, Chart)]
    assert charts[0].labels == ("Kinh tế", "Văn hóa – xã hội", "Chưa xác định lĩnh vực")
    assert charts[0].series[0] == ("Mô hình", (1, 3, 0))


def test_annual_report_header_uses_the_profile_valid_on_its_date(report_world):
    this_year = annual_report(report_world.campaign, number="12", day_given=True)
    last_year = annual_report(report_world.previous)

    assert (this_year.issuer.issuing_body, this_year.issuer.symbol) == (
        "BAN TUYÊN GIÁO VÀ DÂN VẬN",
        "BTGDVTU",
    )
    assert (last_year.issuer.issuing_body, last_year.issuer.symbol) == ("BAN DÂN VẬN", "BDVTU")
    assert this_year.date == datetime.date(2025, 12, 5)
    assert (this_year.number, this_year.day_given) == ("12", True)
    assert (last_year.number, last_year.day_given) == ("", False)
    assert this_year.summary_line == "Kết quả phong trào thi đua “Dân vận khéo” năm 2025"
    assert this_year.issuer.recipients[-1] == "Lưu VP"


def test_annual_report_without_issuer_profile_is_refused(world):
    with pytest.raises(services.ReportsError):
        annual_report(world.campaign)


def test_annual_report_tables_compare_with_previous_year(report_world):
    document = annual_report(report_world.campaign)
    tables = {t.key: t for t in document.tables()}

    groups = tables["by_unit_group"]
    assert groups.columns == ("STT", "Khối đơn vị", "Năm 2024", "Năm 2025", "Tăng (+), giảm (−)")
    assert groups.rows[1] == (2, "Khối các cơ quan nhà nước", 1, 1, 0)
    assert groups.rows[4] == (5, "Các địa phương (xã, phường, đặc khu; thôn, tổ dân phố)", 2, 2, 0)
    assert groups.total == ("", "Tổng cộng", 3, 6, 3)
    levels = tables["by_level"]
    assert [r[1] for r in levels.rows] == [
        "Cấp tỉnh",
        "Cấp huyện (huyện, thị xã, thành phố)",
        "Cấp xã",
        "Cơ sở (thôn, tổ dân phố)",
    ]
    assert tables["by_origin"].rows[1] == (2, "Duy trì", 1, Decimal("16.7"))
    assert tables["by_tier"].rows[0] == (1, "Xuất sắc", 2, Decimal("33.3"))
    assert tables["coverage"].total == ("", "Tổng cộng", 7, 0, 5, 2)


def test_annual_report_lists_exemplary_models_and_awards(report_world):
    tables = {t.key: t for t in annual_report(report_world.campaign).tables()}

    assert [r[1:] for r in tables["exemplary"].rows] == [
        ("Bếp ăn nghĩa tình", "Hội Liên hiệp Phụ nữ xã Đức Thọ", "Kinh tế", Decimal("91.00")),
        ("Đường làng hiến đất", "Xã Can Lộc", "Kinh tế", Decimal("95.00")),
    ]
    assert tables["awards"].rows[0] == (
        1,
        "Bằng khen của Chủ tịch UBND tỉnh",
        "Ủy ban nhân dân tỉnh",
        2,
        1,
        3,
    )
    assert tables["awards"].total == ("", "Tổng cộng", "", 3, 1, 4)


def test_annual_report_texts_and_annex(report_world):
    services.narrative_save(
        campaign=report_world.campaign, data=SECTIONS, by=report_world.secretariat
    )

    document = annual_report(report_world.campaign)

    leadership = document.sections[0].subsections[0].blocks
    assert leadership == (Paragraph("Ban hành kế hoạch."), Paragraph("Tuyên truyền rộng rãi."))
    first = document.sections[0].subsections[1].blocks[0].text
    assert first.startswith(
        "Năm 2025, có 6 mô hình, điển hình “Dân vận khéo” được đăng ký (tăng 3 so với năm 2024)"
    )
    assert document.annex_columns == ANNEX_COLUMNS
    assert len(document.annex) == 6
    assert document.annex[0].unit == "Công an tỉnh"
    assert document.annex_title.endswith("NĂM 2025")


def test_annual_report_without_narrative_leaves_a_placeholder(report_world):
    document = annual_report(report_world.campaign)

    assert document.sections[2].blocks == (
        Paragraph("(Nội dung do Cơ quan thường trực Ban Chỉ đạo bổ sung.)"),
    )


def test_annual_report_prints_the_narrative_it_is_given(report_world):
    services.narrative_save(
        campaign=report_world.campaign, data=SECTIONS, by=report_world.secretariat
    )
    unsaved = ReportNarrative(campaign=report_world.campaign, lessons="Bài học của lần yêu cầu.")

    document = annual_report(report_world.campaign, narrative=unsaved)

    results = document.sections[0].subsections
    assert [results[0].blocks, results[6].blocks] == [
        (Paragraph("(Nội dung do Cơ quan thường trực Ban Chỉ đạo bổ sung.)"),),
        (Paragraph("Bài học của lần yêu cầu."),),
    ]


def test_annual_report_is_deterministic(report_world):
    assert annual_report(report_world.campaign) == annual_report(report_world.campaign)


def build_queries(campaign) -> int:
    with CaptureQueriesContext(connection) as captured:
        annual_report(campaign)
    return len(captured)


def test_annual_report_queries_do_not_grow_with_models(report_world):
    w = report_world
    before = build_queries(w.campaign)
    more = [
        registered(w.campaign, w.commune_a, f"Mô hình thêm {n}", field=w.economy, by=w.secretariat)
        for n in range(5)
    ]
    finalised_round(
        w.campaign, w.commune_a, [(m, 70, "Khá", True, False) for m in more], by=w.secretariat
    )
    decision_with(
        w.campaign,
        w.province,
        [(w.giay_khen, RecipientKind.MODEL, m) for m in more],
        by=w.secretariat,
    )

    after = build_queries(w.campaign)

    assert after == before
    assert after <= 12
    assert isinstance(annual_report(w.campaign).tables()[0], Table)


def test_annual_report_names_units_without_registration_when_few(report_world, monkeypatch):
    registration = annual_report(report_world.campaign).sections[0].subsections[1]

    assert registration.blocks[-1] == Paragraph(
        "Các đơn vị chưa đăng ký mô hình, điển hình: Ban Tuyên giáo và Dân vận Tỉnh ủy, Xã Đức Thọ."
    )

    monkeypatch.setattr("reports.builder.annual.LIST_UNITS_UP_TO", 1)
    registration = annual_report(report_world.campaign).sections[0].subsections[1]

    assert not any(
        isinstance(b, Paragraph) and b.text.startswith("Các đơn vị chưa")
        for b in registration.blocks
    )
