"""The decision pages: the list, recording (from scratch and from a proposal), the page
with its awards, issue and revocation, each refusal at its field, the permission matrix
of every URL and the page's query count."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from awards import services
from awards.enums import DecisionStatus, Numbering, RecipientKind
from awards.models import Award, Decision
from danvan.activity import activity_for
from danvan.enums import Role
from tests.awards.conftest import model_award, new_decision
from tests.factories import UnitFactory, UserFactory
from tests.factories.evaluation import accepted_model
from tests.factories.registry import docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    return {
        "secretariat": world.secretariat,
        "leader": UserFactory(unit=world.secretariat.unit, roles=[Role.LEADER]),
        "officer": UserFactory(unit=world.exemplary.unit, roles=[Role.UNIT_OFFICER]),
        "other_secretariat": UserFactory(unit=UnitFactory(), roles=[Role.SECRETARIAT]),
    }


def actions(obj) -> list[str]:
    return list(activity_for(obj).values_list("action", flat=True))


def form_data(world, **changes) -> dict:
    data = {
        "number": "1034/QĐ-UBND",
        "date": datetime.date.today().isoformat(),
        "issuer": world.province.pk,
        "issuing_authority": "Ủy ban nhân dân tỉnh Hà Tĩnh",
        "signer_name": "Nguyễn Văn Hùng",
        "signer_title": "Chủ tịch",
        "occasion": "year_end",
        "campaigns": [world.campaign.pk],
        "reason": "Thành tích xuất sắc",
    }
    data.update(changes)
    return data


def award_post(world, **changes) -> dict:
    data = {
        "recipient_kind": RecipientKind.MODEL,
        "dvk_model": world.exemplary.pk,
        "award_type": world.award_type.pk,
        "achievement": "Đã có thành tích xuất sắc trong xây dựng mô hình",
        "amount": "1.500.000",
    }
    data.update(changes)
    return data


def issued_decision(world):
    decision = new_decision(world)
    services.award_add(decision=decision, data=model_award(world), by=world.secretariat)
    return services.decision_issue(decision=decision, by=world.secretariat)


def errors(response, field):
    return response.context["form"].errors.get(field, [])


# --- The list --------------------------------------------------------------------------------


def test_list_shows_decisions_in_scope_with_filters(client, world, people):
    issued = issued_decision(world)
    commune = UnitFactory(parent=world.province)
    new_decision(world, number=125, issuer_code="TU", numbering=Numbering.PARTY, issuer=commune)
    client.force_login(world.secretariat)

    page = client.get(reverse("awards:decision_list")).content.decode()
    assert "1034/QĐ-UBND" in page
    assert "125-QĐ/TU" in page

    filtered = client.get(reverse("awards:decision_list"), {"status": "issued"})
    assert [d.pk for d in filtered.context["page_obj"]] == [issued.pk]
    assert filtered.context["page_obj"][0].award_count == 1
    by_issuer = client.get(
        reverse("awards:decision_list"), {"year": issued.year, "issuer": world.province.pk}
    )
    assert [d.pk for d in by_issuer.context["page_obj"]] == [issued.pk]

    client.force_login(people["other_secretariat"])
    assert "1034/QĐ-UBND" not in client.get(reverse("awards:decision_list")).content.decode()


# --- Recording -------------------------------------------------------------------------------


def test_create_parses_number_saves_parts_and_scan(client, world):
    client.force_login(world.secretariat)
    scan = SimpleUploadedFile("qd.pdf", pdf_bytes(), content_type="application/pdf")

    response = client.post(
        reverse("awards:decision_create"),
        form_data(world, number=" 125-QĐ/BTGDVTU ", scanned_copy=scan),
    )

    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("awards:decision_detail", args=[decision.pk])
    assert (decision.number, decision.doc_type, decision.issuer_code, decision.numbering) == (
        125,
        "QĐ",
        "BTGDVTU",
        Numbering.PARTY,
    )
    assert list(decision.campaigns.all()) == [world.campaign]
    assert decision.scanned_copy.name.endswith(".pdf")
    assert actions(decision) == ["awards.decision.create"]


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"number": "1034 QĐ UBND"}, "number", "1034/QĐ-UBND"),
        ({"number": "0/QĐ-UBND"}, "number", "số nguyên từ 1"),
        ({"number": "125-qđ/TU"}, "number", "125-QĐ/TU"),
        ({"date": "2000-01-01"}, "date", "trước ngày bắt đầu phong trào"),
        (
            {"scanned_copy": SimpleUploadedFile("qd.pdf", docx_bytes())},
            "scanned_copy",
            "",
        ),
        (
            {"scanned_copy": SimpleUploadedFile("qd.docx", docx_bytes())},
            "scanned_copy",
            "PDF",
        ),
        ({"campaigns": []}, "campaigns", ""),
        ({"issuer": "999999"}, "issuer", ""),
    ],
)
def test_create_refusals_at_field_keep_input_save_nothing(client, world, changes, field, text):
    client.force_login(world.secretariat)

    response = client.post(reverse("awards:decision_create"), form_data(world, **changes))

    assert response.status_code == 200
    assert errors(response, field)
    assert text in " ".join(errors(response, field)) or not text
    assert response.context["form"]["signer_name"].value() == "Nguyễn Văn Hùng"
    assert not Decision.objects.exists()


def test_create_number_taken_refused_at_number(client, world):
    new_decision(world)
    client.force_login(world.secretariat)

    response = client.post(reverse("awards:decision_create"), form_data(world))

    assert "1034/QĐ-UBND" in " ".join(errors(response, "number"))
    assert Decision.objects.count() == 1


def test_update_while_draft(client, world):
    decision = new_decision(world)
    client.force_login(world.secretariat)
    url = reverse("awards:decision_update", args=[decision.pk])

    assert client.get(url).context["form"]["number"].value() == "1034/QĐ-UBND"
    response = client.post(url, form_data(world, number="1035/QĐ-UBND", signer_name="Trần B"))

    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.number, decision.signer_name) == (1035, "Trần B")
    assert actions(decision)[-1] == "awards.decision.update"


# --- Proposal → decision → issue → revoke -------------------------------------------------------


def test_journey_proposal_decision_issue_revoke(client, world):
    proposal = services.proposal_create_from_round(
        round=world.round, by=world.secretariat, award_type=world.award_type
    )
    services.proposal_send(proposal=proposal, by=world.secretariat)
    client.force_login(world.secretariat)
    create_url = reverse("awards:decision_create") + f"?proposal={proposal.pk}"

    form = client.get(create_url).context["form"]
    assert "campaigns" not in form.fields
    data = form_data(world)
    del data["campaigns"]
    response = client.post(create_url, data)
    decision = Decision.objects.get()
    assert response.url == reverse("awards:decision_detail", args=[decision.pk])
    assert decision.proposal == proposal
    assert decision.awards.count() == 2
    assert set(decision.awards.values_list("amount", flat=True)) == {1_500_000}

    detail = client.get(response.url)
    page = detail.content.decode()
    assert "1.500.000 đ" in page
    assert world.exemplary.name in page
    assert reverse("awards:decision_issue", args=[decision.pk]) in page
    assert 'data-confirm="' in page

    # The recognised model's award is edited, then the decision is issued.
    award = decision.awards.get(dvk_model=world.recognised)
    url = reverse("awards:award_update", args=[decision.pk, award.pk])
    response = client.post(
        url, award_post(world, dvk_model=world.recognised.pk, amount="2.000.000")
    )
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.amount == 2_000_000

    response = client.post(reverse("awards:decision_issue", args=[decision.pk]))
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ISSUED
    page = client.get(response.url).content.decode()
    assert reverse("awards:decision_update", args=[decision.pk]) not in page
    assert reverse("awards:award_create", args=[decision.pk]) not in page
    assert reverse("awards:award_update", args=[decision.pk, award.pk]) not in page
    assert reverse("awards:award_remove", args=[decision.pk, award.pk]) not in page
    assert reverse("awards:decision_revoke", args=[decision.pk]) in page

    revoke_url = reverse("awards:decision_revoke", args=[decision.pk])
    response = client.post(revoke_url, {"reason": "  "})
    assert errors(response, "reason")
    response = client.post(revoke_url, {"reason": "Nhầm đối tượng"})
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.REVOKED
    page = client.get(response.url).content.decode()
    assert "Nhầm đối tượng" in page
    assert str(world.secretariat) in page
    assert page.count('badge text-bg-danger">') >= 3  # the decision's badge and two awards
    assert actions(decision)[-2:] == ["awards.decision.issue", "awards.decision.revoke"]


def test_create_from_unsent_proposal_404(client, world):
    proposal = services.proposal_create_from_round(round=world.round, by=world.secretariat)
    client.force_login(world.secretariat)

    url = reverse("awards:decision_create") + f"?proposal={proposal.pk}"
    assert client.get(url).status_code == 404
    assert client.get(reverse("awards:decision_create") + "?proposal=abc").status_code == 404


def test_issue_without_awards_refused_on_page(client, world):
    decision = new_decision(world)
    client.force_login(world.secretariat)

    response = client.post(reverse("awards:decision_issue", args=[decision.pk]), follow=True)

    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT
    message = gettext("Add at least one award before marking the decision issued.")
    assert [str(m) for m in response.context["messages"]] == [message]


# --- Awards while draft ------------------------------------------------------------------------


def test_award_add_edit_remove_while_draft(client, world):
    decision = new_decision(world)
    client.force_login(world.secretariat)

    response = client.post(
        reverse("awards:award_create", args=[decision.pk]), award_post(world, amount="")
    )
    award = decision.awards.get()
    assert response.status_code == 302
    assert award.amount == 1_500_000  # empty: the award type's default

    client.post(
        reverse("awards:award_update", args=[decision.pk, award.pk]),
        award_post(world, amount="1 200 000 đ"),
    )
    award.refresh_from_db()
    assert award.amount == 1_200_000

    client.post(reverse("awards:award_remove", args=[decision.pk, award.pk]))
    assert not decision.awards.exists()
    assert actions(decision)[-3:] == [
        "awards.decision.award_add",
        "awards.decision.award_update",
        "awards.decision.award_remove",
    ]


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("-1", "không được âm"),
        ("-1.500.000", "không được âm"),
        ("1.500,5", "đồng chẵn"),
        ("1,5", "đồng chẵn"),
        ("abc", "đồng chẵn"),
    ],
)
def test_award_amount_refused_at_field(client, world, amount, text):
    decision = new_decision(world)
    client.force_login(world.secretariat)

    response = client.post(
        reverse("awards:award_create", args=[decision.pk]), award_post(world, amount=amount)
    )

    assert response.status_code == 200
    assert text in " ".join(errors(response, "amount"))
    assert response.context["form"]["achievement"].value().startswith("Đã có thành tích")
    assert not decision.awards.exists()


def test_award_double_award_refused_at_award_type_naming_earlier(client, world):
    issued_decision(world)
    second = new_decision(world, number=1100)
    client.force_login(world.secretariat)

    response = client.post(reverse("awards:award_create", args=[second.pk]), award_post(world))

    assert response.status_code == 200
    assert "1034/QĐ-UBND" in " ".join(errors(response, "award_type"))
    assert not second.awards.exists()


def test_award_model_outside_finalised_round_needs_manual(client, world):
    outsider = accepted_model(world.campaign)
    decision = new_decision(world)
    client.force_login(world.secretariat)
    url = reverse("awards:award_create", args=[decision.pk])

    response = client.post(url, award_post(world, dvk_model=outsider.pk))
    assert response.status_code == 200
    assert errors(response, "dvk_model")
    assert not decision.awards.exists()

    response = client.post(url, award_post(world, dvk_model=outsider.pk, manual="on"))
    assert errors(response, "manual_reason")
    response = client.post(
        url, award_post(world, dvk_model=outsider.pk, manual="on", manual_reason="Đề xuất bổ sung")
    )
    assert response.status_code == 302
    assert decision.awards.get().manual


def test_issued_decision_is_locked(client, world):
    decision = issued_decision(world)
    award = decision.awards.get()
    client.force_login(world.secretariat)
    before = (Decision.objects.values().get(pk=decision.pk), list(Award.objects.values()))
    logged = len(actions(decision))

    posts = [
        (reverse("awards:decision_update", args=[decision.pk]), form_data(world, signer_name="X")),
        (reverse("awards:award_create", args=[decision.pk]), award_post(world)),
        (
            reverse("awards:award_update", args=[decision.pk, award.pk]),
            award_post(world, amount="9"),
        ),
        (reverse("awards:award_remove", args=[decision.pk, award.pk]), {}),
        (reverse("awards:decision_issue", args=[decision.pk]), {}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response.url == reverse("awards:decision_detail", args=[decision.pk])
        assert client.get(reverse("awards:decision_update", args=[decision.pk])).status_code == 302

    assert (Decision.objects.values().get(pk=decision.pk), list(Award.objects.values())) == before
    assert len(actions(decision)) == logged


def test_award_revoke_one_award(client, world):
    decision = issued_decision(world)
    award = decision.awards.get()
    client.force_login(world.secretariat)
    url = reverse("awards:award_revoke", args=[decision.pk, award.pk])

    assert errors(client.post(url, {"reason": ""}), "reason")
    response = client.post(url, {"reason": "Trùng khen thưởng"})

    award.refresh_from_db()
    decision.refresh_from_db()
    assert response.status_code == 302
    assert award.revoked and award.revoked_reason == "Trùng khen thưởng"
    assert decision.status == DecisionStatus.ISSUED
    assert not Award.objects.counting().exists()
    page = client.get(response.url).content.decode()
    assert "Trùng khen thưởng" in page
    assert url not in page
    assert actions(decision)[-1] == "awards.decision.award_revoke"


def test_award_revoke_service_refusals_and_double_award_freed(world):
    decision = issued_decision(world)
    award = decision.awards.get()

    with pytest.raises(services.AwardsError) as refused:
        services.award_revoke(award=award, reason=" ", by=world.secretariat)
    assert refused.value.field == "reason"
    services.award_revoke(award=award, reason="Nhầm đối tượng", by=world.secretariat)
    with pytest.raises(services.AwardsError):
        services.award_revoke(award=award, reason="Lần nữa", by=world.secretariat)
    assert actions(decision).count("awards.decision.award_revoke") == 1

    # A revoked award does not count against the double-award rule.
    second = new_decision(world, number=1100)
    assert services.award_add(decision=second, data=model_award(world), by=world.secretariat)


def test_award_revoke_refused_on_draft(client, world):
    decision = new_decision(world)
    award = services.award_add(decision=decision, data=model_award(world), by=world.secretariat)
    client.force_login(world.secretariat)

    response = client.post(
        reverse("awards:award_revoke", args=[decision.pk, award.pk]), {"reason": "X"}
    )

    award.refresh_from_db()
    assert response.status_code == 302
    assert not award.revoked


# --- The scanned copy --------------------------------------------------------------------------


def test_scan_download_in_scope_only(client, world, people):
    decision = new_decision(
        world,
        scanned_copy=SimpleUploadedFile("qd.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    url = reverse("awards:decision_scan", args=[decision.pk])

    for name in ("secretariat", "leader"):
        client.force_login(people[name])
        response = client.get(url)
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["Content-Type"] == "application/pdf"
    for name in ("officer", "other_secretariat"):
        client.force_login(people[name])
        assert client.get(url).status_code == 404, name
    client.logout()
    assert client.get(url).status_code == 302


def test_scan_missing_404(client, world):
    decision = new_decision(world)
    client.force_login(world.secretariat)
    assert client.get(reverse("awards:decision_scan", args=[decision.pk])).status_code == 404


# --- Permission matrix -------------------------------------------------------------------------


def _urls(draft, issued):
    award = draft.awards.get()
    issued_award = issued.awards.get()
    return {
        "list": reverse("awards:decision_list"),
        "create": reverse("awards:decision_create"),
        "detail": reverse("awards:decision_detail", args=[draft.pk]),
        "update": reverse("awards:decision_update", args=[draft.pk]),
        "award_create": reverse("awards:award_create", args=[draft.pk]),
        "award_update": reverse("awards:award_update", args=[draft.pk, award.pk]),
        "revoke": reverse("awards:decision_revoke", args=[issued.pk]),
        "award_revoke": reverse("awards:award_revoke", args=[issued.pk, issued_award.pk]),
    }


def _post_urls(draft):
    award = draft.awards.get()
    return [
        reverse("awards:decision_issue", args=[draft.pk]),
        reverse("awards:award_remove", args=[draft.pk, award.pk]),
    ]


@pytest.fixture
def pair(world):
    issued = issued_decision(world)
    draft = new_decision(world, number=1200)
    services.award_add(
        decision=draft,
        data={
            "recipient_kind": RecipientKind.INDIVIDUAL,
            "person_name": "Phan Thị Hằng",
            "award_type": world.award_type,
            "achievement": "Đã có thành tích",
        },
        by=world.secretariat,
    )
    return draft, issued


def test_matrix_anonymous_redirects_to_login(client, pair):
    for url in [*_urls(*pair).values(), *_post_urls(pair[0])]:
        response = client.post(url) if url in _post_urls(pair[0]) else client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_matrix_secretariat_opens_every_page(client, world, pair):
    client.force_login(world.secretariat)
    for name, url in _urls(*pair).items():
        assert client.get(url).status_code == 200, name
    for url in _post_urls(pair[0]):
        assert client.get(url).status_code == 405, url


def test_matrix_leader_reads_only(client, people, pair):
    client.force_login(people["leader"])
    for name, url in _urls(*pair).items():
        expected = 200 if name in ("list", "detail") else 404
        assert client.get(url).status_code == expected, name
    for url in _post_urls(pair[0]):
        assert client.post(url).status_code == 404, url
    page = client.get(_urls(*pair)["detail"]).content.decode()
    assert "/sua/" not in page
    assert pair[0].awards.count() == 1


@pytest.mark.parametrize("who", ["officer", "other_secretariat"])
def test_matrix_outside_scope_or_wrong_role_404(client, people, pair, who):
    client.force_login(people[who])
    for name, url in _urls(*pair).items():
        if who == "other_secretariat" and name in ("list", "create"):
            continue  # their own (empty) list and a new decision of their own
        assert client.get(url).status_code == 404, name
    for url in _post_urls(pair[0]):
        assert client.post(url).status_code == 404, url
    assert pair[0].awards.count() == 1
    assert pair[0].status == DecisionStatus.DRAFT


def test_matrix_other_secretariat_cannot_record_from_foreign_proposal(client, world, people):
    proposal = services.proposal_create_from_round(round=world.round, by=world.secretariat)
    services.proposal_send(proposal=proposal, by=world.secretariat)
    client.force_login(people["other_secretariat"])

    url = reverse("awards:decision_create") + f"?proposal={proposal.pk}"
    assert client.get(url).status_code == 404


# --- Query budget ------------------------------------------------------------------------------


def _fill(decision, world, n):
    Award.objects.bulk_create(
        Award(
            decision=decision,
            recipient_kind=RecipientKind.INDIVIDUAL,
            person_name=f"Người số {i}",
            person_position="Bí thư Chi bộ",
            unit=world.exemplary.unit,
            award_type=world.award_type,
            achievement="Đã có thành tích",
            amount=500_000,
            position=i,
        )
        for i in range(n)
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_detail_query_count_constant_in_awards(client, world):
    one = new_decision(world)
    many = new_decision(world, number=1300)
    _fill(one, world, 1)
    _fill(many, world, 30)
    client.force_login(world.secretariat)
    _count(client, reverse("awards:decision_detail", args=[one.pk]))  # warm caches

    small = _count(client, reverse("awards:decision_detail", args=[one.pk]))
    large = _count(client, reverse("awards:decision_detail", args=[many.pk]))

    assert small == large
    assert large <= 15


def test_list_query_count_constant_in_decisions(client, world):
    client.force_login(world.secretariat)
    new_decision(world)
    url = reverse("awards:decision_list")
    _count(client, url)  # warm caches
    one = _count(client, url)
    for number in range(2000, 2005):
        new_decision(world, number=number)

    assert _count(client, url) == one
