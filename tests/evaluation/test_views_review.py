"""evaluation/views/review.py: the reviewer's queue, the score sheet (htmx and plain
forms), a unit's results, and what evaluation adds to menus and the home page."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from danvan.dates import format_date
from danvan.enums import Role
from evaluation import services
from evaluation.enums import CommitteeRole, ConflictStatus, RoundStatus, SheetStatus
from evaluation.models import CriterionScore, Round, ScoreSheet
from models_registry import services as registry_services
from models_registry.enums import AttachmentPurpose
from tests.factories import (
    CommitteeMemberFactory,
    CriterionFactory,
    DvkModelFactory,
    RoundEntryFactory,
    RoundFactory,
    RubricFactory,
    TierFactory,
    UserFactory,
)
from tests.factories.evaluation import DEFAULT_TIERS, accepted_model, fill_sheet, sheet_of
from tests.factories.registry import days, pdf_bytes, upload

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def rubric_of(organiser, n, *, max_points=10):
    """A complete rubric of ``n`` criteria worth ``max_points`` each, with scaled tiers."""
    total = Decimal(n * max_points)
    rubric = RubricFactory(organiser=organiser, total_points=total)
    for i in range(n):
        CriterionFactory(
            rubric=rubric,
            group="Nhóm A" if i < n / 2 else "Nhóm B",
            title=f"Tiêu chí số {i + 1}",
            guidance="Đạt điểm tối đa khi có số liệu kiểm chứng.",
            max_points=Decimal(max_points),
            position=i,
        )
    for position, (name, minimum) in enumerate(DEFAULT_TIERS, start=1):
        TierFactory(rubric=rubric, name=name, min_score=total * minimum / 100, position=position)
    return rubric


def open_round_with(campaign, secretariat, reviewers, *, models, criteria=3, per_model=1):
    """An open round of ``criteria`` criteria; each model assigned to ``reviewers[:per_model]``.

    Returns the round and the sheets, model by model."""
    round_ = RoundFactory(
        campaign=campaign,
        created_by=secretariat,
        rubric_collective=rubric_of(campaign.organiser, criteria),
        reviewers_per_model=per_model,
    )
    entries = [RoundEntryFactory(round=round_, dvk_model=m) for m in models]
    services.round_open(round=round_, by=secretariat)
    sheets = []
    for entry in entries:
        for reviewer in reviewers[:per_model]:
            sheets.append(
                sheet_of(services.assignment_add(entry=entry, reviewer=reviewer, by=secretariat))
            )
    return round_, sheets


@pytest.fixture
def world(campaign, commune, secretariat, reviewers, people):
    """An open round, three criteria, one model of the commune scored by reviewers[0]."""
    dvk_model = accepted_model(campaign, unit=commune, reviewer=secretariat)
    round_, [sheet] = open_round_with(campaign, secretariat, reviewers, models=[dvk_model])
    criteria = list(round_.rubric_collective.criteria.order_by("position"))
    return SimpleNamespace(
        round=round_,
        sheet=sheet,
        dvk_model=dvk_model,
        criteria=criteria,
        reviewer=reviewers[0],
        other_reviewer=reviewers[1],
        people=people,
        secretariat=secretariat,
    )


def as_user(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def score_url(world, index=0):
    return reverse("evaluation:sheet_score", args=[world.sheet.pk, world.criteria[index].pk])


def sheet_url(world):
    return reverse("evaluation:sheet", args=[world.sheet.pk])


def saved_points(world, index=0):
    row = CriterionScore.objects.filter(sheet=world.sheet, criterion=world.criteria[index]).first()
    return row.points if row else None


# --- Permissions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("reviewer", 200),
        ("other_reviewer", 404),
        ("officer", 404),
        ("leader", 404),
        ("secretariat", 200),
        ("other_secretariat", 404),
    ],
)
def test_sheet_permission_matrix(client, world, who, expected):
    user = getattr(world, who, None) or getattr(world.people, who)

    response = as_user(client, user).get(sheet_url(world))

    assert response.status_code == expected


@pytest.mark.parametrize("who", ["other_reviewer", "officer", "secretariat"])
def test_sheet_score_by_someone_else_changes_nothing(client, world, who):
    user = getattr(world, who, None) or getattr(world.people, who)

    as_user(client, user).post(score_url(world), {"points": "5"}, **HTMX)

    assert saved_points(world) is None


def test_sheet_for_secretariat_is_read_only(client, world):
    response = as_user(client, world.secretariat).get(sheet_url(world))

    content = response.content.decode()
    assert score_url(world) not in content
    assert reverse("evaluation:sheet_submit", args=[world.sheet.pk]) not in content
    assert world.reviewer.get_full_name() in content


def test_queue_lists_the_reviewers_sheets(client, world):
    response = as_user(client, world.reviewer).get(reverse("evaluation:queue"))

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == list(
        world.sheet.assignment.__class__.objects.filter(pk=world.sheet.assignment_id)
    )
    assert sheet_url(world) in response.content.decode()


def test_queue_empty_state_for_a_member_without_sheets(client, world, members):
    idle = CommitteeMemberFactory(committee=members[0].committee).user

    response = as_user(client, idle).get(reverse("evaluation:queue"))

    assert response.status_code == 200
    assert gettext("You have no score sheets yet.") in response.content.decode()


def test_queue_for_a_unit_officer_answers_404(client, world):
    response = as_user(client, world.people.officer).get(reverse("evaluation:queue"))

    assert response.status_code == 404


def test_queue_marks_passed_due_dates(client, world):
    Round.objects.filter(pk=world.round.pk).update(scoring_opens=days(-10), scoring_closes=days(-1))

    response = as_user(client, world.reviewer).get(reverse("evaluation:queue"))

    assert 'class="due due--passed"' in response.content.decode()


# --- Saving a criterion -------------------------------------------------------------------


def test_sheet_score_htmx_returns_the_partial_with_the_saved_value(client, world):
    response = as_user(client, world.reviewer).post(
        score_url(world), {"points": "7,5", "comment": "Tốt"}, **HTMX
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="7,5"' in content
    assert gettext("Saved %(time)s").split("%")[0].strip() in content
    assert 'id="sheet-total" class="sheet-total" hx-swap-oob="true"' in content
    assert saved_points(world) == Decimal("7.5")
    assert "<html" not in content


@pytest.mark.parametrize(
    ("typed", "msgid", "params"),
    [
        ("abc", "Enter a number of points, e.g. 12 or 12.5.", {}),
        ("99", "Points must be between 0 and %(max)s.", {"max": "10"}),
        ("1.3", "Points go in steps of 0.5.", {}),
    ],
)
def test_sheet_score_htmx_bad_points_keep_the_typed_value(client, world, typed, msgid, params):
    response = as_user(client, world.reviewer).post(
        score_url(world), {"points": typed, "comment": "Ghi chú"}, **HTMX
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert (gettext(msgid) % params if params else gettext(msgid)) in content
    assert f'value="{typed}"' in content
    assert "Ghi chú" in content
    assert not CriterionScore.objects.filter(sheet=world.sheet).exists()


def test_sheet_score_without_js_redirects_to_the_criterion(client, world):
    response = as_user(client, world.reviewer).post(score_url(world), {"points": "4"})

    assert response.status_code == 302
    assert response.url == f"{sheet_url(world)}#criterion-{world.criteria[0].pk}"
    assert saved_points(world) == Decimal("4")


def test_sheet_score_without_js_error_rerenders_the_sheet_with_the_typed_value(client, world):
    response = as_user(client, world.reviewer).post(score_url(world), {"points": "12"})

    content = response.content.decode()
    assert response.status_code == 422
    assert 'value="12"' in content
    assert gettext("Points must be between 0 and %(max)s.") % {"max": "10"} in content
    assert saved_points(world) is None


def test_sheet_score_after_window_is_refused_with_the_reason(client, world):
    Round.objects.filter(pk=world.round.pk).update(scoring_opens=days(-10), scoring_closes=days(-1))

    response = as_user(client, world.reviewer).post(score_url(world), {"points": "4"}, **HTMX)

    closed = gettext("Scoring closed on %(date)s.") % {"date": format_date(days(-1))}
    assert closed in response.content.decode()
    assert saved_points(world) is None


def test_sheet_page_shows_saved_scores_and_total(client, world):
    services.sheet_save_score(
        sheet=world.sheet, criterion=world.criteria[1], points="6.5", by=world.reviewer
    )

    response = as_user(client, world.reviewer).get(sheet_url(world))

    content = response.content.decode()
    assert 'value="6,5"' in content
    assert response.context["total"] == Decimal("6.5")


# --- Overall comment, submitting, conflicts -----------------------------------------------


def test_sheet_overall_saves_the_comment(client, world):
    url = reverse("evaluation:sheet_overall", args=[world.sheet.pk])

    response = as_user(client, world.reviewer).post(
        url, {"overall_comment": "Mô hình hiệu quả.", "version": world.sheet.version}
    )

    assert response.status_code == 302
    world.sheet.refresh_from_db()
    assert world.sheet.overall_comment == "Mô hình hiệu quả."


def test_sheet_overall_stale_version_keeps_the_text_and_explains(client, world):
    url = reverse("evaluation:sheet_overall", args=[world.sheet.pk])
    services.sheet_save_overall(
        sheet=world.sheet,
        overall_comment="Bản khác",
        version=world.sheet.version,
        by=world.reviewer,
    )

    response = as_user(client, world.reviewer).post(
        url, {"overall_comment": "Bản của tôi", "version": 1}
    )

    content = response.content.decode()
    assert response.status_code == 422
    assert "Bản của tôi" in content
    [stale] = response.context["overall_form"].non_field_errors()
    assert stale.startswith(
        gettext(
            "Someone else saved this record after you opened it. Your changes were not saved: reload the page to see the latest version, then make your changes again."
        )[:20]
    )
    assert stale in content
    world.sheet.refresh_from_db()
    assert world.sheet.overall_comment == "Bản khác"


def test_sheet_submit_with_missing_criteria_lists_them(client, world):
    services.sheet_save_score(
        sheet=world.sheet, criterion=world.criteria[0], points="5", by=world.reviewer
    )

    response = as_user(client, world.reviewer).post(
        reverse("evaluation:sheet_submit", args=[world.sheet.pk])
    )

    assert response.status_code == 422
    assert [c.pk for c in response.context["missing"]] == [c.pk for c in world.criteria[1:]]
    content = response.content.decode()
    # Issue 16: the link focuses the criterion's points field.
    assert f'href="#id_c{world.criteria[1].pk}_points"' in content
    assert ScoreSheet.objects.get(pk=world.sheet.pk).status == SheetStatus.IN_PROGRESS


def test_sheet_submit_complete_sheet_locks_it(client, world):
    fill_sheet(world.sheet, 25, submit=False)

    response = as_user(client, world.reviewer).post(
        reverse("evaluation:sheet_submit", args=[world.sheet.pk])
    )

    assert response.status_code == 302
    assert response.url == reverse("evaluation:queue")
    sheet = ScoreSheet.objects.get(pk=world.sheet.pk)
    assert (sheet.status, sheet.total) == (SheetStatus.SUBMITTED, Decimal("25"))
    page = client.get(sheet_url(world)).content.decode()
    assert score_url(world) not in page


def test_sheet_submit_after_window_refused(client, world):
    fill_sheet(world.sheet, 25, submit=False)
    Round.objects.filter(pk=world.round.pk).update(scoring_opens=days(-10), scoring_closes=days(-1))

    response = as_user(client, world.reviewer).post(
        reverse("evaluation:sheet_submit", args=[world.sheet.pk])
    )

    assert response.status_code == 422
    assert messages_of(response) == [
        gettext("Scoring closed on %(date)s.") % {"date": format_date(days(-1))}
    ]
    assert ScoreSheet.objects.get(pk=world.sheet.pk).status == SheetStatus.IN_PROGRESS


def submit_url(world):
    return reverse("evaluation:sheet_submit", args=[world.sheet.pk])


def test_sheet_submit_saves_the_typed_overall_comment(client, world):
    """Issue 8 item 1: "Submit" carries the overall comment and saves it with the sheet."""
    fill_sheet(world.sheet, 25, submit=False)

    response = as_user(client, world.reviewer).post(
        submit_url(world),
        {"overall_comment": "Mô hình thiết thực, cần nhân rộng.", "version": world.sheet.version},
    )

    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(pk=world.sheet.pk)
    assert (sheet.status, sheet.overall_comment) == (
        SheetStatus.SUBMITTED,
        "Mô hình thiết thực, cần nhân rộng.",
    )


def test_sheet_submit_refused_keeps_the_typed_comment_and_lists_the_missing(client, world):
    services.sheet_save_score(
        sheet=world.sheet, criterion=world.criteria[0], points="5", by=world.reviewer
    )

    response = as_user(client, world.reviewer).post(
        submit_url(world), {"overall_comment": "Nhận xét chưa lưu", "version": world.sheet.version}
    )

    content = response.content.decode()
    assert response.status_code == 422
    assert "Nhận xét chưa lưu" in content
    assert messages_of(response) == [
        ngettext(
            "The sheet was not submitted: %(n)s criterion has no points yet.",
            "The sheet was not submitted: %(n)s criteria have no points yet.",
            2,
        )
        % {"n": 2}
    ]
    assert ScoreSheet.objects.get(pk=world.sheet.pk).overall_comment == ""


def test_sheet_page_puts_the_comment_in_the_submit_form(client, world):
    """Issue 8 item 1: one form holds the comment (autosaved with htmx) and "Submit"."""
    response = as_user(client, world.reviewer).get(sheet_url(world))

    content = response.content.decode()
    form = content[content.index('<form id="sheet-submit"') :]
    form = form[: form.index("</form>")]
    assert f'action="{submit_url(world)}"' in form
    assert 'name="overall_comment"' in form
    overall_url = reverse("evaluation:sheet_overall", args=[world.sheet.pk])
    assert f'hx-post="{overall_url}" hx-trigger="change, keyup changed delay:2s"' in form
    assert f'formaction="{overall_url}"' in form


def test_sheet_overall_htmx_answers_status_and_new_version(client, world):
    """Issue 8 item 1: the autosave answers the status line and the next version."""
    url = reverse("evaluation:sheet_overall", args=[world.sheet.pk])

    response = as_user(client, world.reviewer).post(
        url, {"overall_comment": "Tự động lưu.", "version": world.sheet.version}, **HTMX
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert gettext("Saved %(time)s").split("%")[0].strip() in content
    sheet = ScoreSheet.objects.get(pk=world.sheet.pk)
    assert sheet.overall_comment == "Tự động lưu."
    assert f'id="overall-version" value="{sheet.version}"' in content


def test_sheet_overall_htmx_stale_says_so_without_saved(client, world):
    url = reverse("evaluation:sheet_overall", args=[world.sheet.pk])
    services.sheet_save_overall(
        sheet=world.sheet,
        overall_comment="Tab khác",
        version=world.sheet.version,
        by=world.reviewer,
    )

    response = as_user(client, world.reviewer).post(
        url, {"overall_comment": "Của tôi", "version": 1}, **HTMX
    )

    content = response.content.decode()
    assert gettext("Saved %(time)s").split("%")[0].strip() not in content
    assert 'class="text-danger"' in content
    assert ScoreSheet.objects.get(pk=world.sheet.pk).overall_comment == "Tab khác"


def test_sheet_submit_button_asks_for_confirmation(client, world):
    """Issue 8 item 3: "Submit" asks first, saying what cannot be undone."""
    response = as_user(client, world.reviewer).get(sheet_url(world))

    content = response.content.decode()
    question = gettext(
        "Submit this score sheet? Once submitted, it is locked: you can no longer change its "
        "points or comments. Only the secretariat can reopen it."
    )
    assert f'data-confirm="{escape(question)}"' in content
    assert "js/confirm.js" in content


def test_sheet_points_are_text_with_a_decimal_keypad(client, world):
    """Issue 8 item 2: never type=number (it turns "7,5" into 75 or nothing)."""
    response = as_user(client, world.reviewer).get(sheet_url(world))

    content = response.content.decode()
    assert 'type="number"' not in content
    assert content.count('inputmode="decimal"') == len(world.criteria)


def test_sheet_shows_numbers_one_way(client, world):
    """Issue 8 item 2: inputs, totals and maxima all write "6,5" in Vietnamese."""
    services.sheet_save_score(
        sheet=world.sheet, criterion=world.criteria[0], points="6.5", by=world.reviewer
    )

    content = as_user(client, world.reviewer).get(sheet_url(world)).content.decode()

    assert 'value="6,5"' in content
    assert "<strong>6,5</strong>" in content
    assert "6.5" not in content


@pytest.mark.parametrize("typed", ["abc", "99", "-1", "1.3", "7,3"])
def test_sheet_score_htmx_invalid_never_says_saved(client, world, typed):
    """Issue 8 item 2: a refused value answers an error at the field and no "Saved"."""
    services.sheet_save_score(
        sheet=world.sheet, criterion=world.criteria[0], points="4", by=world.reviewer
    )

    response = as_user(client, world.reviewer).post(score_url(world), {"points": typed}, **HTMX)

    content = response.content.decode()
    assert gettext("Saved %(time)s").split("%")[0].strip() not in content
    assert gettext("Not saved: please correct the value.") in content
    errors = content[content.index(f'id="c{world.criteria[0].pk}-points-error"') :]
    assert errors.index("</div>") > errors.index('<span class="d-block">')
    assert saved_points(world) == Decimal(4)


# --- Draft rounds -------------------------------------------------------------------------


@pytest.fixture
def draft_sheet(campaign, secretariat, reviewers, world):
    """A sheet of reviewers[0] in a round that is still a draft."""
    round_ = RoundFactory(
        campaign=campaign,
        created_by=secretariat,
        rubric_collective=rubric_of(campaign.organiser, 2),
    )
    entry = RoundEntryFactory(round=round_, dvk_model=accepted_model(campaign))
    sheet = sheet_of(services.assignment_add(entry=entry, reviewer=reviewers[0], by=secretariat))
    assert round_.status == RoundStatus.DRAFT
    return sheet


def test_sheet_of_a_draft_round_answers_404_to_its_reviewer(client, draft_sheet, reviewers):
    """Issue 8 item 13: the sheet follows the model's rule (open or finalised rounds only)."""
    client.force_login(reviewers[0])

    page = client.get(reverse("evaluation:sheet", args=[draft_sheet.pk]))
    model_page = client.get(draft_sheet.assignment.entry.dvk_model.get_absolute_url())

    assert (page.status_code, model_page.status_code) == (404, 404)


