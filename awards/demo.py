"""Demo awards for Hà Tĩnh, through the services: award types; for last year's finalised
round a proposal, an issued decision of the provincial People's Committee for its exemplary
models, a decision of the commission with Giấy khen for two collectives and one
individual, a separate small decision revoked, and a 15/10 honouring event; the honouring
cadence per level (communes twice and the province once every five years, on 15/10).

Idempotent: award types are matched by code, cadences by level, the rest by the round's
proposal.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.enums import UnitKind
from danvan.models import Unit, User
from evaluation.enums import RoundStatus
from evaluation.models import Result, Round

from . import services
from .enums import DecisionStatus, EventLevel, IssuingLevel, Numbering, Occasion, Proposer
from .enums import RecipientKind as Kind
from .models import AwardType, HonouringCadence, Proposal

# (code, name, level, issuer, proposer, default amount, formal award)
AWARD_TYPES = [
    ("BD", "Biểu dương", IssuingLevel.COMMISSION, "Ban Chỉ đạo", Proposer.ANY, None, False),
    ("VD", "Vinh danh", IssuingLevel.PROVINCE, "Ban Chỉ đạo tỉnh", Proposer.ANY, None, False),
    ("GCN-TB", "Giấy chứng nhận mô hình, điển hình “Dân vận khéo” tiêu biểu",
     IssuingLevel.COMMISSION, "Ban Tuyên giáo và Dân vận Tỉnh ủy", Proposer.COMMISSION,
     None, False),
    ("GK-BTGDV", "Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy", IssuingLevel.COMMISSION,
     "Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy", Proposer.COMMISSION, 500_000, False),
    ("GK-CTX", "Giấy khen của Chủ tịch Ủy ban nhân dân xã", IssuingLevel.COMMUNE,
     "Chủ tịch Ủy ban nhân dân xã", Proposer.COMMUNE, 400_000, True),
    ("GK-MTTQ", "Giấy khen của Ủy ban MTTQ Việt Nam tỉnh", IssuingLevel.FRONT,
     "Ủy ban MTTQ Việt Nam tỉnh", Proposer.FRONT, 500_000, False),
    ("BK-CTUBND", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", IssuingLevel.PROVINCE,
     "Chủ tịch Ủy ban nhân dân tỉnh", Proposer.COMMISSION, 1_500_000, True),
    ("BK-BTV", "Bằng khen của Ban Thường vụ Tỉnh ủy", IssuingLevel.PARTY,
     "Ban Thường vụ Tỉnh ủy", Proposer.COMMISSION, 1_500_000, True),
]  # fmt: skip


# (level, events per period, period in years, usual day, usual month, note) — Hà Tĩnh's
# directive; periods follow the five-year phases (2021–2025, 2026–2030).
CADENCES = [
    (EventLevel.COMMUNE, 2, 5, None, None,
     "Cấp xã biểu dương, vinh danh 2 lần trong 5 năm (Hà Tĩnh)."),
    (EventLevel.PROVINCE, 1, 5, 15, 10,
     "Cấp tỉnh biểu dương, vinh danh 1 lần trong 5 năm, vào dịp 15/10 (Hà Tĩnh)."),
]  # fmt: skip


def _cadences() -> None:
    """One row per level, left alone once it exists (the administrator may have changed it)."""
    for level, per_period, years, day, month, note in CADENCES:
        HonouringCadence.objects.get_or_create(
            level=level,
            defaults={
                "events_per_period": per_period,
                "period_years": years,
                "base_year": 2021,
                "usual_day": day,
                "usual_month": month,
                "note": note,
            },
        )


def award_type_data(position: int, row: tuple) -> dict:
    """The form data of ``AWARD_TYPES``' row at ``position`` (from 1), for
    ``services.award_type_save`` (the demo and ``seed_scale`` make the same types)."""
    code, name, level, issuer, proposer, amount, formal = row
    return {
        "name": name,
        "short_code": code,
        "issuing_level": level,
        "issuer_description": issuer,
        "proposed_by": proposer,
        "default_amount": amount,
        "is_formal_award": formal,
        "position": position,
    }


def _award_types(by) -> dict[str, AwardType]:
    types = {}
    for position, row in enumerate(AWARD_TYPES, start=1):
        code = row[0]
        existing = AwardType.objects.filter(short_code=code).first()
        if existing is None:
            existing = services.award_type_save(data=award_type_data(position, row), by=by)
        types[code] = existing
    return types


@transaction.atomic
def seed() -> str:
    province = Unit.objects.filter(kind=UnitKind.PROVINCE, code="42").first()
    commission = Unit.objects.filter(code="42-BTGDV").first()
    secretariat = User.objects.filter(username="thuongtruc").first()
    _cadences()
    if province is None or commission is None or secretariat is None:
        return _("skipped: the demo province or accounts are missing")
    types = _award_types(secretariat)
    round_ = (
        Round.objects.filter(scope_unit=province, status=RoundStatus.FINALISED)
        .select_related("campaign")
        .order_by("-campaign__year")
        .first()
    )
    if round_ is None or Proposal.objects.filter(round=round_).exists():
        return _("%(types)d award types") % {"types": len(types)}
    campaign = round_.campaign
    year = campaign.year
    proposal = services.proposal_create_from_round(
        round=round_, by=secretariat, award_type=types["BK-CTUBND"]
    )
    services.proposal_send(proposal=proposal, by=secretariat)
    # The People's Committee's decision on the commission's proposal (exemplary models).
    exemplary = set(
        Result.objects.filter(round=round_, exemplary=True).values_list("dvk_model_id", flat=True)
    )
    state = {
        "doc_type": "QĐ",
        "issuer_code": "UBND",
        "numbering": Numbering.STATE,
        "issuing_authority": "Ủy ban nhân dân tỉnh Hà Tĩnh",
        "issuer": province,
        "signer_name": "Nguyễn Văn Hùng",
        "signer_title": "Chủ tịch Ủy ban nhân dân tỉnh",
        "occasion": Occasion.YEAR_END,
        "reason": "Đã có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo”",
    }
    big = services.decision_create_from_proposal(
        proposal=proposal,
        data={**state, "number": 1034, "date": datetime.date(year, 12, 20)},
        by=secretariat,
    )
    # Recognised but not exemplary models are not part of the Committee's decision.
    for award in big.awards.exclude(dvk_model_id__in=exemplary):
        services.award_remove(award=award, by=secretariat)
    if big.awards.exists():
        services.decision_issue(decision=big, by=secretariat)
    # The commission's Giấy khen for two collectives and one individual.
    party = {
        "doc_type": "QĐ",
        "issuer_code": "BTGDVTU",
        "numbering": Numbering.PARTY,
        "issuing_authority": "Ban Tuyên giáo và Dân vận Tỉnh ủy Hà Tĩnh",
        "issuer": commission,
        "signer_name": "Trần Thị Mai",
        "signer_title": "Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy",
        "occasion": Occasion.OCT15,
    }
    small = services.decision_create(
        data={**party, "number": 125, "date": datetime.date(year, 10, 10)},
        campaigns=[campaign],
        by=secretariat,
    )
    collectives = list(
        Unit.objects.filter(parent=province, kind=UnitKind.COMMUNE).order_by("code")[:2]
    )
    giay_khen = types["GK-BTGDV"]
    for unit in collectives:
        services.award_add(
            decision=small,
            data={
                "recipient_kind": Kind.COLLECTIVE,
                "unit": unit,
                "award_type": giay_khen,
                "achievement": "Đã có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo”",
            },
            by=secretariat,
        )
    services.award_add(
        decision=small,
        data={
            "recipient_kind": Kind.INDIVIDUAL,
            "person_name": "Phan Thị Hằng",
            "person_position": "Chủ tịch Hội Liên hiệp Phụ nữ xã",
            "unit": collectives[0] if collectives else None,
            "award_type": giay_khen,
            "achievement": "Đã có thành tích xuất sắc trong vận động Nhân dân hiến đất làm đường",
        },
        by=secretariat,
    )
    services.decision_issue(decision=small, by=secretariat)
    # A separate small decision, issued by mistake for the same person, then revoked.
    wrong = services.decision_create(
        data={
            **party,
            "number": 131,
            "date": datetime.date(year, 10, 20),
            "occasion": Occasion.OTHER,
        },
        campaigns=[campaign],
        by=secretariat,
    )
    services.award_add(
        decision=wrong,
        data={
            "recipient_kind": Kind.INDIVIDUAL,
            "person_name": "Lê Văn Tâm",
            "person_position": "Bí thư Chi bộ thôn",
            "unit": collectives[-1] if collectives else None,
            "award_type": giay_khen,
            "achievement": "Đã có thành tích trong phong trào thi đua “Dân vận khéo”",
        },
        by=secretariat,
    )
    services.decision_issue(decision=wrong, by=secretariat)
    services.decision_revoke(
        decision=wrong,
        reason="Trùng với đề nghị khen thưởng của cấp xã; thu hồi theo đề nghị của Hội đồng Thi đua – Khen thưởng.",
        by=secretariat,
    )
    big.refresh_from_db()
    presented = list(big.awards.all()) if big.status == DecisionStatus.ISSUED else []
    presented += list(small.awards.all())
    services.honouring_event_save(
        data={
            "name": f"Hội nghị biểu dương, vinh danh mô hình, điển hình “Dân vận khéo” năm {year}",
            "date": datetime.date(year, 10, 15),
            "level": EventLevel.PROVINCE,
            "place": "Hội trường Tỉnh ủy Hà Tĩnh",
            "unit": province,
        },
        awards=presented,
        by=secretariat,
    )
    return _("%(types)d award types, 1 proposal, 3 decisions, 1 honouring event") % {
        "types": len(types)
    }
