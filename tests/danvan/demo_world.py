"""The demo world the page-wide checks share (security headers, page structure): the demo
(``seed_demo``) loaded once per test module inside a transaction rolled back at the end, one
draft of the ward officer's, and a signed-in client per demo role."""

from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from danvan.models import User
from evaluation.enums import RoundStatus, SheetStatus
from evaluation.models import ScoreSheet
from models_registry.models import DvkModel
from tests.factories import DvkModelFactory

# The demo's accounts, one per role (docs/demo-accounts.md); the reviewer is whoever holds
# an open score sheet.
ROLES = ["admin", "thuongtruc", "bcd.truongban", "lanhdao", "phuong.thanhsen", "reviewer"]


@dataclass
class World:
    reviewer: str
    dvk_model: DvkModel


@pytest.fixture(scope="module", name="world")
def world_fixture(django_db_setup, django_db_blocker):
    """The module's demo world: import ``world_fixture`` and ask for ``world``."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        sheet = (
            ScoreSheet.objects.filter(
                status__in=[SheetStatus.PENDING, SheetStatus.IN_PROGRESS],
                assignment__round__status=RoundStatus.OPEN,
            )
            .select_related("assignment__reviewer")
            .order_by("pk")
            .first()
        )
        officer = User.objects.get(username="phuong.thanhsen")
        campaign = DvkModel.objects.filter(unit=officer.unit).order_by("-pk").first().campaign
        dvk_model = DvkModelFactory(campaign=campaign, unit=officer.unit, created_by=officer)
        yield World(reviewer=sheet.assignment.reviewer.username, dvk_model=dvk_model)
        transaction.set_rollback(True)


def client_for(world, username) -> Client:
    """A client signed in as the demo account ``username`` ("reviewer": the world's)."""
    client = Client()
    name = world.reviewer if username == "reviewer" else username
    client.force_login(User.objects.get(username=name))
    return client