def test_sheet_of_a_draft_round_is_left_out_of_the_queue(client, draft_sheet, world):
    response = as_user(client, world.reviewer).get(reverse("evaluation:queue"))

    assert [a.pk for a in response.context["page_obj"]] == [world.sheet.assignment_id]


def test_sheet_of_a_draft_round_is_readable_by_the_secretariat(client, draft_sheet, world):
    response = as_user(client, world.secretariat).get(
        reverse("evaluation:sheet", args=[draft_sheet.pk])
    )

    assert response.status_code == 200


def test_sheet_declare_conflict_sends_it_to_the_secretariat(client, world):
    url = reverse("evaluation:sheet_declare_conflict", args=[world.sheet.pk])

    response = as_user(client, world.reviewer).post(url, {"reason": "Tôi công tác tại xã này."})

    assert response.status_code == 302
    assignment = world.sheet.assignment
    assignment.refresh_from_db()
    assert (assignment.conflict_status, assignment.conflict_reason) == (
        ConflictStatus.DECLARED,
        "Tôi công tác tại xã này.",
    )
    page = client.get(sheet_url(world)).content.decode()
    assert url not in page  # declared once


def test_sheet_declare_conflict_needs_a_reason(client, world):
    url = reverse("evaluation:sheet_declare_conflict", args=[world.sheet.pk])

    response = as_user(client, world.reviewer).post(url, {"reason": "  "})

    assert response.status_code == 422
    assert gettext("Please explain the conflict of interest.") in response.content.decode()
    world.sheet.assignment.refresh_from_db()
    assert world.sheet.assignment.conflict_status == ConflictStatus.NONE


