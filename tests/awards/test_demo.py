import pytest
from django.core.management import call_command

from awards.enums import DecisionStatus, RecipientKind
from awards.models import Award, AwardType, Decision, HonouringEvent, Proposal
from danvan.models import ActivityLog

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        AwardType.objects.count(),
        Proposal.objects.count(),
        sorted(Decision.objects.values_list("number", "status")),
        Award.objects.count(),
        HonouringEvent.objects.count(),
        ActivityLog.objects.filter(action__startswith="awards.").count(),
    )


def test_seed_demo_builds_awards_once():
    call_command("seed_demo", verbosity=0)
    first = snapshot()

    call_command("seed_demo", verbosity=0)

    assert snapshot() == first
    statuses = dict(Decision.objects.values_list("number", "status"))
    assert statuses == {
        1034: DecisionStatus.ISSUED,
        125: DecisionStatus.ISSUED,
        131: DecisionStatus.REVOKED,
    }
    commission = Decision.objects.get(number=125)
    kinds = sorted(commission.awards.values_list("recipient_kind", flat=True))
    assert kinds == [RecipientKind.COLLECTIVE, RecipientKind.COLLECTIVE, RecipientKind.INDIVIDUAL]
    assert commission.display_number == "125-QĐ/BTGDVTU"
    assert Decision.objects.get(number=1034).awards.exists()
    event = HonouringEvent.objects.get()
    assert (event.date.month, event.date.day) == (10, 15)
    assert event.awards.count() >= 3
