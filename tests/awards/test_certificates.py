"""Certificates of a decision (awards/certificates.py, awards/views/certificates.py): the
data per award, the job made in process, the PDF's text, identical bytes, refusals and the
permission matrix of the request URL."""

import datetime
import subprocess

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from awards import services
from awards.certificates import (
    KIND,
    certificate_data,
    certificate_place,
    certificates_request,
    place_name,
)
from awards.enums import RecipientKind
from awards.models import Decision
from awards.renderers import vietnamese_date_words
from danvan.enums import Role, UnitKind
from danvan.generation import generated_file_run
from danvan.models import GeneratedFile, GeneratedFileStatus
from tests.factories import AwardTypeFactory, UnitFactory, UserFactory

from .conftest import collective_award, model_award, new_decision

PERSON = "Phan Thị Hằng"
COLLECTIVE = "Hội Liên hiệp Phụ nữ xã Thạch Hà"
REVOKED = "Lê Văn Tâm"


@pytest.fixture
def decision(world):
    """An issued decision: a model, an individual, a collective, and a revoked award."""
    world.province.name = "Tỉnh Hà Tĩnh"
    world.province.save()
    decision = new_decision(
        world,
        issuing_authority="Ủy ban nhân dân tỉnh Hà Tĩnh",
        signer_title="Chủ tịch",
        signer_name="Nguyễn Văn Hùng",
        date=world.campaign.registration_opens + datetime.timedelta(days=40),
    )
    collective = UnitFactory(
        name=COLLECTIVE, kind=UnitKind.MASS_ORGANISATION, parent=world.province
    )
    giay_khen = AwardTypeFactory(name="Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy")
    by = world.secretariat
    certificate = AwardTypeFactory(name="Giấy chứng nhận mô hình “Dân vận khéo” tiêu biểu")
    services.award_add(decision=decision, data=model_award(world, award_type=certificate), by=by)
    services.award_add(
        decision=decision,
        data={
            "recipient_kind": RecipientKind.INDIVIDUAL,
            "person_name": PERSON,
            "person_position": "Chủ tịch Hội Liên hiệp Phụ nữ xã",
            "unit": collective,
            "award_type": giay_khen,
            "achievement": "Đã có thành tích xuất sắc trong vận động Nhân dân hiến đất làm đường",
        },
        by=by,
    )
    wrong = services.award_add(
        decision=decision,
        data={
            "recipient_kind": RecipientKind.INDIVIDUAL,
            "person_name": REVOKED,
            "award_type": giay_khen,
            "achievement": "Trùng đề nghị",
        },
        by=by,
    )
    services.award_add(decision=decision, data=collective_award(world, collective), by=by)
    services.decision_issue(decision=decision, by=by)
    services.award_revoke(award=wrong, reason="Trùng với quyết định của cấp xã.", by=by)
    decision.refresh_from_db()
    return decision


def make(decision, by, capture):
    with capture(execute=True):
        job = certificates_request(decision=decision, by=by)
    job.refresh_from_db()
    return job


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "giay-chung-nhan.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    )
    return " ".join(result.stdout.decode().split())


# --- The data ------------------------------------------------------------------------------


def test_certificate_data_has_one_page_per_award_not_revoked_in_order(world, decision):
    data = certificate_data(decision)

    assert [c.recipient_name for c in data] == [world.exemplary.name, PERSON, COLLECTIVE]
    model, person, collective = data
    assert model.recipient_detail == world.exemplary.unit.name
    assert person.recipient_detail == f"Chủ tịch Hội Liên hiệp Phụ nữ xã, {COLLECTIVE}"
    assert collective.recipient_detail == ""
    assert person.achievement.startswith("Đã có thành tích xuất sắc trong vận động")
    assert {c.decision_number for c in data} == {"1034/QĐ-UBND"}
    assert {c.decision_date for c in data} == {decision.date}
    assert {c.issuer_lines for c in data} == {("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH",)}
    assert {(c.signer_title, c.signer_name) for c in data} == {("CHỦ TỊCH", "Nguyễn Văn Hùng")}
    assert {c.place for c in data} == {"Hà Tĩnh"}
    assert [model.award_title, person.award_title] == ["GIẤY CHỨNG NHẬN", "GIẤY KHEN"]


