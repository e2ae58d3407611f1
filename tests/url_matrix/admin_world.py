"""The world of the admin's matrix: one instance of every model the admin registers, and a
user for every kind of visitor.

Each instance is the one whose change, delete and history pages the matrix asks for
(``objects[<app>_<model>]``); its state is chosen so that the answers are known (a draft
round can be deleted, a finalised round's results cannot). Models with simple-history also
give a version id (``versions``).
"""

import datetime
from types import SimpleNamespace

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from awards import services as awards_services
from awards.enums import EventLevel
from awards.models import HonouringCadence
from danvan.activity import log_action
from danvan.enums import Role, SuccessionKind, UnitKind
from danvan.models import ActivityLog, GeneratedFile, UnitSuccession
from danvan.services import user_set_roles
from evaluation import services as evaluation_services
from evaluation.models import Result, ScoreSheet
from models_registry.enums import ModelKind
from reports import services as reports_services
from tests.awards.conftest import collective_award, decision_data
from tests.evaluation.helpers import scored_round
from tests.factories import (
    AwardTypeFactory,
    CampaignFactory,
    CommitteeFactory,
    DvkModelFactory,
    FieldFactory,
    RoundEntryFactory,
    RoundFactory,
    UnitFactory,
    UserFactory,
)
from tests.factories.evaluation import accepted_model
from tests.factories.registry import pdf_bytes, secretariat_for
from tests.reports.test_services import plan_data, profile_data
from tests.reports.views_support import make_run

# Who asks. Every one but the administrator is refused the whole admin (404; anonymous:
# the sign-in page), whatever staff flag or role they hold.
ADMIN = "administrator"
ANONYMOUS = "anonymous"
OFFICER = "unit_officer"
REVIEWER = "reviewer"
SECRETARIAT = "secretariat"
LEADER = "leader"
STAFF = "staff"  # "staff status" ticked, no superuser: no role in the product
STAFF_SECRETARIAT = "staff_secretariat"  # the secretariat's permissions plus staff status
SUPERUSER_NOT_STAFF = "superuser_not_staff"  # a superuser whose staff status was untied
REFUSED = (
    ANONYMOUS,
    OFFICER,
    REVIEWER,
    SECRETARIAT,
    LEADER,
    STAFF,
    STAFF_SECRETARIAT,
    SUPERUSER_NOT_STAFF,
)
VISITORS = (ADMIN, *REFUSED)


def _key(instance) -> str:
    return f"{instance._meta.app_label}_{instance._meta.model_name}"


def _users(w) -> dict:
    reviewer = w.members[0].user
    user_set_roles(user=reviewer, roles=[Role.COMMITTEE_MEMBER])
    leadership = UnitFactory(
        name="Thường trực Tỉnh uỷ", kind=UnitKind.PARTY_BODY, parent=w.province, oversees=w.province
    )
    staff_secretariat = UserFactory(unit=w.secretariat.unit, roles=[Role.SECRETARIAT])
    staff_secretariat.is_staff = True
    staff_secretariat.save(update_fields=["is_staff"])
    return {
        ADMIN: UserFactory(unit=None, is_superuser=True, is_staff=True),
        OFFICER: w.officer,
        REVIEWER: reviewer,
        SECRETARIAT: w.secretariat,
        LEADER: UserFactory(unit=leadership, roles=[Role.LEADER]),
        STAFF: UserFactory(unit=None, is_staff=True),
        STAFF_SECRETARIAT: staff_secretariat,
        SUPERUSER_NOT_STAFF: UserFactory(unit=None, is_superuser=True, is_staff=False),
    }


def _registry(w) -> list:
    """Campaign, field, a draft model of an individual, a finalised round with scores."""
    w.province = UnitFactory(name="Tỉnh Hà Tĩnh", kind=UnitKind.PROVINCE)
    w.campaign = CampaignFactory(organiser=w.province)
    w.secretariat = secretariat_for(w.campaign)
    w.commune = UnitFactory(name="Xã Cẩm Xuyên", parent=w.province)
    w.field = FieldFactory()
    w.officer = UserFactory(unit=w.commune, roles=[Role.UNIT_OFFICER])
    w.draft = DvkModelFactory(
        campaign=w.campaign, unit=w.commune, created_by=w.officer, individual=True
    )
    w.round = RoundFactory(campaign=w.campaign, created_by=w.secretariat)
    w.committee = CommitteeFactory(unit=w.province)
    entries, w.members = scored_round(w.round, w.committee, [[95]], by=w.secretariat)
    evaluation_services.round_finalise(round=w.round, by=w.secretariat)
    w.round.refresh_from_db()
    w.entry = entries[0]
    w.accepted = w.entry.dvk_model
    # A round being prepared: the one whose delete page answers.
    w.draft_round = RoundFactory(campaign=w.campaign, created_by=w.secretariat)
    RoundEntryFactory(
        round=w.draft_round, dvk_model=accepted_model(w.campaign, reviewer=w.secretariat)
    )
    return [w.campaign, w.field, w.draft, w.committee, w.draft_round, w.entry]


