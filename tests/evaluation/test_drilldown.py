"""Issue 12, drill-down: an entry's sheets side by side (evaluation.views.manage.drilldown,
selectors.entry_sheets), from an assignment to its sheet, the finalisation's warning about
disagreements, and who sees whose sheet."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext

from danvan.enums import Role, UnitKind
from evaluation import selectors, services
from evaluation.enums import RoundStatus, Visibility
from evaluation.models import Criterion, Round, ScoreSheet
from tests.factories import (
    CommitteeMemberFactory,
    CriterionFactory,
    RoundEntryFactory,
    RoundFactory,
    RubricFactory,
    TierFactory,
    UnitFactory,
    UserFactory,
)
from tests.factories.evaluation import DEFAULT_TIERS, accepted_model, fill_sheet, sheet_of

from .helpers import scored_round

pytestmark = pytest.mark.django_db


def three_criteria_rubric(organiser):
    """100 points: "Cách làm" 40 and "Nhân dân tham gia" 30 (group A), "Hiệu quả" 30 (B)."""
    rubric = RubricFactory(organiser=organiser, total_points=Decimal(100))
    for position, (group, title, max_points) in enumerate(
        [
            ("Nhóm A. Cách làm", "Cách làm sáng tạo", 40),
            ("Nhóm A. Cách làm", "Nhân dân tham gia", 30),
            ("Nhóm B. Hiệu quả", "Hiệu quả lan tỏa", 30),
        ]
    ):
        CriterionFactory(
            rubric=rubric,
            group=group,
            title=title,
            max_points=Decimal(max_points),
            position=position,
        )
    for position, (name, minimum) in enumerate(DEFAULT_TIERS, start=1):
        TierFactory(rubric=rubric, name=name, min_score=Decimal(minimum), position=position)
    return rubric


def score(sheet, points, comments=None, *, submit=True, overall=None):
    """Give ``points`` (one per criterion, None skips) with optional comments, then submit."""
    sheet = ScoreSheet.objects.select_related("assignment__reviewer").get(pk=sheet.pk)
    reviewer = sheet.assignment.reviewer
    criteria = Criterion.objects.filter(rubric=sheet.assignment.round.rubric_collective).order_by(
        "position"
    )
    for index, (criterion, value) in enumerate(zip(criteria, points, strict=True)):
        if value is None:
            continue
        services.sheet_save_score(
            sheet=sheet,
            criterion=criterion,
            points=Decimal(value),
            comment=(comments or {}).get(index, ""),
            by=reviewer,
        )
    if submit:
        services.sheet_submit(sheet=sheet, by=reviewer, overall_comment=overall)
    return ScoreSheet.objects.get(pk=sheet.pk)


@pytest.fixture
def drill(campaign, commune, secretariat, committee, people):
    """An open round of two models. Model A: r0 (100: 40/30/30, comments) and r1 (60:
    10/25/25) submitted, r2 in progress (5 on the first criterion), r3 withdrawn for an
    approved conflict of interest. Model B: r0 85, r1 75 (r0 is the lenient one)."""
    members = [CommitteeMemberFactory(committee=committee) for _ in range(4)]
    r = [m.user for m in members]
    round_ = RoundFactory(
        campaign=campaign,
        created_by=secretariat,
        rubric_collective=three_criteria_rubric(campaign.organiser),
        reviewers_per_model=2,
    )
    model_a = accepted_model(
        campaign, unit=commune, reviewer=secretariat, name="Chợ nông sản an toàn"
    )
    model_b = accepted_model(campaign, unit=commune, reviewer=secretariat)
    entry_a = RoundEntryFactory(round=round_, dvk_model=model_a)
    entry_b = RoundEntryFactory(round=round_, dvk_model=model_b)
    services.round_open(round=round_, by=secretariat)
    sheets = [
        sheet_of(services.assignment_add(entry=entry_a, reviewer=u, by=secretariat)) for u in r
    ]
    score(
        sheets[0],
        [40, 30, 30],
        {0: "Cách làm rất mới, có số liệu kiểm chứng."},
        overall="Mô hình tiêu biểu, nên nhân rộng.",
    )
    score(sheets[1], [10, 25, 25], {0: "Chưa thấy điểm mới so với năm trước."})
    score(sheets[2], [5, None, None], submit=False)
    conflict = sheets[3].assignment
    services.assignment_declare_conflict(assignment=conflict, by=r[3], reason="Người nhà")
    services.assignment_resolve_conflict(assignment=conflict, approve=True, by=secretariat)
    for reviewer, total in ((r[0], 85), (r[1], 75)):
        fill_sheet(
            sheet_of(services.assignment_add(entry=entry_b, reviewer=reviewer, by=secretariat)),
            total,
        )
    return SimpleNamespace(
        round=round_,
        entry=entry_a,
        other_entry=entry_b,
        model=model_a,
        reviewers=r,
        sheets=sheets,
        people=people,
        secretariat=secretariat,
        url=reverse("evaluation:entry_sheets", args=[round_.pk, entry_a.pk]),
    )


def signed(value) -> str:
    """A leniency as the page writes it: "+3,2", "-1,5"."""
    text = number_format(Decimal(str(value)).quantize(Decimal("0.1")), 1)
    return f"+{text}" if value > 0 else text


# --- The page -----------------------------------------------------------------------------


def test_entry_sheets_shows_every_sheet_side_by_side(client, drill):
    client.force_login(drill.secretariat)

    response = client.get(drill.url)

    assert response.status_code == 200
    content = response.content.decode()
    data = response.context["data"]
    # Counted sheets first, then the one in progress; the withdrawn one apart.
    assert [c.reviewer for c in data.columns] == [
        *sorted(drill.reviewers[:2], key=lambda u: (u.full_name, u.pk)),
        drill.reviewers[2],
    ]
    assert [c.counted for c in data.columns] == [True, True, False]
    assert [a.reviewer for a in data.withdrawn] == [drill.reviewers[3]]
    for reviewer in drill.reviewers:
        assert reviewer.get_full_name() in content
    assert f'href="{drill.model.get_absolute_url()}"' in content
    for sheet in drill.sheets[:3]:
        assert reverse("evaluation:sheet", args=[sheet.pk]) in content
    assert reverse("evaluation:sheet", args=[drill.sheets[3].pk]) not in content


def test_entry_sheets_points_and_spread_per_criterion(client, drill):
    client.force_login(drill.secretariat)

    data = client.get(drill.url).context["data"]

    first, second, third = data.rows
    by_reviewer = {c.column.reviewer: c.points for c in first.cells}
    assert by_reviewer == {
        drill.reviewers[0]: Decimal(40),
        drill.reviewers[1]: Decimal(10),
        drill.reviewers[2]: Decimal(5),  # shown greyed, not counted
    }
    assert (first.stat.mean, first.stat.min, first.stat.max, first.stat.spread) == (
        Decimal("25.00"),
        Decimal(10),
        Decimal(40),
        Decimal(30),
    )
    # 30 of 40 and 5 of 30 points apart: the 30 % threshold flags the first only.
    assert [first.wide, second.wide, third.wide] == [True, False, False]
    assert data.wide_rows == [first]
    assert [heading for heading, _rows in data.groups] == ["Nhóm A. Cách làm", "Nhóm B. Hiệu quả"]
    assert (data.totals.mean, data.totals.min, data.totals.max, data.totals.count) == (
        Decimal("80.00"),
        Decimal("60.00"),
        Decimal("100.00"),
        2,
    )


def test_entry_sheets_shows_comments_with_names_and_leniency(client, drill):
    client.force_login(drill.secretariat)

    response = client.get(drill.url)

    content = response.content.decode()
    assert "Cách làm rất mới, có số liệu kiểm chứng." in content
    assert "Chưa thấy điểm mới so với năm trước." in content
    assert "Mô hình tiêu biểu, nên nhân rộng." in content
    fit = selectors.round_fits(drill.round)["collective"]
    lenient = fit.leniencies[drill.reviewers[0].pk].leniency
    strict = fit.leniencies[drill.reviewers[1].pk].leniency
    assert lenient > 0 > strict
    assert signed(lenient) in content
    assert signed(strict) in content
    column = response.context["data"].columns[0]
    assert column.calibrated == (column.total - Decimal(str(column.leniency.leniency))).quantize(
        Decimal("0.01")
    )


def test_entry_sheets_open_round_is_provisional(client, drill):
    client.force_login(drill.secretariat)

    response = client.get(drill.url)

    data = response.context["data"]
    assert data.provisional is True
    assert data.result.entry_id == drill.entry.pk
    assert data.result.disagreement is True
    assert gettext("PROVISIONAL") in response.content.decode()  # "TẠM THỜI"


def test_entry_sheets_finalised_round_shows_the_frozen_result(client, drill):
    services.round_finalise(round=drill.round, by=drill.secretariat, force=True)
    client.force_login(drill.secretariat)

    response = client.get(drill.url)

    data = response.context["data"]
    assert response.status_code == 200
    assert data.provisional is False
    assert data.result == drill.entry.result
    assert data.tier_name == drill.entry.result.tier_name
    assert gettext("PROVISIONAL") not in response.content.decode()


# --- Who may open it ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["leader", "officer", "other_secretariat", "assigned_reviewer", "other_reviewer"]
)
def test_entry_sheets_answers_404_outside_the_secretariat(client, drill, who):
    user = {
        "assigned_reviewer": drill.reviewers[0],
        "other_reviewer": drill.reviewers[2],
    }.get(who) or getattr(drill.people, who)
    client.force_login(user)

    assert client.get(drill.url).status_code == 404


def test_entry_sheets_for_the_secretariat_of_another_commune_answers_404(client, drill):
    """A commune's secretariat does not manage the province's round."""
    commission = UnitFactory(kind=UnitKind.PARTY_BODY, parent=drill.model.unit)
    client.force_login(UserFactory(unit=commission, roles=[Role.SECRETARIAT]))

    assert client.get(drill.url).status_code == 404


def test_entry_sheets_for_an_entry_of_another_round_answers_404(client, drill, campaign):
    other = RoundFactory(campaign=campaign, created_by=drill.secretariat)
    foreign = RoundEntryFactory(round=other)
    client.force_login(drill.secretariat)

    url = reverse("evaluation:entry_sheets", args=[drill.round.pk, foreign.pk])

    assert client.get(url).status_code == 404


def test_entry_sheets_anonymous_goes_to_login(client, drill):
    response = client.get(drill.url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("sheets", [3, 6])
def test_entry_sheets_query_count_is_fixed(
    client, campaign, secretariat, committee, django_assert_max_num_queries, sheets
):
    """Twelve criteria and 3 or 6 sheets: the same budget (open round, live result)."""
    rubric = RubricFactory(organiser=campaign.organiser, total_points=Decimal(120))
    for i in range(12):
        CriterionFactory(rubric=rubric, group=f"Nhóm {i // 4}", max_points=Decimal(10), position=i)
    TierFactory(rubric=rubric, name="Đạt", min_score=Decimal(60))
    TierFactory(rubric=rubric, name="Không đạt", min_score=Decimal(0))
    round_ = RoundFactory(
        campaign=campaign, created_by=secretariat, rubric_collective=rubric, reviewers_per_model=1
    )
    entries, _members = scored_round(
        round_, committee, [[100 - 5 * i for i in range(sheets)]], by=secretariat
    )
    client.force_login(secretariat)
    url = reverse("evaluation:entry_sheets", args=[round_.pk, entries[0].pk])

    with django_assert_max_num_queries(23):
        response = client.get(url)

    assert len(response.context["data"].columns) == sheets


# --- From an assignment to its sheet ------------------------------------------------------


def test_assignments_page_links_each_assignment_to_its_sheet_and_model(client, drill):
    client.force_login(drill.secretariat)

    content = client.get(reverse("evaluation:round_assignments", args=[drill.round.pk])).text

    for sheet in drill.sheets:  # the withdrawn reviewer's submitted-or-not sheet: see below
        if ScoreSheet.objects.filter(pk=sheet.pk).exists():
            assert f'href="{reverse("evaluation:sheet", args=[sheet.pk])}"' in content
    assert f'href="{drill.model.get_absolute_url()}"' in content


# --- Finalising warns about disagreements -------------------------------------------------


def test_finalise_page_lists_disagreements_with_their_drilldown(client, drill):
    client.force_login(drill.secretariat)
    url = reverse("evaluation:round_finalise", args=[drill.round.pk])

    page = client.get(url)

    assert [row.entry_id for row in page.context["disagreements"]] == [drill.entry.pk]
    assert f'href="{drill.url}"' in page.content.decode()
    assert "40" in page.content.decode()  # the spread of model A: 100 − 60


def test_finalise_with_disagreements_still_finalises(client, drill):
    client.force_login(drill.secretariat)

    response = client.post(
        reverse("evaluation:round_finalise", args=[drill.round.pk]), {"force": "on"}
    )

    assert response.status_code == 302
    drill.round.refresh_from_db()
    assert drill.round.status == RoundStatus.FINALISED
    assert drill.entry.__class__.objects.get(pk=drill.entry.pk).result.disagreement is True


def test_finalise_page_without_disagreement_has_no_warning(client, round_, committee, people):
    scored_round(round_, committee, [[80, 82]], by=people.secretariat)
    client.force_login(people.secretariat)

    page = client.get(reverse("evaluation:round_finalise", args=[round_.pk]))

    assert page.context["disagreements"] == []


# --- A reviewer never sees another's sheet unless the round shows peers -------------------


@pytest.fixture
def pair(campaign, secretariat, committee):
    """An open round of one model scored by two reviewers; the second has submitted."""
    round_ = RoundFactory(campaign=campaign, created_by=secretariat)
    entries, members = scored_round(round_, committee, [[None, 42]], by=secretariat)
    mine = services.assignment_add(entry=entries[0], reviewer=members[0].user, by=secretariat)
    theirs = ScoreSheet.objects.get(
        assignment__entry=entries[0], assignment__reviewer=members[1].user
    )
    return SimpleNamespace(
        round=round_, mine=sheet_of(mine), theirs=theirs, me=members[0].user, them=members[1].user
    )


@pytest.mark.parametrize(
    ("visibility", "submitted", "sees"),
    [
        (Visibility.NEVER, False, False),
        (Visibility.NEVER, True, False),
        (Visibility.AFTER_SUBMIT, False, False),
        (Visibility.AFTER_SUBMIT, True, True),
        (Visibility.ALWAYS, False, True),
    ],
)
def test_sheet_page_shows_peers_only_as_the_round_allows(client, pair, visibility, submitted, sees):
    Round.objects.filter(pk=pair.round.pk).update(visibility=visibility)
    if submitted:
        fill_sheet(pair.mine, 70)
    client.force_login(pair.me)

    response = client.get(reverse("evaluation:sheet", args=[pair.mine.pk]))

    assert response.status_code == 200
    assert bool(response.context["peers"]) is sees
    assert ("42</td>" in response.content.decode()) is sees
    assert pair.them.get_full_name() not in response.content.decode()  # never by name


@pytest.mark.parametrize(
    "visibility", [Visibility.NEVER, Visibility.AFTER_SUBMIT, Visibility.ALWAYS]
)
def test_sheet_of_another_reviewer_answers_404_whatever_the_visibility(client, pair, visibility):
    Round.objects.filter(pk=pair.round.pk).update(visibility=visibility)
    fill_sheet(pair.mine, 70)
    client.force_login(pair.me)

    response = client.get(reverse("evaluation:sheet", args=[pair.theirs.pk]))

    assert response.status_code == 404
