"""Benchmark data (``seed_scale``): fields, campaigns and their models, in bulk.

Province: a campaign per year (the current one and the ones before), organised by the
province. National: one campaign of the current year organised by the national
commission, its models spread over the provinces. Past campaigns' models are all
accepted; the current campaign also has drafts, submitted and returned models (the
intake's work), the first six of the first province at ``scale.xa``'s commune. Every
model gets the activity rows its workflow would have written (create, submit, accept or
return), dated inside the campaign. See ``danvan.scale`` for the rules every loader keeps.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType

from danvan.models import ActivityLog
from danvan.scale import ScalePlan, bulk, insert, rng
from danvan.utils import fold_vietnamese

from .demo import FIELDS
from .enums import ModelKind, ModelStatus
from .forms import default_campaign_dates
from .models import Campaign, DeadlineExtension, DvkModel, Field

ACTION = "models_registry.dvkmodel"
DAY = datetime.timedelta(days=1)

PHRASES = [
    "con đường hoa nông thôn mới", "tiết kiệm vì phụ nữ nghèo", "camera an ninh khu dân cư",
    "hiến đất làm đường giao thông", "chuyển đổi số thanh toán không dùng tiền mặt",
    "tổ tự quản bảo vệ môi trường", "dòng họ khuyến học", "vận động đồng bào xây nhà vệ sinh",
    "phân loại rác tại nguồn", "sinh kế cho hộ cận nghèo", "bữa cơm nghĩa tình",
    "tuyến đường tự quản an toàn giao thông", "nhà văn hóa thôn xanh – sạch – đẹp",
    "ngư dân bám biển giữ ngư trường", "dịch vụ công trực tuyến đến từng hộ",
    "hòa giải ở cơ sở", "vườn mẫu nông thôn mới", "tủ sách cộng đồng",
]  # fmt: skip
PREFIXES = ["Mô hình", "Dân vận khéo trong", "Phong trào", "Tổ"]
GOALS = [
    "{n}% hộ dân tham gia; mỗi tháng một buổi ra quân.",
    "Vận động {n} hộ đóng góp ngày công, kinh phí trong năm.",
    "Giảm {n}% số vụ việc phát sinh so với năm trước.",
    "Hỗ trợ {n} hộ có sinh kế ổn định, không tái nghèo.",
]
METHODS = [
    "Cán bộ thôn đến từng nhà, họp dân công khai phương án, người có uy tín làm trước.",
    "Chi hội phụ nữ phụ trách từng tuyến đường; thi đua giữa các thôn, tổ dân phố.",
    "Đoàn viên thanh niên cầm tay chỉ việc; kết quả được niêm yết tại nhà văn hóa.",
    "Mặt trận chủ trì, các đoàn thể phối hợp; Nhân dân bàn, Nhân dân làm, Nhân dân kiểm tra.",
]
RETURN_REASON = "Bổ sung số liệu kiểm chứng và xác nhận của cấp ủy cơ sở."


def _fields() -> list[int]:
    """The demo's fields and topics (the same names every deployment starts from); the
    topics' ids, which models are filed under."""
    parents = bulk(
        Field, [Field(name=name, position=n) for n, (name, _t) in enumerate(FIELDS, start=1)]
    )
    topics = bulk(
        Field,
        [
            Field(name=topic, parent=parent, position=n)
            for parent, (_name, children) in zip(parents, FIELDS, strict=True)
            for n, topic in enumerate(children, start=1)
        ],
    )
    return [topic.pk for topic in topics]


