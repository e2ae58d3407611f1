"""Hand-built data for the report statistics: a province with a department, the Front
with a mass organisation, the armed forces, a commission, two communes (one with a
village) and a historic district dissolved into a commune; campaigns of two years with
registered models, finalised results and awards, and a secretariat user."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from awards.enums import DecisionStatus, RecipientKind
from awards.models import Award
from danvan.enums import Role, SuccessionKind, UnitKind
from danvan.models import UnitSuccession
from evaluation.enums import RoundStatus
from evaluation.models import Result
from models_registry.enums import ModelKind, ModelStatus
from models_registry.models import Campaign, DvkModel
from tests.factories import (
    AwardTypeFactory,
    DecisionFactory,
    DvkModelFactory,
    FieldFactory,
    RoundEntryFactory,
    RoundFactory,
    UnitFactory,
    UserFactory,
)

YEAR = 2025


def campaign_for(organiser, year):
    return Campaign.objects.create(
        year=year,
        title=f"Phong trào thi đua “Dân vận khéo” năm {year}",
        organiser=organiser,
        registration_opens=datetime.date(year, 1, 10),
        registration_closes=datetime.date(year, 3, 31),
        result_report_due=datetime.date(year, 9, 30),
        scoring_opens=datetime.date(year, 10, 1),
        scoring_closes=datetime.date(year, 10, 20),
        report_date=datetime.date(year, 12, 5),
    )


def registered(campaign, unit, name, *, status=ModelStatus.ACCEPTED, by=None, **kwargs):
    """A model in ``status``, written directly: statistics read states, not workflows."""
    if by is not None:
        kwargs["created_by"] = by
    dvk_model = DvkModelFactory(campaign=campaign, unit=unit, name=name, **kwargs)
    DvkModel.objects.filter(pk=dvk_model.pk).update(status=status)
    dvk_model.refresh_from_db()
    return dvk_model


def finalised_round(campaign, scope_unit, results, *, by):
    """A finalised round of ``scope_unit`` with ``results``: (model, score, tier,
    recognised, exemplary) tuples."""
    round_ = RoundFactory(campaign=campaign, scope_unit=scope_unit, created_by=by)
    for dvk_model, score, tier, recognised, exemplary in results:
        entry = RoundEntryFactory(round=round_, dvk_model=dvk_model)
        Result.objects.create(
            round=round_,
            entry=entry,
            dvk_model=dvk_model,
            sheet_count=2,
            score_used=Decimal(score),
            tier_name=tier,
            aggregation="mean",
            rank_by="raw",
            recognised=recognised,
            exemplary=exemplary,
        )
    round_.status = RoundStatus.FINALISED
    round_.save(update_fields=["status"])
    return round_


def decision_with(
    campaign, issuer, awards, *, status=DecisionStatus.ISSUED, authority=None, by=None
):
    decision = DecisionFactory(
        issuer=issuer,
        **({"created_by": by} if by is not None else {}),
        campaigns=[campaign],
        date=datetime.date(campaign.year, 10, 15),
        issuing_authority=authority or "Ủy ban nhân dân tỉnh",
    )
    for position, (award_type, kind, target) in enumerate(awards):
        Award.objects.create(
            decision=decision,
            campaign=campaign,
            recipient_kind=kind,
            dvk_model=target if kind == RecipientKind.MODEL else None,
            unit=target if kind == RecipientKind.COLLECTIVE else None,
            person_name=target if kind == RecipientKind.INDIVIDUAL else "",
            award_type=award_type,
            achievement="Có thành tích xuất sắc",
            position=position,
        )
    decision.status = status
    decision.revoked_reason = "Sai đối tượng" if status == DecisionStatus.REVOKED else ""
    decision.save(update_fields=["status", "revoked_reason"])
    return decision


@pytest.fixture
def tree(db):
    province = UnitFactory(name="Tỉnh Hà Tĩnh", kind=UnitKind.PROVINCE)
    commission = UnitFactory(
        name="Ban Tuyên giáo và Dân vận Tỉnh ủy",
        kind=UnitKind.PARTY_BODY,
        parent=province,
        oversees=province,
    )
    return SimpleNamespace(
        province=province,
        commission=commission,
        department=UnitFactory(name="Sở Y tế", kind=UnitKind.DEPARTMENT, parent=province),
        front=UnitFactory(
            name="Ủy ban MTTQ Việt Nam tỉnh", kind=UnitKind.MASS_ORGANISATION, parent=province
        ),
        police=UnitFactory(name="Công an tỉnh", kind=UnitKind.ARMED_FORCES, parent=province),
        commune_a=UnitFactory(name="Xã Đức Thọ", kind=UnitKind.COMMUNE, parent=province),
        commune_b=UnitFactory(
            name="Xã Can Lộc",
            kind=UnitKind.COMMUNE,
            parent=province,
            valid_from=datetime.date(2025, 7, 1),
        ),
        district=UnitFactory(
            name="Huyện Can Lộc",
            kind=UnitKind.DISTRICT,
            parent=province,
            active=False,
            valid_to=datetime.date(2025, 6, 30),
        ),
        secretariat=UserFactory(unit=commission, roles=[Role.SECRETARIAT]),
    )


@pytest.fixture
def world(tree):
    """Two campaigns of the province. In 2025: 6 registered models (one returned, one
    submitted), a draft that does not count; 2024: 3 models. A finalised provincial
    round, an issued decision with three awards, a revoked and a draft decision."""
    t = tree
    t.village = UnitFactory(name="Thôn 1", kind=UnitKind.RESIDENTIAL, parent=t.commune_a)
    t.women = UnitFactory(
        name="Hội Liên hiệp Phụ nữ xã Đức Thọ", kind=UnitKind.MASS_ORGANISATION, parent=t.commune_a
    )
    UnitSuccession.objects.create(
        predecessor=t.district,
        successor=t.commune_b,
        kind=SuccessionKind.DISSOLVED,
        effective_date=datetime.date(2025, 7, 1),
    )
    t.economy = FieldFactory(name="Kinh tế", position=1)
    t.society = FieldFactory(name="Văn hóa – xã hội", position=2)
    t.topic = FieldFactory(name="Xây dựng nông thôn mới", parent=t.economy)
    t.previous = campaign_for(t.province, YEAR - 1)
    t.campaign = campaign_for(t.province, YEAR)
    prev = t.previous
    by = t.secretariat
    t.old_road = registered(prev, t.district, "Đường làng hiến đất", field=t.topic, by=by)
    t.old_health = registered(prev, t.department, "Y tế thân thiện", field=t.society, by=by)
    registered(prev, t.commune_a, "Chợ văn minh", field=t.economy, by=by)
    c = t.campaign
    t.road = registered(
        c, t.commune_b, "Đường làng hiến đất", field=t.topic, predecessor=t.old_road, by=by
    )
    t.health = registered(
        c, t.department, "Áo xanh tình nguyện", field=t.society, replicates=t.old_health, by=by
    )
    t.clinic = registered(
        c, t.village, "Ấm áp tình làng", field=t.society, status=ModelStatus.SUBMITTED, by=by
    )
    t.women_model = registered(
        c,
        t.women,
        "Bếp ăn nghĩa tình",
        field=t.economy,
        kind=ModelKind.COLLECTIVE_EXEMPLAR,
        by=by,
    )
    t.hero = registered(
        c,
        t.police,
        "Ông Nguyễn Văn Ánh",
        field=None,
        individual=True,
        status=ModelStatus.RETURNED,
        by=by,
    )
    t.front_model = registered(c, t.front, "Dân vận khéo trong hòa giải", field=t.society, by=by)
    t.draft = registered(
        c, t.commune_a, "Bản nháp", field=t.economy, status=ModelStatus.DRAFT, by=by
    )
    t.round = finalised_round(
        c,
        t.province,
        [
            (t.road, 95, "Xuất sắc", True, True),
            (t.health, 85, "Tốt", True, False),
            (t.women_model, 91, "Xuất sắc", True, True),
            (t.front_model, 40, "Không đạt", False, False),
        ],
        by=t.secretariat,
    )
    t.bang_khen = AwardTypeFactory(name="Bằng khen của Chủ tịch UBND tỉnh", position=1)
    t.giay_khen = AwardTypeFactory(name="Giấy khen của Ban Tuyên giáo và Dân vận", position=2)
    decision_with(
        c,
        t.province,
        [
            (t.bang_khen, RecipientKind.MODEL, t.road),
            (t.bang_khen, RecipientKind.MODEL, t.women_model),
            (t.bang_khen, RecipientKind.INDIVIDUAL, "Trần Thị Hoa"),
        ],
        by=by,
    )
    decision_with(
        c,
        t.commission,
        [(t.giay_khen, RecipientKind.COLLECTIVE, t.commune_a)],
        authority="Ban Tuyên giáo và Dân vận Tỉnh ủy",
        by=by,
    )
    decision_with(
        c,
        t.province,
        [(t.giay_khen, RecipientKind.MODEL, t.health)],
        status=DecisionStatus.REVOKED,
        by=by,
    )
    decision_with(
        c,
        t.province,
        [(t.giay_khen, RecipientKind.MODEL, t.health)],
        status=DecisionStatus.DRAFT,
        by=by,
    )
    return t