def test_certificate_data_takes_three_queries_whatever_the_number_of_awards(
    decision, django_assert_num_queries
):
    decision = Decision.objects.select_related("issuer", "issuer__oversees").get(pk=decision.pk)

    with django_assert_num_queries(3):
        certificate_data(decision)


def test_place_is_the_locality_the_issuer_works_for(world):
    commune = UnitFactory(name="Xã Kỳ Xuân", kind=UnitKind.COMMUNE, parent=world.province)
    party_committee = UnitFactory(
        name="Đảng ủy xã Kỳ Xuân", kind=UnitKind.PARTY_BODY, parent=commune, oversees=commune
    )
    world.province.name = "Tỉnh Hà Tĩnh"
    world.province.save()
    commission = world.secretariat.unit

    assert certificate_place(party_committee) == "Kỳ Xuân"
    assert certificate_place(commission) == "Hà Tĩnh"
    assert certificate_place(world.province) == "Hà Tĩnh"


def test_place_without_a_locality_falls_back_to_the_setting(db, settings):
    body = UnitFactory(name="Ban Chỉ đạo", kind=UnitKind.PARTY_BODY)

    assert certificate_place(body) == "Hà Tĩnh"
    settings.AWARDS_CERTIFICATE_PLACE = "Nghệ An"
    assert certificate_place(body) == "Nghệ An"


def test_place_name_drops_the_administrative_word():
    assert [
        place_name("Tỉnh Hà Tĩnh"),
        place_name("Thành phố Hà Nội"),
        place_name("Phường Thành Sen"),
        place_name("Phường 1"),
        place_name("Hà Tĩnh"),
    ] == ["Hà Tĩnh", "Hà Nội", "Thành Sen", "Phường 1", "Hà Tĩnh"]


# --- The job -------------------------------------------------------------------------------


def test_request_makes_the_pdf_in_process(
    world, decision, django_capture_on_commit_callbacks, tmp_path, monkeypatch
):
    from danvan import generation

    monkeypatch.setattr(generation, "PROGRESS_INTERVAL", 0)
    job = make(decision, world.secretariat, django_capture_on_commit_callbacks)

    assert [job.kind, job.params, job.status] == [
        KIND,
        {"decision": decision.pk},
        GeneratedFileStatus.DONE,
    ]
    assert job.title == _("Certificates of decision %(number)s") % {"number": "1034/QĐ-UBND"}
    assert [job.filename, job.content_type] == [
        "giay-chung-nhan-1034qd-ubnd.pdf",
        "application/pdf",
    ]
    assert [job.progress_done, job.progress_total] == [3, 3]
    content = job.file.read()
    assert content.startswith(b"%PDF-")
    text = pdf_text(content, tmp_path)
    for name in (world.exemplary.name, PERSON, COLLECTIVE):
        assert name in text
    assert REVOKED not in text
    assert f"Quyết định số 1034/QĐ-UBND {vietnamese_date_words(decision.date)}" in text
    assert f"Hà Tĩnh, {vietnamese_date_words(decision.date)}" in text
    assert "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH" in text


def test_same_decision_gives_identical_bytes_twice(
    world, decision, django_capture_on_commit_callbacks
):
    first = make(decision, world.secretariat, django_capture_on_commit_callbacks)
    second = make(decision, world.secretariat, django_capture_on_commit_callbacks)

    assert first.pk != second.pk
    assert first.sha256 == second.sha256
    assert first.file.read() == second.file.read()


def test_redelivered_task_does_not_render_again(
    world, decision, django_capture_on_commit_callbacks, monkeypatch
):
    job = make(decision, world.secretariat, django_capture_on_commit_callbacks)
    from awards import certificates

    def fail(*args, **kwargs):
        raise AssertionError("rendered twice")

    monkeypatch.setattr(certificates, "certificates_pdf", fail)

    again = generated_file_run(job_id=job.pk)

    assert [again.status, again.sha256] == [GeneratedFileStatus.DONE, job.sha256]


