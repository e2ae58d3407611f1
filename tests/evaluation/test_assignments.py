"""evaluation/services/assignments.py: manual and automatic assignment, conflicts, e-mails."""

from collections import Counter

import pytest
from django.utils.translation import gettext

from danvan.enums import UnitKind
from danvan.models import Notification
from evaluation import services
from evaluation.enums import ConflictStatus, SheetStatus
from evaluation.models import Assignment, ScoreSheet
from tests.factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    RoundEntryFactory,
    UnitFactory,
    UserFactory,
)
from tests.factories.evaluation import accepted_model, fill_sheet, open_round, sheet_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(round_, commune, secretariat):
    """An entry of a model registered by the commune."""
    return RoundEntryFactory(
        round=round_, dvk_model=accepted_model(round_.campaign, unit=commune, reviewer=secretariat)
    )


def make_entries(round_, secretariat, n):
    return [
        RoundEntryFactory(
            round=round_, dvk_model=accepted_model(round_.campaign, reviewer=secretariat)
        )
        for _ in range(n)
    ]


def not_member(user) -> str:
    return gettext(
        "%(name)s is not an active member of the Steering Committee running this round."
    ) % {"name": str(user)}


def refusal(entry, reviewer, by):
    with pytest.raises(services.EvaluationError) as caught:
        services.assignment_add(entry=entry, reviewer=reviewer, by=by)
    return str(caught.value)


def active_assignments(round_):
    return Assignment.objects.filter(round=round_).exclude(conflict_status=ConflictStatus.APPROVED)


# --- Manual -------------------------------------------------------------------------------


def test_assignment_add_creates_pending_sheet(entry, reviewers, secretariat):
    assignment = services.assignment_add(entry=entry, reviewer=reviewers[0], by=secretariat)

    assert (assignment.round_id, assignment.reviewer, assignment.assigned_by) == (
        entry.round_id,
        reviewers[0],
        secretariat,
    )
    assert sheet_of(assignment).status == SheetStatus.PENDING
    assert sheet_of(assignment).history.count() == 1


def test_assignment_add_notifies_reviewer_once_the_round_is_open(entry, reviewers, secretariat):
    # evaluation.notifications (kind "assigned") replaces the direct e-mail: see
    # tests/evaluation/test_notifications.py for the text and the links.
    open_round(entry.round, by=secretariat)

    services.assignment_add(entry=entry, reviewer=reviewers[0], by=secretariat)

    (notification,) = Notification.objects.filter(kind="evaluation.assigned")
    assert notification.recipient == reviewers[0]
    assert entry.dvk_model.name in notification.body
    assert entry.round.name in notification.title


def test_assignment_add_non_member_refused(entry, secretariat):
    stranger = UserFactory()

    assert refusal(entry, stranger, secretariat) == not_member(stranger)


def test_assignment_add_inactive_member_refused(entry, members, secretariat):
    services.committee_member_update(member=members[0], by=secretariat, active=False)

    assert refusal(entry, members[0].user, secretariat) == not_member(members[0].user)


def test_assignment_add_member_of_other_units_committee_refused(entry, commune, secretariat):
    commune_member = CommitteeMemberFactory(committee=CommitteeFactory(unit=commune))

    assert refusal(entry, commune_member.user, secretariat) == not_member(commune_member.user)


@pytest.mark.parametrize("where", ["same", "above", "below"])
def test_assignment_add_unit_related_by_tree_refused(
    entry, committee, commune, province, secretariat, where
):
    unit = {
        "same": lambda: commune,
        "above": lambda: province,
        "below": lambda: UnitFactory(parent=commune, kind=UnitKind.MASS_ORGANISATION),
    }[where]()
    member = CommitteeMemberFactory(committee=committee, user=UserFactory(unit=unit))

    assert refusal(entry, member.user, secretariat) == gettext(
        "%(name)s works in %(unit)s, which is the model's unit or above or below it: "
        "they cannot score this model."
    ) % {"name": str(member.user), "unit": unit}


