"""What ``person_data_remove`` reaches beyond the model's own fields: the registration's
texts and their history, the result report, the evidence files' names, activity rows and
notifications naming the model; what it leaves (awards); one transaction. And what
``person_data_export`` adds: the awards with their decision and status, the proposals."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from openpyxl import load_workbook

from awards.enums import RecipientKind
from awards.models import Award, Proposal, ProposalLine
from danvan.activity import activity_for
from danvan.models import ActivityLog, GeneratedFile, GeneratedFileStatus, Notification
from models_registry import services
from models_registry.models import Attachment, DvkModel, ResultReport
from models_registry.services import personal_data
from tests.factories import RoundFactory, UserFactory
from tests.factories.awards import AwardTypeFactory, DecisionFactory
from tests.factories.registry import pdf_bytes
from tests.reports.test_showcase_support import attachment

PERSON = "Nguyễn Văn An"
LEAD = "Trần Thị Bình"
REMOVED = services.REMOVED_NAME
TITLE = f"Điển hình {PERSON} vận động hiến đất"


@pytest.fixture
def admin_user(db):
    return UserFactory(unit=None, is_superuser=True, is_staff=True)


@pytest.fixture
def exemplar(campaign, commune, officer):
    """An individual exemplar whose texts name the person, edited once."""
    dvk_model = services.dvk_model_create(
        campaign=campaign,
        unit=commune,
        by=officer,
        data={
            "kind": "individual_exemplar",
            "name": TITLE,
            "situation": f"Ông {PERSON} là trưởng thôn từ năm 2010.",
            "content": f"Ông {PERSON} vận động 40 hộ hiến đất; bà {LEAD} theo dõi.",
            "person_name": PERSON,
            "person_position": "Trưởng thôn",
            "person_birth_year": 1975,
            "lead_name": LEAD,
            "lead_phone": "0912345678",
        },
    )
    return services.dvk_model_update(
        dvk_model=dvk_model,
        by=officer,
        data={"goals": f"Ông {PERSON} cùng chi bộ làm 2 km đường."},
        version=dvk_model.version,
    )


def _history(dvk_model):
    return DvkModel.history.model.objects.filter(id=dvk_model.pk)


def test_remove_replaces_the_names_in_the_texts_and_their_history(exemplar, admin_user):
    services.person_data_remove(dvk_model=exemplar, by=admin_user)

    stored = DvkModel.objects.get(pk=exemplar.pk)
    assert stored.situation == f"Ông {REMOVED} là trưởng thôn từ năm 2010."
    assert stored.content == f"Ông {REMOVED} vận động 40 hộ hiến đất; bà {REMOVED} theo dõi."
    for row in _history(exemplar).values("situation", "content", "goals"):
        assert PERSON not in repr(row)
        assert LEAD not in repr(row)


def test_remove_reaches_the_result_report_and_its_history(exemplar, admin_user):
    report = ResultReport.objects.create(
        dvk_model=exemplar,
        results=f"Ông {PERSON} đã vận động xong.",
        participants=f"Bà {LEAD} và 40 hộ.",
    )
    version = report.version

    services.person_data_remove(dvk_model=exemplar, by=admin_user)

    report.refresh_from_db()
    assert report.results == f"Ông {REMOVED} đã vận động xong."
    assert report.participants == f"Bà {REMOVED} và 40 hộ."
    assert report.version == version + 1  # an open form is refused, not written back
    history = ResultReport.history.model.objects.filter(dvk_model_id=exemplar.pk)
    assert history.exists()
    assert all(PERSON not in row.results for row in history)


def test_remove_renames_evidence_files_but_keeps_them(exemplar, admin_user, officer):
    item = attachment(
        exemplar, f"Lý lịch {PERSON}.pdf", pdf_bytes(), "application/pdf", public=False, by=officer
    )
    Attachment.objects.filter(pk=item.pk).update(description=f"Lý lịch của {PERSON}")

    services.person_data_remove(dvk_model=exemplar, by=admin_user)

    item.refresh_from_db()
    assert item.original_name == f"Lý lịch {REMOVED}.pdf"
    assert item.description == f"Lý lịch của {REMOVED}"
    assert item.file.storage.exists(item.file.name)  # the content is not changed


def test_remove_reaches_activity_of_other_objects_naming_the_model(exemplar, admin_user, officer):
    """An assignment's row ("reviewer → model") names the model by its old name."""
    user_type = ContentType.objects.get_for_model(officer)
    naming = ActivityLog.objects.create(
        content_type=user_type,
        object_id=officer.pk,
        object_repr=f"Reviewer → {TITLE}",
        action="evaluation.assignment.add",
    )
    unrelated = ActivityLog.objects.create(
        content_type=user_type,
        object_id=officer.pk,
        object_repr=f"Hồ sơ khác của {PERSON}",  # the same name, another model: kept
        action="evaluation.assignment.add",
    )

    services.person_data_remove(dvk_model=exemplar, by=admin_user)

    naming.refresh_from_db()
    unrelated.refresh_from_db()
    assert naming.object_repr == f"Reviewer → Điển hình {REMOVED} vận động hiến đất"
    assert unrelated.object_repr == f"Hồ sơ khác của {PERSON}"