def test_sheet_declare_conflict_by_another_reviewer_answers_404(client, world):
    url = reverse("evaluation:sheet_declare_conflict", args=[world.sheet.pk])

    response = as_user(client, world.other_reviewer).post(url, {"reason": "Lý do"})

    assert response.status_code == 404


# --- Evidence files -----------------------------------------------------------------------


def test_assigned_reviewer_downloads_the_evidence(
    client, campaign, commune, secretariat, reviewers
):
    draft = DvkModelFactory(campaign=campaign, unit=commune)
    attachment = registry_services.attachment_add(
        dvk_model=draft,
        uploaded_file=upload("Biên bản.pdf", pdf_bytes()),
        by=draft.created_by,
        purpose=AttachmentPurpose.REGISTRATION,
    )
    registry_services.dvk_model_submit(dvk_model=draft, by=draft.created_by)
    registry_services.dvk_model_accept(dvk_model=draft, by=secretariat)
    _round, [sheet] = open_round_with(campaign, secretariat, reviewers, models=[draft])
    download = reverse("models_registry:attachment_download", args=[attachment.pk])

    page = as_user(client, reviewers[0]).get(reverse("evaluation:sheet", args=[sheet.pk]))
    mine = client.get(download)
    client.force_login(reviewers[1])
    theirs = client.get(download)

    assert download in page.content.decode()
    assert (mine.status_code, theirs.status_code) == (200, 404)


