"""The admin cannot do what the awards services refuse: an issued or revoked decision and
its awards are read-only and cannot be deleted."""

import pytest
from django.urls import reverse

from awards import services
from awards.models import Decision
from tests.awards.conftest import model_award, new_decision
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client):
    user = UserFactory(is_superuser=True, is_staff=True, unit=None)
    client.force_login(user)
    return user


def _url(obj, view="change"):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk])


def test_issued_decision_read_only_and_not_deletable(world, superuser, client):
    decision = new_decision(world)
    award = services.award_add(decision=decision, data=model_award(world), by=world.secretariat)
    services.decision_issue(decision=decision, by=world.secretariat)

    page = client.get(_url(decision))
    assert page.status_code == 200
    assert 'name="number"' not in page.content.decode()
    assert client.post(_url(decision, "delete"), {"post": "yes"}).status_code == 403
    assert client.post(_url(award, "delete"), {"post": "yes"}).status_code == 403
    award_page = client.get(_url(award)).content.decode()
    assert 'name="amount"' not in award_page
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_revoked_decision_read_only(world, superuser, client):
    decision = new_decision(world)
    services.award_add(decision=decision, data=model_award(world), by=world.secretariat)
    services.decision_issue(decision=decision, by=world.secretariat)
    services.decision_revoke(decision=decision, reason="Sai", by=world.secretariat)

    assert 'name="number"' not in client.get(_url(decision)).content.decode()
    assert client.post(_url(decision, "delete"), {"post": "yes"}).status_code == 403


def test_draft_decision_editable_and_deletable(world, superuser, client):
    decision = new_decision(world)

    assert 'name="number"' in client.get(_url(decision)).content.decode()
    client.post(_url(decision, "delete"), {"post": "yes"})
    assert not Decision.objects.filter(pk=decision.pk).exists()


@pytest.mark.parametrize("model", ["awardtype", "decision", "award", "proposal", "honouringevent"])
def test_admin_lists_and_add_pages_load(world, superuser, client, model):
    assert client.get(reverse(f"admin:awards_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:awards_{model}_add")).status_code == 200
