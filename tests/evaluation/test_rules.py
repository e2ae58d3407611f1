"""evaluation/rules.py: the permission matrix, and the selectors that apply the same scopes."""

from types import SimpleNamespace

import pytest

from danvan.enums import Role
from evaluation import selectors, services
from evaluation.models import Result, Round, ScoreSheet
from tests.factories import CommitteeMemberFactory, RoundEntryFactory, UserFactory
from tests.factories.evaluation import accepted_model, fill_sheet, open_round, sheet_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(round_, committee, members, commune, people, secretariat):
    """An open round with one entry of ``commune``, assigned to the first member only."""
    entry = RoundEntryFactory(
        round=round_, dvk_model=accepted_model(round_.campaign, unit=commune, reviewer=secretariat)
    )
    round_ = open_round(round_, by=secretariat)
    assignment = services.assignment_add(entry=entry, reviewer=members[0].user, by=secretariat)
    for user in (members[0].user, members[1].user):
        user.groups.clear()
    assignee = members[0].user
    return SimpleNamespace(
        round=round_,
        entry=entry,
        assignment=assignment,
        sheet=sheet_of(assignment),
        rubric=round_.rubric_collective,
        users={
            "assignee": assignee,
            "other_reviewer": members[1].user,
            "secretariat": people.secretariat,
            "other_secretariat": people.other_secretariat,
            "leader": people.leader,
            "officer": people.officer,
            "other_officer": people.other_officer,
        },
        # A superuser holds every permission (Django's ModelBackend): not part of the matrix.
        admin=people.admin,
    )


def allowed(world, perm, obj) -> set[str]:
    """The names of the users who hold ``perm`` on ``obj`` (fresh users: no caches)."""
    return {
        name
        for name, user in world.users.items()
        if type(user).objects.get(pk=user.pk).has_perm(perm, obj)
    }


def finalise(world):
    fill_sheet(world.sheet, 85)
    services.round_finalise(round=world.round, by=world.users["secretariat"])
    return Result.objects.get(entry=world.entry)


def test_view_sheet_assignee_and_secretariat_in_scope_only(world):
    assert allowed(world, "evaluation.view_sheet", world.sheet) == {
        "assignee",
        "secretariat",
    }


def test_reopen_sheet_secretariat_once_submitted(world):
    sheet = fill_sheet(world.sheet, 70)

    assert allowed(world, "evaluation.reopen_sheet", sheet) == {"secretariat"}


def test_reopen_sheet_nobody_before_submission(world):
    assert allowed(world, "evaluation.reopen_sheet", world.sheet) == set()


def test_declare_conflict_assignee_once(world):
    assert allowed(world, "evaluation.declare_conflict", world.assignment) == {"assignee"}

    declared = services.assignment_declare_conflict(
        assignment=world.assignment, by=world.users["assignee"], reason="Người thân."
    )

    assert allowed(world, "evaluation.declare_conflict", declared) == set()


def test_view_round_secretariat_leader_and_its_reviewers(world):
    assert allowed(world, "evaluation.view_round", world.round) == {
        "assignee",
        "secretariat",
        "leader",
    }


@pytest.mark.parametrize(
    "perm",
    [
        "evaluation.change_round",
        "evaluation.assign_round",
        "evaluation.finalise_round",
        "evaluation.view_live_results",
        "evaluation.view_assignments",
    ],
)
def test_round_management_secretariat_in_scope_only(world, perm):
    assert allowed(world, perm, world.round) == {"secretariat"}


def test_finalised_round_cannot_change(world):
    finalise(world)
    round_ = Round.objects.get(pk=world.round.pk)

    assert allowed(world, "evaluation.change_round", round_) == set()
    assert allowed(world, "evaluation.finalise_round", round_) == set()


def test_view_results_of_finalised_round_secretariat_and_leader(world):
    assert allowed(world, "evaluation.view_results", world.round) == set()

    finalise(world)
    round_ = Round.objects.get(pk=world.round.pk)

    assert allowed(world, "evaluation.view_results", round_) == {
        "secretariat",
        "leader",
    }


def test_set_exemplary_until_results_locked(world):
    result = finalise(world)

    assert allowed(world, "evaluation.set_exemplary", result) == {"secretariat"}

    services.round_lock_results(round=world.round, by=world.users["secretariat"])
    result = Result.objects.select_related("round").get(pk=result.pk)

    assert allowed(world, "evaluation.set_exemplary", result) == set()