def test_assignment_add_sibling_unit_allowed(entry, committee, province, secretariat):
    sibling = UnitFactory(parent=province)
    member = CommitteeMemberFactory(committee=committee, user=UserFactory(unit=sibling))

    assert services.assignment_add(entry=entry, reviewer=member.user, by=secretariat).pk


def test_assignment_add_twice_refused(entry, reviewers, secretariat):
    services.assignment_add(entry=entry, reviewer=reviewers[0], by=secretariat)

    assert refusal(entry, reviewers[0], secretariat) == gettext(
        "%(name)s is already assigned to this model."
    ) % {"name": str(reviewers[0])}


def test_assignments_add_bulk_per_reviewer_reports_refused_pairs(
    round_, reviewers, committee, commune, secretariat
):
    entries = make_entries(round_, secretariat, 2)
    own = RoundEntryFactory(
        round=round_, dvk_model=accepted_model(round_.campaign, unit=commune, reviewer=secretariat)
    )
    local = CommitteeMemberFactory(committee=committee, user=UserFactory(unit=commune)).user

    result = services.assignments_add_bulk(
        round=round_, entries=[*entries, own], reviewers=[local], by=secretariat
    )

    assert sorted(a.entry_id for a in result.created) == sorted(e.pk for e in entries)
    assert [(e, r) for e, r, _reason in result.refused] == [(own, local)]


def test_assignment_remove_pending_deletes_sheet(entry, reviewers, secretariat):
    assignment = services.assignment_add(entry=entry, reviewer=reviewers[0], by=secretariat)

    services.assignment_remove(assignment=assignment, by=secretariat)

    assert not ScoreSheet.objects.exists()
    assert not Assignment.objects.exists()


def test_assignment_remove_started_sheet_refused(entry, reviewers, secretariat):
    assignment = services.assignment_add(entry=entry, reviewer=reviewers[0], by=secretariat)
    open_round(entry.round, by=secretariat)
    fill_sheet(sheet_of(assignment), 50, submit=False)

    with pytest.raises(services.EvaluationError):
        services.assignment_remove(assignment=assignment, by=secretariat)


# --- Automatic ----------------------------------------------------------------------------


def test_assignments_auto_gives_every_entry_its_reviewers_balanced(round_, reviewers, secretariat):
    entries = make_entries(round_, secretariat, 5)

    result = services.assignments_auto(round=round_, by=secretariat)

    per_entry = Counter(active_assignments(round_).values_list("entry_id", flat=True))
    loads = Counter(active_assignments(round_).values_list("reviewer_id", flat=True))
    assert {e.pk: per_entry[e.pk] for e in entries} == {e.pk: 2 for e in entries}
    assert sorted(loads.values()) == [3, 3, 4]
    assert result.uncovered == []
    assert len(result.created) == 10
    assert ScoreSheet.objects.filter(assignment__round=round_).count() == 10


def test_assignments_auto_second_run_creates_nothing(round_, reviewers, secretariat):
    make_entries(round_, secretariat, 4)
    services.assignments_auto(round=round_, by=secretariat)
    before = list(Assignment.objects.order_by("pk").values_list("entry_id", "reviewer_id"))

    result = services.assignments_auto(round=round_, by=secretariat)

    assert result.created == []
    assert list(Assignment.objects.order_by("pk").values_list("entry_id", "reviewer_id")) == before


def test_assignments_auto_counts_existing_assignments(round_, reviewers, secretariat):
    first, second = make_entries(round_, secretariat, 2)
    services.assignment_add(entry=first, reviewer=reviewers[0], by=secretariat)

    result = services.assignments_auto(round=round_, by=secretariat)

    assert len(result.created) == 3
    per_entry = Counter(active_assignments(round_).values_list("entry_id", flat=True))
    assert per_entry == {first.pk: 2, second.pk: 2}
    loads = Counter(active_assignments(round_).values_list("reviewer_id", flat=True))
    assert max(loads.values()) - min(loads.values()) <= 1