def _evaluation(w) -> list:
    assignment = w.entry.assignments.get()
    return [
        w.round.rubric_collective,
        assignment,
        ScoreSheet.objects.get(assignment=assignment),
        Result.objects.get(round=w.round, entry=w.entry),
    ]


def _awards(w) -> list:
    by = w.secretariat
    award_type = AwardTypeFactory()
    context = SimpleNamespace(
        province=w.province, campaign=w.campaign, secretariat=by, award_type=award_type
    )
    proposal = awards_services.proposal_create_from_round(round=w.round, by=by)
    decision = awards_services.decision_create(
        data=decision_data(context), campaigns=[w.campaign], by=by
    )
    award = awards_services.award_add(
        decision=decision, data=collective_award(context, w.commune), by=by
    )
    event = awards_services.honouring_event_save(
        data={
            "name": "Hội nghị biểu dương",
            "date": w.campaign.registration_opens,
            "level": EventLevel.PROVINCE,
            "unit": w.province,
        },
        awards=[],
        by=by,
    )
    cadence, _created = HonouringCadence.objects.get_or_create(level=EventLevel.PROVINCE)
    return [award_type, proposal, decision, award, event, cadence]


def _reports(w) -> list:
    by = w.secretariat
    run = make_run(w.campaign, by)
    narrative = reports_services.narrative_save(
        campaign=w.campaign, data={"leadership": "Lãnh đạo, chỉ đạo."}, by=by
    )
    profile = reports_services.issuer_profile_save(data=profile_data(w.secretariat.unit), by=by)
    plan = reports_services.unit_plan_save(
        campaign=w.campaign,
        unit=w.commune,
        data=plan_data(
            w.campaign,
            file=SimpleUploadedFile("ke-hoach.pdf", pdf_bytes(), content_type="application/pdf"),
        ),
        by=by,
    )
    return [run, narrative, profile, plan, GeneratedFile.objects.filter(pk=run.pdf_id).get()]


def _site(w) -> list:
    """The organisation and the accounts, the activity log, sign-in records, schedules."""
    merged = UnitFactory(name="Xã Cũ", parent=w.province)
    succession = UnitSuccession.objects.create(
        predecessor=merged,
        successor=w.commune,
        kind=SuccessionKind.MERGED,
        effective_date=datetime.date(2025, 7, 1),
    )
    log_action(w.draft, "tests.admin_matrix", actor=w.secretariat, unit=w.commune)
    access = {
        "user_agent": "Mozilla/5.0",
        "ip_address": "192.0.2.7",
        "username": w.users[OFFICER].username,
        "http_accept": "text/html",
        "path_info": "/dang-nhap/",
    }
    every_minute = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.MINUTES)
    return [
        w.province,
        succession,
        w.users[OFFICER],
        ActivityLog.objects.latest("pk"),
        Group.objects.get(name=Role.SECRETARIAT),
        AccessAttempt.objects.create(**access, get_data="", post_data="", failures_since_start=1),
        AccessLog.objects.create(**access),
        AccessFailureLog.objects.create(**access),
        every_minute,
        CrontabSchedule.objects.create(minute="0", hour="2"),
        SolarSchedule.objects.create(event="sunrise", latitude="18.34", longitude="105.90"),
        ClockedSchedule.objects.create(clocked_time=timezone.now()),
        PeriodicTask.objects.create(
            name="Kiểm tra ma trận quản trị", task="tests.admin_matrix", interval=every_minute
        ),
    ]


def build_admin_world() -> SimpleNamespace:
    w = SimpleNamespace()
    registry = _registry(w)
    w.users = _users(w)
    instances = [*registry, *_evaluation(w), *_awards(w), *_reports(w), *_site(w)]
    w.objects = {_key(instance): instance for instance in instances}
    w.versions = {
        key: instance.history.latest("history_id").history_id
        for key, instance in w.objects.items()
        if hasattr(instance, "history")
    }
    w.individual = w.draft  # the model whose personal data the actions export and remove
    assert w.draft.kind == ModelKind.INDIVIDUAL_EXEMPLAR
    return w
