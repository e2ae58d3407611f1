"""The world every table of the matrix reads: two provinces built alike (``inside`` — the
province of the acting users — and ``outside``), an administrator above both.

Each province (a ``Side``) holds one instance of every kind of object a URL names: units,
users in every role, models in every state with their files, a draft, an open and a
finalised round with a rubric and a committee, awards (proposal, decisions, an event),
reports (a narrative, a run with its files, an issuer profile, a unit plan), the library
(a published model with a public photo, the public page switched on), and for every user
a notification and a generated file of their own. The acting users are the inside side's;
an object "out of scope" is the same object of the other province.
"""

from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards import services as awards_services
from awards.enums import EventLevel, RecipientKind
from danvan.enums import Role, UnitKind
from danvan.models import GeneratedFile, GeneratedFileStatus, Notification
from danvan.services import user_set_roles
from evaluation import services as evaluation_services
from evaluation.models import Criterion, Result
from models_registry.enums import AttachmentPurpose, ModelStatus
from models_registry.models import Attachment
from reports import services as reports_services
from reports import showcase
from tests.awards.conftest import collective_award, decision_data
from tests.evaluation.helpers import scored_round
from tests.factories import (
    AwardTypeFactory,
    CampaignFactory,
    CommitteeFactory,
    CommitteeMemberFactory,
    DvkModelFactory,
    FieldFactory,
    RoundEntryFactory,
    RoundFactory,
    UnitFactory,
    UserFactory,
)
from tests.factories.evaluation import accepted_model, open_round, sheet_of
from tests.factories.registry import dvk_model_in_status, pdf_bytes, png_bytes, secretariat_for
from tests.reports.test_services import plan_data, profile_data
from tests.reports.views_support import make_run

# The roles of the matrix, in the order the tests are reported.
ADMIN = "admin"
SECRETARIAT = "secretariat"
LEADER = "leader"
REVIEWER = "reviewer"
OFFICER = "officer"
ANONYMOUS = "anonymous"
ROLES = (ADMIN, SECRETARIAT, LEADER, REVIEWER, OFFICER, ANONYMOUS)
SIGNED_IN = frozenset(ROLES) - {ANONYMOUS}


def _file(dvk_model, name, content, content_type, *, public, by, purpose=None):
    """An attachment written directly (the services refuse files on a locked model)."""
    item = Attachment(
        dvk_model=dvk_model,
        purpose=purpose or AttachmentPurpose.REGISTRATION,
        original_name=name,
        extension="." + name.rsplit(".", 1)[-1],
        content_type=content_type,
        size=len(content),
        sha256=f"{abs(hash((name, dvk_model.pk))):064d}"[:64],
        public=public,
        uploaded_by=by,
    )
    item.file.save(name, ContentFile(content), save=False)
    item.save()
    return item


def _generated_file(user):
    job = GeneratedFile.objects.create(
        kind="tests.matrix",
        title="Tệp thử",
        requested_by=user,
        filename="tep-thu.pdf",
        content_type="application/pdf",
    )
    job.file.save(f"tep-{job.pk}.pdf", ContentFile(pdf_bytes()), save=False)
    job.status = GeneratedFileStatus.DONE
    job.finished_at = timezone.now()
    job.save()
    return job


def _notification(user):
    return Notification.objects.create(
        recipient=user, kind="tests.matrix", title="Thông báo thử", body="Nội dung", url="/"
    )