# --- A unit's results ---------------------------------------------------------------------


def test_my_results_shows_only_finalised_results_of_the_own_unit(
    client, campaign, commune, secretariat, reviewers, people
):
    own = accepted_model(campaign, unit=commune, reviewer=secretariat, name="Mô hình của xã")
    other = accepted_model(campaign, reviewer=secretariat, name="Mô hình xã khác")
    round_, sheets = open_round_with(campaign, secretariat, reviewers, models=[own, other])
    for sheet in sheets:
        fill_sheet(sheet, 27)
    unfinished = accepted_model(campaign, unit=commune, reviewer=secretariat, name="Chưa chấm xong")
    open_round_with(campaign, secretariat, reviewers, models=[unfinished])

    before = as_user(client, people.officer).get(reverse("evaluation:my_results"))
    services.round_finalise(round=round_, by=secretariat)
    after = client.get(reverse("evaluation:my_results"))

    assert list(before.context["page_obj"]) == []
    rows = list(after.context["page_obj"])
    assert [r.dvk_model for r in rows] == [own]
    content = after.content.decode()
    assert "Mô hình xã khác" not in content
    assert "Chưa chấm xong" not in content
    assert rows[0].tier_name in content
    for reviewer in reviewers:
        assert reviewer.get_full_name() not in content


