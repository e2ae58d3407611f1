import hashlib
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from awards.models import Award, Decision
from danvan.enums import Role, UnitKind
from danvan.models import ActivityLog, Unit, User
from danvan.scale import SIZES
from evaluation.enums import RoundStatus, SheetStatus
from evaluation.models import Assignment, CriterionScore, Result, Round, ScoreSheet
from models_registry.enums import ModelStatus
from models_registry.models import Campaign, DvkModel
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

PLAN = SIZES["tiny"]


def seed(**options) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("seed_scale", size="tiny", stdout=out, **options)
    return out.getvalue()


def fingerprint() -> str:
    """A hash of the rows' content (no ids, no creation times)."""
    rows = [
        list(Unit.objects.order_by("code").values_list("code", "name", "kind", "parent__code")),
        list(User.objects.order_by("username").values_list("username", "full_name", "unit__code")),
        list(
            DvkModel.objects.order_by("campaign__year", "unit__code", "name", "status").values_list(
                "campaign__year", "unit__code", "name", "status", "kind", "field__name", "goals"
            )
        ),
        list(
            CriterionScore.objects.order_by(
                "sheet__assignment__entry__dvk_model__campaign__year",
                "sheet__assignment__entry__dvk_model__name",
                "sheet__assignment__reviewer__username",
                "criterion__position",
            ).values_list(
                "sheet__assignment__entry__dvk_model__name",
                "sheet__assignment__reviewer__username",
                "criterion__position",
                "points",
                "sheet__status",
            )
        ),
        list(
            Result.objects.order_by("round__campaign__year", "rank").values_list(
                "dvk_model__name", "rank", "score_used", "tier_name"
            )
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_seed_scale_tiny_counts_match_the_plan():
    out = seed()

    # 33 provincial bodies, then per commune: itself, its Party committee, its Front, the
    # Front's 5 organisations and its villages.
    assert Unit.objects.count() == 33 + PLAN.communes * (8 + PLAN.villages)
    assert Unit.objects.filter(kind=UnitKind.COMMUNE).count() == PLAN.communes
    assert Campaign.objects.count() == PLAN.years
    assert DvkModel.objects.count() == PLAN.years * PLAN.models_per_campaign
    assert Round.objects.count() == PLAN.years
    accepted_in_rounds = DvkModel.objects.filter(
        status=ModelStatus.ACCEPTED, round_entries__isnull=False
    ).count()
    assert accepted_in_rounds == DvkModel.objects.filter(status=ModelStatus.ACCEPTED).count()
    assert Assignment.objects.count() == accepted_in_rounds * PLAN.sheets_per_model
    assert ScoreSheet.objects.count() == Assignment.objects.count()
    past = Round.objects.get(status=RoundStatus.FINALISED)
    assert Result.objects.filter(round=past).count() == PLAN.models_per_campaign
    assert set(
        ScoreSheet.objects.filter(assignment__round=past).values_list("status", flat=True)
    ) == {SheetStatus.SUBMITTED}
    # Every submitted sheet carries all six criteria and their sum.
    for sheet in ScoreSheet.objects.filter(status=SheetStatus.SUBMITTED)[:10]:
        points = list(sheet.scores.values_list("points", flat=True))
        assert len(points) == 6
        assert sheet.total == sum(points, Decimal(0))
    assert Decision.objects.count() == 1
    assert Award.objects.count() == PLAN.models_per_campaign // 10
    assert ActivityLog.objects.filter(action="models_registry.dvkmodel.accept").count() == (
        DvkModel.objects.filter(status=ModelStatus.ACCEPTED).count()
    )
    # Bulk-loaded rows name their object as log_action does (str(obj)), like every other.
    names = dict(DvkModel.objects.values_list("pk", "name"))
    model_logs = ActivityLog.objects.filter(content_type__model="dvkmodel")
    assert model_logs.filter(action="reports.dvkmodel.publish").exists()
    assert all(log.object_repr == names[log.object_id] for log in model_logs)
    assert not ActivityLog.objects.filter(object_repr="").exists()
    assert "scale.thuongtruc" in out
    assert "Open round" in out


def test_seed_scale_gives_the_accounts_their_roles_and_work():
    seed()

    open_round = Round.objects.get(status=RoundStatus.OPEN)
    users = {u.username: u for u in User.objects.all()}
    assert set(users) == {
        "scale.admin",
        "scale.thuongtruc",
        "scale.lanhdao",
        "scale.xa",
        *(f"scale.bcd{n:02d}" for n in range(1, PLAN.reviewers + 1)),
    }
    assert users["scale.admin"].is_superuser
    assert users["scale.thuongtruc"].roles == [Role.SECRETARIAT]
    assert users["scale.thuongtruc"].scope_unit_id == open_round.scope_unit_id
    assert users["scale.lanhdao"].roles == [Role.LEADER]
    assert users["scale.bcd01"].roles == [Role.COMMITTEE_MEMBER]
    assert (
        ScoreSheet.objects.filter(
            assignment__round=open_round, assignment__reviewer=users["scale.bcd01"]
        )
        .exclude(status=SheetStatus.SUBMITTED)
        .exists()
    )
    officer_models = DvkModel.objects.filter(
        unit=users["scale.xa"].unit, campaign=open_round.campaign
    )
    assert set(officer_models.values_list("status", flat=True)) == set(ModelStatus.values)


def test_seed_scale_is_deterministic():
    with transaction.atomic():
        seed()
        first = fingerprint()
        transaction.set_rollback(True)
    assert not Unit.objects.exists()

    seed()

    assert fingerprint() == first


def test_seed_scale_another_seed_draws_other_rows():
    with transaction.atomic():
        seed()
        first = fingerprint()
        transaction.set_rollback(True)

    seed(seed=7)

    assert fingerprint() != first


def test_seed_scale_refuses_a_database_with_data():
    UnitFactory()

    with pytest.raises(CommandError, match="not empty"):
        seed()

    assert Unit.objects.count() == 1
    assert not User.objects.exists()


def test_seed_scale_accounts_log_in_through_the_form_and_see_their_home(client):
    seed(password="Mat-khau-thu-2026")

    for username in ["scale.admin", "scale.thuongtruc", "scale.lanhdao", "scale.bcd01", "scale.xa"]:
        stored = User.objects.get(username=username).password
        response = client.post(
            reverse("login"), {"username": username, "password": "Mat-khau-thu-2026"}
        )

        assert response.status_code == 302, username
        assert client.get(reverse("home")).status_code == 200, username
        # The shared hash is not re-hashed at login (that would sign out other sessions).
        assert User.objects.get(username=username).password == stored, username
        client.logout()


def test_seed_scale_gives_each_commission_its_issuing_body():
    from reports.models import IssuerProfile

    seed()

    assert IssuerProfile.objects.exists()


def test_seed_scale_open_round_results_answer_the_secretariat(client):
    seed()
    client.force_login(User.objects.get(username="scale.thuongtruc"))
    open_round = Round.objects.get(status=RoundStatus.OPEN)

    response = client.get(reverse("evaluation:round_results", args=[open_round.pk]))

    assert response.status_code == 200
