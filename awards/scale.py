"""Benchmark data (``seed_scale``): award types and, for every finalised round, an issued
decision of the province's People's Committee awarding its best tenth of models.

A decision is created through the service; its awards are bulk-written, then it is marked
issued as ``decision_issue`` would, with the same activity row — but without that
service's double-award check, one query per award (the data has no double award: each
model is awarded once). See ``danvan.scale``.
"""

from __future__ import annotations

import datetime

from danvan.activity import log_action
from danvan.models import Unit, User
from danvan.scale import ScalePlan, bulk
from evaluation.enums import RoundStatus
from evaluation.models import Result, Round

from . import services
from .demo import AWARD_TYPES, award_type_data
from .enums import DecisionStatus, Numbering, Occasion, RecipientKind
from .models import Award, AwardType, Decision

SHARE = 10  # one model in SHARE receives an award
ACHIEVEMENT = "Đã có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo”"


def _award_types(by: User) -> dict[str, AwardType]:
    types = {}
    for position, row in enumerate(AWARD_TYPES, start=1):
        types[row[0]] = services.award_type_save(data=award_type_data(position, row), by=by)
    return types


def _issue(decision: Decision, by: User) -> None:
    issued_at = datetime.datetime.combine(decision.date, datetime.time(9), tzinfo=datetime.UTC)
    Decision.objects.filter(pk=decision.pk).update(
        status=DecisionStatus.ISSUED, issued_at=issued_at
    )
    log_action(
        decision,
        "awards.decision.issue",
        actor=by,
        data={"from": DecisionStatus.DRAFT, "to": DecisionStatus.ISSUED},
        unit=decision.issuer,
    )


def seed(plan: ScalePlan, made: dict) -> dict:
    """Award types; per finalised round one issued decision. Puts ``decisions`` (ids) in
    ``made``."""
    admin = User.objects.get(pk=made["admin"])
    types = _award_types(admin)
    award_type = types["BK-CTUBND"]
    provinces = {p["index"]: p for p in made["provinces"]}
    made["decisions"] = []
    awards = 0
    for campaign_id, rounds in made.get("rounds", {}).items():
        for index, round_id in rounds.items():
            round_ = Round.objects.select_related("campaign").get(pk=round_id)
            if round_.status != RoundStatus.FINALISED:
                continue
            province = provinces[index]
            secretariat = User.objects.get(pk=province["secretariat"])
            year = round_.campaign.year
            decision = services.decision_create(
                data={
                    "number": 1000 + year % 100,
                    "doc_type": "QĐ",
                    "issuer_code": "UBND",
                    "numbering": Numbering.STATE,
                    "issuing_authority": f"Ủy ban nhân dân {province['name'].lower()}",
                    "issuer": Unit.objects.get(pk=province["id"]),
                    "signer_name": "Nguyễn Văn Hùng",
                    "signer_title": "Chủ tịch Ủy ban nhân dân tỉnh",
                    "occasion": Occasion.YEAR_END,
                    "reason": ACHIEVEMENT,
                    "date": datetime.date(year, 12, 20),
                },
                campaigns=[round_.campaign],
                by=secretariat,
            )
            best = Result.objects.filter(round=round_).order_by("rank", "pk")
            count = max(1, best.count() // SHARE)
            rows = bulk(
                Award,
                [
                    Award(
                        decision=decision,
                        campaign_id=campaign_id,
                        recipient_kind=RecipientKind.MODEL,
                        dvk_model_id=model_id,
                        award_type=award_type,
                        achievement=ACHIEVEMENT,
                        amount=award_type.default_amount or 0,
                        position=n,
                    )
                    for n, model_id in enumerate(
                        best.values_list("dvk_model_id", flat=True)[:count], start=1
                    )
                ],
            )
            _issue(decision, secretariat)
            made["decisions"].append(decision.pk)
            awards += len(rows)
    return {"award types": len(types), "decisions": len(made["decisions"]), "awards": awards}
