"""A unit's feedback on a finalised result (evaluation/selectors/feedback.py,
evaluation/views/feedback.py) and the results section of the model's page
(evaluation/panels.py): tier, rank of N, criterion averages, comments without names."""

import itertools
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from danvan.enums import Role
from evaluation import selectors, services
from evaluation.models import Result, Round
from tests.factories import (
    CommitteeMemberFactory,
    CriterionFactory,
    RoundEntryFactory,
    RoundFactory,
    RubricFactory,
    TierFactory,
    UserFactory,
)
from tests.factories.evaluation import DEFAULT_TIERS, accepted_model, sheet_of

pytestmark = pytest.mark.django_db

_usernames = itertools.count()
REVIEWER_NAMES = ["Trần Thị Chấm Một", "Lê Văn Chấm Hai", "Phạm Chấm Ba"]
# Points each reviewer gives the commune's model on the three criteria (10 points each),
# with a comment on some: the averages are 7, 6 and 9 (total 22 of 30: Khá).
OWN_SHEETS = [
    ([8, 6, 10], ["Xây dựng tốt", "", "Cần thêm số liệu"], "Mô hình thiết thực"),
    ([6, 7, 9], ["Bài bản", "Ít người tham gia", ""], "An toàn và bền vững"),
    ([7, 5, 8], ["", "", ""], ""),
]


def rubric_of(organiser, n=3, *, max_points=10):
    total = Decimal(n * max_points)
    rubric = RubricFactory(organiser=organiser, total_points=total)
    for i in range(n):
        CriterionFactory(
            rubric=rubric, title=f"Tiêu chí số {i + 1}", max_points=Decimal(max_points), position=i
        )
    for position, (name, minimum) in enumerate(DEFAULT_TIERS, start=1):
        TierFactory(rubric=rubric, name=name, min_score=total * minimum / 100, position=position)
    return rubric


def score(sheet, points, comments=None, overall=""):
    """Fill ``sheet`` through the services (points per criterion, in order) and submit it."""
    reviewer = sheet.assignment.reviewer
    criteria = sheet.assignment.round.rubric_collective.criteria.order_by("position")
    for criterion, value, comment in zip(
        criteria, points, comments or [""] * len(points), strict=True
    ):
        services.sheet_save_score(
            sheet=sheet, criterion=criterion, points=Decimal(value), comment=comment, by=reviewer
        )
    services.sheet_submit(sheet=sheet, by=reviewer, overall_comment=overall)


def build_round(campaign, secretariat, committee, commune, *, reviewers=3, others=2):
    """An open round: the commune's model scored per OWN_SHEETS (first 3 reviewers; more
    reviewers give 7 everywhere) and ``others`` models of other communes, one scoring 30,
    the rest 15."""
    members = [
        CommitteeMemberFactory(
            committee=committee,
            user__full_name=REVIEWER_NAMES[i] if i < len(REVIEWER_NAMES) else f"Chấm Thêm {i}",
            user__username=f"giamkhao{next(_usernames)}",
        )
        for i in range(reviewers)
    ]
    round_ = RoundFactory(
        campaign=campaign,
        created_by=secretariat,
        rubric_collective=rubric_of(campaign.organiser),
        reviewers_per_model=reviewers,
    )
    own = accepted_model(campaign, unit=commune, reviewer=secretariat, name="Dân vận khéo xã nhà")
    models = [own] + [
        accepted_model(campaign, reviewer=secretariat, name=f"Mô hình khác {i}")
        for i in range(others)
    ]
    entries = [RoundEntryFactory(round=round_, dvk_model=m) for m in models]
    services.round_open(round=round_, by=secretariat)
    for index, entry in enumerate(entries):
        for r, member in enumerate(members):
            sheet = sheet_of(
                services.assignment_add(entry=entry, reviewer=member.user, by=secretariat)
            )
            if index == 0:
                points, comments, overall = (
                    OWN_SHEETS[r] if r < len(OWN_SHEETS) else ([7, 7, 7], None, "")
                )
                score(sheet, points, comments, overall)
            else:
                score(sheet, [10, 10, 10] if index == 1 else [5, 5, 5])
    return SimpleNamespace(round=round_, own=own, members=members, entries=entries)


@pytest.fixture
def finalised(campaign, secretariat, committee, commune, people):
    world = build_round(campaign, secretariat, committee, commune)
    services.round_finalise(round=world.round, by=secretariat)
    world.result = Result.objects.get(dvk_model=world.own)
    world.url = reverse("evaluation:result_feedback", args=[world.result.pk])
    world.people = people
    world.secretariat = secretariat
    return world


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