def test_assignments_auto_never_assigns_a_conflicting_reviewer(
    round_, committee, members, commune, secretariat
):
    local = CommitteeMemberFactory(committee=committee, user=UserFactory(unit=commune)).user
    own = RoundEntryFactory(
        round=round_, dvk_model=accepted_model(round_.campaign, unit=commune, reviewer=secretariat)
    )
    make_entries(round_, secretariat, 3)

    services.assignments_auto(round=round_, by=secretariat)

    assert not Assignment.objects.filter(entry=own, reviewer=local).exists()
    assert Assignment.objects.filter(entry=own).count() == 2


def test_assignments_auto_reports_entries_without_enough_eligible_reviewers(
    round_, committee, commune, secretariat
):
    CommitteeMemberFactory(committee=committee, user=UserFactory(unit=commune))
    outsider_member = CommitteeMemberFactory(committee=committee)
    own = RoundEntryFactory(
        round=round_, dvk_model=accepted_model(round_.campaign, unit=commune, reviewer=secretariat)
    )

    result = services.assignments_auto(round=round_, by=secretariat)

    assert [(e, missing) for e, missing in result.uncovered] == [(own, 1)]
    assert list(Assignment.objects.values_list("reviewer_id", flat=True)) == [
        outsider_member.user_id
    ]


def test_assignments_auto_prefers_member_following_the_locality(
    round_, committee, commune, secretariat
):
    round_.reviewers_per_model = 1
    round_.save(update_fields=["reviewers_per_model"])
    CommitteeMemberFactory(committee=committee)  # lower id, same load, follows nothing
    follower = CommitteeMemberFactory(committee=committee, followed_units=[commune])
    RoundEntryFactory(
        round=round_, dvk_model=accepted_model(round_.campaign, unit=commune, reviewer=secretariat)
    )

    services.assignments_auto(round=round_, by=secretariat)

    assert list(Assignment.objects.values_list("reviewer_id", flat=True)) == [follower.user_id]


def test_assignments_auto_queries_do_not_grow_with_entries(
    round_, reviewers, secretariat, campaign, committee, django_assert_num_queries
):
    from tests.factories import RoundFactory

    small = round_
    make_entries(small, secretariat, 2)
    large = RoundFactory(campaign=campaign, created_by=secretariat, reviewers_per_model=2)
    make_entries(large, secretariat, 8)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_run:
        services.assignments_auto(round=small, by=secretariat)

    with django_assert_num_queries(len(small_run.captured_queries)):
        services.assignments_auto(round=large, by=secretariat)


def test_assignments_auto_finalised_round_refused(round_, reviewers, secretariat):
    make_entries(round_, secretariat, 1)
    open_round(round_, by=secretariat)
    services.round_finalise(round=round_, by=secretariat, force=True)

    with pytest.raises(services.EvaluationError) as caught:
        services.assignments_auto(round=round_, by=secretariat)

    assert str(caught.value) == gettext(
        "This round has been finalised: its entries, assignments and sheets can no longer change."
    )


# --- Conflicts of interest ----------------------------------------------------------------


@pytest.fixture
def assigned(round_, reviewers, secretariat):
    """One entry with two reviewers (auto-assigned), the round open."""
    make_entries(round_, secretariat, 1)
    services.assignments_auto(round=round_, by=secretariat)
    open_round(round_, by=secretariat)
    return list(Assignment.objects.select_related("reviewer").order_by("pk"))


def test_assignment_declare_conflict_records_reason(assigned):
    assignment = assigned[0]

    declared = services.assignment_declare_conflict(
        assignment=assignment, by=assignment.reviewer, reason="Người thân là chủ nhiệm mô hình."
    )

    assert declared.conflict_status == ConflictStatus.DECLARED
    assert declared.conflict_reason == "Người thân là chủ nhiệm mô hình."
    assert declared.conflict_declared_at is not None


