"""awards/notifications.py: an issued (or revoked) decision reaches the officers of every
unit it names — collectives, individuals' units, models' units — each with their own
awards and a link to their unit's page; nobody else."""

import pytest
from django.urls import reverse

from awards import services
from awards.enums import RecipientKind
from danvan.enums import Role
from danvan.models import Notification
from danvan.notifications import kind_for
from tests.awards.conftest import collective_award, model_award, new_decision
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(world):
    """A decision with a model award, a collective award and an individual's award, each
    of another unit with its officer; plus officers who must not hear of it."""
    model_unit = world.exemplary.unit
    collective = UnitFactory(name="Hội Nông dân xã Cẩm Xuyên", parent=world.province)
    person_unit = UnitFactory(name="Xã Thạch Hà", parent=world.province)
    decision = new_decision(world)
    services.award_add(decision=decision, data=model_award(world), by=world.secretariat)
    services.award_add(
        decision=decision, data=collective_award(world, collective), by=world.secretariat
    )
    services.award_add(
        decision=decision,
        data={
            "recipient_kind": RecipientKind.INDIVIDUAL,
            "person_name": "Trần Thị Bình",
            "person_position": "Trưởng thôn",
            "unit": person_unit,
            "award_type": world.award_type,
            "achievement": "Đã có thành tích xuất sắc",
        },
        by=world.secretariat,
    )
    return {
        "decision": decision,
        "officers": {
            "model": UserFactory(unit=model_unit, roles=[Role.UNIT_OFFICER]),
            "collective": UserFactory(unit=collective, roles=[Role.UNIT_OFFICER]),
            "person": UserFactory(unit=person_unit, roles=[Role.UNIT_OFFICER]),
        },
        "units": {"model": model_unit, "collective": collective, "person": person_unit},
        "others": [
            UserFactory(unit=world.recognised.unit, roles=[Role.UNIT_OFFICER]),
            UserFactory(unit=UnitFactory(), roles=[Role.UNIT_OFFICER]),
            UserFactory(unit=collective, roles=[Role.UNIT_OFFICER], is_active=False),
            UserFactory(unit=collective, roles=[Role.LEADER]),
        ],
    }


def test_kinds_are_registered():
    assert kind_for("awards.decision_issued").default_channel == "app"
    assert kind_for("awards.decision_revoked") is not None


def test_issued_decision_reaches_each_named_units_officers_once(world, named, client):
    services.decision_issue(decision=named["decision"], by=world.secretariat)

    notifications = list(Notification.objects.filter(kind="awards.decision_issued"))
    officers = named["officers"]
    assert sorted(n.recipient_id for n in notifications) == sorted(u.pk for u in officers.values())
    by_recipient = {n.recipient_id: n for n in notifications}
    decision = named["decision"]
    for key, officer in officers.items():
        notification = by_recipient[officer.pk]
        assert decision.display_number in notification.title
        assert notification.url == reverse("unit_detail", args=[named["units"][key].pk])
        client.force_login(officer)
        assert client.get(notification.url).status_code == 200
    assert world.exemplary.name in by_recipient[officers["model"].pk].body
    assert "Trần Thị Bình" in by_recipient[officers["person"].pk].body
    # Each unit reads its own awards only.
    assert "Trần Thị Bình" not in by_recipient[officers["collective"].pk].body
    assert world.exemplary.name not in by_recipient[officers["person"].pk].body
    assert not Notification.objects.filter(recipient__in=named["others"]).exists()
    assert not Notification.objects.filter(
        recipient=world.secretariat, kind__startswith="awards."
    ).exists()


def test_drafting_a_decision_notifies_nobody(world, named):
    assert not Notification.objects.filter(kind__startswith="awards.").exists()


def test_revoked_decision_tells_the_same_units_the_reason(world, named):
    decision = services.decision_issue(decision=named["decision"], by=world.secretariat)

    services.decision_revoke(decision=decision, reason="Sai đối tượng.", by=world.secretariat)

    notifications = list(Notification.objects.filter(kind="awards.decision_revoked"))
    assert sorted(n.recipient_id for n in notifications) == sorted(
        u.pk for u in named["officers"].values()
    )
    assert all("Sai đối tượng." in n.body for n in notifications)