# --- The unit's feedback ------------------------------------------------------------------


def test_feedback_for_the_unit_shows_tier_rank_of_n_and_criterion_averages(client, finalised):
    response = page(client, finalised.people.officer, finalised.url)

    assert response.status_code == 200
    context = response.context
    assert context["result"].tier_name == "Khá"
    assert (context["result"].rank, context["result"].ranked_count) == (2, 3)
    means = [item.stat.mean for item in context["criteria"]]
    assert means == [Decimal("7.00"), Decimal("6.00"), Decimal("9.00")]
    assert [item.percent for item in context["criteria"]] == [70, 60, 90]
    content = response.content.decode()
    assert gettext("%(rank)s of %(total)s") % {"rank": 2, "total": 3} in content
    assert "Khá" in content
    assert finalised.own.get_absolute_url() in content


def test_feedback_lists_the_comments_alphabetically_per_criterion(client, finalised):
    response = page(client, finalised.people.officer, finalised.url)

    criteria = response.context["criteria"]
    assert criteria[0].comments == ["Bài bản", "Xây dựng tốt"]
    assert criteria[1].comments == ["Ít người tham gia"]
    assert criteria[2].comments == ["Cần thêm số liệu"]
    assert response.context["overall_comments"] == ["An toàn và bền vững", "Mô hình thiết thực"]
    content = response.content.decode()
    for text in ["Xây dựng tốt", "Ít người tham gia", "Cần thêm số liệu", "Mô hình thiết thực"]:
        assert text in content


def test_feedback_never_names_or_numbers_a_reviewer(client, finalised):
    content = page(client, finalised.people.officer, finalised.url).content.decode()

    for member in finalised.members:
        user = member.user
        assert user.get_full_name() not in content
        assert user.username not in content
        assert user.email not in content
    assert gettext("Reviewer %(n)s") % {"n": 1} not in content
    assert "Người chấm" not in content


def test_feedback_of_another_unit_answers_404(client, finalised):
    response = page(client, finalised.people.other_officer, finalised.url)

    assert response.status_code == 404


def test_feedback_for_a_parent_unit_officer_in_scope(client, finalised, province):
    provincial_officer = UserFactory(unit=province, roles=[Role.UNIT_OFFICER])

    assert page(client, provincial_officer, finalised.url).status_code == 200


@pytest.mark.parametrize(
    ("who", "expected"),
    [("secretariat", 200), ("leader", 200), ("admin", 200), ("other_secretariat", 404)],
)
def test_feedback_for_the_secretariat_leaders_and_admins(client, finalised, who, expected):
    response = page(client, getattr(finalised.people, who), finalised.url)

    assert response.status_code == expected


def test_feedback_for_a_reviewer_of_the_model_answers_404(client, finalised):
    response = page(client, finalised.members[0].user, finalised.url)

    assert response.status_code == 404


def test_feedback_anonymous_is_sent_to_the_login(client, finalised):
    response = client.get(finalised.url)

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_feedback_of_a_round_not_finalised_answers_404(
    client, campaign, secretariat, committee, commune, people
):
    world = build_round(campaign, secretariat, committee, commune, others=0)
    # A result row of a round that is still open (the status, not the row, decides).
    result = Result.objects.create(
        round=world.round,
        entry=world.entries[0],
        dvk_model=world.own,
        sheet_count=3,
        score_used=Decimal("22"),
        tier_name="Khá",
        rank=1,
        aggregation=world.round.aggregation,
        rank_by=world.round.rank_by,
    )

    response = page(client, people.officer, reverse("evaluation:result_feedback", args=[result.pk]))

    assert response.status_code == 404
    with pytest.raises(Result.DoesNotExist):
        selectors.result_feedback(result_id=result.pk, user=people.officer)


def test_feedback_without_detail_shows_tier_score_and_rank_only(
    client, campaign, secretariat, committee, commune, people
):
    world = build_round(campaign, secretariat, committee, commune)
    Round.objects.filter(pk=world.round.pk).update(feedback_to_units=False)
    services.round_finalise(round=world.round, by=secretariat)
    result = Result.objects.get(dvk_model=world.own)

    response = page(client, people.officer, reverse("evaluation:result_feedback", args=[result.pk]))

    assert response.status_code == 200
    assert response.context["criteria"] == []
    assert response.context["overall_comments"] == []
    content = response.content.decode()
    assert "Khá" in content
    assert gettext("%(rank)s of %(total)s") % {"rank": 2, "total": 3} in content
    assert (
        gettext(
            "The Steering Committee did not publish detailed feedback (points per criterion "
            "and comments) for this round."
        )
        in content
    )
    for text in ["Xây dựng tốt", "Mô hình thiết thực", "Tiêu chí số 1"]:
        assert text not in content