def test_change_rubric_secretariat_until_frozen(world):
    assert allowed(world, "evaluation.change_rubric", world.rubric) == {"secretariat"}
    assert allowed(world, "evaluation.view_rubric", world.rubric) == {
        "secretariat",
        "leader",
    }

    fill_sheet(world.sheet, 10, submit=False)

    assert allowed(world, "evaluation.change_rubric", world.rubric) == set()
    assert allowed(world, "evaluation.version_rubric", world.rubric) == {"secretariat"}


def test_review_perm_follows_active_membership(world, members):
    assert allowed(world, "evaluation.review", None) == {"assignee", "other_reviewer"}

    services.committee_member_update(member=members[1], by=world.users["secretariat"], active=False)

    assert allowed(world, "evaluation.review", None) == {"assignee"}


def test_manage_rounds_secretariats_only(world):
    assert allowed(world, "evaluation.manage_rounds", None) == {
        "secretariat",
        "other_secretariat",
    }


# --- Selectors apply the same scopes ------------------------------------------------------


def test_superuser_sees_every_sheet_and_round(world):
    assert selectors.sheets_visible_to(user=world.admin).filter(pk=world.sheet.pk).exists()
    assert selectors.rounds_visible_to(user=world.admin).filter(pk=world.round.pk).exists()


def test_sheets_visible_to_assignee_and_secretariat_only(world):
    visible = {
        name
        for name, user in world.users.items()
        if selectors.sheets_visible_to(user=user).filter(pk=world.sheet.pk).exists()
    }

    assert visible == {"assignee", "secretariat"}


def test_rounds_visible_to_matches_view_round(world):
    visible = {
        name
        for name, user in world.users.items()
        if selectors.rounds_visible_to(user=user).filter(pk=world.round.pk).exists()
    }

    assert visible == allowed(world, "evaluation.view_round", world.round)


def test_reviewer_queue_only_own_assignments(world, secretariat):
    other_entry = RoundEntryFactory(round=world.round)
    services.assignment_add(
        entry=other_entry, reviewer=world.users["other_reviewer"], by=secretariat
    )

    queue = selectors.reviewer_queue(user=world.users["assignee"])

    assert [a.pk for a in queue] == [world.assignment.pk]


def test_sheet_detail_out_of_scope_is_does_not_exist(world):
    for name in ("other_reviewer", "officer", "leader", "other_secretariat"):
        with pytest.raises(ScoreSheet.DoesNotExist):
            selectors.sheet_detail(sheet_id=world.sheet.pk, user=world.users[name])


def test_units_never_see_reviewer_names_in_results(world):
    result = finalise(world)
    officer = world.users["officer"]

    [row] = selectors.results_for_unit(user=officer, campaign=world.round.campaign)

    assert row == result
    reviewer_columns = {
        f.name
        for f in Result._meta.get_fields()
        if getattr(f, "related_model", None) is type(officer)
    }
    assert reviewer_columns == {"exemplary_set_by"}  # the secretariat's, never a reviewer's


def test_reviewer_with_approved_conflict_no_longer_sees_round_or_sheet(world):
    assignee = world.users["assignee"]
    services.assignment_declare_conflict(
        assignment=world.assignment, by=assignee, reason="Người thân."
    )
    services.assignment_resolve_conflict(
        assignment=world.assignment, by=world.users["secretariat"], approve=True
    )

    assert "assignee" not in allowed(world, "evaluation.view_round", world.round)
    assert not selectors.rounds_visible_to(user=assignee).exists()
    assert list(selectors.reviewer_queue(user=assignee)) == []


def test_reviewer_sees_only_rounds_where_assigned(world, committee):
    newcomer = CommitteeMemberFactory(committee=committee).user
    newcomer.groups.clear()

    assert list(selectors.round_list(user=newcomer)) == []
    assert [r.pk for r in selectors.round_list(user=world.users["assignee"])] == [world.round.pk]


def test_unit_officer_sees_no_round(world):
    assert list(selectors.round_list(user=world.users["officer"])) == []
    assert UserFactory(roles=[Role.UNIT_OFFICER]).has_perm("evaluation.review") is False