def test_remove_reaches_notifications_about_the_model(exemplar, admin_user, officer):
    by_activity = Notification.objects.filter(activity__in=activity_for(exemplar))
    linked = Notification.objects.create(
        recipient=officer,
        kind="test",
        title=f"Nhắc việc: {PERSON}",
        url=exemplar.get_absolute_url(),
    )
    naming = Notification.objects.create(
        recipient=officer, kind="test", title=f"Phiếu chấm: {TITLE}", body=f"Mô hình {TITLE}."
    )
    other = Notification.objects.create(
        recipient=officer, kind="test", title=f"Việc khác: {PERSON}", url="/khac/"
    )

    services.person_data_remove(dvk_model=exemplar, by=admin_user)

    linked.refresh_from_db()
    naming.refresh_from_db()
    other.refresh_from_db()
    assert linked.title == f"Nhắc việc: {REMOVED}"
    assert PERSON not in naming.title + naming.body
    assert other.title == f"Việc khác: {PERSON}"
    assert all(PERSON not in n.title + n.body for n in by_activity)


def test_remove_leaves_awards_as_decided(exemplar, admin_user):
    award = Award.objects.create(
        decision=DecisionFactory(issuer=exemplar.campaign.organiser),
        recipient_kind=RecipientKind.INDIVIDUAL,
        person_name=PERSON,
        person_position="Trưởng thôn",
        award_type=AwardTypeFactory(),
        achievement="Vận động nhân dân hiến đất.",
    )

    services.person_data_remove(dvk_model=exemplar, by=admin_user)

    award.refresh_from_db()
    assert award.person_name == PERSON


def test_remove_is_one_transaction(exemplar, admin_user, monkeypatch):
    """A failure at the last step (the activity row) leaves everything as it was."""
    history = list(_history(exemplar).values())
    activity = list(ActivityLog.objects.values())

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(personal_data, "log_action", fail)
    with pytest.raises(RuntimeError):
        services.person_data_remove(dvk_model=exemplar, by=admin_user)

    stored = DvkModel.objects.get(pk=exemplar.pk)
    assert (stored.person_name, stored.name) == (PERSON, TITLE)
    assert list(_history(exemplar).values()) == history
    assert list(ActivityLog.objects.values()) == activity


def test_remove_twice_changes_nothing_more(exemplar, admin_user, officer):
    attachment(exemplar, f"{PERSON}.pdf", pdf_bytes(), "application/pdf", public=False, by=officer)
    assert services.person_data_remove(dvk_model=exemplar, by=admin_user) is True
    texts = list(Attachment.objects.values("original_name")) + list(_history(exemplar).values())

    assert services.person_data_remove(dvk_model=exemplar, by=admin_user) is False

    assert (
        list(Attachment.objects.values("original_name")) + list(_history(exemplar).values())
        == texts
    )
    removals = activity_for(exemplar).filter(action=personal_data.ACTION_REMOVE)
    assert removals.count() == 1


# --- Export: awards with their decision, award proposals -----------------------------------


def test_export_lists_awards_with_status_and_proposals(exemplar, officer):
    award_type = AwardTypeFactory(name="Giấy khen")
    decision = DecisionFactory(issuer=exemplar.campaign.organiser)
    Award.objects.create(
        decision=decision,
        recipient_kind=RecipientKind.INDIVIDUAL,
        person_name=PERSON,
        person_position="Trưởng thôn",
        award_type=award_type,
        achievement="=1+1",  # never a formula
        revoked=True,
        revoked_reason="Trùng khen thưởng.",
    )
    proposal = Proposal.objects.create(
        campaign=exemplar.campaign,
        unit=exemplar.unit,
        title="Đề nghị khen thưởng năm nay",
        created_by=officer,
    )
    ProposalLine.objects.create(
        proposal=proposal,
        recipient_kind=RecipientKind.INDIVIDUAL,
        person_name=PERSON,
        award_type=award_type,
        achievement="Vận động hiến đất.",
    )

    content = services.person_data_export(dvk_model=exemplar)[2]

    book = load_workbook(io.BytesIO(content))
    assert len(book.worksheets) == 4
    awards, proposals = book.worksheets[2], book.worksheets[3]
    award_row = [cell.value for cell in awards[3]]
    assert award_row[0] == decision.display_number
    assert award_row[3] == "Đã thu hồi"
    assert award_row[5:7] == [PERSON, "Trưởng thôn"]
    assert award_row[7] == "'=1+1"
    proposal_row = [cell.value for cell in proposals[3]]
    assert proposal_row[0] == "Đề nghị khen thưởng năm nay"
    assert proposal_row[4] == PERSON
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.value is None or isinstance(cell.value, str), cell.coordinate


# --- Generated files ------------------------------------------------------------------------


def _made(kind, params, by):
    job = GeneratedFile.objects.create(
        kind=kind, title="Bảng kết quả", params=params, requested_by=by
    )
    job.file.save("ket-qua.xlsx", ContentFile(f"{PERSON}".encode()), save=False)
    job.status = GeneratedFileStatus.DONE
    job.save()
    return job


def test_remove_deletes_results_spreadsheets_of_the_campaign_only(
    exemplar, admin_user, secretariat, django_capture_on_commit_callbacks
):
    own_round = RoundFactory(campaign=exemplar.campaign, created_by=secretariat)
    other_round = RoundFactory(created_by=secretariat)
    working = _made("evaluation.results_xlsx", {"round": own_round.pk}, secretariat)
    other = _made("evaluation.results_xlsx", {"round": other_round.pk}, secretariat)
    report = _made("reports.pdf", {"report": 1}, secretariat)
    stored = working.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.person_data_remove(dvk_model=exemplar, by=admin_user)

    assert not GeneratedFile.objects.filter(pk=working.pk).exists()
    assert not working.file.storage.exists(stored)
    assert GeneratedFile.objects.filter(pk__in=[other.pk, report.pk]).count() == 2
    assert report.file.storage.exists(report.file.name)  # a report as sent stays
