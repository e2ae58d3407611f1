"""The score sheet's page and a criterion's save: a reviewer saves dozens of times per
sheet, so a save does what it must (lock, check, write the score, answer the small
fragment) and both stay within the query budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from danvan.models import ActivityLog
from evaluation import services
from evaluation.enums import Visibility
from evaluation.models import CriterionScore
from tests.factories.evaluation import accepted_model, fill_sheet

from .test_assignment_page import BUDGET, real_queries
from .test_views_review import open_round_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(campaign, secretariat, reviewers):
    """One model, two reviewers, six criteria; the second reviewer has submitted."""
    round_, [mine, theirs] = open_round_with(
        campaign,
        secretariat,
        reviewers,
        models=[accepted_model(campaign, reviewer=secretariat)],
        criteria=6,
        per_model=2,
    )
    round_.visibility = Visibility.ALWAYS
    round_.save(update_fields=["visibility"])
    fill_sheet(theirs, 40)
    criterion = round_.rubric_collective.criteria.order_by("position").first()
    return round_, mine, theirs, criterion


def score_url(sheet, criterion) -> str:
    return reverse("evaluation:sheet_score", args=[sheet.pk, criterion.pk])


def measure(client, method, url, data=None, **extra):
    getattr(client, method)(url, data or {}, **extra)  # per-process caches
    with CaptureQueriesContext(connection) as context:
        response = getattr(client, method)(url, data or {}, **extra)
    return response, real_queries(context)


@pytest.mark.parametrize("who", ["reviewer", "secretariat"])
def test_sheet_page_stays_within_the_query_budget_with_peers(client, pair, secretariat, who):
    _round, mine, _theirs, _criterion = pair
    client.force_login(mine.assignment.reviewer if who == "reviewer" else secretariat)

    response, queries = measure(client, "get", reverse("evaluation:sheet", args=[mine.pk]))

    assert response.status_code == 200
    assert len(response.context["peers"]) == 1
    assert len(queries) <= BUDGET, "\n".join(queries)
    # No query joins the sixteen tables that cost PostgreSQL more to plan than to run.
    assert max(sql.count(" JOIN ") for sql in queries) <= 6


def test_criterion_save_stays_within_the_query_budget(client, pair):
    _round, mine, _theirs, criterion = pair
    client.force_login(mine.assignment.reviewer)
    url = score_url(mine, criterion)

    response, queries = measure(client, "post", url, {"points": "3"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert len(queries) <= BUDGET, "\n".join(queries)
    assert CriterionScore.objects.get(sheet=mine, criterion=criterion).points == 3


def test_criterion_save_answers_the_status_and_the_running_total(client, pair):
    _round, mine, _theirs, criterion = pair
    client.force_login(mine.assignment.reviewer)

    response = client.post(score_url(mine, criterion), {"points": "4,5"}, HTTP_HX_REQUEST="true")

    content = response.content.decode()
    assert f'id="c{criterion.pk}-status"' in content
    assert 'id="sheet-total"' in content and 'hx-swap-oob="true"' in content
    assert response.context is None or "nav_items" not in response.context  # no menu
    total = content.split('class="sheet-total-value"><strong>')[1].split("<")[0]
    assert total == "4,5"


def test_criterion_save_bad_points_answers_the_error_and_saves_nothing(client, pair):
    _round, mine, _theirs, criterion = pair
    client.force_login(mine.assignment.reviewer)

    response = client.post(score_url(mine, criterion), {"points": "abc"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert f'id="c{criterion.pk}-points-error"' in response.content.decode()
    assert not CriterionScore.objects.filter(sheet=mine, criterion=criterion).exists()


def test_criterion_save_writes_no_activity_row_and_no_history_on_a_draft(client, pair):
    _round, mine, _theirs, criterion = pair
    client.force_login(mine.assignment.reviewer)
    before = ActivityLog.objects.count()

    for points in ("1", "2", "3"):
        client.post(score_url(mine, criterion), {"points": points}, HTTP_HX_REQUEST="true")

    score = CriterionScore.objects.get(sheet=mine, criterion=criterion)
    assert ActivityLog.objects.count() == before
    assert score.history.count() == 0


def test_criterion_save_after_a_reopen_keeps_the_score_history(client, pair, secretariat):
    """Drafts write no history; the reopening records the submitted points, then every
    change is kept."""
    _round, mine, _theirs, criterion = pair
    fill_sheet(mine, 50)
    services.sheet_reopen(sheet=mine, by=secretariat, reason="Xem lại", until=None)
    client.force_login(mine.assignment.reviewer)
    old = CriterionScore.objects.get(sheet=mine, criterion=criterion).points

    client.post(score_url(mine, criterion), {"points": "1"}, HTTP_HX_REQUEST="true")

    score = CriterionScore.objects.get(sheet=mine, criterion=criterion)
    # The submitted points (recorded by the reopening), then the change.
    assert [h.points for h in score.history.order_by("history_id")] == [old, 1]
    assert old != 1


def test_criterion_of_another_rubric_answers_404_and_saves_nothing(
    client, campaign, secretariat, reviewers, pair
):
    _round, mine, _theirs, _criterion = pair
    other_round, _sheets = open_round_with(
        campaign, secretariat, reviewers, models=[accepted_model(campaign)], criteria=2
    )
    foreign = other_round.rubric_collective.criteria.first()
    client.force_login(mine.assignment.reviewer)

    response = client.post(score_url(mine, foreign), {"points": "1"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 404
    assert not CriterionScore.objects.filter(sheet=mine, criterion=foreign).exists()


def test_criterion_save_of_someone_elses_sheet_answers_404(client, pair):
    _round, mine, theirs, criterion = pair
    client.force_login(theirs.assignment.reviewer)

    response = client.post(score_url(mine, criterion), {"points": "1"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 404
