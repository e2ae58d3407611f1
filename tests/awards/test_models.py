import pytest
from django.db import IntegrityError, transaction

from awards.enums import DecisionStatus, Numbering
from awards.models import Award
from tests.awards.conftest import model_award, new_decision
from tests.factories import AwardTypeFactory, DecisionFactory

pytestmark = pytest.mark.django_db


def test_display_number_state_and_party():
    assert DecisionFactory.build(number=1034, issuer_code="UBND").display_number == "1034/QĐ-UBND"
    party = DecisionFactory.build(number=125, issuer_code="TU", numbering=Numbering.PARTY)
    assert party.display_number == "125-QĐ/TU"


def test_decision_number_unique_per_issuer_and_year():
    first = DecisionFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionFactory(issuer=first.issuer, number=first.number, date=first.date)


def test_award_amount_cannot_be_negative_in_database(world):
    decision = new_decision(world)
    data = model_award(world)

    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(decision=decision, amount=-1, **data)


def test_award_type_default_amount_not_negative():
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardTypeFactory(default_amount=-5)


def test_revoked_decision_needs_reason():
    decision = DecisionFactory()
    decision.status = DecisionStatus.REVOKED

    with pytest.raises(IntegrityError), transaction.atomic():
        decision.save()