def test_my_results_for_a_reviewer_answers_404(client, world):
    response = as_user(client, world.reviewer).get(reverse("evaluation:my_results"))

    assert response.status_code == 404


# --- Menus, home panels, committee role ---------------------------------------------------


def test_menu_and_home_panel_for_a_reviewer(client, world):
    response = as_user(client, world.reviewer).get(reverse("home"))

    names = [item["name"] for item in response.context["nav_items"]]
    assert "scoring" in names
    assert "my_results" not in names
    assert reverse("evaluation:queue") in response.content.decode()
    assert gettext("Open my score sheets") in response.content.decode()


def test_menu_and_home_panel_for_a_unit_officer(client, world):
    response = as_user(client, world.people.officer).get(reverse("home"))

    names = [item["name"] for item in response.context["nav_items"]]
    assert "my_results" in names
    assert "scoring" not in names


def test_menu_for_the_secretariat_names_its_pages(client, world):
    response = as_user(client, world.secretariat).get(reverse("home"))

    names = {item["name"] for item in response.context["nav_items"]}
    assert {"rounds", "rubrics", "committees"} <= names


def test_committee_member_add_joins_the_role_group_and_keeps_other_roles(committee, secretariat):
    user = UserFactory(unit=committee.unit, roles=[Role.LEADER])

    services.committee_member_add(
        committee=committee, user=user, role=CommitteeRole.MEMBER, by=secretariat
    )

    user.refresh_from_db()
    assert set(user.groups.values_list("name", flat=True)) == {
        Role.LEADER.value,
        Role.COMMITTEE_MEMBER.value,
    }


