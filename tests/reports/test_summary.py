import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import statistics
from reports.builder import summary_report
from reports.data import Paragraph
from reports.enums import ReportKind
from reports.models import ReportNarrative
from tests.reports.conftest import campaign_for, registered
from tests.reports.test_services import two_profiles

pytestmark = pytest.mark.django_db


def test_per_locality_rolls_dissolved_district_into_its_successor(world):
    summary = statistics.load_summary(organiser=world.province, from_year=2024, to_year=2025)

    localities = statistics.per_locality(summary)

    rows = {line.label: line.values for line in localities.lines}
    assert rows["Xã Can Lộc"] == (1, 1)
    assert "Huyện Can Lộc" not in rows
    assert rows["Xã Đức Thọ"] == (1, 2)  # the village and the women's union count here
    assert localities.rolled_up == ("Huyện Can Lộc",)
    assert localities.years == (2025,)


def test_roll_up_follows_successive_changes(world):
    from danvan.enums import SuccessionKind
    from danvan.models import UnitSuccession

    UnitSuccession.objects.create(
        predecessor=world.commune_b,
        successor=world.commune_a,
        kind=SuccessionKind.MERGED,
        effective_date="2026-01-01",
    )
    summary = statistics.load_summary(organiser=world.province, from_year=2024, to_year=2025)

    rows = {line.label: line.values for line in statistics.per_locality(summary).lines}

    assert rows["Xã Đức Thọ"] == (2, 3)
    assert "Xã Can Lộc" not in rows


def test_overview_per_year_with_change(world):
    summary = statistics.load_summary(organiser=world.province, from_year=2021, to_year=2025)

    rows = statistics.overview(summary)

    assert [(r.year, r.registered, r.change) for r in rows] == [(2024, 3, None), (2025, 6, 3)]
    assert (rows[1].new, rows[1].maintained, rows[1].replicated) == (4, 1, 1)
    assert (rows[1].recognised, rows[1].exemplary, rows[1].awards) == (3, 2, 4)


def test_per_year_joins_rows_on_keys(world):
    summary = statistics.load_summary(organiser=world.province, from_year=2024, to_year=2025)

    lines = statistics.per_year(summary, statistics.registrations_by_kind)

    assert [(line.label, line.values, line.changes()) for line in lines] == [
        ("Mô hình", (3, 4), (None, 1)),
        ("Điển hình tập thể", (0, 1), (None, 1)),
        ("Điển hình cá nhân", (0, 1), (None, 1)),
    ]


def test_summary_report_document(world):
    two_profiles(world)

    document = summary_report(2024, 2025, organiser=world.province)

    assert document.kind == ReportKind.SUMMARY
    assert (
        document.summary_line == "Tổng kết phong trào thi đua “Dân vận khéo” giai đoạn 2024 – 2025"
    )
    assert document.sections[1].heading == "II. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN 2026 – 2030"
    tables = {t.key: t for t in document.tables()}
    assert list(tables) == [
        "overview",
        "by_unit_group",
        "by_field",
        "by_kind",
        "by_level",
        "by_origin",
        "by_locality",
        "by_tier",
        "awards",
    ]
    kinds = tables["by_kind"]
    assert kinds.columns == ("STT", "Loại", "Năm 2024", "Năm 2025", "± so với 2024")
    assert kinds.rows[0] == (1, "Mô hình", 3, 4, 1)
    assert kinds.total == ("", "Tổng cộng", 3, 6, 3)
    localities = tables["by_locality"]
    assert "được cộng vào đơn vị kế thừa" in localities.note
    assert "năm 2025" in localities.note
    assert tables["overview"].rows[1][:3] == ("2025", 6, 3)
    assert [r.tier for r in document.annex] == ["Xuất sắc (2025)", "Xuất sắc (2025)"]


def test_summary_report_defaults_to_the_province_of_the_range(world):
    two_profiles(world)

    document = summary_report(2024, 2025)

    assert document.issuer.symbol == "BTGDVTU"


def test_summary_report_prints_the_narrative_it_is_given(world):
    two_profiles(world)
    unsaved = ReportNarrative(kind=ReportKind.SUMMARY, proposals="Đề xuất của giai đoạn.")

    document = summary_report(2024, 2025, organiser=world.province, narrative=unsaved)

    assert document.sections[2].blocks == (Paragraph("Đề xuất của giai đoạn."),)


def summary_queries(world) -> int:
    with CaptureQueriesContext(connection) as captured:
        summary_report(2024, 2025, organiser=world.province)
    return len(captured)


def test_summary_queries_do_not_grow_with_models(world):
    two_profiles(world)
    before = summary_queries(world)
    for n in range(4):
        registered(
            world.previous, world.commune_a, f"Thêm {n}", field=world.economy, by=world.secretariat
        )

    assert summary_queries(world) == before


def test_summary_without_campaigns_is_refused(world):
    from reports.services import ReportsError

    with pytest.raises(ReportsError):
        summary_report(2010, 2012)


def test_summary_skips_years_without_campaign(world):
    campaign_for(world.province, 2022)
    summary = statistics.load_summary(organiser=world.province, from_year=2021, to_year=2025)

    assert summary.year_numbers == [2022, 2024, 2025]
