"""Demo data of the reports stage for Hà Tĩnh, through the services: the commission's two
issuer profiles (Ban Dân vận Tỉnh ủy, symbol BDVTU, until the 2025 merger; Ban Tuyên giáo
và Dân vận Tỉnh ủy, BTGDVTU, since), last year's report narrative (so that this year's
opens prefilled), and the yearly plans of a few units.

Idempotent: profiles are matched by unit and start date, the narrative by campaign and
kind, plans by campaign and unit; an existing row is never changed.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.enums import UnitKind
from danvan.models import Unit, User
from models_registry.models import Campaign

from . import services
from .enums import ReportKind
from .models import IssuerProfile, ReportNarrative, UnitPlan

MERGED_ON = datetime.date(2025, 3, 1)

PROFILES = [
    {
        "superior_body": "ĐẢNG BỘ TỈNH HÀ TĨNH",
        "issuing_body": "BAN DÂN VẬN",
        "symbol": "BDVTU",
        "place": "Hà Tĩnh",
        "signer_prefix": "K/T TRƯỞNG BAN",
        "signer_title": "PHÓ TRƯỞNG BAN",
        "signer_name": "Nguyễn Văn Thành",
        "recipients": "\n".join([
            "Ban Dân vận Trung ương (để báo cáo)",
            "Thường trực Tỉnh ủy (để báo cáo)",
            "Ban Thường vụ Tỉnh ủy (để báo cáo)",
            "Các thành viên Ban Chỉ đạo",
            "Ban Dân vận các huyện ủy, thành ủy, thị ủy",
            "Lưu VP",
        ]),
        "valid_from": datetime.date(2020, 10, 1),
        "valid_to": MERGED_ON - datetime.timedelta(days=1),
    },
    {
        "superior_body": "ĐẢNG BỘ TỈNH HÀ TĨNH",
        "issuing_body": "BAN TUYÊN GIÁO VÀ DÂN VẬN",
        "symbol": "BTGDVTU",
        "place": "Hà Tĩnh",
        "signer_prefix": "K/T TRƯỞNG BAN",
        "signer_title": "PHÓ TRƯỞNG BAN THƯỜNG TRỰC",
        "signer_name": "Lê Văn Hùng",
        "recipients": "\n".join([
            "Ban Tuyên giáo và Dân vận Trung ương (để báo cáo)",
            "Thường trực Tỉnh ủy (để báo cáo)",
            "Ban Thường vụ Tỉnh ủy (để báo cáo)",
            "Các thành viên Ban Chỉ đạo",
            "Các đảng ủy xã, phường",
            "Lưu VP",
        ]),
        "valid_from": MERGED_ON,
        "valid_to": None,
    },
]  # fmt: skip

NARRATIVE = {
    "leadership": (
        "Ban Chỉ đạo phong trào thi đua “Dân vận khéo” tỉnh ban hành kế hoạch triển khai "
        "ngay từ đầu năm; các cấp ủy, chính quyền, Mặt trận Tổ quốc và các đoàn thể đưa "
        "nội dung phong trào vào chương trình công tác năm.\n\n"
        "Công tác tuyên truyền được đẩy mạnh trên Báo và Phát thanh, Truyền hình Hà Tĩnh, "
        "trang thông tin điện tử và hệ thống loa truyền thanh cơ sở; nhiều cách làm hay "
        "được giới thiệu để các địa phương học tập, nhân rộng."
    ),
    "limitations": (
        "Một số đơn vị đăng ký mô hình còn chậm, nội dung chưa cụ thể, chưa xác định rõ "
        "tiêu chí kiểm chứng; việc sơ kết, đánh giá lại mô hình duy trì chưa thường xuyên."
    ),
    "causes": (
        "Một số cấp ủy, người đứng đầu chưa quan tâm đúng mức; sau sắp xếp tổ chức bộ máy, "
        "đội ngũ cán bộ làm công tác dân vận ở cơ sở có nhiều thay đổi."
    ),
    "lessons": (
        "Phong trào chỉ thực chất khi gắn với những việc khó, bức xúc ở địa phương; "
        "phát huy vai trò nêu gương của cán bộ, đảng viên và người có uy tín; Nhân dân "
        "được bàn, được làm, được kiểm tra và được thụ hưởng."
    ),
    "next_tasks": (
        "Tiếp tục đổi mới nội dung, phương thức; hướng dẫn các đơn vị đăng ký mô hình gắn "
        "với nhiệm vụ chính trị năm; chú trọng rà soát, đánh giá lại và nhân rộng các mô "
        "hình tiêu biểu."
    ),
    "proposals": (
        "Đề nghị Thường trực Tỉnh ủy quan tâm chỉ đạo các cấp ủy đưa chỉ tiêu xây dựng mô "
        "hình “Dân vận khéo” vào nghị quyết hằng năm; bố trí kinh phí khen thưởng kịp thời."
    ),
}

# (unit code, number and symbol, title)
PLANS = [
    ("18073", "{n:02d}/KH-UBND", "Kế hoạch triển khai phong trào thi đua “Dân vận khéo”"),
    ("18406", "{n:02d}-KH/ĐU", "Kế hoạch thực hiện phong trào thi đua “Dân vận khéo”"),
    ("42-SNNMT", "{n:02d}/KH-SNNMT", "Kế hoạch phát động phong trào thi đua “Dân vận khéo”"),
]


def _plan_date(campaign: Campaign, today: datetime.date) -> datetime.date:
    """Mid-January of the campaign's year, or late December before it if that is still
    to come (the demo is loaded on any day of the year)."""
    day = datetime.date(campaign.year, 1, 15)
    return day if day <= today else datetime.date(campaign.year - 1, 12, 20)


@transaction.atomic
def seed() -> str:
    commission = Unit.objects.filter(code="42-BTGDV").first()
    province = Unit.objects.filter(kind=UnitKind.PROVINCE, code="42").first()
    secretariat = User.objects.filter(username="thuongtruc").first()
    if commission is None or province is None or secretariat is None:
        return _("skipped: the demo province or accounts are missing")
    profiles = 0
    for data in PROFILES:
        if not IssuerProfile.objects.filter(
            unit=commission, valid_from=data["valid_from"]
        ).exists():
            services.issuer_profile_save(data={**data, "unit": commission}, by=secretariat)
            profiles += 1
    campaigns = list(Campaign.objects.filter(organiser=province).order_by("year"))
    narratives = 0
    if len(campaigns) >= 2:
        last = campaigns[-2]
        if not ReportNarrative.objects.filter(campaign=last, kind=ReportKind.ANNUAL).exists():
            services.narrative_save(campaign=last, data=NARRATIVE, by=secretariat)
            narratives += 1
    plans = 0
    today = timezone.localdate()
    units = {u.code: u for u in Unit.objects.filter(code__in=[code for code, *_ in PLANS])}
    for campaign in campaigns[-2:]:
        for n, (code, number, title) in enumerate(PLANS, start=1):
            unit = units.get(code)
            if unit is None or UnitPlan.objects.filter(campaign=campaign, unit=unit).exists():
                continue
            services.unit_plan_save(
                campaign=campaign,
                unit=unit,
                data={
                    "number": number.format(n=n),
                    "date": _plan_date(campaign, today),
                    "title": title,
                },
                by=secretariat,
            )
            plans += 1
    return _("%(profiles)s issuer profiles, %(narratives)s narratives, %(plans)s unit plans") % {
        "profiles": profiles,
        "narratives": narratives,
        "plans": plans,
    }
