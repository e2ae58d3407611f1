import pytest
from django.core.management import call_command

from evaluation.enums import RoundStatus
from evaluation.models import Result, Round

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_a_finalised_and_an_open_round_once():
    call_command("seed_demo", verbosity=0)
    first = (Round.objects.count(), Result.objects.count())

    call_command("seed_demo", verbosity=0)

    assert first == (Round.objects.count(), Result.objects.count()) == (2, 5)
    assert sorted(Round.objects.values_list("status", flat=True)) == sorted(
        [RoundStatus.FINALISED, RoundStatus.OPEN]
    )
    assert list(Result.objects.order_by("rank").values_list("rank", flat=True)) == [1, 2, 3, 4, 5]