def test_assignment_declare_conflict_by_someone_else_refused(assigned, secretariat):
    with pytest.raises(services.EvaluationError) as caught:
        services.assignment_declare_conflict(assignment=assigned[0], by=secretariat, reason="Lý do")

    assert str(caught.value) == gettext(
        "Only the assigned reviewer can declare a conflict of interest."
    )


def test_assignment_declare_conflict_without_reason_refused(assigned):
    with pytest.raises(services.EvaluationError) as caught:
        services.assignment_declare_conflict(
            assignment=assigned[0], by=assigned[0].reviewer, reason="  "
        )

    assert caught.value.field == "reason"


def test_assignment_resolve_conflict_approve_reassigns_to_free_reviewer(
    assigned, reviewers, secretariat, django_capture_on_commit_callbacks
):
    assignment = assigned[0]
    fill_sheet(sheet_of(assignment), 40, submit=False)
    services.assignment_declare_conflict(
        assignment=assignment, by=assignment.reviewer, reason="Cùng đơn vị công tác trước đây."
    )
    free = next(r for r in reviewers if r not in {a.reviewer for a in assigned})

    with django_capture_on_commit_callbacks(execute=True):
        resolution = services.assignment_resolve_conflict(
            assignment=assignment, by=secretariat, approve=True
        )

    assert resolution.assignment.conflict_status == ConflictStatus.APPROVED
    assert resolution.replacement.reviewer == free
    assert resolution.replacement.entry_id == assignment.entry_id
    assert not ScoreSheet.objects.filter(assignment=assignment).exists()
    assert active_assignments(assignment.round).count() == 2
    assigned_to = Notification.objects.filter(
        kind="evaluation.assigned", activity__action=("evaluation.assignment.conflict_approve")
    )
    assert [n.recipient for n in assigned_to] == [free]


def test_assignment_resolve_conflict_approve_keeps_submitted_sheet_out_of_results(
    assigned, secretariat
):
    from evaluation import selectors

    assignment = assigned[0]
    fill_sheet(sheet_of(assignment), 40)
    services.assignment_declare_conflict(
        assignment=assignment, by=assignment.reviewer, reason="Phát hiện sau khi chấm."
    )

    services.assignment_resolve_conflict(assignment=assignment, by=secretariat, approve=True)

    assert ScoreSheet.objects.get(assignment=assignment).status == SheetStatus.SUBMITTED
    [row] = selectors.round_results(round=assignment.round)
    assert row.sheet_count == 0


def test_assignment_resolve_conflict_reject_keeps_assignment(assigned, secretariat):
    assignment = assigned[0]
    services.assignment_declare_conflict(
        assignment=assignment, by=assignment.reviewer, reason="Không chắc."
    )

    resolution = services.assignment_resolve_conflict(
        assignment=assignment, by=secretariat, approve=False
    )

    assert resolution.assignment.conflict_status == ConflictStatus.REJECTED
    assert resolution.replacement is None
    assert ScoreSheet.objects.filter(assignment=assignment).exists()


def test_assignment_resolve_conflict_without_declaration_refused(assigned, secretariat):
    with pytest.raises(services.EvaluationError):
        services.assignment_resolve_conflict(assignment=assigned[0], by=secretariat, approve=True)


def test_assignment_resolve_conflict_no_free_reviewer_leaves_entry_short(
    assigned, reviewers, members, secretariat
):
    assignment = assigned[0]
    free = next(m for m in members if m.user not in {a.reviewer for a in assigned})
    services.committee_member_update(member=free, by=secretariat, active=False)
    services.assignment_declare_conflict(
        assignment=assignment, by=assignment.reviewer, reason="Lý do."
    )

    resolution = services.assignment_resolve_conflict(
        assignment=assignment, by=secretariat, approve=True
    )

    assert resolution.replacement is None
    assert active_assignments(assignment.round).count() == 1