def build_side(label: str, *, award_type) -> SimpleNamespace:
    s = SimpleNamespace(label=label, award_type=award_type)
    s.province = UnitFactory(name=f"Tỉnh {label}", kind=UnitKind.PROVINCE)
    s.campaign = CampaignFactory(organiser=s.province)
    s.secretariat = secretariat_for(s.campaign)
    s.commission = s.secretariat.unit
    s.commune_a = UnitFactory(name=f"Xã A {label}", parent=s.province)
    s.commune_b = UnitFactory(name=f"Xã B {label}", parent=s.province)
    leadership = UnitFactory(
        name=f"Thường trực Tỉnh uỷ {label}",
        kind=UnitKind.PARTY_BODY,
        parent=s.province,
        oversees=s.province,
    )
    s.leader = UserFactory(unit=leadership, roles=[Role.LEADER])
    s.officer = UserFactory(unit=s.commune_a, roles=[Role.UNIT_OFFICER])
    s.committee = CommitteeFactory(unit=s.province, name=f"Ban Chỉ đạo {label}")
    s.member = CommitteeMemberFactory(committee=s.committee)
    s.reviewer = s.member.user
    user_set_roles(user=s.reviewer, roles=[Role.COMMITTEE_MEMBER])
    by = s.secretariat

    # Registration: a draft with a photo, a submitted model, an accepted one (commune A).
    s.draft = DvkModelFactory(campaign=s.campaign, unit=s.commune_a, created_by=s.officer)
    s.attachment = _file(s.draft, "anh.png", png_bytes(), "image/png", public=False, by=s.officer)
    s.submitted = dvk_model_in_status(
        ModelStatus.SUBMITTED, campaign=s.campaign, unit=s.commune_a, created_by=s.officer
    )
    s.field = FieldFactory(name=f"Lĩnh vực {label}")

    # Evaluation: a finalised round (two models of commune A), an open round whose sheet
    # belongs to the reviewer, a draft round with one entry.
    s.round = RoundFactory(campaign=s.campaign, created_by=by, name=f"Đợt chấm {label}")
    entries, _members = scored_round(
        s.round, s.committee, [[95], [60]], by=by, unit=s.commune_a, created_by=s.officer
    )
    evaluation_services.round_finalise(round=s.round, by=by)
    s.round.refresh_from_db()
    s.entry = entries[0]
    s.exemplary = entries[0].dvk_model
    s.recognised = entries[1].dvk_model
    s.result = Result.objects.get(round=s.round, entry=s.entry)
    s.rubric = s.round.rubric_collective

    s.open_round = RoundFactory(campaign=s.campaign, created_by=by, name=f"Đợt mở {label}")
    s.open_entry = RoundEntryFactory(
        round=s.open_round,
        dvk_model=accepted_model(s.campaign, unit=s.commune_a, reviewer=by, created_by=s.officer),
    )
    open_round(s.open_round, by=by)
    s.assignment = evaluation_services.assignment_add(
        entry=s.open_entry, reviewer=s.reviewer, by=by
    )
    s.sheet = sheet_of(s.assignment)
    s.criterion = Criterion.objects.filter(rubric=s.open_round.rubric_collective).first()

    s.draft_round = RoundFactory(campaign=s.campaign, created_by=by, name=f"Đợt nháp {label}")
    s.draft_entry = RoundEntryFactory(
        round=s.draft_round,
        dvk_model=accepted_model(s.campaign, unit=s.commune_a, reviewer=by, created_by=s.officer),
    )

    # Awards, as tests/awards/test_url_matrix.py built them.
    world = SimpleNamespace(
        province=s.province, campaign=s.campaign, secretariat=by, award_type=award_type
    )
    s.proposal = awards_services.proposal_create_from_round(round=s.round, by=by)
    s.line = s.proposal.lines.first()
    s.decision = awards_services.decision_create(
        data=decision_data(world), campaigns=[s.campaign], by=by
    )
    s.award = awards_services.award_add(
        decision=s.decision,
        data=collective_award(world, s.commune_b, recipient_kind=RecipientKind.COLLECTIVE),
        by=by,
    )
    s.issued = awards_services.decision_create(
        data=decision_data(world, number=7), campaigns=[s.campaign], by=by
    )
    presented = awards_services.award_add(
        decision=s.issued, data=collective_award(world, s.commune_a), by=by
    )
    awards_services.decision_issue(decision=s.issued, by=by)
    s.issued.refresh_from_db()
    s.issued.scanned_copy.save("qd.pdf", ContentFile(pdf_bytes()), save=False)
    type(s.issued).objects.filter(pk=s.issued.pk).update(scanned_copy=s.issued.scanned_copy.name)
    s.event = awards_services.honouring_event_save(
        data={
            "name": f"Hội nghị biểu dương {label}",
            "date": s.campaign.registration_opens,
            "level": EventLevel.PROVINCE,
            "unit": s.province,
        },
        awards=[presented],
        by=by,
    )

    # Reports.
    s.report = make_run(s.campaign, by)
    s.issuer = reports_services.issuer_profile_save(data=profile_data(s.commission), by=by)
    s.plan = reports_services.unit_plan_save(
        campaign=s.campaign,
        unit=s.commune_a,
        data=plan_data(
            s.campaign,
            file=SimpleUploadedFile("ke-hoach.pdf", pdf_bytes(), content_type="application/pdf"),
        ),
        by=by,
    )

    # The library: the exemplary model published with a public photo, the page open.
    s.photo = _file(s.exemplary, "anh-1.png", png_bytes(), "image/png", public=True, by=s.officer)
    showcase.library_publish(dvk_model=s.exemplary, by=by)
    showcase.library_public_page_set(unit=s.province, public_page=True, by=by)

    s.users = {
        SECRETARIAT: s.secretariat,
        LEADER: s.leader,
        REVIEWER: s.reviewer,
        OFFICER: s.officer,
    }
    s.notifications = {role: _notification(user) for role, user in s.users.items()}
    s.generated = {role: _generated_file(user) for role, user in s.users.items()}
    return s


def build_world() -> SimpleNamespace:
    award_type = AwardTypeFactory(default_amount=1_500_000)
    admin = UserFactory(unit=None, is_superuser=True, is_staff=True)
    inside = build_side("Hà Tĩnh", award_type=award_type)
    outside = build_side("Nghệ An", award_type=award_type)
    inside.users[ADMIN] = admin
    inside.notifications[ADMIN] = _notification(admin)
    inside.generated[ADMIN] = _generated_file(admin)
    # Another province's objects of an administrator do not exist: its secretariat's stand in.
    outside.users[ADMIN] = outside.secretariat
    outside.notifications[ADMIN] = outside.notifications[SECRETARIAT]
    outside.generated[ADMIN] = outside.generated[SECRETARIAT]
    return SimpleNamespace(inside=inside, outside=outside, admin=admin, award_type=award_type)
