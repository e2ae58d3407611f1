from decimal import Decimal

import pytest

from reports import statistics
from reports.services import unit_plan_save

pytestmark = pytest.mark.django_db


def values(lines):
    return [(line.label, line.value) for line in lines]


def test_load_year_counts_submitted_returned_and_accepted_not_drafts(world):
    data = statistics.load_year(world.campaign)

    assert statistics.registrations_total(data) == 6
    assert world.draft.pk not in {m.pk for m in data.models}


def test_registrations_by_group(world):
    data = statistics.load_year(world.campaign)

    assert values(statistics.registrations_by_group(data)) == [
        ("Khối các cơ quan Đảng", 0),
        ("Khối các cơ quan nhà nước", 1),
        ("Khối Mặt trận Tổ quốc và các đoàn thể chính trị – xã hội", 2),
        ("Khối lực lượng vũ trang", 1),
        ("Các địa phương (xã, phường, đặc khu; thôn, tổ dân phố)", 2),
    ]


def test_registrations_by_kind_level_and_origin(world):
    data = statistics.load_year(world.campaign)

    assert values(statistics.registrations_by_kind(data)) == [
        ("Mô hình", 4),
        ("Điển hình tập thể", 1),
        ("Điển hình cá nhân", 1),
    ]
    assert values(statistics.registrations_by_level(data)) == [
        ("Cấp tỉnh", 3),
        ("Cấp huyện (huyện, thị xã, thành phố)", 0),
        ("Cấp xã", 2),
        ("Cơ sở (thôn, tổ dân phố)", 1),
    ]
    assert values(statistics.registrations_by_origin(data)) == [
        ("Mới", 4),
        ("Duy trì", 1),
        ("Nhân rộng", 1),
    ]


def test_previous_year_district_counts_at_district_level(world):
    data = statistics.load_year(world.previous, full=False)

    assert values(statistics.registrations_by_level(data))[:3] == [
        ("Cấp tỉnh", 1),
        ("Cấp huyện (huyện, thị xã, thành phố)", 1),
        ("Cấp xã", 1),
    ]


def test_registrations_by_field_uses_top_level_field_and_kinds(world):
    data = statistics.load_year(world.campaign)

    rows = [(f.label, f.by_kind, f.total) for f in statistics.registrations_by_field(data)]

    assert rows == [
        ("Kinh tế", (1, 1, 0), 2),
        ("Văn hóa – xã hội", (3, 0, 0), 3),
        ("Chưa xác định lĩnh vực", (0, 0, 1), 1),
    ]


def test_coverage_counts_units_existing_during_the_campaign(world):
    unit_plan_save(
        campaign=world.campaign,
        unit=world.commune_a,
        data={"number": "05/KH-UBND", "date": world.campaign.registration_opens},
        by=world.secretariat,
    )
    data = statistics.load_year(world.campaign)

    cover = statistics.coverage(data)

    # Expected: commission, department, front, police, two communes, the women's union
    # (the district is not a registering kind; the village neither).
    assert cover.expected == 7
    assert cover.with_plan == 1
    assert cover.registered == 5  # department, front, police, women's union, commune B
    assert cover.without == ("Ban Tuyên giáo và Dân vận Tỉnh ủy", "Xã Đức Thọ")


def test_coverage_leaves_out_units_that_did_not_exist_yet(world):
    data = statistics.load_year(world.previous)

    names = statistics.coverage(data).without

    assert "Xã Can Lộc" not in names  # valid from 1 July 2025
    assert "Xã Đức Thọ" not in names  # registered in 2024


def test_results_by_tier_in_rubric_order_then_not_evaluated(world):
    data = statistics.load_year(world.campaign)

    assert values(statistics.results_by_tier(data)) == [
        ("Xuất sắc", 2),
        ("Tốt", 1),
        ("Khá", 0),
        ("Đạt", 0),
        ("Không đạt", 1),
        ("Chưa xét chọn", 2),
    ]
    assert statistics.evaluated_count(data) == 4
    assert statistics.recognised_count(data) == 3


def test_exemplary_models_in_vietnamese_order_of_unit(world):
    data = statistics.load_year(world.campaign)

    names = [m.name for m in statistics.exemplary_models(data)]

    # "Hội Liên hiệp Phụ nữ …" sorts before "Xã Can Lộc".
    assert names == ["Bếp ăn nghĩa tình", "Đường làng hiến đất"]


def test_provincial_result_wins_over_a_lower_round(world):
    from tests.reports.conftest import finalised_round

    finalised_round(
        world.campaign,
        world.commune_b,
        [(world.front_model, 99, "Xuất sắc", True, True)],
        by=world.secretariat,
    )
    data = statistics.load_year(world.campaign)

    front = next(m for m in data.models if m.pk == world.front_model.pk)

    assert front.result.tier == "Không đạt"


def test_awards_by_type_and_issuer_count_issued_not_revoked(world):
    data = statistics.load_year(world.campaign)

    lines = statistics.awards_by_type_and_issuer(data)

    assert [(a.type_name, a.issuer, a.collectives, a.individuals) for a in lines] == [
        ("Bằng khen của Chủ tịch UBND tỉnh", "Ủy ban nhân dân tỉnh", 2, 1),
        ("Giấy khen của Ban Tuyên giáo và Dân vận", "Ban Tuyên giáo và Dân vận Tỉnh ủy", 1, 0),
    ]
    assert statistics.awards_total(data) == 4


def test_annex_rows_every_model_sorted_by_unit_then_name(world):
    data = statistics.load_year(world.campaign)

    rows = statistics.annex_rows(data)

    assert [r.unit for r in rows] == [
        "Công an tỉnh",
        "Hội Liên hiệp Phụ nữ xã Đức Thọ",
        "Sở Y tế",
        "Thôn 1",
        "Ủy ban MTTQ Việt Nam tỉnh",
        "Xã Can Lộc",
    ]
    road = rows[-1]
    assert (road.name, road.field, road.kind, road.level, road.origin) == (
        "Đường làng hiến đất",
        "Kinh tế",
        "Mô hình",
        "Cấp xã",
        "Duy trì",
    )
    assert (road.score, road.tier, road.award) == (
        Decimal("95.00"),
        "Xuất sắc",
        "Bằng khen của Chủ tịch UBND tỉnh",
    )
    assert rows[0].score is None and rows[0].award == ""


def test_change_against_previous_year():
    assert statistics.change(6, 3) == 3
    assert statistics.change(2, 3) == -1
    assert statistics.change(2, None) is None