def test_rank_of_n_counts_only_ranked_results(finalised):
    ranked = selectors.with_ranked_count(Result.objects.filter(round=finalised.round))

    assert {r.ranked_count for r in ranked} == {3}


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as context:
        func()
    return len(context.captured_queries)


def test_feedback_query_count_is_the_same_for_3_and_6_sheets(
    client, campaign, secretariat, committee, commune, people, django_assert_max_num_queries
):
    small = build_round(campaign, secretariat, committee, commune, reviewers=3)
    large = build_round(campaign, secretariat, committee, commune, reviewers=6)
    for world in (small, large):
        services.round_finalise(round=world.round, by=secretariat)
    url_small, url_large = (
        reverse("evaluation:result_feedback", args=[Result.objects.get(dvk_model=w.own).pk])
        for w in (small, large)
    )
    client.force_login(people.officer)
    expected = count_queries(lambda: client.get(url_small))

    with django_assert_max_num_queries(expected):
        response = client.get(url_large)

    assert response.context["sheet_count"] == 6


# --- Links to the feedback ----------------------------------------------------------------


def test_my_results_rows_link_to_their_feedback(client, finalised):
    response = page(client, finalised.people.officer, reverse("evaluation:my_results"))

    content = response.content.decode()
    assert finalised.url in content
    assert gettext("See the feedback") in content


def test_home_panel_links_to_the_feedback(client, finalised):
    response = page(client, finalised.people.officer, reverse("home"))

    assert finalised.url in response.content.decode()


# --- The model's page ---------------------------------------------------------------------


def model_page(client, user, world):
    client.force_login(user)
    return client.get(world.own.get_absolute_url())


def section_of(response) -> dict | None:
    return next(
        (
            s
            for s in response.context["sections"]
            if s["template"] == "evaluation/includes/model_results.html"
        ),
        None,
    )


@pytest.mark.parametrize("who", ["officer", "secretariat", "leader", "admin"])
def test_model_page_shows_the_result_to_readers_in_scope(client, finalised, who):
    response = model_page(client, getattr(finalised.people, who), finalised)

    section = section_of(response)
    assert section is not None
    assert [r.pk for r in section["results"]] == [finalised.result.pk]
    content = response.content.decode()
    assert finalised.url in content
    assert gettext("%(rank)s of %(total)s") % {"rank": 2, "total": 3} in content


def test_model_page_hides_the_result_from_a_reviewer_of_the_model(client, finalised):
    response = model_page(client, finalised.members[0].user, finalised)

    assert response.status_code == 200  # the assigned reviewer reads the model
    assert section_of(response) is None
    assert finalised.url not in response.content.decode()


def test_model_page_hides_the_result_from_another_unit_reading_the_library(client, finalised):
    assert finalised.result.recognised  # so the model is in the library of the province

    response = model_page(client, finalised.people.other_officer, finalised)

    assert response.status_code == 200
    assert section_of(response) is None
    assert finalised.url not in response.content.decode()


def test_model_page_hides_the_section_without_a_finalised_result(
    client, campaign, secretariat, committee, commune, people
):
    world = build_round(campaign, secretariat, committee, commune, others=0)

    response = model_page(client, people.officer, world)

    assert response.status_code == 200
    assert section_of(response) is None


def test_model_page_section_adds_a_fixed_number_of_queries(
    client, campaign, secretariat, committee, commune, people, django_assert_num_queries
):
    world = build_round(campaign, secretariat, committee, commune, others=1)
    services.round_finalise(round=world.round, by=secretariat)
    client.force_login(people.officer)
    expected = count_queries(lambda: client.get(world.own.get_absolute_url()))
    # A second round over the same model: two results on the page.
    higher = RoundFactory(
        campaign=campaign,
        created_by=secretariat,
        rubric_collective=world.round.rubric_collective,
        reviewers_per_model=1,
    )
    entry = RoundEntryFactory(round=higher, dvk_model=world.own)
    services.round_open(round=higher, by=secretariat)
    score(
        sheet_of(
            services.assignment_add(entry=entry, reviewer=world.members[0].user, by=secretariat)
        ),
        [9, 9, 9],
    )
    services.round_finalise(round=higher, by=secretariat)

    with django_assert_num_queries(expected):
        response = client.get(world.own.get_absolute_url())

    assert len(section_of(response)["results"]) == 2