def _campaigns(plan: ScalePlan, made: dict, today: datetime.date) -> list[Campaign]:
    organisers = [made["root"]] if plan.national else [made["provinces"][0]["id"]]
    campaigns = []
    for year in range(today.year - plan.years + 1, today.year + 1):
        current = year == today.year
        if current:
            # As in the demo: registration closed a few days ago, scoring opens today
            # (``scale.xa``'s commune has a later deadline, below).
            dates = {
                "registration_opens": today - 90 * DAY,
                "registration_closes": today - 3 * DAY,
                "result_report_due": today - DAY,
                "scoring_opens": today,
                "scoring_closes": today + 20 * DAY,
                "honouring_date": today + 30 * DAY,
                "report_date": today + 45 * DAY,
            }
        else:
            dates = default_campaign_dates(year)
            del dates["year"]
        for organiser in organisers:
            campaigns.append(
                Campaign(
                    year=year,
                    title=f"Phong trào thi đua “Dân vận khéo” năm {year}",
                    organiser_id=organiser,
                    **dates,
                )
            )
    return bulk(Campaign, campaigns)


def _share(total: int, parts: int, index: int) -> int:
    return total // parts + (1 if index < total % parts else 0)


def _status(generator, current: bool) -> str:
    if not current:
        return ModelStatus.ACCEPTED
    draw = generator.random()
    if draw < 0.05:
        return ModelStatus.DRAFT
    if draw < 0.11:
        return ModelStatus.SUBMITTED
    if draw < 0.15:
        return ModelStatus.RETURNED
    return ModelStatus.ACCEPTED


# The first models of the current campaign in the first province: scale.xa's commune,
# one of each state.
XA_STATUSES = [
    ModelStatus.DRAFT,
    ModelStatus.SUBMITTED,
    ModelStatus.RETURNED,
    ModelStatus.ACCEPTED,
    ModelStatus.ACCEPTED,
    ModelStatus.ACCEPTED,
]


def _moment(day: datetime.date, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(8), tzinfo=datetime.UTC) + (
        datetime.timedelta(minutes=minute)
    )


def _models(plan, made, campaign, topics, previous, generator) -> tuple[dict, int]:
    """One campaign's models and their activity, province by province (written as it
    goes, to keep memory flat at national scale); returns ``{province index: [model
    ids]}`` of the accepted ones and the number of activity rows."""
    current = campaign.year == made["today"].year
    accepted: dict[int, list[int]] = {}
    activity = 0
    for province in made["provinces"]:
        index = province["index"]
        count = _share(plan.models_per_campaign, plan.provinces, index)
        before = previous.get(index, [])
        rows, registered_on = [], []
        span = max(1, (campaign.registration_closes - campaign.registration_opens).days - 5)
        for i in range(count):
            forced = current and index == 0 and i < len(XA_STATUSES)
            status = XA_STATUSES[i] if forced else _status(generator, current)
            unit_id = province["communes"][0] if forced else generator.choice(
                province["registering"]
            )  # fmt: skip
            phrase = generator.choice(PHRASES)
            name = f"{generator.choice(PREFIXES)} “{phrase}” số {i + 1}"
            lead_name = f"Cán bộ phụ trách {i % 97 + 1}"
            registered = campaign.registration_opens + generator.randrange(span) * DAY
            submitted = None if status == ModelStatus.DRAFT else _moment(registered + 2 * DAY, i)
            rows.append(
                {
                    "campaign_id": campaign.pk,
                    "unit_id": unit_id,
                    "kind": ModelKind.COLLECTIVE_EXEMPLAR
                    if generator.random() < 0.25
                    else ModelKind.COLLECTIVE_MODEL,
                    "field_id": generator.choice(topics),
                    "status": status,
                    "name": name,
                    "goals": generator.choice(GOALS).format(n=generator.randint(20, 95)),
                    "content": generator.choice(METHODS),
                    "area": f"Nhân dân trên địa bàn; {generator.randint(40, 900)} hộ.",
                    "lead_name": lead_name,
                    "lead_phone": f"09{generator.randrange(10**8):08d}",
                    "submitted_at": submitted,
                    "accepted_at": _moment(registered + 9 * DAY, i)
                    if status == ModelStatus.ACCEPTED
                    else None,
                    "return_reason": RETURN_REASON if status == ModelStatus.RETURNED else "",
                    "resubmit_deadline": campaign.registration_closes + 14 * DAY
                    if status == ModelStatus.RETURNED
                    else None,
                    "replicates_id": before[i] if i % 20 == 3 and i < len(before) else None,
                    "predecessor_id": before[i] if i % 10 == 5 and i < len(before) else None,
                    "created_by_id": province["officer"]
                    if unit_id == province["communes"][0]
                    else province["secretariat"],
                    # What DvkModel.save() keeps (name, person's name, lead's name).
                    "search_text": fold_vietnamese(f"{name} {lead_name}"),
                    "created_at": _moment(registered, i),
                    "updated_at": _moment(registered + 9 * DAY, i),
                }
            )
            registered_on.append(registered)
        ids = insert(DvkModel, rows, returning=True)
        accepted[index] = [
            pk for pk, row in zip(ids, rows, strict=True) if row["status"] == ModelStatus.ACCEPTED
        ]
        logs = [
            log
            for i, (pk, row) in enumerate(zip(ids, rows, strict=True))
            for log in _activity(pk, row, registered_on[i], province, i)
        ]
        activity += len(logs)
        insert(ActivityLog, logs)
    return accepted, activity


