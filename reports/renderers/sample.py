"""A realistic ``ReportDocument`` built without a database, for the renderers' tests, the
benchmark (``bench/report_documents.py``) and for looking at the printed pages.

Vietnamese names with stacked marks on purpose ("Nguyễn Thị Hường", "Xã Cẩm Xuyên").
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ..data import AnnexRow, Chart, Issuer, Paragraph, ReportDocument, Section, Table

UNITS = (
    "Phường Thành Sen",
    "Xã Cẩm Xuyên",
    "Xã Thạch Hà",
    "Đoàn Thanh niên tỉnh",
    "Hội Liên hiệp Phụ nữ tỉnh",
    "Công an tỉnh",
    "Xã Hương Khê",
    "Phường Bắc Hồng Lĩnh",
    "Hội Nông dân tỉnh",
    "Xã Đức Thọ",
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
    "Xã Kỳ Anh",
)
MODELS = (
    "Tổ dân phố xanh – sạch – đẹp",
    "Dân vận khéo trong giải phóng mặt bằng",
    "Chi hội phụ nữ tiết kiệm giúp nhau thoát nghèo",
    "Thanh niên xung kích chuyển đổi số",
    "Camera an ninh vì bình yên thôn xóm",
    "Mô hình “Hũ gạo tình thương” của bà Nguyễn Thị Hường",
    "Dòng họ khuyến học, khuyến tài",
    "Hợp tác xã nông nghiệp hữu cơ Cẩm Xuyên",
)
FIELDS = ("Kinh tế", "Văn hóa – xã hội", "Quốc phòng – an ninh", "Xây dựng hệ thống chính trị")
KINDS = ("Mô hình", "Điển hình tập thể", "Điển hình cá nhân")
LEVELS = ("Cơ sở", "Huyện", "Tỉnh")
ORIGINS = ("Mới", "Duy trì", "Nhân rộng")
TIERS = ("Xuất sắc", "Tốt", "Khá", "Đạt")
AWARDS = ("", "", "Giấy khen của Ban Thường vụ Huyện ủy", "Bằng khen của Chủ tịch UBND tỉnh")

PARAGRAPH = (
    "Năm 2025, các cấp ủy, tổ chức đảng, chính quyền, Mặt trận Tổ quốc và các đoàn thể "
    "chính trị – xã hội đã quan tâm lãnh đạo, chỉ đạo phong trào thi đua “Dân vận khéo”; "
    "công tác tuyên truyền được đổi mới, phát huy vai trò chủ thể của Nhân dân, gắn với "
    "việc thực hiện các nhiệm vụ chính trị của địa phương, đơn vị. Đồng chí Nguyễn Thị Hường, "
    "Bí thư Chi bộ Tổ dân phố 5, Phường Thành Sen, được biểu dương, vinh danh tại Hội nghị."
)


def sample_issuer() -> Issuer:
    return Issuer(
        superior_body="ĐẢNG BỘ TỈNH HÀ TĨNH",
        issuing_body="BAN TUYÊN GIÁO VÀ DÂN VẬN",
        symbol="BTGDVTU",
        place="Hà Tĩnh",
        signer_prefix="K/T TRƯỞNG BAN",
        signer_title="PHÓ TRƯỞNG BAN",
        signer_name="Nguyễn Thị Hường",
        recipients=(
            "Thường trực Tỉnh ủy (để báo cáo)",
            "Ban Thường vụ Tỉnh ủy (để báo cáo)",
            "Ban Dân vận Trung ương",
            "Các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc",
            "Lưu VP",
        ),
    )


def sample_annex(count: int) -> tuple[AnnexRow, ...]:
    rows = []
    for index in range(count):
        unit = UNITS[index % len(UNITS)]
        model = MODELS[(index * 7) % len(MODELS)]
        tier = TIERS[index % len(TIERS)]
        rows.append(
            AnnexRow(
                unit=unit,
                name=f"{model} ({unit})" if index % 5 == 0 else f"{model} số {index + 1}",
                field=FIELDS[index % len(FIELDS)],
                kind=KINDS[index % len(KINDS)],
                level=LEVELS[(index // 3) % len(LEVELS)],
                origin=ORIGINS[(index // 2) % len(ORIGINS)],
                score=Decimal(60 + (index * 37) % 400) / 10 if index % 13 else None,
                tier=tier if index % 13 else "",
                award=AWARDS[index % len(AWARDS)],
            )
        )
    return tuple(rows)


def sample_document(annex_rows: int = 60, **changes) -> ReportDocument:
    by_kind = Table(
        title="Số mô hình, điển hình đăng ký theo loại đơn vị",
        columns=("Loại đơn vị", "Mô hình", "Điển hình tập thể", "Điển hình cá nhân", "Tổng"),
        rows=(
            ("Xã, phường, thị trấn", 1520, 212, 95, 1827),
            ("Cơ quan nhà nước", 96, 18, 7, 121),
            ("Mặt trận Tổ quốc và các đoàn thể", 84, 20, 6, 110),
            ("Lực lượng vũ trang", 11, 2, 0, 13),
        ),
        total=("Tổng cộng", 1711, 252, 108, 2071),
        note="Số liệu của các huyện giải thể năm 2025 được cộng vào đơn vị kế thừa.",
        key="by_unit_kind",
    )
    by_tier = Table(
        title="Kết quả đánh giá theo xếp loại",
        columns=("Xếp loại", "Số mô hình", "Tỷ lệ (%)", "So với năm 2024"),
        rows=(
            ("Xuất sắc", 312, Decimal("15.1"), "+41"),
            ("Tốt", 1050, Decimal("50.7"), "+176"),
            ("Khá", 446, Decimal("21.5"), "+59"),
            ("Chưa đạt", 263, Decimal("12.7"), "−12"),
        ),
        total=("Tổng cộng", 2071, Decimal("100"), "+264"),
        key="by_tier",
    )
    by_award = Table(
        title="Khen thưởng theo hình thức và cấp khen",
        columns=("Hình thức khen thưởng", "Cấp khen", "Tập thể", "Cá nhân"),
        rows=(
            ("Bằng khen của Chủ tịch UBND tỉnh", "Tỉnh", 24, 7),
            ("Giấy khen của Ban Thường vụ Huyện ủy", "Huyện", 131, 40),
        ),
        total=("Tổng cộng", "", 155, 47),
        key="by_award",
    )
    chart = Chart(
        title="Số mô hình theo lĩnh vực, năm 2024 và năm 2025",
        labels=FIELDS,
        series=(("Năm 2024", (640, 512, 301, 342)), ("Năm 2025", (702, 588, 356, 425))),
        key="by_field_chart",
    )
    sections = (
        Section(
            heading="I. KẾT QUẢ THỰC HIỆN",
            subsections=(
                Section(
                    heading="1. Công tác lãnh đạo, chỉ đạo, tuyên truyền",
                    blocks=(Paragraph(PARAGRAPH), Paragraph(PARAGRAPH)),
                ),
                Section(
                    heading="2. Kết quả đăng ký xây dựng mô hình, điển hình",
                    blocks=(Paragraph(PARAGRAPH), by_kind, chart),
                ),
                Section(
                    heading="3. Kết quả đánh giá, công nhận và khen thưởng",
                    blocks=(Paragraph(PARAGRAPH), by_tier, by_award),
                ),
                Section(heading="4. Hạn chế, nguyên nhân", blocks=(Paragraph(PARAGRAPH),)),
            ),
        ),
        Section(heading="II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026", blocks=(Paragraph(PARAGRAPH),)),
        Section(heading="III. KIẾN NGHỊ, ĐỀ XUẤT", blocks=(Paragraph(PARAGRAPH),)),
    )
    document = ReportDocument(
        kind="annual",
        issuer=sample_issuer(),
        date=datetime.date(2025, 12, 10),
        title="BÁO CÁO",
        summary_line="Kết quả phong trào thi đua “Dân vận khéo” năm 2025",
        sections=sections,
        annex_title="PHỤ LỤC: DANH SÁCH MÔ HÌNH, ĐIỂN HÌNH “DÂN VẬN KHÉO” NĂM 2025",
        annex=sample_annex(annex_rows),
    )
    if changes:
        from dataclasses import replace

        document = replace(document, **changes)
    return document
