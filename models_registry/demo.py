"""Demo registrations for Hà Tĩnh: fields, last year's campaign with accepted models, and
this year's campaign open around today, with models in every state.

Dates are relative to the day the demo is loaded so that every page has something to
show. Idempotent: objects are matched by natural keys and never duplicated.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.activity import log_action
from danvan.enums import Role, UnitKind
from danvan.models import Unit, User

from . import services
from .enums import ModelKind, ModelStatus
from .forms import default_campaign_dates
from .models import Campaign, DvkModel, Field, Indicator

FIELDS = [
    ("Kinh tế", ["Phát triển sản xuất, giảm nghèo bền vững", "Xây dựng nông thôn mới",
                 "Chuyển đổi số", "Giải phóng mặt bằng"]),
    ("Văn hóa – xã hội", ["Bảo vệ môi trường", "An sinh xã hội", "Văn hóa, du lịch",
                          "Giáo dục, y tế"]),
    ("Quốc phòng – an ninh", ["An ninh trật tự", "Chủ quyền biên giới, biển đảo",
                              "Phòng chống tội phạm, tệ nạn"]),
    ("Xây dựng hệ thống chính trị", ["Cải cách hành chính", "Xây dựng Đảng, chính quyền",
                                     "Thực hiện dân chủ ở cơ sở"]),
]  # fmt: skip

# (unit code, field topic, kind, name, goals, content, status this year)
MODELS = [
    ("18073", "Bảo vệ môi trường", ModelKind.COLLECTIVE_MODEL,
     "Tổ dân phố xanh – sạch – đẹp, phân loại rác tại nguồn",
     "80% hộ dân phân loại rác tại nguồn; mỗi tuần một buổi tổng vệ sinh.",
     "Chi hội phụ nữ phụ trách từng tuyến đường; thi đua giữa các tổ dân phố."),
    ("18406", "Xây dựng nông thôn mới", ModelKind.COLLECTIVE_MODEL,
     "Dân vận khéo trong hiến đất mở rộng đường giao thông nông thôn",
     "Vận động 100% hộ dân hiến đất mở rộng 5 km đường thôn trong năm.",
     "Cán bộ thôn đến từng nhà, họp dân công khai phương án, người có uy tín làm trước."),
    ("18673", "Phát triển sản xuất, giảm nghèo bền vững", ModelKind.COLLECTIVE_MODEL,
     "Phụ nữ giúp nhau phát triển kinh tế, giảm nghèo bền vững",
     "Hỗ trợ 40 hội viên nghèo có sinh kế; 15 hộ thoát nghèo trong năm.",
     "Mỗi chi hội nhận đỡ đầu 2 hộ; góp vốn xoay vòng, chuyển giao giống và kỹ thuật."),
    ("42-SNNMT", "Chuyển đổi số", ModelKind.COLLECTIVE_MODEL,
     "Hướng dẫn nông dân bán nông sản trên sàn thương mại điện tử",
     "200 hộ có gian hàng trực tuyến; doanh thu qua mạng tăng 30%.",
     "Cán bộ khuyến nông cùng đoàn viên thanh niên cầm tay chỉ việc tại thôn."),
    ("18676", "An ninh trật tự", ModelKind.COLLECTIVE_EXEMPLAR,
     "Tổ tự quản an ninh trật tự bến cá",
     "Không để xảy ra trộm cắp, xô xát tại bến cá; giải quyết 100% mâu thuẫn tại chỗ.",
     "Ngư dân tự bầu tổ trưởng, trực luân phiên, phối hợp đồn biên phòng."),
]  # fmt: skip


# Figures this year's campaign asks every result report for, besides the standard ones.
DEMO_INDICATORS = [("Số hộ thoát nghèo", "hộ"), ("Số tin, bài tuyên truyền", "tin bài")]


def _commission() -> User | None:
    return (
        User.objects.filter(username="thuongtruc").first()
        or User.objects.filter(is_superuser=True).first()
    )


@transaction.atomic
def seed() -> dict:
    """Create the demo fields, campaigns and models that are missing."""
    province = Unit.objects.filter(kind=UnitKind.PROVINCE, code="42").first()
    secretariat = _commission()
    if province is None or secretariat is None:
        return _("skipped: the demo province or secretariat is missing")
    topics = {}
    for position, (name, children) in enumerate(FIELDS, start=1):
        parent, _created = Field.objects.get_or_create(
            parent=None, name=name, defaults={"position": position}
        )
        for child_position, child in enumerate(children, start=1):
            topic, _created = Field.objects.get_or_create(
                parent=parent, name=child, defaults={"position": child_position}
            )
            topics[child] = topic

    today = timezone.localdate()
    this_year = today.year
    created_models = 0
    last, _created = Campaign.objects.get_or_create(
        organiser=province,
        year=this_year - 1,
        defaults=_campaign_dates(this_year - 1, today=None),
    )
    current, current_created = Campaign.objects.get_or_create(
        organiser=province, year=this_year, defaults=_campaign_dates(this_year, today=today)
    )
    for position, (name, unit_label) in enumerate(DEMO_INDICATORS, start=1):
        Indicator.objects.get_or_create(
            campaign=current, name=name, defaults={"unit_label": unit_label, "position": position}
        )
    _seed_extensions(campaign=current, secretariat=secretariat)
    if current_created:
        current.focus_fields.set(
            [
                topics["Xây dựng nông thôn mới"],
                topics["Bảo vệ môi trường"],
                topics["Cải cách hành chính"],
            ]
        )

    statuses_now = [
        ModelStatus.ACCEPTED,
        ModelStatus.SUBMITTED,
        ModelStatus.RETURNED,
        ModelStatus.DRAFT,
        ModelStatus.ACCEPTED,
    ]
    for index, (code, topic, kind, name, goals, content) in enumerate(MODELS):
        unit = Unit.objects.filter(code=code).first()
        officer = User.objects.filter(unit=unit).first() if unit else None
        if unit is None:
            continue
        author = officer or secretariat
        earlier = _ensure_model(
            campaign=last,
            unit=unit,
            name=name,
            topic=topics[topic],
            kind=kind,
            goals=goals,
            content=content,
            author=author,
            reviewer=secretariat,
            status=ModelStatus.ACCEPTED,
        )
        created_models += earlier[1]
        _now, created = _ensure_model(
            campaign=current,
            unit=unit,
            name=name,
            topic=topics[topic],
            kind=kind,
            goals=goals,
            content=content,
            author=author,
            reviewer=secretariat,
            status=statuses_now[index],
            predecessor=earlier[0],
        )
        created_models += created
    created_models += _seed_replications(
        source=DvkModel.objects.filter(campaign=last, name=MODELS[2][3]).first(),
        campaign=current,
        topic=topics[MODELS[2][1]],
        reviewer=secretariat,
    )
    return _("%(campaigns)d campaigns, %(models)d demo models created") % {
        "campaigns": Campaign.objects.count(),
        "models": created_models,
    }


# Units that replicate last year's "Phụ nữ giúp nhau phát triển kinh tế" this year (the
# model's page shows "Được nhân rộng tại …"): (unit code, status this year).
REPLICATIONS = [("18073", ModelStatus.ACCEPTED), ("18676", ModelStatus.SUBMITTED)]


def _seed_replications(*, source, campaign, topic, reviewer) -> int:
    created_models = 0
    for code, status in REPLICATIONS if source is not None else []:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            continue
        _model, created = _ensure_model(
            campaign=campaign,
            unit=unit,
            name=f"Nhân rộng mô hình phụ nữ giúp nhau phát triển kinh tế tại {unit.name}",
            topic=topic,
            kind=ModelKind.COLLECTIVE_MODEL,
            goals="Học cách làm của đơn vị bạn: 20 hội viên nghèo có sinh kế trong năm.",
            content=source.content,
            author=User.objects.filter(unit=unit).first() or reviewer,
            reviewer=reviewer,
            status=status,
            replicates=source,
        )
        created_models += created
    return created_models


def _campaign_dates(year: int, *, today: datetime.date | None) -> dict:
    title = f"Phong trào thi đua “Dân vận khéo” năm {year}"
    if today is None:
        dates = default_campaign_dates(year)
        del dates["year"]
        return {"title": title, **dates}
    # This year's campaign is scoring now (evaluation's demo opens its round on exactly
    # these dates): registration closed a few days ago, and the units with a demo account
    # were given a later deadline (``_seed_extensions``), so that registration can still be
    # walked through. Each date follows the one before: nothing contradicts.
    day = datetime.timedelta(days=1)
    return {
        "title": title,
        "registration_opens": today - 90 * day,
        "registration_closes": today - 3 * day,
        "result_report_due": today - 1 * day,
        "scoring_opens": today,
        "scoring_closes": today + 20 * day,
        "honouring_date": today + 30 * day,
        "report_date": today + 45 * day,
    }


EXTENSION_REASON = "Địa phương vừa sắp xếp, sáp nhập; đề nghị gia hạn để hoàn thiện hồ sơ đăng ký."


def _seed_extensions(*, campaign, secretariat) -> None:
    """A later deadline for each unit with a demo officer account (once: a second run
    changes nothing), while the campaign's own registration has closed: ten days, well
    before scoring ends, so that a model registered meanwhile can still join the round."""
    until = timezone.localdate() + datetime.timedelta(days=10)
    if until <= campaign.registration_closes:
        return
    units = Unit.objects.filter(users__groups__name=Role.UNIT_OFFICER.value).distinct()
    for unit in units.exclude(deadline_extensions__campaign=campaign):
        services.campaign_extend_deadline(
            campaign=campaign, unit=unit, until=until, reason=EXTENSION_REASON, by=secretariat
        )


def _ensure_model(
    *,
    campaign,
    unit,
    name,
    topic,
    kind,
    goals,
    content,
    author,
    reviewer,
    status,
    predecessor=None,
    replicates=None,
):
    existing = DvkModel.objects.filter(campaign=campaign, unit=unit, name=name).first()
    if existing is not None:
        return existing, 0
    now = timezone.now()
    dvk_model = DvkModel.objects.create(
        campaign=campaign,
        unit=unit,
        name=name,
        field=topic,
        kind=kind,
        goals=goals,
        content=content,
        situation="Nhiều năm nay đây là việc khó của địa phương, người dân "
        "còn băn khoăn; cấp ủy chọn làm khâu đột phá.",
        area=f"Toàn địa bàn {unit.name}",
        forces="Cấp ủy lãnh đạo, chính quyền điều hành, "
        "MTTQ và các đoàn thể vận động, người dân thực hiện.",
        resources="Ngân sách hỗ trợ 50 triệu đồng; Nhân dân đóng góp ngày công và vật liệu.",
        timeline=f"Từ tháng 2 đến tháng 10 năm {campaign.year}; sơ kết tháng 6.",
        outputs="Số hộ tham gia, số km đường, số tiền và ngày công huy động (có biên bản).",
        sustainability="Đưa vào quy ước thôn xóm; nhân rộng ra các thôn còn lại.",
        lead_name=author.get_full_name(),
        lead_phone="0912 345 678",
        planned_start=datetime.date(campaign.year, 2, 1),
        planned_end=datetime.date(campaign.year, 10, 31),
        predecessor=predecessor,
        replicates=replicates,
        created_by=author,
    )
    log_action(
        dvk_model,
        "models_registry.dvkmodel.create",
        actor=author,
        data={"from": "", "to": ModelStatus.DRAFT},
        unit=unit,
    )
    if status == ModelStatus.DRAFT:
        return dvk_model, 1
    steps = [("submit", ModelStatus.DRAFT, ModelStatus.SUBMITTED, author, "")]
    if status == ModelStatus.ACCEPTED:
        steps.append(("accept", ModelStatus.SUBMITTED, ModelStatus.ACCEPTED, reviewer, ""))
    if status == ModelStatus.RETURNED:
        steps.append(
            (
                "return",
                ModelStatus.SUBMITTED,
                ModelStatus.RETURNED,
                reviewer,
                "Đề nghị bổ sung chỉ tiêu định lượng ở mục Mục tiêu và số liệu nguồn lực.",
            )
        )
    for verb, source, target, by, reason in steps:
        data = {"from": source, "to": target} | ({"reason": reason} if reason else {})
        log_action(dvk_model, f"models_registry.dvkmodel.{verb}", actor=by, data=data, unit=unit)
    DvkModel.objects.filter(pk=dvk_model.pk).update(
        status=status,
        submitted_at=now,
        accepted_at=now if status == ModelStatus.ACCEPTED else None,
        return_reason=steps[-1][4] if status == ModelStatus.RETURNED else "",
        resubmit_deadline=(timezone.localdate() + datetime.timedelta(days=14))
        if status == ModelStatus.RETURNED
        else None,
    )
    return dvk_model, 1