def test_decision_revoked_after_the_request_fails_the_job(
    world, decision, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = certificates_request(decision=decision, by=world.secretariat)
    services.decision_revoke(decision=decision, reason="Ban hành nhầm.", by=world.secretariat)

    job = generated_file_run(job_id=job.pk)

    assert job.status == GeneratedFileStatus.FAILED
    assert job.error == _(
        "This decision has been revoked: its certificates can no longer be printed."
    )


@pytest.mark.parametrize("status", ["draft", "revoked", "all_revoked"])
def test_request_refuses_a_decision_with_nothing_to_print(world, status):
    decision = new_decision(world)
    award = services.award_add(decision=decision, data=model_award(world), by=world.secretariat)
    if status != "draft":
        services.decision_issue(decision=decision, by=world.secretariat)
    if status == "revoked":
        services.decision_revoke(decision=decision, reason="Nhầm.", by=world.secretariat)
    if status == "all_revoked":
        services.award_revoke(award=award, reason="Nhầm.", by=world.secretariat)
    decision.refresh_from_db()

    with pytest.raises(services.AwardsError):
        certificates_request(decision=decision, by=world.secretariat)
    assert GeneratedFile.objects.count() == 0


# --- The page ------------------------------------------------------------------------------


def url(decision):
    return reverse("awards:certificates", args=[decision.pk])


def test_anonymous_user_is_sent_to_the_login(client, decision):
    response = client.post(url(decision))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [None, Role.SECRETARIAT, Role.UNIT_OFFICER])
def test_user_who_may_not_read_the_decision_gets_404(client, decision, role):
    # A secretariat elsewhere (another province's subtree) or a unit officer.
    user = UserFactory(roles=[role] if role else None)
    client.force_login(user)

    assert client.post(url(decision)).status_code == 404
    assert GeneratedFile.objects.count() == 0


def test_get_is_not_allowed(client, world, decision):
    client.force_login(world.secretariat)

    assert client.get(url(decision)).status_code == 405


def test_secretariat_starts_the_job_and_lands_on_its_page(
    client, world, decision, django_capture_on_commit_callbacks
):
    client.force_login(world.secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(decision))

    job = GeneratedFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("generated_file", args=[job.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "1034/QĐ-UBND" in page.content.decode()
    download = client.get(reverse("generated_file_download", args=[job.pk]))
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF-")


def test_leader_who_reads_the_decision_may_fetch_the_secretariats_file(
    client, world, decision, django_capture_on_commit_callbacks
):
    job = make(decision, world.secretariat, django_capture_on_commit_callbacks)
    leader = UserFactory(unit=world.secretariat.unit, roles=[Role.LEADER])
    stranger = UserFactory(roles=[Role.LEADER])

    client.force_login(leader)
    allowed = client.get(reverse("generated_file_download", args=[job.pk])).status_code
    client.force_login(stranger)
    refused = client.get(reverse("generated_file_download", args=[job.pk])).status_code

    assert [allowed, refused] == [200, 404]


@pytest.mark.parametrize("status", ["draft", "revoked"])
def test_draft_or_revoked_decision_is_refused_with_a_message(client, world, status):
    decision = new_decision(world)
    services.award_add(decision=decision, data=model_award(world), by=world.secretariat)
    if status == "revoked":
        services.decision_issue(decision=decision, by=world.secretariat)
        services.decision_revoke(decision=decision, reason="Nhầm.", by=world.secretariat)
    client.force_login(world.secretariat)

    response = client.post(url(decision), follow=True)

    assert response.redirect_chain[0][0] == reverse("awards:decision_detail", args=[decision.pk])
    messages = [str(m) for m in response.context["messages"]]
    expected = {
        "draft": _(
            "This decision is still a draft: mark it issued before printing its certificates."
        ),
        "revoked": _("This decision has been revoked: its certificates can no longer be printed."),
    }
    assert messages == [expected[status]]
    assert GeneratedFile.objects.count() == 0


def test_button_posts_to_the_certificates_url(rf, decision):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = decision.created_by
    html = render_to_string(
        "awards/includes/certificates_button.html", {"decision": decision}, request=request
    )

    assert f'action="{url(decision)}"' in html
    assert 'method="post"' in html
    assert "csrfmiddlewaretoken" in html


def test_job_page_links_back_to_the_decision(
    client, world, decision, django_capture_on_commit_callbacks
):
    job = make(decision, world.secretariat, django_capture_on_commit_callbacks)
    client.force_login(world.secretariat)

    html = client.get(reverse("generated_file", args=[job.pk])).content.decode()

    assert f'href="{reverse("awards:decision_detail", args=[decision.pk])}"' in html