def _activity(pk: int, model: dict, registered, province: dict, i: int) -> list[dict]:
    """What the services would have logged: create, then submit, then accept or return."""
    author, secretariat = model["created_by_id"], province["secretariat"]
    steps = [("create", author, {"from": "", "to": ModelStatus.DRAFT}, _moment(registered, i))]
    if model["submitted_at"]:
        steps.append(
            ("submit", author, {"from": ModelStatus.DRAFT, "to": ModelStatus.SUBMITTED},
             model["submitted_at"])
        )  # fmt: skip
    if model["status"] == ModelStatus.ACCEPTED:
        steps.append(
            ("accept", secretariat, {"from": ModelStatus.SUBMITTED, "to": ModelStatus.ACCEPTED},
             model["accepted_at"])
        )  # fmt: skip
    elif model["status"] == ModelStatus.RETURNED:
        steps.append(
            ("return", secretariat,
             {"from": ModelStatus.SUBMITTED, "to": ModelStatus.RETURNED, "reason": RETURN_REASON,
              "resubmit_by": model["resubmit_deadline"].isoformat()},
             model["submitted_at"] + DAY)
        )  # fmt: skip
    content_type = ContentType.objects.get_for_model(DvkModel).pk
    return [
        {
            "timestamp": when,
            "actor_id": actor,
            "content_type_id": content_type,
            "object_id": pk,
            "object_repr": model["name"],  # str(DvkModel), as log_action keeps it
            "action": f"{ACTION}.{verb}",
            "data": data,
            "unit_id": model["unit_id"],
        }
        for verb, actor, data, when in steps
    ]


def seed(plan: ScalePlan, made: dict) -> dict:
    """Fields, campaigns, models and their activity. Puts in ``made``: ``today``,
    ``campaigns`` (ids by year, oldest first), ``current_campaign`` and ``accepted``
    (``{campaign id: {province index: [accepted model ids]}}``)."""
    from danvan.dates import today as today_

    made["today"] = today_()
    generator = rng(plan, "models")
    topics = _fields()
    campaigns = _campaigns(plan, made, made["today"])
    made["campaigns"] = [c.pk for c in campaigns]
    made["current_campaign"] = campaigns[-1].pk
    made["accepted"] = {}
    first = made["provinces"][0]
    bulk(
        DeadlineExtension,
        [
            DeadlineExtension(
                campaign=campaigns[-1],
                unit_id=first["communes"][0],
                registration_closes=made["today"] + 14 * DAY,
                reason="Địa phương vừa sắp xếp, sáp nhập; đề nghị gia hạn để hoàn thiện hồ sơ.",
                granted_by_id=first["secretariat"],
            )
        ],
    )
    previous: dict = {}
    models = activity = 0
    for campaign in campaigns:
        accepted, logged = _models(plan, made, campaign, topics, previous, generator)
        made["accepted"][campaign.pk] = accepted
        previous = accepted
        models += DvkModel.objects.filter(campaign=campaign).count()
        activity += logged
    return {
        "fields": len(topics),
        "campaigns": len(campaigns),
        "models": models,
        "activity rows": activity,
    }