# --- Query counts -------------------------------------------------------------------------


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as context:
        func()
    return len(context.captured_queries)


def test_queue_query_count_same_for_1_and_30_sheets(
    client, campaign, secretariat, reviewers, members, django_assert_num_queries
):
    few, many = reviewers[0], reviewers[1]
    open_round_with(campaign, secretariat, [few], models=[accepted_model(campaign)])
    open_round_with(
        campaign, secretariat, [many], models=[accepted_model(campaign) for _ in range(30)]
    )
    url = reverse("evaluation:queue")
    client.force_login(few)
    expected = count_queries(lambda: client.get(url))
    client.force_login(many)

    with django_assert_num_queries(expected):
        response = client.get(url)

    assert len(response.context["page_obj"]) == 25


def test_sheet_query_count_same_for_1_and_30_criteria(
    client, campaign, secretariat, reviewers, django_assert_num_queries
):
    reviewer = reviewers[0]
    _r1, [small] = open_round_with(
        campaign, secretariat, [reviewer], models=[accepted_model(campaign)], criteria=1
    )
    _r2, [large] = open_round_with(
        campaign, secretariat, [reviewer], models=[accepted_model(campaign)], criteria=30
    )
    for sheet in (small, large):
        fill_sheet(sheet, 5, submit=False)
    client.force_login(reviewer)
    expected = count_queries(lambda: client.get(reverse("evaluation:sheet", args=[small.pk])))

    with django_assert_num_queries(expected):
        response = client.get(reverse("evaluation:sheet", args=[large.pk]))

    assert len(response.context["criteria"]) == 30


# --- Phone layout of the sheet ------------------------------------------------------------


def test_sheet_page_puts_the_registration_before_the_criteria(client, world):
    """On a phone the grid is one column in document order: what is scored comes first
    (collapsed behind its summaries by scoring.js), then the criteria, then the submit."""
    content = as_user(client, world.reviewer).get(sheet_url(world)).content.decode()

    registration = content.index('class="sheet-model"')
    evidence = content.index('id="evidence"')
    criteria = content.index('id="criteria"')
    submit = content.index('id="sheet-submit"')
    assert registration < evidence < criteria < submit
    assert content[registration:criteria].count("data-collapse-narrow") == 3
