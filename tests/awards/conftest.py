"""A finalised round (one exemplary, one recognised, one not recognised model), its
secretariat and an award type, for every awards test."""

import datetime
from types import SimpleNamespace

import pytest

from awards import services
from awards.enums import Numbering, Occasion, RecipientKind
from evaluation import services as evaluation_services
from tests.evaluation.helpers import scored_round
from tests.factories import AwardTypeFactory, CampaignFactory, CommitteeFactory, RoundFactory
from tests.factories.registry import secretariat_for


@pytest.fixture
def world(db):
    campaign = CampaignFactory()
    secretariat = secretariat_for(campaign)
    round_ = RoundFactory(campaign=campaign, created_by=secretariat)
    committee = CommitteeFactory(unit=campaign.organiser)
    entries, _members = scored_round(round_, committee, [[95], [60], [30]], by=secretariat)
    evaluation_services.round_finalise(round=round_, by=secretariat)
    round_.refresh_from_db()
    models = [entry.dvk_model for entry in entries]
    return SimpleNamespace(
        campaign=campaign,
        province=campaign.organiser,
        secretariat=secretariat,
        round=round_,
        exemplary=models[0],
        recognised=models[1],
        failed=models[2],
        award_type=AwardTypeFactory(default_amount=1_500_000),
    )


def decision_data(world, **changes):
    data = {
        "number": 1034,
        "doc_type": "QĐ",
        "issuer_code": "UBND",
        "numbering": Numbering.STATE,
        "date": datetime.date.today(),
        "issuing_authority": "Ủy ban nhân dân tỉnh",
        "issuer": world.province,
        "signer_name": "Nguyễn Văn Hùng",
        "signer_title": "Chủ tịch",
        "occasion": Occasion.YEAR_END,
    }
    data.update(changes)
    return data


def new_decision(world, **changes):
    return services.decision_create(
        data=decision_data(world, **changes), campaigns=[world.campaign], by=world.secretariat
    )


def model_award(world, dvk_model=None, **changes):
    data = {
        "recipient_kind": RecipientKind.MODEL,
        "dvk_model": dvk_model or world.exemplary,
        "award_type": world.award_type,
        "achievement": "Đã có thành tích xuất sắc",
    }
    data.update(changes)
    return data


def collective_award(world, unit, **changes):
    data = {
        "recipient_kind": RecipientKind.COLLECTIVE,
        "unit": unit,
        "award_type": world.award_type,
        "achievement": "Đã có thành tích xuất sắc",
    }
    data.update(changes)
    return data
