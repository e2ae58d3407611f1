"""A hand-built ``Dashboard`` for the dashboard pages' tests (no database): a province of
``localities`` communes, two years compared, every panel filled."""

from types import SimpleNamespace

from reports.dashboard.data import (
    AwardBar,
    Bar,
    Dashboard,
    Exemplary,
    FieldBar,
    Filters,
    LocalityCell,
    Progress,
)

NAMES = ("Xã Đức Thọ", "Phường Thành Sen", "Xã Cẩm Xuyên", "Xã Hương Khê", "Xã Kỳ Anh")


def hand_built(*, localities: int = 5, without: int = 3, locality=None, field=None) -> Dashboard:
    campaign = SimpleNamespace(pk=7, year=2026)
    cells = [
        LocalityCell(
            unit_id=100 + i,
            name=f"{NAMES[i % len(NAMES)]} {i}",
            expected=5,
            registered=i % 6,
            models=2 * i,
            exemplary=i % 2,
            url=f"/bao-cao/tong-quan/?year=7&locality={100 + i}",
        )
        for i in range(localities)
    ]
    return Dashboard(
        filters=Filters(campaign=campaign, locality=locality, field=field),
        scope_name="Tỉnh Hà Tĩnh",
        previous_year=2025,
        registrations=Bar("registrations", "Mô hình đăng ký", 312, "/dang-ky/?year=2026", 287),
        expected_units=420,
        registered_units=251,
        units_without=tuple(f"Thôn Đông Hải {i}" for i in range(without)),
        by_group=[
            Bar("party", "Khối các cơ quan Đảng", 12, "/cov/", 10, out_of=15),
            Bar("local", "Các địa phương", 186, "/cov/", 174, out_of=300),
        ],
        by_kind=[
            Bar("collective_model", "Mô hình", 250, "/dang-ky/?kind=collective_model", 240),
            Bar("individual_exemplar", "Điển hình cá nhân", 62, "/dang-ky/?kind=ind", 47),
        ],
        by_origin=[
            Bar("new", "Mới", 200, "/dang-ky/?origin=new", 180),
            Bar("replicated", "Nhân rộng", 112, "/dang-ky/?origin=replicated", 107),
        ],
        by_field=[
            FieldBar("1", "Kinh tế", (30, 4, 2), "/dang-ky/?field=1"),
            FieldBar("2", "Văn hóa – xã hội", (18, 6, 2), "/dang-ky/?field=2"),
        ],
        localities=cells,
        progress=Progress(rounds=3, rounds_finalised=1, sheets=540, sheets_submitted=388),
        tiers=[Bar("Xuất sắc", "Xuất sắc", 41, "/thu-vien/?tier=x"), Bar("Tốt", "Tốt", 120)],
        recognised=161,
        exemplary=[
            Exemplary(1, "Bếp ăn nghĩa tình", "Xã Đức Thọ", "Xuất sắc", "/thu-vien/1/"),
            Exemplary(2, "Dân vận khéo trong hòa giải", "Xã Kỳ Anh", "Xuất sắc", ""),
        ],
        awards=[
            AwardBar("Bằng khen", "Ủy ban nhân dân tỉnh", 12, 5, "/khen-thuong/so/?type=1"),
        ],
        coverage_url="/dang-ky/dot/7/phu-song/",
    )
