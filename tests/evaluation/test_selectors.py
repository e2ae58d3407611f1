"""evaluation/selectors: what each page reads, and query counts that do not grow with rows
(each selector runs with 1 and with 50 rows and must issue the same number of queries)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation import selectors, services
from evaluation.enums import Visibility
from evaluation.models import Assignment, Round
from tests.factories import (
    CampaignFactory,
    CommitteeFactory,
    CommitteeMemberFactory,
    RoundEntryFactory,
    RoundFactory,
)
from tests.factories.evaluation import accepted_model, fill_sheet, open_round, sheet_of
from tests.factories.registry import days

pytestmark = pytest.mark.django_db


def round_with_entries(campaign, secretariat, n, *, per_model=1, reviewers=1, rubric=None):
    """An open round with ``n`` entries auto-assigned among ``reviewers`` new members.

    ``campaign`` None: a new province and campaign, so that rounds built side by side do
    not share their committee's members.
    """
    campaign = campaign or CampaignFactory()
    extra = {"rubric_collective": rubric} if rubric else {}
    round_ = RoundFactory(
        campaign=campaign, created_by=secretariat, reviewers_per_model=per_model, **extra
    )
    committee = CommitteeFactory(unit=round_.scope_unit)
    members = [CommitteeMemberFactory(committee=committee) for _ in range(reviewers)]
    for _ in range(n):
        RoundEntryFactory(round=round_, dvk_model=accepted_model(campaign, reviewer=secretariat))
    services.assignments_auto(round=round_, by=secretariat)
    open_round(round_, by=secretariat)
    return round_, [m.user for m in members]


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as context:
        func()
    return len(context.captured_queries)


# --- The reviewer's queue -----------------------------------------------------------------


def read_queue(user):
    return [
        (a.sheet.status, a.progress, a.due_date, a.entry.dvk_model.unit.name, a.round.name)
        for a in selectors.reviewer_queue(user=user)
    ]


def test_reviewer_queue_annotates_progress_due_date_and_order(campaign, province, secretariat):
    rubric = services.rubric_create_default(
        organiser=province, campaign=campaign, applies_to="collective", by=secretariat
    )
    round_, [reviewer] = round_with_entries(campaign, secretariat, 3, rubric=rubric)
    first, second, third = Assignment.objects.filter(round=round_).order_by("pk")
    criteria = list(rubric.criteria.order_by("position"))
    for criterion in criteria[:3]:
        services.sheet_save_score(
            sheet=sheet_of(second), criterion=criterion, points=5, by=reviewer
        )
    fill_sheet(sheet_of(third), 77)

    queue = list(selectors.reviewer_queue(user=reviewer))

    assert [a.pk for a in queue] == [second.pk, first.pk, third.pk]
    assert [(a.criteria_scored, a.criteria_total, a.progress) for a in queue] == [
        (3, 6, 50),
        (0, 6, 0),
        (6, 6, 100),
    ]
    assert {a.due_date for a in queue} == {round_.scoring_closes}


def test_reviewer_queue_due_date_follows_reopening(campaign, secretariat):
    round_, [reviewer] = round_with_entries(campaign, secretariat, 1)
    assignment = Assignment.objects.get(round=round_)
    fill_sheet(sheet_of(assignment), 60)
    services.sheet_reopen(
        sheet=sheet_of(assignment), by=secretariat, reason="Bổ sung.", until=days(30)
    )

    [queued] = selectors.reviewer_queue(user=reviewer)

    assert queued.due_date == days(30)


def test_reviewer_queue_leaves_out_finalised_rounds(campaign, secretariat):
    round_, [reviewer] = round_with_entries(campaign, secretariat, 1)
    services.round_finalise(round=round_, by=secretariat, force=True)

    assert list(selectors.reviewer_queue(user=reviewer)) == []
    assert len(selectors.reviewer_queue(user=reviewer, include_finalised=True)) == 1


def test_reviewer_queue_query_count_same_for_1_and_50(
    campaign, secretariat, django_assert_num_queries
):
    _small, [few] = round_with_entries(None, secretariat, 1)
    _large, [many] = round_with_entries(None, secretariat, 50)
    expected = count_queries(lambda: read_queue(few))

    with django_assert_num_queries(expected):
        rows = read_queue(many)

    assert len(rows) == 50
    assert expected == 1


# --- The score sheet ----------------------------------------------------------------------


def read_sheet(sheet_id, user):
    context = selectors.sheet_detail(sheet_id=sheet_id, user=user)
    # Touch everything the page renders, so that a lazy relation would show as a query.
    rendered = [(c.score_points, c.score_comment, c.guidance) for c in context["criteria"]]
    rendered += [
        (p.assignment.reviewer.full_name, [s.points for s in p.scores.all()])
        for p in context["peers"]
    ]
    rendered += [a.original_name for a in context["attachments"]]
    assert rendered is not None
    return context


def test_sheet_detail_context(campaign, province, secretariat):
    rubric = services.rubric_create_default(
        organiser=province, campaign=campaign, applies_to="collective", by=secretariat
    )
    round_, [reviewer] = round_with_entries(campaign, secretariat, 1, rubric=rubric)
    sheet = sheet_of(Assignment.objects.get(round=round_))
    criteria = list(rubric.criteria.order_by("position"))
    services.sheet_save_score(
        sheet=sheet, criterion=criteria[1], points="12.5", comment="Có nghị quyết.", by=reviewer
    )
    services.sheet_save_score(sheet=sheet, criterion=criteria[3], points=20, by=reviewer)

    context = read_sheet(sheet.pk, reviewer)

    assert [c.score_points for c in context["criteria"]] == [
        None,
        Decimal("12.5"),
        None,
        Decimal(20),
        None,
        None,
    ]
    assert context["criteria"][1].score_comment == "Có nghị quyết."
    assert [(group, len(rows)) for group, rows in context["groups"]] == [
        ("I. Nội dung mô hình", 3),
        ("II. Hiệu quả", 2),
        ("III. Tính bền vững", 1),
    ]
    assert (context["scored_count"], context["total"], context["criteria_count"]) == (
        2,
        Decimal("32.5"),
        6,
    )
    assert (context["can_edit"], context["refusal"], context["is_assignee"]) == (True, None, True)
    assert context["deadline"] == round_.scoring_closes
    assert context["dvk_model"] == sheet.assignment.entry.dvk_model
    assert context["peers"] == []


def test_sheet_detail_for_secretariat_is_read_only(campaign, secretariat):
    round_, _ = round_with_entries(campaign, secretariat, 1)
    sheet = sheet_of(Assignment.objects.get(round=round_))

    context = read_sheet(sheet.pk, secretariat)

    assert context["can_edit"] is False
    assert context["is_assignee"] is False


@pytest.mark.parametrize(
    ("visibility", "own_submitted", "sees_peer"),
    [
        (Visibility.NEVER, True, False),
        (Visibility.AFTER_SUBMIT, False, False),
        (Visibility.AFTER_SUBMIT, True, True),
        (Visibility.ALWAYS, False, True),
    ],
)
def test_sheet_detail_peers_follow_round_visibility(
    campaign, secretariat, visibility, own_submitted, sees_peer
):
    round_, reviewers = round_with_entries(campaign, secretariat, 1, per_model=2, reviewers=2)
    Round.objects.filter(pk=round_.pk).update(visibility=visibility)
    mine, theirs = (Assignment.objects.get(round=round_, reviewer=r) for r in reviewers)
    fill_sheet(sheet_of(theirs), 88)
    if own_submitted:
        fill_sheet(sheet_of(mine), 70)

    context = read_sheet(sheet_of(mine).pk, reviewers[0])

    assert [p.pk for p in context["peers"]] == ([sheet_of(theirs).pk] if sees_peer else [])


def test_sheet_detail_query_count_same_for_1_and_50_entries(
    campaign, secretariat, django_assert_num_queries
):
    small, [few] = round_with_entries(None, secretariat, 1)
    large, [many] = round_with_entries(None, secretariat, 50)
    small_sheet = sheet_of(Assignment.objects.filter(round=small).first())
    large_sheet = sheet_of(Assignment.objects.filter(round=large).last())
    expected = count_queries(lambda: read_sheet(small_sheet.pk, few))

    with django_assert_num_queries(expected):
        read_sheet(large_sheet.pk, many)

    assert expected <= 5


def test_sheet_detail_query_count_with_peers_does_not_grow(
    campaign, secretariat, django_assert_num_queries
):
    small, two = round_with_entries(None, secretariat, 1, per_model=2, reviewers=2)
    large, five = round_with_entries(None, secretariat, 3, per_model=5, reviewers=5)
    for round_ in (small, large):
        Round.objects.filter(pk=round_.pk).update(visibility=Visibility.ALWAYS)
        for assignment in Assignment.objects.filter(round=round_).exclude(
            reviewer__in=[two[0], five[0]]
        ):
            fill_sheet(sheet_of(assignment), 60)
    small_sheet = sheet_of(Assignment.objects.get(round=small, reviewer=two[0]))
    large_sheet = sheet_of(Assignment.objects.filter(round=large, reviewer=five[0]).first())
    expected = count_queries(lambda: read_sheet(small_sheet.pk, two[0]))

    with django_assert_num_queries(expected):
        context = read_sheet(large_sheet.pk, five[0])

    assert len(context["peers"]) == 4


# --- Results and the assignment matrix ----------------------------------------------------


def read_results(round_):
    return [
        (r.dvk_model.name, r.dvk_model.unit.name, r.score_used, r.tier and r.tier.name, r.rank)
        for r in selectors.round_results(round=round_)
    ]


def test_round_results_query_count_same_for_1_and_50_entries(
    campaign, secretariat, django_assert_num_queries
):
    small, _ = round_with_entries(None, secretariat, 1, per_model=2, reviewers=3)
    large, _ = round_with_entries(None, secretariat, 50, per_model=2, reviewers=3)
    for index, assignment in enumerate(Assignment.objects.filter(round__in=[small, large])):
        fill_sheet(sheet_of(assignment), 40 + index % 60)
    expected = count_queries(lambda: read_results(small))

    with django_assert_num_queries(expected):
        rows = read_results(large)

    assert len(rows) == 50
    # The tiers (the round object carries its rubric), the counted sheets for the
    # calibration, and the results with their models, units and fields.
    assert expected == 3
    assert count_queries(lambda: selectors.reviewer_stats(round=large)) == 2


def test_assignment_page_reads_query_count_same_for_1_and_50_entries(
    campaign, secretariat, django_assert_num_queries
):
    small, _ = round_with_entries(None, secretariat, 1, per_model=2, reviewers=3)
    large, _ = round_with_entries(None, secretariat, 50, per_model=2, reviewers=3)

    def read(round_):
        entries = list(selectors.assignment_entries(round=round_)[:50])
        selectors.with_assignments(entries)
        return [
            [(a.reviewer.full_name, a.sheet.status) for a in entry.assignment_list]
            + [entry.dvk_model.unit.name, entry.active_count]
            for entry in entries
        ] + [(m.user.full_name, m.load) for m in selectors.round_reviewers(round=round_)]

    expected = count_queries(lambda: read(small))

    with django_assert_num_queries(expected):
        rows = read(large)

    assert expected == 3  # the entries, their assignments, the committee
    assert len(rows) == 53
    assert sorted(m.load for m in selectors.round_reviewers(round=large)) == [33, 33, 34]
    assert {e.active_count for e in selectors.assignment_entries(round=large)} == {2}


def test_assignment_candidates_lists_eligibility(
    campaign, secretariat, commune, committee, members
):
    from tests.factories import UserFactory

    round_ = RoundFactory(campaign=campaign, created_by=secretariat)
    entry = RoundEntryFactory(
        round=round_, dvk_model=accepted_model(campaign, unit=commune, reviewer=secretariat)
    )
    local = CommitteeMemberFactory(committee=committee, user=UserFactory(unit=commune))
    services.assignment_add(entry=entry, reviewer=members[0].user, by=secretariat)

    rows = selectors.assignment_candidates(entry=entry)

    reasons = {row["member"].user_id: row["reason"] for row in rows}
    assert reasons[members[1].user_id] is None
    assert reasons[members[2].user_id] is None
    assert reasons[members[0].user_id] is not None  # already assigned
    assert reasons[local.user_id] is not None  # works in the model's commune
    assert [row["reason"] is None for row in rows] == [True, True, False, False]


def test_round_list_and_detail_counts(campaign, secretariat, django_assert_num_queries):
    round_, _reviewers = round_with_entries(campaign, secretariat, 3, per_model=2, reviewers=2)
    first = Assignment.objects.filter(round=round_).first()
    fill_sheet(sheet_of(first), 50)
    services.assignment_declare_conflict(
        assignment=Assignment.objects.filter(round=round_).last(),
        by=Assignment.objects.filter(round=round_).last().reviewer,
        reason="Người thân.",
    )

    secretariat.has_role("secretariat")  # roles are read once per user object

    with django_assert_num_queries(1):
        [listed] = list(selectors.round_list(user=secretariat))
    detail = selectors.round_detail(round_id=round_.pk, user=secretariat)

    assert (
        listed.entry_count,
        listed.assignment_count,
        listed.submitted_count,
        listed.pending_count,
        listed.conflicts_pending,
    ) == (3, 6, 1, 5, 1)
    assert detail["short_entries"] == 0
    assert detail["round"].submitted_count == 1


def test_rubric_list_annotations(campaign, province, secretariat, django_assert_num_queries):
    rubric = services.rubric_create_default(
        organiser=province, campaign=campaign, applies_to="collective", by=secretariat
    )
    RoundFactory(campaign=campaign, created_by=secretariat, rubric_collective=rubric)

    secretariat.has_role("secretariat")  # roles are read once per user object

    with django_assert_num_queries(2):  # the user's ancestors, then the list
        rows = list(selectors.rubric_list(user=secretariat))

    row = next(r for r in rows if r.pk == rubric.pk)
    assert (row.criteria_count, row.criteria_points, row.tier_count, row.round_count) == (
        6,
        Decimal(100),
        5,
        1,
    )
    assert row.is_frozen is False
    detail = selectors.rubric_detail(rubric_id=rubric.pk, user=secretariat)
    assert [t.name for t in detail["tiers"]] == ["Xuất sắc", "Tốt", "Khá", "Đạt", "Không đạt"]


def test_committee_detail_lists_members_with_followed_units(
    committee, members, commune, secretariat
):
    services.committee_member_update(member=members[0], by=secretariat, followed_units=[commune])

    detail = selectors.committee_detail(committee_id=committee.pk, user=secretariat)

    assert detail["committee"].member_count == 3
    assert [list(m.followed_units.all()) for m in detail["members"] if m.pk == members[0].pk] == [
        [commune]
    ]
