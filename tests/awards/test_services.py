"""Every awards service: happy path, each refusal, one activity row per transition."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awards import services
from awards.enums import DecisionStatus, Occasion, ProposalStatus, RecipientKind
from awards.models import Award, Decision, Proposal
from awards.services import AwardsError
from danvan.activity import activity_for
from evaluation.models import Result
from tests.awards.conftest import collective_award, decision_data, model_award, new_decision
from tests.factories import RoundFactory, UnitFactory
from tests.factories.registry import docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def actions(obj) -> list[str]:
    return list(activity_for(obj).values_list("action", flat=True))


# --- Proposals ---------------------------------------------------------------------------


def test_proposal_create_from_round_preselects_exemplary_and_recognised(world):
    proposal = services.proposal_create_from_round(
        round=world.round, by=world.secretariat, award_type=world.award_type
    )

    lines = list(proposal.lines.order_by("position"))
    assert [line.dvk_model for line in lines] == [world.exemplary, world.recognised]
    assert lines[0].recipient_kind == RecipientKind.MODEL
    assert world.exemplary.name in lines[0].achievement
    assert proposal.campaign == world.campaign
    assert actions(proposal) == ["awards.proposal.create"]


def test_proposal_create_from_round_refuses_unfinalised_round(world):
    draft = RoundFactory(campaign=world.campaign, created_by=world.secretariat)

    with pytest.raises(AwardsError):
        services.proposal_create_from_round(round=draft, by=world.secretariat)
    assert not Proposal.objects.exists()


def test_proposal_line_add_model_outside_finalised_round_refused(world):
    proposal = services.proposal_create_from_round(round=world.round, by=world.secretariat)
    from tests.factories.evaluation import accepted_model

    outsider = accepted_model(world.campaign)

    with pytest.raises(AwardsError) as refused:
        services.proposal_line_add(
            proposal=proposal, data=model_award(world, outsider), by=world.secretariat
        )
    assert refused.value.field == "dvk_model"


def test_proposal_line_add_manual_needs_reason(world):
    proposal = services.proposal_create_from_round(round=world.round, by=world.secretariat)
    from tests.factories.evaluation import accepted_model

    outsider = accepted_model(world.campaign)

    with pytest.raises(AwardsError) as refused:
        services.proposal_line_add(
            proposal=proposal, data=model_award(world, outsider, manual=True), by=world.secretariat
        )
    assert refused.value.field == "manual_reason"
    line = services.proposal_line_add(
        proposal=proposal,
        data=model_award(world, outsider, manual=True, manual_reason="Đề xuất của xã"),
        by=world.secretariat,
    )
    assert line.position == 3
    assert actions(proposal)[-1] == "awards.proposal.line_add"


def test_proposal_line_individual_update_and_remove(world):
    proposal = services.proposal_create_from_round(round=world.round, by=world.secretariat)
    line = services.proposal_line_add(
        proposal=proposal,
        data={
            "recipient_kind": RecipientKind.INDIVIDUAL,
            "person_name": "Phan Thị Hằng",
            "person_position": "Chủ tịch Hội Phụ nữ",
            "unit": world.province,
            "award_type": world.award_type,
            "achievement": "Thành tích",
        },
        by=world.secretariat,
    )

    services.proposal_line_update(
        line=line, data={"person_name": "Phan Thị Hà"}, by=world.secretariat
    )
    line.refresh_from_db()
    assert line.person_name == "Phan Thị Hà"
    services.proposal_line_remove(line=line, by=world.secretariat)
    assert proposal.lines.count() == 2
    assert actions(proposal)[-2:] == ["awards.proposal.line_update", "awards.proposal.line_remove"]


def test_proposal_line_individual_without_name_refused(world):
    proposal = services.proposal_create_from_round(round=world.round, by=world.secretariat)

    with pytest.raises(AwardsError) as refused:
        services.proposal_line_add(
            proposal=proposal,
            data={
                "recipient_kind": RecipientKind.INDIVIDUAL,
                "award_type": world.award_type,
                "achievement": "x",
            },
            by=world.secretariat,
        )
    assert refused.value.field == "person_name"


def test_proposal_send_locks_lines(world):
    proposal = services.proposal_create_from_round(round=world.round, by=world.secretariat)

    services.proposal_send(proposal=proposal, by=world.secretariat)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SENT
    with pytest.raises(AwardsError):
        services.proposal_line_remove(line=proposal.lines.first(), by=world.secretariat)
    with pytest.raises(AwardsError):
        services.proposal_send(proposal=proposal, by=world.secretariat)
    assert actions(proposal)[-1] == "awards.proposal.send"


# --- Decisions ---------------------------------------------------------------------------


def test_decision_create_from_proposal_lines_become_awards(world):
    proposal = services.proposal_create_from_round(
        round=world.round, by=world.secretariat, award_type=world.award_type
    )
    services.proposal_send(proposal=proposal, by=world.secretariat)

    decision = services.decision_create_from_proposal(
        proposal=proposal, data=decision_data(world), by=world.secretariat
    )

    awards = list(decision.awards.order_by("position"))
    assert [a.dvk_model for a in awards] == [world.exemplary, world.recognised]
    assert [a.amount for a in awards] == [1_500_000, 1_500_000]
    assert {a.campaign for a in awards} == {world.campaign}
    assert decision.display_number == "1034/QĐ-UBND"
    assert decision.year == datetime.date.today().year
    assert actions(decision) == ["awards.decision.create"]


def test_decision_create_from_unsent_proposal_refused(world):
    proposal = services.proposal_create_from_round(round=world.round, by=world.secretariat)

    with pytest.raises(AwardsError):
        services.decision_create_from_proposal(
            proposal=proposal, data=decision_data(world), by=world.secretariat
        )
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"number": 0}, "number"),
        ({"doc_type": "qđ"}, "doc_type"),
        ({"issuer_code": "UB ND"}, "issuer_code"),
        ({"date": datetime.date(2000, 1, 1)}, "date"),
    ],
)
def test_decision_create_bad_input_refused_at_field(world, changes, field):
    with pytest.raises(AwardsError) as refused:
        new_decision(world, **changes)

    assert refused.value.field == field
    assert not Decision.objects.exists()


def test_decision_create_number_taken_same_issuer_year_refused(world):
    new_decision(world)

    with pytest.raises(AwardsError) as refused:
        new_decision(world, numbering="party", issuer_code="TU")
    assert refused.value.field == "number"
    assert "1034/QĐ-UBND" in str(refused.value)
    new_decision(world, issuer=UnitFactory(parent=world.province))


def test_decision_create_scanned_copy_must_be_pdf(world):
    with pytest.raises(AwardsError) as refused:
        new_decision(world, scanned_copy=SimpleUploadedFile("qd.pdf", docx_bytes()))
    assert refused.value.field == "scanned_copy"

    decision = new_decision(world, scanned_copy=SimpleUploadedFile("qd.pdf", pdf_bytes()))
    assert decision.scanned_copy.name.endswith(".pdf")


def test_award_add_amount_refusals(world):
    decision = new_decision(world)

    for amount in (-1, 1.5):
        with pytest.raises(AwardsError) as refused:
            services.award_add(
                decision=decision, data=model_award(world, amount=amount), by=world.secretariat
            )
        assert refused.value.field == "amount"
    assert not decision.awards.exists()


def test_double_award_refused_naming_earlier_decision(world):
    first = new_decision(world)
    services.award_add(decision=first, data=model_award(world), by=world.secretariat)
    services.decision_issue(decision=first, by=world.secretariat)
    second = new_decision(world, number=1100)

    with pytest.raises(AwardsError) as refused:
        services.award_add(decision=second, data=model_award(world), by=world.secretariat)

    assert "1034/QĐ-UBND" in str(refused.value)
    assert refused.value.field == "award_type"


def test_double_award_other_occasion_allowed(world):
    first = new_decision(world)
    services.award_add(decision=first, data=model_award(world), by=world.secretariat)
    second = new_decision(world, number=1100, occasion=Occasion.OCT15)

    award = services.award_add(decision=second, data=model_award(world), by=world.secretariat)

    assert award.pk


def test_double_award_revoked_does_not_count(world):
    first = new_decision(world)
    services.award_add(
        decision=first, data=collective_award(world, world.province), by=world.secretariat
    )
    services.decision_issue(decision=first, by=world.secretariat)
    services.decision_revoke(decision=first, reason="Nhầm đối tượng", by=world.secretariat)
    second = new_decision(world, number=1100)

    award = services.award_add(
        decision=second, data=collective_award(world, world.province), by=world.secretariat
    )

    assert award.pk


def test_award_model_outside_finalised_round_refused_unless_manual(world):
    decision = new_decision(world)

    with pytest.raises(AwardsError):
        services.award_add(
            decision=decision,
            data=model_award(world, world.failed, achievement="x")
            | {"dvk_model": _other_model(world)},
            by=world.secretariat,
        )
    award = services.award_add(
        decision=decision,
        data=model_award(world, _other_model(world), manual=True, manual_reason="Đề xuất bổ sung"),
        by=world.secretariat,
    )
    assert award.manual


def _other_model(world):
    from tests.factories.evaluation import accepted_model

    return accepted_model(world.campaign)


def test_decision_issue_locks_awards_and_decision(world):
    decision = new_decision(world)
    award = services.award_add(decision=decision, data=model_award(world), by=world.secretariat)

    services.decision_issue(decision=decision, by=world.secretariat)

    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ISSUED
    with pytest.raises(AwardsError):
        services.award_remove(award=award, by=world.secretariat)
    with pytest.raises(AwardsError):
        services.award_add(
            decision=decision, data=collective_award(world, world.province), by=world.secretariat
        )
    with pytest.raises(AwardsError):
        services.award_update(award=award, data={"amount": 1}, by=world.secretariat)
    with pytest.raises(AwardsError):
        services.decision_update(decision=decision, data={"number": 5}, by=world.secretariat)
    assert actions(decision) == [
        "awards.decision.create",
        "awards.decision.award_add",
        "awards.decision.issue",
    ]


def test_decision_issue_without_awards_refused(world):
    decision = new_decision(world)

    with pytest.raises(AwardsError):
        services.decision_issue(decision=decision, by=world.secretariat)


def test_decision_update_and_award_update_while_draft(world):
    decision = new_decision(world)
    award = services.award_add(decision=decision, data=model_award(world), by=world.secretariat)

    services.decision_update(
        decision=decision, data={"number": 7, "signer_name": "Lê Văn A"}, by=world.secretariat
    )
    services.award_update(award=award, data={"amount": 2_000_000}, by=world.secretariat)

    decision.refresh_from_db()
    award.refresh_from_db()
    assert (decision.number, decision.signer_name, award.amount) == (7, "Lê Văn A", 2_000_000)
    services.award_remove(award=award, by=world.secretariat)
    assert not Award.objects.exists()


def test_decision_revoke_needs_reason_and_issued(world):
    decision = new_decision(world)
    services.award_add(decision=decision, data=model_award(world), by=world.secretariat)
    with pytest.raises(AwardsError):
        services.decision_revoke(decision=decision, reason="x", by=world.secretariat)
    services.decision_issue(decision=decision, by=world.secretariat)
    with pytest.raises(AwardsError) as refused:
        services.decision_revoke(decision=decision, reason="  ", by=world.secretariat)
    assert refused.value.field == "reason"

    services.decision_revoke(decision=decision, reason="Sai thẩm quyền", by=world.secretariat)

    decision.refresh_from_db()
    assert (decision.status, decision.revoked_reason, decision.revoked_by) == (
        DecisionStatus.REVOKED,
        "Sai thẩm quyền",
        world.secretariat,
    )
    assert not Award.objects.counting().exists()
    assert actions(decision)[-1] == "awards.decision.revoke"


# --- Award types and events ------------------------------------------------------------


def test_award_type_save_create_update_and_refusals(world):
    award_type = services.award_type_save(
        data={
            "name": "Bằng khen",
            "short_code": "BK",
            "issuing_level": "province",
            "default_amount": 0,
        },
        by=world.secretariat,
    )
    services.award_type_save(award_type=award_type, data={"active": False}, by=world.secretariat)
    with pytest.raises(AwardsError) as refused:
        services.award_type_save(
            award_type=award_type, data={"default_amount": -5}, by=world.secretariat
        )
    assert refused.value.field == "default_amount"  # the award type form's field
    with pytest.raises(AwardsError):
        services.award_type_save(
            data={"name": "Bằng khen", "short_code": "BK2", "issuing_level": "province"},
            by=world.secretariat,
        )
    assert actions(award_type) == ["awards.awardtype.create", "awards.awardtype.update"]


def test_honouring_event_save_only_counting_awards(world):
    decision = new_decision(world)
    award = services.award_add(decision=decision, data=model_award(world), by=world.secretariat)
    data = {
        "name": "Hội nghị biểu dương",
        "date": datetime.date.today(),
        "level": "province",
        "unit": world.province,
    }

    with pytest.raises(AwardsError):
        services.honouring_event_save(data=data, awards=[award], by=world.secretariat)
    services.decision_issue(decision=decision, by=world.secretariat)
    event = services.honouring_event_save(data=data, awards=[award], by=world.secretariat)

    assert list(event.awards.all()) == [award]
    assert actions(event) == ["awards.honouringevent.create"]


def test_proposal_only_from_results(world):
    assert Result.objects.filter(round=world.round).count() == 3
